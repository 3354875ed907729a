"""Exercise pictures in the browser: offline from the first start, dim at night, in a routine's
steps and in the physio's composer."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from server.content import index, read_file
from tests.e2e.driver import SIZES, colours, fits, open_at, shoot
from tests.e2e.test_physio import pat_on_the_desk, patient_phone

EXERCISES = index(read_file("exercises"))
RELIEF = {r["slug"][7:]: EXERCISES[r["items"][0]["exercise"]] for r in read_file("routines")
          if r["kind"] == "relief"}
# The night palette's brightest colour is its text (#c98d74): no picture outshines it.
NIGHT_TEXT_LUMINANCE = 0.33


def relief_picture(page, muscle_label):
    """Tap "Cramping now", then the muscle: two taps; return the hold's picture."""
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name=muscle_label, exact=True).click()
    return page.locator(".stepper").get_by_role("img")


@pytest.mark.parametrize("width, height", SIZES)
def test_the_relief_picture_shows_offline_in_two_taps_by_night(served, new_context, width, height):
    context = new_context()
    page = open_at(context, served.url, width, height, night=True)
    theme = page.locator("html")
    expect(theme).to_have_attribute("data-theme", "night")  # stored before the page goes
    context.set_offline(True)
    page.reload()
    picture = relief_picture(page, "Calf")
    expect(theme).to_have_attribute("data-theme", "night")
    expect(picture).to_have_attribute("aria-label", RELIEF["calf"]["picture"]["alt"])
    expect(picture).to_be_in_viewport()
    expect(page.get_by_role("button", name="It let go")).to_be_in_viewport(ratio=1)
    found = colours(page, picture.screenshot())
    assert found["bluish"] == 0 and found["brightest"] <= NIGHT_TEXT_LUMINANCE, found
    assert fits(page)
    shoot(page, "relief-picture-offline-night")


def test_a_first_start_that_never_stored_the_catalogue_still_shows_every_relief_picture(
        served, new_context):
    context = new_context()
    page = context.new_page()
    # The catalogue never arrives: only the shell, precached by the worker, is there offline.
    page.route("**/api/v1/content/**", lambda route: route.abort())
    page.goto(served.url)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    page.reload()
    for muscle, exercise in RELIEF.items():
        page.goto(f"{served.url}/#/cramp/{muscle}")
        picture = page.locator(".stepper").get_by_role("img")
        expect(picture).to_have_attribute("aria-label", exercise["picture"]["alt"])


def test_a_routines_steps_each_show_their_exercise(served, page):
    page.goto(f"{served.url}/#/routines/calf-power")
    steps = page.locator("ol.steps > li")
    expect(steps.first).to_be_visible()
    labels = [img.get_attribute("aria-label") for img in steps.get_by_role("img").all()]
    assert len(labels) == steps.count()
    routine = index(read_file("routines"))["calf-power"]
    assert set(labels) == {EXERCISES[item["exercise"]]["picture"]["alt"] for item in routine["items"]}
    expect(page.get_by_role("link", name="Handout to print (PDF)")).to_have_attribute(
        "href", "/api/v1/content/routines/calf-power/handout")


def test_the_composer_shows_each_exercise_and_both_sides_print_the_handout(served, new_context):
    desk, patient_email = pat_on_the_desk(served, new_context)
    # The patient's patterns sit on the page too; a new diary has not enough yet.
    patterns = desk.get_by_role("region", name="What comes before the cramps")
    expect(patterns).to_contain_text("Not enough yet")
    desk.get_by_label("A routine you compose").check()
    desk.get_by_label("Routine name").fill("Calf plan for Pat")
    desk.get_by_label("Exercise", exact=True).select_option(label="Slow heel drop from a step")
    desk.get_by_role("button", name="Add exercise").click()
    drop = desk.get_by_role("group", name="Slow heel drop from a step")
    expect(drop.get_by_role("img")).to_have_attribute(
        "aria-label", EXERCISES["eccentric-heel-drop"]["picture"]["alt"])
    desk.get_by_role("button", name="Assign").click()
    expect(desk.locator(".sent-list .title")).to_have_text(["Calf plan for Pat"])
    with desk.expect_download() as download:
        desk.get_by_role("button", name="Handout to print (PDF)").click()
    assert download.value.suggested_filename.startswith("unknot-care-")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    phone = patient_phone(served, new_context, patient_email)
    phone.get_by_role("link", name="Routines").click()
    phone.get_by_role("link", name="Calf plan for Pat").click()
    with phone.expect_download() as download:
        phone.get_by_role("button", name="Handout to print (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Handout to print (PDF)").click()
    expect(phone.get_by_role("alert")).to_have_text(
        "The handout needs the internet. Try again when you are online.")
