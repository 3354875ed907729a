"""Who needs attention first: one test per reason, both sides of each threshold."""

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from server.attention import assess, rank

NOW = datetime(2024, 3, 31, 12, 0, tzinfo=timezone.utc)
SYNCED = NOW - timedelta(hours=3)


def at(days_ago, hour=0):
    """Return an ISO moment `days_ago` days before NOW, in a +01:00 offset."""
    moment = NOW - timedelta(days=days_ago, hours=hour)
    return moment.astimezone(timezone(timedelta(hours=1))).isoformat()


def cramp(days_ago, intensity=4, **extra):
    return {"kind": "cramp", "occurred_at": at(days_ago), "muscle": "calf", "side": "left",
            "intensity": intensity, "duration_s": 60, "context": "night", "triggers": [],
            "reliefs": [], "red_flags": [], "note": "", **extra}


def session(days_ago, routine="calf-evening", done=5, total=5):
    return {"kind": "routine", "occurred_at": at(days_ago), "routine": routine,
            "completed_steps": done, "total_steps": total, "duration_s": 300}


def flagged(days_ago, level):
    return cramp(days_ago, assessment={"level": level, "flags": [
        {"rule": "long_cramp", "level": level, "message": "A long cramp."}]})


def codes(attention):
    return [r.code for r in attention.reasons]


def only(attention, code):
    matches = [r for r in attention.reasons if r.code == code]
    assert len(matches) == 1, attention
    return matches[0]


def test_a_calm_patient_needs_no_attention():
    result = assess([cramp(3), cramp(10)], now=NOW, last_sync=SYNCED)
    assert result.reasons == () and result.score == 0


@pytest.mark.parametrize("level, words", [("see_doctor", "see a doctor"),
                                          ("urgent", "get help today"),
                                          ("emergency", "call an ambulance")])
def test_red_flags_since_the_last_review_are_a_reason(level, words):
    result = assess([flagged(2, level), cramp(1)], now=NOW, last_sync=SYNCED,
                    reviewed_at=NOW - timedelta(days=5))
    reason = only(result, "red_flags")
    assert reason.text == (
        f"1 entry with warning signs since the last review (most serious: {words})")


def test_red_flags_before_the_last_review_are_not_counted_again():
    result = assess([flagged(6, "urgent")], now=NOW, last_sync=SYNCED,
                    reviewed_at=NOW - timedelta(days=5))
    assert "red_flags" not in codes(result)


def test_red_flags_name_the_worst_level_and_count_every_flagged_entry():
    entries = [flagged(1, "see_doctor"), flagged(2, "emergency"), flagged(3, "urgent")]
    reason = only(assess(entries, now=NOW, last_sync=SYNCED), "red_flags")
    assert reason.text.startswith("3 entries") and "(most serious: call an ambulance)" in reason.text


@pytest.mark.parametrize("entry, counted", [
    (cramp(1, red_flags=["numbness"]), True),  # ticked by the person, not yet assessed
    (cramp(1, assessment={"level": "self_care", "flags": []}), False),
    (cramp(1, red_flags=["numbness"], assessment={"level": "self_care", "flags": []}), False),
    (cramp(1, assessment={"level": "see a doctor", "flags": []}), True),
])
def test_what_counts_as_a_red_flag(entry, counted):
    assert ("red_flags" in codes(assess([entry], now=NOW, last_sync=SYNCED))) is counted


def test_never_reviewed_looks_back_four_weeks():
    entries = [flagged(27, "urgent"), flagged(29, "urgent")]
    assert only(assess(entries, now=NOW, last_sync=SYNCED), "red_flags").text.startswith("1 entry")


@pytest.mark.parametrize("recent, earlier, rising", [
    (6, 2, True), (3, 0, True), (3, 2, True), (2, 0, False), (4, 3, False), (5, 5, False)])
def test_rising_frequency_is_a_reason(recent, earlier, rising):
    entries = [cramp(1 + i % 12) for i in range(recent)]
    entries += [cramp(15 + i % 12) for i in range(earlier)]
    result = assess(entries, now=NOW, last_sync=SYNCED)
    assert ("rising_frequency" in codes(result)) is rising
    if rising:
        assert only(result, "rising_frequency").text == (
            f"Episodes are rising: {recent} in the latest two weeks against {earlier} "
            "in the two weeks before")


