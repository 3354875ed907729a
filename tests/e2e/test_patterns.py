"""Your patterns in the browser: an eight-week diary's comparisons, offline once seen."""

import uuid
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.care_helpers import cramp, drink
from tests.e2e.driver import fits, open_app, shoot, sign_in


def push_eight_weeks(served, token):
    """A synthetic diary: 56 days of drinks, at the target on even days, and a night cramp after
    most days below it."""
    entries = []
    for days_ago in range(1, 57):
        at = days_ago % 2 == 0
        entries.append(drink(days_ago, 2000 if at else 300))
        if not at or days_ago % 8 == 0:
            entries.append(cramp(days_ago))
    for start in range(0, len(entries), 50):  # a device per batch, its mutations from 1
        mutations = [{"id": i + 1, "op": "put", "entity": "entry", "key": str(uuid.uuid4()),
                      "base_version": 0, "data": data}
                     for i, data in enumerate(entries[start:start + 50])]
        answer = served.api("POST", "/sync/push", token, json={
            "client_id": str(uuid.uuid4()), "schema_version": 1, "mutations": mutations})
        assert answer.status_code == 200, answer.text


def test_the_patterns_of_eight_weeks_show_offline_in_words(served, context, page):
    email, token = served.register("Pat")
    push_eight_weeks(served, token)
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    page.get_by_role("link", name="Diary").click()
    page.get_by_role("link", name="Your patterns").click()
    drinks = page.locator(".pattern").first
    expect(drinks).to_contain_text("Drinks target")
    expect(drinks).to_contain_text("fewer cramps on days at your drinks target")
    expect(page.get_by_text("not medical advice")).to_be_visible()
    expect(page.get_by_role("link", name="When to get help")).to_be_visible()

    context.set_offline(True)
    page.reload()
    expect(drinks).to_contain_text("fewer cramps on days at your drinks target")
    text = page.locator(".view").inner_text().lower()
    assert not any(word in text for word in ("causes", "prevents", "cures"))
    assert fits(page)
    shoot(page, "patterns-offline", full_page=True)


def put_experiment(served, token, plan):
    answer = served.api("POST", "/sync/push", token, json={
        "client_id": str(uuid.uuid4()), "schema_version": 1, "mutations": [
            {"id": 1, "op": "put", "entity": "settings", "key": "experiment", "base_version": 0,
             "data": plan}]})
    assert answer.json()["results"][0]["status"] == "applied", answer.text


def test_a_self_experiment_starts_offline_and_its_blocks_show_offline(served, context, page):
    email, token = served.register("Ana")
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    page.get_by_role("link", name="Diary").click()
    page.get_by_role("link", name="Your patterns").click()
    expect(page.get_by_role("heading", name="Try a habit for yourself")).to_be_visible()

    context.set_offline(True)
    page.get_by_role("button", name="Drinks target").click()
    page.get_by_role("button", name="2 weeks").click()
    proposal = page.locator("section[aria-labelledby=trial-h] ol li")
    expect(proposal).to_have_count(4)
    kinds = [item.split(": ")[1].split()[0] for item in proposal.all_inner_texts()]
    expect(page.get_by_text("Drink to thirst; drink reminders pause.")).to_be_visible()
    assert sorted(kinds[:2]) == sorted(kinds[2:]) == ["with", "without"]  # pairs
    page.get_by_role("button", name="Start today").click()
    expect(page.get_by_role("heading", name="Your experiment: Drinks target")).to_be_visible()
    expect(page.locator("[aria-current=step]")).to_have_count(1)
    expect(page.locator("[aria-current=step]")).to_contain_text(kinds[0])
    page.reload()
    expect(page.get_by_text("Block 1 of 4, until")).to_be_visible()
    assert fits(page)
    shoot(page, "experiment-running", full_page=True)

    context.set_offline(False)  # the plan reaches the server and comes back in the patterns
    page.evaluate("() => navigator.serviceWorker.controller.postMessage({type: 'sync'})")
    for _ in range(50):
        found = served.api("GET", "/me/patterns", token).json()["experiment"]
        if found:
            break
        page.wait_for_timeout(200)
    assert found["habit"] == "drink-target" and found["status"] == "running"
    assert [b["kind"] for b in found["blocks"]] == kinds and found["current"] == 0


def test_an_experiment_that_is_over_shows_its_answer(served, context, page):
    email, token = served.register("Bo")
    push_eight_weeks(served, token)
    started = (date.today() - timedelta(weeks=8)).isoformat()
    put_experiment(served, token, {"habit": "evening-taper", "started_on": started,
                                   "block_days": 7, "blocks": ["with", "without"] * 4})
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    page.goto(f"{served.url}/#/patterns")
    section = page.locator("section[aria-labelledby=trial-h]")
    expect(section).to_contain_text("night cramps in the weeks with the evening taper")
    expect(section).to_contain_text("Kept on")
    context.set_offline(True)
    page.reload()
    expect(section).to_contain_text("night cramps in the weeks with the evening taper")
    page.get_by_role("button", name="Try another habit").click()
    expect(page.get_by_role("button", name="Start today")).to_be_visible()
    shoot(page, "experiment-over", full_page=True)
