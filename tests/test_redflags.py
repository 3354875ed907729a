"""Red flags: each rule fires on its side of the threshold and stays quiet on the other."""

import datetime
import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marshmallow import ValidationError

from schemas.content import LEVELS, RED_FLAG_CODES, assessment_schema, red_flag_rule_schema
from server.content import read_file
from server.redflags import HISTORY_DAYS, PATTERNS, assess, concerns, night_of, parse_time
from tests.care_helpers import clinic  # noqa: F401
from tests.sync_helpers import Device, put

RULES = read_file("redflags")
UTC = datetime.timezone.utc
CET = datetime.timezone(datetime.timedelta(hours=1))
BASE = datetime.datetime(2024, 3, 15, 12, 0, tzinfo=UTC)
NIGHT = datetime.datetime(2024, 3, 15, 23, 30, tzinfo=CET)
NOW = datetime.datetime(2024, 3, 16, 9, 0, tzinfo=UTC)

# What DOMAIN.md's triage table asks of each rule's level.
LEVEL_OF = {
    "exercise-emergency-signs": "emergency",
    "after-exercise-dizzy-and-sick": "emergency",
    "signs-after-drinking-a-lot": "emergency",
    "collapse-or-confusion": "emergency",
    "stroke-signs": "emergency",
    "swollen-leg-with-chest-or-breathing": "emergency",
    "swelling-warmth-with-chest-or-breathing": "emergency",
    "chest-pain-during-exercise": "emergency",
    "dark-urine-little-urine": "emergency",
    "chest-pain": "urgent",
    "swollen-warm-leg": "urgent",
    "swelling-with-warmth": "urgent",
    "pregnancy-swollen-leg": "urgent",
    "pregnancy-belly-cramp": "urgent",
    "breathless-or-coughing-blood": "urgent",
    "dark-urine-with-muscle-pain": "urgent",
    "dark-urine-on-statin": "urgent",
    "dark-urine-after-hard-exercise": "urgent",
    "long-episode": "urgent",
    "soil-wound": "urgent",
    "numbness-swelling-skin": "see_doctor",
    "weakness-or-wasting": "see_doctor",
    "feeling-unwell": "see_doctor",
    "unwell-signs-at-rest": "see_doctor",
    "little-urine": "see_doctor",
    "severe-pain": "see_doctor",
    "night-pain": "see_doctor",
    "after-injury": "see_doctor",
    "after-neurological-event": "see_doctor",
    "prescription-review": "see_doctor",
    "sleep-disturbed": "see_doctor",
    "rising-frequency": "see_doctor",
    "frequent-long-intense": "see_doctor",
    "frequent-cramp-days": "see_doctor",
    "pregnancy-leg-cramps": "self_care",
    "leg-gave-way": "self_care",
    "drank-a-lot": "self_care",
}
# Signs that reassure or caution rather than warn: ticked alone they stay at self-care.
REASSURING = {"leg_gave_way", "drank_a_lot"}


def cramp(at=BASE, days_ago=0, **fields):
    """Return cramp entry data as the wire carries it."""
    moment = at - datetime.timedelta(days=days_ago)
    data = {"kind": "cramp", "occurred_at": moment.isoformat(), "muscle": "calf", "side": "left",
            "intensity": 5, "duration_s": 60, "context": "rest", "triggers": [], "reliefs": [],
            "red_flags": [], "note": ""}
    data.update(fields)
    return data


def night(days_ago=0, hour=23, minute=30, **fields):
    """Return a night cramp at the given local time, `days_ago` evenings before NIGHT."""
    at = NIGHT.replace(hour=hour, minute=minute)
    return cramp(at=at, days_ago=days_ago, context="night", **fields)


def severe(days_ago=0, intensity=7, duration_s=120):
    return cramp(days_ago=days_ago, intensity=intensity, duration_s=duration_s)


def case(rule, fires, entry, history=(), id=None):
    label = id or ("fires" if fires else "quiet")
    return pytest.param(rule, fires, entry, list(history), id=f"{rule}-{label}")


