"""Routines compile into timed steps: sides double, rests sit between sets, totals add up."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from marshmallow import ValidationError

from schemas.content import timeline_schema
from server.content import index, load_catalogue
from server.timeline import (NEXT_EXERCISE_S, PREPARE_S, REP_TEMPO_S, SWITCH_SIDE_S, compile_timeline,
                             effective_dose, exercise_steps)

CATALOGUE = load_catalogue()
EXERCISES = index(CATALOGUE["exercises"])
WORK = ("hold", "rep")


def make_dose(**fields):
    """Return a validated dose with these fields."""
    return effective_dose({"dose": {}}, fields)


def exercise(slug="stretch", name="A stretch", **dose):
    """Return an exercise with a validated dose (a 30 s hold unless given)."""
    return {"slug": slug, "name": name, "dose": make_dose(**(dose or {"hold_s": 30}))}


def routine(*items, kind="custom"):
    return {"slug": "r", "kind": kind, "items": [{"exercise": slug, "dose": dose} for slug, dose in items]}


def types(steps):
    return [step["type"] for step in steps]


@pytest.mark.parametrize("dose", [
    {"hold_s": 30, "sets": 3, "rest_s": 10},
    {"hold_s": 20, "sets": 1},
    {"reps": 12, "sets": 3, "rest_s": 45},
    {"reps": 8, "sets": 2, "rest_s": 0},
])
def test_per_side_exercise_doubles_its_work(dose):
    one = exercise_steps(exercise(), make_dose(**dose))
    both = exercise_steps(exercise(), make_dose(**dose, per_side=True))
    work_one = [s for s in one if s["type"] in WORK]
    work_both = [s for s in both if s["type"] in WORK]
    assert len(work_both) == 2 * len(work_one)
    assert sum(s["duration_s"] for s in work_both) == 2 * sum(s["duration_s"] for s in work_one)
    assert [s["side"] for s in work_both] == ["left", "right"] * dose["sets"]
    assert all(s["side"] is None for s in work_one)


def test_per_side_sets_alternate_left_then_right_with_a_switch_between():
    steps = exercise_steps(exercise(), make_dose(hold_s=30, sets=2, per_side=True, rest_s=10))
    assert [(s["type"], s["side"], s["set"]) for s in steps] == [
        ("hold", "left", 1), ("switch_side", "right", 1), ("hold", "right", 1),
        ("rest", None, 1),
        ("hold", "left", 2), ("switch_side", "right", 2), ("hold", "right", 2)]


def test_per_side_sets_without_rest_switch_back_to_the_left():
    steps = exercise_steps(exercise(), make_dose(hold_s=30, sets=2, per_side=True))
    assert types(steps) == ["hold", "switch_side", "hold", "switch_side", "hold", "switch_side", "hold"]
    assert steps[3]["side"] == "left"


@pytest.mark.parametrize("sets", [1, 2, 3, 4])
def test_rests_fall_between_sets_and_never_after_the_last(sets):
    steps = exercise_steps(exercise(), make_dose(hold_s=30, sets=sets, rest_s=15))
    assert types(steps) == ["hold"] + ["rest", "hold"] * (sets - 1)
    assert steps[-1]["type"] == "hold"


def test_no_rest_steps_when_rest_is_zero():
    steps = exercise_steps(exercise(), make_dose(reps=10, sets=3))
    assert types(steps) == ["rep", "rep", "rep"]


def test_rep_steps_carry_the_count_and_a_timed_estimate():
    step = exercise_steps(exercise(), make_dose(reps=12))[0]
    assert (step["rep"], step["duration_s"], step["until_release"]) == (12, 12 * REP_TEMPO_S, False)


def test_until_release_hold_carries_its_target():
    steps = exercise_steps(exercise(), make_dose(hold_s=30, until_release=True))
    assert steps == [{"type": "hold", "exercise": "stretch",
                      "label": "A stretch: hold until the cramp lets go", "duration_s": 30,
                      "side": None, "until_release": True, "target_s": 30, "rep": None, "set": 1}]


@pytest.mark.parametrize("dose", [
    {"hold_s": 30, "reps": 10},
    {},
    {"reps": 10, "until_release": True},
    {"hold_s": 30, "until_release": True, "sets": 2},
    {"hold_s": 30, "until_release": True, "per_side": True},
    {"hold_s": 30, "sets": "3"},
])
def test_invalid_doses_are_refused(dose):
    with pytest.raises(ValidationError):
        make_dose(**dose)


def test_routine_starts_with_prepare_and_joins_exercises_with_next_exercise():
    exercises = {"a": exercise("a", "Alpha", hold_s=30, sets=2, rest_s=10),
                 "b": exercise("b", "Beta", reps=10, per_side=True)}
    timeline = compile_timeline(routine(("a", {}), ("b", {"reps": 12})), exercises)
    assert types(timeline["steps"]) == ["prepare", "hold", "rest", "hold", "next_exercise", "rep",
                                        "switch_side", "rep"]
    assert timeline["steps"][4]["exercise"] == "b" and timeline["steps"][4]["side"] == "left"
    assert timeline["steps"][5]["rep"] == 12
    assert timeline["total_s"] == (PREPARE_S + 30 + 10 + 30 + NEXT_EXERCISE_S
                                   + 2 * 12 * REP_TEMPO_S + SWITCH_SIDE_S)


def test_relief_routine_starts_straight_with_the_hold():
    exercises = {"a": exercise("a", "Alpha", hold_s=30, until_release=True)}
    timeline = compile_timeline(routine(("a", {}), kind="relief"), exercises)
    assert types(timeline["steps"]) == ["hold"]
    assert timeline["total_s"] == 30


@pytest.mark.parametrize("item", CATALOGUE["routines"], ids=lambda r: r["slug"])
def test_every_catalogue_routine_compiles_to_a_valid_timeline(item):
    timeline = compile_timeline(item, EXERCISES)
    assert timeline_schema.validate(timeline) == {}
    assert timeline["total_s"] == sum(step["duration_s"] for step in timeline["steps"])
    assert types(timeline["steps"]).count("next_exercise") == len(item["items"]) - 1
    assert timeline["steps"][-1]["type"] in WORK
    assert all(step["duration_s"] > 0 for step in timeline["steps"])
    releases = [step for step in timeline["steps"] if step["until_release"]]
    if item["kind"] == "relief":
        assert timeline["steps"][0] is releases[0]
        assert (releases[0]["target_s"], releases[0]["duration_s"]) == (30, 30)
        assert len(releases) == 1
    else:
        assert timeline["steps"][0]["type"] == "prepare" and releases == []


doses = st.one_of(
    st.fixed_dictionaries({"hold_s": st.integers(1, 120)}),
    st.fixed_dictionaries({"reps": st.integers(1, 20)}),
).flatmap(lambda base: st.fixed_dictionaries({
    **{key: st.just(value) for key, value in base.items()},
    "sets": st.integers(1, 4), "per_side": st.booleans(), "rest_s": st.integers(0, 90)}))


@given(doses)
def test_exercise_steps_add_up_for_any_dose(raw):
    dose = make_dose(**raw)
    steps = exercise_steps(exercise(), dose)
    sides = 2 if dose["per_side"] else 1
    work = dose["hold_s"] if dose["hold_s"] is not None else dose["reps"] * REP_TEMPO_S
    between_sets = dose["rest_s"] or (SWITCH_SIDE_S if dose["per_side"] else 0)
    expected = (dose["sets"] * sides * work + dose["sets"] * (sides - 1) * SWITCH_SIDE_S
                + (dose["sets"] - 1) * between_sets)
    assert sum(step["duration_s"] for step in steps) == expected
    assert types(steps).count("rest") == (dose["sets"] - 1 if dose["rest_s"] else 0)
    assert steps[0]["type"] in WORK and steps[-1]["type"] in WORK
    assert all(a["type"] in WORK or b["type"] in WORK for a, b in zip(steps, steps[1:]))
    assert [s["set"] for s in steps if s["type"] in WORK] == [
        n for n in range(1, dose["sets"] + 1) for _ in range(sides)]
