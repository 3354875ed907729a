"""Web Push delivery: VAPID keys, endpoint checks, and one send with a classified outcome.

A subscription endpoint is a URL this server will call, so it is checked twice: when it is
stored (`check_endpoint`), and on every connection. The guarded session resolves the host
itself, refuses any address that is not public and connects to the very address it checked,
so a DNS answer that changes between the check and the call cannot point the worker inward.
It follows no redirects and ignores proxies from the environment for the same reason. Plain
http and loopback addresses are allowed only with `allow_loopback`, which exists for tests.
"""

import base64
import ipaddress
import json
import os
import socket
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError
from urllib3.util.connection import create_connection

KEY_FILE = "vapid_private.pem"
TTL_S = 30 * 60  # a hydration reminder older than half an hour is stale: let the service drop it
TIMEOUT_S = 10
MAX_ENDPOINT = 2048
MAX_RETRY_AFTER_S = 24 * 60 * 60


class EndpointRefused(ValueError):
    """A push endpoint this server will not call."""


class HostNotFound(EndpointRefused):
    """A push endpoint whose host does not resolve (perhaps only for now)."""


@dataclass(frozen=True)
class VapidKeys:
    """The server's VAPID signing key and the contact it names to push services."""

    key: Vapid
    subject: str


@dataclass(frozen=True)
class Outcome:
    """What became of one push: "sent", "gone" (drop the subscription) or "retry"."""

    status: str
    code: int | None = None
    retry_after_s: int | None = None
    detail: str = ""


def b64url(raw):
    """Return unpadded base64url text."""
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def pem_key(data):
    """Return a VAPID key from PEM bytes, refusing anything but a P-256 private key."""
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("The VAPID key must be a P-256 (prime256v1) private key.")
    return Vapid(key)


def key_from_setting(text):
    """Return a VAPID key from a setting: PEM, base64url raw 32 bytes, or base64 DER."""
    try:
        if "-----BEGIN" in text:
            return pem_key(text.encode("ascii"))
        return Vapid.from_string(text.strip())
    except (ValueError, TypeError, UnicodeError) as error:
        raise ValueError(f"The VAPID private key setting cannot be read: {error}") from None


def stored_key(var_dir):
    """Return the key kept under var_dir, generating and saving it the first time."""
    path = os.path.join(var_dir, KEY_FILE)
    if not os.path.exists(path):
        os.makedirs(var_dir, exist_ok=True)
        fresh = Vapid()
        fresh.generate_keys()
        handle, scratch = tempfile.mkstemp(dir=var_dir, prefix=".vapid-")  # mode 0600
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(fresh.private_pem())
            try:
                # link() is atomic and never replaces a key another process saved first.
                os.link(scratch, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(scratch)
    with open(path, "rb") as source:
        return pem_key(source.read())


def load_vapid(var_dir, subject, private_key=None):
    """Return the VAPID keys: from the setting when given, else kept under var_dir."""
    if not subject.startswith(("mailto:", "https://")):
        raise ValueError("The VAPID subject must be a mailto: or https: URL.")
    key = key_from_setting(private_key) if private_key else stored_key(var_dir)
    return VapidKeys(key=key, subject=subject)


def public_key_b64url(vapid):
    """Return the public key as the browser's applicationServerKey wants it."""
    point = vapid.key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(point)


def embedded(address):
    """Return the IPv4 addresses an IPv6 address carries (mapped, 6to4, Teredo)."""
    if address.version != 6:
        return []
    inner = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    return [each for each in inner if each is not None]


def permitted(address, allow_loopback):
    """Tell whether this server may connect to an IP address."""
    if any(not permitted(inner, allow_loopback) for inner in embedded(address)):
        return False
    if address.is_loopback:
        return allow_loopback
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_link_local or address.is_unspecified
    )


def resolve(host, port):
    """Return every address a host name resolves to."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise HostNotFound(f"The push host {host} cannot be found.") from None
    return [info[4][0] for info in found]


def allowed_addresses(host, port, plain_http, allow_loopback, resolver=resolve):
    """Return the host's addresses if every one of them may be called; refuse otherwise."""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(each) for each in resolver(host, port)]
    if not addresses:
        raise HostNotFound(f"The push host {host} cannot be found.")
    for address in addresses:
        if not permitted(address, allow_loopback):
            raise EndpointRefused(f"The push host {host} is not on the public internet.")
        if plain_http and not address.is_loopback:
            raise EndpointRefused("Push endpoints must use https.")
    return addresses


