"""Cramping now: the hold timer, its marks, the saved duration, and help one tap away."""

import pytest
from playwright.sync_api import expect

from schemas.vocabulary import intensity_text
from tests.e2e.driver import (READ_IDB, SIZES, entries_here, fits, freeze_clock, open_app, open_at,
                              shoot, sign_in, wait_synced, wait_until)

SPY_ON_VIBRATION = "window.buzzes = []; navigator.vibrate = (pattern) => { window.buzzes.push(pattern); return true; };"


def test_the_hold_timer_marks_and_the_saved_duration_match_the_clock(served, page):
    page.add_init_script(SPY_ON_VIBRATION)
    page.clock.install()
    open_app(page, served.url)
    freeze_clock(page)

    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    timer = page.get_by_role("timer")
    expect(timer).to_have_text("0:00")
    page.clock.run_for(29_000)
    expect(timer).to_have_text("0:29")
    assert page.locator(".stepper").get_attribute("data-marks") == "0"

    page.clock.run_for(46_000)
    expect(timer).to_have_text("1:15")
    expect(page.locator(".stepper")).to_have_attribute("data-marks", "2")
    expect(page.locator(".mark")).to_contain_text("Keep holding gently until it lets go")
    assert page.evaluate("() => window.buzzes") == [[200, 100, 200], [200, 100, 200]]

    page.get_by_role("button", name="It let go").click()
    expect(page.locator(".saved .lead")).to_have_text("Saved: calf cramp, 1 min 15 s.")
    [entry] = entries_here(page)
    assert entry["data"]["duration_s"] == 75
    assert entry["data"]["muscle"] == "calf" and entry["data"]["side"] == "both"


def test_help_is_one_tap_away_and_the_servers_assessment_shows(served, page):
    email, token = served.register()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Back of thigh").click()
    page.get_by_role("button", name="When to get help").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Chest pain or tightness").click()
    expect(dialog.get_by_role("status")).to_contain_text("Get help today")
    dialog.get_by_role("button", name="Close").click()
    page.get_by_role("button", name="It let go").click()
    expect(page.locator(".saved .lead")).to_contain_text("Saved: back of thigh cramp")
    wait_synced(page)

    [stored] = served.entries(token)
    assert stored["red_flags"] == ["chest_pain"] and stored["assessment"]["level"] == "urgent"
    page.get_by_role("link", name="Done").click()
    page.get_by_role("link", name="Diary").click()
    expect(page.locator(".entry .advice")).to_contain_text("Get help today")


def chip(value):
    """A saved-screen chip: the value and its word on the server's scale ("8 · strong")."""
    return f"{value} · {intensity_text(value).split(', ')[1]}"


def test_the_saved_screen_the_diary_and_the_log_form_say_intensity_in_the_same_words(served, page):
    open_app(page, served.url)
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    page.get_by_role("button", name="It let go").click()
    strength = page.get_by_role("group", name="How strong was it?")
    expect(strength.get_by_role("button")).to_have_text([chip(n) for n in (2, 5, 8, 10)])
    expect(strength.get_by_role("button", name=chip(5))).to_have_attribute("aria-pressed", "true")
    expect(strength.locator("output")).to_have_text(intensity_text(5))
    strength.get_by_role("button", name=chip(8)).click()  # one tap
    expect(strength.locator("output")).to_have_text(intensity_text(8))
    wait_until(page, f"async () => (await ({READ_IDB})(['entries', null]))"
                     ".some((rec) => rec.data?.intensity === 8)")

    page.get_by_role("link", name="Done").click()
    page.get_by_role("link", name="Diary").click()
    entry = page.locator(".entry .title")
    expect(entry).to_contain_text("Calf cramp")
    expect(entry).to_contain_text(f"intensity {intensity_text(8)}")
    page.get_by_role("link", name="Edit or delete").click()
    slider = page.get_by_role("slider", name="Intensity")
    expect(page.locator("label[for=f-intensity] output")).to_have_text(intensity_text(8))
    slider.fill("3")
    expect(page.locator("label[for=f-intensity] output")).to_have_text(intensity_text(3))


