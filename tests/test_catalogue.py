"""The content catalogue: it loads through its schemas, cites its sources and stays in safe doses."""

import json
import re
from pathlib import Path

import pytest
from marshmallow import ValidationError

from schemas.content import (MUSCLES, PREGNANCY_HOPS, PREGNANCY_SUPINE, RED_FLAG_CODES, UPRIGHT,
                             check_dose_bounds)
from server.content import content_hash, index, load_catalogue, read_file
from server.timeline import effective_dose

SEEDS = {"000_35450bccd70383ac.txt", "001_6d9e0373da4ecbc4.txt", "002_a7e9490fed3a3739.txt",
         "003_a25a761ed8e68d67.txt", "004_7d7f7e60e9ae7f6f.txt"}
PUBLISHED = {"Miller et al., J Athl Train 2022", "Hallegraeff et al., J Physiother 2012",
             "ACSM Guidelines for Exercise Testing and Prescription", "NICE CKS: Leg cramps",
             "NHS: Leg cramps", "Wagner et al., J Orthop Sports Phys Ther 2010",
             "NHS: Exercise in pregnancy", "ACOG Committee Opinion 804, 2020",
             "Silbernagel et al., Am J Sports Med 2007", "Hébert-Losier et al., J Sci Med Sport 2009"}
# Published guidance the red-flag rules follow (DOMAIN.md's triage table, and NHS pages on the
# signs it names).
PUBLISHED |= {"NHS: DVT", "NICE CKS: DVT", "NHS: chest pain", "NHS: rhabdomyolysis",
              "NHS: stroke (FAST)", "NHS: when to call 999", "NHS: leg cramps in pregnancy",
              "NHS: pregnancy, stomach pain", "NHS: shortness of breath", "NHS: coughing up blood",
              "NHS: dehydration", "Hew-Butler et al., Clin J Sport Med 2015"}
# Published sources that allow a stretch hold shorter than 20 s (night-cramp and ACSM doses).
SHORT_HOLD_SOURCES = {"Hallegraeff et al., J Physiother 2012",
                      "ACSM Guidelines for Exercise Testing and Prescription"}

# Seconds per hold by exercise kind; relief techniques each have their own range.
HOLD_RANGES = {"stretch": (10, 60), "balance": (20, 60), "mobility": (30, 300)}
RELIEF_RANGES = {"pressure-point": (60, 90), "stand-on-it": (20, 60), "hand-press": (20, 60),
                 "self-massage": (30, 120), "heat-or-cold": (300, 1200)}
REPS, SETS, REST = (5, 20), (1, 4), (0, 90)

# The seed articles the catalogue cites by file name (tests/seeds/). A seed supports an item only
# where it names the item's muscle, or, for an item that is a technique rather than a muscle's
# stretch, where it names the technique (CLAIMS). Each article's own body is read; a page's
# footer of related posts is not the article.
SEED_DIR = Path(__file__).parent / "seeds"
MUSCLE_WORDS = {
    "calf": ["calf", "calves", "gastroc"], "foot": ["foot", "feet", "toes"],
    "hamstring": ["hamstring"], "quadriceps": ["quadriceps", "thigh"], "hip": ["hip"],
    "glute": ["glute", "buttock"], "hand": ["hand"], "forearm": ["forearm", "wrist", "arm"],
    "neck": ["neck"], "back": ["lower back", "back muscle", "spine"],
    "abdomen": ["abdom", "belly", "stomach"], "other": ["muscle"],
}
CLAIMS = {
    "gentle-lengthen": ["stretch"], "pressure-point": ["pressure"], "self-massage": ["massage"],
    "heat-or-cold": ["heat", "ice", "hot"], "gentle-movement": ["walking", "mobility", "hydrat"],
    "ankle-circles": ["warm up"], "heel-toe-rocks": ["warm up"], "leg-swings": ["warm up"],
    "high-knee-march": ["warm up"], "walking-lunges": ["warm up"], "warmup-dynamic": ["warm up"],
}

MEDICINE = re.compile(r"quinine|magnesium|supplement|vitamin|\bb12\b|tonic|tablet|\bpills?\b|"
                      r"capsule|painkiller|ibuprofen|paracetamol|aspirin|medicine|medication|\bdrugs?\b",
                      re.IGNORECASE)
