"""Consent between patients and physios, and what a physio may see: invites, links,
revocation, the authorisation matrix, the audit log and the ranked patient list."""

import datetime
import hashlib

import pytest

from server import create_app
from server.db import db
from server.models.care import AuditLog, Invite
from tests.care_helpers import Clinic, clinic, cramp, drink, seeded_catalogue, today  # noqa: F401


def test_an_invite_code_is_shown_once_and_stored_only_as_a_hash(clinic):
    physio = clinic.physio()
    response = physio.post("/care/invites", {"label": "Maria, Tuesday"})
    body = response.get_json()
    assert response.status_code == 201
    assert len(body["code"]) == 11 and body["code"][5] == "-"
    assert body["label"] == "Maria, Tuesday" and body["expires_at"].endswith("+00:00")
    with db.connection_context():
        row = Invite.get()
    digest = hashlib.sha256(body["code"].replace("-", "").encode()).hexdigest()
    assert row.code_hash == digest and body["code"].replace("-", "") not in row.code_hash


def test_the_patient_sees_who_will_see_what_before_agreeing(clinic):
    physio, patient = clinic.physio("Dr Ana Rivera"), clinic.person("Maria")
    code = clinic.invite(physio)
    response = patient.post("/care/invites/preview", {"code": code})
    body = response.get_json()
    assert response.status_code == 200
    assert body["physio"]["display_name"] == "Dr Ana Rivera"
    assert body["physio"]["email"] == physio.user["email"]
    assert any("cramp episodes" in line for line in body["shares"])
    assert any("stop sharing at any time" in line for line in body["shares"])
    # Previewing shares nothing: no link, no patient in the physio's list.
    assert patient.get("/care/links").get_json() == []
    assert physio.get("/care/patients").get_json() == []


