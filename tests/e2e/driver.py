"""Steps and readings shared by the browser tests."""

import base64
import os
import time
from pathlib import Path

from playwright.sync_api import expect


PASSWORD = "correct horse battery"
# The phone sizes every screen is checked at; set UNKNOT_SCREENSHOTS to a folder to keep each one.
SIZES = [(360, 640), (390, 844)]
SHOTS = os.environ.get("UNKNOT_SCREENSHOTS")

READ_IDB = """async ([store, key]) => {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open('unknot');
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    if (!db.objectStoreNames.contains(store)) return null;
    return await new Promise((resolve, reject) => {
      const request = key === null ? db.transaction(store).objectStore(store).getAll()
                                   : db.transaction(store).objectStore(store).get(key);
      request.onsuccess = () => resolve(request.result ?? null);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}"""

# Reads a PNG in the page: the mean and the brightest pixel's relative luminance (0 black .. 1
# white), and how many pixels are bluish (blue over red by more than 16 of 255).
LIGHT = """async (src) => {
  const image = new Image();
  image.src = src;
  await image.decode();
  const canvas = new OffscreenCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const linear = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  let sum = 0, brightest = 0, bluish = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    sum += luminance;
    brightest = Math.max(brightest, luminance);
    if (b > r + 16) bluish += 1;
  }
  return { mean: sum / (pixels.length / 4), brightest, bluish };
}"""


def wait_until(page, expression, arg=None, timeout_s=15):
    """Wait until an async page expression resolves truthy.

    page.wait_for_function takes a returned promise for a truthy value and stops at once, so
    IndexedDB readings are polled through page.evaluate, which awaits them.
    """
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {expression[:60]}"
        page.wait_for_timeout(200)


def freeze_clock(page):
    """Stop the page's clock a moment from now; from then on only run_for moves time."""
    # Python's pause_at reads a number as seconds since the epoch (run_for takes milliseconds).
    page.clock.pause_at(page.evaluate("() => Date.now()") / 1000 + 1)


def read_idb(page, store, key=None):
    """Read one record (or, without a key, all records) of the app's IndexedDB."""
    return page.evaluate(READ_IDB, [store, key])


def entries_here(page):
    """The diary entries of this browser's replica that are not deleted."""
    return [r for r in read_idb(page, "entries") if r["entity"] == "entry" and not r.get("deleted")]


def open_app(page, url):
    """Load the app and wait until it works offline: worker in control, catalogue stored."""
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    wait_until(page, f"async () => Boolean(await ({READ_IDB})(['meta', 'content_at']))")


def open_at(context, url, width, height, night):
    """Open the app on a new page of `context` at this size, in night mode if asked."""
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    open_app(page, url)
    if night:
        page.get_by_role("button", name="Night mode").click()
    return page


def fits(page):
    """Tell whether the view has no horizontal overflow."""
    return page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")


def shoot(page, name, full_page=False):
    """Keep a screenshot of the page under UNKNOT_SCREENSHOTS, named with its size."""
    if SHOTS:
        size = page.viewport_size
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{size['width']}x{size['height']}.png",
                        full_page=full_page)


def sign_in(page, email, password=PASSWORD):
    """Sign in through the form, as a person would."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def signed_in(served, context, email):
    """A new page of `context` with the app open and signed in as `email`."""
    page = context.new_page()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    return page


def sync_state(page):
    return page.locator("#sync-state")


def log_offline(page, url):
    """Log a cramp from the form with the network off; see it waiting on the page and in the diary."""
    page.get_by_role("button", name="Log a cramp").click()
    page.get_by_role("button", name="Save").click()
    expect(sync_state(page)).to_have_text("Offline · 1 waiting")
    page.goto(f"{url}/#/diary")
    expect(page.locator(".entry .entry-state")).to_have_text("Waiting to sync")


def wait_synced(page):
    """Wait until the outbox has drained and the page says so (no tap needed)."""
    wait_until(page, f"async () => ((await ({READ_IDB})(['outbox', null])) ?? []).length === 0")
    expect(sync_state(page)).to_have_text("All synced")


def light(page, png):
    """Read a PNG screenshot: {mean, brightest, bluish} (see LIGHT)."""
    return page.evaluate(LIGHT, "data:image/png;base64," + base64.b64encode(png).decode())


def colours(page, png):
    """The brightest pixel's relative luminance and how many pixels are bluish: the night
    palette is warm and dim, so neither belongs in it."""
    found = light(page, png)
    return {"brightest": found["brightest"], "bluish": found["bluish"]}


def mean_luminance(page, png):
    """Mean relative luminance (0 black .. 1 white) of a PNG screenshot."""
    return light(page, png)["mean"]
