"""Printable handouts: every exercise's name and dose on A4, no text box over another."""

import pypdfium2
import pytest

from server.content import index, read_file
from server.handout import dose_text
from server.timeline import effective_dose
from tests.care_helpers import clinic, seeded_catalogue  # noqa: F401
from tests.test_reports import glyph_collisions

API = "/api/v1"
EXERCISES = index(read_file("exercises"))
ROUTINES = index(read_file("routines"))


def pages_text(pdf):
    document = pypdfium2.PdfDocument(pdf)
    sizes = [page.get_size() for page in document]
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return len(document), sizes, " ".join(text.split())


def check(pdf, routine_slugs):
    count, sizes, text = pages_text(pdf)
    assert all(round(w) == 595 and round(h) == 842 for w, h in sizes)  # A4
    for slug in routine_slugs:
        for item in ROUTINES[slug]["items"]:
            exercise = EXERCISES[item["exercise"]]
            assert exercise["name"] in text
            assert dose_text(effective_dose(exercise, item["dose"])) in text
    for page in range(count):
        assert glyph_collisions(pdf, page) == []
    return text


@pytest.mark.parametrize("slug", ["relief-calf", "calf-power", "warmup-dynamic"])
def test_a_routine_handout_has_every_exercise_and_dose(client, seeded_catalogue, slug):  # noqa: F811
    response = client.get(f"{API}/content/routines/{slug}/handout")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    check(response.data, [slug])


def test_a_programme_handout_has_its_week_plan_and_every_phase(client, seeded_catalogue):  # noqa: F811
    response = client.get(f"{API}/content/programmes/calf-cramp-8-weeks/handout")
    text = check(response.data, ["calf-length", "calf-strength", "calf-power", "calf-return"])
    assert "Week plan" in text and "7 to 8" in text


@pytest.mark.parametrize("kind, slug", [("routines", "nope"), ("routines", "a%00b"),
                                        ("programmes", "a%00b"), ("programmes", "x" * 300)])
def test_an_unknown_routine_has_no_handout(client, seeded_catalogue, kind, slug):  # noqa: F811
    response = client.get(f"{API}/content/{kind}/{slug}/handout")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


def test_a_physio_prints_a_composed_routine_naming_no_patient(clinic, seeded_catalogue):  # noqa: F811
    physio, patient, other = clinic.physio(), clinic.person("Avery Quinn"), clinic.person("Blake Moss")
    for person in (patient, other):
        clinic.link(physio, person)
    body = {"composed": {"name": "Avery's calves", "summary": "",
                         "items": [{"exercise": "eccentric-heel-drop", "dose": {"reps": 12}},
                                   {"exercise": "calf-stretch-seated", "dose": {}}]},
            "start_date": "2030-01-01", "sessions_per_week": 3}
    key = physio.post(f"/care/patients/{patient.user['id']}/assignments", body).get_json()["key"]
    response = physio.get(f"/care/patients/{patient.user['id']}/assignments/{key}/handout")
    assert response.status_code == 200
    _, _, text = pages_text(response.data)
    assert "Avery's calves" in text and "12 repetitions" in text and "Seated calf stretch" in text
    assert "Avery Quinn" not in text and "Blake Moss" not in text
    # Another physio's patient, or no such assignment: nothing to print.
    assert physio.get(f"/care/patients/{other.user['id']}/assignments/{key}/handout").status_code == 404
    assert patient.get(f"/care/patients/{patient.user['id']}/assignments/{key}/handout").status_code == 403
    # The patient prints it from their own account; nobody else can.
    own = patient.get(f"/me/assignments/{key}/handout")
    assert own.status_code == 200 and own.mimetype == "application/pdf"
    assert "Avery's calves" in pages_text(own.data)[2]
    assert other.get(f"/me/assignments/{key}/handout").status_code == 404
    assert clinic.client.get(f"{API}/me/assignments/{key}/handout").status_code == 401


def test_a_composed_name_in_markup_or_emoji_prints_as_written(clinic, seeded_catalogue):  # noqa: F811
    physio, patient = clinic.physio(), clinic.person("Avery Quinn")
    clinic.link(physio, patient)
    name = "Calves <b>&amp; </para> \u0394 \U0001f9b5"
    body = {"composed": {"name": name, "summary": "<br/> & more",
                         "items": [{"exercise": "toe-stretch", "dose": {}}]},
            "start_date": "2030-01-01", "sessions_per_week": 3}
    key = physio.post(f"/care/patients/{patient.user['id']}/assignments", body).get_json()["key"]
    response = patient.get(f"/me/assignments/{key}/handout")
    assert response.status_code == 200
    text = pages_text(response.data)[2]
    assert "Calves <b>&amp; </para> \u0394" in text and "<br/> & more" in text


def test_an_assigned_programmes_handout_carries_its_phases_dates(clinic, seeded_catalogue):  # noqa: F811
    physio, patient = clinic.physio(), clinic.person("Avery Quinn")
    clinic.link(physio, patient)
    body = {"programme": "calf-cramp-8-weeks", "start_date": "2030-01-07"}
    key = physio.post(f"/care/patients/{patient.user['id']}/assignments", body).get_json()["key"]
    text = check(patient.get(f"/me/assignments/{key}/handout").data,
                 ["calf-length", "calf-strength", "calf-power", "calf-return"])
    assert "from 2030-01-07" in text and "from 2030-02-18" in text


@pytest.mark.parametrize("dose, words", [
    ({"hold_s": 30, "sets": 3, "per_side": True, "rest_s": 10},
     "Hold 30 s, 3 times, each side, 10 s rest between"),
    ({"hold_s": None, "reps": 12, "sets": 1, "per_side": False, "rest_s": 45}, "12 repetitions, once"),
    ({"hold_s": 30, "until_release": True, "sets": 1, "per_side": False, "rest_s": 0},
     "Hold until it lets go, once"),
    ({"hold_s": 252, "sets": 2, "per_side": False, "rest_s": 90},
     "Hold 4 min 12 s, 2 times, 1 min 30 s rest between"),
])
def test_a_dose_is_said_in_words(dose, words):
    assert dose_text(dose) == words
