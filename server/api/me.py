"""The signed-in person."""

from flask import g
from flask_restx import Namespace, Resource

from schemas.accounts import UserSchema, user_schema
from schemas.care import (AssignmentSchema, AuditSchema, OwnProgrammeSchema, PasswordSchema,
                          PatternsSchema, assignment_schema, audit_schema, own_programme_schema,
                          password_schema, patterns_schema)
from server import care, caseload, handout, privacy
from server.api.common import (error_model, get_or_404, load, login_required, register_schema,
                               role_required)
from server.errors import NotFound
from server.models.accounts import utcnow
from server.models.care import Assignment

api = Namespace("me", description="The signed-in person")
error = error_model(api)
user_out = register_schema(api, UserSchema, "User")
audit_out = register_schema(api, AuditSchema, "AuditEntry")
password_in = register_schema(api, PasswordSchema, "PasswordConfirmation")
programme_in = register_schema(api, OwnProgrammeSchema, "OwnProgramme")
assignment_out = register_schema(api, AssignmentSchema, "Assignment")
patterns_out = register_schema(api, PatternsSchema, "Patterns")


@api.route("")
class Me(Resource):
    @api.doc(security="bearer")
    @api.response(200, "The caller's profile", user_out)
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """Return the caller's profile."""
        return user_schema.dump(g.user)

    @api.doc(security="bearer")
    @api.expect(password_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(204, "Deleted, with the diary, devices, sharing links and audit trail")
    @api.response(401, "Not signed in", error)
    @api.response(403, "Wrong password", error)
    @api.response(422, "No password given", error)
    @login_required
    def delete(self):
        """Delete the account and everything in it; asks for the password again."""
        privacy.delete_account(g.user, load(password_schema)["password"])
        return "", 204


@api.route("/audit")
class MeAudit(Resource):
    @api.doc(security="bearer")
    @api.response(200, "Who looked at or changed your data, newest first", [audit_out])
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """List every time a physio read or acted on the caller's data (latest 200)."""
        return audit_schema.dump({"at": row.at, "action": row.action, "detail": row.detail,
                                  "physio": {"id": row.physio_id, "display_name": row.physio_name}}
                                 for row in care.audit_trail(g.user))


@api.route("/export")
class MeExport(Resource):
    @api.doc(security="bearer")
    @api.response(200, "Everything held about the caller, as JSON")
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """Download all of the caller's own data."""
        return privacy.own_data(g.user), 200, {
            "Content-Disposition": 'attachment; filename="unknot-my-data.json"',
            "Cache-Control": "no-store"}


@api.route("/programmes")
class OwnProgrammes(Resource):
    @api.doc(security="bearer")
    @api.expect(programme_in, validate=False)
    @api.response(201, "Started: it reaches the person's devices (entity assignment) on their "
                  "next sync, and replaces the programme they started before", assignment_out)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(401, "Not signed in", error)
    @api.response(403, "Not a member", error)
    @api.response(422, "No such programme in the catalogue, or a bad date", error)
    @role_required("member")
    def post(self):
        """Start a catalogue programme on your own, without a physiotherapist."""
        return assignment_schema.dump(care.start_own(g.user, load(own_programme_schema)).wire()), 201


@api.route("/programmes/<uuid:key>")
class OwnProgramme(Resource):
    @api.doc(security="bearer")
    @api.response(204, "Stopped: it disappears from the person's devices on their next sync")
    @api.response(401, "Not signed in", error)
    @api.response(403, "Not a member", error)
    @api.response(404, "No programme you started has that key", error)
    @role_required("member")
    def delete(self, key):
        """Stop a programme you started (one a physio set is theirs to end)."""
        try:
            care.withdraw(Assignment, g.user, g.user, str(key))
        except NotFound:
            raise NotFound("No programme you started has that key.") from None
        return "", 204


@api.route("/assignments/<uuid:key>/handout")
class AssignmentHandout(Resource):
    @api.doc(security="bearer")
    @api.produces(["application/pdf", "application/json"])
    @api.response(200, "A printable PDF of the routine or programme, with its dates")
    @api.response(401, "Not signed in", error)
    @api.response(404, "No live assignment of yours has that key", error)
    @login_required
    def get(self, key):
        """Return one of your routines or programmes (a physio's or your own) as a handout."""
        assignment = get_or_404(care.assignments_of(g.user).where(Assignment.key == str(key)),
                                "No routine or programme of yours has that key.")
        return handout.pdf_response(care.handout_of(assignment), f"unknot-{assignment.slug}")


@api.route("/patterns")
class Patterns(Resource):
    @api.doc(security="bearer")
    @api.response(200, "What comes before your cramps: the declared comparisons, in words",
                  patterns_out)
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """Compare your cramps on days at your drinks target, after exercise and after the
        evening routine, and in each programme phase, with 95% intervals."""
        return patterns_schema.dump(caseload.own_patterns(g.user, utcnow().date()))
