"""Personal patterns: exact rate-ratio intervals that agree with scipy, honest words, and
simulated diaries that show how often a comparison claims a difference."""

import random
from datetime import date, datetime, timedelta

import pypdfium2
import pytest
from scipy.stats import binomtest

from server import patterns
from server.models.accounts import utcnow
from tests.care_helpers import clinic, cramp, drink  # noqa: F401 (a fixture)

TODAY = date(2030, 3, 1)


@pytest.mark.parametrize("c1, n1, c0, n0", [(3, 28, 9, 28), (0, 20, 7, 30), (12, 40, 12, 16),
                                            (5, 10, 0, 12), (40, 60, 22, 61)])
def test_the_interval_agrees_with_scipys_exact_binomial_interval(c1, n1, c0, n0):
    total = c1 + c0
    reference = binomtest(c1, total, n1 / (n1 + n0)).proportion_ci(0.95, method="exact")
    low, high = patterns.share_interval(c1, total)
    assert round(low, 3) == round(reference.low, 3) and round(high, 3) == round(reference.high, 3)
    ratio, lower, upper = patterns.rate_ratio(c1, n1, c0, n0)
    to_ratio = lambda p: None if p >= 1 else p / (1 - p) * n0 / n1  # noqa: E731
    assert lower == pytest.approx(to_ratio(reference.low), abs=5e-4)
    if upper is not None:
        assert upper == pytest.approx(to_ratio(reference.high), abs=5e-4)
    if c0:
        assert ratio == pytest.approx((c1 / n1) / (c0 / n0))


def diary(nights, rate_at_target, rate_below, seed, share_at_target=0.5):
    """A synthetic diary: a drink every day, at or below the 1.2 l target, and a night cramp
    with the given chance on the night after."""
    rng = random.Random(seed)
    start = TODAY - timedelta(days=nights)
    entries = []
    for i in range(nights):
        day = start + timedelta(days=i)
        at = rng.random() < share_at_target
        entries.append({"kind": "hydration", "occurred_at": f"{day}T12:00:00",
                        "volume_ml": 1500 if at else 600})
        if rng.random() < (rate_at_target if at else rate_below):
            entries.append({"kind": "cramp", "context": "night",
                            "occurred_at": f"{day + timedelta(days=1)}T02:00:00"})
    return entries


def hydration(entries):
    return patterns.patterns(entries, TODAY)["comparisons"][0]


def test_with_no_effect_a_clear_difference_is_claimed_in_at_most_5_percent_of_diaries():
    claims = sum(hydration(diary(56, 0.3, 0.3, seed))["clear"] for seed in range(1000))
    assert claims <= 50, claims


def test_a_large_effect_over_eight_weeks_is_found_in_most_diaries():
    found = [hydration(diary(56, 0.1, 0.6, seed)) for seed in range(500)]
    assert sum(f["clear"] and f["upper"] < 1 for f in found) >= 400
    assert all("fewer" in f["text"] for f in found if f["clear"])


def test_below_the_minimum_the_answer_is_always_not_enough_yet():
    for seed in range(50):
        result = hydration(diary(10, 0.1, 0.9, seed))
        assert result["text"].startswith("Not enough yet:") and not result["clear"]
        assert result["ratio"] is None


def test_what_is_missing_is_named():
    entries = [{"kind": "hydration", "occurred_at": f"{TODAY - timedelta(days=d)}T12:00:00",
                "volume_ml": 1500} for d in range(1, 4)]
    assert hydration(entries)["text"] == (
        "Not enough yet: 4 more days at the target and 7 more days below it and 5 more cramps.")


@pytest.mark.parametrize("ratio, lower, upper, expected", [
    (0.5, 0.25, 0.9, "50% fewer night cramps (somewhere between 10% and 75% fewer)."),
    (1.2, 0.6, 2.4, "No clear difference so far: night cramps were anywhere from 0.6 to 2.4 "
                    "times as common."),
    (3.0, 1.5, 6.2, "3.0 times as many night cramps (somewhere between 1.5 and 6.2 times)."),
])
def test_the_words_follow_the_interval_and_never_claim_a_cause(ratio, lower, upper, expected):
    text = patterns.words(ratio, lower, upper, "night cramps")
    assert text == expected
    assert not any(word in text.lower() for word in ("cause", "prevent", "cure"))


def test_trigger_shares_name_the_top_tags():
    cramps = [{"kind": "cramp", "occurred_at": f"{TODAY}T0{i}:00:00",
               "triggers": tags} for i, tags in enumerate([["heat"], ["heat", "standing"], []])]
    assert patterns.trigger_shares(cramps) == [
        {"trigger": "heat", "episodes": 2, "share": 67},
        {"trigger": "standing", "episodes": 1, "share": 33}]


