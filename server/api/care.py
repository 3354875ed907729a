"""Care: consent between a patient and a physio, and the physio's view of consenting patients.

Every view about one patient runs inside `care.act`, which checks consent (404 otherwise) and
writes the patient's audit row, in the same transaction, only when the view succeeded.
"""

import datetime

from flask import Response, current_app, g, json, request
from flask_restx import Namespace, Resource

from schemas.care import (AssignmentCreateSchema, AssignmentSchema, ChartsSvgSchema,
                          CodeSchema, CommentCreateSchema, CommentSchema, EntryPageSchema,
                          InviteCreateSchema, InviteSchema, LinkSchema, PatientSchema,
                          PreviewSchema, SummarySchema, assignment_create_schema,
                          assignment_schema, assignments_schema, charts_query_schema,
                          charts_svg_schema, code_schema, comment_create_schema, comment_schema,
                          comments_schema, entry_page_schema, entry_query_schema,
                          invite_create_schema, invite_schema, link_schema, links_schema,
                          patients_schema, preview_schema, range_query_schema, resolve_range,
                          summary_schema)
from schemas.entries import KINDS
from schemas.limits import MAX_INT
from server import care, caseload, handout
from server.api.common import (error_model, get_or_404, load, login_required, register_schema,
                               role_required)
from server.extensions import limiter
from server.models.care import Assignment, Comment

api = Namespace("care", description="Consent, and a physio's view of consenting patients")
error = error_model(api)
invite_in = register_schema(api, InviteCreateSchema, "InviteCreate")
invite_out = register_schema(api, InviteSchema, "Invite")
code_in = register_schema(api, CodeSchema, "InviteCode")
preview_out = register_schema(api, PreviewSchema, "InvitePreview")
link_out = register_schema(api, LinkSchema, "CareLink")
patient_out = register_schema(api, PatientSchema, "Patient")
page_out = register_schema(api, EntryPageSchema, "EntryPage")
summary_out = register_schema(api, SummarySchema, "PatientSummary")
charts_out = register_schema(api, ChartsSvgSchema, "Charts")
comment_in = register_schema(api, CommentCreateSchema, "CommentCreate")
comment_out = register_schema(api, CommentSchema, "Comment")
assignment_in = register_schema(api, AssignmentCreateSchema, "AssignmentCreate")
assignment_out = register_schema(api, AssignmentSchema, "Assignment")

RANGE = {"from": {"in": "query", "type": "string", "format": "date",
                  "description": "First day, the patient's calendar (default: 13 weeks back)"},
         "to": {"in": "query", "type": "string", "format": "date",
                "description": "Last day, inclusive (default: today)"}}
PAGE = {"kind": {"in": "query", "type": "string", "enum": list(KINDS)},
        "page": {"in": "query", "type": "integer", "minimum": 1, "maximum": MAX_INT},
        "per_page": {"in": "query", "type": "integer", "minimum": 1, "maximum": 200}}
FORMAT = {"format": {"in": "query", "type": "string", "enum": ["data", "svg"],
                     "description": "data: the series as JSON; svg: each chart drawn"}}


# Only a code that fails counts. Each account has its own limit, so one guesser on a clinic's
# Wi-Fi holds up only themselves; the address has a high ceiling against bulk guessing through
# many accounts. Apply below the role check: the account key needs g.user.
def _wrong_code(response):
    return response.status_code == 404


per_account = limiter.shared_limit(lambda: current_app.config["RATELIMIT_INVITE"],
                                   scope="invite-code", key_func=lambda: f"user:{g.user.id}",
                                   deduct_when=_wrong_code)
per_address = limiter.shared_limit(lambda: current_app.config["RATELIMIT_INVITE_ADDRESS"],
                                   scope="invite-code-address", deduct_when=_wrong_code)


def invite_limit(view):
    """Count wrong invite codes per account and per address."""
    return per_address(per_account(view))


def query(schema):
    """Parse the query string with a schema (422 on anything unknown or invalid)."""
    return schema.load(request.args.to_dict())


