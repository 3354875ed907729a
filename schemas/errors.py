"""The one error envelope."""

from marshmallow import INCLUDE, Schema, fields

from schemas.sync import ResultSchema


class ErrorSchema(Schema):
    class Meta:
        # Some refusals say more (below); the document must not forbid what they add.
        unknown = INCLUDE

    error = fields.String(required=True, metadata={"description": "HTTP reason phrase"})
    message = fields.String(required=True, metadata={"description": "What to do about it"})
    field_errors = fields.Dict(data_key="fields", metadata={"description": "Per-field messages (422 only)"})
    last_mutation_id = fields.Integer(metadata={
        "description": "409 on a push: the last mutation applied; resend from the next one"})
    results = fields.List(fields.Nested(ResultSchema), metadata={
        "description": "409 on a push: the results of the mutations before the gap"})
    limit = fields.Integer(metadata={"description": "413 on a push: the most mutations per push"})


error_schema = ErrorSchema()
