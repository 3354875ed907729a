"""Content: the catalogue of exercises, routines, programmes and pages, public and cacheable.

Every answer carries an ETag (a hash of the body) and honours If-None-Match with a 304, so
the PWA revalidates its offline copy cheaply.
"""

from flask import Response, request
from flask_restx import Namespace, Resource

from schemas.content import (EXERCISE_KINDS, MUSCLES, ROUTINE_KINDS, ExerciseListSchema,
                             ExerciseSchema, PageListSchema, ProgrammeListSchema, ProgrammeSchema,
                             RoutineDetailSchema, RoutineListSchema, RuleSetSchema, exercise_list_schema,
                             exercise_query_schema, exercise_schema, page_list_schema,
                             programme_list_schema,
                             programme_schema, routine_detail_schema, routine_list_schema,
                             routine_query_schema, rule_set_schema)
from server.api.common import error_model, get_or_404, register_schema
from server import handout, redflags
from server.content import content_hash, read_file
from server.models.content import Exercise, Programme, Routine
from server.timeline import compile_timeline

api = Namespace("content", description="Exercises, routines with their timed steps, programmes, pages and the warning-sign rules")
error = error_model(api)
exercise_out = register_schema(api, ExerciseSchema, "Exercise")
exercises_out = register_schema(api, ExerciseListSchema, "ExerciseList")
routine_out = register_schema(api, RoutineDetailSchema, "RoutineDetail")
routines_out = register_schema(api, RoutineListSchema, "RoutineList")
programme_out = register_schema(api, ProgrammeSchema, "Programme")
programmes_out = register_schema(api, ProgrammeListSchema, "ProgrammeList")
pages_out = register_schema(api, PageListSchema, "PageList")
rules_out = register_schema(api, RuleSetSchema, "RuleSet")

CACHE_CONTROL = "public, no-cache"
MUSCLE_PARAM = {"in": "query", "type": "string", "enum": list(MUSCLES),
                "description": "Only items that work this muscle"}


def conditional(body):
    """Answer the body with its ETag, or 304 when the client already holds that version."""
    etag = content_hash(body)
    headers = {"ETag": f'"{etag}"', "Cache-Control": CACHE_CONTROL}
    if request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    return body, 200, headers


def matches(data, filters):
    """Tell whether an item passes the muscle and kind filters that were given."""
    return (("muscle" not in filters or filters["muscle"] in data["muscles"])
            and ("kind" not in filters or filters["kind"] == data["kind"]))


def filtered(model, query_schema):
    """Return the data of the model's items that pass the request's filters (422 if invalid)."""
    filters = query_schema.load(request.args.to_dict())
    return [row.data for row in model.listed() if matches(row.data, filters)]


@api.route("/exercises")
class ExerciseList(Resource):
    @api.doc(params={"muscle": MUSCLE_PARAM,
                     "kind": {"in": "query", "type": "string", "enum": list(EXERCISE_KINDS)}})
    @api.response(200, "Exercises in catalogue order", exercises_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    @api.response(422, "Unknown filter or value", error)
    def get(self):
        """List exercises, optionally by muscle and kind."""
        items = filtered(Exercise, exercise_query_schema)
        return conditional(exercise_list_schema.dump({"items": items}))


@api.route("/exercises/<string:slug>")
class ExerciseItem(Resource):
    @api.response(200, "The exercise", exercise_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    @api.response(404, "No exercise with this slug", error)
    def get(self, slug):
        """Return one exercise."""
        row = get_or_404(Exercise.by_slug(slug), "No exercise by that name; check the address.")
        return conditional(exercise_schema.dump(row.data))


@api.route("/routines")
class RoutineList(Resource):
    @api.doc(params={"muscle": MUSCLE_PARAM,
                     "kind": {"in": "query", "type": "string", "enum": list(ROUTINE_KINDS)}})
    @api.response(200, "Routines in catalogue order", routines_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    @api.response(422, "Unknown filter or value", error)
    def get(self):
        """List routines, optionally by muscle and kind."""
        items = filtered(Routine, routine_query_schema)
        return conditional(routine_list_schema.dump({"items": items}))


@api.route("/routines/<string:slug>")
class RoutineItem(Resource):
    @api.response(200, "The routine with its timed steps", routine_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    @api.response(404, "No routine with this slug", error)
    def get(self, slug):
        """Return one routine with the timeline the PWA runs offline."""
        row = get_or_404(Routine.by_slug(slug), "No routine by that name; check the address.")
        routine = row.data
        exercises = Exercise.data_by_slug(item["exercise"] for item in routine["items"])
        timeline = compile_timeline(routine, exercises)
        return conditional(routine_detail_schema.dump(dict(routine, timeline=timeline)))


@api.route("/routines/<string:slug>/handout")
class RoutineHandout(Resource):
    @api.produces(["application/pdf", "application/json"])
    @api.response(200, "A printable PDF: each exercise's picture, steps, dose and cautions")
    @api.response(404, "No routine with this slug", error)
    def get(self, slug):
        """Return a routine as a printable handout (A4 PDF)."""
        row = get_or_404(Routine.by_slug(slug), "No routine by that name; check the address.")
        return handout.pdf_response(handout.for_routine(row.data), f"unknot-{slug}")


@api.route("/programmes")
class ProgrammeList(Resource):
    @api.response(200, "Programmes in catalogue order", programmes_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    def get(self):
        """List programmes."""
        items = [row.data for row in Programme.listed()]
        return conditional(programme_list_schema.dump({"items": items}))


@api.route("/programmes/<string:slug>")
class ProgrammeItem(Resource):
    @api.response(200, "The programme, phase by phase", programme_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    @api.response(404, "No programme with this slug", error)
    def get(self, slug):
        """Return one programme."""
        row = get_or_404(Programme.by_slug(slug), "No programme by that name; check the address.")
        return conditional(programme_schema.dump(row.data))


@api.route("/programmes/<string:slug>/handout")
class ProgrammeHandout(Resource):
    @api.produces(["application/pdf", "application/json"])
    @api.response(200, "A printable PDF: the week plan, then each routine's exercises")
    @api.response(404, "No programme with this slug", error)
    def get(self, slug):
        """Return a programme as a printable handout (A4 PDF)."""
        row = get_or_404(Programme.by_slug(slug), "No programme by that name; check the address.")
        return handout.pdf_response(handout.for_programme(row.data), f"unknot-{slug}")


@api.route("/pages")
class PageList(Resource):
    @api.response(200, "Pages of guidance: about cramps, the stop rules before a routine", pages_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    def get(self):
        """List the pages of guidance the app shows offline."""
        return conditional(page_list_schema.dump({"items": read_file("pages")}))


@api.route("/redflags")
class RuleSet(Resource):
    @api.response(200, "The warning-sign rules, for judging a cramp offline as the server will",
                  rules_out)
    @api.response(304, "Not modified since the ETag in If-None-Match")
    def get(self):
        """List the red-flag rules the app evaluates on the phone, with their version."""
        return conditional(rule_set_schema.dump(redflags.rule_set()))
