"""The content catalogue: it loads through its schemas, cites its sources and stays in safe doses."""

import json
import re

import pytest
from marshmallow import ValidationError

from schemas.content import MUSCLES, RED_FLAG_CODES
from server.content import content_hash, index, load_catalogue, read_file
from server.timeline import effective_dose

SEEDS = {"000_35450bccd70383ac.txt", "001_6d9e0373da4ecbc4.txt", "002_a7e9490fed3a3739.txt",
         "003_a25a761ed8e68d67.txt", "004_7d7f7e60e9ae7f6f.txt"}
PUBLISHED = {"Miller et al., J Athl Train 2022", "Hallegraeff et al., J Physiother 2012",
             "ACSM Guidelines for Exercise Testing and Prescription", "NICE CKS: Leg cramps",
             "NHS: Leg cramps", "Wagner et al., J Orthop Sports Phys Ther 2010"}
# Published guidance the red-flag rules follow (DOMAIN.md's triage table, and NHS pages on the
# signs it names).
PUBLISHED |= {"NHS: DVT", "NICE CKS: DVT", "NHS: chest pain", "NHS: rhabdomyolysis",
              "NHS: stroke (FAST)", "NHS: when to call 999", "NHS: leg cramps in pregnancy",
              "NHS: pregnancy, stomach pain", "NHS: shortness of breath", "NHS: coughing up blood",
              "NHS: dehydration"}
# Published sources that allow a stretch hold shorter than 20 s (night-cramp and ACSM doses).
SHORT_HOLD_SOURCES = {"Hallegraeff et al., J Physiother 2012",
                      "ACSM Guidelines for Exercise Testing and Prescription"}

# Seconds per hold by exercise kind; relief techniques each have their own range.
HOLD_RANGES = {"stretch": (10, 60), "balance": (20, 60), "mobility": (30, 300)}
RELIEF_RANGES = {"pressure-point": (60, 90), "stand-on-it": (20, 60), "hand-press": (20, 60),
                 "self-massage": (30, 120), "heat-or-cold": (300, 1200)}
REPS, SETS, REST = (5, 20), (1, 4), (0, 90)

MEDICINE = re.compile(r"quinine|magnesium|supplement|vitamin|\bb12\b|tonic|tablet|\bpills?\b|"
                      r"capsule|painkiller|ibuprofen|paracetamol|aspirin|medicine|medication|\bdrugs?\b",
                      re.IGNORECASE)
ASK_DOCTOR = re.compile(r"doctor|pharmacist", re.IGNORECASE)

CATALOGUE = load_catalogue()
EXERCISES = index(CATALOGUE["exercises"])
ROUTINES = index(CATALOGUE["routines"])
ALL_ITEMS = [(name, item) for name in ("exercises", "routines", "programmes", "redflags")
             for item in CATALOGUE[name]]


def item_id(value):
    name, item = value
    return f"{name}:{item.get('slug', item.get('id'))}"


def routine_doses():
    """Yield (routine, exercise, effective dose) for every item of every routine."""
    for routine in CATALOGUE["routines"]:
        for item in routine["items"]:
            exercise = EXERCISES[item["exercise"]]
            yield routine, exercise, effective_dose(exercise, item["dose"])


