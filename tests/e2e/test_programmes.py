"""A programme without a physiotherapist: started from its page, scheduled on the home screen
by week and phase, on the person's other device too, and stopped after one more question."""

import pytest
from playwright.sync_api import expect

from tests.e2e.driver import SIZES, fits, open_at, shoot, sign_in, signed_in, wait_synced

PROGRAMME = "Recurrent calf cramps: 8 weeks"


def test_a_person_starts_a_programme_alone_and_both_devices_schedule_it(served, new_context):
    email, token = served.register("Maria")
    phone = signed_in(served, new_context(), email)
    phone.get_by_role("link", name="Routines").click()
    programmes = phone.get_by_role("heading", name="Programmes", exact=True).locator("xpath=..")
    calf = programmes.get_by_role("link", name=PROGRAMME)
    expect(calf).to_be_visible()
    assert calf.inner_text().count("8 weeks") == 1  # the name says it; the card does not repeat it
    calf.click()
    phone.get_by_role("button", name="Start this programme today").click()
    expect(phone.get_by_text("You started it on")).to_be_visible()
    expect(phone.get_by_text("Week 1 of 8:")).to_be_visible()

    phone.get_by_role("link", name="Home").click()
    card = phone.get_by_role("region", name="Today's routine")
    expect(card).to_contain_text("Your programme, week 1 of 8")
    tablet = signed_in(served, new_context(), email)
    expect(tablet.get_by_role("region", name="Today's routine")).to_contain_text("Your programme, week 1 of 8")

    tablet.get_by_role("link", name="Routines").click()
    tablet.get_by_role("heading", name="Your programme").locator("xpath=..").get_by_role("link", name=PROGRAMME).click()
    tablet.get_by_role("button", name="Stop the programme").click()
    tablet.get_by_role("button", name="Keep going").click()
    tablet.get_by_role("button", name="Stop the programme").click()
    tablet.get_by_role("button", name="Stop the programme").click()
    expect(tablet.get_by_role("heading", name="Your programme")).to_have_count(0)
    wait_synced(tablet)
    phone.reload()
    expect(phone.get_by_role("region", name="Today's routine")).not_to_contain_text("Your programme")


@pytest.mark.parametrize("width, height", SIZES)
@pytest.mark.parametrize("night", [False, True], ids=["day", "night"])
def test_a_programme_page_fits_a_phone(served, new_context, width, height, night):
    email, _ = served.register("Maria")
    page = open_at(new_context(), f"{served.url}/#/signin", width, height, night)
    sign_in(page, email)
    page.get_by_role("link", name="Routines").click()
    page.get_by_role("link", name=PROGRAMME).click()
    page.get_by_role("button", name="Start this programme today").click()
    expect(page.get_by_text("You started it on")).to_be_visible()
    assert fits(page)
    shoot(page, f"programme-{'night' if night else 'day'}")
