"""Web Push: VAPID keys, endpoint checks, and delivery through a push service on 127.0.0.1."""

import os
import socket
import stat
from datetime import datetime, timezone

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from schemas.hydration import hydration_settings_schema
from server import hydration, push
from tests.pushservice import PushService, Subscriber, unb64url

SUBJECT = "mailto:ops@example.org"


@pytest.fixture
def service():
    with PushService() as running:
        yield running


@pytest.fixture
def vapid(tmp_path):
    return push.load_vapid(str(tmp_path / "var"), SUBJECT)


def test_vapid_key_is_generated_once_and_kept(tmp_path):
    first = push.load_vapid(str(tmp_path / "var"), SUBJECT)
    again = push.load_vapid(str(tmp_path / "var"), SUBJECT)
    key_file = tmp_path / "var" / push.KEY_FILE
    assert push.public_key_b64url(first) == push.public_key_b64url(again)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path / "var")) == [push.KEY_FILE]
    point = unb64url(push.public_key_b64url(first))
    assert len(point) == 65 and point[0] == 4
    assert "=" not in push.public_key_b64url(first)


def setting_forms(key):
    """Return the private key as PEM, raw base64url and base64url DER text."""
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return [pem.decode(), push.b64url(raw), push.b64url(der)]


@pytest.mark.parametrize("form", [0, 1, 2])
def test_vapid_key_can_come_from_settings(tmp_path, form):
    key = ec.generate_private_key(ec.SECP256R1())
    vapid = push.load_vapid(str(tmp_path / "var"), SUBJECT, setting_forms(key)[form])
    expected = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    assert unb64url(push.public_key_b64url(vapid)) == expected
    assert not (tmp_path / "var").exists()


@pytest.mark.parametrize("private_key, subject", [
    ("not a key", SUBJECT),
    (ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(), SUBJECT),
    (None, "ops@example.org"),
])
def test_unusable_vapid_settings_are_refused(tmp_path, private_key, subject):
    with pytest.raises(ValueError):
        push.load_vapid(str(tmp_path), subject, private_key)


def test_push_reaches_the_service_signed_and_encrypted(service, vapid):
    subscriber = service.subscribe(push.public_key_b64url(vapid))
    outcome = push.send(subscriber.subscription(), {"type": "ping", "n": 1}, vapid, allow_loopback=True)
    assert outcome == push.Outcome("sent", 201)
    [message] = service.messages
    assert message.payload == {"type": "ping", "n": 1}
    assert message.claims["aud"] == service.origin and message.claims["sub"] == SUBJECT
    assert message.headers["ttl"] == str(push.TTL_S)
    assert message.headers["topic"] == "hydration" and message.headers["urgency"] == "normal"
    assert service.refusals == []


def test_a_due_reminder_arrives_and_decrypts(service, vapid):
    settings = hydration_settings_schema.load({"timezone": "Europe/London", "reminders_enabled": True})
    now = datetime(2024, 6, 12, 12, 5, tzinfo=timezone.utc)
    entries = [{"kind": "hydration", "occurred_at": "2024-06-12T08:00:00+01:00", "volume_ml": 200, "drink": "tea"}]
    slot = hydration.due_reminder(settings, entries, now)
    payload = hydration.reminder_payload(settings, entries, slot, now)
    subscriber = service.subscribe(push.public_key_b64url(vapid))
    assert push.send(subscriber.subscription(), payload, vapid, allow_loopback=True).status == "sent"
    [message] = service.messages
    assert message.payload["type"] == "hydration-reminder"
    assert message.payload["slot"] == "hydration/2024-06-12T12:00Z"
    assert message.payload["intake_ml"] == 200 and message.payload["target_ml"] == 1200
    assert message.payload["actions"] == [{"action": "drink", "title": "+250 ml", "volume_ml": 250, "drink": "water"}]


@pytest.mark.parametrize("status, headers, expected", [
    (410, {}, push.Outcome("gone", 410)),
    (404, {}, push.Outcome("gone", 404)),
    (500, {}, push.Outcome("retry", 500)),
    (503, {"Retry-After": "120"}, push.Outcome("retry", 503, 120)),
    (429, {"Retry-After": "999999"}, push.Outcome("retry", 429, push.MAX_RETRY_AFTER_S)),
    (413, {}, push.Outcome("retry", 413)),
])
def test_push_service_answers_are_classified(service, vapid, status, headers, expected):
    subscriber = service.subscribe()
    service.answer(status, subscriber, headers)
    assert push.send(subscriber.subscription(), {"n": 1}, vapid, allow_loopback=True) == expected
    assert service.messages == []


