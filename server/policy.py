"""What every request and response goes through: the body limit, security and cache headers."""

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

# Sent on every response: the page's own policy (server/web.py) is stricter and is kept.
SECURITY = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "X-Frame-Options": "DENY"}
FRAMING = "frame-ancestors 'none'"
# The API answers that anyone may keep: the catalogue, the VAPID key, health and the API's
# own description. Everything else under /api/ concerns one person, so it is never stored
# by a browser or a proxy; a new route is personal until it is added here.
PUBLIC_API = ("/api/v1/content/", "/api/v1/health", "/api/v1/push/vapid-public-key",
              "/api/v1/swagger.json", "/api/v1/docs")


def init_app(app):
    """Register the hooks on the app."""
    app.before_request(limit_streamed_body)
    app.after_request(add_headers)


def limit_streamed_body():
    """Answer 413 to a chunked body past the limit, as to one that declares its length."""
    # Without Content-Length werkzeug cuts the stream at the limit and the cut JSON reads as
    # a 400; read it here, then look one byte past the limit.
    if request.content_length is not None or "chunked" not in request.headers.get(
            "Transfer-Encoding", "").lower() or request.max_content_length is None:
        return
    request.get_data(cache=True)
    if request.stream.is_exhausted and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()


def personal(path):
    """Tell whether an answer on this path may carry someone's data."""
    return path.startswith("/api/") and not path.startswith(PUBLIC_API)


def add_headers(response):
    """Add the security headers, and no-store on every answer that may carry personal data."""
    for name, value in SECURITY.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", FRAMING)
    if personal(request.path):
        response.headers["Cache-Control"] = "no-store"
    return response
