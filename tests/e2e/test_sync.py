"""Sync under trouble: failed and lost responses, a revoked token, edits and deletes."""

from playwright.sync_api import expect

from tests.e2e.driver import entries_here, open_app, sign_in, sync_state, wait_synced

PUSH = "/api/v1/sync/push"


def log_cramp(page):
    page.get_by_role("button", name="Log a cramp").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()


def test_a_failed_push_and_a_lost_response_still_apply_once(served, page):
    email, token = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)
    served.faults.plan(PUSH, "fail", "drop")

    log_cramp(page)
    wait_synced(page)

    assert served.faults.happened == [(PUSH, "fail"), (PUSH, "drop")]
    assert len(served.entries(token)) == 1
    [entry] = entries_here(page)
    assert entry["state"] == "synced"


def test_a_token_revoked_offline_asks_to_sign_in_and_keeps_the_queue(served, context, page):
    email, _ = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)

    context.set_offline(True)
    log_cramp(page)
    expect(sync_state(page)).to_have_text("Offline · 1 waiting")
    token = page.evaluate("""() => new Promise((resolve) => {
      indexedDB.open('unknot').onsuccess = (e) => {
        e.target.result.transaction('meta').objectStore('meta').get('token').onsuccess = (r) => resolve(r.target.result);
      };
    })""")
    assert served.api("POST", "/auth/logout", token).status_code in (200, 204)

    context.set_offline(False)
    expect(page.get_by_role("link", name="Sign in again")).to_be_visible()
    expect(sync_state(page)).to_have_text("1 waiting · sign in to sync")
    page.get_by_role("link", name="Sign in again").click()
    sign_in(page, email)
    wait_synced(page)
    login = served.api("POST", "/auth/login", json={"email": email, "password": "correct horse battery"})
    assert len(served.entries(login.json()["token"])) == 1


def test_edits_and_deletes_sync(served, page):
    email, token = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    log_cramp(page)
    wait_synced(page)

    page.get_by_role("link", name="Diary").click()
    page.get_by_role("link", name="Edit or delete: Calf cramp, intensity 5 of 10, moderate").click()
    expect(page.get_by_role("heading", name="Edit cramp")).to_be_visible()
    page.get_by_role("slider", name="Intensity").fill("8")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".entry")).to_contain_text("intensity 8 of 10, strong")
    wait_synced(page)
    [stored] = served.entries(token)
    assert stored["intensity"] == 8

    page.locator(".entry").get_by_role("link", name="Edit").click()
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Yes, delete").click()
    expect(page.get_by_text("Nothing logged yet.")).to_be_visible()
    wait_synced(page)
    assert served.entries(token) == []


def test_a_rejected_entry_needs_attention_with_the_servers_message(served, page):
    email, _ = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)
    page.evaluate("""async () => {
      const { saveEntry } = await import('/js/outbox.js');
      await saveEntry({ kind: 'hydration', occurred_at: '2024-05-01T10:00:00+00:00', volume_ml: 9000, drink: 'water' });
    }""")
    page.goto(f"{served.url}/#/diary")
    expect(page.locator(".entry .entry-state")).to_contain_text("Needs attention: ")
    wait_synced(page)


def test_signing_out_warns_while_entries_wait(served, context, page):
    email, _ = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)
    context.set_offline(True)
    log_cramp(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert").filter(has_text="1 entry has not synced yet")).to_be_visible()
    page.get_by_role("button", name="Stay signed in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
