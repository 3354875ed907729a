"""Browser tests: the real app on a real HTTP server (127.0.0.1), driven in headless Chromium.

Without Chromium these tests are skipped with a loud message, unless CI is set: then a
missing browser fails them.
"""

import json
import os
import shutil
import socket
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
import requests
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wsgi import get_input_stream

from server import create_app, migrate
from server.content.seed import seed
from server.db import db
from tests.e2e.driver import PASSWORD

HERE = Path(__file__).parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SKIPPED = pytest.StashKey[int]()
RETRY_AFTER_S = 2
# What Faults answers instead of the app: a crash, and a database outage that asks for a wait.
INJECTED = {"fail": ("500 INTERNAL SERVER ERROR", []),
            "unavailable": ("503 SERVICE UNAVAILABLE", [("Retry-After", str(RETRY_AFTER_S))])}
NO_CHROMIUM = "NO CHROMIUM FOUND: the browser tests of tests/e2e did not run (apt-get install chromium)"


def chromium_path():
    """Debian's Chromium, where the project expects it (or on PATH)."""
    path = "/usr/bin/chromium"
    return path if os.access(path, os.X_OK) else shutil.which("chromium")


def pytest_collection_modifyitems(config, items):
    mine = [item for item in items if HERE in item.path.parents]
    for item in mine:
        item.add_marker(pytest.mark.e2e)
    if mine and not chromium_path() and not os.environ.get("CI"):
        # The one allowed skip: a developer machine without a browser. CI fails instead.
        for item in mine:
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))
        config.stash[SKIPPED] = len(mine)


def pytest_terminal_summary(terminalreporter, config):
    skipped = config.stash.get(SKIPPED, 0)
    if skipped:
        terminalreporter.write_sep("!", f"{skipped} browser tests SKIPPED. {NO_CHROMIUM}",
                                   red=True, bold=True)


class Faults:
    """Test-only WSGI middleware: answer 500 or 503, or drop the connection after a commit."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.planned = {}
        self.happened = []
        self.moments = []  # time.monotonic() of each entry of `happened`

    def plan(self, path, *actions):
        """Make the next requests to `path` meet `actions` in order: 'fail', 'unavailable', 'drop'."""
        with self.lock:
            self.planned.setdefault(path, []).extend(actions)

    def cancel(self, path):
        """Let the requests to `path` through again."""
        with self.lock:
            self.planned.pop(path, None)

    def take(self, path):
        with self.lock:
            queue = self.planned.get(path)
            action = queue.pop(0) if queue else None
            if action:
                self.happened.append((path, action))
                self.moments.append(time.monotonic())
            return action

    def __call__(self, environ, start_response):
        action = self.take(environ.get("PATH_INFO", ""))
        if action in INJECTED:
            get_input_stream(environ).read()  # nothing is applied: the app never sees it
            status, headers = INJECTED[action]
            start_response(status, [("Content-Type", "application/json"), ("Connection", "close"),
                                    *headers])
            return [json.dumps({"error": status.split(" ", 1)[1].title(),
                                "message": "Injected failure."}).encode()]
        if action == "drop":
            response = self.app(environ, lambda *args, **kwargs: None)
            try:
                b"".join(response)  # the push runs and commits
            finally:
                getattr(response, "close", lambda: None)()
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
            raise ConnectionResetError("injected: the response was lost after the commit")
        return self.app(environ, start_response)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        """Keep the test output to what failed."""


class Served:
    """The app behind a real server, with an API client for checking what the server holds."""

    def __init__(self, app, faults, url):
        self.app = app
        self.faults = faults
        self.url = url
        self.http = requests.Session()
        self.http.trust_env = False  # 127.0.0.1 only, never through a proxy

    def api(self, method, path, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.request(method, f"{self.url}/api/v1{path}", headers=headers, timeout=10,
                                 **kwargs)

    def register(self, name="Sam", role="member"):
        """Create an account; return (email, token)."""
        email = f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.org"
        response = self.api("POST", "/auth/register", json={
            "email": email, "password": PASSWORD, "display_name": name, "role": role})
        assert response.status_code == 201, response.text
        return email, response.json()["token"]

    def entries(self, token):
        """Every live entry the server holds for the token's account, read by a fresh client."""
        client_id, cursor, found = str(uuid.uuid4()), 0, {}
        while True:
            response = self.api("POST", "/sync/pull", token, json={
                "client_id": client_id, "cursor": cursor, "limit": 500})
            assert response.status_code == 200, response.text
            body = response.json()
            for change in body["changes"]:
                if change["entity"] == "entry":
                    found[change["key"]] = None if change["deleted"] else change["data"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return [data for data in found.values() if data is not None]


@pytest.fixture
def served(tmp_path):
    """A fresh, migrated and seeded app on an ephemeral port of 127.0.0.1."""
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/e2e.db", "VAR_DIR": str(tmp_path),
                      "TESTING": True, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})
    with db.connection_context():
        migrate.run(db.obj)
        seed()
    faults = Faults(app.wsgi_app)
    app.wsgi_app = faults
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(app, faults, f"http://127.0.0.1:{server.server_port}")
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def playwright():
    if not chromium_path():
        pytest.fail(f"CI is set and no Chromium was found. {NO_CHROMIUM}")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def daytime_zone(now=None):
    """A time zone in which it is day now (09:00 to 21:00), on the same calendar date as UTC.

    The app turns night mode on by itself inside the default sleep window (22:30 to 07:00 on the
    device's clock), and the browser tests expect to start by day and turn night on by hand, at
    whatever hour they run. The instant stays real (the server dates what it receives as it
    comes), only the wall clock moves: Honolulu (UTC-10) late in the UTC evening, Tokyo (UTC+9)
    in the UTC small hours. A test that needs another zone names it.
    """
    hour = (now or datetime.now(timezone.utc)).hour
    if hour >= 21:
        return "Pacific/Honolulu"  # 11:00 to 14:00, the same date
    if hour < 8:
        return "Asia/Tokyo"  # 09:00 to 17:00, the same date
    return "UTC"


@pytest.fixture
def profile_context(playwright, tmp_path):
    """A browser with a profile on disk, as people have (installing needs one)."""
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile", executable_path=chromium_path(), args=CHROMIUM_ARGS,
        viewport={"width": 412, "height": 860}, timezone_id=daytime_zone())
    yield context
    context.close()


@pytest.fixture
def new_context(browser):
    """Open browser contexts (each one a separate device) that close after the test."""
    contexts = []

    def open_context(**kwargs):
        kwargs.setdefault("timezone_id", daytime_zone())
        context = browser.new_context(viewport={"width": 412, "height": 860}, **kwargs)
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(context):
    return context.new_page()
