"""The app on a phone: the bar fits the narrowest screen with its longest words, and a physio's
screens carry none of a member's controls."""

import pytest
from playwright.sync_api import expect

from tests.e2e.driver import SIZES, colours, fits, open_at, shoot, sync_state
from tests.e2e.test_physio import physio_desk

NARROW = [(320, 640), (360, 640), (390, 844)]


def overlap(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("width, height", NARROW)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_the_bar_fits_with_the_longest_sync_words(served, new_context, width, height, night):
    page = open_at(new_context(), served.url, width, height, night)
    page.evaluate("""async () => {
      const { saveEntry } = await import('/js/outbox.js');
      for (let i = 0; i < 120; i += 1) {
        await saveEntry({ kind: 'hydration', occurred_at: new Date().toISOString(), volume_ml: 250 });
      }
    }""")
    expect(sync_state(page)).to_have_text("120 waiting · sign in to sync")
    assert fits(page)
    brand = page.get_by_role("link", name="Unknot").bounding_box()
    pill = sync_state(page).bounding_box()
    toggle = page.get_by_role("button", name="Night mode")
    switch = toggle.bounding_box()
    for box in (brand, pill, switch):
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert not overlap(brand, pill) and not overlap(pill, switch)
    assert switch["width"] >= 44 and switch["height"] >= 44
    # Nothing spills out of its box: the words wrap inside the pill, the switch shows its moon.
    for part in (sync_state(page), toggle):
        assert part.evaluate("(e) => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    shoot(page, f"bar-{'night' if night else 'day'}-{width}")


def test_a_physio_sees_no_sync_words_and_no_night_switch(served, new_context):
    email, _ = served.register("Lee", role="physio")
    desk = physio_desk(served, new_context, email)
    expect(sync_state(desk)).to_be_hidden()
    expect(desk.get_by_role("button", name="Night mode")).to_be_hidden()


# The night palette's brightest colour is its text (#c98d74): no control outshines it.
NIGHT_TEXT_LUMINANCE = 0.33


@pytest.mark.parametrize("width, height", SIZES)
def test_night_mode_has_no_bright_or_blue_controls(served, new_context, width, height):
    page = open_at(new_context(), served.url, width, height, night=True)
    water = page.get_by_role("progressbar", name="Water today against the target")
    page.get_by_role("button", name="+250 ml").click()
    expect(water).to_have_attribute("value", "250")
    expect(sync_state(page)).to_have_text("1 waiting · sign in to sync")  # the last repaint
    found = colours(page, water.screenshot())
    assert found["bluish"] == 0 and found["brightest"] <= NIGHT_TEXT_LUMINANCE, found
    page.goto(f"{served.url}/#/log")
    slider = page.get_by_role("slider", name="Intensity")
    found = colours(page, slider.screenshot())
    assert found["bluish"] == 0 and found["brightest"] <= NIGHT_TEXT_LUMINANCE, found
    shoot(page, "log-night")


def test_a_first_visit_online_shows_todays_routine_without_going_anywhere(served, page):
    page.goto(served.url)
    card = page.get_by_role("region", name="Today's routine")
    expect(card.get_by_role("button", name="Start routine")).to_be_visible()
    expect(page.get_by_text("once the app has been online")).to_have_count(0)


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_a_routines_start_button_shows_under_its_stop_rules_without_scrolling(
        served, new_context, width, height, night):
    page = open_at(new_context(), served.url, width, height, night)
    page.goto(f"{served.url}/#/play/evening-calf-hamstring")
    expect(page.get_by_role("heading", name="Stop and get advice")).to_be_visible()
    start = page.get_by_role("button", name="Start now").bounding_box()
    assert start["y"] >= 0 and start["y"] + start["height"] <= height
    assert fits(page)
    shoot(page, f"stop-rules-{'night' if night else 'day'}")
