"""Serve the PWA from pwa/: the shell precompressed with caching headers, and /sw.js with its
precache list."""

import hashlib
import json
import mimetypes
import posixpath
import re
from pathlib import Path

import rcssmin
import rjsmin
from flask import Blueprint, Response, abort, current_app, request

from server import pictures
from server.compression import Encoded, vary
from server.content import read_file

bp = Blueprint("web", __name__)

ASSET_DIRS = ("js", "css", "icons")
# The physio's workspace is an online tool: its files are served and hashed like the rest but
# not precached, so the member's shell stays small; the workspace says so when offline.
# The 512 px icons are read only by the browser when it installs the app, online, and it keeps
# its own copy for the splash screen; no page draws them. The 96 px icon is a notification's
# badge and a shortcut's icon: read when a push arrives or the app installs, both online.
ONLINE_ONLY = ("js/physio/", "css/physio.css", "icons/icon-512.png", "icons/maskable-512.png",
               "icons/icon-96.png")
# The placeholder in pwa/sw.js that the generated shell description replaces.
SW_PLACEHOLDER = 'const SHELL = {"cache": "unknot-shell-dev", "files": ["/"]};'
# The line of pwa/index.html that becomes a modulepreload link per module main.js needs to start.
PRELOAD_PLACEHOLDER = "<!-- modulepreload -->"
STATIC_IMPORT = re.compile(r"""^(?:import|export)\s[^'"]*?\sfrom\s+['"](\.{1,2}/[^'"]+)['"]""", re.M)
TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png",
         ".webmanifest": "application/manifest+json", ".html": "text/html", ".svg": "image/svg+xml"}
# index.html only runs our own files; inline code and other origins are refused.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


# The exercises' pictures, drawn from the catalogue when the shell is built: a module of the
# shell like the others, so every picture shows offline from the first start.
PICTURES_MODULE = "js/pictures.js"


def pictures_module():
    """Return the module that maps each exercise's slug to its picture's <svg> markup, and
    each muscle to the stretch its relief routine starts with (for the built-in relief routine
    of a first start that has not stored the catalogue yet)."""
    table = {item["slug"]: pictures.svg(item["picture"]) for item in read_file("exercises")}
    relief = {routine["slug"].removeprefix("relief-"): routine["items"][0]["exercise"]
              for routine in read_file("routines") if routine["kind"] == "relief"}
    compact = {"separators": (",", ":")}
    return (f"export default {json.dumps(table, **compact)};\n"
            f"export const RELIEF = {json.dumps(relief, **compact)};\n").encode()


class Shell:
    """The files of pwa/ read and compressed once, with their ETags and the shell's content hash."""

    def __init__(self, root):
        self.root = Path(root)
        self.files, self.sources = {}, {}
        digest = hashlib.sha256()
        found = {path.relative_to(self.root).as_posix(): path.read_bytes()
                 for path in self.root.rglob("*") if path.is_file()}
        found[PICTURES_MODULE] = pictures_module()
        for name in sorted(found):
            body = self.sources[name] = found[name]
            digest.update(name.encode() + b"\0" + body + b"\0")
            if name.endswith(".js"):
                body = minified(body)
            elif name.endswith(".css"):
                # The style sheet's comments are for readers of pwa/, not for the phone.
                body = rcssmin.cssmin(body.decode()).encode()
            # PNG is compressed already; everything else is text and is sent compressed.
            self.files[name] = Encoded(body, compress=not name.endswith(".png"))
        self.hash = digest.hexdigest()[:16]
        self.cache_name = f"unknot-shell-{self.hash}"
        self.precache = ["/"] + [f"/{name}" for name in self.files if self._precached(name)]
        self.worker = self._worker()
        self.page = self._page()

    @staticmethod
    def _precached(name):
        if name.startswith(ONLINE_ONLY):
            return False
        return name == "app.webmanifest" or name.split("/", 1)[0] in ASSET_DIRS

    def start_graph(self, entry="js/main.js"):
        """Return the modules `entry` imports statically, directly or not (itself included)."""
        found, pending = set(), [entry]
        while pending:
            name = pending.pop()
            if name in found or name not in self.files:
                continue
            found.add(name)
            source = self.sources[name].decode()
            folder = posixpath.dirname(name)
            pending += [posixpath.normpath(posixpath.join(folder, spec))
                        for spec in STATIC_IMPORT.findall(source)]
        return sorted(found)

    def _page(self):
        # Preloading the start-up graph fetches it at once instead of one import level at a time.
        links = "\n".join(f'<link rel="modulepreload" href="/{name}">' for name in self.start_graph())
        return Encoded(self.files["index.html"].body.decode()
                       .replace(PRELOAD_PLACEHOLDER, links, 1).encode())

    def _worker(self):
        source = self.sources["sw.js"].decode()
        if SW_PLACEHOLDER not in source:
            raise RuntimeError("pwa/sw.js lost its SHELL placeholder line")
        shell = json.dumps({"cache": self.cache_name, "files": self.precache})
        return Encoded(minified(source.replace(SW_PLACEHOLDER, f"const SHELL = {shell};", 1)
                                .encode()))


def minified(source):
    """Return JavaScript without its comments and spaces: the phone downloads and stores the
    shell, and its budget is for code, not for the notes written for readers of pwa/.

    rJSmin keeps strings, regular expressions and template literals whole, but not a template
    literal nested in another one's ${}: pwa/ has none (tests/test_web.py checks)."""
    return rjsmin.jsmin(source.decode()).encode()


def shell():
    """Return this app's Shell, built on first use (and on every request in debug mode)."""
    cached = current_app.extensions.get("unknot_shell")
    if cached is None or current_app.debug:
        root = current_app.config.get("PWA_DIR") or Path(current_app.root_path).parent / "pwa"
        cached = current_app.extensions["unknot_shell"] = Shell(root)
    return cached


def send(file, name, cache_control):
    """Answer with a file in the encoding the client prefers, with that encoding's ETag and the
    cache policy, honouring If-None-Match."""
    encoding, body, etag = file.pick(request.accept_encodings)
    mimetype = TYPES.get(Path(name).suffix) or mimetypes.guess_type(name)[0]
    response = Response(body, mimetype=mimetype or "application/octet-stream")
    if len(file.forms) > 1:
        vary(response)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    return response.make_conditional(request)


def send_file(name, cache_control="no-cache"):
    """Answer with one file of pwa/ or a 404."""
    found = shell().files.get(name)
    if found is None:
        abort(404, "No such file in the app.")
    return send(found, name, cache_control)


@bp.get("/")
def index():
    """Serve the app shell's page."""
    response = send(shell().page, "index.html", "no-cache")
    response.headers["Content-Security-Policy"] = CSP
    return response


@bp.get("/app.webmanifest")
def manifest():
    """Serve the web app manifest."""
    return send_file("app.webmanifest")


@bp.get("/sw.js")
def service_worker():
    """Serve the service worker with this build's cache name and precache list."""
    return send(shell().worker, "sw.js", "no-cache")


@bp.get("/<any(js, css, icons):folder>/<path:name>")
def asset(folder, name):
    """Serve a script, style sheet or icon; icons may be cached for a day."""
    # Scripts keep stable URLs (ES modules import each other by name), so they revalidate;
    # the worker's precache serves them instantly after the first visit anyway.
    policy = "public, max-age=86400" if folder == "icons" else "no-cache"
    return send_file(f"{folder}/{name}", policy)
