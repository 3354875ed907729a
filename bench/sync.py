"""Sync throughput: Unknot, served as `unknot run` does, against a CouchDB peer and a bare driver.

Three diaries go through three systems, on SQLite and on PostgreSQL, and are read back in pages:

- archive: one person's 10,000 cramps spread over ten years, batches of 500;
- device:  what phones send: 100 people, each 100 entries of the last three weeks (cramps,
           drinks, routine logs), in batches of 1 to 50, each person from their own device;
- dense:   one person's 10,000 night cramps of the last four weeks, batches of 500: every one
           is judged by the pattern rules against a crowded window (the stress case).

The systems:

- unknot: served as `unknot run` serves it (gunicorn's threaded worker with keep-alive, one
          process); `POST /api/v1/sync/push`, then a second device of each person pulls with
          `/sync/pull`;
- peer:   `pouchdb-server` (npm), one database per person; `_bulk_docs`, then `_changes`;
- floor:  the bare driver (`sqlite3` executemany, psycopg2 execute_values), one transaction
          per batch, then pages by version per person;
- client: the same pushes sent to a server that does nothing (gunicorn as `unknot run` runs it,
          answering every push at once): what this client and HTTP cost on their own.

No server can push faster than the client's own cost plus the floor's writes, so the bench
also prints the best ratio to the peer that any server could reach here (the ceiling):
peer time / (client time + floor time).

It prints entries/s for each, the ratios (unknot / peer, unknot / floor), and the cost per entry
of a dense push against an archive push. It reports; it asserts nothing about speed. It fails
loudly when a count is wrong or when the data misses the slow path it is meant to take.

    .venv/bin/python bench/sync.py                        # both databases, all three diaries
    .venv/bin/python bench/sync.py --quick                # smaller diaries, a minute or two
    .venv/bin/python bench/sync.py --db postgres --diary dense --repeat 3
"""

import argparse
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
PEER_BIN = BENCH / "node_modules" / ".bin" / "pouchdb-server"
HOST = "127.0.0.1"
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 600
PARTS = ("unknot", "peer", "floor", "client")
DIARIES = ("archive", "device", "dense")
DATABASES = ("sqlite", "postgres")
PG_ADMIN_URL = "postgresql://unknot:unknot@127.0.0.1:5432/postgres"
PAGE = 500  # the server's largest pull page
# The pattern rules read windows of up to 28 days back from each episode; the server judges
# patterns only for episodes of the last 28 days. Recent data stays a margin inside that.
RECENT_DAYS = 27

MUSCLES = ("calf",) * 6 + ("foot", "hamstring", "hamstring", "quadriceps", "hand", "neck", "back")
CONTEXTS = ("night",) * 4 + ("exercise",) * 3 + ("rest", "other")
TRIGGERS = ("intense_exercise", "long_exercise", "dehydration", "heavy_sweating", "heat",
            "little_sleep", "stress", "new_footwear", "missed_stretching", "caffeine")
RELIEFS = ("stretch", "weight_bearing", "pressure", "massage", "heat", "water", "electrolytes",
           "walking")
NOTES = ("", "", "", "woke me up, eased after stretching", "during the last kilometre",
         "after a long day on my feet", "second one tonight", "hot day, little water")
DRINKS = ("water",) * 5 + ("electrolyte", "coffee", "tea", "ors")
ROUTINES = (("calf-length", 4), ("night-stretch", 3), ("hamstring-basic", 5))
OFFSETS = (timedelta(hours=0), timedelta(hours=1), timedelta(hours=2), timedelta(hours=-5),
           timedelta(hours=5, minutes=30))
PATTERN_TYPES = ("nights", "rising", "severe_run")


# -- data ------------------------------------------------------------------------------------

@dataclass
class Diary:
    """What one case pushes: per person, the batches their device sends, in order."""

    name: str
    title: str
    people: list  # [[batch, ...], ...]; a batch is [(key, data), ...]

    @property
    def count(self):
        return sum(len(batch) for batches in self.people for batch in batches)

    def entries(self, person):
        return [entry for batch in self.people[person] for entry in batch]


