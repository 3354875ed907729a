"""A database outage as the person sees it: the entry waits, the app says why, then syncs."""

from playwright.sync_api import expect

from tests.e2e.conftest import RETRY_AFTER_S
from tests.e2e.driver import entries_here, open_app, read_idb, sign_in, sync_state, wait_synced

PUSH = "/api/v1/sync/push"
PHONE = {"width": 390, "height": 844}
SMALL = {"width": 360, "height": 640}
OUTAGE = "The Unknot server is unavailable right now."


def refusals(served):
    return [moment for (path, action), moment in zip(served.faults.happened, served.faults.moments)
            if (path, action) == (PUSH, "unavailable")]


def assert_fits(page):
    """The notice and the primary action are on screen, and nothing scrolls sideways."""
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    expect(page.get_by_role("alert").filter(has_text=OUTAGE)).to_be_in_viewport()
    expect(page.get_by_role("button", name="Cramping now")).to_be_in_viewport(ratio=1)


def test_an_entry_logged_during_an_outage_waits_then_syncs_by_itself(served, page, tmp_path):
    email, token = served.register()
    page.set_viewport_size(PHONE)
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)
    served.faults.plan(PUSH, *["unavailable"] * 1000)

    page.get_by_role("button", name="Log a cramp").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    expect(sync_state(page)).to_have_text("1 waiting")
    expect(page.get_by_role("alert")).to_contain_text(OUTAGE)
    while len(refusals(served)) < 3:  # retried by itself, each time after Retry-After
        page.wait_for_timeout(200)
    assert [entry["state"] for entry in entries_here(page)] == ["queued"]
    assert len(read_idb(page, "outbox")) == 1
    moments = refusals(served)
    assert all(later - earlier >= RETRY_AFTER_S for earlier, later in zip(moments, moments[1:]))

    for size, name in ((PHONE, "390x844"), (SMALL, "360x640")):
        page.set_viewport_size(size)
        for theme in ("day", "night"):
            if page.evaluate("() => document.documentElement.dataset.theme") != theme:
                page.get_by_role("button", name="Night mode").click()
            expect(page.locator("html")).to_have_attribute("data-theme", theme)
            page.screenshot(path=tmp_path / f"outage-{name}-{theme}.png")
            assert_fits(page)
    page.get_by_role("link", name="Diary").click()
    expect(page.locator(".entry .entry-state")).to_have_text("Waiting to sync")

    served.faults.cancel(PUSH)
    wait_synced(page)
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(page.locator(".entry .entry-state")).to_have_text("Synced")
    assert len(served.entries(token)) == 1
