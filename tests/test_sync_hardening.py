"""No value a client sends can stick its queue: what a database cannot hold is rejected per item.

Bodies go through the HTTP API as raw JSON text written by the standard library, which, like a
browser, writes a lone surrogate as its escape ("\\ud800").
"""

import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from schemas.entries import ENTRY_SCHEMAS
from schemas.settings import SETTINGS_SCHEMAS
from server.db import db
from server.models.diary import Entry, Setting
from tests.edges import BIG, INTEGERS, MOMENTS, TEXTS, VALUES
from tests.sync_helpers import Device, cramp, put

WORKOUT = {"started_at": "2026-11-20T18:00:00+01:00", "ends_at": "2026-11-20T19:00:00+01:00"}


def send(device, *mutations):
    """Push raw JSON text, as a browser writes it."""
    body = json.dumps({"client_id": device.client_id, "schema_version": 1,
                       "mutations": list(mutations)})
    return device.client.post("/api/v1/sync/push", headers=device.headers, data=body,
                              content_type="application/json")


@pytest.fixture
def device(client, auth):
    return Device(client, auth.register()[1])


def stored():
    with db.connection_context():
        return Entry.select().count() + Setting.select().count()


REJECTED = [
    ("occurred_at", put(1, data=cramp(occurred_at="0001-01-01T00:00:00+14:00"))),
    ("occurred_at", put(1, data=cramp(occurred_at="9999-12-31T23:59:59-14:00"))),
    ("occurred_at", put(1, data=cramp(occurred_at="1899-12-31T23:59:59Z"))),
    ("occurred_at", put(1, data=cramp(occurred_at="3000-01-01T00:00:00Z"))),
    ("note", put(1, data=cramp(note="pasted\u0000text"))),
    ("note", put(1, data=cramp(note="cut emoji \ud83d"))),
    ("note", put(1, data=cramp(note="\udc00"))),
    ("text", put(1, data={"kind": "note", "occurred_at": "2026-11-20T10:00:00Z", "text": "\x00"})),
    ("routine", put(1, data={"kind": "routine", "occurred_at": "2026-11-20T10:00:00Z",
                             "routine": "calf\x00", "completed_steps": 1, "total_steps": 2})),
    ("key", put(1, key="\u0000x")),
    ("key", put(1, key="\ud800")),
    ("key", put(1, key="\x00", entity="settings", data={})),
    ("last_muscle", put(1, "preferences", {"last_muscle": "calf\x00"}, entity="settings")),
    ("workout", put(1, "hydration", {"workout": {"started_at": "0001-01-01T00:00:00+14:00",
                                                 "ends_at": "0001-01-01T01:00:00+14:00"}},
                    entity="settings")),
    ("workout", put(1, "hydration", {"workout": dict(WORKOUT, ends_at="\x00")}, entity="settings")),
    ("\ud800", put(1, data=dict(cramp(), **{"\ud800": 1}))),
    ("\x00", put(1, "preferences", {"\x00": 1}, entity="settings")),
    ("base_version", put(1, base=BIG)),
    ("duration_s", put(1, data=cramp(duration_s=BIG))),
    ("intensity", put(1, data=cramp(intensity=-BIG - 1))),
    ("volume_ml", put(1, data={"kind": "hydration", "occurred_at": "2026-11-20T10:00:00Z",
                               "volume_ml": BIG})),
    ("completed_steps", put(1, data={"kind": "routine", "occurred_at": "2026-11-20T10:00:00Z",
                                     "routine": "calf", "completed_steps": BIG,
                                     "total_steps": 2})),
    ("kind", put(1, data=dict(cramp(), kind=["cramp"]))),
    ("kind", put(1, data=dict(cramp(), kind={"cramp": 1}))),
    ("kind", put(1, data=dict(cramp(), kind=None))),
    ("drink_ml", put(1, "preferences", {"drink_ml": BIG}, entity="settings")),
    ("interval_min", put(1, "hydration", {"interval_min": -BIG}, entity="settings")),
]


@pytest.mark.parametrize("field, mutation", REJECTED)
def test_what_a_database_cannot_hold_is_rejected_and_the_queue_moves_on(device, field, mutation):
    response = send(device, mutation)
    assert response.status_code == 200, response.get_json()
    [result] = response.get_json()["results"]
    assert result["status"] == "rejected"
    assert field in result["fields"]
    assert stored() == 0
    follow = send(device, put(2))
    assert follow.status_code == 200
    assert follow.get_json()["results"][0]["status"] == "applied"


@pytest.mark.parametrize("moment", ["1900-01-01T00:00:00Z", "1900-01-01T00:00:00-14:00",
                                    "2999-12-31T23:59:59Z", "2999-12-31T23:59:59+14:00"])
