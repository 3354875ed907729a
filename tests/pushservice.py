"""A Web Push service on 127.0.0.1 for tests.

It does what a browser vendor's push service does with a message: checks the VAPID token
(an ES256 JWT) against the key in `Authorization: vapid t=..., k=...`, checks the claims and
that the key is the one the subscription was made with, and then, standing in for the browser,
decrypts the aes128gcm body with the subscription's private key and auth secret. Messages that
pass are recorded; it can be told to answer with any status instead.
"""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

MAX_TOKEN_LIFE_S = 24 * 60 * 60


def b64url(raw):
    """Return unpadded base64url text."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def unb64url(text):
    """Decode base64url text with or without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Refused(Exception):
    """A request the push service turns away, with the status it answers."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status


@dataclass
class Subscriber:
    """A browser-like subscription: a P-256 key pair and a 16-byte auth secret."""

    endpoint: str
    application_server_key: str | None = None
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    def subscription(self):
        """Return the PushSubscription JSON a browser would hand the page."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }

    def decrypt(self, body):
        """Return the plaintext of an aes128gcm message sent to this subscription."""
        return http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm")


@dataclass
class Message:
    """A push the service accepted: who it was for, its claims, headers and decrypted payload."""

    subscriber: Subscriber
    claims: dict
    headers: dict
    payload: dict


def parse_authorization(header):
    """Return (token, key) from a `vapid t=..., k=...` Authorization header."""
    scheme, _, rest = (header or "").partition(" ")
    if scheme.lower() != "vapid":
        raise Refused(401, "Authorization must use the vapid scheme")
    params = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        params[name] = value
    if not params.get("t") or not params.get("k"):
        raise Refused(401, "vapid authorization needs t and k")
    return params["t"], params["k"]


def verify_token(token, key):
    """Return the claims of an ES256 JWT after checking its signature against the key."""
    try:
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        signature = unb64url(signature_b64)
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
    except ValueError:
        raise Refused(401, "malformed token or key") from None
    if header.get("alg") != "ES256" or len(signature) != 64:
        raise Refused(401, "token must be signed with ES256")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, f"{header_b64}.{claims_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused(401, "bad signature") from None
    return json.loads(unb64url(claims_b64))


def check_claims(claims, origin):
    """Refuse claims meant for another service, expired, too long-lived or without a contact."""
    now = time.time()
    if claims.get("aud") != origin:
        raise Refused(401, f"aud must be {origin}")
    if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + MAX_TOKEN_LIFE_S:
        raise Refused(401, "exp must be within the next 24 hours")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise Refused(401, "sub must be a mailto: or https: contact")


class PushService:
    """The service: start it, make subscribers, send to them, read what arrived."""

    def __init__(self):
        self.subscribers = {}
        self.messages = []
        self.attempts = []
        self.refusals = []
        self.answers = {}
        self.lock = threading.Lock()
        self.server = None
        self.thread = None

    def __enter__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()

    @property
    def origin(self):
        """Return the service's origin, the `aud` a token must name."""
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def subscribe(self, application_server_key=None):
        """Return a new subscriber; with a key, tokens signed by any other key are refused."""
        token = b64url(os.urandom(12))
        subscriber = Subscriber(f"{self.origin}/push/{token}", application_server_key)
        with self.lock:
            self.subscribers[token] = subscriber
        return subscriber

    def answer(self, status, subscriber=None, headers=None):
        """Answer this status (for one subscriber, or all) instead of accepting messages."""
        with self.lock:
            self.answers[subscriber.endpoint if subscriber else None] = (status, headers or {})

    def reset(self):
        """Go back to accepting every valid message."""
        with self.lock:
            self.answers.clear()

    def accept(self, path, headers, body):
        """Check and decrypt one request; return (status, headers) and record the outcome."""
        with self.lock:
            self.attempts.append(path)
            subscriber = self.subscribers.get(path.removeprefix("/push/"))
            forced = self.answers.get(subscriber.endpoint if subscriber else "") or self.answers.get(None)
        try:
            if subscriber is None:
                raise Refused(404, "no such subscription")
            if forced:
                return forced
            message = self.read(subscriber, headers, body)
        except Refused as refusal:
            with self.lock:
                self.refusals.append((refusal.status, str(refusal)))
            return refusal.status, {}
        with self.lock:
            self.messages.append(message)
        return 201, {"Location": f"/message/{len(self.messages)}"}

    def read(self, subscriber, headers, body):
        """Return the message a request carries, or refuse it."""
        token, key = parse_authorization(headers.get("Authorization"))
        claims = verify_token(token, key)
        check_claims(claims, self.origin)
        if subscriber.application_server_key and key != subscriber.application_server_key:
            raise Refused(403, "signed with a key other than the subscription's")
        if headers.get("Content-Encoding") != "aes128gcm":
            raise Refused(415, "Content-Encoding must be aes128gcm")
        if not (headers.get("TTL") or "").isdigit():
            raise Refused(400, "TTL header required")
        try:
            payload = json.loads(subscriber.decrypt(body))
        except (http_ece.ECEException, InvalidTag, ValueError) as error:
            raise Refused(400, f"cannot decrypt: {error}") from None
        return Message(subscriber, claims, dict(headers), payload)

    def handler_class(self):
        """Return the request handler bound to this service."""
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, headers = service.accept(self.path, self.headers, body)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                """Keep test output quiet."""

        return Handler
