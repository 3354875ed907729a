"""The sync engine: push applies a client's mutations exactly once; pull returns what changed.

No Flask here: the API, the tests and the benchmarks all call these functions directly.
The protocol is DESIGN.md's "sync protocol (v1)"; the README explains the decisions it leaves open.
"""

import datetime

from marshmallow import ValidationError
from peewee import IntegrityError

from schemas.entries import load_entry
from schemas.limits import MAX_INT
from schemas.settings import IDENTITY, load_settings
from schemas.sync import fast_mutation, mutation_schema
from server import attention, redflags
from server.batch import Batch
from server.db import db, is_postgres, read_snapshot
from server.errors import Conflict, Forbidden, TooLarge, Unauthorized
from server.models.accounts import utcnow
from server.models.care import Assignment, Comment
from server.models.diary import Entry, Setting
from server.models.sync import HORIZON, Client, ServerState

# Every model a member pulls; each gives changes_after(user, cursor, limit).
PULLED = (Entry, Setting, Comment, Assignment)
ATTEMPTS = 3
TAKEN = "This client id belongs to another account; sign out and back in on this device."


def _check_ids(mutations, max_batch):
    """Refuse a batch that is too big or whose items carry no usable id."""
    if not isinstance(mutations, list):
        raise ValidationError({"mutations": ["Must be a list."]})
    if len(mutations) > max_batch:
        raise TooLarge(f"Send at most {max_batch} mutations per push.", limit=max_batch)
    bad = {i: [f"Each mutation needs an integer id from 1 to {MAX_INT}."]
           for i, item in enumerate(mutations)
           if not isinstance(item, dict) or type(item.get("id")) is not int
           or not 1 <= item["id"] <= MAX_INT}
    if bad:
        raise ValidationError({"mutations": bad})


def push(user, client_id, mutations, max_batch=500):
    """Apply the client's mutations in one transaction and report each one's fate."""
    if user.role != "member":
        raise Forbidden("Only members keep a diary; nothing to push from this account.")
    _check_ids(mutations, max_batch)
    for attempt in range(1, ATTEMPTS + 1):
        try:
            last, results, gap = _push_once(user, client_id, mutations)
            break
        except IntegrityError:
            # Someone else's push created one of these keys after this one looked (two people
            # are not ordered by the lock): the rerun sees it, as a push sent afterwards would.
            if attempt == ATTEMPTS:
                raise
    if gap:
        raise Conflict(f"Mutations must follow on from {last}; resend from {last + 1}.",
                       last_mutation_id=last, results=results)
    return {"last_mutation_id": last, "results": results}


def _push_once(user, client_id, mutations):
    """Apply the mutations in one transaction; return the last id applied, results and any gap."""
    client_id = str(client_id)
    with db.atomic():
        started = Client.open_push(user, client_id)
        if started is None:
            raise Unauthorized("Your session has ended; sign in again.")
        owner, seen, *start = started
        if owner != user.id:
            raise Forbidden(TAKEN)
        plan, last, gap = _plan(seen, mutations)
        batch = Batch(user, [raw for raw, apply in plan if apply], start, (client_id, last))
        results = [_apply_one(batch, raw) if apply else {"id": raw["id"], "status": "duplicate"}
                   for raw, apply in plan]
        batch.finish()
    batch.keep()
    return last, results, gap


def _plan(seen, mutations):
    """Sort the mutations, in order, into duplicates (False) and ones to apply (True) after the
    client's last applied id `seen`, up to a gap; return (plan, last id applied, gap)."""
    plan, last = [], seen
    for raw in mutations:
        if raw["id"] > last + 1:
            return plan, last, True
        plan.append((raw, raw["id"] > last))
        last = max(last, raw["id"])
    return plan, last, False


