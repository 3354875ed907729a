"""Content in the database and over HTTP: seeding, filters, ETags, 404s, and assessed pushes."""

import datetime
import json
import uuid

import pytest
from click.testing import CliRunner

from schemas.content import MUSCLES
from server.cli import main
from server.content import content_hash, load_catalogue
from server.content.seed import SeedError, seed
from server.db import db
from server.models.content import Exercise, Programme, Routine
from server.models.diary import Entry
from tests.sync_helpers import Device, put

CATALOGUE = load_catalogue()
API = "/api/v1/content"
ITEM_PATHS = [f"{API}/exercises/calf-stretch-knee-straight", f"{API}/routines/relief-calf",
              f"{API}/programmes/calf-cramp-8-weeks"]
LIST_PATHS = [f"{API}/exercises", f"{API}/routines", f"{API}/programmes"]


@pytest.fixture
def seeded(app):
    with db.connection_context():
        return seed()


def counts():
    return {"exercises": Exercise.select().count(), "routines": Routine.select().count(),
            "programmes": Programme.select().count()}


def sizes():
    return {name: len(CATALOGUE[name]) for name in ("exercises", "routines", "programmes")}


def write_catalogue(directory, **changes):
    """Write the real catalogue to a directory with some files replaced."""
    for name in ("exercises", "routines", "programmes", "pages", "redflags"):
        data = changes.get(name, CATALOGUE[name])
        (directory / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return directory


def test_seed_creates_every_item(seeded):
    assert {name: c["created"] for name, c in seeded.items()} == sizes()
    with db.connection_context():
        assert counts() == sizes()


def test_seeding_again_changes_nothing(seeded):
    with db.connection_context():
        before = {row.slug: row.updated_at for row in Exercise.select()}
        again = seed()
        assert counts() == sizes()
        assert {row.slug: row.updated_at for row in Exercise.select()} == before
    assert {name: c["unchanged"] for name, c in again.items()} == sizes()
    assert all(c["created"] == c["updated"] == c["removed"] == 0 for c in again.values())


def test_seeding_changed_files_updates_and_removes_without_duplicates(seeded, tmp_path):
    exercises = [dict(CATALOGUE["exercises"][0], name="Renamed"), *CATALOGUE["exercises"][1:]]
    programmes = CATALOGUE["programmes"][1:]
    with db.connection_context():
        result = seed(write_catalogue(tmp_path, exercises=exercises, programmes=programmes))
        assert Exercise.by_slug(exercises[0]["slug"]).get().data["name"] == "Renamed"
        assert counts() == dict(sizes(), programmes=len(programmes))
    assert result["exercises"]["updated"] == 1
    assert result["programmes"]["removed"] == 1


def test_seed_leaves_other_sources_alone_and_refuses_a_clash(seeded):
    with db.connection_context():
        Routine.create(slug="my-own", data={}, etag="x", source="physio")
        seed()
        assert Routine.by_slug("my-own").get().source == "physio"
        Routine.update(source="physio").where(Routine.slug == "relief-calf").execute()
        with pytest.raises(SeedError):
            seed()


def test_unknot_seed_command_is_idempotent(app, database_url):
    runner = CliRunner()
    first = runner.invoke(main, ["seed"], env={"UNKNOT_DATABASE_URL": database_url})
    second = runner.invoke(main, ["seed"], env={"UNKNOT_DATABASE_URL": database_url})
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert f"exercises: {sizes()['exercises']} new" in first.output
    assert f"exercises: 0 new, 0 updated, {sizes()['exercises']} unchanged" in second.output
    with db.connection_context():
        assert counts() == sizes()


def get(client, path, **headers):
    return client.get(path, headers=headers)


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path, size", [(f"{API}/exercises", "exercises"), (f"{API}/routines", "routines"),
                                        (f"{API}/programmes", "programmes")])
