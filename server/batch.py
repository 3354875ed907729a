"""One push's working set: the entries it touches, its versions, its writes kept until the end,
and the person's recent cramps for the red-flag rules.

Reading every touched entry in one query and writing the push's changes in two statements
keeps a push of hundreds of entries to a handful of round trips; rows live in `entries`, so a
key put twice in one push sees its own earlier change. server/sync.py holds the protocol.
"""

import datetime

from schemas.limits import storable
from server import redflags
from server.db import insert_rows, update_rows
from server.models.diary import Entry, Setting
from server.models.sync import next_version


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
        self._marks, self._span, self._moments = None, (0, 0), None

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
        `moment`, loaded once for all the times the push's cramps claim.

        An entry outside them (an edit that keeps an old time) writes the push so far and
        reloads around it.
        """
        end = min(moment, self.now).timestamp()
        start = end - redflags.HISTORY_DAYS * 86400
        if self._marks is None or start < self._span[0] or end > self._span[1]:
            if self._moments is None:
                self._moments = [m for m in map(_moment_of, self.mutations)
                                 if m is not None and redflags.judges_patterns(m, self.now)]
            self._moments.append(moment)
            self.flush()
            low = min(min(self._moments), self.now).timestamp() - redflags.HISTORY_DAYS * 86400
            high = min(max(self._moments), self.now).timestamp()
            self._marks = redflags.Marks(Entry.cramp_marks(self.user, low, high))
            self._span = (low, high)
        return self._marks

    def count_cramp(self, key, data, moment):
        """Count a cramp this push stored in later entries' windows."""
        if self._marks is not None:
            self._marks.add(key, redflags.mark_of(data, moment))

    def forget_cramp(self, key):
        """Stop counting a cramp this push changed or deleted."""
        if self._marks is not None:
            self._marks.remove(key)


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