def endpoint_parts(url):
    """Return (scheme, host, port) of an endpoint URL whose form is acceptable."""
    if not isinstance(url, str) or len(url) > MAX_ENDPOINT:
        raise EndpointRefused("The push endpoint must be a URL of at most 2048 characters.")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise EndpointRefused("Push endpoints must use https.")
    if parts.username is not None or parts.password is not None:
        raise EndpointRefused("Push endpoints may not carry credentials.")
    try:
        port = parts.port
    except ValueError:
        raise EndpointRefused("The push endpoint has an invalid port.") from None
    if not parts.hostname:
        raise EndpointRefused("The push endpoint has no host.")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80)


def check_endpoint(url, allow_loopback=False, resolver=resolve):
    """Return the URL if this server may call it; raise EndpointRefused otherwise."""
    scheme, host, port = endpoint_parts(url)
    if scheme == "http" and not allow_loopback:
        raise EndpointRefused("Push endpoints must use https.")
    allowed_addresses(host, port, scheme == "http", allow_loopback, resolver)
    return url


def guarded(connection_class, allow_loopback):
    """Return a connection class that only connects to addresses it has checked."""
    plain_http = not issubclass(connection_class, HTTPSConnection)

    class Guarded(connection_class):
        def _new_conn(self):
            if plain_http and not allow_loopback:
                raise EndpointRefused("Push endpoints must use https.")
            try:
                addresses = allowed_addresses(self.host, self.port, plain_http, allow_loopback)
            except HostNotFound as failure:
                # A name that does not resolve now may resolve later: retry, do not drop.
                raise NewConnectionError(self, str(failure)) from None
            error = None
            for address in addresses:
                try:
                    return create_connection(
                        (str(address), self.port),
                        self.timeout,
                        source_address=self.source_address,
                        socket_options=self.socket_options,
                    )
                except OSError as failure:
                    error = failure
            raise NewConnectionError(self, f"Failed to connect to the push service: {error}")

    return Guarded


class GuardedAdapter(HTTPAdapter):
    """A transport whose connections are all guarded."""

    def __init__(self, allow_loopback):
        self.allow_loopback = allow_loopback
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        """Swap the pool classes for guarded ones."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {
                "ConnectionCls": guarded(HTTPConnection, self.allow_loopback),
            }),
            "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {
                "ConnectionCls": guarded(HTTPSConnection, self.allow_loopback),
            }),
        }


def guarded_session(allow_loopback=False):
    """Return a requests session fit to call push endpoints."""
    session = requests.Session()
    session.trust_env = False
    session.max_redirects = 0
    adapter = GuardedAdapter(allow_loopback)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def retry_after_s(value, now=None):
    """Return the seconds a Retry-After header asks for (number or HTTP date), capped at a day."""
    if not value:
        return None
    if value.strip().isdigit():
        seconds = int(value)
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        seconds = int((when - (now or datetime.now(timezone.utc))).total_seconds())
    return min(max(seconds, 0), MAX_RETRY_AFTER_S)


def classify(code, retry_after=None):
    """Return the outcome a push service's answer means."""
    if code in (200, 201, 202):
        return Outcome("sent", code)
    if code in (404, 410):
        return Outcome("gone", code)
    return Outcome("retry", code, retry_after_s(retry_after))


def send(subscription, payload, vapid, allow_loopback=False, session=None, topic="hydration", ttl_s=TTL_S):
    """Encrypt a JSON payload for one subscription, send it, and classify the answer."""
    own = session is None
    transport = guarded_session(allow_loopback) if own else session
    try:
        endpoint_parts(subscription.get("endpoint"))
        response = webpush(
            subscription_info={"endpoint": subscription["endpoint"], "keys": subscription["keys"]},
            data=json.dumps(payload, separators=(",", ":")),
            # webpush() wants the Vapid object itself, not PEM text.
            vapid_private_key=vapid.key,
            vapid_claims={"sub": vapid.subject},
            ttl=ttl_s,
            timeout=TIMEOUT_S,
            headers={"Urgency": "normal", "Topic": topic},
            requests_session=transport,
        )
    except WebPushException as error:
        if error.response is None:
            return Outcome("gone", detail=error.message)
        return classify(error.status_code, error.retry_after)
    except (EndpointRefused, KeyError, ValueError) as error:
        return Outcome("gone", detail=str(error))
    except requests.RequestException as error:
        return Outcome("retry", detail=type(error).__name__)
    finally:
        if own:
            transport.close()
    return classify(response.status_code)