def _apply_one(batch, raw):
    """Apply one mutation; invalid data is rejected but still counts as processed."""
    try:
        mutation = fast_mutation(raw) or mutation_schema.load(raw)
        if mutation["op"] == "put" and mutation["data"] is None:
            raise ValidationError({"data": ["A put needs data."]})
        apply = _APPLY[(mutation["entity"], mutation["op"])]
        result = apply(batch, mutation)
    except ValidationError as error:
        return {"id": raw["id"], "status": "rejected", "fields": error.normalized_messages(),
                "message": "This item can never be saved as it is; edit or delete it."}
    result["id"] = raw["id"]
    return result


def _merge(stored, incoming, base_version, version):
    """Return the data to store and whether the edit raced another one.

    A put carries the fields it sets; they go over the stored ones one by one in arrival
    order, so two devices editing different fields of one entry both keep their change.
    Changing an entry's kind replaces it whole.
    """
    if incoming.get("kind", stored.get("kind")) == stored.get("kind"):
        incoming = dict(stored, **incoming)
    return incoming, base_version < version


def _put_entry(batch, mutation):
    key = mutation["key"]
    row = batch.entries.get(key)
    if row is not None and row["user"] != batch.user.id:
        raise ValidationError({"key": ["This key is already taken; create the entry with a new key."]})
    if row is not None and row["deleted"] and mutation["base_version"] < row["version"]:
        # A delete beats a concurrent edit.
        return {"status": "conflict", "version": row["version"], "deleted": True,
                "message": "This entry was deleted on another device."}
    if row is None or row["deleted"]:
        data, conflict = load_entry(mutation["data"]), False
    else:
        merged, conflict = _merge(row["data"], mutation["data"], mutation["base_version"],
                                  row["version"])
        data = load_entry(merged)
    now = batch.stamp
    moment = datetime.datetime.fromisoformat(data["occurred_at"])
    assessment = assess_entry(batch, key, data, moment)
    cramp = data["kind"] == "cramp"
    values = {"kind": data["kind"], "data": data, "deleted": False, "deleted_at": None,
              "occurred_at": moment.astimezone(datetime.timezone.utc).replace(tzinfo=None),
              "updated_at": now, "assessment": assessment, "version": batch.next_version(),
              "intensity": data.get("intensity") if cramp else None,
              "warning": attention.flag_level({"assessment": assessment,
                                               "red_flags": data.get("red_flags")}) if cramp else None}
    if row is None:
        values["created_at"] = now
    batch.store(key, values)
    batch.forget_cramp(key)
    if data["kind"] == "cramp":
        batch.count_cramp(key, data, moment)
    result = {"status": "conflict" if conflict else "applied", "version": values["version"]}
    if values["assessment"]:
        result["assessment"] = values["assessment"]
    return result


def _delete_entry(batch, mutation):
    row = batch.entries.get(mutation["key"])
    if row is None or row["user"] != batch.user.id:
        # Nothing the caller could have seen: deleting it is already true.
        return {"status": "applied", "version": 0}
    if row["deleted"]:
        return {"status": "applied", "version": row["version"]}
    now = batch.stamp
    version = batch.next_version()
    batch.store(row["key"], {"deleted": True, "deleted_at": now, "updated_at": now, "data": {},
                             "assessment": None, "intensity": None, "warning": None,
                             "version": version})
    batch.forget_cramp(row["key"])
    return {"status": "applied", "version": version}


def _setting(batch, name):
    return _locked(Setting.select().where((Setting.user == batch.user) & (Setting.name == name))).first()


def _another(name, stored, incoming):
    """Whether a put names another thing than the settings stored (schemas/settings.py IDENTITY)."""
    fields = IDENTITY.get(name, ())
    return isinstance(incoming, dict) and any(
        field in incoming and incoming[field] != stored.get(field) for field in fields)


