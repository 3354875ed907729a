"""A consenting patient's data as the physio reads it: entry pages, summary, charts, exports."""

import datetime
import io
import xml.etree.ElementTree as ET

import pytest
import schemathesis
from fhir.resources.R4B.bundle import Bundle
from hypothesis import HealthCheck, given, settings
from pypdf import PdfReader

from schemas import vocabulary
from server import reports
from tests.care_helpers import clinic, cramp, drink, seeded_catalogue, session, today  # noqa: F401


@pytest.fixture
def patient_diary(clinic):
    """A physio and a consenting patient with a few weeks of diary."""
    physio, patient = clinic.physio(), clinic.person("Maria Sánchez")
    clinic.link(physio, patient)
    keys = patient.log(cramp(1, intensity=8, muscle="hamstring", context="exercise"),
                       cramp(3, red_flags=["numbness"]), cramp(10), cramp(100),
                       drink(1, 700), drink(2, 400), session(2), {
                           "kind": "note", "occurred_at": cramp(5)["occurred_at"],
                           "text": "=cmd|' /C calc'!A0"})
    return physio, patient, keys


def page(physio, patient, **params):
    response = physio.get(f"/care/patients/{patient.id}/entries", **params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_entries_come_newest_first_a_page_at_a_time(patient_diary):
    physio, patient, keys = patient_diary
    first = page(physio, patient, per_page=3)
    assert first["total"] == 7 and first["has_more"] is True and len(first["items"]) == 3
    moments = [item["occurred_at"] for item in first["items"]]
    assert moments == sorted(moments, reverse=True)
    rest = page(physio, patient, per_page=3, page=2)["items"] + page(
        physio, patient, per_page=3, page=3)["items"]
    seen = [item["key"] for item in first["items"] + rest]
    assert sorted(seen) == sorted(keys[:3] + keys[4:])
    assert page(physio, patient, per_page=3, page=4)["items"] == []


def test_entries_filter_by_kind_and_dates(patient_diary):
    physio, patient, keys = patient_diary
    cramps = page(physio, patient, kind="cramp")
    assert [item["data"]["kind"] for item in cramps["items"]] == ["cramp"] * 3
    flagged = next(i for i in cramps["items"] if i["key"] == keys[1])
    assert flagged["assessment"]["level"] == "see_doctor"
    start = (today() - datetime.timedelta(days=3)).isoformat()
    recent = page(physio, patient, **{"from": start})
    assert {item["key"] for item in recent["items"]} == {keys[0], keys[1], keys[4], keys[5],
                                                         keys[6]}
    window = {"from": (today() - datetime.timedelta(days=120)).isoformat(),
              "to": (today() - datetime.timedelta(days=30)).isoformat()}
    assert [item["key"] for item in page(physio, patient, **window)["items"]] == [keys[3]]


@pytest.mark.parametrize("params, field", [
    ({"kind": "dance"}, "kind"), ({"from": "yesterday"}, "from"), ({"page": "0"}, "page"),
    ({"per_page": "1000"}, "per_page"), ({"colour": "red"}, "colour"),
    ({"from": "2024-03-02", "to": "2024-03-01"}, "from"),
    ({"from": "2020-01-01", "to": "2024-01-01"}, "from"),
])
def test_bad_queries_are_refused_with_the_field_named(patient_diary, params, field):
    physio, patient, _ = patient_diary
    response = physio.get(f"/care/patients/{patient.id}/entries", **params)
    assert response.status_code == 422 and field in response.get_json()["fields"]


def test_summary_gives_numbers_and_warning_signs(patient_diary):
    physio, patient, keys = patient_diary
    summary = physio.get(f"/care/patients/{patient.id}/summary").get_json()
    assert summary["patient"]["display_name"] == "Maria Sánchez"
    numbers = summary["numbers"]
    assert numbers["episodes"] == 3 and numbers["high_intensity"] == 1
    assert numbers["volume_ml"] == 1100 and numbers["routines"] == 1
    assert [w["key"] for w in summary["warning_signs"]] == [keys[1]]
    assert summary["warning_signs"][0]["level"] == "see_doctor"


@pytest.mark.usefixtures("seeded_catalogue")
def test_before_and_after_a_programme_in_the_summary(clinic):
    physio, patient = clinic.physio(), clinic.person("Ann")
    clinic.link(physio, patient)
    start = today() - datetime.timedelta(days=20)
    # Four a week in the two weeks before the start; one a week in the latest two weeks.
    patient.log(*[cramp(21 + n) for n in range(8)], cramp(2), cramp(9))
    physio.post(f"/care/patients/{patient.id}/assignments",
                {"programme": "calf-cramp-8-weeks", "start_date": start.isoformat()})
    outcome = physio.get(f"/care/patients/{patient.id}/summary").get_json()["before_after"][0]
    assert outcome["before"]["per_week"] == 4.0 and outcome["after"]["per_week"] == 1.0
    assert outcome["change_pct"] == -75
    assert outcome["text"].startswith("Episodes per week fell by 75%")


def test_charts_as_data_and_as_svg(patient_diary):
    physio, patient, _ = patient_diary
    data = physio.get(f"/care/patients/{patient.id}/charts").get_json()
    assert sum(w["episodes"] for w in data["episodes_per_week"]) == 3
    assert {m["value"] for m in data["by_muscle"]} == {"calf", "hamstring"}
    assert len(data["hydration"]) == 91
    assert sum(d["volume_ml"] for d in data["hydration"]) == 1100
    drawn = physio.get(f"/care/patients/{patient.id}/charts", format="svg").get_json()
    assert set(drawn["charts"]) == {"episodes_per_week", "by_muscle", "by_context",
                                    "night_vs_exercise", "hydration", "adherence"}
    for svg in drawn["charts"].values():
        assert ET.fromstring(svg).get("role") == "img"


def test_hydration_uses_the_patients_own_target(patient_diary):
    physio, patient, _ = patient_diary
    device = patient.device()
    device.push({"id": 1, "op": "put", "entity": "settings", "key": "hydration",
                 "base_version": 0, "data": {"baseline_ml": 2000}})
    days = physio.get(f"/care/patients/{patient.id}/charts").get_json()["hydration"]
    # The patient's baseline, plus their own exercise allowance on the days they trained.
    assert min(d["target_ml"] for d in days) == 2000
    assert days[-3]["target_ml"] > 2000


def test_csv_export_round_trips_the_diary(patient_diary):
    physio, patient, _ = patient_diary
    response = physio.get(f"/care/patients/{patient.id}/export/csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = reports.from_csv(response.get_data(as_text=True))
    exported = patient.get("/me/export").get_json()["entries"]
    within = [{k: v for k, v in e.items() if k != "assessment"} for e in exported
              if e["key"] in {r["key"] for r in rows}]
    assert sorted(rows, key=lambda r: r["key"]) == sorted(within, key=lambda r: r["key"])
    assert len(rows) == 7
    assert "'=cmd" in response.get_data(as_text=True)


def test_fhir_export_parses_with_the_fhir_models(patient_diary):
    physio, patient, _ = patient_diary
    response = physio.get(f"/care/patients/{patient.id}/export/fhir")
    assert response.status_code == 200 and response.mimetype == "application/fhir+json"
    bundle = Bundle.model_validate_json(response.get_data())
    types = [e.resource.get_resource_type() for e in bundle.entry]
    assert types.count("Patient") == 1 and types.count("Observation") == 5
    assert bundle.entry[0].resource.name[0].text == "Maria Sánchez"


def test_pdf_export_is_one_page_naming_the_patient_and_range(patient_diary):
    physio, patient, _ = patient_diary
    start, end = (today() - datetime.timedelta(days=60)).isoformat(), today().isoformat()
    response = physio.get(f"/care/patients/{patient.id}/export/pdf", **{"from": start,
                                                                         "to": end})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.get_data()))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1
    assert "Maria Sánchez" in text and f"{start} to {end}" in text


