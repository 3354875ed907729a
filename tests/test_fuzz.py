"""Fuzz the API from its own Swagger document, over real HTTP, as a member and as a physio.

Schemathesis runs every phase (examples, coverage, fuzzing, and stateful sequences that follow
the links it infers between operations) and checks each answer against the document: no 5xx,
only declared status codes, content types, headers and bodies. Only `positive_data_acceptance`
runs on fewer operations: a date range longer than a year, an assignment naming two things, a
programme the catalogue does not hold, or a key that is not a point on the P-256 curve are
refused with a declared 422, and Swagger 2.0 has no way to state such rules between fields or
against the stored catalogue.
"""

import os
import re
import subprocess
import threading

import pytest
from hypothesis import given, settings
from hypothesis.strategies import from_regex
from werkzeug.serving import WSGIRequestHandler, make_server

from schemas.care import CODE_AS_TYPED, code_schema

from tests.care_helpers import clinic, cramp, drink, seeded_catalogue  # noqa: F401 (fixtures)
from tests.test_serve import BIN

CROSS_FIELD_RULES = r"/care/patients/|/push/subscriptions|/me/programmes"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        """Keep the output to what failed."""


@pytest.fixture
def server(app):
    """The app on an ephemeral port of 127.0.0.1; yield its Swagger document's URL."""
    http = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}/api/v1/swagger.json"
    http.shutdown()
    http.server_close()
    thread.join()


@pytest.fixture
def people(clinic, seeded_catalogue):  # noqa: F811
    """A physio and a consenting patient with a diary, so the care routes reach real data."""
    physio, patient = clinic.physio(), clinic.person("Pat")
    clinic.link(physio, patient)
    patient.log(cramp(), cramp(days=3), drink())
    return {"member": patient.token, "physio": physio.token}


def schemathesis(url, token, *options, cwd):
    """Run the schemathesis CLI in `cwd` (it keeps files there); return (exit code, report)."""
    done = subprocess.run(
        [os.path.join(BIN, "schemathesis"), "run", url, "-H", f"Authorization: Bearer {token}",
         "--max-examples", "8", "--workers", "2", "--generation-database", "none",
         "--no-color", "--warnings", "off", *options],
        capture_output=True, text=True, timeout=600, cwd=cwd, env=dict(os.environ, NO_PROXY="*"))
    return done.returncode, done.stdout[-20000:] + done.stderr[-2000:]


@pytest.mark.parametrize("role", ["member", "physio"])
def test_every_answer_conforms_to_the_document(server, people, role, tmp_path):
    # Logging out revokes the token every other call uses: it is fuzzed on its own below.
    code, report = schemathesis(server, people[role], "--checks", "all", "--exclude-checks",
                                "positive_data_acceptance", "--exclude-path", "/auth/logout",
                                cwd=tmp_path)
    assert code == 0, report
    code, report = schemathesis(server, people[role], "--checks", "positive_data_acceptance",
                                "--exclude-path-regex", CROSS_FIELD_RULES,
                                "--exclude-path", "/auth/logout", "--phases", "fuzzing",
                                # Valid data is text a UTF-8 client can send: no lone surrogates.
                                "--generation-codec", "utf-8", cwd=tmp_path)
    assert code == 0, report


def test_logging_out_conforms_to_the_document(server, auth, tmp_path):
    _, token = auth.register()
    code, report = schemathesis(server, token, "--checks", "all",
                                "--include-path", "/auth/logout", cwd=tmp_path)
    assert code == 0, report


def swagger(client):
    return client.get("/api/v1/swagger.json").get_json()


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield path, method, operation


def test_every_operation_with_a_body_declares_400(client):
    with_body = [(path, method) for path, method, operation in operations(swagger(client))
                 if any(p["in"] == "body" for p in operation.get("parameters", []))]
    assert len(with_body) == 12
    for path, method in with_body:
        assert "400" in swagger(client)["paths"][path][method]["responses"], (method, path)


def test_the_exports_declare_their_json_errors(client):
    paths = swagger(client)["paths"]
    for kind in ("csv", "fhir", "pdf"):
        assert "application/json" in paths[f"/care/patients/{{patient_id}}/export/{kind}"]["get"]["produces"]


def test_every_time_the_api_sends_carries_its_offset(client, auth):
    user, token = auth.register()
    assert user["created_at"].endswith("+00:00")
    assert client.get("/api/v1/me", headers=auth.headers(token)).get_json()["created_at"] == user["created_at"]
    definitions = swagger(client)["definitions"]
    assert definitions["User"]["properties"]["created_at"]["format"] == "date-time"
    assert definitions["Comment"]["properties"]["created_at"]["format"] == "date-time"


def test_a_stored_subscription_sends_its_times_with_their_offset():
    from datetime import datetime

    from schemas.push import stored_subscription_schema

    dumped = stored_subscription_schema.dump({"id": 1, "endpoint": "https://push.example/x",
                                              "device_name": "", "failures": 0,
                                              "created_at": datetime(2026, 1, 2, 3, 4, 5),
                                              "last_sent_at": None})
    assert dumped["created_at"] == "2026-01-02T03:04:05+00:00"


@pytest.mark.parametrize("code", ["", " ", "ABCDEFGHJ", "ABCDEFGHJKM", "ABCDEFGHJU", "ßßßßß"])
def test_a_code_the_document_refuses_is_refused_and_the_document_says_so(client, clinic, code):  # noqa: F811
    pattern = swagger(client)["definitions"]["InviteCode"]["properties"]["code"]["pattern"]
    assert not re.search(pattern, code)
    response = clinic.person("Pat").post("/care/links", {"code": code})
    assert response.status_code == 422
    assert "code" in response.get_json()["fields"]


@given(code=from_regex(CODE_AS_TYPED))
@settings(max_examples=200, deadline=None)
def test_every_code_the_document_allows_is_read_as_a_code(code):
    assert re.fullmatch("[0-9A-HJKMNP-TV-Z]{10}", code_schema.load({"code": code})["code"])
