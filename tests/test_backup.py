"""A backup taken while people sync is one consistent moment, and restores row for row."""

import io
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import uuid

import psycopg2

from server import create_app
from server.db import db, is_postgres
from server.models.diary import Entry
from server.models.sync import Client, Counter
from tests.conftest import PG_URL, Auth
from tests.sync_helpers import Device, put

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNKNOT = [os.path.join(os.path.dirname(sys.executable), "unknot")]
DRINK = {"kind": "hydration", "volume_ml": 250, "drink": "water",
         "occurred_at": "2026-11-21T08:00:00+00:00"}
BATCH = 3


class Pusher(threading.Thread):
    """One device pushing batches of new drinks (one transaction each) until told to stop."""

    def __init__(self, app, token):
        super().__init__()
        self.device = Device(app.test_client(), token)
        self.batches, self.codes = 0, []
        self.pushed, self.stop = threading.Event(), threading.Event()

    def run(self):
        while not self.stop.is_set():
            first = self.batches * BATCH + 1
            response = self.device.push(*[put(first + i, data=DRINK) for i in range(BATCH)])
            self.codes.append(response.status_code)
            self.batches += 1
            self.pushed.set()

    def push_more(self, count):
        """Wait until this device has pushed `count` more batches, then stop it."""
        target = self.batches + count
        for _ in range(3000):
            if self.batches >= target or not self.is_alive():
                break
            time.sleep(0.01)
        self.stop.set()
        self.join()


def command(url, tmp_path, *args):
    env = dict(os.environ, UNKNOT_DATABASE_URL=url, UNKNOT_VAR_DIR=str(tmp_path),
               PYTHONPATH=ROOT)  # this checkout's code
    return subprocess.run(UNKNOT + list(args), env=env, capture_output=True, text=True,
                          timeout=120)


def backed_up_while_pushing(app, backup):
    """Run `backup()` while two devices push; return the pushers, stopped, and backup's answer."""
    client = app.test_client()
    auth = Auth(client)
    pushers = [Pusher(app, auth.register()[1]) for _ in range(2)]
    for pusher in pushers:
        pusher.start()
    try:
        for pusher in pushers:
            assert pusher.pushed.wait(timeout=60)
        answer = backup()
    finally:
        for pusher in pushers:
            pusher.push_more(2)
    assert {code for pusher in pushers for code in pusher.codes} == {200}
    return pushers, answer


def assert_one_moment(pushers):
    """Check the bound database is a snapshot: each device's progress matches its entries."""
    total = 0
    for pusher in pushers:
        client = Client.get_by_id(pusher.device.client_id)
        entries = Entry.select().where(Entry.user == client.user_id).count()
        assert client.last_mutation_id == entries and entries % BATCH == 0
        assert 0 < entries < pusher.batches * BATCH  # taken while the pushes ran
        total += entries
    versions = [entry.version for entry in Entry.select(Entry.version)]
    assert len(set(versions)) == total == len(versions)
    assert Counter.get_by_id("version").value >= max(versions)


def assert_it_serves_on(app, pushers):
    """Push once more from a restored device: ids and versions carry on where they stopped."""
    with app.app_context():
        db.connect(reuse_if_open=True)
        top = Counter.get_by_id("version").value
        last = Client.get_by_id(pushers[0].device.client_id).last_mutation_id
        db.close()
    device = Device(app.test_client(), pushers[0].device.token)
    device.client_id = pushers[0].device.client_id
    response = device.push(put(last + 1, data=DRINK))
    assert response.get_json()["results"][0]["status"] == "applied"
    assert response.get_json()["results"][0]["version"] > top
    assert Auth(app.test_client()).register()[1]


def sqlite_rows(path):
    """Read every row of every table of a SQLite file."""
    with sqlite3.connect(path) as connection:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
                for table in tables}


def test_a_backup_taken_while_pushing_restores_row_for_row(app, database_url, tmp_path,
                                                            request):
    if is_postgres():
        postgres_round_trip(app, database_url, tmp_path, request.getfixturevalue("pg_schema"))
    else:
        sqlite_round_trip(app, database_url, tmp_path)


