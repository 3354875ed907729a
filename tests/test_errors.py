"""Every error answers in the one envelope: never a trace, never an HTML page."""

import pytest

from server.db import db
from server.models.sync import Client
from tests.sync_helpers import Device, put


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
    assert Client.get_by_id(device.client_id).last_mutation_id == 0


def test_missing_role_is_403(client, auth):
    _, token = auth.register(role="physio")
    assert_envelope(Device(client, token).push(put(1)), 403)
