"""Accounts: register, login, logout, /me, tokens and rate limits."""

import datetime
import os
import sqlite3

import pytest
from argon2 import PasswordHasher

from server import accounts, create_app
from server.models.accounts import Token, User


def test_register_returns_user_and_token(client):
    response = client.post("/api/v1/auth/register", json={
        "email": "Ana@Example.org", "password": "long enough pw", "display_name": "Ana"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"]["email"] == "ana@example.org"
    assert body["user"]["role"] == "member"
    assert "password" not in body["user"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.get_json()["display_name"] == "Ana"


class ProbingHasher(PasswordHasher):
    """The real hasher, which first tries to take SQLite's write lock from another connection."""

    def __init__(self, path):
        super().__init__()
        self.path, self.lock_was_free = path, []

    def hash(self, password, **kwargs):
        other = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            self.lock_was_free.append(True)
        except sqlite3.OperationalError:
            self.lock_was_free.append(False)
        finally:
            other.close()
        return super().hash(password, **kwargs)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_register_hashes_the_password_without_holding_the_write_lock(client, database_url,
                                                                     monkeypatch):
    # argon2 takes long; holding SQLite's one write lock meanwhile made other pushes wait.
    hasher = ProbingHasher(database_url.removeprefix("sqlite:///"))
    monkeypatch.setattr(accounts, "_hasher", hasher)
    response = client.post("/api/v1/auth/register", json={
        "email": "ana@example.org", "password": "long enough pw", "display_name": "Ana"})
    assert response.status_code == 201
    assert hasher.lock_was_free == [True]
    assert User.get(User.email == "ana@example.org").password_hash.startswith("$argon2")


def test_password_and_token_are_stored_only_as_hashes(client, auth):
    user, token = auth.register(password="a secret phrase")
    row = User.get_by_id(user["id"])
    assert row.password_hash.startswith("$argon2")
    assert "a secret phrase" not in row.password_hash
    assert not Token.select().where(Token.token_hash == token).exists()


def test_register_refuses_a_taken_email(client, auth):
    auth.register(email="taken@example.org")
    response = client.post("/api/v1/auth/register", json={
        "email": "TAKEN@example.org", "password": "long enough pw", "display_name": "B"})
    assert response.status_code == 409
    assert response.get_json()["error"] == "Conflict"


@pytest.mark.parametrize("body, field", [
    ({"password": "long enough pw", "display_name": "A"}, "email"),
    ({"email": "not-an-email", "password": "long enough pw", "display_name": "A"}, "email"),
    ({"email": "a@example.org", "password": "short", "display_name": "A"}, "password"),
    ({"email": "a@example.org", "password": "long enough pw", "display_name": "A",
      "role": "admin"}, "role"),
    ({"email": "a@example.org", "password": "long enough pw", "display_name": "A",
      "extra": 1}, "extra"),
])
def test_register_rejects_bad_fields(client, body, field):
    response = client.post("/api/v1/auth/register", json=body)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_login_issues_a_token_per_device(client, auth):
    user, first = auth.register(email="two@example.org")
    second = auth.login("two@example.org", device_name="tablet")
    assert first != second
    assert Token.select().where(Token.user == user["id"]).count() == 2


@pytest.mark.parametrize("email, password", [
    ("two@example.org", "wrong password"),
    ("nobody@example.org", "correct horse battery"),
])
def test_login_refuses_wrong_credentials_alike(client, auth, email, password):
    auth.register(email="two@example.org")
    response = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert response.status_code == 401
    assert response.get_json()["message"] == "Email or password is wrong."


def test_logout_revokes_only_the_calling_token(client, auth):
    user, phone = auth.register(email="three@example.org")
    tablet = auth.login("three@example.org", device_name="tablet")
    assert client.post("/api/v1/auth/logout", headers=auth.headers(phone)).status_code == 204
    assert client.get("/api/v1/me", headers=auth.headers(phone)).status_code == 401
    assert client.get("/api/v1/me", headers=auth.headers(tablet)).status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nonsense", "Basic abc"])
def test_me_needs_a_live_token(client, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert set(response.get_json()) == {"error", "message"}


def test_expired_token_is_refused(client, auth):
    _, token = auth.register()
    Token.update(expires_at=datetime.datetime(2000, 1, 1)).execute()
    assert client.get("/api/v1/me", headers=auth.headers(token)).status_code == 401


def test_use_slides_the_expiry(client, auth):
    _, token = auth.register()
    stale = datetime.datetime.now() - datetime.timedelta(days=1)
    Token.update(last_used_at=stale, expires_at=stale + datetime.timedelta(days=2)).execute()
    client.get("/api/v1/me", headers=auth.headers(token))
    row = Token.get()
    assert row.expires_at > stale + datetime.timedelta(days=29)


STORAGES = ["memory://"] + ([os.environ["UNKNOT_TEST_REDIS_URL"]]
                            if os.environ.get("UNKNOT_TEST_REDIS_URL") else [])


@pytest.mark.parametrize("storage", STORAGES)
def test_login_is_rate_limited(app, database_url, tmp_path, storage):
    if storage.startswith("redis"):
        import redis
        redis.Redis.from_url(storage).flushdb()
    app = create_app({"DATABASE_URL": database_url, "RATELIMIT_ENABLED": True,
                      "RATELIMIT_STORAGE": storage,
                      "RATELIMIT_AUTH": "3 per minute", "VAR_DIR": str(tmp_path)})
    client = app.test_client()
    body = {"email": "x@example.org", "password": "wrong password"}
    codes = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert client.post("/api/v1/auth/login", json=body).get_json()["error"] == "Too Many Requests"