def dated(schema):
    """Parse a query with a date range; return it with the range resolved to dates."""
    args = query(schema)
    start, end = resolve_range(args, datetime.datetime.now(datetime.timezone.utc).date())
    return args, start, end


def download(body, mimetype, patient, start, end, extension):
    """Answer an export as a file named after the patient id and range."""
    name = f"unknot-patient-{patient.id}-{start}-{end}.{extension}"
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@api.route("/invites")
class InviteList(Resource):
    @api.doc(security="bearer")
    @api.expect(invite_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(201, "The invite; its code is shown only now", invite_out)
    @api.response(401, "Not signed in", error)
    @api.response(403, "Not a physio", error)
    @api.response(422, "Invalid fields", error)
    @role_required("physio")
    def post(self):
        """Create a one-time invite code to give to a patient."""
        body = load(invite_create_schema)
        invite, invite.code = care.create_invite(g.user, body["label"], body["valid_hours"])
        return invite_schema.dump(invite), 201


@api.route("/invites/preview")
class InvitePreview(Resource):
    @api.doc(security="bearer")
    @api.expect(code_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(200, "Who would see what; nothing is shared yet", preview_out)
    @api.response(401, "Not signed in", error)
    @api.response(403, "Not a member", error)
    @api.response(404, "The code is wrong, used or expired", error)
    @api.response(422, "Not shaped like a code", error)
    @api.response(429, "Too many wrong codes", error)
    @role_required("member")
    @invite_limit
    def post(self):
        """Show who an invite code comes from and what accepting would share."""
        return preview_schema.dump(care.preview(load(code_schema)["code"]))


@api.route("/links")
class LinkList(Resource):
    @api.doc(security="bearer")
    @api.response(200, "Links the caller is part of, newest first", [link_out])
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """List sharing links: a member's physios, or a physio's patients, revoked ones too."""
        return links_schema.dump(link_view(link) for link in care.links_of(g.user))

    @api.doc(security="bearer")
    @api.expect(code_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(201, "Sharing with this physio starts now", link_out)
    @api.response(401, "Not signed in", error)
    @api.response(403, "Not a member", error)
    @api.response(404, "The code is wrong, used or expired", error)
    @api.response(422, "Not shaped like a code", error)
    @api.response(429, "Too many wrong codes", error)
    @role_required("member")
    @invite_limit
    def post(self):
        """Accept an invite code: consent to share the diary with that physio."""
        link = care.accept(g.user, load(code_schema)["code"])
        return link_schema.dump(link_view(link)), 201


def link_view(link):
    """Return a link with its active flag for the schema."""
    return {"id": link.id, "physio": link.physio, "patient": link.patient,
            "created_at": link.created_at, "revoked_at": link.revoked_at,
            "active": link.revoked_at is None}


@api.route("/links/<int:link_id>")
class Link(Resource):
    @api.doc(security="bearer")
    @api.response(200, "Revoked: the physio has no access from now on", link_out)
    @api.response(401, "Not signed in", error)
    @api.response(403, "Not a member", error)
    @api.response(404, "No such link of yours", error)
    @role_required("member")
    def delete(self, link_id):
        """Stop sharing with a physio, at once."""
        return link_schema.dump(link_view(care.revoke(g.user, link_id)))


@api.route("/patients")
class PatientList(Resource):
    @api.doc(security="bearer")
    @api.response(200, "Consenting patients, most in need of attention first", [patient_out])
    @api.response(401, "Not signed in", error)
    @api.response(403, "Not a physio", error)
    @role_required("physio")
    def get(self):
        """List consenting patients, most in need of attention first, with reasons in words."""
        return patients_schema.dump(care.look_over(g.user, caseload.ranked))


PATIENT_ERRORS = ((401, "Not signed in"), (403, "Not a physio"),
                  (404, "No consenting patient with this id"), (422, "Invalid query"))


def patient_doc(func):
    """Declare the errors every patient endpoint shares."""
    for code, text in PATIENT_ERRORS:
        func = api.response(code, text, error)(func)
    return api.doc(security="bearer")(func)


@api.route("/patients/<int:patient_id>/summary")
class PatientSummary(Resource):
    @api.doc(params=RANGE)
    @api.response(200, "Headline numbers, before/after, warning signs, comments, assignments",
                  summary_out)
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """Return the patient view's summary for a date range."""
        with care.act(g.user, patient_id, "summary") as visit:
            _, start, end = dated(range_query_schema)
            visit.detail = f"summary {start} to {end}"
            return summary_schema.dump(caseload.summary(visit.patient, visit.link, start, end))


@api.route("/patients/<int:patient_id>/entries")
class PatientEntries(Resource):
    @api.doc(params={**RANGE, **PAGE})
    @api.response(200, "A page of entries, newest first", page_out)
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """List the patient's entries, filtered by kind and dates, a page at a time."""
        with care.act(g.user, patient_id, "entries") as visit:
            args, start, end = dated(entry_query_schema)
            kind = args["kind"]
            visit.detail = f"{kind or 'all'} entries {start} to {end}, page {args['page']}"
            return entry_page_schema.dump(caseload.entry_page(
                visit.patient, start, end, kind, args["page"], args["per_page"]))


@api.route("/patients/<int:patient_id>/charts")
class PatientCharts(Resource):
    @api.doc(params={**RANGE, **FORMAT})
    @api.response(200, "Chart series (format=data) or SVG documents (format=svg)", charts_out)
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """Return the patient's charts: episodes, muscles, contexts, hydration, adherence."""
        with care.act(g.user, patient_id, "charts") as visit:
            args, start, end = dated(charts_query_schema)
            visit.detail = f"charts {start} to {end}"
            if args["format"] == "svg":
                return charts_svg_schema.dump(caseload.charts_svg(visit.patient, start, end))
            return caseload.chart_data(visit.patient, start, end)[2]


@api.route("/patients/<int:patient_id>/export/csv")
class ExportCsv(Resource):
    @api.doc(params=RANGE)
    @api.produces(["text/csv", "application/json"])
    @api.response(200, "The entries as CSV, one row each")
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """Export the patient's entries in a date range as CSV."""
        with care.act(g.user, patient_id, "export_csv") as visit:
            _, start, end = dated(range_query_schema)
            visit.detail = f"CSV {start} to {end}"
            return download(caseload.export_csv(visit.patient, start, end),
                            "text/csv; charset=utf-8", visit.patient, start, end, "csv")


@api.route("/patients/<int:patient_id>/export/fhir")
class ExportFhir(Resource):
    @api.doc(params=RANGE)
    @api.produces(["application/fhir+json", "application/json"])
    @api.response(200, "An HL7 FHIR R4 Bundle: the Patient and an Observation per episode "
                       "and per drink")
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """Export the patient's episodes and drinks in a date range as a FHIR R4 Bundle."""
        with care.act(g.user, patient_id, "export_fhir") as visit:
            _, start, end = dated(range_query_schema)
            visit.detail = f"FHIR {start} to {end}"
            body = json.dumps(caseload.export_fhir(visit.patient, start, end))
            return download(body, "application/fhir+json", visit.patient, start, end, "json")


@api.route("/patients/<int:patient_id>/export/pdf")
class ExportPdf(Resource):
    @api.doc(params=RANGE)
    @api.produces(["application/pdf", "application/json"])
    @api.response(200, "A one-page pre-visit summary")
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """Export a one-page PDF summary of a date range, for before a visit."""
        with care.act(g.user, patient_id, "export_pdf") as visit:
            _, start, end = dated(range_query_schema)
            visit.detail = f"PDF {start} to {end}"
            return download(caseload.export_pdf(visit.patient, start, end), "application/pdf",
                            visit.patient, start, end, "pdf")


@api.route("/patients/<int:patient_id>/review")
class Review(Resource):
    @api.response(200, "Reviewed: warning signs before now no longer rank the patient",
                  patient_out)
    @patient_doc
    @role_required("physio")
    def post(self, patient_id):
        """Mark the patient's warning signs so far as reviewed."""
        with care.act(g.user, patient_id, "review") as visit:
            care.mark_reviewed(visit.link)
            visit.detail = "marked warning signs as reviewed"
            return patients_schema.dump([caseload.patient_card(visit.patient, visit.link)])[0]


@api.route("/patients/<int:patient_id>/comments")
class CommentList(Resource):
    @api.response(200, "Comments on the patient, newest first", [comment_out])
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """List the comments sent to the patient."""
        with care.act(g.user, patient_id, "comments") as visit:
            visit.detail = "comments sent"
            return comments_schema.dump(c.wire() for c in care.comments_on(visit.patient))

    @api.expect(comment_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(201, "Sent: it reaches the patient's devices on their next sync",
                  comment_out)
    @patient_doc
    @role_required("physio")
    def post(self, patient_id):
        """Comment on the patient, or on one entry with entry_key."""
        with care.act(g.user, patient_id, "comment") as visit:
            body = load(comment_create_schema)
            comment = care.add_comment(g.user, visit.patient, body["text"], body["entry_key"])
            visit.detail = (f"comment on entry {comment.entry_key}" if comment.entry_key
                            else "comment")
            return comment_schema.dump(comment.wire()), 201


@api.route("/patients/<int:patient_id>/comments/<uuid:key>")
class CommentItem(Resource):
    @api.response(204, "Withdrawn: it disappears from the patient's devices on their next sync")
    @patient_doc
    @role_required("physio")
    def delete(self, patient_id, key):
        """Withdraw one of your comments."""
        with care.act(g.user, patient_id, "uncomment") as visit:
            withdrawn = care.withdraw(Comment, g.user, visit.patient, str(key))
            visit.detail = f"withdrew comment {withdrawn.key}"
            return "", 204


@api.route("/patients/<int:patient_id>/assignments")
class AssignmentList(Resource):
    @api.response(200, "Assignments, latest start first", [assignment_out])
    @patient_doc
    @role_required("physio")
    def get(self, patient_id):
        """List the programmes and routines assigned to the patient."""
        with care.act(g.user, patient_id, "assignments") as visit:
            visit.detail = "assignments"
            return assignments_schema.dump(a.wire() for a in care.assignments_of(visit.patient))

    @api.expect(assignment_in, validate=False)
    @api.response(400, "The body is not a JSON object", error)
    @api.response(201, "Assigned: it reaches the patient's devices on their next sync",
                  assignment_out)
    @patient_doc
    @role_required("physio")
    def post(self, patient_id):
        """Assign a programme, a catalogue routine, or a routine you compose, from a date."""
        with care.act(g.user, patient_id, "assign") as visit:
            assignment = care.assign(g.user, visit.patient, load(assignment_create_schema))
            visit.detail = f"assigned {assignment.title} from {assignment.start_date}"
            return assignment_schema.dump(assignment.wire()), 201


@api.route("/patients/<int:patient_id>/assignments/<uuid:key>")
class AssignmentItem(Resource):
    @api.response(204, "Ended: it disappears from the patient's devices on their next sync")
    @patient_doc
    @role_required("physio")
    def delete(self, patient_id, key):
        """End one of your assignments."""
        with care.act(g.user, patient_id, "unassign") as visit:
            ended = care.withdraw(Assignment, g.user, visit.patient, str(key))
            visit.detail = f"ended assignment {ended.title}"
            return "", 204


@api.route("/patients/<int:patient_id>/assignments/<uuid:key>/handout")
class AssignmentHandout(Resource):
    @api.produces(["application/pdf", "application/json"])
    @api.response(200, "A printable PDF of the assignment, to give the patient")
    @patient_doc
    @role_required("physio")
    def get(self, patient_id, key):
        """Return an assignment as a printable handout (A4 PDF) to give the patient."""
        with care.act(g.user, patient_id, "handout") as visit:
            assignment = get_or_404(
                care.assignments_of(visit.patient).where(Assignment.key == str(key)),
                "No such assignment for this patient.")
            visit.detail = f"handout of {assignment.title}"
            return handout.pdf_response(care.handout_of(assignment), f"unknot-{assignment.slug}")
