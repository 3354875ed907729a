"""Exports: CSV that reads back, a FHIR R4 Bundle the FHIR models accept, a one-page PDF."""

import io
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, strategies as st
from pypdf import PdfReader

from schemas.content import RED_FLAG_CODES as RED_FLAGS
from schemas.entries import CONTEXTS, MUSCLES, SIDES, TRIGGERS, load_entry
from schemas import vocabulary
from server import charts, insights, reports

START, END = date(2024, 3, 1), date(2024, 3, 31)
PATIENT = {"id": 7, "display_name": "Maria Sánchez"}


def key():
    return str(uuid.uuid4())


def cramp(day=5, **extra):
    data = {"kind": "cramp", "occurred_at": f"2024-03-{day:02d}T23:40:00+01:00",
            "muscle": "calf", "side": "left", "intensity": 8, "duration_s": 95,
            "context": "night", "triggers": ["heat", "dehydration"], "reliefs": ["stretch"],
            "red_flags": [], "note": "Woke me up"}
    return {"key": key(), **data, **extra}


def drink(day=5, volume=330):
    return {"key": key(), "kind": "hydration", "occurred_at": f"2024-03-{day:02d}T10:15:00Z",
            "volume_ml": volume, "drink": "electrolyte"}


def routine(day=5):
    return {"key": key(), "kind": "routine", "occurred_at": f"2024-03-{day:02d}T21:00:00-05:00",
            "routine": "calf-evening", "completed_steps": 3, "total_steps": 6, "duration_s": 210}


def note(text="Saw the physio"):
    return {"key": key(), "kind": "note", "occurred_at": "2024-03-05T08:00:00+00:00",
            "text": text}


URGENT = {"level": "urgent", "flags": [{"rule": "long_cramp", "level": "urgent",
                                        "message": "A cramp over ten minutes needs a doctor."}]}


def stored(entry):
    """Return the entry as the server stores it (validated, defaults filled)."""
    return {"key": entry["key"], **load_entry({k: v for k, v in entry.items() if k != "key"})}


@pytest.mark.parametrize("entry", [
    cramp(), cramp(duration_s=None, triggers=[], reliefs=[], note=""), drink(), routine(),
    note(), note("=HYPERLINK(\"http://x\")"), note("'quoted"), note("line one\r\nline, \"two\""),
], ids=["cramp", "cramp-sparse", "hydration", "routine", "note", "formula", "quote",
        "multiline"])
def test_csv_round_trips(entry):
    entries = [stored(entry)]
    assert reports.from_csv(reports.to_csv(entries)) == entries


def test_csv_leaves_the_assessment_to_the_server_but_shows_its_level():
    entry = dict(stored(cramp()), assessment=URGENT)
    text = reports.to_csv([entry])
    assert text.splitlines()[0].split(",")[-1] == "assessment_level"
    assert text.splitlines()[1].endswith(",urgent")
    assert reports.from_csv(text) == [{k: v for k, v in entry.items() if k != "assessment"}]


def test_csv_keeps_spreadsheets_from_running_text_as_a_formula():
    text = reports.to_csv([stored(note("=1+2")), stored(note("@SUM(A1)"))])
    rows = text.splitlines()[1:]
    assert all(",'=" in row or ",'@" in row for row in rows)


def test_csv_has_one_header_and_a_row_per_entry_in_order():
    entries = [stored(e) for e in (cramp(2), drink(3), routine(4), note())]
    lines = reports.to_csv(entries).splitlines()
    assert lines[0].startswith("key,kind,occurred_at,muscle,side,intensity")
    assert [ln.split(",")[0] for ln in lines[1:]] == [e["key"] for e in entries]


@given(st.builds(
    dict, kind=st.just("cramp"),
    occurred_at=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                             timezones=st.sampled_from([timezone.utc,
                                                        timezone(timedelta(hours=-7))]))
    .map(lambda d: d.isoformat()),
    muscle=st.sampled_from(MUSCLES), side=st.sampled_from(SIDES),
    intensity=st.integers(0, 10), duration_s=st.none() | st.integers(0, 86400),
    context=st.sampled_from(CONTEXTS),
    triggers=st.lists(st.sampled_from(TRIGGERS), max_size=4, unique=True),
    reliefs=st.just([]), red_flags=st.lists(st.sampled_from(RED_FLAGS), max_size=3),
    note=st.text(st.characters(exclude_characters="\x00"), max_size=200)))
def test_any_cramp_round_trips_through_csv(data):
    entry = stored({"key": key(), **data})
    assert reports.from_csv(reports.to_csv([entry])) == [entry]


def bundle_of(entries):
    document = reports.fhir_bundle(PATIENT, entries,
                                   now=datetime(2024, 4, 1, 9, tzinfo=timezone.utc))
    return document, Bundle.model_validate(document)


