"""The sync engine: push applies a client's mutations exactly once; pull returns what changed.

No Flask here: the API, the tests and the benchmarks all call these functions directly.
The protocol is DESIGN.md's "sync protocol (v1)"; the README explains the decisions it leaves open.
"""

import datetime

from marshmallow import ValidationError

from schemas.entries import load_entry
from schemas.settings import load_settings
from schemas.sync import mutation_schema
from server import redflags
from server.db import db, is_postgres, read_snapshot
from server.errors import Conflict, Forbidden, TooLarge
from server.models.accounts import utcnow
from server.models.care import Assignment, Comment
from server.models.diary import Entry, Setting
from server.models.sync import Client, Counter, ServerState, next_version

# Every model a member pulls; each gives visible_to(user) and to_change().
PULLED = (Entry, Setting, Comment, Assignment)
HORIZON = "tombstone_horizon"


def _client(user, client_id, lock=False):
    """Return the client row, creating it bound to the user; refuse one bound to someone else."""
    client_id = str(client_id)
    query = Client.select().where(Client.client_id == client_id)
    if lock and is_postgres():
        query = query.for_update()
    client = query.first()
    if client is None:
        with db.atomic():
            Client.insert(client_id=client_id, user=user).on_conflict_ignore().execute()
        client = query.get()
    if client.user_id != user.id:
        raise Forbidden("This client id belongs to another account; sign out and back in on this device.")
    return client


def _check_ids(mutations, max_batch):
    """Refuse a batch that is too big or whose items carry no usable id."""
    if not isinstance(mutations, list):
        raise ValidationError({"mutations": ["Must be a list."]})
    if len(mutations) > max_batch:
        raise TooLarge(f"Send at most {max_batch} mutations per push.", limit=max_batch)
    bad = {i: ["Each mutation needs an integer id of 1 or more."]
           for i, item in enumerate(mutations)
           if not isinstance(item, dict) or type(item.get("id")) is not int or item["id"] < 1}
    if bad:
        raise ValidationError({"mutations": bad})


def push(user, client_id, mutations, max_batch=500):
    """Apply the client's mutations in one transaction and report each one's fate."""
    if user.role != "member":
        raise Forbidden("Only members keep a diary; nothing to push from this account.")
    _check_ids(mutations, max_batch)
    results, gap = [], False
    with db.atomic():
        client = _client(user, client_id, lock=True)
        last = client.last_mutation_id
        for raw in mutations:
            if raw["id"] <= last:
                results.append({"id": raw["id"], "status": "duplicate"})
                continue
            if raw["id"] > last + 1:
                gap = True
                break
            results.append(_apply_one(user, raw))
            last = raw["id"]
        (Client
         .update(last_mutation_id=last, last_seen_at=utcnow())
         .where(Client.client_id == client.client_id)
         .execute())
    if gap:
        raise Conflict(f"Mutations must follow on from {last}; resend from {last + 1}.",
                       last_mutation_id=last, results=results)
    return {"last_mutation_id": last, "results": results}


def _apply_one(user, raw):
    """Apply one mutation; invalid data is rejected but still counts as processed."""
    try:
        mutation = mutation_schema.load(raw)
        apply = _APPLY[(mutation["entity"], mutation["op"])]
        result = apply(user, mutation)
    except ValidationError as error:
        return {"id": raw["id"], "status": "rejected", "fields": error.normalized_messages(),
                "message": "This item can never be saved as it is; edit or delete it."}
    return dict(result, id=raw["id"])


def _merge(stored, incoming, base_version, version):
    """Return the data to store and whether the edit raced another one.

    A put carries the fields it sets; they go over the stored ones one by one in arrival
    order, so two devices editing different fields of one entry both keep their change.
    Changing an entry's kind replaces it whole.
    """
    if incoming.get("kind", stored.get("kind")) == stored.get("kind"):
        incoming = dict(stored, **incoming)
    return incoming, base_version < version


def _put_entry(user, mutation):
    row = _locked(Entry.select().where(Entry.key == mutation["key"]))
    if row is not None and row.user_id != user.id:
        raise ValidationError({"key": ["This key is already taken; create the entry with a new key."]})
    if row is not None and row.deleted and mutation["base_version"] < row.version:
        # A delete beats a concurrent edit.
        return {"status": "conflict", "version": row.version, "deleted": True,
                "message": "This entry was deleted on another device."}
    if row is None or row.deleted:
        data, conflict = load_entry(mutation["data"]), False
    else:
        merged, conflict = _merge(row.data, mutation["data"], mutation["base_version"], row.version)
        data = load_entry(merged)
    values = {"kind": data["kind"], "occurred_at": _utc(data["occurred_at"]), "data": data,
              "deleted": False, "deleted_at": None, "updated_at": utcnow(),
              "assessment": assess_entry(user, mutation["key"], data), "version": next_version()}
    if row is None:
        Entry.create(key=mutation["key"], user=user, **values)
    else:
        Entry.update(**values).where(Entry.key == row.key).execute()
    result = {"status": "conflict" if conflict else "applied", "version": values["version"]}
    if values["assessment"]:
        result["assessment"] = values["assessment"]
    return result


