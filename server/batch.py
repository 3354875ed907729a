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
from server.db import db, insert_rows, update_rows
from server.models.diary import Entry, Setting
from server.models.sync import next_version

WINDOW_S = redflags.HISTORY_DAYS * 86400

# People whose recent cramps this process keeps between pushes, and the most cramps it keeps for
# one person: a phone pushes every few minutes, and reading four weeks of cramps again for each
# push cost more than judging them.
KEPT_PEOPLE = 64
KEPT_MARKS = 20_000
# A cached window that would grow past this is read afresh instead, so none grows for ever.
KEPT_SPAN_S = 90 * 86400
_kept = collections.OrderedDict()  # user id -> (the person's newest entry version, Marks, span)
_kept_lock = threading.Lock()


class Batch:
    """The rows a push touches, the versions it hands out, and writes kept until flush."""

    def __init__(self, user, mutations):
        self.user = user
        # Only keys the database can be asked about: the others are rejected item by item.
        keys = [raw["key"] for raw in mutations
                if raw.get("entity") == "entry" and storable(raw.get("key"))]
        self.entries = Entry.rows_for_update(keys)
        self.new, self.changed = set(), set()
        self.pending = len(mutations)
        self.version = None
        self.now = datetime.datetime.now(datetime.timezone.utc)
        self.mutations = mutations
        self._profile = None
        self._marks, self._span, self._moments, self._newest = None, (0, 0), None, None

    def profile(self):
        """Return the person's profile settings, read on first use; a put in this push replaces it."""
        if self._profile is None:
            row = (Setting
                   .select(Setting.data)
                   .where((Setting.user == self.user)
                          & (Setting.name == "profile")
                          & (Setting.deleted == False))  # noqa: E712
                   .first())
            self._profile = row.data if row else {}
        return self._profile

    def remember_profile(self, data):
        """Judge the push's later cramps with the profile it has just written."""
        self._profile = data

    def next_version(self):
        """Hand out the next version; all of the push's versions are taken at once."""
        if self.version is None:
            self.version = next_version(self.pending) - self.pending
        self.version += 1
        return self.version

    def store(self, key, values):
        """Record the entry's new state, to be written at flush (`values` becomes the row)."""
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
        """Return the person's live cramps (redflags.Marks) covering the rules' window before
        `moment` and every other cramp time this push claims.

        The last push's index is reused when the person's entries have not changed since
        (their newest version is the one it was kept with); a window it does not cover is read
        and added, after writing the push so far.
        """
        if self._marks is None:
            kept = _take(self.user.id)
            # Before this push writes anything: its own rows would change the newest version.
            if kept is not None and kept[0] == Entry.newest_version(self.user):
                self._marks, self._span = kept[1], kept[2]
        end = min(moment, self.now).timestamp()
        if self._marks is not None and self._span[0] <= end - WINDOW_S and end <= self._span[1]:
            return self._marks
        if self._moments is None:
            self._moments = [m for m in map(_moment_of, self.mutations)
                             if m is not None and redflags.judges_patterns(m, self.now)]
        self._moments.append(moment)
        low = min(min(self._moments), self.now).timestamp() - WINDOW_S
        high = min(max(self._moments), self.now).timestamp()
        self.flush()
        if self._marks is None or max(high, self._span[1]) - min(low, self._span[0]) > KEPT_SPAN_S:
            self._marks, self._span = redflags.Marks(), (low, low)
        known_low, known_high = self._span
        if low < known_low:
            self._marks.extend(Entry.cramp_marks(self.user, low, known_low))
        if high > known_high:
            self._marks.extend(Entry.cramp_marks(self.user, known_high, high))
        self._span = (min(low, known_low), max(high, known_high))
        return self._marks

    def finish(self):
        """Write the rest of the push, and note the person's newest entry version with it."""
        self.flush()
        if self._marks is not None:
            self._newest = Entry.newest_version(self.user)

    def keep(self):
        """Once the push has committed, keep its index of cramps for the person's next push."""
        # Inside a caller's transaction nothing is committed yet, and a rollback would leave
        # versions that another push could take again: keep nothing then.
        if self._marks is not None and len(self._marks) <= KEPT_MARKS and not db.in_transaction():
            with _kept_lock:
                _kept[self.user.id] = (self._newest, self._marks, self._span)
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
