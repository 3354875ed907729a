"""A person's own data: the full copy, and erasing the account with its links and tokens."""

import pytest

from server.db import db
from server.models.accounts import Token, User
from server.models.care import AuditLog, CareLink, Comment
from server.models.diary import Entry
from tests.care_helpers import clinic, cramp, drink  # noqa: F401

PASSWORD = "correct horse battery"


@pytest.fixture
def pair(clinic):
    physio, patient = clinic.physio("Dr Ana Rivera"), clinic.person("Maria")
    clinic.link(physio, patient)
    return physio, patient


def test_a_person_downloads_everything_held_about_them(pair):
    physio, patient = pair
    keys = patient.log(cramp(1, note="calf at night"), drink(1))
    physio.post(f"/care/patients/{patient.id}/comments", {"text": "Noted", "entry_key": keys[0]})
    physio.get(f"/care/patients/{patient.id}/summary")
    response = patient.get("/me/export")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["user"]["email"] == patient.user["email"]
    assert [e["key"] for e in data["entries"]] == keys[::-1]  # oldest first: the drink at 10:00
    assert data["entries"][1]["note"] == "calf at night"
    assert [c["text"] for c in data["comments"]] == ["Noted"]
    assert data["links"][0]["physio"] == "Dr Ana Rivera" and data["links"][0]["revoked_at"] is None
    assert {row["action"] for row in data["audit"]} == {"comment", "summary"}
    assert "password_hash" not in str(data)


def test_a_physio_export_lists_their_invites_without_codes(pair):
    physio, _ = pair
    data = physio.get("/me/export").get_json()
    assert len(data["invites"]) == 1 and data["invites"][0]["used_at"] is not None
    assert "code" not in data["invites"][0] and "code_hash" not in data["invites"][0]


@pytest.mark.parametrize("body, status", [({"password": "wrong password"}, 403), ({}, 422),
                                           (None, 400)])
def test_deleting_an_account_asks_for_its_password(pair, body, status):
    _, patient = pair
    assert patient.delete("/me", body).status_code == status
    assert patient.get("/me").status_code == 200


def test_deleting_an_account_takes_its_diary_links_and_tokens(pair, client):
    physio, patient = pair
    patient.log(cramp(1))
    physio.get(f"/care/patients/{patient.id}/summary")
    assert patient.delete("/me", {"password": PASSWORD}).status_code == 204
    assert patient.get("/me").status_code == 401
    assert physio.get("/care/patients").get_json() == []
    assert physio.get(f"/care/patients/{patient.id}/summary").status_code == 404
    with db.connection_context():
        assert User.get_or_none(User.id == patient.id) is None
        for model, field in ((Token, Token.user), (Entry, Entry.user),
                             (CareLink, CareLink.patient), (AuditLog, AuditLog.patient)):
            assert model.select().where(field == patient.id).count() == 0, model.__name__
    login = client.post("/api/v1/auth/login", json={"email": patient.user["email"],
                                                    "password": PASSWORD})
    assert login.status_code == 401


def test_a_physio_leaving_keeps_what_they_sent_and_the_patients_audit_trail(pair):
    physio, patient = pair
    physio.post(f"/care/patients/{patient.id}/comments", {"text": "Keep going"})
    assert physio.delete("/me", {"password": PASSWORD}).status_code == 204
    comments = [c for c in patient.device().pull_all() if c["entity"] == "comment"]
    assert comments[0]["data"]["author"] == {"id": None, "display_name": "Dr Ana Rivera"}
    trail = patient.get("/me/audit").get_json()
    assert trail[0]["physio"] == {"id": None, "display_name": "Dr Ana Rivera"}
    assert patient.get("/care/links").get_json() == []
    with db.connection_context():
        assert Comment.select().count() == 1