def test_one_session_can_carry_many_pushes(service, vapid):
    subscribers = [service.subscribe() for _ in range(3)]
    with push.guarded_session(allow_loopback=True) as session:
        outcomes = [push.send(each.subscription(), {"n": n}, vapid, session=session) for n, each in enumerate(subscribers)]
    assert [outcome.status for outcome in outcomes] == ["sent"] * 3
    assert sorted(message.payload["n"] for message in service.messages) == [0, 1, 2]


def test_an_unknown_subscription_is_gone(service, vapid):
    subscriber = service.subscribe()
    subscription = subscriber.subscription()
    subscription["endpoint"] = service.origin + "/push/expired"
    assert push.send(subscription, {"n": 1}, vapid, allow_loopback=True) == push.Outcome("gone", 404)


def test_a_message_signed_with_another_key_is_refused(service, vapid, tmp_path):
    other = push.load_vapid(str(tmp_path / "other"), SUBJECT)
    subscriber = service.subscribe(push.public_key_b64url(other))
    outcome = push.send(subscriber.subscription(), {"n": 1}, vapid, allow_loopback=True)
    assert outcome.status == "retry" and outcome.code == 403
    assert service.messages == [] and service.refusals[0][0] == 403


def test_the_service_checks_the_signature_itself(service, vapid):
    subscriber = service.subscribe()
    headers = vapid.key.sign({"sub": SUBJECT, "aud": service.origin})
    token, key = headers["Authorization"].removeprefix("vapid t=").split(",k=")
    head, claims, signature = token.split(".")
    forged = push.b64url(unb64url(claims).replace(b"example.org", b"example.com"))
    headers["Authorization"] = f"vapid t={head}.{forged}.{signature},k={key}"
    with requests.Session() as session:
        session.trust_env = False
        answer = session.post(subscriber.endpoint, data=b"x", headers={**headers, "TTL": "60"})
    assert answer.status_code == 401
    assert service.refusals == [(401, "bad signature")]


def test_a_redirect_is_not_followed(service, vapid):
    subscriber = service.subscribe()
    service.answer(307, subscriber, {"Location": service.origin + "/push/elsewhere"})
    outcome = push.send(subscriber.subscription(), {"n": 1}, vapid, allow_loopback=True)
    assert outcome.status == "retry"
    assert len(service.attempts) == 1


def test_an_unreachable_service_means_retry(vapid):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscriber = Subscriber(f"http://127.0.0.1:{port}/push/x")
    assert push.send(subscriber.subscription(), {"n": 1}, vapid, allow_loopback=True).status == "retry"


def test_a_host_that_does_not_resolve_means_retry_not_gone(vapid):
    # An over-long label fails inside getaddrinfo without any query leaving the machine.
    subscriber = Subscriber("https://" + "a" * 64 + ".example/push/x")
    with pytest.raises(push.HostNotFound):
        push.check_endpoint(subscriber.endpoint)
    assert push.send(subscriber.subscription(), {"n": 1}, vapid).status == "retry"


@pytest.mark.parametrize("keys", [
    {"p256dh": push.b64url(b"\x04" + b"\x01" * 64)},
    {"auth": None},
    {"p256dh": "not base64 at all!"},
])
def test_broken_subscription_keys_mean_gone(service, vapid, keys):
    subscription = service.subscribe().subscription()
    subscription["keys"].update(keys)
    assert push.send(subscription, {"n": 1}, vapid, allow_loopback=True).status == "gone"
    assert service.attempts == []


@pytest.mark.parametrize("endpoint", [
    "http://127.0.0.1:{port}/push/x",
    "http://localhost:{port}/push/x",
    "https://localhost:{port}/push/x",
])
def test_without_the_loopback_setting_nothing_reaches_loopback(service, vapid, endpoint):
    subscription = service.subscribe().subscription()
    subscription["endpoint"] = endpoint.format(port=service.server.server_address[1])
    assert push.send(subscription, {"n": 1}, vapid).status == "gone"
    assert service.attempts == []


