"""Hydration: the day's target, intake, what remains and when the next reminder is due."""

from datetime import datetime, timezone

from flask import g
from flask_restx import Namespace, Resource

from schemas.hydration import HydrationTodaySchema, hydration_today_schema
from server import hydration
from server.api.common import error_model, login_required, register_schema

api = Namespace("hydration", description="Daily hydration target and reminders")
error = error_model(api)
today_out = register_schema(api, HydrationTodaySchema, "HydrationToday")


@api.route("/today")
class Today(Resource):
    @api.doc(security="bearer")
    @api.response(200, "The day so far, in the person's own time zone", today_out)
    @api.response(401, "Not signed in", error)
    @login_required
    def get(self):
        """Return today's target, intake, what remains and the next reminder."""
        return hydration_today_schema.dump(hydration.today_for(g.user, datetime.now(timezone.utc)))
