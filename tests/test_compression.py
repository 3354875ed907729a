"""Compression on the wire: the shell precompressed, large text answers compressed as they go,
each encoding with its own validator, chosen by Accept-Encoding and its q-values."""

import gzip
import json

import brotli
import pytest
from flask import Response
from werkzeug.http import parse_accept_header

from server.compression import MIN_BYTES, choose
from tests.sync_helpers import Device, put

DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}
SHELL = ["/", "/sw.js", "/js/main.js", "/css/app.css", "/app.webmanifest"]
STREAMED = b'{"items": [' + b", ".join([b'"a line of a long answer"'] * 100) + b"]}"


def get(client, url, encoding=None, **headers):
    if encoding is not None:
        headers["Accept-Encoding"] = encoding
    return client.get(url, headers=headers)


def decoded(response):
    """Return the body as the client reads it after undoing Content-Encoding."""
    encoding = response.headers.get("Content-Encoding")
    return DECODE[encoding](response.get_data()) if encoding else response.get_data()


@pytest.mark.parametrize("accept, chosen", [
    ("", None),
    ("gzip", "gzip"),
    ("gzip, deflate, br, zstd", "br"),
    ("br;q=0.5, gzip", "gzip"),
    ("br;q=0.9, gzip;q=0.8", "br"),
    ("*", "br"),
    ("*;q=0.5, br;q=0", "gzip"),
    ("gzip;q=0, br;q=0", None),
    ("identity;q=1, gzip;q=0.5", None),
    ("identity;q=0.5, gzip;q=0.6", "gzip"),
    ("deflate, zstd", None),
])
def test_the_encoding_follows_the_q_values(client, accept, chosen):
    assert choose(parse_accept_header(accept)) == chosen
    response = get(client, "/js/main.js", accept)
    assert response.headers.get("Content-Encoding") == chosen


@pytest.mark.parametrize("encoding", ["br", "gzip"])
@pytest.mark.parametrize("url", SHELL)
def test_shell_files_come_precompressed_with_an_etag_per_encoding(client, url, encoding):
    plain = get(client, url)
    packed = get(client, url, encoding)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    assert packed.headers["Vary"] == "Accept-Encoding" == plain.headers["Vary"]
    assert packed.mimetype == plain.mimetype
    assert int(packed.headers["Content-Length"]) == len(packed.get_data())
    assert len(packed.get_data()) < 0.6 * len(plain.get_data())
    assert decoded(packed) == plain.get_data()
    assert packed.headers["ETag"] != plain.headers["ETag"]
    assert packed.get_etag() == (plain.get_etag()[0] + f"-{encoding}", False)
    # The copy the client holds earns a 304 in its own encoding, and only there.
    again = get(client, url, encoding, **{"If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == packed.headers["ETag"]
    assert again.headers["Vary"] == "Accept-Encoding"
    assert get(client, url, encoding, **{"If-None-Match": plain.headers["ETag"]}).status_code == 200
    assert get(client, url, **{"If-None-Match": packed.headers["ETag"]}).status_code == 200


def test_icons_are_sent_as_they_are(client):
    response = get(client, "/icons/icon-192.png", "br, gzip")
    assert "Content-Encoding" not in response.headers
    assert "Vary" not in response.headers


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_pull_page_of_500_entries_travels_compressed(client, auth, encoding):
    _, token = auth.register()
    device = Device(client, token)
    assert device.push(*[put(i + 1) for i in range(500)]).status_code == 200
    body = {"client_id": device.client_id, "cursor": 0, "limit": 500}
    headers = dict(device.headers)
    plain = client.post("/api/v1/sync/pull", headers=headers, json=body)
    headers["Accept-Encoding"] = encoding
    packed = client.post("/api/v1/sync/pull", headers=headers, json=body)
    assert packed.status_code == 200
    assert packed.headers["Content-Encoding"] == encoding
    assert packed.headers["Vary"] == "Accept-Encoding"
    assert packed.headers["Cache-Control"] == "no-store"
    assert len(packed.get_data()) < len(plain.get_data()) / 5
    assert decoded(packed) == plain.get_data()
    assert len(json.loads(decoded(packed))["changes"]) == 500


@pytest.mark.parametrize("url", ["/api/v1/health", "/api/v1/nothing"])
def test_small_answers_stay_plain(client, url):
    response = get(client, url, "br, gzip")
    assert len(response.get_data()) < MIN_BYTES
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"
    assert response.get_json()


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_content_keeps_its_304_when_compressed(client, encoding):
    url = "/api/v1/content/pages"
    plain = get(client, url)
    packed = get(client, url, encoding)
    assert packed.headers["Content-Encoding"] == encoding
    assert decoded(packed) == plain.get_data()
    # Same content, other bytes: the validator is the plain one, marked weak.
    assert packed.headers["ETag"] == f"W/{plain.headers['ETag']}"
    for held in (packed.headers["ETag"], plain.headers["ETag"]):
        again = get(client, url, encoding, **{"If-None-Match": held})
        assert again.status_code == 304 and again.get_data() == b""
        assert again.headers["ETag"] == packed.headers["ETag"]
        assert again.headers["Vary"] == "Accept-Encoding"
    assert get(client, url, **{"If-None-Match": packed.headers["ETag"]}).status_code == 304


@pytest.fixture
def streaming(app):
    @app.get("/test-stream")
    def stream():
        return Response((STREAMED[i:i + 100] for i in range(0, len(STREAMED), 100)),
                        mimetype="application/json")
    return app.test_client()


def test_a_streamed_answer_is_never_buffered_to_compress_it(streaming):
    response = get(streaming, "/test-stream", "br, gzip")
    assert response.is_streamed
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == STREAMED
