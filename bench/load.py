"""Load: many devices syncing at once, against the app as it is deployed, bounded in time.

Each simulated device (a locust user) registers once, fetches the catalogue's ETags, waits for
every other device to be signed in, then loops for `--seconds` over what a phone does when it
syncs: push the 1-20 entries logged since last time (recent cramps and drinks), pull, revalidate
one catalogue list with If-None-Match (304), and read today's hydration. A push that fails stays
in the device's outbox and goes out again with the next one, as in the app.

Two setups, each started here and torn down after, everything on 127.0.0.1:
- sqlite:   `unknot run` (gunicorn gthread, 1 process, 8 threads) on a fresh SQLite file;
- postgres: two `unknot run` servers on two ports, one fresh PostgreSQL database, rate limits
            counted in Redis; every request goes to the other server than the last one, as a
            load balancer would send it.

It prints requests/s and p50/p95/p99 per endpoint with the errors, then reads every device's
diary back through the API and fails (exit 1) unless every acknowledged mutation is stored
exactly once. It reports; it asserts nothing about speed.

    python bench/load.py                           # 200 devices, 60 s, both setups
    python bench/load.py --users 50 --seconds 20 --only sqlite

UNKNOT_BENCH_DATABASE_URL names the PostgreSQL database the bench creates and drops (default
postgresql://unknot:unknot@127.0.0.1:5432/unknot_bench; the role needs CREATEDB), and
UNKNOT_BENCH_REDIS_URL the Redis server for rate limits (default redis://127.0.0.1:6399/0).
"""

# locust patches the standard library with gevent's cooperative sockets: import it first.
from locust import FastHttpUser, events, task
from locust.env import Environment
from locust.exception import StopUser

import argparse
import itertools
import os
import random
import re
import shutil
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import gevent
import psutil
import requests
from gevent.event import Event

from exactly_once import Ledger, problems, read_back
from sync import HOST, ROOT, drop_database, expect, free_port, start, stop, tail, wait_ready

PG_URL = os.environ.get("UNKNOT_BENCH_DATABASE_URL",
                        "postgresql://unknot:unknot@127.0.0.1:5432/unknot_bench")
REDIS_URL = os.environ.get("UNKNOT_BENCH_REDIS_URL", "redis://127.0.0.1:6399/0")
API = "/api/v1"
CONTENT = ("exercises", "routines", "programmes", "pages")
SIGN_IN = ("POST /auth/register", "GET /content/<list> (first)")
LOOP = ("POST /sync/push", "POST /sync/pull", "GET /content/<list> (304)", "GET /hydration/today")
MUSCLES = ("calf",) * 6 + ("foot", "hamstring", "hamstring", "quadriceps", "hand", "neck")
DRINKS = ("water",) * 6 + ("tea", "coffee", "electrolyte", "ors")
ACCESS_STATUS = re.compile(r'" (\d{3}) ')   # gunicorn's access log: "request line" status


# -- what a phone sends ----------------------------------------------------------------------

def make_entry(rng, now, tz):
    """Return one recent entry as a phone logs it: mostly drinks, some cramps, in the last days."""
    when = (now - timedelta(seconds=rng.randrange(3 * 86400))).astimezone(tz)
    stamp = when.replace(microsecond=0).isoformat()
    if rng.random() < 0.7:
        return {"kind": "hydration", "occurred_at": stamp, "drink": rng.choice(DRINKS),
                "volume_ml": rng.choice((150, 200, 250, 250, 330, 500))}
    return {"kind": "cramp", "occurred_at": stamp, "muscle": rng.choice(MUSCLES),
            "side": rng.choice(("left", "right", "both")), "intensity": rng.randint(2, 9),
            "duration_s": min(900, 5 + int(rng.expovariate(1 / 60))),
            "context": rng.choice(("night", "night", "exercise", "rest")),
            "reliefs": rng.sample(("stretch", "massage", "walking", "water"), rng.randint(1, 2))}


# -- the devices -----------------------------------------------------------------------------

class Run:
    """What the devices of one setup share: servers, the start signal, the ledgers."""

    def __init__(self, bases, users, seconds):
        self.bases = bases
        self.users = users
        self.seconds = seconds
        self.numbers = itertools.count()
        self.signed_in = 0
        self.go = Event()
        self.started = self.deadline = None
        self.ledgers = []

    def arrived(self):
        """Count a device as ready; the last one starts everybody's clock."""
        self.signed_in += 1
        if self.signed_in == self.users:
            self.started = time.monotonic()
            self.deadline = self.started + self.seconds
            self.go.set()


