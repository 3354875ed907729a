"""Rate limits count once per deployment, hold up only the guesser, and say when to come back."""

import math
import os

import pytest
import requests

from server import create_app
from tests.care_helpers import Clinic
from tests.conftest import Auth
from tests.test_serve import migrated, serving  # noqa: F401 (a fixture)

REDIS_URL = os.environ.get("UNKNOT_TEST_REDIS_URL")
STORAGES = ["memory://"] + ([REDIS_URL] if REDIS_URL else [])
WRONG = {"code": "ZZZZZ-ZZZZZ"}
LOGIN = {"email": "nobody@example.org", "password": "wrong password"}


@pytest.fixture(params=STORAGES)
def storage(request):
    """Each rate-limit storage, starting empty (Redis: only the database the URL names)."""
    if request.param.startswith("redis"):
        import redis

        redis.Redis.from_url(request.param).flushdb()
    return request.param


@pytest.fixture
def limited(app, database_url, tmp_path, storage):
    """Return a function that builds a test client with rate limits on."""
    def build(**limits):
        app = create_app({"DATABASE_URL": database_url, "VAR_DIR": str(tmp_path),
                          "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE": storage,
                          "RATELIMIT_AUTH": "100 per minute", **limits})
        return app.test_client()
    return build


@pytest.fixture
def clinic(limited):
    client = limited(RATELIMIT_INVITE="3 per hour", RATELIMIT_INVITE_ADDRESS="5 per hour")
    return Clinic(client, Auth(client))


def test_a_429_names_the_limit_and_when_to_come_back(limited):
    client = limited(RATELIMIT_AUTH="3 per minute")
    codes = [client.post("/api/v1/auth/login", json=LOGIN).status_code for _ in range(3)]
    refused = client.post("/api/v1/auth/login", json=LOGIN)
    assert codes == [401, 401, 401] and refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert refused.get_json() == {
        "error": "Too Many Requests",
        "message": "Too many attempts: at most 3 a minute; try again in "
                   + {1: "1 second", 60: "1 minute"}.get(wait, f"{wait} seconds") + "."}


def test_an_hourly_limit_says_so(clinic):
    guesser = clinic.person("Guesser")
    for _ in range(3):
        assert guesser.post("/care/invites/preview", WRONG).status_code == 404
    refused = guesser.post("/care/invites/preview", WRONG)
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 60 < wait <= 3600
    assert refused.get_json()["message"] == (
        "Too many attempts: at most 3 an hour; try again in "
        + ("1 hour" if wait > 3540 else f"{math.ceil(wait / 60)} minutes") + ".")


def test_a_guesser_holds_up_only_their_own_account(clinic):
    physio = clinic.physio()
    guesser, patient = clinic.person("Guesser"), clinic.person("Maria")
    code = clinic.invite(physio)
    for path in ("/care/invites/preview", "/care/links", "/care/invites/preview"):
        assert guesser.post(path, WRONG).status_code == 404
    # The guesser is over their limit, with the right code too, on preview and accept alike.
    assert guesser.post("/care/invites/preview", {"code": code}).status_code == 429
    assert guesser.post("/care/links", {"code": code}).status_code == 429
    # The patient behind the same address is not.
    assert patient.post("/care/invites/preview", {"code": code}).status_code == 200
    assert patient.post("/care/links", {"code": code}).status_code == 201
    assert [p["id"] for p in physio.get("/care/patients").get_json()] == [patient.id]


def test_right_codes_never_count(clinic):
    physio, patient = clinic.physio(), clinic.person("Maria")
    code = clinic.invite(physio)
    for _ in range(2):
        assert patient.post("/care/invites/preview", WRONG).status_code == 404
    for _ in range(5):
        assert patient.post("/care/invites/preview", {"code": code}).status_code == 200
    assert patient.post("/care/links", {"code": code}).status_code == 201


def test_an_address_has_a_ceiling_across_accounts(clinic):
    physio = clinic.physio()
    code = clinic.invite(physio)
    first, second, third = (clinic.person(name) for name in ("A", "B", "C"))
    for _ in range(3):
        assert first.post("/care/invites/preview", WRONG).status_code == 404
    for _ in range(2):
        assert second.post("/care/links", WRONG).status_code == 404
    # Five wrong codes from one address: every account behind it waits, as bulk guessing would.
    assert third.post("/care/invites/preview", WRONG).status_code == 429
    assert third.post("/care/links", {"code": code}).status_code == 429


def test_unknot_run_counts_every_connection_once(migrated, storage):
    # Limits in memory: `unknot run` as it starts by default, one process. In Redis: two
    # processes sharing it. Either way 11 wrong logins over 11 connections meet one count.
    env, args = dict(migrated, UNKNOT_RATELIMIT_STORAGE=storage), ()
    if storage.startswith("redis"):
        args = ("--workers", "2")
    with serving(env, *args) as base:
        codes = [requests.post(f"{base}/auth/login", json=LOGIN, timeout=30).status_code
                 for _ in range(11)]
    assert codes == [401] * 10 + [429]


@pytest.mark.parametrize("hops, separate", [(0, False), (1, True)])
def test_addresses_behind_a_trusted_proxy_are_counted_apart(limited, hops, separate):
    client = limited(RATELIMIT_AUTH="2 per minute", PROXY_HOPS=hops)

    def login(address):
        return client.post("/api/v1/auth/login", json=LOGIN,
                           headers={"X-Forwarded-For": address}).status_code

    assert [login("203.0.113.7") for _ in range(3)] == [401, 401, 429]
    # Another person behind the same proxy: counted apart only when the proxy is trusted;
    # without one, the header is the client's own claim and changes nothing.
    assert login("198.51.100.9") == (401 if separate else 429)
