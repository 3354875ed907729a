"""Your data, in the app: who read the diary and when, a copy of everything, deleting the
account; and stopping sharing only once asked."""

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.driver import PASSWORD, SIZES, fits, open_at, shoot, sign_in, signed_in, wait_synced
from tests.e2e.test_physio import share_with


def test_your_data_says_who_read_the_diary_and_gives_a_copy_of_everything(served, new_context):
    _, physio_token = served.register("Lee", role="physio")
    email, token = served.register("Pat")
    patient_id = share_with(served, token, physio_token)
    phone = signed_in(served, new_context(), email)
    phone.get_by_role("button", name="Log a cramp").click()
    phone.get_by_role("button", name="Save").click()
    wait_synced(phone)
    assert served.api("GET", "/care/patients", physio_token).status_code == 200
    assert served.api("GET", f"/care/patients/{patient_id}/summary", physio_token).status_code == 200

    phone.get_by_role("link", name="Settings").click()
    phone.get_by_role("link", name="Your data").click()
    trail = phone.get_by_role("region", name="Who read your diary").get_by_role("listitem")
    expect(trail).to_have_count(2)
    expect(trail.nth(0)).to_contain_text("Lee opened your summary")
    expect(trail.nth(1)).to_contain_text("Lee saw you in their list of patients")

    with phone.expect_download() as download:
        phone.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename == "unknot-my-data.json"
    copy = json.loads(download.value.path().read_text())
    assert copy["user"]["email"] == email and [e["kind"] for e in copy["entries"]] == ["cramp"]
    expect(phone.get_by_text("Downloaded: unknot-my-data.json.")).to_be_visible()


def test_deleting_the_account_asks_the_password_again_and_warns_of_unsynced_entries(served, new_context):
    email, token = served.register("Pat")
    phone = signed_in(served, new_context(), email)
    served.faults.plan("/api/v1/sync/push", *["unavailable"] * 100)  # the entry cannot sync
    phone.get_by_role("button", name="Log a cramp").click()
    phone.get_by_role("button", name="Save").click()
    phone.get_by_role("link", name="Settings").click()
    phone.get_by_role("link", name="Your data").click()
    expect(phone.get_by_text("1 entry on this device has not synced yet")).to_be_visible()

    phone.get_by_label("Your password").fill("not the password")
    phone.get_by_role("button", name="Delete my account").click()
    expect(phone.locator(".error[role=alert]")).to_have_text("That password is not right. Nothing was deleted.")
    assert served.api("GET", "/me", token).status_code == 200

    phone.get_by_label("Your password").fill(PASSWORD)
    phone.get_by_role("button", name="Delete my account").click()
    expect(phone.get_by_role("button", name="Cramping now")).to_be_visible()
    assert served.api("GET", "/me", token).status_code == 401
    login = served.api("POST", "/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 401
    expect(phone.locator("#sync-state")).to_have_text("Not signed in")


def test_stopping_sharing_is_asked_once_more_and_the_preview_says_it_once(served, new_context):
    _, physio_token = served.register("Lee", role="physio")
    email, token = served.register("Pat")
    phone = signed_in(served, new_context(), email)
    code = served.api("POST", "/care/invites", physio_token, json={}).json()["code"]
    phone.goto(f"{served.url}/#/care")
    phone.get_by_label("Invite code").fill(code)
    phone.get_by_role("button", name="Check the code").click()
    expect(phone.get_by_text("Lee will see:")).to_be_visible()
    expect(phone.get_by_text("You can stop sharing at any time")).to_have_count(1)
    phone.get_by_role("button", name="Share my diary").click()

    phone.get_by_role("button", name="Stop sharing with Lee").click()
    expect(phone.locator(".advice[role=alert]")).to_contain_text("Lee will no longer see your diary")
    phone.get_by_role("button", name="Keep sharing").click()
    expect(phone.get_by_role("button", name="Stop sharing with Lee")).to_be_visible()
    assert [link["active"] for link in served.api("GET", "/care/links", token).json()] == [True]

    phone.get_by_role("button", name="Stop sharing with Lee").click()
    phone.get_by_role("button", name="Stop sharing", exact=True).click()
    expect(phone.locator(".cards .card", has_text="Lee")).to_have_count(0)
    assert [link["active"] for link in served.api("GET", "/care/links", token).json()] == [False]


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_your_data_fits_a_phone_by_day_and_night(served, new_context, width, height, night):
    email, _ = served.register("Pat")
    page = open_at(new_context(), f"{served.url}/#/signin", width, height, night)
    sign_in(page, email)
    page.goto(f"{served.url}/#/data")
    expect(page.get_by_role("button", name="Delete my account")).to_be_visible()
    expect(page.get_by_text("Nobody has read your diary.")).to_be_visible()
    assert fits(page)
    shoot(page, f"data-{'night' if night else 'day'}", full_page=True)