def test_the_calendar_ends_are_stored(device, moment):
    response = send(device, put(1, "k", cramp(occurred_at=moment, note="😀 fine")))
    assert response.get_json()["results"][0]["status"] == "applied"
    with db.connection_context():
        assert Entry.get_by_id("k").data["occurred_at"] == moment.replace("Z", "+00:00")


@pytest.mark.parametrize("mutation", [put(BIG), put(-BIG), put(2 ** 64), put(10 ** 30)])
def test_an_id_no_database_holds_is_a_malformed_push(device, mutation):
    response = send(device, mutation)
    assert response.status_code == 422
    assert set(response.get_json()) == {"error", "message", "fields"}
    assert "mutations" in response.get_json()["fields"]


@pytest.mark.parametrize("body", [{"cursor": BIG}, {"cursor": -1}, {"limit": BIG},
                                  {"cursor": 10 ** 30}])
def test_a_pull_with_numbers_no_database_holds_is_malformed(device, body):
    response = device.client.post("/api/v1/sync/pull", headers=device.headers,
                                  data=json.dumps(dict({"client_id": device.client_id}, **body)),
                                  content_type="application/json")
    assert response.status_code == 422
    assert list(response.get_json()["fields"]) == list(body)


def test_a_lone_surrogate_outside_the_mutations_is_a_malformed_push(device):
    body = {"client_id": device.client_id, "schema_version": 1, "mutations": [], "\ud800": 1}
    response = device.client.post("/api/v1/sync/push", headers=device.headers,
                                  data=json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert json.loads(response.get_data(as_text=True))["fields"] == {"\ud800": ["Unknown field."]}


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, '{"a": NaN}', '"\\ud800" x',
                                  '["\\ud800", ' + "[" * 5000 + "]" * 5001,
                                  '["\\ud800", NaN]'])
def test_what_is_not_json_stays_a_bad_request(device, text):
    response = device.client.post("/api/v1/sync/push", headers=device.headers, data=text,
                                  content_type="application/json")
    assert response.status_code == 400


GOOD = {
    "cramp": cramp(),
    "hydration": {"kind": "hydration", "occurred_at": "2026-11-20T10:00:00Z", "volume_ml": 250},
    "routine": {"kind": "routine", "occurred_at": "2026-11-20T10:00:00Z", "routine": "calf",
                "completed_steps": 1, "total_steps": 2},
    "note": {"kind": "note", "occurred_at": "2026-11-20T10:00:00Z", "text": "hi"},
    "preferences": {},
    "profile": {"pregnant": True, "medicines": ["statin"], "medicine_started_on": "2026-11-01"},
    "hydration_settings": {"workout": WORKOUT},
    "experiment": {"habit": "evening-taper", "started_on": "2026-11-02", "block_days": 14,
                   "blocks": ["without", "with"], "remind": False, "stopped_on": "2026-11-20"},
}


def edge_value(name):
    """A value at the edges for a field, of the field's own kind or of any kind."""
    if name in ("occurred_at", "started_at", "ends_at"):
        return st.one_of(MOMENTS, VALUES)
    return VALUES


@st.composite
def mutations(draw):
    """A put or delete whose data is a valid document with a few fields set to edge values."""
    entity = draw(st.sampled_from(["entry", "settings"]))
    if entity == "entry":
        kind = draw(st.sampled_from(sorted(ENTRY_SCHEMAS)))
        data, names = dict(GOOD[kind]), sorted(ENTRY_SCHEMAS[kind].fields)
        key = draw(st.one_of(st.uuids().map(str), TEXTS))
    else:
        key = draw(st.sampled_from(sorted(SETTINGS_SCHEMAS)))
        data = dict(GOOD["hydration_settings" if key == "hydration" else key])
        names = sorted(SETTINGS_SCHEMAS[key].fields)
    for name in draw(st.lists(st.sampled_from(names + ["workout.started_at", "unknown"]),
                              max_size=3)):
        if name == "workout.started_at":
            data["workout"] = dict(WORKOUT, started_at=draw(edge_value("started_at")))
        else:
            data[name] = draw(edge_value(name))
    mutation = {"id": 1, "op": draw(st.sampled_from(["put", "put", "delete"])), "entity": entity,
                "key": key, "base_version": draw(st.one_of(st.just(0), INTEGERS)), "data": data}
    if draw(st.booleans()):
        mutation[draw(st.sampled_from(["data", "base_version", "key"]))] = draw(VALUES)
    return mutation


def test_no_value_can_make_a_push_fail_or_stick_the_queue(client, auth):
    token = auth.register()[1]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(mutations())
    def push_then_follow(mutation):
        device = Device(client, token)
        response = send(device, mutation)
        assert response.status_code == 200, response.get_data(as_text=True)
        [result] = response.get_json()["results"]
        assert result["status"] in ("applied", "conflict", "rejected")
        follow = send(device, put(2))
        assert follow.status_code == 200
        assert follow.get_json()["results"][0]["status"] == "applied"
        pulled = device.pull()
        assert pulled.status_code == 200
    push_then_follow()