CASES = [
    case("exercise-emergency-signs", True, cramp(context="exercise", red_flags=["dizziness"])),
    case("exercise-emergency-signs", True, cramp(context="exercise", red_flags=["dark_urine"]),
         id="dark-urine"),
    case("exercise-emergency-signs", False, cramp(context="rest", red_flags=["dizziness"]), id="at-rest"),
    case("exercise-emergency-signs", False, cramp(context="exercise", red_flags=["swelling"])),
    case("collapse-or-confusion", True, cramp(context="night", red_flags=["confusion"])),
    case("collapse-or-confusion", True, cramp(context="rest", red_flags=["collapse"]), id="collapse"),
    case("collapse-or-confusion", False, cramp(context="exercise", red_flags=["collapse"]), id="exercise"),
    case("collapse-or-confusion", False, cramp(context="rest", red_flags=["dizziness"])),
    case("chest-pain", True, cramp(red_flags=["chest_pain"])),
    case("chest-pain", False, cramp(red_flags=["numbness"])),
    case("long-episode", True, cramp(duration_s=601)),
    case("long-episode", False, cramp(duration_s=600)),
    case("long-episode", False, cramp(duration_s=None), id="no-duration"),
    case("soil-wound", True, cramp(red_flags=["soil_wound"])),
    case("soil-wound", False, cramp(red_flags=["after_injury"])),
    case("numbness-swelling-skin", True, cramp(red_flags=["numbness"])),
    case("numbness-swelling-skin", True, cramp(red_flags=["swelling"]), id="swelling"),
    case("numbness-swelling-skin", True, cramp(red_flags=["skin_changes"]), id="skin"),
    case("numbness-swelling-skin", False, cramp(red_flags=[])),
    case("weakness-or-wasting", True, cramp(red_flags=["weakness"])),
    case("weakness-or-wasting", True, cramp(red_flags=["muscle_wasting"]), id="wasting"),
    case("weakness-or-wasting", False, cramp(red_flags=["severe_pain"])),
    case("feeling-unwell", True, cramp(context="exercise", red_flags=["fever"])),
    case("feeling-unwell", True, cramp(red_flags=["unwell"]), id="unwell"),
    case("feeling-unwell", False, cramp(red_flags=["nausea"])),
    case("unwell-signs-at-rest", True, cramp(context="night", red_flags=["nausea"])),
    case("unwell-signs-at-rest", False, cramp(context="exercise", red_flags=["nausea"]), id="exercise"),
    case("unwell-signs-at-rest", False, cramp(context="night", red_flags=["fever"])),
    case("severe-pain", True, cramp(red_flags=["severe_pain"])),
    case("severe-pain", False, cramp(intensity=10)),
    case("after-injury", True, cramp(red_flags=["after_injury"])),
    case("after-injury", False, cramp()),
    case("after-neurological-event", True, cramp(red_flags=["neurological_event"])),
    case("after-neurological-event", False, cramp(red_flags=["after_injury"])),
    # Three different nights within seven days; 02:00 belongs to the night before.
    case("sleep-disturbed", True, night(), [night(1), night(2, hour=2)]),
    case("sleep-disturbed", True, night(), [night(1), night(7, minute=31)], id="edge-inside"),
    case("sleep-disturbed", False, night(), [night(1)], id="two-nights"),
    case("sleep-disturbed", False, night(), [night(1), night(7)], id="edge-outside"),
    case("sleep-disturbed", False, night(), [night(1, hour=23), night(0, hour=2)], id="same-night"),
    case("sleep-disturbed", False, cramp(at=NIGHT, context="rest"), [night(1), night(2)], id="day-entry"),
    # Four or more in the last 14 days and at least twice the 14 days before.
    case("rising-frequency", True, cramp(), [cramp(days_ago=d) for d in (1, 2, 3, 15, 20)]),
    case("rising-frequency", True, cramp(), [cramp(days_ago=d) for d in (1, 2, 3, 27)], id="one-before"),
    case("rising-frequency", False, cramp(), [cramp(days_ago=d) for d in (1, 2, 3, 15, 20, 25)],
         id="not-double"),
    case("rising-frequency", False, cramp(), [cramp(days_ago=d) for d in (1, 2, 15)], id="too-few"),
    case("rising-frequency", False, cramp(), [cramp(days_ago=d) for d in (1, 2, 3)], id="nothing-before"),
    case("rising-frequency", False, cramp(), [cramp(days_ago=d) for d in (1, 2, 14, 20)], id="edge"),
    # Three long (2 min+) and intense (7+) cramps within seven days.
    case("frequent-long-intense", True, severe(), [severe(1), severe(6.9)]),
    case("frequent-long-intense", False, severe(), [severe(1), severe(2, intensity=6)], id="milder"),
    case("frequent-long-intense", False, severe(), [severe(1), severe(2, duration_s=119)], id="shorter"),
    case("frequent-long-intense", False, severe(), [severe(1), severe(7)], id="older"),
    case("frequent-long-intense", False, cramp(), [severe(1), severe(2)], id="this-one-mild"),
]


