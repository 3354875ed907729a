"""The sync protocol through the API: push, pull, duplicates, gaps, conflicts, tombstones."""

import datetime

import pytest

from server import sync
from server.models.diary import Entry
from server.models.sync import Client
from tests.sync_helpers import Device, cramp, delete, put


@pytest.fixture
def device(client, auth):
    _, token = auth.register()
    return Device(client, token)


def test_push_applies_in_order_with_growing_versions(device):
    response = device.push(put(1), put(2, data={"kind": "hydration", "volume_ml": 250,
                                                 "occurred_at": "2026-11-21T09:00:00Z"}))
    assert response.status_code == 200
    body = response.get_json()
    assert body["last_mutation_id"] == 2
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    assert body["results"][0]["version"] < body["results"][1]["version"]
    assert Entry.select().count() == 2


def test_push_is_idempotent(device):
    mutation = put(1)
    first = device.push(mutation).get_json()
    again = device.push(mutation).get_json()
    assert again == {"last_mutation_id": 1, "results": [{"id": 1, "status": "duplicate"}]}
    assert first["results"][0]["status"] == "applied"
    assert Entry.select().count() == 1


def test_gap_stops_with_409_and_keeps_what_came_before(device):
    response = device.push(put(1), put(3))
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "Conflict"
    assert body["last_mutation_id"] == 1
    assert Entry.select().count() == 1
    assert Client.get().last_mutation_id == 1


def test_rejected_item_counts_and_never_blocks_the_queue(device):
    bad = put(1, data=cramp(intensity=11, colour="red"))
    body = device.push(bad, put(2)).get_json()
    rejected, applied = body["results"]
    assert rejected["status"] == "rejected"
    assert set(rejected["fields"]) == {"intensity", "colour"}
    assert applied["status"] == "applied"
    assert body["last_mutation_id"] == 2


@pytest.mark.parametrize("data, field", [
    ({"kind": "cramp", "muscle": "calf"}, "occurred_at"),
    (cramp(occurred_at="2026-11-20T23:10:00"), "occurred_at"),
    (cramp(muscle="ear"), "muscle"),
    (cramp(intensity=5.5), "intensity"),
    (cramp(triggers=["bad-luck"]), "triggers"),
    ({"kind": "hydration", "occurred_at": "2026-11-20T10:00:00Z", "volume_ml": 0}, "volume_ml"),
    ({"kind": "hydration", "occurred_at": "2026-11-20T10:00:00Z", "volume_ml": 5001}, "volume_ml"),
    ({"kind": "routine", "occurred_at": "2026-11-20T10:00:00Z", "routine": "x"}, "total_steps"),
    ({"kind": "note", "occurred_at": "2026-11-20T10:00:00Z", "text": ""}, "text"),
    ({"kind": "dream", "occurred_at": "2026-11-20T10:00:00Z"}, "kind"),
])
def test_invalid_entry_data_is_rejected_with_its_field(device, data, field):
    result = device.push(put(1, data=data)).get_json()["results"][0]
    assert result["status"] == "rejected"
    assert field in result["fields"]


def test_stale_edit_is_merged_and_reported_as_conflict(client, auth):
    user, token = auth.register(email="c@example.org")
    phone, tablet = Device(client, token), Device(client, auth.login("c@example.org"))
    created = phone.push(put(1, key="k1")).get_json()["results"][0]["version"]
    phone.push(put(2, key="k1", base=created, data={"intensity": 9}))
    result = tablet.push(put(1, key="k1", base=created, data={"note": "woke me"})).get_json()
    assert result["results"][0]["status"] == "conflict"
    stored = Entry.get_by_id("k1").data
    assert stored["intensity"] == 9 and stored["note"] == "woke me"


def test_up_to_date_edit_replaces_the_entry(device):
    version = device.push(put(1, key="k2")).get_json()["results"][0]["version"]
    result = device.push(put(2, key="k2", base=version, data=cramp(muscle="foot")))
    assert result.get_json()["results"][0]["status"] == "applied"
    assert Entry.get_by_id("k2").data["muscle"] == "foot"


def test_delete_beats_a_concurrent_edit(client, auth):
    auth.register(email="d@example.org")
    phone = Device(client, auth.login("d@example.org"))
    tablet = Device(client, auth.login("d@example.org"))
    created = phone.push(put(1, key="k3")).get_json()["results"][0]["version"]
    assert tablet.push(delete(1, "k3", base=created)).get_json()["results"][0]["status"] == "applied"
    late = phone.push(put(2, key="k3", base=created, data={"intensity": 2})).get_json()
    assert late["results"][0]["status"] == "conflict"
    assert late["results"][0]["deleted"] is True
    assert Entry.get_by_id("k3").deleted


