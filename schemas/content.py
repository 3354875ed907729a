"""The content catalogue (exercises, routines, programmes, pages), its timelines and the red-flag rules."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schemas import vocabulary

MUSCLES = tuple(vocabulary.MUSCLES)
EXERCISE_KINDS = ("stretch", "relief", "strength", "balance", "mobility")
# How a relief exercise works; each has its own dose range.
TECHNIQUES = ("weight_bearing", "pressure", "massage", "heat_cold")
POSITIONS = ("standing", "seated", "lying_back", "lying_side", "kneeling", "any")
# Positions a person mid-cramp may not manage: these stretches name a seated or lying option.
UPRIGHT = ("standing", "kneeling")
# Cautions an exercise must carry, in these words (NHS: exercise in pregnancy; ACOG 2020).
PREGNANCY_SUPINE = ("Pregnant? After about 16 weeks, do not stay lying flat on your back for "
                    "long: do this on your side or propped up, or skip it.")
PREGNANCY_HOPS = "Pregnant? Leave out hops and jumps unless your midwife has agreed to them."
ROUTINE_KINDS = ("relief", "evening", "morning", "warmup", "cooldown", "custom")
STEP_TYPES = ("prepare", "hold", "rep", "switch_side", "rest", "next_exercise")
LEVELS = tuple(vocabulary.LEVELS)
CONTEXTS = tuple(vocabulary.CONTEXTS)
SIDES = tuple(vocabulary.SIDES)
TRIGGERS = tuple(vocabulary.TRIGGERS)
MEDICINES = tuple(vocabulary.MEDICINES)
RED_FLAG_CODES = tuple(vocabulary.RED_FLAGS)

SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Use lower-case words joined by hyphens.")
STRICT_BOOL = {"truthy": {True}, "falsy": {False}}


def _slug(**kwargs):
    return fields.String(validate=[validate.Length(min=1, max=60), SLUG], **kwargs)


def _text(limit, **kwargs):
    return fields.String(validate=validate.Length(min=1, max=limit), **kwargs)


def _enum_list(values, metadata=None, **kwargs):
    return fields.List(fields.String(validate=validate.OneOf(values)),
                       metadata={"items_enum": list(values), **(metadata or {})}, **kwargs)


# Dose bounds by kind (a relief exercise by its technique), from DOMAIN.md: stretches 10-60 s
# (ACSM 10-30 s, older adults 30-60 s, night holds 10 s), a hold until release marks 20-60 s,
# pressure 60-90 s; repetitions only where the kind moves. None: not allowed for that kind.
DOSE_BOUNDS = {
    "stretch": {"hold_s": (10, 60), "reps": None, "sets": (1, 4), "rest_s": (0, 60)},
    "balance": {"hold_s": (20, 60), "reps": None, "sets": (1, 4), "rest_s": (0, 60)},
    "strength": {"hold_s": None, "reps": (5, 20), "sets": (1, 4), "rest_s": (0, 90)},
    "mobility": {"hold_s": (30, 300), "reps": (5, 20), "sets": (1, 2), "rest_s": (0, 60)},
    "weight_bearing": {"hold_s": (20, 60), "reps": None, "sets": (1, 2), "rest_s": (0, 30)},
    "pressure": {"hold_s": (60, 90), "reps": None, "sets": (1, 3), "rest_s": (0, 30)},
    "massage": {"hold_s": (30, 120), "reps": None, "sets": (1, 2), "rest_s": (0, 30)},
    "heat_cold": {"hold_s": (300, 1200), "reps": None, "sets": (1, 1), "rest_s": (0, 0)},
}
UNTIL_RELEASE_MARK = (20, 60)


def dose_kind(exercise):
    """Return the key of DOSE_BOUNDS that bounds this exercise's dose."""
    return exercise.get("technique") or exercise["kind"]


def check_dose_bounds(kind, dose):
    """Raise a ValidationError naming each part of the dose outside the bounds for `kind`."""
    bounds = dict(DOSE_BOUNDS[kind])
    if dose.get("until_release"):
        bounds["hold_s"] = UNTIL_RELEASE_MARK if kind == "stretch" else None
    errors = {}
    for name, limits in bounds.items():
        value = dose.get(name)
        if value is None:
            continue
        if limits is None:
            errors[name] = [f"A {kind.replace('_', ' ')} dose has no {name}."]
        elif not limits[0] <= value <= limits[1]:
            errors[name] = [f"For a {kind.replace('_', ' ')} dose, {name} must be between "
                            f"{limits[0]} and {limits[1]}."]
    if errors:
        raise ValidationError(errors)


