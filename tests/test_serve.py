"""The production path: `unknot migrate`, then gunicorn configured by the environment alone."""

import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
import requests

from server.db import db
from tests.conftest import drop_schema

BIN = os.path.dirname(sys.executable)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, attempts=100):
    """Poll until the server answers; fail if it exits or never answers."""
    for _ in range(attempts):
        assert process.poll() is None, "the server exited"
        try:
            return requests.get(url, timeout=1)
        except requests.ConnectionError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def served(app, database_url, tmp_path):
    with db.connection_context():
        drop_schema()  # an empty database, as on a new server
    env = dict(os.environ, UNKNOT_DATABASE_URL=database_url, UNKNOT_VAR_DIR=str(tmp_path),
               UNKNOT_RATELIMIT_ENABLED="false")
    migrated = subprocess.run([os.path.join(BIN, "unknot"), "migrate"], env=env,
                              capture_output=True, text=True, timeout=120)
    assert migrated.returncode == 0, migrated.stderr
    port = free_port()
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen([os.path.join(BIN, "gunicorn"), "--workers", "1", "--bind",
                                f"127.0.0.1:{port}", "--error-logfile", str(log),
                                "server:create_app()"], env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_for(f"{base}/health", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_gunicorn_serves_the_migrated_database(served):
    assert requests.get(f"{served}/health").json() == {"status": "ok", "database": "ok"}
    session = requests.post(f"{served}/auth/register", json={
        "email": "real@example.org", "password": "correct horse battery",
        "display_name": "Real"}).json()
    headers = {"Authorization": f"Bearer {session['token']}"}
    client_id = str(uuid.uuid4())
    pushed = requests.post(f"{served}/sync/push", headers=headers, json={
        "client_id": client_id, "schema_version": 1, "mutations": [{
            "id": 1, "op": "put", "entity": "entry", "key": str(uuid.uuid4()),
            "base_version": 0, "data": {"kind": "hydration", "volume_ml": 250,
                                        "occurred_at": "2026-11-21T08:00:00+00:00"}}]})
    assert pushed.status_code == 200
    assert pushed.json()["results"][0]["status"] == "applied"
    pulled = requests.post(f"{served}/sync/pull", headers=headers,
                           json={"client_id": str(uuid.uuid4()), "cursor": 0}).json()
    assert [c["data"]["volume_ml"] for c in pulled["changes"]] == [250]