ASK_DOCTOR = re.compile(r"doctor|pharmacist", re.IGNORECASE)
# A page may warn against a medicine; a sentence that says not to is no recommendation.
ADVISE_AGAINST = re.compile(r"\b(do not|never)\b", re.IGNORECASE)

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


def seed_text(name):
    """Return a seed article's body, without the related posts that follow it."""
    return (SEED_DIR / name).read_text(encoding="utf-8").split("Related Posts")[0].lower()


def item_muscles(name, item):
    """Return the muscles an item is about (a programme: those of its phases' routines)."""
    if name == "programmes":
        return {m for phase in item["phases"] for m in ROUTINES[phase["routine"]]["muscles"]}
    return set(item["muscles"])


def claim_words(name, item):
    """Return the words a seed must contain to support this item."""
    return CLAIMS.get(item["slug"]) or [w for m in item_muscles(name, item) for w in MUSCLE_WORDS[m]]


def unsupported_seeds(name, item):
    """Return the seeds an item cites that name neither its muscles nor its technique."""
    words = claim_words(name, item)
    return [source for source in item["sources"] if source in SEEDS
            and not any(re.search(rf"\b{re.escape(word)}", seed_text(source)) for word in words)]


CITED = [(name, item) for name in ("exercises", "routines", "programmes") for item in CATALOGUE[name]]


@pytest.mark.parametrize("entry", CITED, ids=item_id)
def test_every_seed_an_item_cites_names_its_muscle_or_technique(entry):
    assert unsupported_seeds(*entry) == []


def test_the_seed_check_refuses_a_seed_that_never_names_the_muscle():
    neck = dict(EXERCISES["neck-side-stretch"], sources=["001_6d9e0373da4ecbc4.txt"])
    assert unsupported_seeds("exercises", neck) == ["001_6d9e0373da4ecbc4.txt"]
    calf = dict(EXERCISES["calf-stretch-seated"], sources=["002_a7e9490fed3a3739.txt"])
    assert unsupported_seeds("exercises", calf) == []


# What a seed must name to support a red-flag rule: one of the signs the rule reads, or, for a
# rule about something other than ticked signs, what the rule is about (by its condition type).
SIGN_WORDS = {
    "weakness": ["weakness"], "muscle_wasting": ["wasting", "shrink"],
    "numbness": ["numb", "sensory loss", "pins and needles"], "swelling": ["swelling"],
    "swollen_hands": ["swollen hand", "swelling of the hand"], "skin_changes": ["skin"],
    "calf_swollen_warm": ["swollen calf", "swollen leg"], "severe_pain": ["significant pain", "severe pain"],
    "night_pain": ["night pain"], "chest_pain": ["chest"], "breathlessness": ["breathless"],
    "coughing_blood": ["coughing blood", "coughing up blood"], "fever": ["fever", "systemic"],
    "unwell": ["unwell", "systemic"], "headache": ["headache"], "dizziness": ["dizz", "faint"],
    "collapse": ["collapse", "faint"], "leg_gave_way": ["gave way", "give way"],
    "nausea": ["nause", "vomit"], "dark_urine": ["dark urine"], "little_urine": ["little urine"],
    "confusion": ["confus"], "one_side_weakness": ["one side"], "face_drooping": ["face"],
    "slurred_speech": ["speech"], "after_injury": ["after injury", "after an injury"],
    "neurological_event": ["stroke", "spinal", "neurolog"], "soil_wound": ["tetanus", "soil"],
    "drank_a_lot": ["drinking too much", "overdrinking"],
}
TYPE_WORDS = {
    "new_prescription": ["medication", "statin", "diuretic"], "duration_over": ["long"],
    "nights": ["disturbing sleep", "disturb sleep"], "rising": ["frequen"],
    "severe_run": ["frequen"], "active_days": ["frequen", "persistent", "recurrent", "go away"],
}


def rule_words(rule):
    """Return the words a seed must contain (one is enough) to support a red-flag rule."""
    when = rule["when"]
    if when["type"] != "signs":
        return TYPE_WORDS[when["type"]]
    codes = when.get("any", []) + when.get("all", [])
    words = [word for code in codes for word in SIGN_WORDS[code]]
    return words + (["pregnan"] if when.get("pregnant") else [])


def seeds_not_naming_the_signs(rule):
    """Return the seeds a red-flag rule cites that name none of its signs."""
    words = rule_words(rule)
    return [source for source in rule["sources"] if source in SEEDS
            and not any(re.search(rf"\b{re.escape(word)}", seed_text(source)) for word in words)]


