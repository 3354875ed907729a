"""Liveness and database reachability, for load balancers and monitors."""

from flask_restx import Namespace, Resource
from peewee import PeeweeException

from server.db import db

api = Namespace("health", description="Service health")


@api.route("")
class Health(Resource):
    @api.response(200, "The service and its database answer")
    @api.response(503, "The database does not answer")
    def get(self):
        """Report whether the service and its database are up."""
        try:
            db.execute_sql("SELECT 1")
        except PeeweeException:
            return {"status": "degraded", "database": "unavailable"}, 503
        return {"status": "ok", "database": "ok"}