def test_fhir_bundle_parses_with_the_fhir_models():
    entries = [stored(cramp()), dict(stored(cramp(6, red_flags=["numbness"])), assessment=URGENT),
               stored(drink()), stored(routine()), stored(note())]
    document, bundle = bundle_of(entries)
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds == ["Patient", "Observation", "Observation", "Observation"]
    assert bundle.type == "collection"
    assert bundle.entry[0].resource.name[0].text == "Maria Sánchez"
    assert len({e.fullUrl for e in bundle.entry}) == 4


def test_a_cramp_is_an_observation_with_pain_intensity_and_body_site():
    entry = stored(cramp(muscle="hamstring", side="right", intensity=6))
    _, bundle = bundle_of([entry])
    observation = bundle.entry[1].resource
    patient_url = bundle.entry[0].fullUrl
    assert observation.subject.reference == patient_url
    assert observation.code.coding[0].system == "http://snomed.info/sct"
    pain = next(c for c in observation.component if c.code.coding
                and c.code.coding[0].code == "72514-3")
    assert pain.code.coding[0].system == "http://loinc.org" and pain.valueInteger == 6
    assert observation.bodySite.coding[0].code == "68367000"
    assert observation.bodySite.text == "right back of thigh"
    assert observation.effectiveDateTime.isoformat() == "2024-03-05T23:40:00+01:00"
    duration = next(c for c in observation.component if c.code.text.startswith("Duration"))
    assert duration.valueQuantity.value == 95 and duration.valueQuantity.code == "s"


def test_warning_signs_travel_as_a_note_on_the_observation():
    _, bundle = bundle_of([dict(stored(cramp()), assessment=URGENT)])
    notes = [n.text for n in bundle.entry[1].resource.note]
    assert "Woke me up" in notes
    assert "Warning signs (Get help today): A cramp over ten minutes needs a doctor." in notes


def test_the_fhir_export_says_each_code_in_its_label():
    entry = stored(cramp(red_flags=["calf_swollen_warm"], reliefs=["weight_bearing"]))
    _, bundle = bundle_of([entry, stored(drink())])
    said = {c.code.text: c.valueString for r in (bundle.entry[1], bundle.entry[2])
            for c in r.resource.component if c.valueString}
    assert said == {"Context": "At night", "Possible triggers": "Hot weather, Not drinking enough",
                    "What helped": "Stood on it",
                    "Warning signs reported": "One calf or leg swollen, warm, tender or red",
                    "Drink": "Electrolyte drink"}


def test_the_pdf_and_the_charts_say_muscles_and_levels_in_their_labels():
    entries = [stored(cramp(muscle="quadriceps")), dict(stored(cramp()), assessment=URGENT),
               stored(cramp(red_flags=["dark_urine"]))]
    _, text = pdf_text(reports.pdf_summary(PATIENT, entries, START, END))
    assert "[Get help today]" in text and "Front of thigh" in text
    assert "Warning signs ticked: Dark brown or cola-coloured urine" in text
    drawn = charts.render(insights.charts(entries, START, END, today=END))
    assert ">Front of thigh<" in drawn["by_muscle"] and ">At night<" in drawn["by_context"]
    assert ">quadriceps<" not in drawn["by_muscle"]


def test_a_drink_is_a_fluid_intake_observation_in_millilitres():
    _, bundle = bundle_of([stored(drink(volume=450))])
    observation = bundle.entry[1].resource
    assert observation.code.coding[0].code == "9000-1"
    assert observation.valueQuantity.value == 450
    assert observation.valueQuantity.system == "http://unitsofmeasure.org"
    assert observation.valueQuantity.code == "mL"


@pytest.mark.parametrize("muscle", MUSCLES)
def test_every_muscle_maps_to_a_valid_body_site(muscle):
    _, bundle = bundle_of([stored(cramp(muscle=muscle, side="both"))])
    site = bundle.entry[1].resource.bodySite
    assert site.text == f"{vocabulary.MUSCLES[muscle].lower()}, both sides"
    assert (site.coding is None) == (muscle == "other")


def test_an_empty_diary_is_a_bundle_with_the_patient_alone():
    _, bundle = bundle_of([])
    assert [e.resource.get_resource_type() for e in bundle.entry] == ["Patient"]