@pytest.mark.parametrize("rule", CATALOGUE["redflags"], ids=lambda rule: rule["id"])
def test_every_seed_a_rule_cites_names_its_signs(rule):
    assert seeds_not_naming_the_signs(rule) == []


def test_every_red_flag_code_has_words_to_look_for_in_a_seed():
    assert set(SIGN_WORDS) == set(RED_FLAG_CODES)


def test_the_rule_seed_check_refuses_a_seed_that_never_names_the_sign():
    rules = {rule["id"]: rule for rule in CATALOGUE["redflags"]}
    dizzy = dict(rules["unwell-signs-at-rest"], sources=["001_6d9e0373da4ecbc4.txt"])
    assert seeds_not_naming_the_signs(dizzy) == ["001_6d9e0373da4ecbc4.txt"]
    chest = dict(rules["chest-pain"], sources=["001_6d9e0373da4ecbc4.txt", "003_a25a761ed8e68d67.txt"])
    assert seeds_not_naming_the_signs(chest) == ["003_a25a761ed8e68d67.txt"]


def test_seed_files_are_the_ones_the_catalogue_names():
    assert {path.name for path in SEED_DIR.glob("*.txt")} == SEEDS


def test_whole_catalogue_loads_through_its_schemas():
    assert {page["slug"] for page in CATALOGUE["pages"]} == {"about-cramps", "stop-rules"}
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
    for name in ("exercises", "routines", "programmes", "pages", "redflags"):
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


PAGES = {page["slug"]: page for page in CATALOGUE["pages"]}
SECTIONS = [(page["slug"], section) for page in CATALOGUE["pages"] for section in page["sections"]]


@pytest.mark.parametrize("entry", SECTIONS, ids=lambda e: f"{e[0]}:{e[1]['heading']}")
def test_every_page_section_cites_its_sources_and_recommends_no_medicine(entry):
    _, section = entry
    assert section["sources"] and set(section["sources"]) <= SEEDS | PUBLISHED
    sentences = [s for text in section["text"] for s in re.split(r"(?<=[.!?])\s+", text)]
    assert [s for s in sentences if MEDICINE.search(s) and not ASK_DOCTOR.search(s)
            and not ADVISE_AGAINST.search(s)] == []


def page_text(slug):
    return " ".join(text for section in PAGES[slug]["sections"] for text in section["text"]).lower()


@pytest.mark.parametrize("words", [
    ("on its own", "let go"),                          # what a cramp is
    ("few seconds", "10 minutes"),                     # how long it lasts
    ("painkillers do not help",),                      # why painkillers do not help
    ("quinine", "tonic water", "do not"),              # never quinine or tonic water
    ("pickle juice", "less than 100 ml", "salt"),      # pickle juice with a salt caution
    ("coffee", "alcohol"),
    ("drink to thirst", "disputed", "far beyond thirst"),  # honest about fluids, and the ceiling
    ("supplements", "only if your doctor"),
])
def test_about_page_covers_what_a_physio_expects(words):
    text = page_text("about-cramps")
    assert all(word in text for word in words)


def test_stop_rules_name_every_reason_to_stop():
    text = page_text("stop-rules")
    for sign in ("chest pain", "breathless", "dizzy", "joint hurts sharply"):
        assert sign in text


@pytest.mark.parametrize("exercise", CATALOGUE["exercises"], ids=lambda e: e["slug"])
def test_supine_and_hopping_exercises_carry_the_pregnancy_caution(exercise):
    steps = " ".join(exercise["steps"]).lower()
    # The declarations match what the steps ask for.
    assert ("lie on your back" in steps) == (exercise["position"] == "lying_back")
    assert bool(re.search(r"\b(hop|jump)", steps + exercise["name"].lower())) == exercise["impact"]
    assert (PREGNANCY_SUPINE in exercise["cautions"]) == (exercise["position"] == "lying_back")
    assert (PREGNANCY_HOPS in exercise["cautions"]) == exercise["impact"]


def test_every_upright_stretch_in_a_relief_routine_has_a_seated_or_lying_option():
    upright = [EXERCISES[item["exercise"]] for routine in CATALOGUE["routines"] if routine["kind"] == "relief"
               for item in routine["items"] if EXERCISES[item["exercise"]]["kind"] in ("stretch", "relief")
               and EXERCISES[item["exercise"]]["position"] in UPRIGHT]
    assert {e["slug"] for e in upright} >= {"quadriceps-stretch", "hip-flexor-stretch", "stand-on-it"}
    for exercise in upright:
        assert re.match(r"(Sitting|Lying|Cannot)", exercise["alternative"])


