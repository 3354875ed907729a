"""Text a database cannot store is refused in the envelope, the same on SQLite and PostgreSQL."""

import pytest

from server.db import db
from server.models.accounts import User
from server.models.care import Assignment, Comment, Invite
from tests.care_helpers import clinic, cramp, seeded_catalogue  # noqa: F401 (fixtures)

API = "/api/v1"
UNSTORABLE = ["pasted\u0000text", "half \ud800 a symbol"]


def refused(response, field):
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == "Unprocessable Entity" and field in body["fields"]


@pytest.mark.parametrize("text", UNSTORABLE)
@pytest.mark.parametrize("field", ["display_name", "device_name", "password"])
def test_registration_refuses_unstorable_text(client, text, field):
    body = {"email": "nul@example.org", "password": "correct horse battery",
            "display_name": "Alex", field: text}
    refused(client.post(f"{API}/auth/register", json=body), field)
    with db.connection_context():
        assert User.select().count() == 0


@pytest.mark.parametrize("text", UNSTORABLE)
def test_login_refuses_unstorable_text(client, auth, text):
    user, _ = auth.register()
    body = {"email": user["email"], "password": "correct horse battery", "device_name": text}
    refused(client.post(f"{API}/auth/login", json=body), "device_name")


@pytest.mark.parametrize("text", UNSTORABLE)
def test_care_writes_refuse_unstorable_text(clinic, seeded_catalogue, text):  # noqa: F811
    physio, patient = clinic.physio(), clinic.person("Sam")
    refused(physio.post("/care/invites", {"label": text}), "label")
    clinic.link(physio, patient)
    (key,) = patient.log(cramp())
    where = f"/care/patients/{patient.id}"
    refused(physio.post(f"{where}/comments", {"text": text}), "text")
    refused(physio.post(f"{where}/comments", {"text": "Fine", "entry_key": text}), "entry_key")
    refused(physio.post(f"{where}/assignments", {"programme": "calf-cramp-8-weeks",
                                                  "note": text}), "note")
    with db.connection_context():
        assert Comment.select().count() == 0 and Assignment.select().count() == 0
        assert Invite.select().count() == 1  # only the one that linked them
    assert physio.post(f"{where}/comments", {"text": "Fine", "entry_key": key}).status_code == 201