class DoseSchema(Schema):
    """How much of an exercise: a timed hold or a number of repetitions, in sets."""

    hold_s = fields.Integer(strict=True, load_default=None, validate=validate.Range(1, 1200),
                            metadata={"description": "Seconds per hold; null for repetitions"})
    until_release = fields.Boolean(
        load_default=False, **STRICT_BOOL,
        metadata={"description": "Hold counts up past hold_s until the person taps"})
    reps = fields.Integer(strict=True, load_default=None, validate=validate.Range(1, 20),
                          metadata={"description": "Repetitions per set; null for holds"})
    sets = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 4))
    per_side = fields.Boolean(load_default=False, **STRICT_BOOL)
    rest_s = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 90),
                            metadata={"description": "Rest between sets, never after the last"})

    @validates_schema
    def check_shape(self, dose, **kwargs):
        """Require exactly one of hold_s and reps; an until-release hold is a single hold."""
        if (dose.get("hold_s") is None) == (dose.get("reps") is None):
            raise ValidationError("Give either hold_s or reps, not both or neither.", "hold_s")
        if dose.get("until_release"):
            if dose.get("hold_s") is None:
                raise ValidationError("An until-release hold needs hold_s as its mark.", "until_release")
            if dose.get("sets", 1) != 1 or dose.get("per_side"):
                raise ValidationError("An until-release hold is one hold on one side.", "until_release")


class DoseOverrideSchema(Schema):
    """Changes a routine makes to an exercise's own dose; omitted fields keep the exercise's."""

    hold_s = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 1200))
    until_release = fields.Boolean(**STRICT_BOOL)
    reps = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1, 20))
    sets = fields.Integer(strict=True, validate=validate.Range(1, 4))
    per_side = fields.Boolean(**STRICT_BOOL)
    rest_s = fields.Integer(strict=True, validate=validate.Range(0, 90))


# Pictures (server/pictures.py draws them): the range of each joint angle, in degrees, inside
# which a human joint moves; what a picture may hold; where its figure may rest.
# The hip is measured from the trunk's line, which also bends with the lower back: its flexion
# goes past the hip joint's own (about 120-140 degrees) by the spine's share.
JOINT_RANGES = {"lean": (-180, 180), "neck": (-50, 60), "hip": (-40, 160), "knee": (0, 155),
                "ankle": (-50, 35), "shoulder": (-60, 185), "elbow": (0, 155), "wrist": (-90, 90)}
PROPS = ("wall", "chair", "table", "cushion", "towel", "pack", "rail")
SURFACES = ("floor", "bed", "step", "chair")
VIEWS = ("side", "front", "above")
LIMB_POINTS = ("hip", "knee", "ankle", "heel", "toe", "shoulder", "elbow", "wrist", "hand",
               "shin", "thigh", "forearm")
POINT_NAMES = ("hip", "shoulder", "neck", "head") + tuple(
    f"{side}.{name}" for side in ("near", "far") for name in LIMB_POINTS)
# Every muscle but "other" has a place on the figure to be marked.
DRAWN_MUSCLES = tuple(muscle for muscle in MUSCLES if muscle != "other")


def _angle(joint, **kwargs):
    low, high = JOINT_RANGES[joint]
    return fields.Integer(strict=True, validate=validate.Range(low, high), **kwargs)


class LimbPoseSchema(Schema):
    """One side's joint angles in degrees (server/pictures.py gives each its meaning)."""

    hip = _angle("hip", required=True)
    knee = _angle("knee", required=True)
    ankle = _angle("ankle", required=True)
    shoulder = _angle("shoulder", required=True)
    elbow = _angle("elbow", required=True)
    wrist = _angle("wrist", required=True)
    toward = fields.Float(load_default=1.0, validate=validate.Range(0.3, 1),
                          metadata={"description": "Front or above: the share of the leg's "
                                                   "length seen, when it points at the viewer"})


class PropSchema(Schema):
    """A thing in the picture, drawn at one of the figure's points."""

    kind = fields.String(required=True, validate=validate.OneOf(PROPS))
    at = fields.String(load_default=None, validate=validate.OneOf(POINT_NAMES),
                       metadata={"description": "Where it is; a pack lies on the marked muscle"})
    to = fields.String(load_default=None, validate=validate.OneOf(POINT_NAMES),
                       metadata={"description": "The towel's other end"})


