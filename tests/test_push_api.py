"""The hydration and push endpoints: today's numbers, the VAPID key, subscriptions."""

from datetime import datetime, timezone

import pytest

from server import delivery, push
from server.db import db
from server.models.reminders import PushSubscription
from tests.pushservice import Subscriber, unb64url
from tests.sync_helpers import Device, put

SUBSCRIPTIONS = "/api/v1/push/subscriptions"


@pytest.fixture
def member(client, auth):
    """A signed-in member: (headers, a sync device)."""
    _, token = auth.register()
    return auth.headers(token), Device(client, token)


# A public address rather than a push service's name, so no name lookup leaves this machine.
PUBLIC = "https://142.250.187.234/fcm/send"


def browser_subscription(endpoint=PUBLIC + "/abc123"):
    """Return the JSON a browser's PushSubscription.toJSON() gives."""
    return Subscriber(endpoint).subscription()


def test_vapid_public_key_is_a_p256_point_and_stable(client, app):
    first = client.get("/api/v1/push/vapid-public-key")
    second = client.get("/api/v1/push/vapid-public-key")
    assert first.status_code == 200
    key = first.get_json()["public_key"]
    assert second.get_json() == {"public_key": key}
    assert len(unb64url(key)) == 65 and unb64url(key)[0] == 4
    assert key == push.public_key_b64url(delivery.vapid_for(app.config))


def test_vapid_key_from_settings_is_served(client, app):
    private = push.b64url(bytes(range(1, 33)))
    app.config["VAPID_PRIVATE_KEY"] = private
    expected = push.public_key_b64url(push.load_vapid(app.config["VAR_DIR"], "mailto:a@example.org", private))
    assert client.get("/api/v1/push/vapid-public-key").get_json() == {"public_key": expected}


def test_subscribing_twice_keeps_one_row(client, member):
    headers, _ = member
    body = browser_subscription()
    first = client.post(SUBSCRIPTIONS, json=body, headers=headers)
    body["keys"] = browser_subscription()["keys"]
    second = client.post(SUBSCRIPTIONS, json=body, headers=headers)
    assert first.status_code == 201 and second.status_code == 200
    assert first.get_json()["id"] == second.get_json()["id"]
    assert first.get_json()["endpoint"] == body["endpoint"]
    assert "keys" not in first.get_json() and "auth" not in first.get_json()
    with db.connection_context():
        [row] = PushSubscription.select()
        assert row.p256dh == body["keys"]["p256dh"] and row.auth == body["keys"]["auth"]


def test_subscribing_needs_a_sign_in(client):
    assert client.post(SUBSCRIPTIONS, json=browser_subscription()).status_code == 401
    assert client.get(SUBSCRIPTIONS).status_code == 401


def test_expiration_time_is_kept(client, member):
    headers, _ = member
    body = dict(browser_subscription(), expirationTime=1781265600000)
    assert client.post(SUBSCRIPTIONS, json=body, headers=headers).status_code == 201
    with db.connection_context():
        assert PushSubscription.get().expiration_time == datetime(2026, 6, 12, 12, 0)


def compressed(p256dh):
    """Return the same public key in compressed form, which Web Push does not use."""
    point = unb64url(p256dh)
    return push.b64url(bytes([2 + point[-1] % 2]) + point[1:33])


def bad(change):
    """Return a browser subscription with one change applied."""
    body = browser_subscription()
    change(body)
    return body


