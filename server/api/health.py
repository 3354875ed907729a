"""Liveness and database reachability, for load balancers and monitors."""

from flask_restx import Namespace, Resource
from peewee import PeeweeException

from server.api.common import RETRY_AFTER
from server.db import check, discard

api = Namespace("health", description="Service health")


@api.route("")
class Health(Resource):
    @api.response(200, "The service and its database answer")
    @api.response(503, "The database does not answer, or refuses writes")
    def get(self):
        """Report whether the service's database answers a read and a write."""
        try:
            check()
        except PeeweeException:
            discard()
            return {"status": "degraded", "database": "unavailable"}, 503, RETRY_AFTER
        return {"status": "ok", "database": "ok"}
