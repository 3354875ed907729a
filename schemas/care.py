"""The physio's workspace: invites, links, patients, their data, comments and assignments."""

from datetime import date, timedelta

from marshmallow import (Schema, ValidationError, fields, post_load, pre_load, validate,
                         validates_schema)

from schemas.content import RoutineItemSchema
from schemas.entries import KINDS
from schemas.limits import MAX_INT, Text
from schemas.times import STAMP, UtcDateTime

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
CODE_LENGTH = 10
MAX_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 91  # thirteen weeks: a season of a programme and its run-up
ASSIGNMENT_KINDS = ("programme", "routine", "composed")
AUDIT_ACTIONS = ("list", "summary", "entries", "charts", "export_csv", "export_fhir",
                 "export_pdf", "comments", "assignments", "review", "comment", "uncomment",
                 "assign", "unassign", "handout")
# What normalise_code() turns into a code: ten of its symbols (O, I, L read as 0, 1, 1), any case,
# with spaces or dashes anywhere. The Swagger document declares it, so nothing it allows is refused.
CODE_AS_TYPED = rf"^[ -]*([0-9A-TV-Za-tv-z][ -]*){{{CODE_LENGTH}}}$"
SLUG = validate.Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="Must be a catalogue slug.")


def normalise_code(value):
    """Read a code as people type it: any case, with spaces or dashes, O for 0, I or L for 1."""
    # strip(): the pattern's $ lets one trailing newline through, as pasting adds.
    text = "".join(ch for ch in value.strip().upper() if ch not in " -")
    return text.translate(str.maketrans("OIL", "011"))


class QueryInteger(fields.Integer):
    """An integer read from a query string, between `low` and `high` (at most MAX_INT)."""

    def __init__(self, low=1, high=MAX_INT, **kwargs):
        super().__init__(validate=validate.Range(low, min(high, MAX_INT)), **kwargs)


class PersonSchema(Schema):
    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)


class PhysioSchema(PersonSchema):
    email = fields.Email(dump_only=True, metadata={
        "description": "So the patient can check who they are sharing with"})
    verified = fields.Boolean(dump_only=True, metadata={
        "description": "Whether the operator of this server verified the account as a "
                       "physiotherapist's; anyone can open one that is not"})


class InviteCreateSchema(Schema):
    label = Text(load_default="", validate=validate.Length(max=100),
                          metadata={"description": "A note for the physio: who the code is for"})
    valid_hours = fields.Integer(strict=True, load_default=72, validate=validate.Range(1, 336))


class InviteSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True, metadata={
        "description": "Shown once: only a hash is stored. Give it to the patient."})
    label = Text(dump_only=True)
    expires_at = UtcDateTime(dump_only=True)
    created_at = UtcDateTime(dump_only=True)


class CodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(
        CODE_AS_TYPED, error="That is not an invite code: check it and retype."), metadata={
            "description": "The invite code, as typed: any case, spaces or dashes between"})

    @post_load
    def tidy(self, data, **kwargs):
        return {"code": normalise_code(data["code"])}


class PreviewSchema(Schema):
    physio = fields.Nested(PhysioSchema, dump_only=True)
    shares = fields.List(fields.String(), dump_only=True,
                         metadata={"description": "What the physio will see, in words"})
    expires_at = UtcDateTime(dump_only=True)


class LinkSchema(Schema):
    id = fields.Integer(dump_only=True)
    physio = fields.Nested(PhysioSchema, dump_only=True)
    patient = fields.Nested(PersonSchema, dump_only=True)
    created_at = UtcDateTime(dump_only=True)
    revoked_at = UtcDateTime(dump_only=True, allow_none=True)
    active = fields.Boolean(dump_only=True)


class ReasonSchema(Schema):
    code = fields.String(dump_only=True, metadata={"enum": [
        "red_flags", "rising_frequency", "high_intensity", "no_sync", "low_adherence"]})
    text = Text(dump_only=True)
    weight = fields.Integer(dump_only=True)
    level = fields.String(dump_only=True, allow_none=True)


class PatientSchema(Schema):
    id = fields.Integer(dump_only=True)
    display_name = fields.String(dump_only=True)
    link_id = fields.Integer(dump_only=True)
    linked_at = UtcDateTime(dump_only=True)
    reviewed_at = UtcDateTime(dump_only=True, allow_none=True)
    last_sync_at = UtcDateTime(dump_only=True, allow_none=True)
    last_entry_at = UtcDateTime(dump_only=True, allow_none=True)
    score = fields.Integer(dump_only=True, metadata={"description": "Sum of the reasons' weights"})
    level = fields.String(dump_only=True, allow_none=True, metadata={
        "enum": ["see_doctor", "urgent", "emergency"],
        "description": "Most serious warning level since the last review; these come first"})
    reasons = fields.List(fields.Nested(ReasonSchema), dump_only=True)


