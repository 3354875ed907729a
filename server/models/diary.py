"""The diary: entries and per-person settings, both synced."""

import datetime

from peewee import (AutoField, BigIntegerField, BooleanField, CharField, DateTimeField,
                    ForeignKeyField, SmallIntegerField)

from server import jsonio
from server.db import BaseModel, TextJSONField, db, is_postgres
from server.models.accounts import User, utcnow


class Synced(BaseModel):
    """Columns every synced row carries."""

    version = BigIntegerField(index=True)
    deleted = BooleanField(default=False)
    updated_at = DateTimeField(default=utcnow)
    deleted_at = DateTimeField(null=True)

    @classmethod
    def changes_after(cls, user, cursor, limit):
        """Return up to `limit` changes visible to the user after `cursor`, oldest first."""
        return [row.to_change() for row in (cls.visible_to(user)
                                             .where(cls.version > cursor)
                                             .order_by(cls.version)
                                             .limit(limit))]


class Entry(Synced):
    # The composite indexes below serve every read; single-column ones would only slow inserts.
    version = BigIntegerField()
    key = CharField(max_length=36, primary_key=True)
    user = ForeignKeyField(User, backref="entries", on_delete="CASCADE", index=False)
    kind = CharField(max_length=16)
    occurred_at = DateTimeField(null=True)
    data = TextJSONField(default=dict, dumps=jsonio.dumps, loads=jsonio.loads)
    assessment = TextJSONField(null=True, dumps=jsonio.dumps, loads=jsonio.loads)
    created_at = DateTimeField(default=utcnow)
    # A live cramp's intensity and the level of its warning signs (attention.flag_level), kept
    # out of the JSON for the patient list's counts; NULL for other kinds and deleted entries.
    intensity = SmallIntegerField(null=True)
    warning = CharField(max_length=16, null=True)

    class Meta:
        # (user, occurred_at) leads the second; the rest lets a patient list count from the
        # index alone (Entry.tallies, migration 009).
        indexes = ((("user", "version"), False),
                   (("user", "occurred_at", "kind", "deleted", "intensity", "warning"), False))

    @classmethod
    def live_for(cls, user):
        """Select the person's entries that are not deleted, oldest first."""
        return (cls.select()
                .where((cls.user == user) & (cls.deleted == False))  # noqa: E712
                .order_by(cls.occurred_at))

    @classmethod
    def rows_for_update(cls, keys):
        """Return {key: the stored entry as a dict of field values} for these keys, locked for
        writing on PostgreSQL ("user" holds the owner's id).

        One statement with one parameter per key: peewee would spend longer building its SQL
        than SQLite spends answering it.
        """
        if not keys:
            return {}
        fields = cls._meta.sorted_fields
        sql = "SELECT %s FROM entry WHERE %s IN (%s)%s" % (
            ", ".join(field.column_name for field in fields), cls.key.column_name,
            ", ".join([db.param] * len(keys)), " FOR UPDATE" if is_postgres() else "")
        rows = {}
        for values in db.execute_sql(sql, keys).fetchall():
            row = {field.name: field.python_value(value) for field, value in zip(fields, values)}
            rows[row["key"]] = row
        return rows

    @classmethod
    def cramp_marks(cls, user, low, high=None):
        """Yield (key, redflags.Mark) for the person's live cramps after the POSIX time `low`
        (up to `high`, if given), reading only the fields the red-flag patterns count."""
        from server.redflags import Mark, mark_of

        if is_postgres():
            # json is text: json_to_record parses each row once, where ->> parsed it per field.
            fields = ("r.occurred_at, r.context, r.intensity, r.duration_s FROM entry AS e, "
                      "json_to_record(e.data) AS r(occurred_at text, context text, intensity int, "
                      "duration_s int)")
        else:
            fields = ("json_extract(data, '$.occurred_at'), json_extract(data, '$.context'), "
                      "json_extract(data, '$.intensity'), json_extract(data, '$.duration_s') "
                      "FROM entry AS e")
        sql = (f"SELECT e.key, {fields} WHERE e.user_id = {db.param} AND e.kind = 'cramp' "
               f"AND NOT e.deleted AND e.occurred_at > {db.param} "
               f"{'' if high is None else f'AND e.occurred_at <= {db.param} '}"
               f"ORDER BY e.occurred_at")
        bounds = [_naive_utc(low)] + ([] if high is None else [_naive_utc(high)])
        if not is_postgres():
            bounds = [bound.isoformat(" ") for bound in bounds]
        for key, occurred_at, context, intensity, duration_s in db.execute_sql(
                sql, [user.id, *bounds]):
            yield key, mark_of({"occurred_at": occurred_at, "context": context,
                                "intensity": intensity, "duration_s": duration_s})

    @classmethod
    def tallies(cls, since_by_user, since, bounds, intense, levels):
        """Count each person's live entries since a naive UTC time, in one statement over the
        kept columns (no JSON is read).

        `bounds` are naive UTC times (a, b, c): cramps in (b, c] are "recent", those in (a, b]
        "earlier", and recent ones of at least `intense` intensity are counted apart; cramps
        with warning signs of each of `levels` are counted after the person's own time in
        `since_by_user` (never before `since`). Return {user id: (the latest entry's naive UTC
        time, recent, earlier, intense, *a count per level)} for those with entries.
        """
        if not since_by_user:
            return {}
        p = db.param
        cramp_in = f"e.kind = 'cramp' AND e.occurred_at > {p} AND e.occurred_at <= {p}"
        counted = [f"{cramp_in}", f"{cramp_in}", f"{cramp_in} AND e.intensity >= {p}",
                   *[f"e.warning = {p} AND e.occurred_at > r.since"] * len(levels)]
        people = ", ".join([p] * len(since_by_user))
        sql = (f"WITH r (user_id, since) AS (VALUES {', '.join([f'({p}, {p})'] * len(since_by_user))}) "
               f"SELECT e.user_id, MAX(e.occurred_at), "
               + ", ".join(f"SUM(CASE WHEN {when} THEN 1 ELSE 0 END)" for when in counted)
               + f" FROM entry AS e JOIN r ON e.user_id = r.user_id "
               # The people and the widest bound, said again for the index on (user,
               # occurred_at): with the join alone PostgreSQL scanned the whole table.
               f"WHERE e.user_id IN ({people}) AND e.occurred_at >= {p} AND NOT e.deleted "
               f"GROUP BY e.user_id")
        first, middle, last = bounds
        params = [value for user_id, cut in since_by_user.items() for value in (user_id, cut)]
        params += [middle, last, first, middle, middle, last, intense, *levels,
                   *since_by_user, since]
        if not is_postgres():
            params = [value.isoformat(" ") if isinstance(value, datetime.datetime) else value
                      for value in params]
        return {user_id: (_stored_time(latest), *map(int, counts))
                for user_id, latest, *counts in db.execute_sql(sql, params)}

    @classmethod
    def routine_logs(cls, user_ids, since):
        """Yield (user id, occurred_at as sent, routine, completed steps, total steps) for the
        people's live routine logs since a naive UTC time, without parsing whole entries."""
        if not user_ids:
            return
        if is_postgres():
            # json is text: json_to_record parses each row once, where ->> parsed it per field.
            fields = ("r.occurred_at, r.routine, r.completed_steps, r.total_steps "
                      "FROM entry AS e, json_to_record(e.data) AS r(occurred_at text, "
                      "routine text, completed_steps int, total_steps int)")
        else:
            fields = ("json_extract(data, '$.occurred_at'), json_extract(data, '$.routine'), "
                      "json_extract(data, '$.completed_steps'), json_extract(data, '$.total_steps') "
                      "FROM entry AS e")
        since = since if is_postgres() else since.isoformat(" ")
        sql = (f"SELECT e.user_id, {fields} WHERE e.user_id IN "
               f"({', '.join([db.param] * len(user_ids))}) AND NOT e.deleted "
               f"AND e.occurred_at >= {db.param} AND e.kind = 'routine'")
        number = _number
        for user_id, occurred_at, routine, done, total in db.execute_sql(sql, [*user_ids, since]):
            yield user_id, occurred_at, routine, number(done), number(total)

    @classmethod
    def changes_after(cls, user, cursor, limit):
        """Like Synced.changes_after, read as plain rows: pulls move thousands of entries.

        The JSON columns come back as text on both backends and go into the answer as that
        text (jsonio.Raw), the assessment laid inside the data, never parsed.
        """
        query = (cls
                 .select(cls.key, cls.version, cls.deleted, cls.data.cast("TEXT"),
                         cls.assessment.cast("TEXT"))
                 .where((cls.user == user) & (cls.version > cursor))
                 .order_by(cls.version)
                 .limit(limit))
        return [{"entity": "entry", "key": key, "version": version, "deleted": bool(deleted),
                 "data": None if deleted else jsonio.Raw(_with_assessment(data, assessment))}
                for key, version, deleted, data, assessment in db.execute(query)]