def strings(value):
    """Yield every string inside a JSON-like value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from strings(inner)


def unsafe_sentences(value):
    """Return sentences that mention a medicine or supplement without sending to a doctor."""
    sentences = (part for text in strings(value) for part in re.split(r"(?<=[.!?])\s+", text))
    return [s for s in sentences if MEDICINE.search(s) and not ASK_DOCTOR.search(s)]


def test_whole_catalogue_loads_through_its_schemas():
    assert len(CATALOGUE["exercises"]) >= 25
    assert len(CATALOGUE["routines"]) >= len(MUSCLES) + 4
    assert {p["slug"] for p in CATALOGUE["programmes"]} == {
        "calf-cramp-8-weeks", "hamstring-cramp-6-weeks", "night-cramp-gentle-6-weeks"}
    assert CATALOGUE["redflags"]


@pytest.mark.parametrize("entry", ALL_ITEMS, ids=item_id)
def test_every_item_cites_a_seed_or_published_source(entry):
    _, item = entry
    assert item["sources"]
    assert set(item["sources"]) <= SEEDS | PUBLISHED


@pytest.mark.parametrize("entry", ALL_ITEMS, ids=item_id)
def test_no_item_recommends_medicine_or_supplements(entry):
    assert unsafe_sentences(entry[1]) == []


@pytest.mark.parametrize("text, flagged", [
    ("Take magnesium before bed.", True),
    ("A glass of tonic water helps.", True),
    ("Quinine is an option.", True),
    ("Ask your doctor whether any of your medicines could play a part.", False),
    ("Stretch the calf gently.", False),
])
def test_medicine_check_catches_advice_without_a_doctor(text, flagged):
    assert bool(unsafe_sentences({"summary": text})) is flagged


@pytest.mark.parametrize("exercise", CATALOGUE["exercises"], ids=lambda e: e["slug"])
def test_exercise_default_dose_is_in_range(exercise):
    dose = exercise["dose"]
    assert_dose_in_range(exercise, dose)
    if exercise["kind"] == "stretch":
        assert dose["hold_s"] == 30
        assert 2 <= dose["sets"] <= 4


@pytest.mark.parametrize("routine, exercise, dose",
                         list(routine_doses()), ids=lambda v: v.get("slug") if "slug" in v else None)
def test_every_routine_dose_is_in_range(routine, exercise, dose):
    assert_dose_in_range(exercise, dose)
    if exercise["kind"] == "stretch" and dose["hold_s"] < 20:
        assert SHORT_HOLD_SOURCES & set(routine["sources"])


def assert_dose_in_range(exercise, dose):
    assert SETS[0] <= dose["sets"] <= SETS[1]
    assert REST[0] <= dose["rest_s"] <= REST[1]
    if dose["reps"] is not None:
        assert exercise["kind"] in ("strength", "mobility")
        assert REPS[0] <= dose["reps"] <= REPS[1]
        return
    if exercise["kind"] == "relief":
        low, high = RELIEF_RANGES[exercise["slug"]]
    else:
        low, high = HOLD_RANGES[exercise["kind"]]
    assert low <= dose["hold_s"] <= high


@pytest.mark.parametrize("muscle", MUSCLES)
def test_every_muscle_has_a_relief_routine_led_by_a_stretch_until_release(muscle):
    routine = ROUTINES[f"relief-{muscle}"]
    assert routine["kind"] == "relief"
    assert muscle in routine["muscles"]
    first = routine["items"][0]
    exercise = EXERCISES[first["exercise"]]
    dose = effective_dose(exercise, first["dose"])
    assert exercise["kind"] == "stretch"
    assert muscle in exercise["muscles"]
    assert dose["until_release"] is True and dose["hold_s"] == 30
    assert dose["sets"] == 1 and dose["per_side"] is False


def test_only_the_first_relief_step_is_until_release():
    for _, exercise, dose in routine_doses():
        if dose["until_release"]:
            assert exercise["kind"] == "stretch"
    leaders = [r["items"][0]["exercise"] for r in CATALOGUE["routines"] if r["kind"] == "relief"]
    assert len(leaders) == len(MUSCLES)


@pytest.mark.parametrize("routine", CATALOGUE["routines"], ids=lambda r: r["slug"])
def test_routine_exercises_exist_and_cover_its_muscles(routine):
    exercises = [EXERCISES[item["exercise"]] for item in routine["items"]]
    covered = {muscle for exercise in exercises for muscle in exercise["muscles"]}
    assert set(routine["muscles"]) <= set(MUSCLES)
    assert set(routine["muscles"]) <= covered


def test_bedside_evening_routine_uses_short_night_holds():
    for item in ROUTINES["evening-calf-hamstring"]["items"]:
        dose = effective_dose(EXERCISES[item["exercise"]], item["dose"])
        assert (dose["hold_s"], dose["sets"], dose["rest_s"]) == (10, 3, 10)
    assert {"calf", "hamstring"} == set(ROUTINES["evening-calf-hamstring"]["muscles"])


def test_morning_routine_holds_calf_and_hamstring_three_times_thirty_seconds():
    routine = ROUTINES["morning-calf-hamstring"]
    for item in routine["items"]:
        dose = effective_dose(EXERCISES[item["exercise"]], item["dose"])
        assert (dose["hold_s"], dose["sets"], dose["per_side"]) == (30, 3, True)


@pytest.mark.parametrize("slug", ["warmup-dynamic", "cooldown-stretch"])
def test_warmup_and_cooldown_exist(slug):
    kind = {"warmup-dynamic": "warmup", "cooldown-stretch": "cooldown"}[slug]
    assert ROUTINES[slug]["kind"] == kind


def test_calf_programme_follows_the_eight_week_plan():
    programme = index(CATALOGUE["programmes"])["calf-cramp-8-weeks"]
    assert [phase["weeks"] for phase in programme["phases"]] == [[1, 2], [3, 4], [5, 6], [7, 8]]
    first = programme["phases"][0]
    assert first["times_per_day"] == 2
    slugs = {item["exercise"] for item in ROUTINES[first["routine"]]["items"]}
    assert {"calf-stretch-knee-straight", "seated-calf-raise"} <= slugs
    later = [{item["exercise"] for item in ROUTINES[phase["routine"]]["items"]}
             for phase in programme["phases"][1:]]
    assert {"standing-calf-raise", "eccentric-heel-drop"} <= later[0]
    assert {"low-hops", "single-leg-balance"} <= later[1]
    assert "eccentric-heel-drop" in later[2]


def test_hamstring_programme_strengthens_the_glutes():
    programme = index(CATALOGUE["programmes"])["hamstring-cramp-6-weeks"]
    kinds = {EXERCISES[item["exercise"]]["kind"]
             for phase in programme["phases"] for item in ROUTINES[phase["routine"]]["items"]
             if "glute" in EXERCISES[item["exercise"]]["muscles"]}
    assert "strength" in kinds


@pytest.mark.parametrize("programme", CATALOGUE["programmes"], ids=lambda p: p["slug"])
def test_programme_phases_name_existing_routines(programme):
    assert all(phase["routine"] in ROUTINES for phase in programme["phases"])


def test_every_red_flag_code_is_checked_by_a_rule():
    used = {code for rule in CATALOGUE["redflags"] if rule["when"]["type"] == "signs"
            for code in rule["when"].get("any", []) + rule["when"].get("all", [])}
    assert used == set(RED_FLAG_CODES)


def write_catalogue(directory, **changes):
    """Write the real catalogue to a directory with some files replaced."""
    for name in ("exercises", "routines", "programmes", "redflags"):
        data = changes.get(name, CATALOGUE[name])
        (directory / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")


def test_loader_reads_files_at_call_time(tmp_path):
    write_catalogue(tmp_path)
    assert load_catalogue(tmp_path) == CATALOGUE
    renamed = [dict(CATALOGUE["exercises"][0], name="Renamed"), *CATALOGUE["exercises"][1:]]
    write_catalogue(tmp_path, exercises=renamed)
    assert load_catalogue(tmp_path)["exercises"][0]["name"] == "Renamed"


def broken(name, change):
    """Return a copy of one catalogue file with its first item changed."""
    items = json.loads(json.dumps(CATALOGUE[name]))
    change(items[0])
    return {name: items}


@pytest.mark.parametrize("changes, where", [
    (broken("exercises", lambda e: e["dose"].update(reps=10)), "exercises"),
    (broken("exercises", lambda e: e.update(muscles=["elbow"])), "exercises"),
    (broken("exercises", lambda e: e.update(sources=[])), "exercises"),
    (broken("exercises", lambda e: e.update(colour="red")), "exercises"),
    (broken("exercises", lambda e: e["dose"].update(hold_s="30")), "exercises"),
    (broken("routines", lambda r: r["items"].append({"exercise": "no-such-exercise"})), "relief-calf"),
    (broken("routines", lambda r: r["items"][0]["dose"].update(sets=3)), "relief-calf"),
    (broken("routines", lambda r: r.update(kind="lunch")), "routines"),
    (broken("programmes", lambda p: p["phases"][1].update(weeks=[4, 4])), "programmes"),
    (broken("programmes", lambda p: p.update(weeks=9)), "programmes"),
    (broken("programmes", lambda p: p["phases"][0].update(routine="no-such-routine")),
     "calf-cramp-8-weeks"),
    (broken("redflags", lambda r: r["when"].update(any=["hiccups"])), "redflags"),
    (broken("redflags", lambda r: r.update(when={"type": "moon_phase"})), "redflags"),
    (broken("redflags", lambda r: r.update(level="critical")), "redflags"),
    ({"exercises": CATALOGUE["exercises"] + CATALOGUE["exercises"][:1]}, "exercises"),
])
def test_loader_rejects_invalid_content(tmp_path, changes, where):
    write_catalogue(tmp_path, **changes)
    with pytest.raises(ValidationError) as error:
        load_catalogue(tmp_path)
    assert where in error.value.messages


def test_read_file_returns_items_in_file_order():
    assert [rule["id"] for rule in read_file("redflags")] == [r["id"] for r in CATALOGUE["redflags"]]


def test_content_hash_is_stable_and_follows_content():
    copy = json.loads(json.dumps(CATALOGUE))
    assert content_hash(copy) == content_hash(CATALOGUE)
    copy["exercises"][0]["name"] = "Renamed"
    assert content_hash(copy) != content_hash(CATALOGUE)
    assert content_hash({"a": 1, "b": 2}) == content_hash({"b": 2, "a": 1})
