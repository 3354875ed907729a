"""The audit log records only what happened: on every route about one patient, a success
writes exactly one row naming the action, and a refused request writes none."""

import logging
import re

import pytest
from marshmallow import ValidationError
from peewee import IntegrityError

from server import care, caseload
from server.db import db
from server.models.accounts import User
from server.models.care import AuditLog, CareLink
from tests.care_helpers import API, clinic, cramp, seeded_catalogue  # noqa: F401

pytestmark = pytest.mark.usefixtures("seeded_catalogue")

PATIENT = API + "/care/patients/<patient_id>"
BAD_RANGE = {"from": "2030-01-02", "to": "2030-01-01"}
NO_KEY = "0badc0de-0000-4000-8000-000000000000"  # shaped like a key, naming nothing
COMMENT = {"text": "Stretch before bed."}
ROUTINE = {"routine": "calf-length", "start_date": "2030-01-01"}

# (method, route after PATIENT): (action, the successful request, refusals beyond consent).
# A request is {"query": ..., "body": ..., "key": ...}; "key" names something made first.
CASES = {
    ("GET", "/summary"): ("summary", {}, [(422, {"query": BAD_RANGE})]),
    ("GET", "/entries"): ("entries", {"query": {"kind": "cramp"}},
                          [(422, {"query": {"page": "0"}}), (422, {"query": {"kind": "x"}})]),
    ("GET", "/charts"): ("charts", {"query": {"format": "svg"}},
                         [(422, {"query": {"format": "pie"}})]),
    ("GET", "/export/csv"): ("export_csv", {}, [(422, {"query": BAD_RANGE})]),
    ("GET", "/export/fhir"): ("export_fhir", {}, [(422, {"query": BAD_RANGE})]),
    ("GET", "/export/pdf"): ("export_pdf", {}, [(422, {"query": BAD_RANGE})]),
    ("POST", "/review"): ("review", {"body": {}}, []),
    ("GET", "/comments"): ("comments", {}, []),
    ("POST", "/comments"): ("comment", {"body": COMMENT}, [
        (422, {"body": {"text": ""}}),
        (422, {"body": dict(COMMENT, entry_key="stranger's entry")})]),
    ("DELETE", "/comments/<key>"): ("uncomment", {"key": "comment"}, [
        (404, {"key": NO_KEY}), (404, {"key": "assignment"})]),
    ("GET", "/assignments"): ("assignments", {}, []),
    ("POST", "/assignments"): ("assign", {"body": ROUTINE}, [
        (422, {"body": {"programme": "no-such-programme", "start_date": "2030-01-01"}}),
        (422, {"body": {"routine": "no-such-routine", "start_date": "2030-01-01"}}),
        (422, {"body": {"start_date": "2030-01-01"}})]),
    ("DELETE", "/assignments/<key>"): ("unassign", {"key": "assignment"}, [
        (404, {"key": NO_KEY}), (404, {"key": "comment"})]),
    ("GET", "/assignments/<key>/handout"): ("handout", {"key": "assignment"}, [
        (404, {"key": NO_KEY}), (404, {"key": "comment"})]),
}


