"""Warning signs on the phone: the rules' own messages, most serious first, judged offline as the
server will judge them, from the help panel, the log form and the relief screen."""

import pytest
from playwright.sync_api import expect

from server.redflags import default_rules

from .driver import entries_here, open_app, open_at, shoot, sign_in, wait_synced

MESSAGES = {rule["id"]: rule["message"] for rule in default_rules()}


def sign(scope, code):
    return scope.locator(f'button.chip[data-value="{code}"]')


def rules_shown(scope):
    return scope.locator(".advice .rule").evaluate_all("(nodes) => nodes.map((n) => n.dataset.rule)")


@pytest.mark.parametrize("width, height", [(360, 640), (390, 844)])
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_help_says_nothing_until_a_sign_is_ticked_then_each_rules_message_most_serious_first(
        served, new_context, width, height, night):
    context = new_context()
    page = open_at(context, served.url, width, height, night)
    context.set_offline(True)
    page.goto(f"{served.url}/#/help")
    expect(sign(page, "numbness")).to_be_visible()
    # No verdict over an empty form: "self-care is fine" before anything is ticked is wrong.
    expect(page.locator(".advice")).to_have_count(0)
    expect(page.get_by_text("Self-care is fine")).to_have_count(0)

    sign(page, "numbness").click()
    expect(page.locator(".advice .rule")).to_have_text([MESSAGES["numbness-swelling-skin"]])
    sign(page, "chest_pain").click()
    expect(page.locator(".advice .level")).to_have_text("Get help today")
    assert rules_shown(page) == ["chest-pain", "numbness-swelling-skin"]
    # The advice is below a long list; its level stays in sight, one tap from the advice.
    bar = page.locator(".verdict-bar")
    expect(bar).to_have_text("Get help today: what to do")
    expect(bar).to_be_in_viewport()
    shoot(page, f"help-bar-{'night' if night else 'day'}")
    bar.click()
    expect(page.locator(".advice .level")).to_be_in_viewport()
    page.locator('button.chip[data-value="exercise"]').click()
    expect(page.locator(".advice .level")).to_have_text("Call an ambulance")
    assert rules_shown(page) == ["chest-pain-during-exercise", "numbness-swelling-skin"]
    expect(page.locator(".advice")).to_contain_text("112")
    shoot(page, f"help-{'night' if night else 'day'}", full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")

    sign(page, "chest_pain").click()
    sign(page, "numbness").click()
    expect(page.locator(".advice")).to_have_count(0)


def test_the_log_form_judges_the_duration_offline_and_the_server_agrees(served, context, page):
    email, token = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    context.set_offline(True)
    page.goto(f"{served.url}/#/log")
    minutes = page.get_by_label("Duration (minutes)")
    minutes.fill("9")
    expect(page.locator(".advice")).to_have_count(0)
    minutes.fill("15")
    expect(page.locator(".advice .level")).to_have_text("Get help today")
    expect(page.locator(".advice .rule")).to_have_text([MESSAGES["long-episode"]])
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()

    [local] = entries_here(page)
    assert local["data"]["duration_s"] == 900
    assert local["assessment"]["level"] == "urgent"
    context.set_offline(False)
    page.evaluate("() => dispatchEvent(new Event('online'))")
    wait_synced(page)
    [stored] = served.entries(token)
    assert stored["assessment"] == local["assessment"]
    [synced] = entries_here(page)
    assert synced["assessment"] == local["assessment"]


def test_a_relief_episode_saved_offline_shows_its_advice_before_any_sync(served, context, page):
    open_app(page, served.url)
    context.set_offline(True)
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    page.get_by_role("button", name="When to get help").click()
    dialog = page.get_by_role("dialog")
    sign(dialog, "calf_swollen_warm").click()
    expect(dialog.locator(".advice .rule")).to_have_text([MESSAGES["swollen-warm-leg"]])
    dialog.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="It let go").click()
    saved = page.locator(".saved")
    expect(saved.locator(".advice .level")).to_have_text("Get help today")
    expect(saved.locator(".advice .rule")).to_have_text([MESSAGES["swollen-warm-leg"]])
    [entry] = entries_here(page)
    assert entry["state"] == "queued" and entry["assessment"]["flags"][0]["rule"] == "swollen-warm-leg"


def test_signs_just_after_exercise_count_as_during_it(served, page):
    open_app(page, served.url)
    page.goto(f"{served.url}/#/help")
    # DOMAIN: "during or right after exercise: collapse, confusion, dizziness with vomiting".
    expect(page.get_by_text("Did it start during exercise or just after?")).to_be_visible()
    page.locator('button.chip[data-value="exercise"]').click()
    sign(page, "dizziness").click()
    expect(page.locator(".advice .level")).to_have_text("Call an ambulance")
    assert rules_shown(page)[0] == "exercise-emergency-signs"