class Device(FastHttpUser):
    """One installed app: signs in once, then syncs in a loop until the run's deadline."""

    shared: Run = None  # set per setup; `run` is locust's own method
    host = f"http://{HOST}"
    network_timeout = connection_timeout = 60.0

    def url(self, path):
        """Return the next server's URL for path: devices switch server on every request."""
        self.turn += 1
        return self.shared.bases[self.turn % len(self.shared.bases)] + API + path

    def on_start(self):
        run = self.shared
        number = next(run.numbers)
        self.rng = random.Random(number)
        self.turn = number
        self.tz = timezone(timedelta(hours=self.rng.choice((0, 1, 2, -5, 5.5))))
        self.outbox, self.next_id, self.cursor, self.etags = [], 1, 0, {}
        try:
            self.sign_in(number)
        finally:
            run.arrived()
        run.go.wait()

    def sign_in(self, number):
        """Register (a person taps again after a failure, up to three times), then fetch ETags."""
        for attempt in range(3):
            body = {"email": f"device{number}-{attempt}@example.org",
                    "password": "correct horse battery", "display_name": f"Device {number}"}
            with self.client.post(self.url("/auth/register"), json=body, name=SIGN_IN[0],
                                  catch_response=True) as response:
                if response.status_code == 201:
                    token = response.json()["token"]
                    break
                response.failure(f"{response.status_code}: {response.error or (response.text or '')[:200]}")
            gevent.sleep(2 ** attempt)
        else:
            raise StopUser()
        self.auth = {"Authorization": f"Bearer {token}"}
        self.ledger = Ledger(str(uuid.uuid4()), token)
        self.shared.ledgers.append(self.ledger)
        for name in CONTENT:
            self.fetch(name)

    def fetch(self, name):
        """Fetch one catalogue list and keep its ETag."""
        with self.client.get(self.url(f"/content/{name}"), name=SIGN_IN[1],
                             catch_response=True) as response:
            self.etags[name] = (response.headers or {}).get("ETag", "")
            if response.status_code != 200 or not self.etags[name]:
                response.failure(f"{response.status_code} without an ETag")

    @task
    def sync(self):
        """One sync, as the app runs it after a write or on its timer."""
        if time.monotonic() >= self.shared.deadline:
            raise StopUser()
        self.push()
        self.pull()
        self.revalidate()
        self.hydration_today()

    def push(self):
        now = datetime.now(timezone.utc)
        for _ in range(self.rng.randint(1, 20)):
            mutation = {"id": self.next_id, "op": "put", "entity": "entry",
                        "key": str(uuid.uuid4()), "base_version": 0,
                        "data": make_entry(self.rng, now, self.tz)}
            self.next_id += 1
            self.ledger.send(mutation)
            self.outbox.append(mutation)
        body = {"client_id": self.ledger.client_id, "schema_version": 1,
                "mutations": self.outbox[:500]}
        with self.client.post(self.url("/sync/push"), json=body, headers=self.auth,
                              name=LOOP[0], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.error or (response.text or '')[:200]}")
                return  # the outbox keeps everything; it goes out with the next push
            answered = {item["id"]: item for item in response.json()["results"]}
            refused = [item for item in answered.values() if item["status"] not in ("applied", "duplicate")]
            for mutation in self.outbox[:500]:
                if mutation["id"] in answered:
                    self.ledger.answer(mutation, answered[mutation["id"]])
            self.outbox = [m for m in self.outbox if m["id"] not in answered]
            if refused:
                response.failure(f"not applied: {refused[:3]}")

    def pull(self):
        while True:
            body = {"client_id": self.ledger.client_id, "cursor": self.cursor, "limit": 500}
            with self.client.post(self.url("/sync/pull"), json=body, headers=self.auth,
                                  name=LOOP[1], catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}: {response.error or (response.text or '')[:200]}")
                    return
                page = response.json()
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return

    def revalidate(self):
        name = self.rng.choice(CONTENT)
        if not self.etags[name]:   # its first fetch failed: fetch it now, as the app would
            return self.fetch(name)
        with self.client.get(self.url(f"/content/{name}"), name=LOOP[2], catch_response=True,
                             headers={"If-None-Match": self.etags[name]}) as response:
            if response.status_code != 304:
                response.failure(f"{response.status_code}, expected 304")

    def hydration_today(self):
        with self.client.get(self.url("/hydration/today"), headers=self.auth, name=LOOP[3],
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.error or (response.text or '')[:200]}")


# -- setups ----------------------------------------------------------------------------------

