"""The shell travels compressed: the worker installs from compressed files, keeps them decoded,
and the app starts and logs offline from them."""

import json
import re
import threading

from playwright.sync_api import expect

from tests.e2e.driver import log_offline, open_app

CACHED_TEXT = """async ([cacheName, url]) => {
  const cached = await (await caches.open(cacheName)).match(url);
  return cached ? await cached.text() : null;
}"""


class Encodings:
    """WSGI middleware that notes the Content-Encoding the app sent for each path."""

    def __init__(self, app):
        self.app, self.sent, self.lock = app, {}, threading.Lock()

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]

        def noting(status, headers, *rest):
            with self.lock:
                self.sent[path] = dict(headers).get("Content-Encoding")
            return start_response(status, headers, *rest)
        return self.app(environ, noting)


def test_the_worker_installs_from_compressed_files_and_the_app_runs_offline(served, context, page):
    encodings = served.app.wsgi_app = Encodings(served.app.wsgi_app)
    open_app(page, served.url)
    sent = dict(encodings.sent)

    worker = served.http.get(f"{served.url}/sw.js", headers={"Accept-Encoding": "identity"},
                             timeout=10).text
    shell = json.loads(re.search(r"const SHELL ?= ?(\{.*?\]\});", worker).group(1))
    # Chromium asks for brotli from 127.0.0.1 as from HTTPS; files under 500 bytes go plain.
    packed = {url for url in shell["files"] + ["/sw.js"] if sent[url] == "br"}
    assert {"/", "/sw.js", "/js/main.js", "/css/app.css", "/app.webmanifest"} <= packed
    assert len(packed) > 0.8 * len(shell["files"])
    assert {sent[url] for url in shell["files"]} == {"br", None}
    for url in ("/", "/js/main.js", "/css/app.css"):
        plain = served.http.get(f"{served.url}{url}", headers={"Accept-Encoding": "identity"},
                                timeout=10)
        assert "Content-Encoding" not in plain.headers
        assert page.evaluate(CACHED_TEXT, [shell["cache"], url]) == plain.text, url

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("button", name="Cramping now")).to_be_visible()
    log_offline(page, served.url)
