"""The PWA's files: caching headers, the generated service worker, and the shell budget."""

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from server import pictures
from server.content import read_file
from server.web import ONLINE_ONLY, Shell, minified

PWA = Path(__file__).parent.parent / "pwa"
SHELL_BUDGET = 60 * 1024


def worker_shell(client):
    """The cache name and precache list the served sw.js carries."""
    source = client.get("/sw.js").get_data(as_text=True)
    return json.loads(re.search(r"const SHELL ?= ?(\{.*?\]\});", source).group(1))


def test_the_page_is_served_at_the_root_with_no_cache_and_a_strict_policy(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert '<link rel="modulepreload" href="/js/main.js">' in page
    assert "<!-- modulepreload -->" not in page


def test_the_worker_carries_the_cache_name_and_every_shell_file(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    shell = worker_shell(client)
    assert re.fullmatch(r"unknot-shell-[0-9a-f]{16}", shell["cache"])
    files = {f"/{p.relative_to(PWA).as_posix()}" for p in PWA.rglob("*")
             if p.is_file() and p.parts[len(PWA.parts)] in ("js", "css", "icons")
             and not p.relative_to(PWA).as_posix().startswith(ONLINE_ONLY)}
    # The pictures' module is drawn from the catalogue, not read from pwa/.
    assert set(shell["files"]) == files | {"/", "/app.webmanifest", "/js/pictures.js"}


def test_the_pictures_module_maps_every_exercise_to_its_svg(client):
    response = client.get("/js/pictures.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    found = re.fullmatch(r"export default(\{.*\});export const RELIEF ?= ?(\{.*\});?\s*",
                         response.get_data(as_text=True), re.S)
    table = json.loads(found.group(1))
    exercises = read_file("exercises")
    assert list(table) == [e["slug"] for e in exercises]
    assert all(table[e["slug"]] == pictures.svg(e["picture"]) for e in exercises)
    # Each muscle's relief stretch, for the built-in relief routine of a first start.
    relief = json.loads(found.group(2))
    assert relief["calf"] == "calf-stretch-seated" and relief["neck"] == "neck-side-stretch"
    assert set(relief) == {r["slug"][7:] for r in read_file("routines") if r["kind"] == "relief"}


def test_the_physio_workspace_and_install_icons_are_served_but_not_precached(client):
    online_only = [p.relative_to(PWA).as_posix() for p in PWA.rglob("*")
                   if p.is_file() and p.relative_to(PWA).as_posix().startswith(ONLINE_ONLY)]
    assert "js/physio/patients.js" in online_only and "css/physio.css" in online_only
    assert "icons/maskable-512.png" in online_only
    precached = set(worker_shell(client)["files"])
    for name in online_only:
        assert f"/{name}" not in precached
        response = client.get(f"/{name}")
        assert response.status_code == 200, name
        icon = name.startswith("icons/")
        assert response.headers["Cache-Control"] == ("public, max-age=86400" if icon else "no-cache")
    # The start-up graph must load offline, so it never reaches into the workspace.
    assert not [name for name in Shell(PWA).start_graph() if name.startswith(ONLINE_ONLY)]


@pytest.mark.parametrize("module", ["js/db.js", "js/prefs.js", "js/records.js", "js/sync.js",
                                    "js/nudge.js", "js/views/cards.js", "js/views/physio.js"])
def test_the_home_buttons_start_without_the_database_sync_or_reminders(module):
    # Offline, each module of the start-up graph is one more cache read before the first view.
    assert module not in Shell(PWA).start_graph()


def test_every_precached_file_is_served(client):
    for url in worker_shell(client)["files"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("url, mimetype, policy", [
    ("/app.webmanifest", "application/manifest+json", "no-cache"),
    ("/js/main.js", "text/javascript", "no-cache"),
    ("/css/app.css", "text/css", "no-cache"),
    ("/icons/icon-192.png", "image/png", "public, max-age=86400"),
])
def test_files_revalidate_with_their_etag(client, url, mimetype, policy):
    response = client.get(url)
    assert response.mimetype == mimetype
    assert response.headers["Cache-Control"] == policy
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert again.get_data() == b""


@pytest.mark.parametrize("url", ["/js/missing.js", "/js/../setup.cfg", "/icons/", "/css/app.css/x"])
def test_unknown_files_are_a_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


def test_the_shell_is_read_once_per_app(app, client):
    client.get("/sw.js")
    shell = app.extensions["unknot_shell"]
    client.get("/")
    assert app.extensions["unknot_shell"] is shell


def test_any_change_to_the_app_changes_the_cache_name(tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(PWA, copy)
    before = Shell(copy)
    with open(copy / "css" / "app.css", "a") as sheet:
        sheet.write("\n/* changed */\n")
    after = Shell(copy)
    assert after.cache_name != before.cache_name
    assert after.precache == before.precache


def test_a_worker_without_its_placeholder_is_refused(tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(PWA, copy)
    (copy / "sw.js").write_text("self.addEventListener('fetch', () => {});\n")
    with pytest.raises(RuntimeError, match="placeholder"):
        Shell(copy)


def test_the_shell_stays_under_its_gzip_budget(client):
    total = sum(len(gzip.compress(client.get(url).get_data(), 9))
                for url in worker_shell(client)["files"] + ["/sw.js"])
    assert total < SHELL_BUDGET


def test_the_minifier_keeps_every_string_and_template_literal_whole():
    """rJSmin leaves literals alone but would squeeze the text of a template literal nested in
    another's ${}: pwa/ must have none, and every literal must come through unchanged."""
    literal = re.compile(r"`(?:\\.|[^`\\])*`|'(?:\\.|[^'\\\n])*'|\"(?:\\.|[^\"\\\n])*\"")
    nested = re.compile(r"`[^`]*\$\{[^}`]*`")
    for path in sorted(PWA.rglob("*.js")):
        source = path.read_text(encoding="utf-8")
        assert not nested.search(source), f"{path}: a template literal inside another's ${{}}"
        # Comments may hold quotes of their own; compare the code's literals only.
        code = re.sub(r"^\s*//.*$|/\*.*?\*/", "", source, flags=re.M | re.S)
        kept = minified(code.encode()).decode()
        assert literal.findall(kept) == literal.findall(code), path


def test_the_served_modules_are_minified(client):
    served = client.get("/js/triage.js").get_data(as_text=True)
    source = (PWA / "js" / "triage.js").read_text(encoding="utf-8")
    assert source.startswith("//") and not served.startswith("//")
    assert len(served) < 0.8 * len(source)
