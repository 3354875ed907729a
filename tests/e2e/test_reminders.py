"""Drink reminders: the notification's drink button with the app closed, turning reminders on,
and reminders inside the page where the browser has no Web Push.

Chromium's pushManager talks to a push service on the internet, which these tests never reach.
Instead the DevTools protocol hands the worker the message that service would deliver
(`ServiceWorker.deliverPushMessage`), built by the server's own `reminder_payload`; and where the
app subscribes, a stand-in for the push service hands out a subscription with real keys.
"""

import json
import uuid
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from server import hydration, reminders
from tests.e2e.driver import READ_IDB, open_app, read_idb, sign_in, wait_synced

WAIT_MS = 20_000
POLL_MS = 100

# Evaluated in the worker: the reminders on screen, waiting up to `patience` ms for one.
SHOWN = f"""async (patience) => {{
  for (let waited = 0; ; waited += {POLL_MS}) {{
    const shown = await self.registration.getNotifications({{ tag: 'hydration' }});
    if (shown.length || waited >= patience) {{
      return shown.map(({{ title, body, actions }}) => ({{ title, body, actions: actions.map((a) => a.title) }}));
    }}
    await new Promise((resolve) => setTimeout(resolve, {POLL_MS}));
  }}
}}"""

# Evaluated in the worker: press the notification's action button.
PRESS = """async (action) => {
  const [notification] = await self.registration.getNotifications({ tag: 'hydration' });
  // Headless Chromium has no notification to click, so the click event is made here and
  // dispatched to the worker's own 'notificationclick' listener: the product's code runs end
  // to end, exactly as for a person's tap. A script-made event refuses waitUntil(), so this
  // one keeps the promise the listener hands over and awaits it, as the browser would.
  const kept = [];
  const event = new NotificationEvent('notificationclick', { action, notification });
  Object.defineProperty(event, 'waitUntil', { value: (promise) => kept.push(promise) });
  self.dispatchEvent(event);
  await Promise.all(kept);
  return kept.length;
}"""

# Evaluated in the worker: wait until the outbox has drained.
DRAINED = f"""async () => {{
  for (let waited = 0; waited < {WAIT_MS}; waited += {POLL_MS}) {{
    if (!(await ({READ_IDB})(['outbox', null])).length) return true;
    await new Promise((resolve) => setTimeout(resolve, {POLL_MS}));
  }}
  return false;
}}"""

APP_WINDOWS = "async () => (await self.clients.matchAll({ type: 'window', includeUncontrolled: true })).length"

# In the page, before the app: count permission prompts.
COUNT_PROMPTS = """(() => {
  const ask = Notification.requestPermission.bind(Notification);
  window.prompts = 0;
  Notification.requestPermission = () => { window.prompts += 1; return ask(); };
})();"""

# In the page, before the app: a stand-in for the browser's push service, which lives on the
# internet. It hands out a subscription with real keys and an endpoint on this test server.
STAND_IN_PUSH_SERVICE = """(() => {
  const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/[+]/g, '-').replace(/[/]/g, '_').replace(/=+$/, '');
  let current = null;
  PushManager.prototype.getSubscription = async () => current;
  PushManager.prototype.subscribe = async ({ applicationServerKey }) => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const keys = {
      p256dh: b64url(await crypto.subtle.exportKey('raw', pair.publicKey)),
      auth: b64url(crypto.getRandomValues(new Uint8Array(16))),
    };
    const endpoint = `${location.origin}/push-service/${crypto.randomUUID()}`;
    window.subscribed = { endpoint, serverKey: b64url(applicationServerKey) };
    current = {
      endpoint, toJSON: () => ({ endpoint, expirationTime: null, keys }),
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
})();"""


def reminder():
    """The JSON a reminder carries, as the server's worker encrypts and sends it."""
    now = datetime.now(timezone.utc)
    return hydration.reminder_payload({}, [], reminders.Slot(now, "regular"), now)


