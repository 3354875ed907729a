"""Sharing with a physiotherapist: consent in the app, then comments and a programme arrive."""

from datetime import date

from playwright.sync_api import expect

from tests.e2e.driver import open_app, sign_in, wait_synced


def test_a_physios_comment_and_programme_reach_the_diary_and_home(served, page):
    email, _ = served.register("Pat")
    _, physio = served.register("Lee", role="physio")
    code = served.api("POST", "/care/invites", physio, json={"label": "Pat"}).json()["code"]
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    page.get_by_role("button", name="Log a cramp").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    wait_synced(page)

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Your physiotherapist").click()
    page.get_by_label("Invite code").fill(code)
    page.get_by_role("button", name="Check the code").click()
    expect(page.get_by_text("Lee will see:")).to_be_visible()
    page.get_by_role("button", name="Share my diary").click()
    expect(page.get_by_role("button", name="Stop sharing with Lee")).to_be_visible()

    [patient] = served.api("GET", "/care/patients", physio).json()
    [entry] = served.api("GET", f"/care/patients/{patient['id']}/entries", physio).json()["items"]
    assert served.api("POST", f"/care/patients/{patient['id']}/comments", physio, json={
        "text": "Stretch before bed this week.", "entry_key": entry["key"]}).status_code == 201
    assert served.api("POST", f"/care/patients/{patient['id']}/assignments", physio, json={
        "programme": "calf-cramp-8-weeks", "start_date": date.today().isoformat()}).status_code == 201

    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Sync now").click()
    wait_synced(page)
    page.get_by_role("link", name="Diary").click()
    expect(page.locator(".entry blockquote")).to_contain_text("Stretch before bed this week.")
    page.get_by_role("link", name="Home").click()
    expect(page.locator(".comment")).to_contain_text("Stretch before bed this week.")
    expect(page.get_by_text("Set by Lee")).to_be_visible()