class FrameSchema(Schema):
    """One position of the figure: the trunk's lean, the neck, and each side's joints."""

    view = fields.String(load_default="side", validate=validate.OneOf(VIEWS),
                         metadata={"description": "side; front; or above, a figure lying on its "
                                                  "side seen from the ceiling (no floor drawn)"})
    seated = fields.Boolean(load_default=False, **STRICT_BOOL,
                            metadata={"description": "Front view: thighs toward the viewer"})
    lean = _angle("lean", required=True)
    neck = _angle("neck", required=True)
    near = fields.Nested(LimbPoseSchema, required=True)
    far = fields.Nested(LimbPoseSchema, required=True)
    on = fields.String(load_default="floor", validate=validate.OneOf(SURFACES))
    support = fields.String(load_default=None, validate=validate.OneOf(POINT_NAMES),
                            metadata={"description": "The point resting on the surface; "
                                                     "null for the lowest"})
    lift = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, 30),
                          metadata={"description": "Height above the surface (a hop)"})
    props = fields.List(fields.Nested(PropSchema), load_default=list,
                        validate=validate.Length(max=4))

    @validates_schema
    def check_frame(self, frame, **kwargs):
        """A towel has two ends; a seated figure is seen from the front."""
        for prop in frame.get("props", []):
            if (prop["kind"] == "towel") != (prop.get("to") is not None):
                raise ValidationError("A towel, and only a towel, names its other end.", "props")
            if (prop["kind"] == "pack") == (prop.get("at") is not None):
                raise ValidationError("A pack lies on the marked muscle; every other prop names "
                                      "where it is.", "props")
        if frame.get("seated") and frame.get("view") != "front":
            raise ValidationError("Only a front view is drawn seated.", "seated")
        if frame.get("view") == "side" and any(frame[side].get("toward", 1) != 1
                                               for side in ("near", "far")):
            raise ValidationError("A side view shows the legs at full length.", "toward")


class PictureSchema(Schema):
    """An exercise drawn: one or two frames of the one figure, and the muscle marked."""

    alt = _text(300, required=True,
                metadata={"description": "The picture in words: the position and what to feel"})
    highlight = fields.String(load_default=None, validate=validate.OneOf(DRAWN_MUSCLES),
                              metadata={"description": "The muscle marked; one of the exercise's"})
    frames = fields.List(fields.Nested(FrameSchema), required=True,
                         validate=validate.Length(min=1, max=2))


class ExerciseSchema(Schema):
    slug = _slug(required=True)
    name = _text(80, required=True)
    summary = _text(300, required=True)
    muscles = _enum_list(MUSCLES, required=True, validate=validate.Length(min=1))
    kind = fields.String(required=True, validate=validate.OneOf(EXERCISE_KINDS))
    technique = fields.String(load_default=None, validate=validate.OneOf(TECHNIQUES),
                              metadata={"description": "How a relief exercise works; null otherwise"})
    position = fields.String(required=True, validate=validate.OneOf(POSITIONS))
    impact = fields.Boolean(load_default=False, **STRICT_BOOL,
                            metadata={"description": "Hops or jumps: both feet leave the floor"})
    alternative = _text(300, load_default=None,
                        metadata={"description": "A seated or lying way to do an upright stretch"})
    steps = fields.List(_text(300), required=True, validate=validate.Length(min=1, max=12))
    dose = fields.Nested(DoseSchema, required=True)
    cautions = fields.List(_text(300), load_default=list)
    sources = fields.List(_text(120), required=True, validate=validate.Length(min=1))
    picture = fields.Nested(PictureSchema, required=True)

    @validates_schema
    def check_exercise(self, exercise, **kwargs):
        """Keep the dose in its kind's bounds and the safety notes an exercise must carry."""
        if (exercise["kind"] == "relief") != (exercise.get("technique") is not None):
            raise ValidationError("A relief exercise names its technique; no other kind does.",
                                  "technique")
        try:
            check_dose_bounds(dose_kind(exercise), exercise["dose"])
        except ValidationError as error:
            raise ValidationError({"dose": error.messages}) from None
        if (exercise["kind"] in ("stretch", "relief") and exercise["position"] in UPRIGHT
                and not exercise.get("alternative")):
            raise ValidationError("An upright stretch needs a seated or lying alternative.",
                                  "alternative")
        highlight = exercise["picture"]["highlight"]
        drawable = [muscle for muscle in exercise["muscles"] if muscle in DRAWN_MUSCLES]
        if highlight not in drawable and (highlight is not None or drawable):
            raise ValidationError("Mark one of the exercise's muscles in its picture.",
                                  "picture")
        needed = ([PREGNANCY_SUPINE] if exercise["position"] == "lying_back" else []) + (
            [PREGNANCY_HOPS] if exercise.get("impact") else [])
        missing = [text for text in needed if text not in exercise.get("cautions", [])]
        if missing:
            raise ValidationError([f"Add the caution: {text}" for text in missing], "cautions")


