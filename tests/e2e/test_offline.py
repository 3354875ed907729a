"""Offline first: the app starts with no network, relief works, and the entry syncs once."""

from playwright.sync_api import expect

from tests.e2e.driver import entries_here, log_offline, open_app, sign_in, sync_state, wait_synced


def test_offline_cramp_syncs_once_and_reaches_another_device(served, new_context):
    email, token = served.register()
    phone = new_context()
    page = phone.new_page()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)

    phone.set_offline(True)
    page.reload()
    expect(page.get_by_role("button", name="Cramping now")).to_be_visible()
    expect(sync_state(page)).to_have_text("Offline")

    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text("0:01")
    page.get_by_role("button", name="It let go").click()
    expect(page.locator(".saved .lead")).to_contain_text("Saved: calf cramp")
    expect(page.locator(".entry-state")).to_have_text("Waiting to sync")
    expect(sync_state(page)).to_have_text("Offline · 1 waiting")
    [entry] = entries_here(page)
    assert entry["data"]["muscle"] == "calf" and entry["data"]["duration_s"] >= 1

    phone.set_offline(False)
    wait_synced(page)
    expect(page.locator(".entry-state")).to_have_text("Synced")
    [stored] = served.entries(token)
    assert stored["kind"] == "cramp" and stored["muscle"] == "calf"
    assert stored["duration_s"] == entry["data"]["duration_s"]

    laptop = new_context().new_page()
    laptop.goto(f"{served.url}/#/signin")
    sign_in(laptop, email)
    laptop.goto(f"{served.url}/#/diary")
    expect(laptop.locator(".entry")).to_have_count(1)
    expect(laptop.locator(".entry")).to_contain_text("Calf cramp")
    expect(laptop.locator(".entry .entry-state")).to_have_text("Synced")


def test_the_shell_reloads_offline_before_signing_in(served, context, page):
    open_app(page, served.url)
    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("button", name="Log a cramp")).to_be_visible()
    log_offline(page, served.url)
