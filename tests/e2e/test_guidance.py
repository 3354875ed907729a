"""The pages of guidance: "About cramps" from the help screen, and the stop rules before a routine."""

import pytest
from playwright.sync_api import expect

from .driver import SIZES, fits, open_app, open_at, shoot


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_about_cramps_opens_from_help_offline(served, new_context, width, height, night):
    context = new_context()
    page = open_at(context, served.url, width, height, night)
    context.set_offline(True)
    page.goto(f"{served.url}/#/help")
    page.get_by_role("link", name="About cramps").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About cramps")
    for heading in ("What a cramp is", "How long it lasts", "Never quinine or tonic water",
                    "Pickle juice", "Supplements"):
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    expect(page.get_by_text("Painkillers do not help")).to_be_visible()
    assert fits(page)
    shoot(page, f"about-{'night' if night else 'day'}")
    page.get_by_role("link", name="When to get help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("When to get help")


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_the_player_shows_the_stop_rules_before_the_routine_starts(served, new_context, width, height,
                                                                     night):
    context = new_context()
    page = open_at(context, served.url, width, height, night)
    context.set_offline(True)
    page.goto(f"{served.url}/#/play/morning-calf-hamstring")
    rules = page.locator(".stop")
    expect(rules.get_by_role("heading", level=2)).to_have_text("Stop and get advice")
    for sign in ("If you have chest pain or tightness.", "If you are unusually breathless.",
                 "If you feel dizzy or faint.", "If a joint hurts sharply."):
        expect(rules.get_by_text(sign)).to_be_visible()
    expect(page.get_by_role("timer")).to_have_count(0)
    assert fits(page)
    shoot(page, f"stop-rules-{'night' if night else 'day'}")
    start = page.get_by_role("button", name="Start now")
    # At least a whole tap target of the primary action is on screen without scrolling.
    assert start.bounding_box()["y"] + 48 <= height
    start.click()
    expect(page.locator(".progress")).to_contain_text("of 36")
    expect(page.locator(".stop")).to_have_count(0)


def test_a_programme_says_when_to_move_on_and_what_comes_before_hops(served, page):
    open_app(page, served.url)
    page.goto(f"{served.url}/#/programmes/calf-cramp-8-weeks")
    expect(page.get_by_text("3 out of 10 or less and has settled by the next morning")).to_be_visible()
    expect(page.get_by_text("go back to the previous stage")).to_be_visible()
    expect(page.get_by_text("Before the hops: 25 slow single-leg heel raises on each side")).to_be_visible()


def test_the_player_shows_the_pregnancy_caution_and_the_lying_option(served, page):
    open_app(page, served.url)
    for slug, text in (("relief-glute", "Pregnant? After about 16 weeks"),
                       ("relief-quadriceps", "Lying instead: lie on your side")):
        page.goto(f"{served.url}/#/play/{slug}")
        page.get_by_role("button", name="Start now").click()
        expect(page.locator(".how")).to_contain_text(text)