def patient_routes(app):
    """Return {(method, route)} for every route about one patient, as CASES names them."""
    found = set()
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"<\1>", rule.rule)
        if path.startswith(PATIENT + "/"):
            found |= {(method, path.removeprefix(PATIENT))
                      for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


@pytest.fixture
def ward(clinic):
    """A physio with a consenting patient, and a stranger whose diary the physio cannot see."""
    physio, patient, stranger = clinic.physio(), clinic.person("Maria"), clinic.person("Sam")
    patient.log(cramp(1))
    (stranger_key,) = stranger.log(cramp(2))
    clinic.link(physio, patient)
    return physio, patient, stranger, stranger_key


def made(physio, patient, what):
    """Make a comment or an assignment for the patient; return its key."""
    body = COMMENT if what == "comment" else ROUTINE
    response = physio.post(f"/care/patients/{patient.id}/{what}s", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["key"]


def send(physio, patient_id, method, route, request, keys):
    key = request.get("key", "")
    path = route.replace("<key>", keys.get(key, key))
    body = request.get("body")
    if body is not None and "entry_key" in body:
        body = dict(body, entry_key=keys["stranger's entry"])
    return physio.client.open(f"{API}/care/patients/{patient_id}{path}", method=method,
                              headers=physio.headers, query_string=request.get("query"),
                              json=body)


def audit_rows():
    with db.connection_context():
        return list(AuditLog.select().order_by(AuditLog.id))


def test_every_patient_route_has_its_audit_case(app):
    assert patient_routes(app) == set(CASES)


def test_a_success_writes_one_row_and_a_refusal_none_on_every_patient_route(app, ward):
    physio, patient, stranger, stranger_key = ward
    for (method, route), (action, success, refusals) in sorted(CASES.items()):
        keys = {"comment": made(physio, patient, "comment"),
                "assignment": made(physio, patient, "assignment"),
                "stranger's entry": stranger_key}
        before = audit_rows()
        for status, request in [(404, success)] + refusals:
            target = stranger.id if request is success else patient.id
            response = send(physio, target, method, route, request, keys)
            assert response.status_code == status, (method, route, request, response.get_json())
            assert set(response.get_json()) <= {"error", "message", "fields"}
        assert audit_rows() == before, (method, route)
        response = send(physio, patient.id, method, route, success, keys)
        assert response.status_code in (200, 201, 204), (method, route, response.get_json())
        written = audit_rows()[len(before):]
        assert [(row.action, row.patient_id, row.physio_id) for row in written] == [
            (action, patient.id, physio.id)], (method, route)
    assert not any(NO_KEY in row.detail for row in audit_rows())


def test_the_patient_list_logs_each_patient_it_shows(clinic):
    physio = clinic.physio()
    patients = [clinic.person(name) for name in ("Ann", "Bo", "Cy")]
    for patient in patients[:2]:
        clinic.link(physio, patient)
    assert physio.get("/care/patients").status_code == 200
    assert patients[2].get("/care/patients").status_code == 403
    assert sorted((row.action, row.patient_id) for row in audit_rows()) == [
        ("list", patients[0].id), ("list", patients[1].id)]


def audit_inserts(records):
    """Return the INSERT statements into the audit log among peewee's logged queries."""
    return [record.msg[0] for record in records
            if record.name == "peewee" and isinstance(record.msg, tuple)
            and record.msg[0].startswith('INSERT INTO "audit_log"')]


def test_the_patient_list_logs_its_patients_in_one_insert(clinic, caplog):
    physio = clinic.physio()
    patients = [clinic.person(f"Patient {n}") for n in range(12)]
    for patient in patients:
        clinic.link(physio, patient)
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        response = physio.get("/care/patients")
    assert response.status_code == 200 and len(response.get_json()) == 12
    assert len(audit_inserts(caplog.records)) == 1
    assert sorted((row.action, row.patient_id, row.physio_id) for row in audit_rows()) == [
        ("list", patient.id, physio.id) for patient in patients]


def test_a_patient_list_whose_log_fails_writes_no_row(app, clinic):
    physio = clinic.physio()
    for name in ("Ann", "Bo", "Cy"):
        clinic.link(physio, clinic.person(name))

    def ranked_then_gone(who):
        # The read succeeds; then one patient's account is gone, so the foreign key refuses
        # that patient's row after the others were already queued.
        return caseload.ranked(who) + [{"id": 10**6}]

    with db.connection_context():
        with pytest.raises(IntegrityError):
            care.look_over(User.get_by_id(physio.id), ranked_then_gone)
    assert audit_rows() == []


def test_an_action_that_fails_keeps_neither_its_writes_nor_an_audit_row(app, ward):
    physio, patient, _, _ = ward
    with db.connection_context():
        with pytest.raises(ValidationError):
            with care.act(User.get_by_id(physio.id), patient.id, "review") as visit:
                care.mark_reviewed(visit.link)
                raise ValidationError({"note": ["Refused after writing."]})
        assert CareLink.get(CareLink.patient == patient.id).reviewed_at is None
    assert audit_rows() == []