class RoutineItemSchema(Schema):
    exercise = _slug(required=True)
    dose = fields.Nested(DoseOverrideSchema, load_default=dict)


class RoutineSchema(Schema):
    slug = _slug(required=True)
    name = _text(80, required=True)
    summary = _text(400, required=True)
    kind = fields.String(required=True, validate=validate.OneOf(ROUTINE_KINDS))
    muscles = _enum_list(MUSCLES, required=True, validate=validate.Length(min=1))
    items = fields.List(fields.Nested(RoutineItemSchema), required=True,
                        validate=validate.Length(min=1, max=30))
    sources = fields.List(_text(120), required=True, validate=validate.Length(min=1))


class PhaseSchema(Schema):
    weeks = fields.List(fields.Integer(strict=True, validate=validate.Range(1, 52)), required=True,
                        validate=validate.Length(equal=2),
                        metadata={"description": "[first, last] week of the phase, inclusive"})
    goal = _text(300, required=True)
    routine = _slug(required=True, metadata={"description": "Slug of the routine for each session"})
    sessions_per_week = fields.Integer(strict=True, required=True, validate=validate.Range(1, 7))
    times_per_day = fields.Integer(strict=True, load_default=1, validate=validate.Range(1, 3))
    ready_when = _text(300, load_default=None,
                       metadata={"description": "What to manage before starting this phase"})

    @validates_schema
    def check_weeks(self, phase, **kwargs):
        """Require the first week to come no later than the last."""
        first, last = phase["weeks"]
        if first > last:
            raise ValidationError("The first week must not come after the last.", "weeks")


class ProgressSchema(Schema):
    """When to move on to the next phase and when to step back (pain-monitoring model)."""

    pain_max = fields.Integer(strict=True, required=True, validate=validate.Range(0, 5),
                              metadata={"description": "Most pain (0-10) during an exercise to move on"})
    move_on = _text(300, required=True)
    step_back = _text(300, required=True)


class ProgrammeSchema(Schema):
    slug = _slug(required=True)
    name = _text(80, required=True)
    summary = _text(500, required=True)
    weeks = fields.Integer(strict=True, required=True, validate=validate.Range(1, 52))
    phases = fields.List(fields.Nested(PhaseSchema), required=True, validate=validate.Length(min=1))
    progress = fields.Nested(ProgressSchema, required=True)
    sources = fields.List(_text(120), required=True, validate=validate.Length(min=1))

    @validates_schema
    def check_phases(self, programme, **kwargs):
        """Require phases to follow each other week by week and cover the whole programme."""
        expected = 1
        for phase in programme["phases"]:
            first, last = phase["weeks"]
            if first != expected:
                raise ValidationError(f"A phase should start in week {expected}.", "phases")
            expected = last + 1
        if expected != programme["weeks"] + 1:
            raise ValidationError("The phases must end in the programme's last week.", "phases")


class PageSectionSchema(Schema):
    heading = _text(80, required=True)
    text = fields.List(_text(400), required=True, validate=validate.Length(min=1, max=8))
    sources = fields.List(_text(120), required=True, validate=validate.Length(min=1))


class PageSchema(Schema):
    """A short page of guidance (about cramps, the stop rules shown before a routine)."""

    slug = _slug(required=True)
    title = _text(80, required=True)
    sections = fields.List(fields.Nested(PageSectionSchema), required=True,
                           validate=validate.Length(min=1, max=12))


