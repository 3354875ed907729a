"""Drink reminders: the notification's drink button with the app closed, and turning reminders on.

Chromium's pushManager talks to a push service on the internet, which these tests never reach.
Instead the DevTools protocol hands the worker the message that service would deliver
(`ServiceWorker.deliverPushMessage`), built by the server's own `reminder_payload`.
"""

import json
import uuid
from datetime import datetime, timezone

import pytest
from playwright.sync_api import expect

from server import hydration, reminders
from tests.e2e.driver import READ_IDB, open_app, sign_in, wait_synced

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