def app_env(workdir, database_url, storage):
    """Return the app servers' environment: rate limits on, the sign-in limit raised for a crowd.

    Every device signs up from 127.0.0.1, so the per-address sign-in limit is raised for the
    bench servers; the limits stay on and are counted where production counts them.
    """
    env = dict(os.environ)
    env.update({"UNKNOT_DATABASE_URL": database_url, "UNKNOT_VAR_DIR": str(workdir / "var"),
                "UNKNOT_RATELIMIT_STORAGE": storage, "UNKNOT_RATELIMIT_AUTH": "100000 per minute",
                "UNKNOT_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)})
    return env


def unknot(*args):
    """Return the argv of an `unknot` command run with this Python."""
    return [sys.executable, "-c", "from server.cli import main; main()", *args]


def prepare(env, workdir):
    """Migrate and seed the database, failing loudly."""
    for step in ("migrate", "seed"):
        log = workdir / f"{step}.log"
        proc = start(unknot(step), log, env=env)
        if proc.wait(timeout=300) != 0:
            raise SystemExit(f"unknot {step} failed:\n{tail(log)}")


def serve(env, workdir, count):
    """Start `count` app servers on free ports; return (processes, base URLs)."""
    procs, bases = [], []
    try:
        for number in range(count):
            port = free_port()
            log = workdir / f"server{number}.log"
            procs.append(start(unknot("run", "--port", str(port)), log, env=env))
            bases.append(f"http://{HOST}:{port}")
            with requests.Session() as session:
                wait_ready(session, f"{bases[-1]}{API}/health", procs[-1], log)
    except BaseException:
        for proc in procs:
            stop(proc)
        raise
    return procs, bases


def pg_admin(sql=None, drop=None):
    """Run one statement on the PostgreSQL server's maintenance database, outside a transaction
    (or, with `drop`, drop that database once its sessions are gone)."""
    import psycopg2

    parts = urlsplit(PG_URL)
    conn = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            if drop:
                drop_database(cursor, drop)
            else:
                cursor.execute(sql)
    finally:
        conn.close()


def pg_name():
    return urlsplit(PG_URL).path.lstrip("/")


# -- running and reporting -------------------------------------------------------------------

def cpu_now(procs, database):
    """Return CPU seconds used so far: app servers, the database's backends, this load generator,
    and the whole machine (busy time over all cores)."""
    def used(processes):
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.Error:
                pass   # a process that ended takes its time with it
        return total

    servers = []
    for proc in procs:
        parent = psutil.Process(proc.pid)
        servers += [parent, *parent.children(recursive=True)]
    backends = [process for process in psutil.process_iter(["cmdline"])
                if database and f" {database} " in " ".join(process.info["cmdline"] or ())]
    machine = psutil.cpu_times()
    return {"app servers": used(servers), "database": used(backends),
            "load generator": used([psutil.Process()]),
            "whole machine": machine.user + machine.system + machine.nice + machine.irq
            + machine.softirq + getattr(machine, "steal", 0.0)}


def drive(bases, users, seconds, spawn_rate, procs, database):
    """Run the devices against the servers; return (stats, ledgers, seconds measured, CPU used)."""
    run = Run(bases, users, seconds)
    Device.shared = run
    env = Environment(user_classes=[Device], events=events)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    # Bounded: signing in, then the loop, then a grace for requests in flight.
    limit = time.monotonic() + users / spawn_rate + 120 + seconds + 120
    before = None
    while time.monotonic() < limit:
        gevent.sleep(0.5)
        if before is None and run.go.is_set():
            before = cpu_now(procs, database)
        spawned = runner.spawning_greenlet is not None and runner.spawning_greenlet.ready()
        if spawned and runner.user_count == 0:
            break
    else:
        print("warning: the run overran its time bound; stopping the devices", file=sys.stderr)
    ended = time.monotonic()
    after = cpu_now(procs, database)
    runner.quit()
    measured = ended - run.started if run.started else 0.0
    cpu = {name: after[name] - before[name] for name in after} if before else {}
    return env.stats, run.ledgers, measured, cpu


def report(label, stats, measured, cpu):
    """Print requests/s and percentiles per endpoint; return the number of errors."""
    print(f"\n{label}: {measured:.1f} s of syncing")
    print(f"{'endpoint':30} {'requests':>9} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p99 ms':>7} {'errors':>7}")
    total = errors = 0
    for name in SIGN_IN + LOOP:
        entry = stats.get(name, "POST" if name.startswith("POST") else "GET")
        rate = entry.num_requests / measured if name in LOOP and measured else float("nan")
        print(f"{name:30} {entry.num_requests:9d} {rate:8.1f} "
              f"{entry.get_response_time_percentile(0.5):7.0f} "
              f"{entry.get_response_time_percentile(0.95):7.0f} "
              f"{entry.get_response_time_percentile(0.99):7.0f} {entry.num_failures:7d}")
        total += entry.num_requests if name in LOOP else 0
        errors += entry.num_failures
    print(f"{'loop, all endpoints':30} {total:9d} {total / measured if measured else 0:8.1f}"
          f"{'':24} {errors:7d}")
    if cpu and measured:
        print("CPU during the loop, in cores busy: " + ", ".join(
            f"{name} {seconds / measured:.2f}" for name, seconds in cpu.items())
            + f" (of {psutil.cpu_count()})")
    for failure in list(stats.errors.values())[:10]:
        print(f"  error x{failure.occurrences}: {failure.method} {failure.name}: "
              f"{str(failure.error)[:300]}")
    return errors


def server_logs(workdir, count):
    """Print what the servers logged about failures: 5xx answers, worker timeouts, errors."""
    statuses, notes = {}, []
    for number in range(count):
        for line in (workdir / f"server{number}.log").read_text(errors="replace").splitlines():
            found = ACCESS_STATUS.search(line)
            if found:
                statuses[found[1]] = statuses.get(found[1], 0) + 1
            elif any(word in line for word in ("WORKER TIMEOUT", "ERROR", "WARNING", "Traceback")):
                notes.append(f"server{number}: {line[:300]}")
    answers = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    print(f"server answers by status: {answers}; {len(notes)} warnings or errors logged")
    for line in notes[:10]:
        print(f"  {line}")


def verify(bases, ledgers):
    """Read every device's diary back; print and return the exactly-once problems."""
    session = requests.Session()
    turn = itertools.count()

    def post(path, body, token):
        base = bases[next(turn) % len(bases)]
        return expect(session.post(f"{base}{API}{path}", json=body, timeout=120,
                                   headers={"Authorization": f"Bearer {token}"}))

    found, acked = [], 0
    for ledger in ledgers:
        changes, last_mutation_id = read_back(post, ledger)
        found.extend(problems(ledger, changes, last_mutation_id))
        acked += len(ledger.acked)
    sent = sum(len(ledger.sent) for ledger in ledgers)
    print(f"exactly-once: {acked} acknowledged of {sent} sent by {len(ledgers)} devices, "
          f"{len(found)} problems")
    for line in found[:20]:
        print(f"  {line}")
    return found


def setup(name, workdir):
    """Prepare one setup; return (env, server count, teardown)."""
    if name == "sqlite":
        return app_env(workdir, f"sqlite:///{workdir / 'unknot.db'}", "memory://"), 1, lambda: None
    database = pg_name()
    try:
        pg_admin(f'CREATE DATABASE "{database}"')
    except Exception as error:  # noqa: BLE001  (psycopg2 is imported lazily)
        raise SystemExit(f"cannot create the bench database {database!r} ({error}); set "
                         "UNKNOT_BENCH_DATABASE_URL to a database name that does not exist yet")
    return (app_env(workdir, PG_URL, REDIS_URL), 2,
            lambda: pg_admin(drop=database))


def bench(name, args):
    """Start one setup, drive it, check it, tear it down; return True when exactly-once held."""
    workdir = Path(tempfile.mkdtemp(prefix=f"unknot-load-{name}-"))
    procs, teardown = [], lambda: None
    try:
        env, count, teardown = setup(name, workdir)
        prepare(env, workdir)
        procs, bases = serve(env, workdir, count)
        database = pg_name() if name == "postgres" else None
        stats, ledgers, measured, cpu = drive(bases, args.users, args.seconds, args.spawn_rate,
                                              procs, database)
        servers = f"{count} app server{'s' if count > 1 else ''} (unknot run: 1 process, 8 threads)"
        report(f"{name}, {servers}, {args.users} devices", stats, measured, cpu)
        held = not verify(bases, ledgers)
        for proc in procs:
            stop(proc)   # first, so their logs are whole
        server_logs(workdir, count)
        return held
    finally:
        for proc in procs:
            stop(proc)
        teardown()
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="devices [200]")
    parser.add_argument("--seconds", type=float, default=60, help="seconds of syncing [60]")
    parser.add_argument("--only", choices=("sqlite", "postgres"), help="one setup only")
    parser.add_argument("--spawn-rate", type=float, default=5,
                        help="devices signing up per second [5]")
    args = parser.parse_args()
    held = [bench(name, args) for name in ("sqlite", "postgres") if args.only in (None, name)]
    if not all(held):
        raise SystemExit("exactly-once FAILED: an acknowledged mutation is missing, duplicated or changed")


if __name__ == "__main__":
    main()