def new_key(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def stamp(rng, when):
    """Return `when` as ISO 8601 in one of the offsets people live in."""
    return when.astimezone(timezone(rng.choice(OFFSETS))).replace(microsecond=0).isoformat()


def make_cramp(rng, when, context=None, severe=False):
    """Return one realistic cramp entry's data at `when`."""
    # Most cramps are moderate and over within a minute or two; a few are long and hard.
    intensity = rng.randint(7, 10) if severe else round(rng.triangular(1, 10, 5))
    duration = rng.randint(120, 600) if severe else min(900, 5 + int(rng.expovariate(1 / 60)))
    return {
        "kind": "cramp",
        "occurred_at": stamp(rng, when),
        "muscle": rng.choice(MUSCLES),
        "side": rng.choice(("left", "right", "left", "right", "both")),
        "intensity": intensity,
        "duration_s": duration,
        "context": context or rng.choice(CONTEXTS),
        "triggers": rng.sample(TRIGGERS, rng.randint(0, 3)),
        "reliefs": rng.sample(RELIEFS, rng.randint(1, 3)),
        "note": rng.choice(NOTES),
    }


def make_drink(rng, when):
    return {"kind": "hydration", "occurred_at": stamp(rng, when),
            "volume_ml": rng.choice((150, 200, 250, 330, 500)), "drink": rng.choice(DRINKS)}


def make_routine(rng, when):
    routine, steps = rng.choice(ROUTINES)
    done = rng.choice((steps, steps, steps, rng.randint(0, steps)))
    return {"kind": "routine", "occurred_at": stamp(rng, when), "routine": routine,
            "completed_steps": done, "total_steps": steps, "duration_s": 60 * done}


def make_device_entry(rng, when):
    """Return what a phone logs: mostly drinks, then cramps, then stretching sessions."""
    roll = rng.random()
    if roll < 0.35:
        return make_cramp(rng, when)
    if roll < 0.8:
        return make_drink(rng, when)
    return make_routine(rng, when)


def in_order(entries):
    """Sort (key, data) pairs by when they happened, as a device queues what its owner logs."""
    return sorted(entries, key=lambda entry: datetime.fromisoformat(entry[1]["occurred_at"]))


def cut(entries, size):
    """Return consecutive slices of at most `size` items."""
    return [entries[offset:offset + size] for offset in range(0, len(entries), size)]


def random_moment(rng, start, end):
    return start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds()))


def archive_diary(count, days, batch, seed=20240601):
    """One person's cramps spread over the `days` before 2026-01-01, the same on every run."""
    rng = random.Random(seed)
    end = datetime(2026, 1, 1, tzinfo=timezone.utc)
    start = end - timedelta(days=days)
    entries = in_order((new_key(rng), make_cramp(rng, random_moment(rng, start, end)))
                       for _ in range(count))
    return Diary("archive", f"{count} cramps over {days} days, batches of {batch}, one person",
                 [cut(entries, batch)])


def device_diary(people, per_person, now, days=21, seed=20240602):
    """Many people, each logging a few entries a day of the last `days`, sent in batches of 1-50."""
    rng = random.Random(seed)
    end, start = now - timedelta(minutes=10), now - timedelta(days=days)
    diary = []
    for _ in range(people):
        entries = in_order((new_key(rng), make_device_entry(rng, random_moment(rng, start, end)))
                           for _ in range(per_person))
        batches, offset = [], 0
        while offset < len(entries):
            size = rng.randint(1, 50)
            batches.append(entries[offset:offset + size])
            offset += size
        diary.append(batches)
    return Diary("device", f"{people} people x {per_person} entries of the last {days} days "
                           "(35% cramps, 45% drinks, 20% routines), batches of 1-50", diary)