def test_accepting_links_the_patient_to_the_physio(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    link = clinic.link(physio, patient)
    assert link["active"] is True and link["revoked_at"] is None
    assert link["physio"]["id"] == physio.id and link["patient"]["id"] == patient.id
    assert [p["id"] for p in physio.get("/care/patients").get_json()] == [patient.id]
    assert [ln["id"] for ln in physio.get("/care/links").get_json()] == [link["id"]]


@pytest.mark.parametrize("typed", [str.lower, lambda c: c.replace("-", " "),
                                   lambda c: f"  {c}  ".replace("0", "O")])
def test_a_code_is_read_as_people_type_it(clinic, typed):
    physio, patient = clinic.physio(), clinic.person("Maria")
    code = clinic.invite(physio)
    assert patient.post("/care/links", {"code": typed(code)}).status_code == 201


def test_a_code_works_once(clinic):
    physio, first, second = clinic.physio(), clinic.person("A"), clinic.person("B")
    code = clinic.invite(physio)
    assert first.post("/care/links", {"code": code}).status_code == 201
    response = second.post("/care/links", {"code": code})
    assert response.status_code == 404 and "used already" in response.get_json()["message"]
    assert second.post("/care/invites/preview", {"code": code}).status_code == 404


def test_an_expired_code_does_not_work(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    code = clinic.invite(physio, valid_hours=1)
    with db.connection_context():
        Invite.update(expires_at=datetime.datetime(2000, 1, 1)).execute()
    assert patient.post("/care/invites/preview", {"code": code}).status_code == 404
    assert patient.post("/care/links", {"code": code}).status_code == 404


@pytest.mark.parametrize("code", ["", "ABC", "ABCDE-FGHJK-M", "UUUUU-UUUUU", 12345])
def test_something_that_is_not_a_code_is_refused_with_a_message(clinic, code):
    response = clinic.person("Maria").post("/care/links", {"code": code})
    assert response.status_code == 422 and "code" in response.get_json()["fields"]


def test_a_patient_linking_twice_to_one_physio_keeps_one_link(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    first, again = clinic.link(physio, patient), clinic.link(physio, patient)
    assert first["id"] == again["id"]
    assert len(physio.get("/care/patients").get_json()) == 1


def test_invite_entry_is_rate_limited_and_only_wrong_codes_count(app, database_url, tmp_path,
                                                                 auth):
    limited = create_app({"DATABASE_URL": database_url, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_INVITE": "3 per minute", "RATELIMIT_AUTH": "100 per minute",
                          "VAR_DIR": str(tmp_path)})
    client = limited.test_client()
    clinic = Clinic(client, type(auth)(client))
    physio, patient = clinic.physio(), clinic.person("Maria")
    code = clinic.invite(physio)
    wrong = {"code": "ZZZZZ-ZZZZZ"}
    assert patient.post("/care/invites/preview", wrong).status_code == 404
    assert patient.post("/care/invites/preview", {"code": code}).status_code == 200
    assert patient.post("/care/invites/preview", {"code": code}).status_code == 200
    assert patient.post("/care/links", wrong).status_code == 404
    assert patient.post("/care/invites/preview", wrong).status_code == 404
    response = patient.post("/care/links", {"code": code})
    assert response.status_code == 429 and response.get_json()["error"] == "Too Many Requests"
    assert patient.get("/care/links").status_code == 200


def test_revoking_ends_access_at_once(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    link = clinic.link(physio, patient)
    assert physio.get(f"/care/patients/{patient.id}/summary").status_code == 200
    response = patient.delete(f"/care/links/{link['id']}")
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert physio.get(f"/care/patients/{patient.id}/summary").status_code == 404
    assert physio.get("/care/patients").get_json() == []
    # The history stays visible to both, marked revoked; revoking again changes nothing.
    assert patient.get("/care/links").get_json()[0]["revoked_at"] is not None
    again = patient.delete(f"/care/links/{link['id']}").get_json()
    assert again["revoked_at"] == response.get_json()["revoked_at"]


def test_after_revoking_a_new_invite_starts_a_new_link(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    old = clinic.link(physio, patient)
    patient.delete(f"/care/links/{old['id']}")
    new = clinic.link(physio, patient)
    assert new["id"] != old["id"]
    assert physio.get(f"/care/patients/{patient.id}/summary").status_code == 200


@pytest.mark.parametrize("who", ["other member", "the physio"])
def test_only_the_patient_can_revoke_their_link(clinic, who):
    physio, patient = clinic.physio(), clinic.person("Maria")
    link = clinic.link(physio, patient)
    caller = clinic.person("Eve") if who == "other member" else physio
    expected = 404 if who == "other member" else 403
    assert caller.delete(f"/care/links/{link['id']}").status_code == expected
    assert physio.get(f"/care/patients/{patient.id}/summary").status_code == 200


# --- The authorisation matrix --------------------------------------------------------------

PATIENT_READS = ["/summary", "/entries", "/charts", "/charts?format=svg", "/export/csv",
                 "/export/fhir", "/export/pdf", "/comments", "/assignments"]
PATIENT_WRITES = [("/comments", {"text": "Keep stretching every evening."}),
                  ("/assignments", {"routine": "calf-length",
                                    "start_date": "2030-01-01"}),
                  ("/review", {})]


@pytest.fixture
def matrix(clinic):
    """A physio with a consenting, a never-consented and a revoked patient."""
    physio = clinic.physio()
    people = {name: clinic.person(name) for name in ("consenting", "never", "revoked")}
    for person in people.values():
        person.log(cramp(2), drink(2))
    clinic.link(physio, people["consenting"])
    revoked = clinic.link(physio, people["revoked"])
    people["revoked"].delete(f"/care/links/{revoked['id']}")
    return physio, people


def physio_call(person, patient_id, path, body=None):
    if body is None:
        base, _, params = path.partition("?")
        return person.get(f"/care/patients/{patient_id}{base}",
                          **dict(p.split("=") for p in params.split("&") if p))
    return person.post(f"/care/patients/{patient_id}{path}", body)


ALL_PATIENT_CALLS = [(path, None) for path in PATIENT_READS] + PATIENT_WRITES


# Each matrix test walks every patient endpoint itself: one set of accounts per test keeps
# the password hashing (deliberately slow) from dominating the run.

@pytest.mark.usefixtures("seeded_catalogue")
def test_matrix_physio_reaches_only_consenting_patients(matrix):
    physio, people = matrix
    for path, body in ALL_PATIENT_CALLS:
        ok = physio_call(physio, people["consenting"].id, path, body)
        assert ok.status_code in (200, 201), (path, ok.get_data(as_text=True)[:300])
        for name in ("never", "revoked"):
            refused = physio_call(physio, people[name].id, path, body)
            assert refused.status_code == 404, (path, name)
            assert refused.get_json()["error"] == "Not Found"
        assert physio_call(physio, 999999, path, body).status_code == 404, path


def test_matrix_members_never_reach_patient_endpoints(matrix):
    _, people = matrix
    for path, body in ALL_PATIENT_CALLS:
        for caller in people.values():
            for target in people.values():
                response = physio_call(caller, target.id, path, body)
                assert response.status_code == 403, (caller.user["display_name"], path)


def test_matrix_nobody_signed_out_reaches_patient_endpoints(matrix, client):
    _, people = matrix
    for path, body in ALL_PATIENT_CALLS:
        url = f"/api/v1/care/patients/{people['consenting'].id}{path.partition('?')[0]}"
        response = client.get(url) if body is None else client.post(url, json=body)
        assert response.status_code == 401, path


@pytest.mark.parametrize("method, path, body, member, physio", [
    ("post", "/care/invites", {}, 403, 201),
    ("post", "/care/invites/preview", {"code": "ZZZZZ-ZZZZZ"}, 404, 403),
    ("post", "/care/links", {"code": "ZZZZZ-ZZZZZ"}, 404, 403),
    ("get", "/care/links", None, 200, 200),
    ("delete", "/care/links/999999", None, 404, 403),
    ("get", "/care/patients", None, 403, 200),
    ("get", "/me/audit", None, 200, 200),
    ("get", "/me/export", None, 200, 200),
    ("post", "/sync/push", "push", 200, 403),
    ("post", "/sync/pull", "pull", 200, 200),
])
def test_matrix_roles_on_care_and_diary_endpoints(clinic, method, path, body, member, physio):
    for person, expected in ((clinic.person("Maria"), member), (clinic.physio(), physio)):
        if body in ("push", "pull"):
            device = person.device()
            response = device.push() if body == "push" else device.pull()
        elif method == "get":
            response = person.get(path)
        else:
            response = getattr(person, method)(path, body)
        assert response.status_code == expected, (person.user["role"], path)


def test_matrix_diary_sync_never_crosses_people(matrix, clinic):
    physio, people = matrix
    keys = people["consenting"].log(cramp(1, note="private"))
    for name in ("never", "revoked"):
        changes = people[name].device().pull_all()
        assert keys[0] not in {c["key"] for c in changes}
        assert all(c["entity"] != "entry" or c["data"].get("note") != "private"
                   for c in changes)
    # A physio's own pull carries nobody's diary, consenting or not.
    assert physio.device().pull_all() == []
    # Nor can anyone write into another person's diary by reusing a key.
    thief = people["never"].device().push({"id": 1, "op": "put", "entity": "entry",
                                           "key": keys[0], "base_version": 0, "data": cramp(1)})
    assert thief.get_json()["results"][0]["status"] == "rejected"


def test_matrix_own_export_holds_only_own_data(matrix):
    _, people = matrix
    exported = people["never"].get("/me/export").get_json()
    assert exported["user"]["id"] == people["never"].id
    assert len(exported["entries"]) == 2


# --- The audit log ---------------------------------------------------------------------------

@pytest.mark.usefixtures("seeded_catalogue")
def test_every_physio_read_is_in_the_patients_audit_log(matrix):
    physio, people = matrix
    patient = people["consenting"]
    for path in PATIENT_READS:
        physio_call(physio, patient.id, path)
    physio.get("/care/patients")
    trail = patient.get("/me/audit").get_json()
    actions = [row["action"] for row in trail]
    assert sorted(actions) == sorted(["summary", "entries", "charts", "charts", "export_csv",
                                      "export_fhir", "export_pdf", "comments", "assignments",
                                      "list"])
    assert {row["physio"]["display_name"] for row in trail} == {"Dr Rivera"}
    assert all(row["at"].endswith("+00:00") for row in trail)
    assert actions[0] == "list"  # newest first


def test_refused_reads_leave_no_trace_and_others_logs_stay_empty(matrix):
    physio, people = matrix
    physio_call(physio, people["never"].id, "/summary")
    physio_call(physio, people["revoked"].id, "/entries")
    with db.connection_context():
        assert AuditLog.select().where(AuditLog.patient != people["consenting"].id).count() == 0
    assert people["never"].get("/me/audit").get_json() == []


# --- The ranked patient list -----------------------------------------------------------------

def test_patients_come_most_in_need_first_with_reasons_in_words(clinic):
    physio = clinic.physio()
    calm, intense, flagged, quiet = (clinic.person(n) for n in ("Calm", "Intense", "Flagged",
                                                                 "Quiet"))
    for person in (calm, intense, flagged, quiet):
        clinic.link(physio, person)
    calm.log(cramp(3), drink(1))
    intense.log(*[cramp(d, intensity=8) for d in (1, 2, 3)])
    flagged.log(cramp(2, red_flags=["chest_pain"]))
    rows = physio.get("/care/patients").get_json()
    assert [r["display_name"] for r in rows] == ["Flagged", "Intense", "Quiet", "Calm"]
    by_name = {r["display_name"]: r for r in rows}
    assert by_name["Flagged"]["level"] == "urgent"
    assert by_name["Flagged"]["reasons"][0]["text"] == (
        "1 entry with warning signs since the last review (most serious: get help today)")
    reasons = {r["code"]: r["text"] for r in by_name["Intense"]["reasons"]}
    assert set(reasons) == {"rising_frequency", "high_intensity"}
    assert reasons["high_intensity"] == "3 episodes of intensity 7 or more in the latest two weeks"
    assert by_name["Quiet"]["reasons"][0]["text"] == "Has not synced any diary data yet"
    assert by_name["Calm"]["reasons"] == [] and by_name["Calm"]["score"] == 0
    assert by_name["Calm"]["last_sync_at"] is not None


def test_reviewing_clears_the_warning_signs_seen_so_far(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    clinic.link(physio, patient)
    patient.log(cramp(2, red_flags=["numbness"]))
    assert physio.get("/care/patients").get_json()[0]["level"] == "see_doctor"
    reviewed = physio.post(f"/care/patients/{patient.id}/review").get_json()
    assert reviewed["level"] is None and reviewed["reviewed_at"] is not None
    assert "red_flags" not in [r["code"] for r in reviewed["reasons"]]
    patient.log(cramp(0, red_flags=["numbness"], occurred_at=datetime.datetime.now(
        datetime.timezone.utc).isoformat()))
    assert physio.get("/care/patients").get_json()[0]["level"] == "see_doctor"


def test_a_physio_sees_only_their_own_patients(clinic):
    first, second = clinic.physio("Dr One"), clinic.physio("Dr Two")
    a, b = clinic.person("A"), clinic.person("B")
    clinic.link(first, a)
    clinic.link(second, b)
    assert [p["id"] for p in first.get("/care/patients").get_json()] == [a.id]
    assert first.get(f"/care/patients/{b.id}/summary").status_code == 404


def test_the_default_range_ends_today(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    clinic.link(physio, patient)
    summary = physio.get(f"/care/patients/{patient.id}/summary").get_json()
    assert summary["numbers"]["to"] == today().isoformat()
