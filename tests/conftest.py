"""Fixtures: an app on a fresh database per test (SQLite, and PostgreSQL when configured)."""

import os
import uuid

import pytest
from hypothesis import settings

from server import create_app
from server.db import db, is_postgres
from server.models import MODELS
from server.models.sync import Counter

# In CI the property tests replay the same examples every run, so a red build is a regression
# that reproduces, not a new corner found by chance; a developer's runs keep exploring.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

PG_URL = os.environ.get("UNKNOT_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


@pytest.fixture(scope="session")
def pg_schema():
    """A PostgreSQL schema of this test session's own, so parallel runs never collide."""
    if not PG_URL:
        return None
    from playhouse.db_url import connect

    name = f"t_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = connect(PG_URL)
    admin.execute_sql(f'CREATE SCHEMA "{name}"')
    yield name
    admin.execute_sql(f'DROP SCHEMA "{name}" CASCADE')
    admin.close()


def pg_url(schema):
    """Return the test PostgreSQL URL with its search_path set to the schema."""
    separator = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/unknot.db"
    return pg_url(request.getfixturevalue("pg_schema"))


def drop_schema():
    """Drop every table of the bound database, migration history included."""
    db.drop_tables(MODELS, **({"cascade": True} if is_postgres() else {}))
    db.execute_sql("DROP TABLE IF EXISTS migratehistory")


def reset_schema():
    """Drop and create every table of the bound database, with the version counter."""
    drop_schema()
    db.create_tables(MODELS)
    Counter.insert(name="version", value=0).execute()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, "VAR_DIR": str(tmp_path),
                      "RATELIMIT_ENABLED": False})
    with db.connection_context():
        reset_schema()
    yield app
    if not db.is_closed():
        db.close()
    db.close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    """Register and sign in through the API, as a client would."""

    def __init__(self, client):
        self.client = client
        self.count = 0

    def register(self, email=None, role="member", password="correct horse battery",
                 display_name="Alex"):
        """Create an account; return (user json, token)."""
        self.count += 1
        email = email or f"user{self.count}-{uuid.uuid4().hex[:6]}@example.org"
        response = self.client.post("/api/v1/auth/register", json={
            "email": email, "password": password, "display_name": display_name, "role": role})
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return body["user"], body["token"]

    def login(self, email, password="correct horse battery", device_name="phone"):
        """Sign in again on another device; return the new token."""
        response = self.client.post("/api/v1/auth/login", json={
            "email": email, "password": password, "device_name": device_name})
        assert response.status_code == 200, response.get_json()
        return response.get_json()["token"]

    @staticmethod
    def headers(token):
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth(client):
    return Auth(client)
