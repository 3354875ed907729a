"""Installable, and dark at night."""

from playwright.sync_api import expect

from tests.e2e.driver import mean_luminance, open_app


def test_chromium_reports_no_installability_errors(served, profile_context):
    page = profile_context.pages[0]
    open_app(page, served.url)
    cdp = profile_context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []


def test_the_manifest_offers_both_shortcuts_and_a_maskable_icon(served):
    manifest = served.http.get(f"{served.url}/app.webmanifest", timeout=10).json()
    assert [s["name"] for s in manifest["shortcuts"]] == ["Cramping now", "Log a cramp"]
    assert {(i["sizes"], i["purpose"]) for i in manifest["icons"]} >= {
        ("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    assert manifest["display"] == "standalone"


def test_night_mode_is_dark(served, page):
    open_app(page, served.url)
    day = mean_luminance(page, page.screenshot())
    page.get_by_role("button", name="Night mode").click()
    expect(page.get_by_role("button", name="Night mode")).to_have_attribute("aria-pressed", "true")
    home = mean_luminance(page, page.screenshot())
    page.get_by_role("button", name="Cramping now").click()
    page.get_by_role("button", name="Calf").click()
    relief = mean_luminance(page, page.screenshot())
    assert day > 0.5
    assert home < 0.03 and relief < 0.03, (home, relief)