class ClosedApp:
    """A device where the app was installed, then every page of it closed.

    A blank page stays open (a browser context needs one to talk DevTools through); the
    service worker lives on in the context, as it does on a phone.
    """

    def __init__(self, context, origin):
        self.context = context
        self.origin = origin
        self.blank = context.new_page()
        self.cdp = context.new_cdp_session(self.blank)
        self.registrations = {}
        self.cdp.on("ServiceWorker.workerRegistrationUpdated", self._registered)
        self.cdp.send("ServiceWorker.enable")
        self.registration = self._wait_for_registration()

    def _registered(self, event):
        for found in event["registrations"]:
            self.registrations[found["scopeURL"]] = found

    def _wait_for_registration(self):
        for _ in range(WAIT_MS // POLL_MS):
            found = self.registrations.get(f"{self.origin}/")
            if found and not found["isDeleted"]:
                return found["registrationId"]
            self.blank.wait_for_timeout(POLL_MS)
        pytest.fail("The app's service worker never registered.")

    def worker(self):
        """The running service worker (the browser restarts a stopped one for a push)."""
        running = self.context.service_workers
        return running[-1] if running else self.context.wait_for_event("serviceworker")

    def push(self, message):
        """Deliver a push message to the app's worker, as the push service would."""
        self.cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": self.origin, "registrationId": self.registration, "data": json.dumps(message)})

    def evaluate(self, script, arg=None):
        return self.worker().evaluate(script, arg)

    def outbox(self):
        return self.evaluate(f"({READ_IDB})(['outbox', null])")

    def replica(self):
        return [r for r in self.evaluate(f"({READ_IDB})(['entries', null])") if r["entity"] == "entry"]

    def assert_closed(self):
        assert [page.url for page in self.context.pages] == ["about:blank"]
        assert self.evaluate(APP_WINDOWS) == 0


def signed_in_then_closed(served, new_context):
    """Sign in on a phone that allows notifications, let it sync, then close the app."""
    email, token = served.register()
    context = new_context(permissions=["notifications"])
    page = context.new_page()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)
    phone = ClosedApp(context, served.url)
    page.close()
    phone.assert_closed()
    return phone, token


def show_and_press_drink(phone):
    """Deliver a reminder, check it is on screen with its button, and press "+250 ml"."""
    message = reminder()
    phone.push(message)
    assert phone.evaluate(SHOWN, WAIT_MS) == [{"title": message["title"], "body": message["body"],
                                               "actions": ["+250 ml"]}]
    assert phone.evaluate(PRESS, "drink") == 1
    assert phone.evaluate(SHOWN, 0) == []  # pressed, the reminder goes away


def hydration_on_server(served, token):
    return [e for e in served.entries(token) if e["kind"] == "hydration"]


def test_the_drink_button_records_offline_with_the_app_closed_and_syncs_later(served, new_context):
    phone, token = signed_in_then_closed(served, new_context)
    phone.context.set_offline(True)

    show_and_press_drink(phone)

    [queued] = phone.outbox()
    assert queued["op"] == "put" and queued["entity"] == "entry"
    assert {k: queued["data"][k] for k in ("kind", "volume_ml", "drink")} == {
        "kind": "hydration", "volume_ml": 250, "drink": "water"}
    [entry] = phone.replica()
    assert entry["key"] == queued["key"] and entry["state"] == "queued"
    assert hydration_on_server(served, token) == []

    # Back online, still with no page: the next reminder to arrive carries the drink out.
    phone.context.set_offline(False)
    phone.push(reminder())
    assert phone.evaluate(DRAINED)
    [stored] = hydration_on_server(served, token)
    assert (stored["volume_ml"], stored["drink"]) == (250, "water")
    assert stored["occurred_at"] == queued["data"]["occurred_at"]
    [entry] = phone.replica()
    assert entry["state"] == "synced"
    phone.assert_closed()


def test_the_drink_button_syncs_at_once_when_online_with_the_app_closed(served, new_context):
    phone, token = signed_in_then_closed(served, new_context)

    show_and_press_drink(phone)

    assert phone.outbox() == []
    [stored] = hydration_on_server(served, token)
    assert (stored["volume_ml"], stored["drink"]) == (250, "water")
    [entry] = phone.replica()
    assert entry["state"] == "synced"
    phone.assert_closed()


