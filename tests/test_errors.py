"""Every error answers in the one envelope: never a trace, never an HTML page."""

import http.client
import json
import os
import subprocess
import threading
import time

import pytest
from werkzeug.serving import make_server

from server.db import db
from server.models.sync import Client
from tests.sync_helpers import Device, put
from tests.test_serve import BIN, free_port


def assert_envelope(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert {"error", "message"} <= set(body)
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def test_health_reports_the_database(client):
    assert client.get("/api/v1/health").get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("data", ["{not json", "", "[1, 2]"])
def test_malformed_json_is_400_or_422(client, data):
    response = client.post("/api/v1/auth/login", data=data, content_type="application/json")
    assert response.status_code in (400, 422)
    assert_envelope(response, response.status_code)


def test_unknown_api_path_is_404(client):
    body = assert_envelope(client.get("/api/v1/nothing-here"), 404)
    assert body["error"] == "Not Found"


def test_wrong_method_is_405(client):
    assert_envelope(client.get("/api/v1/auth/login"), 405)


def test_oversized_body_is_413(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    response = client.post("/api/v1/auth/login", data="x" * 4096, content_type="application/json")
    assert_envelope(response, 413)


def test_validation_error_lists_fields(client):
    body = assert_envelope(client.post("/api/v1/auth/register", json={}), 422)
    assert set(body["fields"]) == {"email", "password", "display_name"}


def test_server_error_is_500_without_a_trace_and_saves_nothing(client, auth):
    _, token = auth.register()
    device = Device(client, token)
    with db.connection_context():
        db.execute_sql("DROP TABLE entry")
    body = assert_envelope(device.push(put(1)), 500)
    assert "try again" in body["message"]
    assert device.pull().status_code == 500
    # Neither the push nor the pull kept anything, not even the client's first contact.
    assert Client.get_or_none(Client.client_id == device.client_id) is None


def test_missing_role_is_403(client, auth):
    _, token = auth.register(role="physio")
    assert_envelope(Device(client, token).push(put(1)), 403)


@pytest.fixture(params=["werkzeug", "gunicorn"])
def real_server(request, app, database_url, tmp_path):
    """The app behind a real HTTP server on 127.0.0.1; yield its port."""
    if request.param == "werkzeug":
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield server.server_port
        server.shutdown()
        server.server_close()
        thread.join()
        return
    port = free_port()
    env = dict(os.environ, UNKNOT_DATABASE_URL=database_url, UNKNOT_VAR_DIR=str(tmp_path),
               UNKNOT_RATELIMIT_ENABLED="false")
    process = subprocess.Popen([os.path.join(BIN, "gunicorn"), "--workers", "1", "--bind",
                                f"127.0.0.1:{port}", "server:create_app()"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def wait_until_up(port, process):
    """Poll until gunicorn's worker answers (it may take seconds to import the app)."""
    for _ in range(300):
        assert process.poll() is None, "gunicorn exited"
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            probe.request("GET", "/api/v1/health")
            probe.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
        finally:
            probe.close()
    raise AssertionError("gunicorn never answered")


def post_chunked(port, size):
    """POST `size` bytes of JSON-ish text with Transfer-Encoding: chunked and no length."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    chunks = (b"x" * 65536 for _ in range(size // 65536))
    try:
        connection.request("POST", "/api/v1/auth/login", body=chunks, encode_chunked=True,
                           headers={"Content-Type": "application/json"})
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer before it has read everything, and close
    response = connection.getresponse()
    body = json.loads(response.read())
    connection.close()
    return response.status, body


def test_a_chunked_body_past_the_limit_is_413_like_a_declared_one(real_server):
    status, body = post_chunked(real_server, 3 * 1024 * 1024)
    assert status == 413
    assert body["error"] == "Request Entity Too Large"
    # Under the limit the body is read whole, and parsed: not JSON is still a 400.
    assert post_chunked(real_server, 1024 * 1024)[0] == 400
