"""Builders for the care tests: people, invites, links and diaries, through the API."""

import datetime
import uuid
from dataclasses import dataclass

import pytest

from server.content.seed import seed
from server.db import db
from tests.sync_helpers import Device

API = "/api/v1"
OFFSET = datetime.timezone(datetime.timedelta(hours=1))


def ago(days, hour=20):
    """Return an ISO moment at `hour` local time, in +01:00, `days` days before today's UTC
    date (the server's today). Counting from the date in +01:00 would move every entry a day
    later from 23:00 to midnight UTC."""
    day = today() - datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, 5), OFFSET).isoformat()


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def cramp(days=1, **extra):
    return {"kind": "cramp", "occurred_at": ago(days), "muscle": "calf", "side": "left",
            "intensity": 4, "duration_s": 60, "context": "night", **extra}


def drink(days=1, volume=500):
    return {"kind": "hydration", "occurred_at": ago(days, hour=10), "volume_ml": volume,
            "drink": "water"}


def session(days=1, routine="calf-length"):
    return {"kind": "routine", "occurred_at": ago(days, hour=21), "routine": routine,
            "completed_steps": 4, "total_steps": 4, "duration_s": 300}


@dataclass
class Person:
    user: dict
    token: str
    client: object

    @property
    def id(self):
        return self.user["id"]

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path, **params):
        return self.client.get(API + path, headers=self.headers, query_string=params)

    def post(self, path, body=None):
        return self.client.post(API + path, headers=self.headers, json=body or {})

    def delete(self, path, body=None):
        return self.client.delete(API + path, headers=self.headers, json=body)

    def device(self):
        return Device(self.client, self.token)

    def log(self, *entries):
        """Push entries from a fresh device; return their keys."""
        keys = [str(uuid.uuid4()) for _ in entries]
        response = self.device().push(*[
            {"id": i + 1, "op": "put", "entity": "entry", "key": key, "base_version": 0,
             "data": data} for i, (key, data) in enumerate(zip(keys, entries))])
        assert response.status_code == 200, response.get_json()
        assert {r["status"] for r in response.get_json()["results"]} == {"applied"}
        return keys


class Clinic:
    """People and the consent between them."""

    def __init__(self, client, auth):
        self.client, self.auth = client, auth

    def person(self, name, role="member"):
        user, token = self.auth.register(display_name=name, role=role)
        return Person(user, token, self.client)

    def physio(self, name="Dr Rivera"):
        return self.person(name, "physio")

    def invite(self, physio, **body):
        response = physio.post("/care/invites", body)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["code"]

    def link(self, physio, patient):
        response = patient.post("/care/links", {"code": self.invite(physio)})
        assert response.status_code == 201, response.get_json()
        return response.get_json()


@pytest.fixture
def clinic(client, auth):
    return Clinic(client, auth)


@pytest.fixture
def seeded_catalogue(app):
    with db.connection_context():
        seed()
