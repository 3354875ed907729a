"""Compress what crosses the wire: the app shell once when it is read, text answers as they go.

The encoding follows the request's Accept-Encoding with its q-values (brotli first when the
client rates both alike; plain when it accepts neither), and every answer that could have been
compressed says `Vary: Accept-Encoding`, so no cache hands one client's encoding to another.
"""

import functools
import gzip
import hashlib

import brotli
from flask import request

# Offered in this order when the client rates them alike: brotli is the smaller of the two.
OFFERED = ("br", "gzip")
# Below this the headers and framing cost about what compression would save.
MIN_BYTES = 500
# Answers made per request use the fastest levels: a pull page of 500 entries (195 KB) took
# 0.3 ms to 16.7 KB with brotli 1 (4 ms to 16.2 KB at 4) and 0.7 ms to 20.9 KB with gzip 1
# (1.7 ms to 17.8 KB at 6). The shell is compressed once, as small as each encoding goes.
FAST = {"br": lambda body: brotli.compress(body, quality=1),
        "gzip": lambda body: gzip.compress(body, 1, mtime=0)}
SMALLEST = {"br": lambda body: brotli.compress(body, quality=11),
            "gzip": lambda body: gzip.compress(body, 9, mtime=0)}


def choose(accept, offered=OFFERED):
    """Return the encoding to send under a parsed Accept-Encoding, or None to send it plain."""
    best = max(offered, key=accept.quality, default=None)  # the first of the best on ties
    if best is None or accept.quality(best) <= 0:
        return None
    # identity is always acceptable; it wins only where the client rates it above the best.
    named = any(value == "identity" for value, _ in accept)
    return None if named and accept.quality("identity") > accept.quality(best) else best


def vary(response):
    """Say that the answer depends on Accept-Encoding."""
    response.vary.add("Accept-Encoding")


def varies(response):
    """Tell whether the answer was already negotiated where it was made."""
    return "accept-encoding" in {value.lower() for value in response.vary}


@functools.lru_cache(maxsize=256)
def packed(body):
    """Return {encoding: body} for the encodings that make `body` smaller, at their best.

    Cached by content: brotli at its best takes about half a second for the whole shell, paid
    once per process and not again for each app built from the same files."""
    forms = {name: compress(body) for name, compress in SMALLEST.items()}
    return {name: form for name, form in forms.items() if len(form) < len(body)}


class Encoded:
    """One file's bytes, plain and compressed, each with a strong ETag of its own."""

    def __init__(self, body, compress=True):
        self.body = body
        tag = hashlib.sha256(body).hexdigest()[:20]
        self.forms = {None: (body, tag)}
        if compress and len(body) >= MIN_BYTES:
            self.forms.update({name: (form, f"{tag}-{name}")
                               for name, form in packed(body).items()})

    def pick(self, accept):
        """Return (encoding or None, body, etag) for a parsed Accept-Encoding."""
        encoding = choose(accept, [name for name in OFFERED if name in self.forms])
        return (encoding, *self.forms[encoding])


def compress_answer(response):
    """Compress a text answer the client accepts compressed, unless it is small or streamed."""
    mimetype = response.mimetype or ""
    if (varies(response) or response.direct_passthrough or response.is_streamed
            or "Content-Encoding" in response.headers
            or not (mimetype.startswith("text/") or mimetype.endswith(("/json", "+json")))):
        return response
    vary(response)
    encoding = choose(request.accept_encodings)
    if encoding is None:
        return response
    if response.status_code == 304:
        # A 304 stands for an answer this client gets compressed (all but the smallest are),
        # so it echoes that answer's weak validator; If-None-Match matches either form.
        weaken(response)
        return response
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    response.set_data(FAST[encoding](body))
    response.headers["Content-Encoding"] = encoding
    weaken(response)
    return response


def weaken(response):
    """Mark a strong ETag weak: the compressed bytes differ, the content is the same.

    If-None-Match compares weakly, so the client's copy still earns a 304."""
    tag, weak = response.get_etag()
    if tag is not None and not weak:
        response.set_etag(tag, weak=True)


def init_app(app):
    """Compress the app's text answers."""
    app.after_request(compress_answer)