class TimelineStepSchema(Schema):
    type = fields.String(required=True, validate=validate.OneOf(STEP_TYPES))
    exercise = fields.String(allow_none=True, required=True)
    label = fields.String(required=True)
    duration_s = fields.Integer(required=True,
                                metadata={"description": "Seconds; for an until-release hold, its mark"})
    side = fields.String(allow_none=True, required=True, validate=validate.OneOf(("left", "right")))
    until_release = fields.Boolean(required=True)
    target_s = fields.Integer(allow_none=True, required=True,
                              metadata={"description": "The mark an until-release hold counts past"})
    rep = fields.Integer(allow_none=True, required=True,
                         metadata={"description": "Repetitions to do in a rep step"})
    set = fields.Integer(allow_none=True, required=True, metadata={"description": "1-based set"})


class TimelineSchema(Schema):
    steps = fields.List(fields.Nested(TimelineStepSchema), required=True)
    total_s = fields.Integer(required=True)


class RoutineDetailSchema(RoutineSchema):
    timeline = fields.Nested(TimelineSchema, dump_only=True)


class SignsConditionSchema(Schema):
    """What one episode shows: ticked signs, where and when it happened, and profile facts.

    Every key present must hold (an AND); within `any` one code is enough, within `all` every
    code must be ticked. `pregnant` holds when the profile says so or the episode is tagged
    "pregnancy"; `medicines` when the profile names one of them.
    """

    type = fields.String(required=True, validate=validate.Equal("signs"))
    any = _enum_list(RED_FLAG_CODES, validate=validate.Length(min=1),
                     metadata={"description": "At least one of these ticked"})
    all = _enum_list(RED_FLAG_CODES, validate=validate.Length(min=1),
                     metadata={"description": "Every one of these ticked"})
    contexts = _enum_list(CONTEXTS, validate=validate.Length(min=1),
                          metadata={"description": "Only when the entry's context is one of these"})
    except_contexts = _enum_list(CONTEXTS, validate=validate.Length(min=1))
    muscles = _enum_list(MUSCLES, validate=validate.Length(min=1))
    sides = _enum_list(SIDES, validate=validate.Length(min=1))
    triggers = _enum_list(TRIGGERS, validate=validate.Length(min=1),
                          metadata={"description": "At least one of these tagged"})
    pregnant = fields.Boolean(validate=validate.Equal(True), **STRICT_BOOL)
    medicines = _enum_list(MEDICINES, validate=validate.Length(min=1),
                           metadata={"description": "The profile names one of these"})

    @validates_schema
    def check_reachable(self, when, **kwargs):
        """Refuse a rule that would flag every cramp, or whose parts say the same twice."""
        if not {"any", "all", "triggers", "pregnant", "medicines"} & set(when):
            raise ValidationError("Name at least one sign, tag or profile fact.", "any")
        both = set(when.get("any", ())) & set(when.get("all", ()))
        if both:
            raise ValidationError(f"In both any and all: {', '.join(sorted(both))}.", "all")
        if "contexts" in when and "except_contexts" in when:
            raise ValidationError("Give contexts or except_contexts, not both.", "contexts")


class NewPrescriptionConditionSchema(Schema):
    """The episode is tagged as a medicine change, or the profile's newest medicine started in
    the `days` days up to the episode's own day."""

    type = fields.String(required=True, validate=validate.Equal("new_prescription"))
    days = fields.Integer(strict=True, required=True, validate=validate.Range(1, 366))


class DurationConditionSchema(Schema):
    type = fields.String(required=True, validate=validate.Equal("duration_over"))
    seconds = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))


class NightsConditionSchema(Schema):
    type = fields.String(required=True, validate=validate.Equal("nights"))
    nights = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    days = fields.Integer(strict=True, required=True, validate=validate.Range(1, 28))


class RisingConditionSchema(Schema):
    type = fields.String(required=True, validate=validate.Equal("rising"))
    days = fields.Integer(strict=True, required=True, validate=validate.Range(1, 14))
    min_recent = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    factor = fields.Integer(strict=True, required=True, validate=validate.Range(min=2))


class SevereRunConditionSchema(Schema):
    type = fields.String(required=True, validate=validate.Equal("severe_run"))
    days = fields.Integer(strict=True, required=True, validate=validate.Range(1, 28))
    count = fields.Integer(strict=True, required=True, validate=validate.Range(min=1))
    min_intensity = fields.Integer(strict=True, required=True, validate=validate.Range(0, 10))
    min_duration_s = fields.Integer(strict=True, required=True, validate=validate.Range(min=0))


