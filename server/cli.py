"""The `unknot` command: run, migrate, users, maintenance."""

import contextlib
import os
import sys

from pathlib import Path

import click

from server import config, create_app
from server.db import db


# The generated module of labels, beside the PWA's other modules.
LABELS_JS = Path(__file__).resolve().parent.parent / "pwa" / "js" / "labels.js"


@click.group()
def main():
    """Unknot: cramp relief, prevention and an offline-first diary."""


def _app():
    return create_app()


@main.command()
@click.option("--host", help="Address to listen on [default: UNKNOT_HOST, 127.0.0.1]")
@click.option("--port", type=int, help="Port [default: UNKNOT_PORT, 8000]")
@click.option("--workers", type=int, help="Processes [default: UNKNOT_WORKERS, 1]")
@click.option("--threads", type=int, help="Threads per process [default: UNKNOT_THREADS, 8]")
def run(host, port, workers, threads):
    """Serve the app with gunicorn's threaded workers (settings from UNKNOT_* variables)."""
    given = {"HOST": host, "PORT": port, "WORKERS": workers, "THREADS": threads}
    settings = config.load({name: value for name, value in given.items() if value is not None})
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", *gunicorn_args(settings),
                               "server:create_app()"])


KEEP_ALIVE_S = 75


def gunicorn_args(settings):
    """Build gunicorn's arguments from the settings; refuse limits counted in several places."""
    if (settings["WORKERS"] > 1 and settings["RATELIMIT_ENABLED"]
            and settings["RATELIMIT_STORAGE"].startswith("memory://")):
        raise click.UsageError(
            f"{settings['WORKERS']} processes would each count rate limits on their own with "
            "UNKNOT_RATELIMIT_STORAGE=memory://. Set UNKNOT_RATELIMIT_STORAGE=redis://host:6379/0, "
            "or serve with one process and more --threads.")
    # Threaded workers: a browser's idle speculative connection waits in the poller instead of
    # holding a whole sync worker until its timeout. Keep-alive outlasts a load balancer's usual
    # 60 s idle timeout: with gunicorn's 2 s, a POST sent on a connection it was closing failed.
    return ["--worker-class", "gthread", "--workers", str(settings["WORKERS"]),
            "--threads", str(settings["THREADS"]), "--keep-alive", str(KEEP_ALIVE_S),
            "--bind", f"{settings['HOST']}:{settings['PORT']}", "--access-logfile", "-"]


@main.command()
def migrate():
    """Apply pending database migrations."""
    from server import migrate as migrations

    _app()
    with db.connection_context():
        applied = migrations.run(db.obj)
    click.echo(f"Applied {len(applied)} migration(s)." if applied else "Database is up to date.")


@main.command()
def seed():
    """Load the content catalogue into the database (re-running updates, never duplicates)."""
    from server.content.seed import seed as seed_catalogue

    _app()
    with db.connection_context():
        counts = seed_catalogue()
    for name, count in counts.items():
        click.echo(f"{name}: {count['created']} new, {count['updated']} updated, "
                   f"{count['unchanged']} unchanged, {count['removed']} removed")


@main.command()
@click.option("--check", is_flag=True, help="Only say whether the file is up to date.")
def labels(check):
    """Write pwa/js/labels.js, the PWA's labels for every code, from schemas/vocabulary.py."""
    from schemas import vocabulary

    target = LABELS_JS
    text = vocabulary.javascript()
    if check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            raise click.ClickException(f"{target} is out of date: run `unknot labels`.")
        click.echo(f"{target} is up to date.")
        return
    target.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {target}.")


@main.group()
def user():
    """Manage accounts."""


@user.command("create")
@click.argument("email")
@click.option("--name", "display_name", required=True)
@click.option("--role", type=click.Choice(["member", "physio"]), default="member", show_default=True)
@click.password_option()
def user_create(email, display_name, role, password):
    """Create an account."""
    from server import accounts

    app = _app()
    with db.connection_context():
        user, _ = accounts.register(email, password, display_name, role, "cli",
                                    app.config["TOKEN_TTL_DAYS"])
        if role == "physio":
            # Created by the operator: checked by the one who would verify it.
            accounts.verify(user)
    click.echo(f"Created {role} {user.email} (id {user.id}){', verified' if role == 'physio' else ''}.")