def test_the_player_runs_a_routine_offline_and_logs_it(served, context, page):
    page.clock.install()
    open_app(page, served.url)
    context.set_offline(True)
    page.goto(f"{served.url}/#/routines/evening-calf-hamstring")
    freeze_clock(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Start now").click()  # after the stop rules
    expect(page.locator(".progress")).to_have_text("Step 1 of 24")

    timer = page.get_by_role("timer")
    page.get_by_role("button", name="Pause").click()
    paused_at = timer.inner_text()
    page.clock.run_for(10_000)
    expect(timer).to_have_text(paused_at)
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Skip").click()
    expect(page.locator(".progress")).to_have_text("Step 2 of 24")

    page.clock.run_for(260_000)
    expect(page.locator(".saved .lead")).to_have_text("Routine complete. Well done.")
    [entry] = entries_here(page)
    assert entry["data"]["routine"] == "evening-calf-hamstring"
    assert (entry["data"]["completed_steps"], entry["data"]["total_steps"]) == (23, 24)
    assert entry["state"] == "queued"


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_the_intensity_words_fit_small_screens_by_day_and_night(served, new_context, width, height,
                                                                night):
    page = open_at(new_context(), served.url, width, height, night)
    theme = "night" if night else "day"
    page.goto(f"{served.url}/#/log")
    expect(page.locator("label[for=f-intensity] output")).to_have_text(intensity_text(5))
    page.get_by_role("slider", name="Intensity").fill("7")
    expect(page.locator("label[for=f-intensity] output")).to_have_text(intensity_text(7))
    page.locator("label[for=f-intensity]").evaluate("(e) => e.scrollIntoView({ block: 'center' })")
    assert fits(page)
    shoot(page, f"log-{theme}")

    page.goto(f"{served.url}/#/cramp")
    expect(page.get_by_role("button", name="Front of thigh")).to_be_visible()
    assert fits(page)
    shoot(page, f"picker-{theme}")
    page.get_by_role("button", name="Calf").click()
    page.get_by_role("button", name="It let go").click()
    strength = page.get_by_role("group", name="How strong was it?")
    strength.scroll_into_view_if_needed()
    for chip in strength.get_by_role("button").all():
        box = chip.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 44
    assert page.locator(".saved").evaluate("(e) => e.scrollWidth <= e.clientWidth")
    assert page.locator(".saved").bounding_box()["width"] <= width
    shoot(page, f"saved-{theme}")


@pytest.mark.parametrize("control", ["Stop", "Skip"])
def test_stop_or_skip_during_the_hold_keeps_the_cramp_and_one_tap_undoes_it(served, page, control):
    page.clock.install()
    open_app(page, served.url)
    freeze_clock(page)
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    expect(page.get_by_role("timer")).to_have_text("0:00")  # the hold has started
    page.clock.run_for(42_000)
    page.get_by_role("button", name=control, exact=True).click()
    expect(page.locator(".saved .lead")).to_have_text("Saved: calf cramp, 42 s.")
    [entry] = entries_here(page)
    assert entry["data"]["duration_s"] == 42 and entry["data"]["muscle"] == "calf"

    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("button", name="Cramping now")).to_be_visible()
    wait_until(page, f"async () => (await ({READ_IDB})(['entries', null]))"
                     ".every((rec) => rec.deleted || !rec.data)")
    assert entries_here(page) == []


