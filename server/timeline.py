"""Compile a routine into the timed steps the PWA runs with no network.

Step types, in the order a routine meets them:
- prepare: get into position for the first exercise (skipped for relief routines: the
  person is already cramping and the hold should start at once)
- hold: a timed hold; an until-release hold counts up past `target_s` and ends on a tap,
  and its `duration_s` is that mark so totals stay meaningful
- rep: one set of `rep` repetitions, timed at REP_TEMPO_S each
- switch_side: change to the other side within the same set
- rest: between sets of one exercise, never after its last set
- next_exercise: the pause that introduces the next exercise

Per-side exercises alternate sides within each set (left, then right), so the other side
works while one rests.
"""

from marshmallow import ValidationError

from schemas.content import check_dose_bounds, dose_kind, dose_schema

PREPARE_S = 5
SWITCH_SIDE_S = 5
NEXT_EXERCISE_S = 10
REP_TEMPO_S = 3
SIDES = ("left", "right")


def effective_dose(exercise, overrides):
    """Return the exercise's dose with a routine's overrides applied, validated for its kind."""
    dose = dose_schema.load({**exercise["dose"], **overrides})
    if "kind" in exercise:
        try:
            check_dose_bounds(dose_kind(exercise), dose)
        except ValidationError as error:
            raise ValidationError({"dose": error.messages}) from None
    return dose


def _step(type_, label, duration_s, exercise=None, side=None, until_release=False,
          target_s=None, rep=None, set_=None):
    return {"type": type_, "exercise": exercise, "label": label, "duration_s": duration_s,
            "side": side, "until_release": until_release, "target_s": target_s, "rep": rep,
            "set": set_}


def _side_label(side):
    return f" ({side} side)" if side else ""


def _work(exercise, dose, side, set_):
    """Return the step for one hold or one set of repetitions."""
    slug, name = exercise["slug"], exercise["name"]
    if dose["reps"] is not None:
        return _step("rep", f"{name}: {dose['reps']} reps{_side_label(side)}",
                     dose["reps"] * REP_TEMPO_S, exercise=slug, side=side, rep=dose["reps"], set_=set_)
    if dose["until_release"]:
        return _step("hold", f"{name}: hold until the cramp lets go", dose["hold_s"], exercise=slug,
                     until_release=True, target_s=dose["hold_s"], set_=set_)
    return _step("hold", f"{name}{_side_label(side)}", dose["hold_s"], exercise=slug, side=side,
                 set_=set_)


def exercise_steps(exercise, dose):
    """Return the steps of one exercise: its sets, sides, and the rests between sets."""
    sides = SIDES if dose["per_side"] else (None,)
    steps = []
    for set_ in range(1, dose["sets"] + 1):
        if set_ > 1 and dose["rest_s"]:
            label = "Rest, then the left side" if dose["per_side"] else "Rest"
            steps.append(_step("rest", label, dose["rest_s"], exercise=exercise["slug"], set_=set_ - 1))
        elif set_ > 1 and dose["per_side"]:
            steps.append(_step("switch_side", "Switch to the left side", SWITCH_SIDE_S,
                               exercise=exercise["slug"], side="left", set_=set_))
        for index, side in enumerate(sides):
            if index:
                steps.append(_step("switch_side", f"Switch to the {side} side", SWITCH_SIDE_S,
                                   exercise=exercise["slug"], side=side, set_=set_))
            steps.append(_work(exercise, dose, side, set_))
    return steps


def compile_timeline(routine, exercises):
    """Return {"steps", "total_s"} for a routine, given its exercises by slug."""
    steps = []
    for index, item in enumerate(routine["items"]):
        exercise = exercises[item["exercise"]]
        dose = effective_dose(exercise, item.get("dose", {}))
        first_side = "left" if dose["per_side"] else None
        if index:
            steps.append(_step("next_exercise", f"Next: {exercise['name']}", NEXT_EXERCISE_S,
                               exercise=exercise["slug"], side=first_side))
        elif routine["kind"] != "relief":
            steps.append(_step("prepare", f"Get ready: {exercise['name']}", PREPARE_S,
                               exercise=exercise["slug"], side=first_side))
        steps.extend(exercise_steps(exercise, dose))
    return {"steps": steps, "total_s": sum(step["duration_s"] for step in steps)}