def _delete_entry(user, mutation):
    row = _locked(Entry.select().where(Entry.key == mutation["key"]))
    if row is None or row.user_id != user.id:
        # Nothing the caller could have seen: deleting it is already true.
        return {"status": "applied", "version": 0}
    if row.deleted:
        return {"status": "applied", "version": row.version}
    version = next_version()
    (Entry
     .update(deleted=True, deleted_at=utcnow(), updated_at=utcnow(), data={}, assessment=None,
             version=version)
     .where(Entry.key == row.key)
     .execute())
    return {"status": "applied", "version": version}


def _put_settings(user, mutation):
    row = _locked(Setting.select().where((Setting.user == user) & (Setting.name == mutation["key"])))
    if row is None or row.deleted:
        data, conflict = load_settings(mutation["key"], mutation["data"]), False
    else:
        merged, conflict = _merge(row.data, mutation["data"], mutation["base_version"], row.version)
        data = load_settings(mutation["key"], merged)
    version = next_version()
    values = {"data": data, "deleted": False, "deleted_at": None, "updated_at": utcnow(),
              "version": version}
    if row is None:
        Setting.create(user=user, name=mutation["key"], **values)
    else:
        Setting.update(**values).where(Setting.id == row.id).execute()
    return {"status": "conflict" if conflict else "applied", "version": version}


def _delete_settings(user, mutation):
    row = _locked(Setting.select().where((Setting.user == user) & (Setting.name == mutation["key"])))
    if row is None or row.deleted:
        return {"status": "applied", "version": row.version if row else 0}
    version = next_version()
    (Setting
     .update(deleted=True, deleted_at=utcnow(), updated_at=utcnow(), version=version)
     .where(Setting.id == row.id)
     .execute())
    return {"status": "applied", "version": version}


_APPLY = {
    ("entry", "put"): _put_entry,
    ("entry", "delete"): _delete_entry,
    ("settings", "put"): _put_settings,
    ("settings", "delete"): _delete_settings,
}


def assess_entry(user, key, data):
    """Return the red flags a cramp entry raises with the person's other recent cramps, or None."""
    if data["kind"] != "cramp":
        return None
    until = min(_utc(data["occurred_at"]), utcnow())
    since = until - datetime.timedelta(days=redflags.HISTORY_DAYS)
    history = (Entry.live_for(user)
               .where((Entry.kind == "cramp")
                      & (Entry.key != key)
                      & (Entry.occurred_at > since)
                      & (Entry.occurred_at <= until)))
    assessment = redflags.assess(data, [row.data for row in history])
    # Nothing flagged is the common case: store and send nothing rather than an empty verdict.
    return assessment if assessment["flags"] else None


def _locked(query):
    """Fetch the row a write will change, locking it on PostgreSQL."""
    if is_postgres():
        query = query.for_update()
    return query.first()


def _utc(value):
    """Turn an ISO 8601 string with offset into the stored naive UTC datetime."""
    moment = datetime.datetime.fromisoformat(value)
    return moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def pull(user, client_id, cursor=0, limit=500):
    """Return up to `limit` changes visible to the user with a version above `cursor`."""
    client = _client(user, client_id)
    # One snapshot for every source, so a page never mixes two moments and skips a version.
    with read_snapshot():
        reset = 0 < cursor < ServerState.read(HORIZON) and not client.snapshot
        if reset:
            cursor = 0
        # Every version up to the counter's value in this snapshot is committed and visible.
        settled = Counter.get_by_id("version").value
        rows = []
        for model in PULLED:
            rows.extend(model.visible_to(user)
                        .where(model.version > cursor)
                        .order_by(model.version)
                        .limit(limit + 1))
    rows.sort(key=lambda row: row.version)
    has_more = len(rows) > limit
    page = [row.to_change() for row in rows[:limit]]
    # A client reading a full snapshot has no tombstones to miss until it catches up.
    snapshot = (cursor == 0 or client.snapshot) and has_more
    if snapshot != client.snapshot:
        with db.atomic():
            Client.update(snapshot=snapshot).where(Client.client_id == client.client_id).execute()
    if has_more:
        cursor = page[-1]["version"]
    else:
        # Caught up: jump to the settled version, past versions hidden from this user.
        cursor = max(cursor, settled)
    return {"cursor": cursor, "has_more": has_more,
            "reset": reset, "last_mutation_id": client.last_mutation_id, "changes": page}


def purge_tombstones(days=90, now=None):
    """Delete tombstones older than `days` and move the horizon past them; return how many."""
    cutoff = (now or utcnow()) - datetime.timedelta(days=days)
    purged = 0
    with db.atomic():
        horizon = ServerState.read(HORIZON)
        for model in PULLED:
            old = model.deleted & (model.deleted_at < cutoff)
            newest = model.select(model.version).where(old).order_by(model.version.desc()).scalar()
            if newest:
                horizon = max(horizon, newest)
                purged += model.delete().where(old).execute()
        ServerState.write(HORIZON, horizon)
    return purged