def dense_diary(count, now, batch, seed=20240603):
    """One person's night cramps packed into the last four weeks; one in five long and hard."""
    rng = random.Random(seed)
    end, start = now - timedelta(hours=1), now - timedelta(days=RECENT_DAYS)
    entries = in_order((new_key(rng), make_cramp(rng, random_moment(rng, start, end), "night",
                                                 severe=rng.random() < 0.2))
                       for _ in range(count))
    return Diary("dense", f"{count} night cramps in the last {RECENT_DAYS} days, batches of "
                          f"{batch}, one person", [cut(entries, batch)])


def pattern_rules():
    """Return the ids of the red-flag rules about patterns across episodes."""
    rules = json.loads((ROOT / "server" / "content" / "redflags.json").read_text())
    return {rule["id"] for rule in rules if rule["when"]["type"] in PATTERN_TYPES}


# -- processes -------------------------------------------------------------------------------

def free_port():
    """Return a TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start(argv, log_path, env=None, cwd=ROOT):
    """Start a server in its own process group, its output going to a log file."""
    log = open(log_path, "wb")
    try:
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    finally:
        log.close()


def stop(proc):
    """Stop a server started by `start` and everything it forked, waiting a bounded time."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def tail(path, lines=30):
    """Return the last lines of a log file, for error messages."""
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def wait_ready(session, url, proc, log_path):
    """Poll `url` until it answers 200, failing if the process dies or time runs out."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}:\n{tail(log_path)}")
        try:
            if session.get(url, timeout=5).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.2)
    raise SystemExit(f"server not ready after {START_TIMEOUT_S} s at {url}:\n{tail(log_path)}")


def expect(response, status=200):
    """Return the JSON body of a response, failing loudly on any other status."""
    if response.status_code != status:
        raise SystemExit(f"{response.request.method} {response.url} -> {response.status_code}: "
                         f"{response.text[:2000]}")
    return response.json()


def check(label, got, want):
    """Fail loudly when a count is not what it must be."""
    if got != want:
        raise SystemExit(f"{label}: got {got}, expected {want}")


def timed(func, *args):
    """Run func(*args) and return the seconds it took."""
    began = time.perf_counter()
    func(*args)
    return time.perf_counter() - began


# -- databases -------------------------------------------------------------------------------

@contextlib.contextmanager
def fresh_database(kind, workdir, admin_url):
    """Yield the URL of a new, empty database of this kind; drop it afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'unknot.db'}"
        return
    import psycopg2

    name = f"unknot_bench_{secrets.token_hex(6)}"
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE {name}")
        try:
            yield admin_url.rsplit("/", 1)[0] + "/" + name
        finally:
            with admin.cursor() as cur:
                drop_database(cur, name)
    finally:
        admin.close()


def drop_database(cursor, name, tries=25):
    """Drop a bench database once the sessions on it are gone.

    A plain DROP DATABASE stops an autovacuum worker on it by itself; WITH (FORCE) would try to
    terminate that worker too, which a role without superuser may not do. A session of the
    app's that is still closing is waited for a few seconds.
    """
    import psycopg2

    for attempt in range(tries):
        try:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except psycopg2.errors.ObjectInUse:
            if attempt == tries - 1:
                raise
            time.sleep(0.2)


def app_env(workdir, url):
    """Return the environment for the app: its own database, no rate limits."""
    env = dict(os.environ)
    env["UNKNOT_DATABASE_URL"] = url
    env["UNKNOT_RATELIMIT_ENABLED"] = "false"
    env["UNKNOT_VAR_DIR"] = str(workdir / "var")
    return env