def test_pull_returns_changes_in_version_order_with_tombstones(client, auth):
    _, token = auth.register(email="e@example.org")
    phone, tablet = Device(client, token), Device(client, auth.login("e@example.org"))
    phone.push(put(1, key="a"), put(2, key="b"), delete(3, "a"))
    changes = tablet.pull_all()
    assert [(c["key"], c["deleted"]) for c in changes] == [("b", False), ("a", True)]
    assert [c["version"] for c in changes] == sorted(c["version"] for c in changes)
    assert changes[1]["data"] is None


def test_pull_pages_never_split_or_skip(client, auth):
    _, token = auth.register(email="f@example.org")
    phone, tablet = Device(client, token), Device(client, auth.login("f@example.org"))
    phone.push(*[put(i) for i in range(1, 8)])
    first = tablet.pull(limit=3).get_json()
    assert len(first["changes"]) == 3 and first["has_more"]
    tablet.cursor = first["cursor"]
    phone.push(put(8))  # written while the tablet is between pages
    rest = tablet.pull_all(limit=3)
    keys = [c["key"] for c in first["changes"] + rest]
    assert len(keys) == len(set(keys)) == 8


def test_pull_reports_last_mutation_id_for_lost_responses(device):
    device.push(put(1), put(2))
    assert device.pull().get_json()["last_mutation_id"] == 2


def test_member_sees_only_their_own_entries(client, auth):
    _, mine = auth.register()
    _, theirs = auth.register()
    Device(client, theirs).push(put(1))
    assert Device(client, mine).pull_all() == []


def test_client_id_bound_to_another_user_is_refused(client, auth):
    _, first = auth.register()
    _, second = auth.register()
    device = Device(client, first)
    device.push(put(1))
    device.token = second
    assert device.push(put(1)).status_code == 403
    assert device.pull().status_code == 403


def test_key_owned_by_someone_else_is_rejected(client, auth):
    _, first = auth.register()
    _, second = auth.register()
    Device(client, first).push(put(1, key="shared"))
    result = Device(client, second).push(put(1, key="shared")).get_json()["results"][0]
    assert result["status"] == "rejected" and "key" in result["fields"]
    assert Entry.get_by_id("shared").data["muscle"] == "calf"


def test_physio_pushes_nothing(client, auth):
    _, token = auth.register(role="physio")
    assert Device(client, token).push(put(1)).status_code == 403


def test_batch_over_the_cap_is_413(device):
    response = device.push(*[put(i) for i in range(1, 502)])
    assert response.status_code == 413
    assert Entry.select().count() == 0


@pytest.mark.parametrize("body", [
    {"client_id": "not-a-uuid", "schema_version": 1, "mutations": []},
    {"client_id": "5d1c6f1e-6c5c-4b8c-9a53-2d3f3f0f3f3f", "schema_version": 2, "mutations": []},
    {"client_id": "5d1c6f1e-6c5c-4b8c-9a53-2d3f3f0f3f3f", "schema_version": 1,
     "mutations": [{"op": "put"}]},
])
def test_malformed_push_is_422(device, body):
    response = device.client.post("/api/v1/sync/push", headers=device.headers, json=body)
    assert response.status_code == 422
    assert response.get_json()["fields"]


def test_settings_sync_like_entries(client, auth):
    _, token = auth.register(email="g@example.org")
    phone, tablet = Device(client, token), Device(client, auth.login("g@example.org"))
    result = phone.push(put(1, key="preferences", entity="settings",
                            data={"night_mode": "on", "sleep_start": "23:00"})).get_json()
    assert result["results"][0]["status"] == "applied"
    change = tablet.pull_all()[0]
    assert change["entity"] == "settings" and change["key"] == "preferences"
    assert change["data"]["night_mode"] == "on" and change["data"]["sleep_end"] == "07:00"


def test_unknown_settings_are_rejected(device):
    result = device.push(put(1, key="colours", entity="settings", data={})).get_json()
    assert result["results"][0]["status"] == "rejected"


