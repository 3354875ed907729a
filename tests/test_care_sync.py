"""The way back: a physio's comments and assignments reach the patient's devices by pull."""

import datetime

import pytest

from tests.care_helpers import clinic, cramp, seeded_catalogue, session, today  # noqa: F401

pytestmark = pytest.mark.usefixtures("seeded_catalogue")


@pytest.fixture
def pair(clinic):
    physio, patient = clinic.physio("Dr Ana Rivera"), clinic.person("Maria")
    clinic.link(physio, patient)
    return physio, patient


def of(changes, entity):
    return [c for c in changes if c["entity"] == entity]


def comment(physio, patient, **body):
    response = physio.post(f"/care/patients/{patient.id}/comments", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assign(physio, patient, **body):
    body.setdefault("start_date", today().isoformat())
    response = physio.post(f"/care/patients/{patient.id}/assignments", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_comment_on_an_entry_and_one_on_the_patient_arrive_by_pull(pair):
    physio, patient = pair
    phone = patient.device()
    (key,) = patient.log(cramp(1))
    phone.pull_all()
    on_entry = comment(physio, patient, text="That one was long: stretch until it lets go.",
                       entry_key=key)
    general = comment(physio, patient, text="  Well done this week.  ")
    changes = of(phone.pull_all(), "comment")
    assert [c["key"] for c in changes] == [on_entry["key"], general["key"]]
    data = changes[0]["data"]
    assert data["entry_key"] == key and data["author"]["display_name"] == "Dr Ana Rivera"
    assert changes[1]["data"]["text"] == "Well done this week."
    assert changes[1]["data"]["entry_key"] is None and changes[0]["deleted"] is False


def test_a_phone_that_was_offline_gets_everything_on_its_first_pull_after(pair):
    physio, patient = pair
    phone = patient.device()
    phone.pull_all()
    # The phone is offline while the physio writes; it syncs later from its old cursor.
    first = comment(physio, patient, text="Try the evening routine.")
    assigned = assign(physio, patient, routine="evening-calf-hamstring")
    second = comment(physio, patient, text="And drink a glass of water before bed.")
    changes = phone.pull_all()
    assert [(c["entity"], c["key"]) for c in changes] == [
        ("comment", first["key"]), ("assignment", assigned["key"]), ("comment", second["key"])]
    assert phone.pull_all() == []


def test_a_new_device_receives_past_comments_and_assignments(pair):
    physio, patient = pair
    comment(physio, patient, text="Hello")
    assign(physio, patient, programme="calf-cramp-8-weeks")
    changes = patient.device().pull_all()
    assert len(of(changes, "comment")) == 1 and len(of(changes, "assignment")) == 1


def test_a_programme_assignment_carries_its_plan(pair):
    physio, patient = pair
    body = assign(physio, patient, programme="calf-cramp-8-weeks", start_date="2030-03-04",
                  note="Start gently.")
    (change,) = of(patient.device().pull_all(), "assignment")
    data = change["data"]
    assert data == body
    assert data["kind"] == "programme" and data["slug"] == "calf-cramp-8-weeks"
    assert data["title"] == "Recurrent calf cramps: 8 weeks" and data["note"] == "Start gently."
    assert data["plan"][0] == {"routine": "calf-length", "from": "2030-03-04", "to": "2030-03-17",
                               "sessions_per_week": 14}
    assert data["plan"][-1]["to"] == "2030-04-28" and data["routine"] is None


def test_a_catalogue_routine_assignment(pair):
    physio, patient = pair
    body = assign(physio, patient, routine="evening-calf-hamstring", sessions_per_week=5)
    assert body["kind"] == "routine" and body["slug"] == "evening-calf-hamstring"
    assert body["plan"] == [{"routine": "evening-calf-hamstring", "from": today().isoformat(),
                             "to": None, "sessions_per_week": 5}]


def test_a_composed_routine_arrives_with_its_own_doses_and_timeline(pair):
    physio, patient = pair
    body = assign(physio, patient, composed={
        "name": "Maria's evening calves",
        "items": [{"exercise": "calf-stretch-knee-straight",
                   "dose": {"hold_s": 45, "sets": 3, "per_side": True, "rest_s": 20}},
                  {"exercise": "seated-calf-raise", "dose": {"reps": 15, "sets": 2}}]})
    (change,) = of(patient.device().pull_all(), "assignment")
    routine = change["data"]["routine"]
    assert change["data"]["kind"] == "composed" and routine["slug"] == body["slug"]
    assert routine["name"] == "Maria's evening calves" and routine["kind"] == "custom"
    holds = [s for s in routine["timeline"]["steps"] if s["type"] == "hold"]
    assert len(holds) == 6 and {s["duration_s"] for s in holds} == {45}
    reps = [s for s in routine["timeline"]["steps"] if s["type"] == "rep"]
    assert [s["rep"] for s in reps] == [15, 15]
    assert routine["timeline"]["total_s"] == sum(s["duration_s"]
                                                 for s in routine["timeline"]["steps"])
    # Composed routines stay out of the public catalogue.
    listed = patient.get("/content/routines").get_json()["items"]
    assert body["slug"] not in {r["slug"] for r in listed}


def test_sessions_of_a_composed_routine_count_as_adherence(pair):
    physio, patient = pair
    body = assign(physio, patient, composed={
        "name": "Quick", "items": [{"exercise": "toe-stretch", "dose": {"hold_s": 20}}]},
        start_date=(today() - datetime.timedelta(days=7)).isoformat())
    patient.log(session(2, routine=body["slug"]), session(2, routine="calf-length"))
    charts = physio.get(f"/care/patients/{patient.id}/charts").get_json()
    assert sum(w["done"] for w in charts["adherence"]) == 1.0


@pytest.mark.parametrize("body, field", [
    ({"programme": "no-such-programme"}, "programme"),
    ({"routine": "no-such-routine"}, "routine"),
    ({}, "programme"),
    ({"programme": "calf-cramp-8-weeks", "routine": "calf-length"}, "programme"),
    ({"composed": {"name": "X", "items": [{"exercise": "moonwalk", "dose": {}}]}}, "composed"),
    ({"composed": {"name": "X", "items": [{"exercise": "toe-stretch",
                                           "dose": {"hold_s": 20, "reps": 5}}]}}, "composed"),
    ({"composed": {"name": "X", "items": []}}, "composed"),
    ({"routine": "calf-length", "sessions_per_week": 0}, "sessions_per_week"),
])
def test_an_assignment_that_cannot_run_is_refused(pair, body, field):
    physio, patient = pair
    body.setdefault("start_date", "2030-01-01")
    response = physio.post(f"/care/patients/{patient.id}/assignments", body)
    assert response.status_code == 422 and field in response.get_json()["fields"], \
        response.get_json()
    assert of(patient.device().pull_all(), "assignment") == []


@pytest.mark.parametrize("body, field", [
    ({"text": ""}, "text"), ({"text": "   "}, "text"), ({"text": "x" * 2001}, "text"),
    ({"text": "Hi", "entry_key": "not-in-this-diary"}, "entry_key"), ({}, "text"),
])
def test_a_comment_that_cannot_be_sent_is_refused(pair, body, field):
    physio, patient = pair
    response = physio.post(f"/care/patients/{patient.id}/comments", body)
    assert response.status_code == 422 and field in response.get_json()["fields"]


def test_a_comment_cannot_point_at_another_persons_entry(pair, clinic):
    physio, patient = pair
    (other_key,) = clinic.person("Eve").log(cramp(1))
    response = physio.post(f"/care/patients/{patient.id}/comments",
                           {"text": "Hi", "entry_key": other_key})
    assert response.status_code == 422


def test_withdrawing_travels_as_a_tombstone(pair):
    physio, patient = pair
    phone = patient.device()
    note = comment(physio, patient, text="Oops, wrong patient")
    plan = assign(physio, patient, routine="calf-length")
    phone.pull_all()
    assert physio.delete(f"/care/patients/{patient.id}/comments/{note['key']}").status_code == 204
    assert physio.delete(
        f"/care/patients/{patient.id}/assignments/{plan['key']}").status_code == 204
    changes = phone.pull_all()
    assert {(c["entity"], c["key"], c["deleted"], c["data"]) for c in changes} == {
        ("comment", note["key"], True, None), ("assignment", plan["key"], True, None)}
    assert physio.get(f"/care/patients/{patient.id}/comments").get_json() == []
    assert physio.delete(f"/care/patients/{patient.id}/comments/{note['key']}").status_code == 404


def test_only_the_author_can_withdraw(pair, clinic):
    physio, patient = pair
    colleague = clinic.physio("Dr Two")
    clinic.link(colleague, patient)
    note = comment(physio, patient, text="Mine")
    response = colleague.delete(f"/care/patients/{patient.id}/comments/{note['key']}")
    assert response.status_code == 404


def test_comments_reach_only_their_patient(pair, clinic):
    physio, patient = pair
    other = clinic.person("Eve")
    clinic.link(physio, other)
    comment(physio, patient, text="For Maria only")
    assign(physio, patient, routine="calf-length")
    assert of(other.device().pull_all(), "comment") == []
    assert of(other.device().pull_all(), "assignment") == []


def test_revoking_keeps_what_was_sent_but_stops_new_writes(pair):
    physio, patient = pair
    comment(physio, patient, text="Before")
    link_id = patient.get("/care/links").get_json()[0]["id"]
    patient.delete(f"/care/links/{link_id}")
    refused = physio.post(f"/care/patients/{patient.id}/comments", {"text": "After"})
    assert refused.status_code == 404
    texts = [c["data"]["text"] for c in of(patient.device().pull_all(), "comment")]
    assert texts == ["Before"]
