"""Small builders for sync requests, shared by the sync tests."""

import uuid


def cramp(muscle="calf", **extra):
    return dict({"kind": "cramp", "occurred_at": "2026-11-20T23:10:00+01:00", "muscle": muscle,
                 "side": "left", "intensity": 6, "duration_s": 45, "context": "night"}, **extra)


def put(mid, key=None, data=None, base=0, entity="entry"):
    return {"id": mid, "op": "put", "entity": entity, "key": key or str(uuid.uuid4()),
            "base_version": base, "data": data if data is not None else cramp()}


def delete(mid, key, base=0, entity="entry"):
    return {"id": mid, "op": "delete", "entity": entity, "key": key, "base_version": base}


class Device:
    """One installed client talking to the API through the test client."""

    def __init__(self, client, token):
        self.client = client
        self.token = token
        self.client_id = str(uuid.uuid4())
        self.cursor = 0

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    def push(self, *mutations):
        return self.client.post("/api/v1/sync/push", headers=self.headers, json={
            "client_id": self.client_id, "schema_version": 1, "mutations": list(mutations)})

    def pull(self, cursor=None, limit=500):
        return self.client.post("/api/v1/sync/pull", headers=self.headers, json={
            "client_id": self.client_id, "cursor": self.cursor if cursor is None else cursor,
            "limit": limit})

    def pull_all(self, limit=500):
        """Pull every page from the device's cursor; return the changes."""
        changes = []
        while True:
            body = self.pull(limit=limit).get_json()
            changes.extend(body["changes"])
            self.cursor = body["cursor"]
            if not body["has_more"]:
                return changes
