"""Every answer carries the security headers; every answer about a person is never stored."""

import re

import pytest

from server.policy import PUBLIC_API
from tests.care_helpers import clinic, cramp  # noqa: F401 (fixture)

# What the issue named as personal; the walk below must find each one behind no-store.
PERSONAL = ["/api/v1/me", "/api/v1/me/audit", "/api/v1/me/export", "/api/v1/sync/pull",
            "/api/v1/sync/push", "/api/v1/care/invites", "/api/v1/care/links",
            "/api/v1/care/patients", "/api/v1/care/patients/<int:patient_id>/summary",
            "/api/v1/care/patients/<int:patient_id>/export/csv",
            "/api/v1/hydration/today", "/api/v1/push/subscriptions", "/api/v1/auth/login",
            "/api/v1/auth/register", "/api/v1/auth/logout"]


def assert_secured(response, where):
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers["Referrer-Policy"] == "no-referrer", where
    assert response.headers["X-Frame-Options"] == "DENY", where
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], where


class Walk:
    """Call every route of the app with real ids, as a physio and as their patient."""

    def __init__(self, app, clinic):
        self.app, self.clinic = app, clinic
        self.physio = clinic.physio()
        self.patient = clinic.person("Pat")
        self.link = clinic.link(self.physio, self.patient)
        self.patient.log(cramp())
        self.values = {"patient_id": self.patient.id, "link_id": self.link["id"],
                       "subscription_id": 1, "key": "x", "slug": "calf-stretch",
                       "filename": "swagger-ui.css", "folder": "js", "name": "main.js"}

    def url(self, rule):
        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(self.values[m.group(1)]),
                      rule.rule)

    def calls(self):
        """Yield (rule, method, response) for each route and method, for both people."""
        for rule in self.app.url_map.iter_rules():
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                for person in (self.physio, self.patient):
                    # Logging out revokes the token: give that call a token of its own.
                    token = (self.clinic.auth.login(person.user["email"]) if "logout" in rule.rule
                             else person.token)
                    response = self.clinic.client.open(
                        self.url(rule), method=method, json={} if method != "GET" else None,
                        headers={"Authorization": f"Bearer {token}"})
                    yield rule.rule, method, response
                    response.close()  # static files answer with an open file


@pytest.fixture
def walk(app, clinic):  # noqa: F811
    return Walk(app, clinic)


def test_every_route_and_error_carries_the_security_headers(walk, client):
    seen = set()
    for rule, method, response in walk.calls():
        assert_secured(response, (method, rule, response.status_code))
        seen.add(rule)
    assert {"/", "/sw.js", "/api/v1/docs", "/api/v1/swagger.json",
            "/swaggerui/<path:filename>"} <= seen
    for url in ("/api/v1/nothing", "/nothing", "/js/missing.js"):
        assert_secured(client.get(url), url)
    with client.get("/swaggerui/swagger-ui.css") as response:
        assert response.status_code == 200
        assert_secured(response, "a file of the docs page")
    assert_secured(client.get("/api/v1/auth/login"), "405")


def test_every_personal_answer_is_never_stored(walk):
    personal = set()
    for rule, method, response in walk.calls():
        if rule.startswith("/api/") and not rule.startswith(PUBLIC_API):
            assert response.headers["Cache-Control"] == "no-store", (method, rule,
                                                                     response.status_code)
            personal.add(rule)
    assert set(PERSONAL) <= personal
    assert "/api/v1/care/patients/<int:patient_id>/comments/<uuid:key>" in personal


def test_personal_data_answers_are_no_store(walk):
    for path in ("/me", "/care/patients", f"/care/patients/{walk.patient.id}/summary"):
        response = walk.physio.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
    response = walk.patient.post("/sync/pull", {"client_id": "7c1d8f4e-3b8a-4a57-9f3e-2d1c0b9a8e7f"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/api/v1/content/exercises", "/api/v1/health",
                                 "/api/v1/push/vapid-public-key", "/api/v1/swagger.json"])
def test_public_answers_keep_their_own_cache_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_the_page_keeps_its_strict_policy_and_the_docs_only_forbid_framing(client):
    page = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in page and "frame-ancestors 'none'" in page
    assert client.get("/api/v1/docs").headers["Content-Security-Policy"] == "frame-ancestors 'none'"
