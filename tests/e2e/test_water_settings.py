"""The water settings in the app: one sleep window for night mode and reminders, and a control
for every hydration setting the server reads, readable on small screens by day and by night."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from server import hydration, reminders
from tests.e2e.driver import mean_luminance, open_app, sign_in, wait_synced
from tests.e2e.test_reminders import STAND_IN_PUSH_SERVICE, eventually, settings_on_server

SMALL, PHONE = {"width": 360, "height": 640}, {"width": 390, "height": 844}


def signed_in_settings(served, page):
    """Sign in with reminders possible, open Settings; return the account's token."""
    served.app.config["PUSH_ALLOW_LOOPBACK"] = True  # the stand-in push service is on 127.0.0.1
    email, token = served.register()
    page.add_init_script(STAND_IN_PUSH_SERVICE)
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)
    page.get_by_role("link", name="Settings").click()
    # Home has a "Water" region too: wait for Settings to replace it.
    expect(page.get_by_role("button", name="Save water settings")).to_be_visible()
    return token


def local_clock(settings, instant):
    return datetime.fromisoformat(instant).astimezone(ZoneInfo(settings["timezone"])).strftime("%H:%M")


def test_changing_the_sleep_window_moves_the_servers_reminders(served, new_context):
    page = new_context(permissions=["notifications"], timezone_id="Europe/London").new_page()
    token = signed_in_settings(served, page)
    page.get_by_role("button", name="Turn on reminders").click()
    expect(page.get_by_role("button", name="Turn off reminders")).to_be_visible()
    first = eventually(page, lambda: settings_on_server(served, token, "hydration").get("reminders_enabled"))
    assert first and settings_on_server(served, token, "hydration")["sleep"] == "22:30"

    # Two hours of sleep is refused in the form, before anything is queued.
    page.get_by_label("Sleep starts").fill("23:00")
    page.get_by_label("Sleep ends").fill("01:00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_label("Sleep ends")).to_be_focused()
    assert page.get_by_label("Sleep ends").evaluate("(input) => input.validationMessage") == "Allow at least 3 hours of sleep."

    # Awake 11:00 to 18:00: slots at 12:30, 14:00, 15:30 and 17:00, none of them on the old
    # 07:00-22:30 grid (08:30, 10:00, 11:30, 13:00, ...), so the old window cannot pass.
    page.get_by_label("Sleep starts").fill("18:00")
    page.get_by_label("Sleep ends").fill("11:00")
    page.get_by_role("button", name="Save settings").click()
    stored = eventually(page, lambda: (s := settings_on_server(served, token, "hydration")).get("sleep") == "18:00" and s)
    assert stored and (stored["wake"], stored["timezone"]) == ("11:00", "Europe/London")
    assert stored["reminders_enabled"] is True

    settings = hydration.resolved(stored)
    grid = {"12:30", "14:00", "15:30", "17:00"}
    slots = reminders.slots(settings, reminders.waking_day(settings, date.today()))
    assert {local_clock(settings, slot.at.isoformat()) for slot in slots} == grid
    due = served.api("GET", "/hydration/today", token).json()["next_reminder_at"]
    assert local_clock(settings, due) in grid


def test_every_hydration_setting_has_a_control_that_reaches_the_server(served, page):
    token = signed_in_settings(served, page)
    water = page.get_by_role("region", name="Water")
    expect(water.get_by_role("note")).to_contain_text("Drink to your thirst")
    expect(water.get_by_role("note")).to_contain_text("swollen hands after drinking a lot is an emergency")

    water.get_by_label("My doctor limits my fluids to").fill("1000")
    water.get_by_label("Hot weather").check()
    water.get_by_label("Drink less late in the evening").check()
    water.get_by_label("From").fill("13:00")
    water.get_by_label("To", exact=True).fill("14:00")
    water.get_by_label("Daily target").select_option("30")
    water.get_by_role("button", name="Save water settings").click()
    expect(water.get_by_label("Body weight (kg)")).to_be_focused()  # a target per kg needs a weight
    water.get_by_label("Body weight (kg)").fill("82.5")
    water.get_by_role("button", name="Save water settings").click()

    stored = eventually(page, lambda: (s := settings_on_server(served, token, "hydration")).get("fluid_limit_ml") and s)
    assert {k: stored[k] for k in ("fluid_limit_ml", "hot_weather", "evening_taper", "quiet_hours",
                                   "body_weight_kg", "per_kg_ml")} == {
        "fluid_limit_ml": 1000, "hot_weather": True, "evening_taper": True,
        "quiet_hours": [{"start": "13:00", "end": "14:00"}], "body_weight_kg": 82.5, "per_kg_ml": 30}
    assert served.api("GET", "/hydration/today", token).json()["target_ml"] == 1000  # the limit, not 2975
    expect(page.get_by_text("Reminders stay off while your doctor limits your fluids")).to_be_visible()

    water = page.get_by_role("region", name="Water")
    water.get_by_role("button", name="Start a workout").click()
    expect(page.get_by_role("region", name="Water").get_by_text("Workout on until")).to_be_visible()
    workout = eventually(page, lambda: settings_on_server(served, token, "hydration").get("workout"))
    assert workout and datetime.fromisoformat(workout["ends_at"]) > datetime.fromisoformat(workout["started_at"])
    page.get_by_role("region", name="Water").get_by_role("button", name="End workout").click()
    expect(page.get_by_role("region", name="Water").get_by_role("button", name="Start a workout")).to_be_visible()
    assert eventually(page, lambda: settings_on_server(served, token, "hydration").get("workout") is None)


def test_the_water_settings_fit_small_screens_by_day_and_night(served, page, tmp_path):
    signed_in_settings(served, page)
    water = page.get_by_role("region", name="Water")
    for size, name in ((SMALL, "360x640"), (PHONE, "390x844")):
        page.set_viewport_size(size)
        for theme in ("day", "night"):
            if page.evaluate("() => document.documentElement.dataset.theme") != theme:
                page.get_by_role("button", name="Night mode").click()
            expect(page.locator("html")).to_have_attribute("data-theme", theme)
            shot = water.screenshot(path=tmp_path / f"water-{name}-{theme}.png")
            assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
            small = water.evaluate("""(card) => [...card.querySelectorAll('button, input:not([type=checkbox]), select, label.choice')]
                .filter((el) => { const r = el.getBoundingClientRect(); return r.height < 48 || r.right > innerWidth; })
                .map((el) => el.outerHTML.slice(0, 80))""")
            assert small == []
            if theme == "night":
                assert mean_luminance(page, shot) < 0.08


def test_a_fluid_limit_set_offline_caps_home_s_target_at_once(served, context, page):
    signed_in_settings(served, page)
    page.get_by_role("link", name="Home").click()
    figure = page.get_by_role("region", name="Water today").locator(".figure")
    expect(figure).to_contain_text("of ")
    before = int(figure.inner_text().split("of ")[1].split(" ml")[0])
    assert before > 900  # the server's target for today, above the limit to come

    context.set_offline(True)
    page.get_by_role("link", name="Settings").click()
    water = page.get_by_role("region", name="Water")
    water.get_by_label("My doctor limits my fluids to").fill("900")
    water.get_by_role("button", name="Save water settings").click()
    page.get_by_role("link", name="Home").click()
    # Offline, with the server's figure for today still stored: the limit wins all the same.
    expect(page.get_by_role("region", name="Water today").locator(".figure")).to_have_text("0 ml of 900 ml")