@user.command("verify")
@click.argument("email")
@click.option("--undo", is_flag=True, help="Take the verification back.")
def user_verify(email, undo):
    """Mark a physiotherapist account as checked by you (patients are shown it)."""
    from server import accounts
    from server.models.accounts import User

    _app()
    with db.connection_context():
        account = User.get_or_none(User.email == email.lower())
        if account is None:
            raise click.ClickException(f"No account with email {email}.")
        if account.role != "physio":
            raise click.ClickException(f"{email} is not a physiotherapist account.")
        accounts.verify(account, not undo)
    click.echo(f"{account.email} is {'no longer ' if undo else ''}verified.")


@user.command("revoke-tokens")
@click.argument("email")
def user_revoke_tokens(email):
    """Sign an account out of every device."""
    from server.models.accounts import Token, User

    _app()
    with db.connection_context():
        account = User.get_or_none(User.email == email.lower())
        if account is None:
            raise click.ClickException(f"No account with email {email}.")
        count = Token.update(revoked=True).where(Token.user == account).execute()
    click.echo(f"Revoked {count} token(s).")


@main.command()
@click.option("--once", is_flag=True, help="Make one pass and exit (for cron and tests).")
def worker(once):
    """Send due hydration reminders by Web Push, a pass every UNKNOT_WORKER_INTERVAL_S seconds."""
    import time

    from server import delivery

    app = _app()
    vapid = delivery.vapid_for(app.config)
    while True:
        with db.connection_context():
            report = delivery.run_once(vapid, allow_loopback=app.config["PUSH_ALLOW_LOOPBACK"])
        if once or report:
            click.echo(", ".join(f"{count} {name}" for name, count in sorted(report.items())) or "Nothing due.")
        if once:
            return
        time.sleep(app.config["WORKER_INTERVAL_S"])


@main.command("purge-tombstones")
def purge_tombstones():
    """Delete tombstones older than UNKNOT_TOMBSTONE_DAYS and move the pull horizon."""
    from server import sync

    app = _app()
    with db.connection_context():
        count = sync.purge_tombstones(app.config["TOMBSTONE_DAYS"])
    click.echo(f"Purged {count} tombstone(s).")


def _sqlite_only(tool):
    """Stop with PostgreSQL's own tool to use when the database is not SQLite."""
    from peewee import SqliteDatabase

    if not isinstance(db.obj, SqliteDatabase):
        raise click.ClickException(f"On PostgreSQL use {tool} (see the README, Backup and restore).")


@main.command()
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup(target):
    """Copy the SQLite database to TARGET, one consistent snapshot, while the app keeps running."""
    import sqlite3

    _app()
    _sqlite_only('pg_dump -Fc -d "$UNKNOT_DATABASE_URL" -f TARGET')
    with db.connection_context(), contextlib.closing(sqlite3.connect(target)) as copy:
        db.connection().backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    click.echo(f"Backed up to {target}.")


@main.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore(source, force):
    """Replace the SQLite database with the backup SOURCE (stop the app first)."""
    import sqlite3

    _app()
    _sqlite_only('pg_restore --no-owner -d "$UNKNOT_DATABASE_URL" SOURCE, into an empty database')
    with db.connection_context():
        if not force and any(db.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
                             for table in db.get_tables()):
            raise click.ClickException("The database already holds data; restore with --force "
                                       "to replace all of it.")
        try:
            with contextlib.closing(sqlite3.connect(source)) as copy:
                copy.execute("PRAGMA quick_check")  # refuses a file that is no database
                copy.backup(db.connection())
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"{source} is not a usable SQLite backup: {error}")
    click.echo(f"Restored {source}.")