def test_pdf_and_fhir_exports_name_the_concern_the_person_never_sees(clinic):
    physio, patient = clinic.physio(), clinic.person("Ann")
    clinic.link(physio, patient)
    patient.log(cramp(1, red_flags=["calf_swollen_warm"]), cramp(2, red_flags=["numbness"]))
    pdf = physio.get(f"/care/patients/{patient.id}/export/pdf").get_data()
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Concern: possible DVT signs. One calf or leg" in text
    assert "Concern: numbness, swelling or skin changes. Numbness" in text
    bundle = physio.get(f"/care/patients/{patient.id}/export/fhir").get_json()
    notes = [note["text"] for e in bundle["entry"] for note in e["resource"].get("note", ())]
    urgent = vocabulary.label(vocabulary.LEVELS, "urgent")
    assert any(n.startswith(f"Warning signs ({urgent}): Concern: possible DVT signs. One calf")
               for n in notes), notes
    assert "DVT" not in str(patient.get("/me/export").get_json())


@pytest.mark.parametrize("params", [{"from": "0001-01-01", "to": "0001-01-03"},
                                    {"to": "9999-12-31", "from": "9999-12-01"}])
def test_dates_at_the_ends_of_the_calendar_are_refused_not_crashed(patient_diary, params):
    physio, patient, _ = patient_diary
    for path in ("/entries", "/summary", "/charts", "/export/pdf"):
        response = physio.get(f"/care/patients/{patient.id}{path}", **params)
        assert response.status_code == 422, path


def test_physio_endpoints_never_fail_on_any_input(patient_diary, app):
    physio, patient, _ = patient_diary
    schema = schemathesis.openapi.from_wsgi("/api/v1/swagger.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if "/care/" not in operation.path:
            continue

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)
        def check(case):
            if "patient_id" in (case.path_parameters or {}):
                case.path_parameters["patient_id"] = patient.id
            case.headers = dict(case.headers or {}, **physio.headers)
            response = case.call()
            assert response.status_code < 500, (case.method, case.path, response.text[:300])

        check()
        checked.append(operation.path)
    assert any("export/pdf" in path for path in checked)