def sqlite_round_trip(app, database_url, tmp_path):
    """`unknot backup`, then `unknot restore` into a new database."""
    copy, restored = tmp_path / "backup.db", tmp_path / "restored" / "unknot.db"
    pushers, answer = backed_up_while_pushing(
        app, lambda: command(database_url, tmp_path, "backup", str(copy)))
    assert answer.returncode == 0, answer.stderr
    db.close_all()

    restoring = command(f"sqlite:///{restored}", tmp_path, "restore", str(copy))
    assert restoring.returncode == 0, restoring.stderr
    assert sqlite_rows(restored) == sqlite_rows(copy)
    refused = command(f"sqlite:///{restored}", tmp_path, "restore", str(copy))
    assert refused.returncode != 0 and "--force" in refused.stderr
    forced = command(f"sqlite:///{restored}", tmp_path, "restore", "--force", str(copy))
    assert forced.returncode == 0, forced.stderr
    assert sqlite_rows(restored) == sqlite_rows(copy)

    served = create_app({"DATABASE_URL": f"sqlite:///{restored}", "VAR_DIR": str(tmp_path),
                         "RATELIMIT_ENABLED": False})
    with db.connection_context():
        assert_one_moment(pushers)
    assert_it_serves_on(served, pushers)


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database\n" * 100)
    refused = command(f"sqlite:///{tmp_path}/new.db", tmp_path, "restore", str(junk))
    assert refused.returncode != 0 and "not a usable SQLite backup" in refused.stderr


def copy_rows(text):
    """Read the rows of each table from the COPY blocks of a plain-text dump."""
    blocks = re.findall(r"^COPY (\S+) \(([^)]*)\) FROM stdin;\n(.*?)^\\\.$", text, re.M | re.S)
    return {table: (columns, sorted(rows.splitlines())) for table, columns, rows in blocks}


def pg_rows(url, dumped):
    """Read the same tables and columns as `dumped` from a database, in COPY's text form."""
    connection = psycopg2.connect(url)
    try:
        rows = {}
        with connection.cursor() as cursor:
            for table, (columns, _) in dumped.items():
                text = io.StringIO()
                cursor.copy_expert(f"COPY {table} ({columns}) TO STDOUT", text)
                rows[table] = (columns, sorted(text.getvalue().splitlines()))
        return rows
    finally:
        connection.close()


def postgres_round_trip(app, database_url, tmp_path, schema):
    """pg_dump -Fc, then pg_restore into a new database, as the README says."""
    dump = tmp_path / "unknot.dump"
    refused = command(database_url, tmp_path, "backup", str(dump))
    assert refused.returncode != 0 and "pg_dump -Fc" in refused.stderr
    # The documented command, narrowed to this test's schema: one snapshot of every table.
    pushers, answer = backed_up_while_pushing(app, lambda: subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-n", schema, "-d", PG_URL, "-f", str(dump)],
        capture_output=True, text=True, timeout=120))
    assert answer.returncode == 0, answer.stderr
    db.close_all()

    name = f"restore_{uuid.uuid4().hex[:10]}"
    base = PG_URL.rsplit("/", 1)[0]
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        restoring = subprocess.run(["pg_restore", "--no-owner", "-d", f"{base}/{name}", str(dump)],
                                   capture_output=True, text=True, timeout=120)
        assert restoring.returncode == 0, restoring.stderr
        listing = subprocess.run(["pg_restore", "--data-only", "-f", "-", str(dump)],
                                 capture_output=True, text=True, timeout=120, check=True)
        dumped = copy_rows(listing.stdout)
        assert f"{schema}.entry" in dumped and len(dumped) >= 10
        assert pg_rows(f"{base}/{name}", dumped) == dumped

        url = f"{base}/{name}?options=-csearch_path%3D{schema}"
        served = create_app({"DATABASE_URL": url, "VAR_DIR": str(tmp_path),
                             "RATELIMIT_ENABLED": False})
        with db.connection_context():
            assert_one_moment(pushers)
        assert_it_serves_on(served, pushers)
    finally:
        db.close_all()
        admin.cursor().execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()