# Far enough apart for any diary, near enough that a window around them stays a valid date.
PLAUSIBLE = validate.Range(date(1900, 1, 1), date(2999, 12, 31),
                           error="Must be between 1900-01-01 and 2999-12-31.")


class RangeQuerySchema(Schema):
    date_from = fields.Date(data_key="from", load_default=None, validate=PLAUSIBLE,
                            metadata={"description": "First day (the patient's calendar)"})
    date_to = fields.Date(data_key="to", load_default=None, validate=PLAUSIBLE,
                          metadata={"description": "Last day, inclusive"})

    @validates_schema
    def check_order(self, data, **kwargs):
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError({"from": ["Must not be after 'to'."]})
        if start and end and (end - start).days >= MAX_RANGE_DAYS:
            raise ValidationError({"from": [f"A range spans at most {MAX_RANGE_DAYS} days."]})


def resolve_range(query, today):
    """Fill a range query's missing ends: up to today, thirteen weeks back."""
    end = query.get("date_to") or today
    start = query.get("date_from") or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if (end - start).days >= MAX_RANGE_DAYS:
        raise ValidationError({"from": [f"A range spans at most {MAX_RANGE_DAYS} days."]})
    return start, end


class EntryQuerySchema(RangeQuerySchema):
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    page = QueryInteger(load_default=1)
    per_page = QueryInteger(high=200, load_default=50)


class ChartsQuerySchema(RangeQuerySchema):
    format = fields.String(load_default="data", validate=validate.OneOf(("data", "svg")))


class EntryViewSchema(Schema):
    key = fields.String(dump_only=True)
    kind = fields.String(dump_only=True)
    occurred_at = fields.String(dump_only=True, metadata={"description": "ISO 8601 with offset"})
    data = fields.Dict(dump_only=True)
    assessment = fields.Dict(dump_only=True, allow_none=True)


class EntryPageSchema(Schema):
    items = fields.List(fields.Nested(EntryViewSchema), dump_only=True)
    page = fields.Integer(dump_only=True)
    per_page = fields.Integer(dump_only=True)
    total = fields.Integer(dump_only=True)
    has_more = fields.Boolean(dump_only=True)