def _stored_time(value):
    """Return a stored naive UTC time as a datetime (SQLite's aggregates give it as text)."""
    return datetime.datetime.fromisoformat(value) if isinstance(value, str) else value


def _number(value):
    """Return a JSON number read as text (PostgreSQL's ->>) as a number; None stays None."""
    if value is None or not isinstance(value, str):
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


def _naive_utc(stamp):
    """Return a POSIX time as the stored naive UTC datetime."""
    return datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).replace(tzinfo=None)


def _with_assessment(data, assessment):
    """Return an entry's stored JSON text with its red-flag assessment inside, as pulls send it.

    The data is an object this app wrote compactly and without an "assessment" key (a push
    drops one); anything else is parsed and written again, the slow way.
    """
    if not assessment:
        return data
    data = data.rstrip()
    if data == "{}":
        return '{"assessment":' + assessment + "}"
    if not (data.startswith("{") and data.endswith("}")) or '"assessment"' in data:
        merged = jsonio.loads(data)
        merged["assessment"] = jsonio.loads(assessment)
        return jsonio.dumps(merged)
    return data[:-1] + ',"assessment":' + assessment + "}"


class Setting(Synced):
    id = AutoField()
    user = ForeignKeyField(User, backref="settings", on_delete="CASCADE")
    name = CharField(max_length=32)
    data = TextJSONField(default=dict, dumps=jsonio.dumps, loads=jsonio.loads)

    class Meta:
        indexes = ((("user", "name"), True), (("user", "version"), False))

    @classmethod
    def visible_to(cls, user):
        """Select the settings a member pulls: their own."""
        return cls.select().where(cls.user == user)

    def to_change(self):
        return {"entity": "settings", "key": self.name, "version": self.version,
                "deleted": self.deleted, "data": None if self.deleted else self.data}