def _put_settings(batch, mutation):
    row = _setting(batch, mutation["key"])
    if row is None or row.deleted:
        data, conflict = load_settings(mutation["key"], mutation["data"]), False
    else:
        merged, conflict = _merge(row.data, mutation["data"], mutation["base_version"], row.version)
        if conflict and _another(mutation["key"], row.data, mutation["data"]):
            return {"status": "conflict", "version": row.version,
                    "message": "A newer one was saved on another device; it stays."}
        data = load_settings(mutation["key"], merged)
    version = batch.next_version()
    values = {"data": data, "deleted": False, "deleted_at": None, "updated_at": utcnow(),
              "version": version}
    if row is None:
        Setting.create(user=batch.user, name=mutation["key"], **values)
    else:
        Setting.update(**values).where(Setting.id == row.id).execute()
    if mutation["key"] == "profile":
        batch.remember_profile(data)
    return {"status": "conflict" if conflict else "applied", "version": version}


def _delete_settings(batch, mutation):
    row = _setting(batch, mutation["key"])
    if row is None or row.deleted:
        return {"status": "applied", "version": row.version if row else 0}
    version = batch.next_version()
    (Setting
     .update(deleted=True, deleted_at=utcnow(), updated_at=utcnow(), version=version)
     .where(Setting.id == row.id)
     .execute())
    if mutation["key"] == "profile":
        batch.remember_profile({})
    return {"status": "applied", "version": version}


_APPLY = {
    ("entry", "put"): _put_entry,
    ("entry", "delete"): _delete_entry,
    ("settings", "put"): _put_settings,
    ("settings", "delete"): _delete_settings,
}


def assess_entry(batch, key, data, moment):
    """Return the red flags a cramp entry raises with the person's other recent cramps, or None."""
    if data["kind"] != "cramp":
        return None
    # An old episode is judged on its own signs: skip loading the weeks around it.
    patterns = redflags.judges_patterns(moment, batch.now)
    marks = batch.marks(moment) if patterns else redflags.Marks()
    marks.remove(key)  # an edit is judged against the others, not against its old self
    assessment = redflags.assess_marks(data, marks, batch.now, moment=moment,
                                       patterns=patterns, profile=batch.profile)
    # Nothing flagged is the common case: store and send nothing rather than an empty verdict.
    return assessment if assessment["flags"] else None


def _locked(query):
    """Run a query for rows a write will change, locking them on PostgreSQL."""
    if is_postgres():
        query = query.for_update()
    return query


def pull(user, client_id, cursor=0, limit=500):
    """Return up to `limit` changes visible to the user with a version above `cursor`."""
    client_id = str(client_id)
    # One snapshot for every source, so a page never mixes two moments and skips a version.
    with read_snapshot():
        owner, last_mutation_id, snapshot, horizon, settled, changed = Client.open_pull(
            client_id, user, cursor)
        if owner is not None and owner != user.id:
            raise Forbidden(TAKEN)
        reset = 0 < cursor < horizon and not snapshot
        if reset:
            cursor, changed = 0, set(PULLED)
        # Every version up to `settled`, the counter's value in this snapshot, is committed and
        # visible. Settings, comments and assignments are read only when they changed.
        rows = []
        for model in PULLED:
            if model is Entry or model in changed:
                rows.extend(model.changes_after(user, cursor, limit + 1))
    rows.sort(key=lambda change: change["version"])
    has_more = len(rows) > limit
    page = rows[:limit]
    # A client reading a full snapshot has no tombstones to miss until it catches up.
    now_snapshot = (cursor == 0 or snapshot) and has_more
    if owner is None:
        with db.atomic():
            owner = Client.bind_new(client_id, user, snapshot=now_snapshot)
        if owner != user.id:
            raise Forbidden(TAKEN)
    elif now_snapshot != snapshot:
        with db.atomic():
            Client.update(snapshot=now_snapshot).where(Client.client_id == client_id).execute()
    if has_more:
        cursor = page[-1]["version"]
    else:
        # Caught up: jump to the settled version, past versions hidden from this user.
        cursor = max(cursor, settled)
    return {"cursor": cursor, "has_more": has_more,
            "reset": reset, "last_mutation_id": last_mutation_id, "changes": page}


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