def test_lists_answer_every_item_in_catalogue_order(client, path, size):
    response = get(client, path)
    assert response.status_code == 200
    assert [item["slug"] for item in response.get_json()["items"]] == [
        item["slug"] for item in CATALOGUE[size]]


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("query, check", [
    ("muscle=calf", lambda item: "calf" in item["muscles"]),
    ("kind=stretch", lambda item: item["kind"] == "stretch"),
    ("muscle=glute&kind=strength", lambda item: "glute" in item["muscles"] and item["kind"] == "strength"),
])
def test_exercise_filters(client, query, check):
    items = get(client, f"{API}/exercises?{query}").get_json()["items"]
    expected = [item["slug"] for item in CATALOGUE["exercises"] if check(item)]
    assert expected and [item["slug"] for item in items] == expected


@pytest.mark.usefixtures("seeded")
def test_routine_filters_find_relief_for_every_muscle(client):
    items = get(client, f"{API}/routines?kind=relief").get_json()["items"]
    assert sorted(item["slug"] for item in items) == sorted(f"relief-{m}" for m in MUSCLES)
    hand = get(client, f"{API}/routines?kind=relief&muscle=hand").get_json()["items"]
    assert {item["slug"] for item in hand} == {"relief-hand", "relief-forearm"}


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("query, field", [
    ("exercises?muscle=elbow", "muscle"),
    ("exercises?kind=relief-ish", "kind"),
    ("routines?kind=stretch", "kind"),
    ("routines?colour=red", "colour"),
])
def test_bad_filters_answer_422_in_the_envelope(client, query, field):
    response = get(client, f"{API}/{query}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "Unprocessable Entity" and field in body["fields"]


@pytest.mark.usefixtures("seeded")
def test_routine_answers_with_its_timeline(client):
    body = get(client, f"{API}/routines/relief-calf").get_json()
    assert body["slug"] == "relief-calf" and body["items"][0]["exercise"] == "calf-stretch-seated"
    first = body["timeline"]["steps"][0]
    assert (first["type"], first["until_release"], first["target_s"], first["duration_s"]) == (
        "hold", True, 30, 30)
    assert body["timeline"]["total_s"] == sum(s["duration_s"] for s in body["timeline"]["steps"])


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path", ITEM_PATHS + LIST_PATHS + [f"{API}/routines?kind=relief", f"{API}/pages",
                                                  f"{API}/redflags"])
def test_etag_and_if_none_match(client, path):
    first = get(client, path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    for match in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = get(client, path, **{"If-None-Match": match})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == etag
    assert get(client, path, **{"If-None-Match": '"other"'}).status_code == 200


def test_pages_answer_the_about_page_and_the_stop_rules_with_their_sources(client):
    response = get(client, f"{API}/pages")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, no-cache"
    pages = response.get_json()["items"]
    assert pages == CATALOGUE["pages"]
    assert [page["slug"] for page in pages] == ["about-cramps", "stop-rules"]
    assert all(section["sources"] for page in pages for section in page["sections"])


def test_redflags_answer_the_rules_the_server_judges_by_without_clinical_notes(client):
    response = get(client, f"{API}/redflags")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, no-cache"
    body = response.get_json()
    rules = CATALOGUE["redflags"]
    assert body["history_days"] == 28
    assert [(r["id"], r["level"], r["message"], r["when"]) for r in body["rules"]] == [
        (r["id"], r["level"], r["message"], r["when"]) for r in rules]
    # The clinician's concern and the sources stay on the server.
    assert all(set(rule) == {"id", "level", "message", "when"} for rule in body["rules"])
    # The version names this set of rules: any change to one of them changes it.
    assert body["version"] == content_hash(body["rules"])


def test_etag_follows_the_content(client, seeded, tmp_path):
    before = get(client, ITEM_PATHS[1]).headers["ETag"]
    exercises = [dict(e, name="Renamed") if e["slug"] == "calf-stretch-seated" else e
                 for e in CATALOGUE["exercises"]]
    with db.connection_context():
        seed(write_catalogue(tmp_path, exercises=exercises))
    response = get(client, ITEM_PATHS[1], **{"If-None-Match": before})
    assert response.status_code == 200 and response.headers["ETag"] != before


@pytest.mark.usefixtures("seeded")
@pytest.mark.parametrize("path", [f"{API}/exercises/nope", f"{API}/routines/nope",
                                  f"{API}/programmes/nope"])
def test_unknown_slug_is_404_in_the_envelope(client, path):
    response = get(client, path)
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"] == "Not Found" and "check the address" in body["message"]


def test_content_is_in_the_swagger_document(client):
    document = get(client, "/api/v1/swagger.json").get_json()
    assert {"Exercise", "RoutineDetail", "Programme", "ExerciseList"} <= set(document["definitions"])
    assert {"/content/exercises", "/content/routines/{slug}", "/content/programmes/{slug}"} <= set(
        document["paths"])


def ago(**delta):
    """Return an ISO time with offset, this long before now."""
    moment = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=1))) - datetime.timedelta(**delta)
    return moment.isoformat(timespec="seconds")