class CommentCreateSchema(Schema):
    text = Text(required=True, validate=validate.Length(min=1, max=2000))
    entry_key = Text(load_default=None, allow_none=True,
                              validate=validate.Length(min=1, max=36),
                              metadata={"description": "The entry it is about; none: the patient"})

    @pre_load
    def strip(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            data = dict(data, text=data["text"].strip())
        return data


class CommentSchema(Schema):
    """A comment as the physio's view and the patient's devices (entity "comment") see it."""

    key = fields.String(dump_only=True)
    text = Text(dump_only=True)
    entry_key = Text(dump_only=True, allow_none=True)
    author = fields.Nested(PersonSchema, dump_only=True)
    created_at = fields.String(dump_only=True, metadata=STAMP)


class OwnProgrammeSchema(Schema):
    programme = fields.String(required=True, validate=SLUG)
    start_date = fields.Date(load_default=date.today, validate=PLAUSIBLE,
                             metadata={"description": "Default: today (the server's date)"})


class ComposedRoutineSchema(Schema):
    name = Text(required=True, validate=validate.Length(min=1, max=80))
    summary = Text(load_default="", validate=validate.Length(max=400))
    items = fields.List(fields.Nested(RoutineItemSchema), required=True,
                        validate=validate.Length(1, 20), metadata={
                            "description": "Catalogue exercises, each with the dose to use"})


class AssignmentCreateSchema(Schema):
    programme = fields.String(load_default=None, validate=SLUG)
    routine = fields.String(load_default=None, validate=SLUG)
    composed = fields.Nested(ComposedRoutineSchema, load_default=None)
    start_date = fields.Date(required=True, validate=PLAUSIBLE)
    sessions_per_week = fields.Integer(strict=True, load_default=7, validate=validate.Range(1, 21),
                                       metadata={"description": "Routines only: a programme "
                                                 "sets its own per phase"})
    note = Text(load_default="", validate=validate.Length(max=2000))

    @validates_schema
    def exactly_one(self, data, **kwargs):
        given = [name for name in ASSIGNMENT_KINDS if data.get(name)]
        if len(given) != 1:
            raise ValidationError({"programme": [
                "Give exactly one of programme, routine or composed."]})


class PlanItemSchema(Schema):
    routine = fields.String(dump_only=True, metadata={"description": "Routine slug to run"})
    date_from = fields.String(data_key="from", attribute="from", dump_only=True,
                              metadata={"format": "date"})
    date_to = fields.String(data_key="to", attribute="to", dump_only=True, allow_none=True,
                            metadata={"format": "date", "description": "Open-ended when null"})
    sessions_per_week = fields.Integer(dump_only=True)


class AssignmentSchema(Schema):
    """An assignment as the physio's view and the patient's devices (entity "assignment") see it."""

    key = fields.String(dump_only=True)
    kind = fields.String(dump_only=True, metadata={"enum": list(ASSIGNMENT_KINDS)})
    slug = fields.String(dump_only=True, metadata={
        "description": "The catalogue slug, or the composed routine's own slug"})
    title = fields.String(dump_only=True)
    start_date = fields.String(dump_only=True, metadata={"format": "date"})
    note = Text(dump_only=True)
    routine = fields.Dict(dump_only=True, allow_none=True, metadata={
        "description": "Composed only: the routine with its items and timeline, to run offline"})
    plan = fields.List(fields.Nested(PlanItemSchema), dump_only=True)
    author = fields.Nested(PersonSchema, dump_only=True)
    self_started = fields.Boolean(dump_only=True, metadata={
        "description": "Started by the person themselves (POST /me/programmes), not a physio"})
    created_at = fields.String(dump_only=True, metadata=STAMP)


class WarningSchema(Schema):
    key = fields.String(dump_only=True, metadata={"description": "The entry's key"})
    occurred_at = fields.String(dump_only=True)
    level = fields.String(dump_only=True, metadata={"enum": ["see_doctor", "urgent",
                                                             "emergency"]})
    text = Text(dump_only=True)


class WarningGroupSchema(Schema):
    rule = fields.String(dump_only=True, metadata={
        "description": "The rule that raised the warnings, or 'ticked' for signs no rule judged"})
    title = fields.String(dump_only=True, metadata={"description": "The concern, for a clinician"})
    level = fields.String(dump_only=True, metadata={"enum": ["see_doctor", "urgent",
                                                             "emergency"]})
    count = fields.Integer(dump_only=True)
    dates = fields.List(fields.String(), dump_only=True,
                        metadata={"description": "The patient's own dates, newest first"})


class SummarySchema(Schema):
    patient = fields.Nested(PatientSchema, dump_only=True)
    numbers = fields.Dict(dump_only=True, metadata={
        "description": "Headline numbers of the range: episodes, per week, intensity, drinks"})
    before_after = fields.List(fields.Dict(), dump_only=True, metadata={
        "description": "Per assignment: episodes per week in the two weeks before its start "
                       "against the latest two weeks, change_pct, and the same in words"})
    warning_signs = fields.List(fields.Nested(WarningSchema), dump_only=True)
    warning_groups = fields.List(fields.Nested(WarningGroupSchema), dump_only=True, metadata={
        "description": "The same warnings grouped by the rule that raised them"})
    comments = fields.List(fields.Nested(CommentSchema), dump_only=True)
    assignments = fields.List(fields.Nested(AssignmentSchema), dump_only=True)
    patterns = fields.Nested(lambda: PatternsSchema(), dump_only=True, metadata={
        "description": "The declared comparisons of the last 26 weeks (as GET /me/patterns)"})


def series(description):
    """Declare one chart's data points (format=data only)."""
    return fields.List(fields.Dict(), dump_only=True, metadata={"description": description})


class ChartsSvgSchema(Schema):
    """The charts of a range: drawn (format=svg: `charts`) or as their series (format=data)."""

    date_from = fields.String(data_key="from", attribute="from", dump_only=True,
                              metadata={"format": "date"})
    date_to = fields.String(data_key="to", attribute="to", dump_only=True,
                            metadata={"format": "date"})
    charts = fields.Dict(keys=fields.String(), values=fields.String(), dump_only=True, metadata={
        "description": "format=svg only: chart name to an SVG document"})
    episodes_per_week = series("Episodes per week, with mean intensity")
    by_muscle = series("Episodes per muscle")
    by_context = series("Episodes per context")
    night_vs_exercise = series("Night and exercise episodes per week")
    hydration = series("Intake against target per day")
    adherence = series("Sessions done against planned per week")
    before_after = series("Per assignment: episodes per week before its start and lately")


class AuditSchema(Schema):
    at = UtcDateTime(dump_only=True)
    physio = fields.Nested(PersonSchema, dump_only=True, metadata={
        "description": "id is null once the physio's account is deleted; the name stays"})
    action = fields.String(dump_only=True, metadata={"enum": list(AUDIT_ACTIONS)})
    detail = fields.String(dump_only=True)


class PasswordSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=200))