def settings_on_server(served, token, key):
    """The settings `key` the server holds for the token's account ({} when none)."""
    body = served.api("POST", "/sync/pull", token, json={
        "client_id": str(uuid.uuid4()), "cursor": 0, "limit": 500}).json()
    found = [c["data"] for c in body["changes"] if (c["entity"], c["key"]) == ("settings", key)]
    return (found[-1] if found else None) or {}


def eventually(page, check):
    """Wait (as expect does, up to its timeout) until `check()` is true; return its last value."""
    for _ in range(WAIT_MS // POLL_MS):
        if value := check():
            return value
        page.wait_for_timeout(POLL_MS)
    return check()


def test_reminders_stay_off_until_turned_on_then_ask_and_subscribe(served, new_context):
    served.app.config["PUSH_ALLOW_LOOPBACK"] = True  # the stand-in push service is on 127.0.0.1
    email, token = served.register()
    page = new_context(permissions=["notifications"]).new_page()
    page.add_init_script(COUNT_PROMPTS + STAND_IN_PUSH_SERVICE)
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)

    page.get_by_role("link", name="Settings").click()
    turn_on = page.get_by_role("button", name="Turn on reminders")
    expect(turn_on).to_be_visible()
    assert page.evaluate("window.prompts") == 0
    assert served.api("GET", "/push/subscriptions", token).json() == []
    assert not settings_on_server(served, token, "hydration").get("reminders_enabled")
    assert served.api("GET", "/hydration/today", token).json()["next_reminder_at"] is None

    turn_on.click()
    expect(page.get_by_role("button", name="Turn off reminders")).to_be_visible()
    assert page.evaluate("window.prompts") == 1
    subscribed = page.evaluate("window.subscribed")
    assert subscribed["serverKey"] == served.api("GET", "/push/vapid-public-key").json()["public_key"]
    [stored] = served.api("GET", "/push/subscriptions", token).json()
    assert stored["endpoint"] == subscribed["endpoint"]
    assert eventually(page, lambda: settings_on_server(served, token, "hydration").get("reminders_enabled"))
    assert served.api("GET", "/hydration/today", token).json()["next_reminder_at"]


def test_without_web_push_the_app_says_why_and_reminds_while_open(served, page):
    # Safari on an iPhone, before the app is on the Home Screen, has no PushManager.
    page.add_init_script(COUNT_PROMPTS + "delete window.PushManager;")
    page.clock.install()
    email, token = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_text("cannot receive reminders while the app is closed")).to_contain_text("no Web Push")
    expect(page.get_by_text("add Unknot to your Home Screen")).to_be_visible()
    page.get_by_role("button", name="Turn on reminders").click()
    expect(page.get_by_role("button", name="Turn off reminders")).to_be_visible()
    assert page.evaluate("window.prompts") == 0  # nothing to ask: the page reminds by itself
    assert eventually(page, lambda: settings_on_server(served, token, "hydration").get("reminders_enabled"))
    # The page keeps the server's time for the next reminder (it knows sleep and quiet hours).
    due = eventually(page, lambda: (read_idb(page, "meta", "hydration_today") or {}).get("next_reminder_at"))
    assert due

    nudge = page.get_by_role("region", name="Time for a drink")
    expect(nudge).to_have_count(0)
    page.clock.fast_forward(page.evaluate("(due) => Date.parse(due) - Date.now()", due) + 1000)
    expect(nudge).to_be_visible()
    nudge.get_by_role("button", name="+250 ml").click()
    expect(nudge).to_have_count(0)
    drinks = eventually(page, lambda: hydration_on_server(served, token))
    assert [(d["volume_ml"], d["drink"]) for d in drinks] == [(250, "water")]


def test_a_browser_that_refuses_to_subscribe_is_explained_in_words(served, new_context):
    # The real Chromium here, with no push service to reach: it refuses the subscription.
    email, token = served.register()
    page = new_context(permissions=["notifications"]).new_page()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Turn on reminders").click()
    status = page.get_by_role("status").filter(has_text="reminders")
    expect(status).to_contain_text("This browser")
    expect(status).to_contain_text("try again")
    expect(page.get_by_text("Registration failed")).to_have_count(0)
    expect(page.get_by_role("button", name="Turn on reminders")).to_be_visible()
    assert served.api("GET", "/push/subscriptions", token).json() == []
