"""Sync at scale: a pull page and a push of 100 with 1M entries stored against 10k, and a caseload.

On each database, one app served as `unknot run` serves it (one process) answers, in this order:

1. through the API: two people with the same realistic diary (a year of drinks, cramps and
   stretching, about three entries a day up to now), a template person with 1,000 entries over
   three years, and a physio with 50 consenting patients who each logged 100 entries of the last
   three weeks;
2. direct SQL fills the entry table up to 10,000 rows with copies of the template person's rows,
   each for a new person (1,000 entries each, people interleaved as concurrent devices are);
3. the first twin is measured: its first pull page of 500, a push of 100 recent entries (35%
   cramps, inside the red-flag rules' windows), and the physio's `GET /care/patients`;
4. direct SQL adds people until the table holds 1,000,000 rows (PostgreSQL then runs ANALYZE,
   as autovacuum would on a live database);
5. the second twin is measured the same way.

Copying rows the app wrote keeps every column as the app's own code fills it, whatever the
schema. It prints medians, the ratios 1M / 10k and care patients / pull page, and asserts
nothing about speed; it fails loudly when a count is wrong.

    .venv/bin/python bench/scale.py                 # both databases, 10k then 1M
    .venv/bin/python bench/scale.py --quick         # 10k then 100k
    .venv/bin/python bench/scale.py --db sqlite --repeat 31
"""

import argparse
import csv
import io
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

from sync import (DATABASES, PG_ADMIN_URL, app_env, check, device_diary, expect, fresh_database,
                  in_order, make_device_entry, migrate, new_key, random_moment, register,
                  serve_app, unknot_push)

PATIENTS = 50
PER_FILLER = 1000
CHUNK = 50_000


# -- the people measured ---------------------------------------------------------------------

def year_diary(seed, now, days=365, per_day=3):
    """A year of a phone's diary up to now, the same for every seed (keys aside)."""
    rng, keys = random.Random(20240610), random.Random(seed)
    start, end = now - timedelta(days=days), now - timedelta(hours=2)
    entries = in_order((new_key(keys), make_device_entry(rng, random_moment(rng, start, end)))
                       for _ in range(days * per_day))
    return entries


def recent_batch(seed, round_, now, size=100):
    """`size` entries of the last three weeks, the same for every seed in a round (keys aside)."""
    rng, keys = random.Random(1000 + round_), random.Random(seed * 7919 + round_)
    start, end = now - timedelta(days=21), now - timedelta(minutes=5)
    return in_order((new_key(keys), make_device_entry(rng, random_moment(rng, start, end)))
                    for _ in range(size))


class Person:
    """An account the bench signs in as, with one device."""

    def __init__(self, session, base, name, role="member"):
        self.session, self.base = session, base
        self.token, self.id = register(session, base, name, role)
        self.headers = {"Authorization": f"Bearer {self.token}"}
        self.client_id = str(uuid.uuid4())
        self.pushed = 0

    def push(self, entries, size=500):
        """Push entries from this person's device, continuing its mutation ids."""
        batches = [entries[i:i + size] for i in range(0, len(entries), size)]
        body_id = self.pushed
        results = []
        for batch in batches:
            body = {"client_id": self.client_id, "schema_version": 1, "mutations": [
                {"id": body_id + i + 1, "op": "put", "entity": "entry", "key": key,
                 "base_version": 0, "data": data} for i, (key, data) in enumerate(batch)]}
            body_id += len(batch)
            answer = expect(self.session.post(f"{self.base}/sync/push", json=body,
                                              headers=self.headers))
            check("last_mutation_id", answer["last_mutation_id"], body_id)
            results.extend(answer["results"])
        check("entries applied", sum(item["status"] == "applied" for item in results),
              len(entries))
        self.pushed = body_id

    def pull_page(self, client_id):
        """Return the first pull page of 500 for a second device."""
        body = {"client_id": client_id, "cursor": 0, "limit": 500}
        page = expect(self.session.post(f"{self.base}/sync/pull", json=body,
                                        headers=self.headers))
        check("pull page size", len(page["changes"]), 500)
        return page


def caseload(session, base, now):
    """Register a physio and 50 patients with three weeks of diary each, all consenting."""
    physio = Person(session, base, "physio", role="physio")
    diary = device_diary(PATIENTS, 100, now, seed=20240611)
    for number, batches in enumerate(diary.people):
        patient = Person(session, base, f"patient{number}")
        unknot_push(session, base, patient.token, batches, patient.client_id)
        code = expect(session.post(f"{base}/care/invites", json={"label": f"P{number}"},
                                   headers=physio.headers), 201)["code"]
        expect(session.post(f"{base}/care/links", json={"code": code},
                            headers=patient.headers), 201)
    return physio