def migrate(env):
    """Apply the app's migrations with this checkout's code (`unknot migrate`)."""
    done = subprocess.run([PYTHON, "-c", "from server.cli import main; main()", "migrate"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode:
        raise SystemExit(f"unknot migrate failed:\n{done.stdout}\n{done.stderr}")


def run_args(port):
    """Return gunicorn's arguments as `unknot run` builds them (one process, its threads and
    keep-alive), less the access log: the peer is run without its request log too."""
    sys.path.insert(0, str(ROOT))
    from server import config
    from server.cli import gunicorn_args

    settings = config.load({"HOST": HOST, "PORT": port, "WORKERS": 1,
                            "RATELIMIT_ENABLED": False})
    args = gunicorn_args(settings)
    at = args.index("--access-logfile")
    return args[:at] + args[at + 2:]


@contextlib.contextmanager
def serve_app(workdir, env):
    """Run this checkout's app the way `unknot run` serves it; yield the API's base URL."""
    port = free_port()
    log_path = workdir / "gunicorn.log"
    proc = start([PYTHON, "-m", "gunicorn", *run_args(port), "server:create_app()"], log_path,
                 env=env)
    try:
        base = f"http://{HOST}:{port}/api/v1"
        with requests.Session() as session:
            wait_ready(session, f"{base}/health", proc, log_path)
        yield base
    finally:
        stop(proc)


# -- unknot ----------------------------------------------------------------------------------

def register(session, base, name, role="member"):
    """Create an account; return its token and id."""
    account = {"email": f"{name}@example.org", "password": "bench-password-123",
               "display_name": name.title(), "role": role}
    body = expect(session.post(f"{base}/auth/register", json=account), 201)
    return body["token"], body["user"]["id"]


def mutations_of(batch, first_id):
    return [{"id": first_id + i, "op": "put", "entity": "entry", "key": key, "base_version": 0,
             "data": data} for i, (key, data) in enumerate(batch)]


def unknot_push(session, base, token, batches, client_id=None):
    """Push every batch from one device; check each entry was applied; return the results."""
    client_id = client_id or str(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token}"}
    results = []
    mutation_id = 0
    for batch in batches:
        body = {"client_id": client_id, "schema_version": 1,
                "mutations": mutations_of(batch, mutation_id + 1)}
        mutation_id += len(batch)
        result = expect(session.post(f"{base}/sync/push", json=body, headers=headers,
                                     timeout=REQUEST_TIMEOUT_S))
        check("last_mutation_id", result["last_mutation_id"], mutation_id)
        results.extend(result["results"])
    check("unknot entries applied", sum(item["status"] == "applied" for item in results),
          sum(map(len, batches)))
    return results


def unknot_pull(session, base, token, entries):
    """Pull everything as a second device, page by page; check every entry arrived."""
    client_id = str(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token}"}
    keys = set()
    cursor = 0
    for _ in range(len(entries) // PAGE + 10):
        body = {"client_id": client_id, "cursor": cursor, "limit": PAGE}
        page = expect(session.post(f"{base}/sync/pull", json=body, headers=headers,
                                   timeout=REQUEST_TIMEOUT_S))
        keys.update(change["key"] for change in page["changes"]
                    if change["entity"] == "entry" and not change["deleted"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    else:
        raise SystemExit("unknot pull: has_more never became false")
    check("unknot keys pulled", keys == {key for key, _ in entries}, True)


def check_slow_path(diary, results):
    """Fail when the diary misses what it is there to measure: the pattern rules."""
    patterns = pattern_rules()
    flagged = sum(1 for item in results
                  if any(flag["rule"] in patterns
                         for flag in (item.get("assessment") or {}).get("flags", ())))
    if diary.name == "dense" and flagged < 0.9 * diary.count:
        raise SystemExit(f"dense diary: only {flagged} of {diary.count} cramps raised a pattern "
                         "rule; the data no longer reaches the rules' windows")
    if diary.name == "device" and not flagged:
        raise SystemExit("device diary: no cramp raised a pattern rule; the data misses the "
                         "rules' windows")


def run_unknot(workdir, diary, database, admin_url):
    """Migrate a fresh database, serve as `unknot run` does (one process); push then pull."""
    with fresh_database(database, workdir, admin_url) as url:
        env = app_env(workdir, url)
        migrate(env)
        with serve_app(workdir, env) as base, requests.Session() as session:
            tokens = [register(session, base, f"bench{i}")[0] for i in range(len(diary.people))]
            results = []
            began = time.perf_counter()
            for token, batches in zip(tokens, diary.people):
                results.extend(unknot_push(session, base, token, batches))
            push_s = time.perf_counter() - began
            check_slow_path(diary, results)
            began = time.perf_counter()
            for person, token in enumerate(tokens):
                unknot_pull(session, base, token, diary.entries(person))
            pull_s = time.perf_counter() - began
    return push_s, pull_s


# -- client: a server that does nothing -----------------------------------------------------

NULL_REPLY = b'{"last_mutation_id": 0, "results": []}'


def null_app(environ, start_response):
    """Read the request and answer at once: the WSGI app of the `client` part."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(NULL_REPLY)))])
    return [NULL_REPLY]


def run_client(workdir, diary, database, admin_url):
    """Send the unknot part's pushes, same bodies and headers, to a server doing nothing."""
    port = free_port()
    log_path = workdir / "null.log"
    proc = start([PYTHON, "-m", "gunicorn", *run_args(port), "sync:null_app"], log_path,
                 env=dict(os.environ, PYTHONPATH=str(BENCH)), cwd=BENCH)
    try:
        base = f"http://{HOST}:{port}"
        with requests.Session() as session:
            wait_ready(session, f"{base}/", proc, log_path)
            headers = {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}
            began = time.perf_counter()
            for batches in diary.people:
                client_id, mutation_id = str(uuid.uuid4()), 0
                for batch in batches:
                    body = {"client_id": client_id, "schema_version": 1,
                            "mutations": mutations_of(batch, mutation_id + 1)}
                    mutation_id += len(batch)
                    expect(session.post(f"{base}/api/v1/sync/push", json=body, headers=headers,
                                        timeout=REQUEST_TIMEOUT_S))
            push_s = time.perf_counter() - began
    finally:
        stop(proc)
    return push_s, None


# -- peer: pouchdb-server --------------------------------------------------------------------

def ensure_peer():
    """Install the pinned pouchdb-server into bench/node_modules when it is missing."""
    if PEER_BIN.exists():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise SystemExit("the peer needs Node.js and npm (Debian: apt-get install nodejs npm)")
    print("installing pouchdb-server into bench/node_modules ...", file=sys.stderr)
    subprocess.run([npm, "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"], check=True,
                   timeout=900)


def peer_push(session, db_url, batches):
    """Write every entry as a document through `_bulk_docs`, in batches; check each one."""
    written = 0
    for batch in batches:
        docs = [dict(data, _id=key) for key, data in batch]
        result = expect(session.post(f"{db_url}/_bulk_docs", json={"docs": docs},
                                     timeout=REQUEST_TIMEOUT_S), 201)
        written += sum(1 for item in result if item.get("ok"))
    check("peer documents written", written, sum(map(len, batches)))


def peer_pull(session, db_url, entries):
    """Read every document back through `_changes?include_docs=true`, page by page."""
    ids = set()
    since = 0
    for _ in range(len(entries) // PAGE + 10):
        params = {"include_docs": "true", "limit": PAGE, "since": since}
        page = expect(session.get(f"{db_url}/_changes", params=params,
                                  timeout=REQUEST_TIMEOUT_S))
        ids.update(row["doc"]["_id"] for row in page["results"]
                   if not row["id"].startswith("_design/"))
        since = page["last_seq"]
        # A short page is the last one (PouchDB sends no `pending` count).
        if len(page["results"]) < PAGE:
            break
    else:
        raise SystemExit("peer pull: _changes never ran out")
    check("peer ids pulled", ids == {key for key, _ in entries}, True)


def run_peer(workdir, diary, database, admin_url):
    """Serve pouchdb-server (LevelDB in a temp dir), one database per person; write then read."""
    port = free_port()
    log_path = workdir / "server.log"
    # -n: no per-request log on stdout, as gunicorn keeps no access log by default.
    proc = start([str(PEER_BIN), "--port", str(port), "--host", HOST, "--dir", f"{workdir}/",
                  "--config", str(workdir / "config.json"), "-n", "--no-color"],
                 log_path, cwd=workdir)
    try:
        base = f"http://{HOST}:{port}"
        with requests.Session() as session:
            wait_ready(session, f"{base}/", proc, log_path)
            urls = [f"{base}/bench{i}" for i in range(len(diary.people))]
            for url in urls:
                expect(session.put(url), 201)
            began = time.perf_counter()
            for url, batches in zip(urls, diary.people):
                peer_push(session, url, batches)
            push_s = time.perf_counter() - began
            began = time.perf_counter()
            for person, url in enumerate(urls):
                peer_pull(session, url, diary.entries(person))
            pull_s = time.perf_counter() - began
    finally:
        stop(proc)
    return push_s, pull_s


# -- floor: the bare driver ------------------------------------------------------------------

FLOOR_SCHEMA = """
CREATE TABLE entry (key VARCHAR(36) PRIMARY KEY, user_id INTEGER NOT NULL, data {json} NOT NULL,
                    version BIGINT NOT NULL);
CREATE UNIQUE INDEX entry_version ON entry (version);
CREATE INDEX entry_user_version ON entry (user_id, version);
"""


class SqliteFloor:
    """The sqlite3 module with the app's pragmas: executemany per batch, in a transaction."""

    def __init__(self, workdir):
        self.conn = sqlite3.connect(workdir / "floor.db", isolation_level=None)
        for pragma in ("journal_mode=wal", "synchronous=normal", "foreign_keys=1"):
            self.conn.execute(f"PRAGMA {pragma}")
        self.conn.executescript(FLOOR_SCHEMA.format(json="TEXT"))
        self.conn.isolation_level = "IMMEDIATE"

    def insert(self, rows):
        with self.conn:
            self.conn.executemany("INSERT INTO entry (key, user_id, data, version) "
                                  "VALUES (?, ?, ?, ?)", rows)

    def page(self, user, version):
        return self.conn.execute("SELECT key, data, version FROM entry WHERE user_id = ? AND "
                                 "version > ? ORDER BY version LIMIT ?",
                                 (user, version, PAGE)).fetchall()

    def close(self):
        self.conn.close()


class PostgresFloor:
    """psycopg2 with execute_values per batch, in a transaction; JSON read back as text."""

    def __init__(self, url):
        import psycopg2
        import psycopg2.extras

        self.execute_values = psycopg2.extras.execute_values
        self.conn = psycopg2.connect(url)
        with self.conn, self.conn.cursor() as cur:
            cur.execute(FLOOR_SCHEMA.format(json="JSON"))

    def insert(self, rows):
        with self.conn, self.conn.cursor() as cur:
            self.execute_values(cur, "INSERT INTO entry (key, user_id, data, version) VALUES %s",
                                rows, page_size=len(rows))

    def page(self, user, version):
        with self.conn, self.conn.cursor() as cur:
            cur.execute("SELECT key, data::text, version FROM entry WHERE user_id = %s AND "
                        "version > %s ORDER BY version LIMIT %s", (user, version, PAGE))
            return cur.fetchall()

    def close(self):
        self.conn.close()


def floor_push(floor, diary):
    """Insert every person's batches, one transaction per batch."""
    version = 0
    for user, batches in enumerate(diary.people):
        for batch in batches:
            rows = []
            for key, data in batch:
                version += 1
                rows.append((key, user, json.dumps(data), version))
            floor.insert(rows)


def floor_pull(floor, diary):
    """Read every person's rows back in pages by version, decoding each document."""
    for user in range(len(diary.people)):
        entries = diary.entries(user)
        keys = set()
        version = 0
        for _ in range(len(entries) // PAGE + 10):
            rows = floor.page(user, version)
            # Decode like a client would: the servers' pulls pay for JSON too.
            keys.update({key: json.loads(data) for key, data, _ in rows})
            if len(rows) < PAGE:
                break
            version = rows[-1][2]
        else:
            raise SystemExit("floor pull: pages never ran out")
        check("floor keys pulled", keys == {key for key, _ in entries}, True)


def run_floor(workdir, diary, database, admin_url):
    """Write and read the rows with the bare driver."""
    with fresh_database(database, workdir, admin_url) as url:
        floor = SqliteFloor(workdir) if database == "sqlite" else PostgresFloor(url)
        try:
            push_s = timed(floor_push, floor, diary)
            pull_s = timed(floor_pull, floor, diary)
        finally:
            floor.close()
    return push_s, pull_s


# -- report ----------------------------------------------------------------------------------

LABELS = {
    ("unknot", "sqlite"): "unknot (unknot run, 1 process, SQLite)",
    ("unknot", "postgres"): "unknot (unknot run, 1 process, PG)",
    ("peer", "sqlite"): "pouchdb-server 4.2 (LevelDB)",
    ("peer", "postgres"): "pouchdb-server 4.2 (LevelDB)",
    ("floor", "sqlite"): "floor (sqlite3 executemany)",
    ("floor", "postgres"): "floor (psycopg2 execute_values)",
    ("client", "sqlite"): "client (a server doing nothing)",
    ("client", "postgres"): "client (a server doing nothing)",
}


def median_times(runs):
    """Return (median push s, median pull s) of a part's rounds."""
    pulls = [pull for _, pull in runs if pull is not None]
    return (statistics.median(push for push, _ in runs),
            statistics.median(pulls) if pulls else None)


def report_case(database, diary, runs, repeat):
    """Print one diary's table on one database: entries/s and the ratios that exist."""
    count = diary.count
    rounds = f", median of {repeat} rounds" if repeat > 1 else ""
    print(f"\n[{database}] {diary.name}: {diary.title}{rounds}")
    print(f"  {'system':36} {'push/s':>9} {'pull/s':>9} {'push s':>8} {'pull s':>8}")
    times = {part: median_times(part_runs) for part, part_runs in runs.items()}
    for part, (push_s, pull_s) in times.items():
        pulled = ("-", "-") if pull_s is None else (f"{count / pull_s:.0f}", f"{pull_s:.2f}")
        print(f"  {LABELS[part, database]:36} {count / push_s:9.0f} {pulled[0]:>9} "
              f"{push_s:8.2f} {pulled[1]:>8}")
    ours = times.get("unknot")
    ratios = {}
    if ours:
        for other in ("peer", "floor"):
            if other in times:
                ratios[other] = (times[other][0] / ours[0], times[other][1] / ours[1])
                print(f"  unknot / {other:5}  push {ratios[other][0]:6.2f}x   "
                      f"pull {ratios[other][1]:6.2f}x")
    if {"peer", "floor", "client"} <= set(times):
        best = times["peer"][0] / (times["client"][0] + times["floor"][0])
        ratios["ceiling"] = (best, None)
        print(f"  ceiling: the best push / peer any server could reach here: {best:.2f}x")
    return times, ratios


def report_summary(summary, counts):
    """Print the figures the targets name, one line per database and diary."""
    print("\nsummary: unknot / peer (target >= 3x), unknot / floor, and the push ceiling")
    print(f"  {'database':9} {'diary':8} {'push/peer':>10} {'pull/peer':>10} "
          f"{'push/floor':>11} {'pull/floor':>11} {'ceiling':>8}")
    for (database, name), (_, ratios) in summary.items():
        cells = []
        for other in ("peer", "floor"):
            push, pull = ratios.get(other, (None, None))
            cells += ["-" if ratio is None else f"{ratio:.2f}x" for ratio in (push, pull)]
        ceiling = ratios.get("ceiling", (None,))[0]
        cells.append("-" if ceiling is None else f"{ceiling:.2f}x")
        print(f"  {database:9} {name:8} {cells[0]:>10} {cells[1]:>10} {cells[2]:>11} "
              f"{cells[3]:>11} {cells[4]:>8}")
    print("\ncost per entry, dense push against archive push (target under 1.5 for unknot)")
    for database in DATABASES:
        dense, archive = summary.get((database, "dense")), summary.get((database, "archive"))
        if not dense or not archive:
            continue
        for part in dense[0]:
            if part in archive[0] and part != "client":
                cost = ((dense[0][part][0] / counts["dense"])
                        / (archive[0][part][0] / counts["archive"]))
                print(f"  {LABELS[part, database]:36} {cost:6.2f}")


# -- command line ----------------------------------------------------------------------------

def parse_args(argv=None):
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=DATABASES, action="append",
                        help="run on this database (repeatable); default: both")
    parser.add_argument("--diary", choices=DIARIES, action="append",
                        help="run this diary (repeatable); default: all three")
    parser.add_argument("--only", choices=PARTS, action="append",
                        help="run only this system (repeatable); default: all three")
    parser.add_argument("--entries", type=int, default=10_000,
                        help="entries in the archive and dense diaries")
    parser.add_argument("--batch", type=int, default=500,
                        help="push batch of the archive and dense diaries (at most 500)")
    parser.add_argument("--days", type=int, default=3650, help="the archive diary's spread")
    parser.add_argument("--people", type=int, default=100, help="people in the device diary")
    parser.add_argument("--per-person", type=int, default=100,
                        help="entries per person in the device diary")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every part this many times, interleaved, and report medians")
    parser.add_argument("--quick", action="store_true",
                        help="2,000 entries and 20 people x 50 entries: a smoke run")
    parser.add_argument("--pg-url", default=os.environ.get("UNKNOT_BENCH_PG_URL", PG_ADMIN_URL),
                        help="a PostgreSQL database to connect to while creating and dropping "
                             "the bench's own (the role needs CREATEDB); "
                             "default: $UNKNOT_BENCH_PG_URL or %(default)s")
    args = parser.parse_args(argv)
    if args.quick:
        args.entries, args.people, args.per_person = 2000, 20, 50
    if min(args.entries, args.batch, args.repeat, args.days, args.people, args.per_person) < 1:
        parser.error("counts, sizes, --days and --repeat must be positive")
    if args.batch > 500:
        parser.error("--batch is at most 500, the server's largest push")
    return args


def main(argv=None):
    """Run every diary on every database asked for, and print the tables."""
    args = parse_args(argv)
    now = datetime.now(timezone.utc)
    builders = {
        "archive": lambda: archive_diary(args.entries, args.days, args.batch),
        "device": lambda: device_diary(args.people, args.per_person, now),
        "dense": lambda: dense_diary(args.entries, now, args.batch),
    }
    runners = {"unknot": run_unknot, "peer": run_peer, "floor": run_floor, "client": run_client}
    parts = [part for part in PARTS if not args.only or part in args.only]
    if "peer" in parts:
        ensure_peer()
    summary, counts = {}, {}
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="unknot-bench-") as tmp:
        for database in args.db or DATABASES:
            for name in args.diary or DIARIES:
                diary = builders[name]()
                counts[name] = diary.count
                runs = {}
                # Rounds interleave the parts, so a burst of load elsewhere hits them all alike.
                for round_ in range(args.repeat):
                    for part in parts:
                        print(f"{database} {name}: {part} ({round_ + 1}/{args.repeat}) ...",
                              file=sys.stderr)
                        workdir = Path(tmp) / f"{database}-{name}-{part}-{round_}"
                        workdir.mkdir()
                        runs.setdefault(part, []).append(
                            runners[part](workdir, diary, database, args.pg_url))
                summary[database, name] = report_case(database, diary, runs, args.repeat)
    report_summary(summary, counts)
    print(f"\n({time.monotonic() - began:.0f} s in all)")


if __name__ == "__main__":
    main()