def test_leaving_a_real_hold_keeps_it_and_a_wrong_muscle_left_at_once_is_not_logged(served, page):
    page.clock.install()
    open_app(page, served.url)
    freeze_clock(page)
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Front of thigh").click()
    expect(page.get_by_role("timer")).to_have_text("0:00")
    page.clock.run_for(3_000)
    page.get_by_role("link", name="Unknot").click()  # a wrong muscle, left at once
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    expect(page.get_by_role("timer")).to_have_text("0:00")
    page.clock.run_for(50_000)
    page.get_by_role("link", name="Unknot").click()
    expect(page.get_by_role("button", name="Cramping now")).to_be_visible()
    wait_until(page, f"async () => (await ({READ_IDB})(['entries', null])).length === 1")
    [entry] = entries_here(page)
    assert entry["data"]["muscle"] == "calf" and entry["data"]["duration_s"] == 50


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_the_holds_button_shows_without_scrolling_and_the_controls_keep_their_distance(
        served, new_context, width, height, night):
    page = open_at(new_context(), served.url, width, height, night)
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    release = page.get_by_role("button", name="It let go").bounding_box()
    assert release["y"] >= 0 and release["y"] + release["height"] <= height
    for name in ("Pause", "Skip", "Stop"):
        control = page.get_by_role("button", name=name, exact=True).bounding_box()
        assert control["y"] - (release["y"] + release["height"]) >= 24, name
    assert fits(page)
    shoot(page, f"relief-{'night' if night else 'day'}")
    page.get_by_role("button", name="Stop", exact=True).click()
    # However far the hold was scrolled, the saved line and its Undo come into view.
    expect(page.get_by_role("button", name="Undo")).to_be_in_viewport()
    expect(page.locator(".saved .lead")).to_be_in_viewport()
    shoot(page, f"saved-stop-{'night' if night else 'day'}")


def add_entry(page, data):
    """Save an entry through the app's own outbox, as its screens do."""
    page.evaluate("async (data) => (await import('/js/outbox.js')).saveEntry(data)", data)


def saved_context(page):
    """Log a calf cramp from relief; return the context chip pressed and the reason shown."""
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    page.get_by_role("button", name="It let go").click()
    group = page.get_by_role("group", name="When did it happen?")
    pressed = group.locator("[aria-pressed=true]").inner_text()
    return pressed, page.locator(".saved .hint", has_text="Set to").or_(
        page.locator(".saved .hint", has_text="Your last choice")).all_inner_texts()


def test_the_context_of_a_cramp_is_inferred_shown_and_remembered(served, new_context):
    page = new_context(timezone_id="UTC").new_page()  # the clock's wall times are UTC's
    page.clock.install(time="2026-06-10T15:00:00")  # a weekday afternoon, outside the sleep window
    open_app(page, served.url)
    assert saved_context(page) == ("Other", [])
    page.get_by_role("group", name="When did it happen?").get_by_role("button", name="At rest").click()
    page.get_by_role("link", name="Done").click()
    assert saved_context(page) == ("At rest", ["Your last choice."])
    page.get_by_role("link", name="Done").click()

    add_entry(page, {"kind": "routine", "occurred_at": "2026-06-10T14:20:00", "routine": "calf-length",
                     "completed_steps": 3, "total_steps": 3})
    pressed, why = saved_context(page)
    assert (pressed, why) == ("During exercise", ["Set to exercise: you did a routine in the last hour."])
    [cramp] = [e for e in entries_here(page) if e["data"]["kind"] == "cramp"
               and e["data"]["context"] == "exercise"]
    assert cramp["data"]["muscle"] == "calf"
    page.goto(f"{served.url}/#/log")  # the log form makes the same guess
    expect(page.get_by_role("group", name="When did it happen?").locator("[aria-pressed=true]")).to_have_text(
        "During exercise")


def test_a_cramp_in_the_sleep_window_is_a_night_cramp(served, new_context):
    page = new_context(timezone_id="UTC").new_page()  # the clock's wall times are UTC's
    page.clock.install(time="2026-06-10T23:40:00")
    open_app(page, served.url)
    assert saved_context(page) == ("At night", ["Set to night: it is within your sleep hours."])
