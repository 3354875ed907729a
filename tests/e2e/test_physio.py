"""The physiotherapist's workspace: patients by need, one patient's view, and the way back."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.e2e.driver import PASSWORD, open_app, sign_in, wait_synced

DESK = {"width": 1280, "height": 900}
ADVICE = "Stretch your calf gently before bed and tell me how the week goes."


def physio_desk(served, new_context, email):
    """A physio signed in on a desk-sized screen; return the page."""
    context = new_context()
    page = context.new_page()
    page.set_viewport_size(DESK)
    open_app(page, f"{served.url}/#/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    return page


def patient_phone(served, new_context, email):
    """A patient signed in on a phone-sized screen; return the page."""
    page = new_context().new_page()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    return page


def log_intense_cramp_with_a_warning_sign(phone):
    phone.get_by_role("button", name="Log a cramp").click()
    phone.get_by_role("slider", name="Intensity").fill("9")
    phone.locator("summary", has_text="Warning signs").click()
    phone.get_by_role("button", name="Swelling").click()
    phone.get_by_role("button", name="Save").click()
    expect(phone.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    wait_synced(phone)


def share_with(served, patient_token, physio_token):
    """Consent through the API (the first test goes through the screens); return the patient id."""
    code = served.api("POST", "/care/invites", physio_token, json={}).json()["code"]
    link = served.api("POST", "/care/links", patient_token, json={"code": code})
    assert link.status_code == 201, link.text
    return link.json()["patient"]["id"]


def pat_on_the_desk(served, new_context):
    """Pat shares with Lee, a physio, whose desk is open on Pat's page; return (desk, Pat's email)."""
    physio_email, physio_token = served.register("Lee", role="physio")
    patient_email, patient_token = served.register("Pat")
    share_with(served, patient_token, physio_token)
    desk = physio_desk(served, new_context, physio_email)
    desk.get_by_role("link", name="Pat", exact=True).click()
    return desk, patient_email


def test_a_physio_invites_a_patient_and_sees_who_needs_attention_and_why(served, new_context):
    physio_email, _ = served.register("Lee", role="physio")
    patient_email, _ = served.register("Pat")
    desk = physio_desk(served, new_context, physio_email)
    expect(desk.get_by_text("No patients share their diary with you yet.")).to_be_visible()
    expect(desk.get_by_role("link", name="Home")).to_be_hidden()  # no member tabs here

    desk.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url)
    desk.get_by_label("Who it is for").fill("Pat")
    desk.get_by_role("button", name="Create invite code").click()
    code = desk.locator("#invite-code")
    expect(code).to_have_text(re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$"))
    expect(desk.get_by_text("It works once, until")).to_be_visible()
    desk.get_by_role("button", name="Copy code").click()
    expect(desk.get_by_text("Copied.")).to_be_visible()
    assert desk.evaluate("() => navigator.clipboard.readText()") == code.inner_text()

    phone = patient_phone(served, new_context, patient_email)
    phone.get_by_role("link", name="Settings").click()
    phone.get_by_role("link", name="Your physiotherapist").click()
    phone.get_by_label("Invite code").fill(code.inner_text())
    phone.get_by_role("button", name="Check the code").click()
    expect(phone.get_by_text("Lee will see:")).to_be_visible()
    phone.get_by_role("button", name="Share my diary").click()
    expect(phone.get_by_role("button", name="Stop sharing with Lee")).to_be_visible()
    phone.get_by_role("link", name="Home").click()
    log_intense_cramp_with_a_warning_sign(phone)

    desk.get_by_role("button", name="Refresh list").click()
    card = desk.locator(".patient", has=desk.get_by_role("link", name="Pat", exact=True))
    expect(card.locator(".badge")).to_have_text("See a doctor")
    expect(card.get_by_role("listitem")).to_have_text([
        "1 entry with warning signs since the last review (most serious: see a doctor)",
        "1 episode of intensity 7 or more in the latest two weeks",
    ])

    desk.get_by_role("link", name="Pat", exact=True).click()
    expect(desk.get_by_role("heading", name="Pat", exact=True, level=1)).to_be_visible()
    expect(desk.locator("[data-chart=episodes_per_week] svg[role=img]")).to_be_visible()
    assert desk.locator(".chart-box svg").count() >= 5
    entry = desk.locator(".timeline .entry")
    expect(entry).to_contain_text("Calf cramp, intensity 9 of 10, strong")
    expect(entry).to_contain_text("Warning signs: Swelling.")
    expect(desk.locator(".warning")).to_contain_text("See a doctor")

    desk.get_by_role("button", name="Mark reviewed").click()
    expect(desk.get_by_text("Last reviewed")).to_be_visible()
    expect(desk.get_by_text("1 episode of intensity 7 or more in the latest two weeks")).to_be_visible()
    expect(desk.get_by_text("warning signs since the last review")).to_have_count(0)

    with desk.expect_download() as download:
        desk.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    assert "cramp" in download.value.path().read_text()
    with desk.expect_download() as download:
        desk.get_by_role("button", name="Download PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")


def test_comments_and_routines_reach_the_phone_that_was_offline_while_the_physio_wrote(served, new_context):
    physio_email, physio_token = served.register("Lee", role="physio")
    patient_email, patient_token = served.register("Pat")
    patient_id = share_with(served, patient_token, physio_token)
    phone = patient_phone(served, new_context, patient_email)
    log_intense_cramp_with_a_warning_sign(phone)
    phone.context.set_offline(True)

    desk = physio_desk(served, new_context, physio_email)
    desk.get_by_role("link", name="Pat", exact=True).click()
    desk.get_by_role("button", name="Comment on this entry: Calf cramp, intensity 9 of 10, strong").click()
    expect(desk.get_by_text("About the entry: Calf cramp, intensity 9 of 10, strong")).to_be_visible()
    desk.get_by_label("Comment", exact=True).fill(ADVICE)
    desk.get_by_role("button", name="Send comment").click()
    expect(desk.get_by_text("Sent. It reaches Pat’s phone the next time it syncs.")).to_be_visible()
    expect(desk.locator(".timeline .entry blockquote")).to_contain_text(ADVICE)

    desk.get_by_label("Routine", exact=True).select_option(label="Bedside evening stretch")
    desk.get_by_label("Sessions a week").fill("5")
    desk.get_by_role("button", name="Assign").click()
    expect(desk.get_by_role("status").filter(has_text="Assigned “Bedside evening stretch”")).to_be_visible()

    desk.get_by_label("A routine you compose").check()
    desk.get_by_label("Routine name").fill("Calf plan for Pat")
    desk.get_by_label("Exercise", exact=True).select_option(label="Calf stretch, knee straight")
    desk.get_by_role("button", name="Add exercise").click()
    stretch = desk.get_by_role("group", name="Calf stretch, knee straight")
    stretch.get_by_label("Seconds per hold").fill("45")
    stretch.get_by_label("Sets", exact=True).fill("2")
    desk.get_by_label("Exercise", exact=True).select_option(index=1)
    desk.get_by_role("button", name="Add exercise").click()
    desk.get_by_label("Note for the patient").fill("Every evening this week.")
    desk.get_by_role("button", name="Assign").click()
    expect(desk.get_by_role("status").filter(has_text="Assigned “Calf plan for Pat”")).to_be_visible()
    expect(desk.locator(".sent-list .title")).to_have_text(["Calf plan for Pat", "Bedside evening stretch"])

    assigned = served.api("GET", f"/care/patients/{patient_id}/assignments", physio_token).json()
    composed = next(a for a in assigned if a["kind"] == "composed")
    assert composed["routine"]["items"][0] == {"exercise": "calf-stretch-knee-straight", "dose": {
        "hold_s": 45, "reps": None, "until_release": False, "sets": 2, "per_side": True, "rest_s": 10}}
    assert len(composed["routine"]["items"]) == 2 and composed["note"] == "Every evening this week."

    desk.reload()
    before_after = desk.locator(".before-after")
    expect(before_after.first).to_contain_text(f"from {date.today().isoformat()}")
    expect(before_after.first).to_contain_text("Provisional")

    phone.get_by_role("link", name="Diary").click()
    expect(phone.locator(".entry blockquote")).to_have_count(0)
    phone.context.set_offline(False)  # no tap: coming back online syncs
    expect(phone.locator(".entry blockquote")).to_contain_text(ADVICE)
    phone.get_by_role("link", name="Routines").click()
    expect(phone.get_by_text("Calf plan for Pat")).to_be_visible()
    expect(phone.get_by_text("Bedside evening stretch").first).to_be_visible()
    phone.get_by_role("link", name="Home").click()
    expect(phone.get_by_text("Set by Lee")).to_be_visible()
    expect(phone.locator(".comment")).to_contain_text(ADVICE)


def test_the_workspace_says_when_it_is_offline(served, new_context):
    desk, _ = pat_on_the_desk(served, new_context)
    expect(desk.get_by_role("heading", name="Pat", exact=True, level=1)).to_be_visible()

    desk.context.set_offline(True)
    expect(desk.get_by_role("status").filter(has_text="You are offline.")).to_be_visible()
    desk.get_by_label("Comment", exact=True).fill(ADVICE)
    desk.get_by_role("button", name="Send comment").click()
    # The comment's own alert: charts or the timeline still loading say the same in theirs.
    comment = desk.locator("#comment")
    expect(comment.get_by_role("alert").filter(has_text="You are offline: nothing was sent")).to_be_visible()

    desk.goto(f"{served.url}/")
    expect(desk.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(desk.get_by_role("button", name="Try again")).to_be_visible()
    desk.context.set_offline(False)
    expect(desk.get_by_role("heading", name="Your patients")).to_be_visible()
    expect(desk.get_by_role("link", name="Pat", exact=True)).to_be_visible()


def test_at_a_desk_repeated_warnings_are_one_line_and_the_charts_show_without_scrolling(served, new_context):
    import uuid
    from datetime import datetime, timedelta, timezone

    physio_email, physio_token = served.register("Lee", role="physio")
    _, patient_token = served.register("Pat")
    patient_id = share_with(served, patient_token, physio_token)
    now = datetime.now(timezone.utc)
    mutations = [{"id": n + 1, "op": "put", "entity": "entry", "key": str(uuid.uuid4()), "base_version": 0,
                  "data": {"kind": "cramp", "occurred_at": (now - timedelta(days=n + 1)).isoformat(),
                           "muscle": "calf", "intensity": 6, "duration_s": 90, "context": "night",
                           "red_flags": ["numbness"]}} for n in range(12)]
    pushed = served.api("POST", "/sync/push", patient_token,
                        json={"client_id": str(uuid.uuid4()), "schema_version": 1, "mutations": mutations})
    assert pushed.status_code == 200, pushed.text
    assigned = served.api("POST", f"/care/patients/{patient_id}/assignments", physio_token,
                          json={"routine": "evening-calf-hamstring",
                                "start_date": (now - timedelta(days=7)).date().isoformat()})
    assert assigned.status_code == 201, assigned.text

    desk = physio_desk(served, new_context, physio_email)
    desk.set_viewport_size({"width": 1280, "height": 800})
    desk.get_by_role("link", name="Pat", exact=True).click()
    groups = desk.locator(".warning-groups > li")
    expect(groups).to_have_count(1)
    expect(groups).to_contain_text("Numbness, swelling or skin changes")
    expect(groups).to_contain_text("12 times")
    expect(groups).to_contain_text("and 4 earlier")
    assert "you" not in groups.inner_text().lower().split()  # written for the physio

    chart = desk.locator("[data-chart=episodes_per_week] svg[role=img]")
    expect(chart).to_be_visible()
    before_after = desk.get_by_role("region", name="Before and after").bounding_box()
    first_chart = chart.bounding_box()
    assert before_after["y"] + before_after["height"] <= 800
    assert first_chart["y"] + first_chart["height"] <= 800
    assert desk.evaluate("() => scrollY") == 0


def test_a_patient_is_told_whether_the_physio_is_verified_and_the_physio_sees_it_too(served, new_context):
    from click.testing import CliRunner

    from server.cli import main

    physio_email, physio_token = served.register("Lee", role="physio")
    patient_email, patient_token = served.register("Pat")
    desk = physio_desk(served, new_context, physio_email)
    expect(desk.get_by_text("Your account is not verified.")).to_be_visible()
    phone = patient_phone(served, new_context, patient_email)
    phone.goto(f"{served.url}/#/care")
    code = served.api("POST", "/care/invites", physio_token, json={}).json()["code"]
    phone.get_by_label("Invite code").fill(code)
    phone.get_by_role("button", name="Check the code").click()
    expect(phone.locator(".unverified")).to_contain_text(f"Not verified: this service has not checked that Lee ({physio_email})")

    result = CliRunner().invoke(main, ["user", "verify", physio_email],
                                env={"UNKNOT_DATABASE_URL": served.app.config["DATABASE_URL"]})
    assert result.exit_code == 0, result.output
    phone.reload()
    phone.get_by_label("Invite code").fill(served.api("POST", "/care/invites", physio_token, json={}).json()["code"])
    phone.get_by_role("button", name="Check the code").click()
    expect(phone.locator(".verified")).to_contain_text("This service has verified that Lee")
    desk.reload()
    expect(desk.get_by_role("heading", name="Your patients")).to_be_visible()
    expect(desk.get_by_text("Your account is not verified.")).to_have_count(0)