def fired(entry, history=()):
    """Return the ids of the rules that fire for an entry, judged at NOW."""
    return {flag["rule"] for flag in assess(entry, list(history), now=NOW)["flags"]}


@pytest.mark.parametrize("rule, fires, entry, history", CASES)
def test_rule_fires_only_past_its_threshold(rule, fires, entry, history):
    assert (rule in fired(entry, history)) is fires


def test_every_rule_has_its_expected_level():
    # Both sides of every rule are in the shared table, tests/triage_cases.json.
    assert {rule["id"]: rule["level"] for rule in RULES} == LEVEL_OF


def satisfying(when, code=None):
    """Return (entry, profile) meeting a signs condition, ticking `code` from its `any`."""
    context = (when.get("contexts") or [c for c in ("rest", "night")
                                        if c not in when.get("except_contexts", [])])[0]
    entry = cramp(context=context, red_flags=when.get("all", []) + ([code] if code else []),
                  muscle=when.get("muscles", ["calf"])[0], side=when.get("sides", ["left"])[0],
                  triggers=when.get("triggers", [])[:1])
    return entry, {"pregnant": bool(when.get("pregnant")), "medicines": when.get("medicines", [])[:1]}


@pytest.mark.parametrize("rule", [r for r in RULES if r["when"]["type"] == "signs"], ids=lambda r: r["id"])
def test_each_code_of_a_rule_fires_it_and_each_part_is_needed(rule):
    when = rule["when"]
    for code in when.get("any") or [None]:
        entry, profile = satisfying(when, code)
        result = assess(entry, [], now=NOW, profile=profile)
        assert rule["id"] in {flag["rule"] for flag in result["flags"]}, code
    entry, profile = satisfying(when, (when.get("any") or [None])[0])
    for missing in when.get("all", []):
        without = dict(entry, red_flags=[c for c in entry["red_flags"] if c != missing])
        assert rule["id"] not in {f["rule"] for f in assess(without, [], now=NOW, profile=profile)["flags"]}
    if when.get("pregnant"):
        assert rule["id"] not in {f["rule"] for f in assess(entry, [], now=NOW, profile={})["flags"]}


@pytest.mark.parametrize("change, field", [
    ({"all": ["swelling"], "any": ["swelling", "fever"]}, "all"),
    ({"all": ["swelling", "hiccups"]}, "all"),
    ({"contexts": ["night"], "except_contexts": ["exercise"], "any": ["fever"]}, "contexts"),
    ({"muscles": ["calf"]}, "any"),
    ({"pregnant": False, "muscles": ["calf"]}, "pregnant"),
    ({"any": []}, "any"),
    ({"medicines": ["aspirin"]}, "medicines"),
])
def test_a_rule_that_could_never_fire_or_always_fires_is_refused(change, field):
    rule = {"id": "x", "level": "urgent", "message": "Get help today.", "sources": ["NHS: DVT"],
            "when": {"type": "signs", **change}}
    with pytest.raises(ValidationError) as error:
        red_flag_rule_schema.load(rule)
    assert field in str(error.value.messages)


def test_reassurance_never_stands_beside_a_warning():
    result = assess(cramp(red_flags=["leg_gave_way", "numbness"]), [], now=NOW)
    assert [flag["rule"] for flag in result["flags"]] == ["numbness-swelling-skin"]
    calm = assess(cramp(red_flags=["leg_gave_way"]), [], now=NOW)
    assert calm["level"] == "self_care" and [f["rule"] for f in calm["flags"]] == ["leg-gave-way"]


def test_a_leg_giving_way_is_no_longer_a_collapse():
    assert assess(cramp(context="night", red_flags=["leg_gave_way"]), [], now=NOW)["level"] == "self_care"
    assert assess(cramp(context="night", red_flags=["collapse"]), [], now=NOW)["level"] == "emergency"