class ActiveDaysConditionSchema(Schema):
    """Cramps on at least `min_days` distinct calendar days within the last `days` days."""

    type = fields.String(required=True, validate=validate.Equal("active_days"))
    days = fields.Integer(strict=True, required=True, validate=validate.Range(1, 28))
    min_days = fields.Integer(strict=True, required=True, validate=validate.Range(min=2))

    @validates_schema
    def check_reachable(self, when, **kwargs):
        """Refuse more days than the window holds."""
        if when["min_days"] > when["days"]:
            raise ValidationError("min_days cannot exceed days.", "min_days")


CONDITION_SCHEMAS = {
    "signs": SignsConditionSchema(),
    "new_prescription": NewPrescriptionConditionSchema(),
    "duration_over": DurationConditionSchema(),
    "nights": NightsConditionSchema(),
    "rising": RisingConditionSchema(),
    "severe_run": SevereRunConditionSchema(),
    "active_days": ActiveDaysConditionSchema(),
}


class Condition(fields.Field):
    """A rule's test: an object whose `type` picks the schema that validates the rest."""

    def _deserialize(self, value, attr, data, **kwargs):
        schema = CONDITION_SCHEMAS.get(value.get("type")) if isinstance(value, dict) else None
        if schema is None:
            raise ValidationError(f"Needs a type, one of: {', '.join(CONDITION_SCHEMAS)}.")
        return schema.load(value)


class RedFlagRuleSchema(Schema):
    """One rule. A `self_care` rule reassures: its message shows only when no rule above
    self-care fires. `concern` names the possible cause for the physio; the person never sees it."""

    id = _slug(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    message = _text(400, required=True)
    when = Condition(required=True)
    concern = _text(80)
    sources = fields.List(_text(120), required=True, validate=validate.Length(min=1))


class PublicRuleSchema(Schema):
    """A rule as the app evaluates it offline: no sources, no clinician's concern."""

    id = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    message = fields.String(required=True)
    when = fields.Dict(required=True, metadata={
        "description": "The condition: `type` names the test, the other keys its parameters "
                       "(see server/redflags.py)"})


class RuleSetSchema(Schema):
    """The red-flag rules, in catalogue order, with the version that names this set."""

    version = fields.String(required=True, metadata={"description": "Changes when any rule does"})
    history_days = fields.Integer(required=True, metadata={
        "description": "How many days of the person's earlier cramps the pattern rules read"})
    rules = fields.List(fields.Nested(PublicRuleSchema), required=True)


class FlagSchema(Schema):
    rule = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    message = fields.String(required=True)


class AssessmentSchema(Schema):
    level = fields.String(required=True, validate=validate.OneOf(LEVELS))
    flags = fields.List(fields.Nested(FlagSchema), required=True)


class ExerciseListSchema(Schema):
    items = fields.List(fields.Nested(ExerciseSchema), required=True)


class RoutineListSchema(Schema):
    items = fields.List(fields.Nested(RoutineSchema), required=True)


class ProgrammeListSchema(Schema):
    items = fields.List(fields.Nested(ProgrammeSchema), required=True)


class PageListSchema(Schema):
    items = fields.List(fields.Nested(PageSchema), required=True)


class ExerciseQuerySchema(Schema):
    muscle = fields.String(validate=validate.OneOf(MUSCLES), metadata={"enum": list(MUSCLES)})
    kind = fields.String(validate=validate.OneOf(EXERCISE_KINDS),
                         metadata={"enum": list(EXERCISE_KINDS)})


class RoutineQuerySchema(Schema):
    muscle = fields.String(validate=validate.OneOf(MUSCLES), metadata={"enum": list(MUSCLES)})
    kind = fields.String(validate=validate.OneOf(ROUTINE_KINDS),
                         metadata={"enum": list(ROUTINE_KINDS)})


exercise_schema = ExerciseSchema()
dose_schema = DoseSchema()
routine_schema = RoutineSchema()
routine_detail_schema = RoutineDetailSchema()
programme_schema = ProgrammeSchema()
timeline_schema = TimelineSchema()
red_flag_rule_schema = RedFlagRuleSchema()
assessment_schema = AssessmentSchema()
rule_set_schema = RuleSetSchema()
exercise_list_schema = ExerciseListSchema()
routine_list_schema = RoutineListSchema()
programme_list_schema = ProgrammeListSchema()
page_schema = PageSchema()
page_list_schema = PageListSchema()
exercise_query_schema = ExerciseQuerySchema()
routine_query_schema = RoutineQuerySchema()
