"""The one error envelope."""

from marshmallow import Schema, fields


class ErrorSchema(Schema):
    error = fields.String(required=True, metadata={"description": "HTTP reason phrase"})
    message = fields.String(required=True, metadata={"description": "What to do about it"})
    field_errors = fields.Dict(data_key="fields", metadata={"description": "Per-field messages (422 only)"})


error_schema = ErrorSchema()