def test_the_person_never_sees_the_concern_the_physio_sees():
    result = assess(cramp(red_flags=["calf_swollen_warm"]), [], now=NOW)
    assert "DVT" not in str(result) and all(set(flag) == {"rule", "level", "message"}
                                            for flag in result["flags"])
    assert concerns()["swollen-warm-leg"] == "possible DVT signs"
    warnings = [rule for rule in RULES if rule["level"] != "self_care" and not rule.get("concern")]
    assert warnings == []


def test_no_flags_means_self_care():
    assert assess(cramp(), [], now=NOW) == {"level": "self_care", "flags": []}


def test_level_is_the_most_serious_flag_and_flags_come_most_serious_first():
    result = assess(cramp(context="exercise", duration_s=900, red_flags=["numbness", "collapse"]), [],
                    now=NOW)
    assert result["level"] == "emergency"
    assert [flag["level"] for flag in result["flags"]] == ["emergency", "urgent", "see_doctor"]
    assert assessment_schema.validate(result) == {}
    assert all(flag["message"] for flag in result["flags"])


def test_entry_from_the_future_is_counted_at_now():
    history = [night(1), night(2)]
    assert assess(night(days_ago=-5), history, now=NOW)["level"] == "see_doctor"
    assert assess(night(days_ago=-5), history, now=NOW + datetime.timedelta(days=6))["flags"] == []


def test_later_cramps_and_other_kinds_do_not_count():
    later = [cramp(days_ago=-1, context="night"), cramp(days_ago=-2, context="night")]
    other = [{"kind": "hydration", "occurred_at": night(1)["occurred_at"], "volume_ml": 250}]
    assert assess(night(), later + other, now=NOW + datetime.timedelta(days=3))["flags"] == []


def test_offsets_are_compared_as_instants():
    sydney = datetime.timezone(datetime.timedelta(hours=10))
    entry = cramp(at=datetime.datetime(2024, 3, 15, 9, 0, tzinfo=sydney))
    history = [cramp(days_ago=d) for d in (2, 3, 20)]
    after_it = cramp(at=datetime.datetime(2024, 3, 14, 23, 30, tzinfo=UTC))
    before_it = cramp(at=datetime.datetime(2024, 3, 14, 22, 30, tzinfo=UTC))
    assert "rising-frequency" not in fired(entry, history + [after_it])
    assert "rising-frequency" in fired(entry, history + [before_it])


def test_default_now_is_the_current_time():
    assert assess(cramp(duration_s=700), [])["level"] == "urgent"


@pytest.mark.parametrize("moment, expected", [
    ("2024-03-15T23:30:00+01:00", datetime.date(2024, 3, 15)),
    ("2024-03-16T02:00:00+01:00", datetime.date(2024, 3, 15)),
    ("2024-03-16T12:30:00+01:00", datetime.date(2024, 3, 16)),
])
def test_a_night_runs_from_noon_to_noon(moment, expected):
    assert night_of(parse_time(moment)) == expected


def test_time_without_offset_is_read_as_utc():
    assert parse_time("2024-03-15T12:00:00") == BASE


@given(st.sets(st.sampled_from(RED_FLAG_CODES)), st.sets(st.sampled_from(RED_FLAG_CODES)),
       st.sampled_from(["exercise", "night", "rest", "other"]))
def test_ticking_more_signs_never_lowers_the_level(codes, more, context):
    before = assess(cramp(context=context, red_flags=sorted(codes)), [], now=NOW)["level"]
    after = assess(cramp(context=context, red_flags=sorted(codes | more)), [], now=NOW)["level"]
    assert LEVELS.index(after) >= LEVELS.index(before)
    if codes - REASSURING:
        assert after != "self_care"


@pytest.mark.parametrize("rule", [r for r in RULES if r["when"]["type"] in PATTERNS], ids=lambda r: r["id"])
def test_every_window_fits_the_history_callers_give(rule):
    reach = rule["when"]["days"] * (2 if rule["when"]["type"] == "rising" else 1)
    assert reach <= HISTORY_DAYS


