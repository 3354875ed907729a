"""A routine a physio composes: it syncs to the patient's phone, plays offline, and its log syncs."""

from datetime import date

from playwright.sync_api import expect

from tests.e2e.driver import entries_here, freeze_clock, open_app, read_idb, sign_in, wait_synced

COMPOSED = {
    "name": "Calf and glute, gently",
    "items": [
        {"exercise": "calf-stretch-knee-straight", "dose": {"hold_s": 20, "sets": 1}},
        {"exercise": "glute-bridge", "dose": {"reps": 5, "sets": 2, "rest_s": 15}},
    ],
}


def share_with_physio(served, patient_token):
    """Link the patient to a new physio through the API; return the physio's token and patient id."""
    _, physio = served.register("Lee", role="physio")
    code = served.api("POST", "/care/invites", physio, json={"label": "Pat"}).json()["code"]
    assert served.api("POST", "/care/links", patient_token, json={"code": code}).status_code == 201
    [patient] = served.api("GET", "/care/patients", physio).json()
    return physio, patient["id"]


def test_a_composed_routine_plays_offline_and_its_log_reaches_the_server(served, context, page):
    email, token = served.register("Pat")
    physio, patient_id = share_with_physio(served, token)
    page.clock.install()
    open_app(page, f"{served.url}/#/signin")
    sign_in(page, email)
    wait_synced(page)

    answer = served.api("POST", f"/care/patients/{patient_id}/assignments", physio, json={
        "composed": COMPOSED, "start_date": date.today().isoformat(), "note": "Every evening."})
    assert answer.status_code == 201, answer.text
    routine = answer.json()["routine"]
    slug, steps = routine["slug"], routine["timeline"]["steps"]
    assert answer.json()["kind"] == "composed" and slug.startswith("care-")
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Sync now").click()
    page.get_by_role("link", name="Home").click()
    expect(page.locator("#routine-h + .title")).to_have_text(COMPOSED["name"])
    expect(page.get_by_text("Set by Lee")).to_be_visible()
    [assigned] = [r for r in read_idb(page, "entries") if r["entity"] == "assignment"]
    assert assigned["data"]["routine"]["timeline"]["steps"] == steps

    # From here the phone has no network: the player must need nothing but the replica.
    context.set_offline(True)
    page.get_by_role("link", name="Routines").click()
    page.get_by_role("link", name=COMPOSED["name"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPOSED["name"])
    expect(page.locator(".steps li")).to_have_count(
        sum(step["type"] in ("hold", "rep") for step in steps))
    freeze_clock(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Start now").click()  # after the stop rules
    expect(page.locator(".progress")).to_have_text(f"Step 1 of {len(steps)}")
    expect(page.locator(".step")).to_have_text(steps[0]["label"])

    page.clock.run_for(1000 * (routine["timeline"]["total_s"] + len(steps)))
    expect(page.locator(".saved .lead")).to_have_text("Routine complete. Well done.")
    [entry] = entries_here(page)
    assert entry["state"] == "queued"
    assert entry["data"]["routine"] == slug
    assert entry["data"]["completed_steps"] == entry["data"]["total_steps"] == len(steps)

    page.clock.resume()
    context.set_offline(False)
    wait_synced(page)
    [stored] = served.entries(token)
    assert stored["kind"] == "routine" and stored["routine"] == slug
    assert stored["completed_steps"] == stored["total_steps"] == len(steps)
    entries = served.api("GET", f"/care/patients/{patient_id}/entries?kind=routine", physio).json()
    assert [item["data"]["routine"] for item in entries["items"]] == [slug]