@pytest.mark.parametrize("body, field", [
    (bad(lambda b: b.pop("keys")), "keys"),
    (bad(lambda b: b["keys"].update(p256dh=push.b64url(b"\x04" + b"\x01" * 64))), "keys"),
    (bad(lambda b: b["keys"].update(auth=push.b64url(b"short"))), "keys"),
    (bad(lambda b: b["keys"].update(auth="%%%")), "keys"),
    (bad(lambda b: b["keys"].update(p256dh=compressed(b["keys"]["p256dh"]))), "keys"),
    (bad(lambda b: b.update(endpoint="")), "endpoint"),
    (bad(lambda b: b.update(expirationTime="tomorrow")), "expirationTime"),
    (bad(lambda b: b.update(topic="x")), "topic"),
    (bad(lambda b: b.update(endpoint="http://fcm.googleapis.com/fcm/send/abc")), "endpoint"),
    (bad(lambda b: b.update(endpoint="https://127.0.0.1/push")), "endpoint"),
    (bad(lambda b: b.update(endpoint="https://localhost:8443/push")), "endpoint"),
    (bad(lambda b: b.update(endpoint="https://10.0.0.5/push")), "endpoint"),
    (bad(lambda b: b.update(endpoint="https://169.254.169.254/latest/meta-data/")), "endpoint"),
    (bad(lambda b: b.update(endpoint="https://[::1]/push")), "endpoint"),
    (bad(lambda b: b.update(endpoint="https://[::ffff:192.168.0.1]/push")), "endpoint"),
    (bad(lambda b: b.update(endpoint="file:///etc/passwd")), "endpoint"),
])
def test_unusable_subscriptions_are_refused(client, member, body, field):
    headers, _ = member
    response = client.post(SUBSCRIPTIONS, json=body, headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    with db.connection_context():
        assert PushSubscription.select().count() == 0


def test_loopback_endpoints_only_with_the_setting(client, member, app):
    headers, _ = member
    body = browser_subscription("http://127.0.0.1:9/push/abc")
    assert client.post(SUBSCRIPTIONS, json=body, headers=headers).status_code == 422
    app.config["PUSH_ALLOW_LOOPBACK"] = True
    assert client.post(SUBSCRIPTIONS, json=body, headers=headers).status_code == 201


def test_a_browser_moves_to_whoever_subscribes_it_last(client, auth):
    _, first = auth.register()
    _, second = auth.register()
    body = browser_subscription()
    client.post(SUBSCRIPTIONS, json=body, headers=auth.headers(first))
    client.post(SUBSCRIPTIONS, json=body, headers=auth.headers(second))
    assert client.get(SUBSCRIPTIONS, headers=auth.headers(first)).get_json() == []
    [listed] = client.get(SUBSCRIPTIONS, headers=auth.headers(second)).get_json()
    assert listed["endpoint"] == body["endpoint"]


def test_a_person_can_unsubscribe_only_their_own(client, auth):
    _, mine = auth.register()
    _, theirs = auth.register()
    created = client.post(SUBSCRIPTIONS, json=browser_subscription(), headers=auth.headers(mine)).get_json()
    address = f"{SUBSCRIPTIONS}/{created['id']}"
    assert client.delete(address, headers=auth.headers(theirs)).status_code == 404
    assert client.delete(address, headers=auth.headers(mine)).status_code == 204
    assert client.delete(address, headers=auth.headers(mine)).status_code == 404
    assert client.get(SUBSCRIPTIONS, headers=auth.headers(mine)).get_json() == []


def test_devices_per_person_are_capped(client, member):
    headers, _ = member
    for n in range(delivery.MAX_SUBSCRIPTIONS):
        body = browser_subscription(f"{PUBLIC}/{n}")
        assert client.post(SUBSCRIPTIONS, json=body, headers=headers).status_code == 201
    again = browser_subscription(PUBLIC + "/0")
    assert client.post(SUBSCRIPTIONS, json=again, headers=headers).status_code == 200
    extra = browser_subscription(PUBLIC + "/extra")
    assert client.post(SUBSCRIPTIONS, json=extra, headers=headers).status_code == 422


def test_today_uses_defaults_until_settings_arrive(client, member):
    headers, _ = member
    response = client.get("/api/v1/hydration/today", headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"target_ml": 1200, "intake_ml": 0, "remaining_ml": 1200, "next_reminder_at": None}
    assert client.get("/api/v1/hydration/today").status_code == 401


def test_today_follows_synced_settings_and_drinks(client, member):
    headers, device = member
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    pushed = device.push(
        put(1, "hydration", {"baseline_ml": 2000, "hot_weather": True, "reminders_enabled": True}, entity="settings"),
        put(2, data={"kind": "hydration", "occurred_at": now, "volume_ml": 300, "drink": "water"}),
        put(3, data={"kind": "hydration", "occurred_at": now, "volume_ml": 500, "drink": "alcohol"}),
    )
    assert [r["status"] for r in pushed.get_json()["results"]] == ["applied"] * 3
    body = client.get("/api/v1/hydration/today", headers=headers).get_json()
    assert body["target_ml"] == 2500 and body["intake_ml"] == 300 and body["remaining_ml"] == 2200
    assert body["next_reminder_at"] is None or datetime.fromisoformat(body["next_reminder_at"]).tzinfo


def test_hydration_settings_are_validated_by_sync(member):
    _, device = member
    result = device.push(put(1, "hydration", {"timezone": "Nowhere/Special"}, entity="settings")).get_json()
    [outcome] = result["results"]
    assert outcome["status"] == "rejected" and "timezone" in outcome["fields"]


def test_the_swagger_document_describes_the_endpoints(client):
    paths = client.get("/api/v1/swagger.json").get_json()["paths"]
    assert {"/hydration/today", "/push/vapid-public-key", "/push/subscriptions",
            "/push/subscriptions/{subscription_id}"} <= set(paths)
