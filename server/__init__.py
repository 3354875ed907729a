"""Unknot: the Flask application, assembled only by create_app()."""

import gc
import logging

from flask import Flask
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from server import compression, policy
from server import config as settings
from server import batch
from server.db import bind, db
from server.errors import DomainError
from server.extensions import limiter
from server.jsonio import OrjsonProvider


def create_app(config=None):
    """Build the app: defaults, then UNKNOT_* environment variables, then `config`."""
    app = Flask(__name__, instance_relative_config=False)
    app.json = OrjsonProvider(app)
    app.config.update(settings.load(config))
    app.config["RESTX_ERROR_404_HELP"] = False
    logging.basicConfig(level=app.config["LOG_LEVEL"])

    # No connect hook: a request connects on its first query, so the app shell is served
    # from disk when the database does not answer.
    bind(app.config["DATABASE_URL"])
    # Another database may hold the same people and versions: nothing kept may cross over.
    batch.forget_all()
    app.teardown_appcontext(_close)

    if app.config["PROXY_HOPS"]:
        # Behind a load balancer every request comes from its address: trust only as many
        # X-Forwarded-* entries as there are proxies, so a client cannot spoof its own address.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    limiter.init_app(app)
    policy.init_app(app)
    compression.init_app(app)

    from server.api import create_blueprint
    from server.api.common import render_error
    from server.web import bp as web

    app.register_blueprint(create_blueprint())
    app.register_blueprint(web)
    for error in (HTTPException, ValidationError, DomainError, Exception):
        app.register_error_handler(error, render_error)
    # What exists now (modules, schemas, the app) lives as long as the process: keep the
    # garbage collector from walking it again each time a big push allocates thousands of dicts.
    gc.freeze()
    return app


def _close(exc):
    if not db.is_closed():
        db.close()
