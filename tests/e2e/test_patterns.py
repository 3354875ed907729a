"""Your patterns in the browser: an eight-week diary's comparisons, offline once seen."""

import uuid

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
