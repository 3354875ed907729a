"""One push's working set: the entries it touches, its versions, its writes kept until the end,
and the person's recent cramps for the red-flag rules.

Reading every touched entry in one query and writing the push's changes in two statements
keeps a push of hundreds of entries to a handful of round trips; rows live in `entries`, so a
key put twice in one push sees its own earlier change. server/sync.py holds the protocol.
"""

import collections
import datetime
import threading

from schemas.limits import storable
from server import redflags
from server.db import db, insert_rows, update_rows, update_where
from server.models.diary import Entry
from server.models.sync import Client, next_version

WINDOW_S = redflags.HISTORY_DAYS * 86400

# People whose recent cramps this process keeps between pushes, and the most cramps it keeps for
# one person: a phone pushes every few minutes, and reading four weeks of cramps again for each
# push cost more than judging them.
KEPT_PEOPLE = 64
KEPT_MARKS = 20_000
# A kept index reaching further back than this is read afresh instead, so none grows for ever.
KEPT_SPAN_S = 90 * 86400
_kept = collections.OrderedDict()  # user id -> (the person's newest entry version, Marks, low)
_kept_lock = threading.Lock()


class Batch:
    """The rows a push touches, the versions it hands out, and writes kept until flush."""

    def __init__(self, user, mutations, start, progress):
        """`mutations` are the ones the push applies; `start` is what Client.open_push read
        (profile, newest entry version); `progress` is the client's (id, last mutation id) to
        write with the versions."""
        self.user = user
        # Only keys the database can be asked about: the others are rejected item by item.
        keys = [raw["key"] for raw in mutations
                if raw.get("entity") == "entry" and storable(raw.get("key"))]
        self.entries = Entry.rows_for_update(keys)
        self.new, self.changed = set(), set()
        self.pending = len(mutations)
        self.version = None
        self.now = datetime.datetime.now(datetime.timezone.utc)
        self.stamp = self.now.replace(tzinfo=None)  # as stored: naive UTC, one object for all rows
        self.mutations = mutations
        self.profile, self._newest_before = start
        # The person's newest entry version as this push leaves it.
        self.newest = self._newest_before
        self._progress = progress
        self._marks, self._low, self._looked = None, None, False

    def remember_profile(self, data):
        """Judge the push's later cramps with the profile it has just written."""
        self.profile = data

    def next_version(self):
        """Hand out the next version; all of the push's versions are taken at once, with the
        client's progress written in the same round trip."""
        if self.version is None:
            progress = (*self._progress, self.stamp)
            self.version = next_version(self.pending, progress) - self.pending
            self._progress = None
        self.version += 1
        return self.version

    def store(self, key, values):
        """Record the entry's new state, to be written at flush (`values` becomes the row)."""
        self.newest = max(self.newest, values["version"])
        row = self.entries.get(key)
        if row is None:
            values["key"], values["user"] = key, self.user.id
            self.entries[key] = values
            self.new.add(key)
        else:
            row.update(values)
            if key not in self.new:
                self.changed.add(key)

    def flush(self):
        """Write what the push changed: new entries in one statement, changed ones in another."""
        insert_rows(Entry, [self.entries[key] for key in self.new])
        update_rows(Entry, [self.entries[key] for key in self.changed])
        self.new, self.changed = set(), set()

    def marks(self, moment):
        """Return the person's live cramps (redflags.Marks) from the rules' window before
        `moment` onwards, and before every other cramp time this push claims.

        The index covers every cramp after a low mark, so a later episode never needs a read.
        The last push's index is reused when the person's entries have not changed since (their
        newest version is the one it was kept with); a window reaching below its low mark is read
        and added. The push's own changes are laid over both.
        """
        if not self._looked:
            self._looked = True
            kept = _take(self.user.id)
            if (kept is not None and kept[0] == self._newest_before
                    and self.now.timestamp() - kept[2] <= KEPT_SPAN_S):
                self._marks, self._low = kept[1], kept[2]
                self._lay_over()
        low = min(moment, self.now).timestamp() - WINDOW_S
        if self._marks is not None and self._low <= low:
            return self._marks
        # Read once for the whole push: the oldest window any of its cramps will ask about.
        claimed = [min(m, self.now).timestamp() for m in map(_moment_of, self.mutations)
                   if m is not None and redflags.judges_patterns(m, self.now)]
        low = min([min(moment, self.now).timestamp(), *claimed]) - WINDOW_S
        if self._marks is None:
            self._marks = redflags.Marks(Entry.cramp_marks(self.user, low))
        else:
            self._marks.extend(Entry.cramp_marks(self.user, low, self._low))
        self._low = low
        self._lay_over()
        return self._marks

    def _lay_over(self):
        """Count the push's changes so far, which the database and a kept index have not seen
        (they are written at the next flush; later ones are counted as they are stored)."""
        for key in self.new | self.changed:
            row = self.entries[key]
            if row["deleted"] or row["kind"] != "cramp":
                self._marks.remove(key)
            else:
                self._marks.add(key, redflags.mark_of(row["data"]))

    def finish(self):
        """Write the rest of the push, and the client's progress if no version carried it."""
        self.flush()
        if self._progress is not None:
            client_id, last = self._progress
            update_where(Client, {"last_mutation_id": last, "last_seen_at": self.stamp},
                         client_id=client_id)

    def keep(self):
        """Once the push has committed, keep its index of cramps for the person's next push."""
        # Inside a caller's transaction nothing is committed yet, and a rollback would leave
        # versions that another push could take again: keep nothing then.
        if self._marks is not None and len(self._marks) <= KEPT_MARKS and not db.in_transaction():
            with _kept_lock:
                _kept[self.user.id] = (self.newest, self._marks, self._low)
                _kept.move_to_end(self.user.id)
                while len(_kept) > KEPT_PEOPLE:
                    _kept.popitem(last=False)

    def count_cramp(self, key, data, moment):
        """Count a cramp this push stored in later entries' windows."""
        if self._marks is not None:
            self._marks.add(key, redflags.mark_of(data, moment))

    def forget_cramp(self, key):
        """Stop counting a cramp this push changed or deleted."""
        if self._marks is not None:
            self._marks.remove(key)


def forget_all():
    """Drop every kept index (the app is bound to a database, perhaps another one)."""
    with _kept_lock:
        _kept.clear()


def _take(user_id):
    """Take the index kept for this person, if any: a failed push must not put back its own."""
    with _kept_lock:
        return _kept.pop(user_id, None)


def _moment_of(raw):
    """Return the aware time a raw cramp put claims, or None (validation comes later)."""
    data = raw.get("data")
    if raw.get("op") != "put" or not isinstance(data, dict) or data.get("kind") != "cramp":
        return None
    try:
        moment = datetime.datetime.fromisoformat(data["occurred_at"])
    except (KeyError, TypeError, ValueError):
        return None
    return moment if moment.tzinfo else None
