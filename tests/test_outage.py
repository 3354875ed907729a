"""When the database is down, locked or read-only: the shell still loads, the API says 503."""

import contextlib
import os
import socket
import sqlite3
import subprocess

import pytest

from server import create_app
from server.db import bind, db
from server.models.diary import Entry
from tests.conftest import PG_URL, drop_schema, pg_url
from tests.sync_helpers import Device, put

UNREACHABLE = "postgresql://unknot:unknot@127.0.0.1:1/unknot"  # nothing listens on port 1
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def postgres_only(test):
    """Collect a test of PostgreSQL's own failures only where one is configured (CI sets one)."""
    on_postgres = pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
    return on_postgres(test) if PG_URL else None


@pytest.fixture
def no_database(tmp_path):
    app = create_app({"DATABASE_URL": UNREACHABLE, "TESTING": True, "VAR_DIR": str(tmp_path),
                      "RATELIMIT_ENABLED": False})
    yield app.test_client()
    db.close_all()


def assert_unavailable(response):
    assert response.status_code == 503, response.get_json()
    assert set(response.get_json()) == {"error", "message"}
    assert response.get_json()["error"] == "Service Unavailable"
    assert int(response.headers["Retry-After"]) > 0


def count_entries(app):
    with app.app_context():
        return Entry.select().count()


@pytest.mark.parametrize("path", ["/", "/sw.js", "/app.webmanifest", "/js/main.js",
                                  "/css/app.css", "/icons/icon-192.png",
                                  "/api/v1/push/vapid-public-key"])
def test_the_app_shell_is_served_with_no_database(no_database, path):
    assert no_database.get(path).status_code == 200


@pytest.mark.parametrize("method, path", [
    ("get", "/api/v1/content/exercises"), ("get", "/api/v1/content/routines"),
    ("get", "/api/v1/me"), ("post", "/api/v1/sync/push"), ("post", "/api/v1/sync/pull"),
    ("post", "/api/v1/auth/login"),
])
def test_routes_that_need_the_database_answer_503_with_retry_after(no_database, method, path):
    response = getattr(no_database, method)(path, headers={"Authorization": "Bearer abc"},
                                            json={"email": "a@example.org", "password": "x"})
    assert_unavailable(response)


def test_health_is_degraded_when_the_database_does_not_answer(no_database):
    response = no_database.get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "degraded", "database": "unavailable"}


def test_a_database_host_that_never_answers_is_a_503_within_seconds(tmp_path):
    with socket.socket() as silent:  # accepts connections (the kernel does) but never speaks
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        app = create_app({"DATABASE_URL": f"postgresql://unknot:unknot@127.0.0.1:{port}/unknot",
                          "TESTING": True, "VAR_DIR": str(tmp_path)})
        try:
            assert_unavailable(app.test_client().get("/api/v1/content/exercises"))
        finally:
            db.close_all()


def test_health_is_ok_when_the_database_reads_and_writes(client):
    assert client.get("/api/v1/health").get_json() == {"status": "ok", "database": "ok"}


def test_a_database_without_its_tables_is_a_fault_not_an_outage(app, client):
    with app.app_context():
        drop_schema()
    assert client.get("/api/v1/content/exercises").status_code == 500
    assert client.get("/api/v1/health").status_code == 503


@SQLITE
def test_a_push_locked_out_past_the_busy_timeout_answers_503_and_writes_nothing(app, client, auth,
                                                                              database_url):
    device = Device(client, auth.register()[1])
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert_unavailable(device.push(put(1)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert count_entries(app) == 0
    assert device.push(put(1)).get_json()["results"][0]["status"] == "applied"
    assert count_entries(app) == 1


@contextlib.contextmanager
def unwritable(*paths):
    """Make files unwritable. Tests run as root, which chmod does not stop: the immutable
    attribute does (the kernel refuses to open the file for writing, even to root)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", *paths], check=True)
    else:
        for path in paths:
            os.chmod(path, 0o444)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", *paths], check=True)
        else:
            for path in paths:
                os.chmod(path, 0o644)


@SQLITE
def test_sqlite_files_that_cannot_be_written_answer_503_then_recover(app, client, auth,
                                                                     database_url):
    device = Device(client, auth.register()[1])
    path = database_url.removeprefix("sqlite:///")
    # Another process keeps the database open, so the WAL files stay; the pool starts afresh,
    # as a server restarted while the files are unwritable would.
    other = sqlite3.connect(path)
    other.execute("SELECT 1 FROM counter").fetchall()
    db.close_all()
    try:
        with unwritable(path, f"{path}-wal", f"{path}-shm"):
            for _ in range(3):
                assert_unavailable(device.push(put(1)))
            health = client.get("/api/v1/health")
            assert (health.status_code, health.get_json()) == (
                503, {"status": "degraded", "database": "unavailable"})
            # Reading still works, and hands the read-only connection back to the pool.
            assert client.get("/api/v1/content/exercises").status_code == 200
        assert count_entries(app) == 0
        # The connection opened read-only is not handed out again: at most one more 503.
        first, second = device.push(put(1)), device.push(put(1))
        assert first.status_code in (200, 503)
        assert second.status_code == 200, second.get_json()
        assert client.get("/api/v1/health").status_code == 200
        assert count_entries(app) == 1
    finally:
        other.close()


@postgres_only
def test_a_postgres_that_refuses_writes_answers_503_and_health_is_degraded(app, client, auth,
                                                                          pg_schema):
    device = Device(client, auth.register()[1])
    writable = db.obj
    # What a hot standby (or a primary put in read-only mode) answers to every write.
    bind(pg_url(pg_schema).replace("options=", "options=-cdefault_transaction_read_only%3Don%20"))
    try:
        assert_unavailable(device.push(put(1)))
        health = client.get("/api/v1/health")
        assert (health.status_code, health.get_json()) == (
            503, {"status": "degraded", "database": "unavailable"})
        assert client.get("/api/v1/content/exercises").status_code == 200
    finally:
        db.close_all()
        db.initialize(writable)
    assert count_entries(app) == 0
    assert device.push(put(1)).status_code == 200


def backend_pid(app):
    with app.app_context():
        return db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


@postgres_only
def test_a_terminated_postgres_backend_is_replaced_at_once(app, client, auth):
    from playhouse.db_url import connect

    device = Device(client, auth.register()[1])
    admin = connect(PG_URL)
    # unknot is not a superuser, but a role may end its own backends.
    terminate = "SELECT pg_terminate_backend(%s)"
    try:
        # Ended while idle in the pool: the pool notices on check-out, nothing fails.
        assert admin.execute_sql(terminate, (backend_pid(app),)).fetchone()[0]
        assert device.push(put(1)).status_code == 200
        # Ended while a request holds it: that request answers 503, the next one succeeds.
        with app.app_context():
            pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
            assert admin.execute_sql(terminate, (pid,)).fetchone()[0]
            assert_unavailable(device.push(put(2)))
        assert device.push(put(2)).status_code == 200
        assert count_entries(app) == 2
    finally:
        admin.close()