@pytest.mark.parametrize("age_days, flagged", [(HISTORY_DAYS - 1, True), (HISTORY_DAYS + 1, False)])
def test_patterns_are_judged_only_for_recent_episodes(age_days, flagged):
    now = NOW + datetime.timedelta(days=age_days)
    history = [night(1), night(2)]
    rules = {flag["rule"] for flag in assess(night(), history, now=now)["flags"]}
    assert ("sleep-disturbed" in rules) is flagged


def test_old_episodes_keep_their_own_warning_signs():
    old = cramp(duration_s=900, red_flags=["numbness"])
    result = assess(old, [], now=NOW + datetime.timedelta(days=400))
    assert {flag["rule"] for flag in result["flags"]} == {"long-episode", "numbness-swelling-skin"}


# The profile reaches the rules through the push: read once, replaced by a put in the same push.

def recent(**fields):
    """Return a cramp of an hour ago, as a device would push it."""
    moment = datetime.datetime.now(UTC) - datetime.timedelta(hours=1)
    return cramp(at=moment, **fields)


def pushed_levels(client, auth, *mutations):
    device = Device(client, auth.register()[1])
    results = device.push(*[dict(m, id=n) for n, m in enumerate(mutations, 1)]).get_json()["results"]
    assert {r["status"] for r in results} == {"applied"}, results
    return [(r.get("assessment") or {}).get("level") for r in results]


def test_a_profile_pushed_before_a_cramp_judges_it(client, auth):
    belly = recent(muscle="abdomen", side="both")
    levels = pushed_levels(client, auth, put(0, data=belly),
                           put(0, "profile", {"pregnant": True}, entity="settings"),
                           put(0, data=belly))
    assert levels == [None, None, "urgent"]


def test_a_stored_profile_judges_later_pushes_until_it_is_deleted(client, auth):
    device = Device(client, auth.register()[1])
    statin = {"medicines": ["statin"], "medicine_started_on": None}
    dark = recent(red_flags=["dark_urine"])
    assert device.push(put(1, "profile", statin, entity="settings")).status_code == 200
    assert device.push(put(2, data=dark)).get_json()["results"][0]["assessment"]["level"] == "urgent"
    same_push = device.push({"id": 3, "op": "delete", "entity": "settings", "key": "profile",
                             "base_version": 0}, put(4, data=dark)).get_json()["results"][1]
    next_push = device.push(put(5, data=dark)).get_json()["results"][0]
    assert same_push["assessment"]["level"] == next_push["assessment"]["level"] == "see_doctor"


@pytest.mark.parametrize("profile, field", [
    ({"pregnant": "yes"}, "pregnant"), ({"medicines": ["aspirin"]}, "medicines"),
    ({"medicine_started_on": "last week"}, "medicine_started_on"), ({"weight": 70}, "weight"),
])
def test_a_profile_the_rules_cannot_read_is_rejected(client, auth, profile, field):
    device = Device(client, auth.register()[1])
    result = device.push(put(1, "profile", profile, entity="settings")).get_json()["results"][0]
    assert result["status"] == "rejected" and field in result["fields"]


def test_the_physio_summary_names_the_concern(clinic):
    physio, patient = clinic.physio(), clinic.person("Ann")
    clinic.link(physio, patient)
    patient.log(recent(red_flags=["calf_swollen_warm"]))
    warning = physio.get(f"/care/patients/{patient.id}/summary").get_json()["warning_signs"][0]
    assert warning["level"] == "urgent"
    assert warning["text"].startswith("Concern: possible DVT signs. One calf or leg")
    pulled = patient.device().pull_all()
    assert "DVT" not in json.dumps(pulled)


# How soon, in words, each level's message must say (DOMAIN.md: "it says how soon to get help").
HOW_SOON = {"emergency": ("emergency", "ambulance"), "urgent": ("today",),
            "see_doctor": ("next few days", "next day or two")}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule["id"])
def test_every_warning_says_how_soon_and_respects_a_fluid_limit(rule):
    message = rule["message"].lower()
    if rule["level"] in HOW_SOON:
        assert any(words in message for words in HOW_SOON[rule["level"]]), rule["message"]
    if re.search(r"\bdrink\b", re.sub(r"\b(do not|stop) drink", "", message)):
        # Someone whose doctor limits their fluids must never be told to drink past it; being
        # told not to drink is no such advice.
        assert "fluid" in message and "limit" in message, rule["message"]