def cramp(**fields):
    return dict({"kind": "cramp", "occurred_at": ago(hours=1), "muscle": "calf", "side": "left",
                 "intensity": 5, "duration_s": 60, "context": "rest"}, **fields)


@pytest.fixture
def device(client, auth):
    _, token = auth.register()
    return Device(client, token)


def test_push_returns_stores_and_pulls_the_assessment(device):
    result = device.push(put(1, key="k1", data=cramp(red_flags=["chest_pain"]))).get_json()["results"][0]
    assert result["status"] == "applied"
    assert result["assessment"]["level"] == "urgent"
    assert [flag["rule"] for flag in result["assessment"]["flags"]] == ["chest-pain"]
    with db.connection_context():
        assert Entry.get_by_id("k1").assessment == result["assessment"]
    change = device.pull_all()[0]
    assert change["data"]["assessment"] == result["assessment"]


def test_nothing_flagged_means_no_assessment(device):
    hydration = {"kind": "hydration", "occurred_at": ago(hours=1), "volume_ml": 250}
    results = device.push(put(1, key="k1", data=cramp()), put(2, data=hydration)).get_json()["results"]
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert "assessment" not in results[0] and "assessment" not in results[1]
    with db.connection_context():
        assert Entry.get_by_id("k1").assessment is None
    assert all("assessment" not in change["data"] for change in device.pull_all())


def test_assessment_reads_the_persons_recent_cramps(device, auth, client):
    nights = [cramp(context="night", occurred_at=ago(days=d, hours=2)) for d in (2, 1, 0)]
    results = device.push(*(put(i + 1, data=data) for i, data in enumerate(nights))).get_json()["results"]
    assert [r.get("assessment", {}).get("level") for r in results] == [None, None, "see_doctor"]
    assert results[2]["assessment"]["flags"][0]["rule"] == "sleep-disturbed"
    _, other_token = auth.register()
    other = Device(client, other_token)
    alone = other.push(put(1, data=nights[2])).get_json()["results"][0]
    assert alone["status"] == "applied" and "assessment" not in alone


def test_an_edit_is_not_counted_twice(device):
    severe = dict(intensity=8, duration_s=300)
    first, second = cramp(occurred_at=ago(days=2), **severe), cramp(occurred_at=ago(days=1), **severe)
    device.push(put(1, data=first), put(2, key="k2", data=second))
    edited = device.push(put(3, key="k2", data=dict(second, note="edited"), base=0)).get_json()
    assert edited["results"][0]["status"] == "conflict" and "assessment" not in edited["results"][0]
    third = device.push(put(4, data=cramp(**severe))).get_json()["results"][0]
    assert "frequent-long-intense" in {f["rule"] for f in third["assessment"]["flags"]}


def test_deleted_cramps_do_not_count(device):
    nights = [cramp(context="night", occurred_at=ago(days=d, hours=2)) for d in (1, 2)]
    key = str(uuid.uuid4())
    device.push(put(1, key=key, data=nights[0]), put(2, data=nights[1]),
                {"id": 3, "op": "delete", "entity": "entry", "key": key, "base_version": 0})
    result = device.push(put(4, data=cramp(context="night", occurred_at=ago(hours=2)))).get_json()
    assert "assessment" not in result["results"][0]
