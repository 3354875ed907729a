"""The PWA's app shell: its size on the wire, and how fast it starts offline.

- size: every file the service worker precaches (and the worker itself), gzip -9, summed;
  target under 60 KB. Beside it, what the server actually sends: the bytes on the wire to a
  client that accepts brotli, and to one that accepts only gzip.
- offline start: with the network off, the time from navigation to the home view rendered
  from the worker's cache, against a blank page served by the same worker from the same
  cache; target within 2x the blank page.

It prints figures and ratios; it asserts nothing about speed. Everything is on 127.0.0.1.

    .venv/bin/python bench/shell.py              # 15 interleaved rounds
    .venv/bin/python bench/shell.py --rounds 40
"""

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
import threading
from pathlib import Path

import requests
from werkzeug.serving import WSGIRequestHandler, make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server import create_app, migrate  # noqa: E402
from server.content.seed import seed  # noqa: E402
from server.db import db  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BUDGET_BYTES = 60 * 1024
BLANK_URL = "/bench-blank"
BLANK_PAGE = ("<!doctype html><html lang=en><meta charset=utf-8><title>blank</title>"
              "<body><p>blank</p><script>performance.mark('rendered')</script></body></html>")
PUT_BLANK = """async ([cacheName, url, body]) => {
  const cache = await caches.open(cacheName);
  await cache.put(url, new Response(body, { headers: { 'Content-Type': 'text/html' } }));
}"""
MARK_AT = "(name) => performance.getEntriesByName(name)[0]?.startTime ?? null"


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        """Print only the figures."""


def serve(directory):
    """Start the app on a fresh, seeded SQLite database; return (server, base url)."""
    app = create_app({"DATABASE_URL": f"sqlite:///{directory}/bench.db", "VAR_DIR": directory,
                      "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING"})
    with db.connection_context():
        migrate.run(db.obj)
        seed()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def shell_of(http, base):
    """The cache name and file list the served worker precaches."""
    source = http.get(f"{base}/sw.js", timeout=10).text
    return json.loads(re.search(r"const SHELL ?= ?(\{.*?\]\});", source).group(1))


def on_wire(http, url, encoding):
    """Return the number of bytes the server sends for `url` under an Accept-Encoding."""
    with http.get(url, headers={"Accept-Encoding": encoding}, stream=True, timeout=10) as answer:
        return len(answer.raw.read(decode_content=False))


def measure_size(http, base, shell):
    """Print the shell's size by kind of file (plain, gzip -9 of the plain bytes, and what is
    sent to brotli and to gzip clients); return the gzip -9 total in bytes."""
    sizes = {}
    for url in shell["files"] + ["/sw.js"]:
        body = http.get(f"{base}{url}", headers={"Accept-Encoding": "identity"}, timeout=10).content
        kind = "page" if url == "/" else url.rsplit(".", 1)[-1]
        sizes[kind] = [old + new for old, new in zip(sizes.get(kind, (0, 0, 0, 0)), (
            len(body), len(gzip.compress(body, 9)),
            on_wire(http, f"{base}{url}", "br"), on_wire(http, f"{base}{url}", "gzip")))]
    print(f"{'kind':<14}{'bytes':>10}{'gzip':>10}{'sent br':>10}{'sent gz':>10}")
    for kind, figures in sorted(sizes.items()):
        print(f"{kind:<14}" + "".join(f"{figure:>10,}" for figure in figures))
    totals = [sum(column) for column in zip(*sizes.values())]
    total = totals[1]
    print(f"{'total':<14}" + "".join(f"{figure:>10,}" for figure in totals) +
          f"   ({total / 1024:.1f} KB gzip; budget {BUDGET_BYTES // 1024} KB: "
          f"{'within' if total < BUDGET_BYTES else 'OVER'})")
    return total


def time_to(page, url, mark):
    """Navigate and return the time (ms since navigation start) of the page's mark."""
    page.goto(url)
    page.wait_for_function(f"() => ({MARK_AT})('{mark}') !== null")
    return page.evaluate(MARK_AT, mark)


def measure_start(base, shell, rounds):
    """Print median offline start of the app and of the blank page; return their ratio."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/")
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.wait_for_function("() => performance.getEntriesByName('unknot:home').length > 0")
        page.evaluate(PUT_BLANK, [shell["cache"], BLANK_URL, BLANK_PAGE])
        context.set_offline(True)
        app, blank = [], []
        for _ in range(rounds):
            blank.append(time_to(page, f"{base}{BLANK_URL}", "rendered"))
            app.append(time_to(page, f"{base}/", "unknot:home"))
        browser.close()
    app_ms, blank_ms = statistics.median(app), statistics.median(blank)
    print(f"offline start, median of {rounds}: home view {app_ms:.1f} ms, "
          f"blank page {blank_ms:.1f} ms, ratio {app_ms / blank_ms:.2f}x (target within 2x)")
    return app_ms / blank_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15, help="navigations of each page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        server, base = serve(directory)
        try:
            http = requests.Session()
            http.trust_env = False
            shell = shell_of(http, base)
            measure_size(http, base, shell)
            measure_start(base, shell, args.rounds)
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