def test_the_guarded_session_checks_the_address_at_connect_time(service):
    with push.guarded_session(allow_loopback=False) as session:
        with pytest.raises(push.EndpointRefused):
            session.post(f"https://localhost:{service.server.server_address[1]}/push/x", data=b"x")
    assert service.attempts == []


def public(*addresses):
    """Return a resolver that answers with these addresses, standing in for public DNS."""
    return lambda host, port: list(addresses)


@pytest.mark.parametrize("endpoint, resolver", [
    ("https://fcm.googleapis.com/fcm/send/abc", public("142.250.187.234", "2a00:1450:4009:81f::200a")),
    ("https://updates.push.services.mozilla.com/wpush/v2/abc", public("34.107.221.82")),
    ("https://8.8.8.8/push/abc", push.resolve),
])
def test_public_https_endpoints_are_accepted(endpoint, resolver):
    assert push.check_endpoint(endpoint, resolver=resolver) == endpoint


@pytest.mark.parametrize("endpoint, resolver", [
    ("http://fcm.googleapis.com/fcm/send/abc", public("142.250.187.234")),
    ("ftp://push.example.net/abc", public("142.250.187.234")),
    ("https://user:secret@push.example.net/abc", public("142.250.187.234")),
    ("https:///abc", push.resolve),
    ("https://push.example.net:99999/abc", public("142.250.187.234")),
    ("https://" + "a" * 2050 + ".example.net/", public("142.250.187.234")),
    ("https://127.0.0.1/abc", push.resolve),
    ("https://localhost/abc", push.resolve),
    ("https://2130706433/abc", push.resolve),
    ("https://0x7f.1/abc", push.resolve),
    ("https://10.1.2.3/abc", push.resolve),
    ("https://172.16.0.1/abc", push.resolve),
    ("https://192.168.1.1/abc", push.resolve),
    ("https://169.254.169.254/latest/meta-data", push.resolve),
    ("https://100.64.0.1/abc", push.resolve),
    ("https://0.0.0.0/abc", push.resolve),
    ("https://224.0.0.1/abc", push.resolve),
    ("https://240.0.0.1/abc", push.resolve),
    ("https://255.255.255.255/abc", push.resolve),
    ("https://[::1]/abc", push.resolve),
    ("https://[::]/abc", push.resolve),
    ("https://[fe80::1]/abc", push.resolve),
    ("https://[fc00::1]/abc", push.resolve),
    ("https://[ff02::1]/abc", push.resolve),
    ("https://[::ffff:127.0.0.1]/abc", push.resolve),
    ("https://[::ffff:10.0.0.1]/abc", push.resolve),
    ("https://[2002:7f00:1::1]/abc", push.resolve),
    ("https://metadata.internal.example/abc", public("169.254.169.254")),
    ("https://rebind.example.net/abc", public("142.250.187.234", "10.0.0.7")),
    ("https://nowhere.example.net/abc", public()),
])
def test_internal_and_malformed_endpoints_are_refused(endpoint, resolver):
    with pytest.raises(push.EndpointRefused):
        push.check_endpoint(endpoint, resolver=resolver)


@pytest.mark.parametrize("endpoint, allowed", [
    ("http://127.0.0.1:8080/push/x", True),
    ("http://localhost:8080/push/x", True),
    ("https://[::1]:8443/push/x", True),
    ("http://10.0.0.1/push/x", False),
    ("http://8.8.8.8/push/x", False),
    ("https://192.168.0.10/push/x", False),
])
def test_the_loopback_setting_opens_loopback_only(endpoint, allowed):
    if allowed:
        assert push.check_endpoint(endpoint, allow_loopback=True) == endpoint
    else:
        with pytest.raises(push.EndpointRefused):
            push.check_endpoint(endpoint, allow_loopback=True)


@pytest.mark.parametrize("value, expected", [
    ("120", 120),
    ("0", 0),
    ("86401", push.MAX_RETRY_AFTER_S),
    ("Wed, 12 Jun 2024 12:02:00 GMT", 120),
    ("Wed, 12 Jun 2024 11:00:00 GMT", 0),
    ("Wed, 12 Jun 2024 12:01:00 -0000", 60),
    ("soon", None),
    (None, None),
])
def test_retry_after_is_read_as_seconds_or_a_date(value, expected):
    now = datetime(2024, 6, 12, 12, 0, tzinfo=timezone.utc)
    assert push.retry_after_s(value, now) == expected