invite_create_schema = InviteCreateSchema()
invite_schema = InviteSchema()
code_schema = CodeSchema()
preview_schema = PreviewSchema()
link_schema = LinkSchema()
links_schema = LinkSchema(many=True)
patients_schema = PatientSchema(many=True)
range_query_schema = RangeQuerySchema()
entry_query_schema = EntryQuerySchema()
charts_query_schema = ChartsQuerySchema()
entry_page_schema = EntryPageSchema()
comment_create_schema = CommentCreateSchema()
comment_schema = CommentSchema()
assignment_create_schema = AssignmentCreateSchema()
assignment_schema = AssignmentSchema()
audit_schema = AuditSchema(many=True)
summary_schema = SummarySchema()
charts_svg_schema = ChartsSvgSchema()
comments_schema = CommentSchema(many=True)
assignments_schema = AssignmentSchema(many=True)
password_schema = PasswordSchema()
own_programme_schema = OwnProgrammeSchema()


class ComparisonSchema(Schema):
    title = fields.String(dump_only=True)
    groups = fields.List(fields.String(), dump_only=True,
                         metadata={"description": "The two groups of days, in words"})
    days = fields.List(fields.Integer(), dump_only=True,
                       metadata={"description": "Days in the group, then in the other group"})
    episodes = fields.List(fields.Integer(), dump_only=True)
    ratio = fields.Float(dump_only=True, allow_none=True,
                         metadata={"description": "Episodes per day, the group over the other"})
    lower = fields.Float(dump_only=True, allow_none=True,
                         metadata={"description": "95% exact interval; null when unbounded"})
    upper = fields.Float(dump_only=True, allow_none=True)
    clear = fields.Boolean(dump_only=True,
                           metadata={"description": "Whether the interval leaves out 1"})
    text = fields.String(dump_only=True, metadata={"description": "The answer in plain words"})


class TriggerShareSchema(Schema):
    trigger = fields.String(dump_only=True)
    episodes = fields.Integer(dump_only=True)
    share = fields.Integer(dump_only=True, metadata={"description": "Percent of all episodes"})


class BlockSchema(Schema):
    kind = fields.String(dump_only=True, metadata={"enum": ["with", "without"]})
    start = fields.Date(dump_only=True)
    end = fields.Date(dump_only=True, metadata={"description": "Its last day"})


class ExperimentReportSchema(Schema):
    habit = fields.String(dump_only=True)
    title = fields.String(dump_only=True)
    status = fields.String(dump_only=True, metadata={"enum": ["running", "stopped", "ended"]})
    started_on = fields.Date(dump_only=True)
    ends_on = fields.Date(dump_only=True, metadata={
        "description": "The day after the last block (or the day it was stopped)"})
    blocks = fields.List(fields.Nested(BlockSchema), dump_only=True)
    current = fields.Integer(dump_only=True, allow_none=True,
                             metadata={"description": "Index of today's block, if running"})
    kept = fields.List(fields.Integer(), dump_only=True, metadata={
        "description": "Days the habit was kept and days so far, in the blocks with it, then "
                       "in the blocks without it"})
    note = fields.String(dump_only=True, allow_none=True, metadata={
        "description": "How often the habit was kept in each kind of block, in words"})
    result = fields.Nested(ComparisonSchema, dump_only=True, allow_none=True, metadata={
        "description": "The weeks with the habit against those without, once it is over"})


class PatternsSchema(Schema):
    comparisons = fields.List(fields.Nested(ComparisonSchema), dump_only=True)
    experiment = fields.Nested(ExperimentReportSchema, dump_only=True, allow_none=True)
    triggers = fields.List(fields.Nested(TriggerShareSchema), dump_only=True)
    days = fields.Integer(dump_only=True, metadata={"description": "Whole days of diary looked at"})
    episodes = fields.Integer(dump_only=True)


patterns_schema = PatternsSchema()
