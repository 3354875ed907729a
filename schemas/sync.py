"""The sync protocol's requests and responses (DESIGN.md, protocol v1)."""

from marshmallow import Schema, fields, validate

from schemas.content import AssessmentSchema
from schemas.fast import compile_schema
from schemas.limits import MAX_INT, Text

ENTITIES = ("entry", "settings")
STATUSES = ("applied", "duplicate", "rejected", "conflict")


class MutationSchema(Schema):
    id = fields.Integer(strict=True, required=True, validate=validate.Range(1, MAX_INT))
    op = fields.String(required=True, validate=validate.OneOf(("put", "delete")))
    entity = fields.String(required=True, validate=validate.OneOf(ENTITIES))
    key = Text(required=True, validate=validate.Length(min=1, max=36))
    base_version = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, MAX_INT))
    data = fields.Dict(load_default=None, allow_none=True,
                       metadata={"description": "Entry or settings data (a put needs it); "
                                                "validated per kind"})


class PushSchema(Schema):
    client_id = fields.UUID(required=True)
    schema_version = fields.Integer(strict=True, required=True, validate=validate.Equal(1))
    # Each mutation is checked on its own by the engine, so one bad item never blocks the rest.
    # What the push itself refuses (422) is declared; the rest is each mutation's own result.
    mutations = fields.List(fields.Raw(metadata={
        "type": "object", "required": ["id"],
        "properties": {"id": {"type": "integer", "minimum": 1, "maximum": MAX_INT}}}),
        required=True, metadata={"description": "Mutations in order; see Mutation"})


class ResultSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"enum": list(STATUSES)})
    version = fields.Integer()
    field_errors = fields.Dict(data_key="fields")
    message = fields.String()
    deleted = fields.Boolean()
    assessment = fields.Nested(AssessmentSchema)


class PushResultSchema(Schema):
    last_mutation_id = fields.Integer(required=True)
    results = fields.List(fields.Nested(ResultSchema), required=True)


class PullSchema(Schema):
    client_id = fields.UUID(required=True)
    cursor = fields.Integer(strict=True, load_default=0, validate=validate.Range(0, MAX_INT))
    limit = fields.Integer(strict=True, load_default=500, validate=validate.Range(1, 500))


class ChangeSchema(Schema):
    entity = fields.String(required=True)
    key = fields.String(required=True)
    version = fields.Integer(required=True)
    deleted = fields.Boolean(required=True)
    data = fields.Dict(allow_none=True)


class PullResultSchema(Schema):
    cursor = fields.Integer(required=True)
    has_more = fields.Boolean(required=True)
    reset = fields.Boolean(required=True)
    last_mutation_id = fields.Integer(required=True)
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


mutation_schema = MutationSchema()
fast_mutation = compile_schema(mutation_schema)
push_schema = PushSchema()
pull_schema = PullSchema()