def test_the_calf_cramp_stretch_pulls_the_toes_up_actively():
    steps = " ".join(EXERCISES["calf-stretch-seated"]["steps"])
    assert "Pull your toes up" in steps and "front of the leg" in steps
    assert ROUTINES["relief-calf"]["items"][0]["exercise"] == "calf-stretch-seated"


@pytest.mark.parametrize("programme", CATALOGUE["programmes"], ids=lambda p: p["slug"])
def test_programmes_say_when_to_move_on_and_when_to_step_back(programme):
    progress = programme["progress"]
    assert progress["pain_max"] == 3
    assert "3 out of 10" in progress["move_on"] and "next morning" in progress["move_on"]
    assert "go back" in progress["step_back"]
    assert "Silbernagel et al., Am J Sports Med 2007" in programme["sources"]
    for phase in programme["phases"]:
        hops = any(EXERCISES[item["exercise"]]["impact"] for item in ROUTINES[phase["routine"]]["items"])
        earlier = [p for p in programme["phases"] if p["weeks"][0] < phase["weeks"][0]]
        first_hops = hops and not any(EXERCISES[i["exercise"]]["impact"]
                                      for p in earlier for i in ROUTINES[p["routine"]]["items"])
        if first_hops:
            assert "25 slow single-leg heel raises on each side" in phase["ready_when"]


def test_the_hamstring_programme_cites_wagner_only_for_what_the_case_used():
    programme = index(CATALOGUE["programmes"])["hamstring-cramp-6-weeks"]
    assert "24 weeks" in programme["summary"] and "did not test" in programme["summary"]
    wagner = "Wagner et al., J Orthop Sports Phys Ther 2010"
    for slug in ("glute-bridge", "single-leg-bridge"):
        assert wagner not in EXERCISES[slug]["sources"]
    assert wagner in EXERCISES["clamshell"]["sources"]


@pytest.mark.parametrize("kind, dose, field", [
    ("stretch", {"hold_s": 1800}, "hold_s"),
    ("stretch", {"hold_s": 5}, "hold_s"),
    ("stretch", {"hold_s": None, "reps": 10}, "reps"),
    ("stretch", {"sets": 6}, "sets"),
    ("stretch", {"until_release": True, "hold_s": 90, "sets": 1, "per_side": False}, "hold_s"),
    ("pressure", {"hold_s": 120}, "hold_s"),
    ("pressure", {"hold_s": 30}, "hold_s"),
    ("heat_cold", {"hold_s": 60}, "hold_s"),
    ("strength", {"hold_s": None, "reps": 40}, "reps"),
    ("balance", {"hold_s": 300}, "hold_s"),
])
def test_out_of_bounds_doses_are_refused_by_kind(kind, dose, field):
    base = {"hold_s": 30, "reps": None, "until_release": False, "sets": 1, "per_side": False, "rest_s": 0}
    with pytest.raises(ValidationError) as error:
        check_dose_bounds(kind, {**base, **dose})
    assert field in error.value.messages


@pytest.mark.parametrize("changes, where", [
    (broken("exercises", lambda e: e["dose"].update(hold_s=1800)), "exercises"),
    (broken("exercises", lambda e: e.update(position="lying_back")), "exercises"),
    (broken("exercises", lambda e: e.pop("alternative")), "exercises"),
    (broken("routines", lambda r: r["items"][0]["dose"].update(hold_s=300)), "relief-calf"),
    (broken("programmes", lambda p: p.pop("progress")), "programmes"),
    (broken("pages", lambda p: p["sections"][0].update(sources=[])), "pages"),
])
def test_loader_refuses_unsafe_doses_and_missing_safety_notes(tmp_path, changes, where):
    write_catalogue(tmp_path, **changes)
    with pytest.raises(ValidationError) as error:
        load_catalogue(tmp_path)
    assert where in error.value.messages


def test_a_composed_dose_outside_its_kind_is_refused():
    with pytest.raises(ValidationError):
        effective_dose(EXERCISES["pressure-point"], {"hold_s": 600})
    assert effective_dose(EXERCISES["pressure-point"], {"hold_s": 90})["hold_s"] == 90