def median_ms(func, repeat):
    """Run func `repeat` times and return the median wall time in milliseconds."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        func()
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def measure(twin, physio, now, repeat):
    """Return the medians (ms) of a pull page, a push of 100 and the caseload, for one twin."""
    client_id = str(uuid.uuid4())
    twin.pull_page(client_id)  # the device exists before it is timed
    pull = median_ms(lambda: twin.pull_page(client_id), repeat)
    # Both twins push the same entries in the same order: the diaries stay alike.
    pending = iter([recent_batch(twin.id, round_, now) for round_ in range(repeat)])
    push = median_ms(lambda: twin.push(next(pending)), repeat)
    patients = median_ms(lambda: check("patients listed", len(expect(twin.session.get(
        f"{twin.base}/care/patients", headers=physio.headers))), PATIENTS), repeat)
    return {"pull": pull, "push": push, "patients": patients}


# -- filling the table with direct SQL -------------------------------------------------------

class Store:
    """Direct access to the app's tables, for copying rows the app wrote."""

    def __init__(self, database, url):
        self.postgres = database == "postgres"
        if self.postgres:
            import psycopg2

            self.conn = psycopg2.connect(url)
            self.conn.autocommit = True  # each statement commits; COPY is one statement
        else:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
            # Filling is set-up, not measured: a big cache keeps a million inserts off the disk.
            for pragma in ("busy_timeout = 30000", "cache_size = -262144"):
                self.conn.execute(f"PRAGMA {pragma}")
        self.param = "%s" if self.postgres else "?"

    def query(self, sql, params=()):
        cur = self.conn.cursor()
        cur.execute(sql.replace("?", self.param), params)
        rows = cur.fetchall() if cur.description else []
        cur.close()
        return rows

    def columns(self, table):
        if self.postgres:
            return [name for name, in self.query(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", (table,))]
        return [row[1] for row in self.query(f'PRAGMA table_info("{table}")')]

    def begin(self):
        if not self.postgres:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self):
        if not self.postgres:
            self.conn.commit()

    def count(self):
        return self.query("SELECT count(*) FROM entry")[0][0]

    def clone_users(self, template_id, first, count):
        """Copy the template account `count` times under new addresses; return the new ids."""
        columns = [name for name in self.columns("user") if name != "id"]
        picked = ", ".join("?" if name == "email" else f'"{name}"' for name in columns)
        sql = (f'INSERT INTO "user" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in columns)}) '
               f'SELECT {picked} FROM "user" WHERE id = ?')
        emails = [f"filler{first + i}@example.org" for i in range(count)]
        self.begin()
        for email in emails:
            self.query(sql, (email, template_id))
        self.commit()
        rows = self.query('SELECT id FROM "user" WHERE email LIKE ? ORDER BY id',
                          ("filler%@example.org",))
        return [user_id for user_id, in rows][first:first + count]

    def template_rows(self, user_id):
        """Return the template person's entry rows, every column as text (or raw on SQLite)."""
        columns = self.columns("entry")
        picked = ", ".join(f'"{name}"::text' if self.postgres else f'"{name}"'
                           for name in columns)
        return columns, self.query(f'SELECT {picked} FROM entry WHERE user_id = ? '
                                   'ORDER BY version', (user_id,))

    def take_versions(self, count):
        """Take `count` versions from the app's counter, as a push does; return the first."""
        self.begin()
        top = self.query("UPDATE counter SET value = value + ? WHERE name = 'version' "
                         "RETURNING value", (count,))[0][0]
        self.commit()
        return top - count + 1

    def insert(self, columns, rows):
        """Write rows in one transaction: COPY on PostgreSQL, executemany on SQLite."""
        names = ", ".join(f'"{name}"' for name in columns)
        if self.postgres:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerows([r"\N" if value is None else value for value in row] for row in rows)
            buffer.seek(0)
            with self.conn.cursor() as cur:
                cur.copy_expert(f"COPY entry ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                                buffer)
        else:
            self.begin()
            self.conn.executemany(f"INSERT INTO entry ({names}) VALUES "
                                  f"({', '.join('?' * len(columns))})", rows)
            self.commit()

    def analyze(self):
        if self.postgres:
            self.query("ANALYZE")

    def close(self):
        self.conn.close()


def fill(store, template_id, target, people_so_far):
    """Copy the template's rows for new people until the entry table holds `target` rows."""
    missing = target - store.count()
    if missing <= 0:
        return people_so_far
    columns, template = store.template_rows(template_id)
    key_at, user_at, version_at = (columns.index(name) for name in ("key", "user_id", "version"))
    people = -(-missing // PER_FILLER)
    users = store.clone_users(template_id, people_so_far, people)
    rng = random.Random(target)
    version = store.take_versions(missing)
    rows, written = [], 0
    # Row by row across people, as devices syncing at the same time interleave.
    for index in range(PER_FILLER):
        for user_id in users:
            if written == missing:
                break
            row = list(template[index % len(template)])
            row[key_at], row[user_at], row[version_at] = new_key(rng), user_id, version
            if store.postgres:
                row[user_at], row[version_at] = str(user_id), str(version)
            rows.append(row)
            version += 1
            written += 1
            if len(rows) == CHUNK:
                store.insert(columns, rows)
                rows = []
    if rows:
        store.insert(columns, rows)
    check("entries stored", store.count(), target)
    return people_so_far + people


# -- run -------------------------------------------------------------------------------------

def run(database, workdir, args):
    """Build the data on one database, measure at both sizes, and return the figures."""
    now = datetime.now(timezone.utc)
    with fresh_database(database, workdir, args.pg_url) as url:
        env = app_env(workdir, url)
        migrate(env)
        with serve_app(workdir, env) as base, requests.Session() as session:
            print(f"{database}: diaries through the API ...", file=sys.stderr)
            twins = [Person(session, base, f"twin{i}") for i in range(2)]
            for twin in twins:
                twin.push(year_diary(twin.id, now))
            template = Person(session, base, "template")
            rng = random.Random(20240612)
            start = now - timedelta(days=3 * 365)
            template.push(in_order((new_key(rng), make_device_entry(
                rng, random_moment(rng, start, now - timedelta(days=1))))
                for _ in range(PER_FILLER)))
            physio = caseload(session, base, now)
            store = Store(database, url)
            try:
                figures = {}
                people = 0
                for size, twin in zip((args.small, args.large), twins):
                    print(f"{database}: filling to {size:,} entries ...", file=sys.stderr)
                    began = time.perf_counter()
                    people = fill(store, template.id, size, people)
                    store.analyze()
                    print(f"{database}: filled in {time.perf_counter() - began:.0f} s; "
                          "measuring ...", file=sys.stderr)
                    figures[size] = measure(twin, physio, now, args.repeat)
            finally:
                store.close()
    return figures


def report(database, figures, args):
    """Print the figures at both sizes and their ratios."""
    small, large = figures[args.small], figures[args.large]
    print(f"\n[{database}] {args.small:,} entries stored, then {args.large:,} "
          f"({PER_FILLER:,} per person); medians of {args.repeat} requests, in ms")
    print(f"  {'figure':44} {'at ' + format(args.small, ','):>10} "
          f"{'at ' + format(args.large, ','):>13} {'ratio':>6}  target")
    for name, label in (("pull", "pull page of 500"),
                        ("push", "push of 100 recent entries"),
                        ("patients", f"GET /care/patients, {PATIENTS} patients")):
        target = "<= 1.2x" if name != "patients" else ""
        print(f"  {label:44} {small[name]:10.1f} {large[name]:13.1f} "
              f"{large[name] / small[name]:6.2f}x  {target}")
    print(f"  {'care patients / pull page':44} {small['patients'] / small['pull']:9.2f}x "
          f"{large['patients'] / large['pull']:12.2f}x {'':6}  within 2x")


def parse_args(argv=None):
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=DATABASES, action="append",
                        help="run on this database (repeatable); default: both")
    parser.add_argument("--small", type=int, default=10_000, help="entries stored, first")
    parser.add_argument("--large", type=int, default=1_000_000, help="entries stored, then")
    parser.add_argument("--repeat", type=int, default=15,
                        help="requests timed per figure; the median is reported")
    parser.add_argument("--quick", action="store_true", help="--large 100000 --repeat 7")
    parser.add_argument("--pg-url", default=PG_ADMIN_URL,
                        help="a PostgreSQL database to connect to while creating and dropping "
                             "the bench's own (the role needs CREATEDB)")
    args = parser.parse_args(argv)
    if args.quick:
        args.large, args.repeat = 100_000, 7
    if args.repeat < 1 or not 0 < args.small < args.large:
        parser.error("--repeat must be positive and --small below --large")
    return args


def main(argv=None):
    """Run on every database asked for and print the tables."""
    args = parse_args(argv)
    began = time.monotonic()
    results = {}
    with tempfile.TemporaryDirectory(prefix="unknot-scale-") as tmp:
        for database in args.db or DATABASES:
            workdir = Path(tmp) / database
            workdir.mkdir()
            results[database] = run(database, workdir, args)
    for database, figures in results.items():
        report(database, figures, args)
    print(f"\n({time.monotonic() - began:.0f} s in all)")


if __name__ == "__main__":
    main()