def pdf_text(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def month_of_entries(flags=3):
    entries = [stored(cramp(1 + n % 28, intensity=n % 11)) for n in range(30)]
    entries += [dict(stored(cramp(1 + n % 28)), assessment=URGENT) for n in range(flags)]
    entries += [stored(drink(1 + n % 28)) for n in range(40)] + [stored(routine())]
    return entries


def test_pdf_summary_is_one_page_naming_the_patient_and_range():
    plan = {"title": "Evening calf stretch", "start_date": date(2024, 3, 15),
            "routines": ["calf-evening"], "sessions_per_week": 7}
    pdf = reports.pdf_summary(PATIENT, month_of_entries(), START, END, assignments=[plan])
    reader, text = pdf_text(pdf)
    assert len(reader.pages) == 1
    assert "Maria Sánchez" in text
    assert "2024-03-01 to 2024-03-31" in text
    assert "Warning signs in this period: 3" in text
    assert "Evening calf stretch" in text and "Episodes per week" in text


def test_pdf_summary_stays_on_one_page_with_many_warning_signs():
    reader, text = pdf_text(reports.pdf_summary(PATIENT, month_of_entries(flags=200), START, END))
    assert len(reader.pages) == 1
    assert "more in the full export" in text


def test_pdf_summary_of_an_empty_period():
    reader, text = pdf_text(reports.pdf_summary(PATIENT, [], START, END))
    assert len(reader.pages) == 1 and "Warning signs in this period: none" in text


def quarter_of_entries(first_day=0):
    """A quarter of diary from `first_day` on: a drink every day, a cramp of every muscle of 252 s."""
    start = date(2024, 1, 1)
    entries = [stored(dict(drink(volume=1500),
                           occurred_at=f"{start + timedelta(days=n)}T09:00:00+01:00"))
               for n in range(first_day, 91)]
    entries += [stored(cramp(1, occurred_at=f"{start + timedelta(days=first_day + n)}T23:00:00+01:00",
                             muscle=muscle, duration_s=252)) for n, muscle in enumerate(MUSCLES)]
    return start, date(2024, 3, 31), entries


def glyph_collisions(pdf, page_index=0):
    """Render the page to PNG and return the pairs of strings whose glyphs overlap.

    Each string drawn is one PDF text object; a glyph's box is shrunk by a fifth, so letters
    that merely touch never count, and a string's own glyphs are never compared.
    """
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    page = pypdfium2.PdfDocument(pdf)[page_index]
    image = page.render(scale=1).to_pil().convert("L")
    assert image.getextrema()[0] < 128  # something was drawn
    text = page.get_textpage()
    strings = {}
    for index in range(text.count_chars()):
        char = text.get_text_range(index, 1)
        owner = pdfium_c.FPDFText_GetTextObject(text, index)
        if char.isspace() or not owner:
            continue
        left, bottom, right, top = text.get_charbox(index)
        dx, dy = (right - left) / 10, (top - bottom) / 10
        glyphs = strings.setdefault(ctypes.addressof(owner.contents), [])
        glyphs.append((char, (left + dx, bottom + dy, right - dx, top - dy)))
    runs = list(strings.values())
    clash = []
    for i, one in enumerate(runs):
        for other in runs[i + 1:]:
            if any(a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
                   for _, a in one for _, b in other):
                clash.append(("".join(c for c, _ in one), "".join(c for c, _ in other)))
    return clash


def test_no_label_of_the_pdf_overlaps_another_on_a_quarter_with_every_muscle():
    start, end, entries = quarter_of_entries()
    pdf = reports.pdf_summary(PATIENT, entries, start, end, today=end)
    assert glyph_collisions(pdf) == []
    _, text = pdf_text(pdf)
    assert "Drinks per week in ml" in text and "Back of thigh" in text


def test_the_pdf_counts_target_days_from_the_first_entry_and_says_lengths_as_the_screen_does():
    start, end, entries = quarter_of_entries(first_day=60)
    _, text = pdf_text(reports.pdf_summary(PATIENT, entries, start, end, today=end))
    assert "daily target met on 31 of 31 days since the first entry" in text
    assert "mean length 4 min 12 s" in text
    _, text = pdf_text(reports.pdf_summary(PATIENT, [], start, end, today=end))
    assert "no day of the diary in this period yet" in text


@pytest.mark.parametrize("seconds, said", [(0, "0 s"), (45, "45 s"), (60, "1 min"),
                                           (252, "4 min 12 s"), (600, "10 min")])
def test_lengths_are_said_as_the_app_says_them(seconds, said):
    assert vocabulary.duration_text(seconds) == said


def test_warnings_are_grouped_by_rule_for_the_physio_with_counts_and_dates():
    sleep = {"level": "see_doctor", "flags": [
        {"rule": "sleep-disturbed", "level": "see_doctor", "message": "Cramps are waking you."}]}
    entries = [dict(stored(cramp(day)), assessment=sleep) for day in range(1, 13)]
    long_one = {"level": "urgent", "flags": [
        {"rule": "long-episode", "level": "urgent", "message": "A long cramp."}]}
    entries += [dict(stored(cramp(20)), assessment=long_one),
                stored(cramp(21, red_flags=["numbness"]))]
    groups = reports.warning_groups(reports.flagged(entries))
    assert [(g["title"], g["level"], g["count"]) for g in groups] == [
        ("Cramp over 10 minutes", "urgent", 1),
        ("Cramps disturbing sleep", "see_doctor", 12),
        ("Warning signs ticked, not yet judged by a rule", "see_doctor", 1)]
    assert groups[1]["dates"] == [f"2024-03-{day:02d}" for day in range(12, 0, -1)]
