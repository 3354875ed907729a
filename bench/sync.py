"""Sync throughput: Unknot under gunicorn against a CouchDB-protocol peer and a bare SQLite floor.

One run pushes the same cramp entries through three systems and reads them back in pages:

- unknot: `POST /api/v1/sync/push` in batches, then a second device pulls with `/sync/pull`;
- peer:   `pouchdb-server` (npm), `_bulk_docs` in batches, then `_changes?include_docs=true`;
- floor:  the `sqlite3` module, `executemany` per batch in a transaction, then pages by version.

It prints entries/s for each and the ratios (unknot / peer, unknot / floor). It reports; it
asserts nothing about speed. It fails loudly when a count is wrong. Everything is on 127.0.0.1.

    .venv/bin/python bench/sync.py                      # 10,000 entries, batches of 500
    .venv/bin/python bench/sync.py --entries 1000       # a quick run
"""

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"
PEER_BIN = BENCH / "node_modules" / ".bin" / "pouchdb-server"
HOST = "127.0.0.1"
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 300
PARTS = ("unknot", "peer", "floor")

MUSCLES = ("calf",) * 6 + ("foot", "hamstring", "hamstring", "quadriceps", "hand", "neck", "back")
CONTEXTS = ("night",) * 4 + ("exercise",) * 3 + ("rest", "other")
TRIGGERS = ("intense_exercise", "long_exercise", "dehydration", "heavy_sweating", "heat",
            "little_sleep", "stress", "new_footwear", "missed_stretching", "caffeine")
RELIEFS = ("stretch", "weight_bearing", "pressure", "massage", "heat", "water", "electrolytes",
           "walking")
NOTES = ("", "", "", "woke me up, eased after stretching", "during the last kilometre",
         "after a long day on my feet", "second one tonight", "hot day, little water")
OFFSETS = (timedelta(hours=0), timedelta(hours=1), timedelta(hours=2), timedelta(hours=-5),
           timedelta(hours=5, minutes=30))


# -- data ------------------------------------------------------------------------------------

def make_entry(rng, start, days):
    """Return one realistic cramp entry as (key, data), some time in the `days` after start."""
    tz = timezone(rng.choice(OFFSETS))
    when = (start + timedelta(seconds=rng.randrange(days * 86400))).astimezone(tz)
    data = {
        "kind": "cramp",
        "occurred_at": when.replace(microsecond=0).isoformat(),
        "muscle": rng.choice(MUSCLES),
        "side": rng.choice(("left", "right", "left", "right", "both")),
        # Most cramps are moderate and over within a minute or two; a few are long and hard.
        "intensity": round(rng.triangular(1, 10, 5)),
        "duration_s": min(900, 5 + int(rng.expovariate(1 / 60))),
        "context": rng.choice(CONTEXTS),
        "triggers": rng.sample(TRIGGERS, rng.randint(0, 3)),
        "reliefs": rng.sample(RELIEFS, rng.randint(1, 3)),
        "note": rng.choice(NOTES),
    }
    return str(uuid.UUID(int=rng.getrandbits(128), version=4)), data


def make_entries(count, days, seed=20240601):
    """Return `count` entries spread over the `days` before 2026-01-01, the same on every run.

    They come in the order they happened, as a device queues what its owner logs.
    """
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc) - timedelta(days=days)
    entries = [make_entry(rng, start, days) for _ in range(count)]
    return sorted(entries, key=lambda entry: datetime.fromisoformat(entry[1]["occurred_at"]))


def batches(items, size):
    """Yield consecutive slices of at most `size` items."""
    for offset in range(0, len(items), size):
        yield items[offset:offset + size]


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


# -- unknot ----------------------------------------------------------------------------------

def unknot_env(workdir):
    """Return the environment for the app: its own SQLite file, no rate limits."""
    env = dict(os.environ)
    env["UNKNOT_DATABASE_URL"] = f"sqlite:///{workdir / 'unknot.db'}"
    env["UNKNOT_RATELIMIT_ENABLED"] = "false"
    env["UNKNOT_VAR_DIR"] = str(workdir / "var")
    return env


def unknot_push(session, base, token, entries, size):
    """Push every entry as a new client, in batches; check each one was applied."""
    client_id = str(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token}"}
    applied = 0
    mutation_id = 0
    for batch in batches(entries, size):
        mutations = []
        for key, data in batch:
            mutation_id += 1
            mutations.append({"id": mutation_id, "op": "put", "entity": "entry", "key": key,
                              "base_version": 0, "data": data})
        body = {"client_id": client_id, "schema_version": 1, "mutations": mutations}
        result = expect(session.post(f"{base}/sync/push", json=body, headers=headers,
                                     timeout=REQUEST_TIMEOUT_S))
        applied += sum(1 for item in result["results"] if item["status"] == "applied")
        check("last_mutation_id", result["last_mutation_id"], mutation_id)
    check("unknot entries applied", applied, len(entries))