def test_a_person_reads_their_patterns_and_their_physio_sees_the_same(clinic):  # noqa: F811
    physio, member = clinic.physio(), clinic.person("Maria")
    clinic.link(physio, member)
    entries = []
    for days_ago in range(1, 57):
        at = days_ago % 2 == 0
        entries.append(drink(days_ago, 2000 if at else 300))
        if not at or days_ago % 8 == 0:
            entries.append(cramp(days_ago))  # at 20:00: the night after that day
    member.log(*entries[:50])
    member.log(*entries[50:])
    mine = member.get("/me/patterns")
    assert mine.status_code == 200
    drinks = mine.get_json()["comparisons"][0]
    assert drinks["title"] == "Drinks target" and drinks["days"] == [28, 28]
    assert drinks["clear"] and drinks["upper"] < 1 and "fewer" in drinks["text"]
    summary = physio.get(f"/care/patients/{member.user['id']}/summary").get_json()
    assert summary["patterns"]["comparisons"][0]["text"] == drinks["text"]
    assert clinic.client.get("/api/v1/me/patterns").status_code == 401
    pdf = physio.get(f"/care/patients/{member.user['id']}/export/pdf").data
    text = " ".join(pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range().split())
    assert f"Drinks target: {drinks['text']}" in text
    # A drinks-target experiment of 8 weeks that ended yesterday: the same days, its own answer.
    started = (utcnow().date() - timedelta(weeks=8)).isoformat()
    plan = {"habit": "drink-target", "started_on": started, "block_days": 14,
            "blocks": ["with", "without", "without", "with"]}
    pushed = member.device().push({"id": 1, "op": "put", "entity": "settings",
                                   "key": "experiment", "base_version": 0, "data": plan})
    assert pushed.get_json()["results"][0]["status"] == "applied"
    mine = member.get("/me/patterns").get_json()["experiment"]
    assert mine["status"] == "ended" and mine["result"]["days"] == [28, 28]
    assert mine["result"]["title"] == "Drinks target (self-experiment)"
    summary = physio.get(f"/care/patients/{member.user['id']}/summary").get_json()
    assert summary["patterns"]["experiment"] == mine
    pdf = physio.get(f"/care/patients/{member.user['id']}/export/pdf").data
    text = " ".join(pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range().split())
    assert f"Drinks target (self-experiment): {mine['result']['text']}" in text



def habit_diary(nights, chance, seed, habit):
    """A diary with no effect: a drink every day, a routine on about half the days (in the
    evening, or at noon for the exercise comparison), and a night cramp after each day with the
    same chance."""
    rng = random.Random(seed)
    start = TODAY - timedelta(days=nights)
    entries = []
    for i in range(nights):
        day = start + timedelta(days=i)
        entries.append({"kind": "hydration", "occurred_at": f"{day}T09:00:00", "volume_ml": 250})
        if rng.random() < 0.5:
            entries.append({"kind": "routine", "routine": "calf-length", "duration_s": 600,
                            "occurred_at": f"{day}T{'21' if habit == 'evening' else '12'}:00:00"})
        if rng.random() < chance:
            entries.append({"kind": "cramp", "context": "night",
                            "occurred_at": f"{day + timedelta(days=1)}T02:00:00"})
    return entries


@pytest.mark.parametrize("title, habit", [("After exercise", "noon"),
                                          ("Evening routine", "evening")])
def test_with_no_effect_each_habit_comparison_claims_at_most_5_percent(title, habit):
    claims = 0
    for seed in range(1000):
        found = patterns.patterns(habit_diary(56, 0.3, seed, habit), TODAY)
        [comparison] = [c for c in found["comparisons"] if c["title"] == title]
        assert comparison["days"][0] + comparison["days"][1] == found["days"] == 56
        claims += comparison["clear"]
    assert claims <= 50, claims


def test_with_no_effect_a_programme_phase_claims_at_most_5_percent():
    """A four-week phase after two weeks before the start, with cramps on 30% of days in both."""
    start = TODAY - timedelta(days=28)
    plan = {"title": "Calf programme", "start_date": start,
            "phases": [{"start_date": start, "end_date": None}]}
    claims = 0
    for seed in range(1000):
        rng = random.Random(seed)
        entries = [{"kind": "cramp", "context": "rest", "occurred_at": f"{TODAY - timedelta(days=d)}T10:00:00"}
                   for d in range(1, 43) if rng.random() < 0.3]
        [phase] = patterns.patterns(entries, TODAY, assignments=[plan])["comparisons"][3:]
        assert phase["days"] == [28, 14]
        claims += phase["clear"]
    assert claims <= 50, claims