def test_purged_tombstones_reset_stale_cursors(client, auth, app):
    _, token = auth.register(email="h@example.org")
    phone, tablet = Device(client, token), Device(client, auth.login("h@example.org"))
    phone.push(put(1, key="keep"), put(2, key="gone"))
    tablet.pull_all()
    stale = tablet.cursor
    phone.push(delete(3, "gone"))
    future = datetime.datetime.now() + datetime.timedelta(days=91)
    assert sync.purge_tombstones(90, now=future) == 1
    body = tablet.pull(cursor=stale).get_json()
    assert body["reset"] is True
    assert [c["key"] for c in body["changes"]] == ["keep"]
    # A reset client pages through its snapshot without being reset again.
    fresh = Device(client, token)
    pages = [fresh.pull(limit=1).get_json()]
    fresh.cursor = pages[0]["cursor"]
    assert fresh.pull(limit=1).get_json()["reset"] is False


def test_pulled_entry_can_be_pushed_back_with_its_assessment(client, auth):
    _, token = auth.register(email="i@example.org")
    phone, tablet = Device(client, token), Device(client, auth.login("i@example.org"))
    phone.push(put(1, key="flagged", data=cramp(red_flags=["numbness"])))
    change = tablet.pull_all()[0]
    assert change["data"]["assessment"]["flags"]
    edited = dict(change["data"], note="still numb")
    result = tablet.push(put(1, key="flagged", base=change["version"], data=edited)).get_json()
    assert result["results"][0]["status"] == "applied"
    assert "assessment" not in Entry.get_by_id("flagged").data


def night_cramps(count):
    """Night cramps every 19 hours, starting 27 days ago (recent enough for pattern rules)."""
    local = datetime.timezone(datetime.timedelta(hours=2))
    start = (datetime.datetime.now(local) - datetime.timedelta(days=27)).replace(hour=23, minute=30)
    return [cramp(occurred_at=(start + datetime.timedelta(hours=19 * i)).isoformat(),
                  intensity=(3 * i) % 11, duration_s=30 * (i % 25), context="night",
                  red_flags=["numbness"] if i % 7 == 0 else [])
            for i in range(count)]


def test_a_batch_assesses_like_single_pushes(client, auth):
    _, batched_token = auth.register()
    _, single_token = auth.register()
    entries = night_cramps(30)
    batched = Device(client, batched_token).push(
        *[put(i + 1, key=f"b{i}", data=data) for i, data in enumerate(entries)]).get_json()
    single_device = Device(client, single_token)
    singles = [single_device.push(put(i + 1, key=f"s{i}", data=data)).get_json()["results"][0]
               for i, data in enumerate(entries)]
    assert [r.get("assessment") for r in batched["results"]] == [r.get("assessment") for r in singles]
    rules = {flag["rule"] for r in singles if r.get("assessment") for flag in r["assessment"]["flags"]}
    assert {"sleep-disturbed", "numbness-swelling-skin"} <= rules


def test_edit_of_an_old_cramp_is_assessed_against_its_own_weeks(client, auth):
    _, token = auth.register()
    device = Device(client, token)
    entries = night_cramps(12)
    device.push(*[put(i + 1, key=f"k{i}", data=data) for i, data in enumerate(entries)])
    old = Entry.get_by_id("k11")
    assert old.assessment["flags"]
    late = cramp(occurred_at=datetime.datetime.now(datetime.timezone.utc).isoformat(), duration_s=700)
    result = device.push(put(13, key="new", data=late),
                         put(14, key="k11", base=old.version, data={"note": "edited"})).get_json()
    edited = result["results"][1]
    assert edited["status"] == "applied"
    assert edited.get("assessment") == old.assessment


@pytest.mark.parametrize("stored", [
    '{"kind":"cramp","note":"x"}',                  # as this app writes it
    '{"kind": "cramp", "note": "x"}  ',             # as PostgreSQL printed jsonb before 006
    '{"kind":"cramp","note":"my \\"assessment\\" of it"}',
    '{"kind":"cramp","assessment":{"level":"old"}}',  # a key the push drops, should one remain
    "{}",
])
def test_a_pulled_entry_carries_its_assessment_inside_its_data_whatever_the_stored_text(stored):
    from server import jsonio
    from server.models.diary import _with_assessment

    assessment = '{"level":"urgent","flags":[{"rule":"long-episode"}]}'
    pulled = jsonio.loads(_with_assessment(stored, assessment))
    assert pulled == dict(jsonio.loads(stored), assessment=jsonio.loads(assessment))
    assert jsonio.loads(_with_assessment(stored, None)) == jsonio.loads(stored)