def unknot_pull(session, base, token, entries, size):
    """Pull everything as a second device, page by page; check every entry arrived."""
    client_id = str(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token}"}
    keys = set()
    cursor = 0
    for _ in range(len(entries) // size + 10):
        body = {"client_id": client_id, "cursor": cursor, "limit": size}
        page = expect(session.post(f"{base}/sync/pull", json=body, headers=headers,
                                   timeout=REQUEST_TIMEOUT_S))
        keys.update(change["key"] for change in page["changes"]
                    if change["entity"] == "entry" and not change["deleted"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break
    else:
        raise SystemExit("unknot pull: has_more never became false")
    check("unknot entries pulled", len(keys), len(entries))
    check("unknot keys pulled", keys == {key for key, _ in entries}, True)


def run_unknot(workdir, entries, size):
    """Migrate, serve under gunicorn (one worker), push then pull; return (push s, pull s)."""
    env = unknot_env(workdir)
    migrate = subprocess.run([str(VENV_BIN / "unknot"), "migrate"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    if migrate.returncode:
        raise SystemExit(f"unknot migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
    port = free_port()
    log_path = workdir / "gunicorn.log"
    proc = start([str(VENV_BIN / "gunicorn"), "-w", "1", "-b", f"{HOST}:{port}",
                  "server:create_app()"], log_path, env=env)
    try:
        base = f"http://{HOST}:{port}/api/v1"
        with requests.Session() as session:
            wait_ready(session, f"{base}/health", proc, log_path)
            account = {"email": "bench@example.org", "password": "bench-password-123",
                       "display_name": "Bench"}
            token = expect(session.post(f"{base}/auth/register", json=account), 201)["token"]
            push_s = timed(unknot_push, session, base, token, entries, size)
            pull_s = timed(unknot_pull, session, base, token, entries, size)
    finally:
        stop(proc)
    return push_s, pull_s


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


def peer_push(session, db_url, entries, size):
    """Write every entry as a document through `_bulk_docs`, in batches; check each one."""
    written = 0
    for batch in batches(entries, size):
        docs = [dict(data, _id=key) for key, data in batch]
        result = expect(session.post(f"{db_url}/_bulk_docs", json={"docs": docs},
                                     timeout=REQUEST_TIMEOUT_S), 201)
        written += sum(1 for item in result if item.get("ok"))
    check("peer documents written", written, len(entries))


def peer_pull(session, db_url, entries, size):
    """Read every document back through `_changes?include_docs=true`, page by page."""
    ids = set()
    since = 0
    for _ in range(len(entries) // size + 10):
        params = {"include_docs": "true", "limit": size, "since": since}
        page = expect(session.get(f"{db_url}/_changes", params=params,
                                  timeout=REQUEST_TIMEOUT_S))
        ids.update(row["doc"]["_id"] for row in page["results"]
                   if not row["id"].startswith("_design/"))
        since = page["last_seq"]
        # A short page is the last one (PouchDB sends no `pending` count).
        if len(page["results"]) < size:
            break
    else:
        raise SystemExit("peer pull: _changes never ran out")
    check("peer documents pulled", len(ids), len(entries))
    check("peer ids pulled", ids == {key for key, _ in entries}, True)


def run_peer(workdir, entries, size):
    """Serve pouchdb-server (LevelDB in a temp dir), bulk write then read changes."""
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
            db_url = f"{base}/bench"
            expect(session.put(db_url), 201)
            push_s = timed(peer_push, session, db_url, entries, size)
            pull_s = timed(peer_pull, session, db_url, entries, size)
    finally:
        stop(proc)
    return push_s, pull_s


# -- floor: bare sqlite3 ---------------------------------------------------------------------

FLOOR_SCHEMA = """
CREATE TABLE entry (key TEXT PRIMARY KEY, data TEXT NOT NULL, version INTEGER NOT NULL);
CREATE UNIQUE INDEX entry_version ON entry (version);
"""


def floor_push(conn, entries, size):
    """Insert the rows with executemany, one transaction per batch."""
    version = 0
    for batch in batches(entries, size):
        rows = []
        for key, data in batch:
            version += 1
            rows.append((key, json.dumps(data), version))
        with conn:
            conn.executemany("INSERT INTO entry (key, data, version) VALUES (?, ?, ?)", rows)


def floor_pull(conn, entries, size):
    """Read the rows back in pages ordered by version, decoding each document."""
    keys = set()
    version = 0
    for _ in range(len(entries) // size + 10):
        rows = conn.execute("SELECT key, data, version FROM entry WHERE version > ? "
                            "ORDER BY version LIMIT ?", (version, size)).fetchall()
        # Decode like a client would: the servers' pulls pay for JSON too.
        docs = {key: json.loads(data) for key, data, _ in rows}
        keys.update(docs)
        if len(rows) < size:
            break
        version = rows[-1][2]
    else:
        raise SystemExit("floor pull: pages never ran out")
    check("floor rows pulled", len(keys), len(entries))


def run_floor(workdir, entries, size):
    """Write and read the rows with the bare sqlite3 module, pragmas as the app's."""
    conn = sqlite3.connect(workdir / "floor.db", isolation_level=None)
    try:
        for pragma in ("journal_mode=wal", "synchronous=normal", "foreign_keys=1"):
            conn.execute(f"PRAGMA {pragma}")
        conn.executescript(FLOOR_SCHEMA)
        conn.isolation_level = "IMMEDIATE"
        push_s = timed(floor_push, conn, entries, size)
        pull_s = timed(floor_pull, conn, entries, size)
    finally:
        conn.close()
    return push_s, pull_s


# -- report ----------------------------------------------------------------------------------

LABELS = {"unknot": "unknot (gunicorn -w 1, SQLite)", "peer": "pouchdb-server 4.2 (LevelDB)",
          "floor": "floor (sqlite3 module)"}


def report(results, args):
    """Print entries/s per system and the ratios that exist."""
    count = args.entries
    best = f", best of {args.repeat} runs" if args.repeat > 1 else ""
    print(f"\n{count} cramp entries over {args.days} days, batches and pages of {args.batch}"
          f"{best}\n")
    print(f"{'system':34} {'push/s':>10} {'pull/s':>10} {'push s':>8} {'pull s':>8}")
    for part, (push_s, pull_s) in results.items():
        print(f"{LABELS[part]:34} {count / push_s:10.0f} {count / pull_s:10.0f} "
              f"{push_s:8.2f} {pull_s:8.2f}")
    ours = results.get("unknot")
    if ours is None:
        return
    print()
    for other in ("peer", "floor"):
        if other in results:
            push_ratio = results[other][0] / ours[0]
            pull_ratio = results[other][1] / ours[1]
            print(f"unknot / {other:5}  push {push_ratio:6.2f}x   pull {pull_ratio:6.2f}x")


def parse_args(argv=None):
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000, help="entries to push and pull")
    parser.add_argument("--batch", type=int, default=500, help="push batch and pull page size")
    # The red-flag assessment of each pushed cramp reads the person's previous 28 days, so
    # its cost follows how many cramps fall in a window: 10,000 over ten years is about 2.7 a
    # day (some 80 in a window), already a heavy diary.
    parser.add_argument("--days", type=int, default=3650,
                        help="spread the entries' occurred_at over this many days")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every part this many times, interleaved, and keep the best")
    parser.add_argument("--only", choices=PARTS, action="append",
                        help="run only this part (repeatable); default: all three")
    args = parser.parse_args(argv)
    if min(args.entries, args.batch, args.repeat, args.days) < 1:
        parser.error("--entries, --batch, --days and --repeat must be positive")
    return args


def main(argv=None):
    """Run the parts asked for and print the table."""
    args = parse_args(argv)
    entries = make_entries(args.entries, args.days)
    runners = {"unknot": run_unknot, "peer": run_peer, "floor": run_floor}
    parts = [part for part in PARTS if not args.only or part in args.only]
    if "peer" in parts:
        ensure_peer()
    results = {}
    with tempfile.TemporaryDirectory(prefix="unknot-bench-") as tmp:
        # Rounds interleave the parts, so a burst of load elsewhere hits them all alike.
        for round_ in range(args.repeat):
            for part in parts:
                print(f"running {part} ({round_ + 1}/{args.repeat}) ...", file=sys.stderr)
                workdir = Path(tmp) / f"{part}-{round_}"
                workdir.mkdir()
                push_s, pull_s = runners[part](workdir, entries, args.batch)
                best = results.get(part, (push_s, pull_s))
                results[part] = (min(best[0], push_s), min(best[1], pull_s))
    report(results, args)


if __name__ == "__main__":
    main()
