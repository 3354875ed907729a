"""The production path: `unknot migrate`, then `unknot run` configured by the environment alone."""

import contextlib
import http.client
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
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, process, attempts=150):
    """Poll until the server answers; fail if it exits or never answers."""
    for _ in range(attempts):
        assert process.poll() is None, "the server exited"
        try:
            return requests.get(url, timeout=5)
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def migrated(app, database_url, tmp_path):
    """Return the environment of a new server whose empty database `unknot migrate` built."""
    with db.connection_context():
        drop_schema()  # an empty database, as on a new server
    env = dict(os.environ, UNKNOT_DATABASE_URL=database_url, UNKNOT_VAR_DIR=str(tmp_path),
               UNKNOT_RATELIMIT_STORAGE="memory://", PYTHONPATH=ROOT)  # this checkout's code
    migrated = subprocess.run([os.path.join(BIN, "unknot"), "migrate"], env=env,
                              capture_output=True, text=True, timeout=120)
    assert migrated.returncode == 0, migrated.stderr
    return env


@contextlib.contextmanager
def serving(env, *args):
    """Run `unknot run ARGS` on a free port (set through UNKNOT_PORT); yield the API's base URL."""
    port = free_port()
    env = dict(env, UNKNOT_PORT=str(port), UNKNOT_HOST="127.0.0.1")
    process = subprocess.Popen([os.path.join(BIN, "unknot"), "run", *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        wait_for(f"{base}/health", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def served(migrated):
    with serving(dict(migrated, UNKNOT_RATELIMIT_ENABLED="false")) as base:
        yield base


def test_unknot_run_serves_the_migrated_database(served):
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


def test_idle_connections_do_not_hold_up_a_request(served):
    # Browsers open speculative connections and send nothing on them. A sync worker takes one
    # and waits on it until its 30 s timeout; a request behind it would time out below.
    port = int(served.split(":")[2].split("/")[0])
    with contextlib.ExitStack() as stack:
        for _ in range(3):
            stack.enter_context(socket.create_connection(("127.0.0.1", port)))
        response = requests.get(f"{served}/health", timeout=10)
        assert response.json()["status"] == "ok"


def test_a_connection_left_idle_between_syncs_still_carries_the_next_request(served):
    # A phone or a load balancer reuses its connection after a pause; gunicorn's default 2 s
    # keep-alive closed it under them, and a POST sent at that moment failed.
    host, port = served.split("/")[2].split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/api/v1/health")
    assert connection.getresponse().read()
    time.sleep(3)
    connection.request("POST", "/api/v1/auth/login", body=b"{}",
                       headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    assert response.status == 422  # answered on the same connection, not refused
    connection.close()


def test_run_refuses_several_processes_that_would_each_count_limits(migrated):
    refused = subprocess.run([os.path.join(BIN, "unknot"), "run", "--workers", "2"],
                             env=dict(migrated, UNKNOT_PORT=str(free_port())),
                             capture_output=True, text=True, timeout=30)
    assert refused.returncode != 0
    assert "UNKNOT_RATELIMIT_STORAGE=redis://" in refused.stderr


def test_make_run_takes_a_port_and_a_host():
    dry = subprocess.run(["make", "-n", "run", "PORT=8123", "HOST=0.0.0.0"], cwd=ROOT,
                         capture_output=True, text=True, timeout=30)
    assert "unknot run --port 8123 --host 0.0.0.0" in dry.stdout