@pytest.mark.parametrize("intensity, reason", [(6, False), (7, True), (10, True)])
def test_episodes_of_intensity_seven_or_more_are_a_reason(intensity, reason):
    result = assess([cramp(2, intensity=intensity)], now=NOW, last_sync=SYNCED)
    assert ("high_intensity" in codes(result)) is reason
    if reason:
        assert only(result, "high_intensity").text == (
            "1 episode of intensity 7 or more in the latest two weeks")


def test_old_intense_episodes_are_not_a_reason():
    assert assess([cramp(20, intensity=9)], now=NOW, last_sync=SYNCED).reasons == ()


@pytest.mark.parametrize("idle_days, text", [
    (4, None), (5, "No diary data synced for 5 days"),
    (12, "No diary data synced for 12 days")])
def test_no_sync_for_several_days_is_a_reason(idle_days, text):
    result = assess([], now=NOW, last_sync=NOW - timedelta(days=idle_days, hours=1))
    assert [r.text for r in result.reasons if r.code == "no_sync"] == ([text] if text else [])


def test_a_patient_who_never_synced_is_mentioned():
    assert only(assess([], now=NOW, last_sync=None), "no_sync").text == (
        "Has not synced any diary data yet")


def plan(days_ago, per_week=7, title="Calf evening stretch"):
    return {"title": title, "start_date": (NOW - timedelta(days=days_ago)).date(),
            "routines": ["calf-evening"], "sessions_per_week": per_week}


@pytest.mark.parametrize("sessions, low", [(3, True), (6, True), (7, False), (14, False)])
def test_low_adherence_to_an_assigned_programme_is_a_reason(sessions, low):
    entries = [session(i) for i in range(sessions)]
    result = assess(entries, now=NOW, last_sync=SYNCED, assignments=[plan(30)])
    assert ("low_adherence" in codes(result)) is low
    if low:
        assert only(result, "low_adherence").text == (
            f"Low adherence to Calf evening stretch: {sessions} of 14 planned sessions lately "
            f"({round(100 * sessions / 14)}%)")


def test_partial_sessions_count_their_share_and_other_routines_do_not_count():
    entries = [session(i, done=1, total=2) for i in range(13)]
    entries += [session(i, routine="something-else") for i in range(14)]
    result = assess(entries, now=NOW, last_sync=SYNCED, assignments=[plan(30)])
    assert "6.5 of 14 planned sessions" in only(result, "low_adherence").text


def test_a_programme_that_just_started_is_not_judged():
    result = assess([], now=NOW, last_sync=SYNCED, assignments=[plan(0)])
    assert "low_adherence" not in codes(result)


def test_a_future_programme_is_not_judged():
    future = dict(plan(0), start_date=date(2024, 4, 10))
    assert assess([], now=NOW, last_sync=SYNCED, assignments=[future]).reasons == ()


def test_reasons_come_heaviest_first_and_add_up_to_the_score():
    entries = [flagged(1, "urgent"), *[cramp(2, intensity=8) for _ in range(4)]]
    result = assess(entries, now=NOW, last_sync=NOW - timedelta(days=9))
    weights = [r.weight for r in result.reasons]
    assert weights == sorted(weights, reverse=True)
    assert result.score == sum(weights)
    assert codes(result)[0] == "red_flags"


def test_warning_signs_outrank_everything_else_in_the_list():
    busy = [cramp(1 + i % 10, intensity=9) for i in range(12)]
    patients = [
        ({"display_name": "Busy"}, assess(busy, now=NOW, last_sync=NOW - timedelta(days=30),
                                          assignments=[plan(30)])),
        ({"display_name": "Flagged"}, assess([flagged(1, "emergency")], now=NOW,
                                             last_sync=SYNCED)),
        ({"display_name": "Calm"}, assess([], now=NOW, last_sync=SYNCED)),
    ]
    order = [p["display_name"] for p, _ in rank(patients)]
    assert order == ["Flagged", "Busy", "Calm"]


def test_ties_are_ordered_by_name():
    calm = assess([], now=NOW, last_sync=SYNCED)
    patients = [({"display_name": n}, calm) for n in ("bea", "Ana", "carl")]
    assert [p["display_name"] for p, _ in rank(patients)] == ["Ana", "bea", "carl"]


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10)), max_size=30),
       st.sampled_from(["see_doctor", "urgent", "emergency"]), st.integers(0, 27))
def test_a_new_warning_sign_never_lowers_the_score(history, level, days_ago):
    entries = [cramp(d, intensity=i) for d, i in history]
    before = assess(entries, now=NOW, last_sync=SYNCED).score
    after = assess(entries + [flagged(days_ago, level)], now=NOW, last_sync=SYNCED).score
    assert after > before
