"""The API's browsable docs run under the headers every answer carries."""

from playwright.sync_api import expect


def test_the_docs_page_renders_every_namespace_in_chromium(served, page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    response = page.goto(f"{served.url}/api/v1/docs")
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"
    expect(page.locator(".opblock-tag")).to_have_count(8)
    page.locator(".opblock-tag", has_text="sync").click()
    expect(page.get_by_text("/sync/push")).to_be_visible()
    assert errors == []
