"""Settings: safe defaults, overridden by UNKNOT_* environment variables, then by the caller."""

import os
import secrets

DEFAULTS = {
    "DATABASE_URL": "sqlite:///var/unknot.db",
    "VAR_DIR": "var",
    "SECRET_KEY": None,
    "TOKEN_TTL_DAYS": 30,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "SYNC_MAX_BATCH": 500,
    "SYNC_MAX_PULL": 500,
    "TOMBSTONE_DAYS": 90,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE": "memory://",
    "RATELIMIT_AUTH": "10 per minute",
    "RATELIMIT_INVITE": "10 per hour",
    "RATELIMIT_INVITE_ADDRESS": "100 per hour",
    "PROXY_HOPS": 0,
    "LOG_LEVEL": "INFO",
    "VAPID_PRIVATE_KEY": None,
    "VAPID_SUBJECT": "mailto:admin@localhost",
    "PUSH_ALLOW_LOOPBACK": False,
    "WORKER_INTERVAL_S": 60,
    "HOST": "127.0.0.1",
    "PORT": 8000,
    "WORKERS": 1,
    "THREADS": 8,
}


def _coerce(default, raw):
    """Turn an environment string into the type of its default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    return raw


def from_environ(environ=None):
    """Read every UNKNOT_<NAME> variable that names a known setting."""
    environ = os.environ if environ is None else environ
    settings = {}
    for name, default in DEFAULTS.items():
        raw = environ.get(f"UNKNOT_{name}")
        if raw is not None:
            settings[name] = _coerce(default, raw) if default is not None else raw
    return settings


def load(config=None, environ=None):
    """Merge defaults, then the environment, then the caller's dict."""
    settings = dict(DEFAULTS)
    settings.update(from_environ(environ))
    settings.update(config or {})
    if not settings["SECRET_KEY"]:
        # Only signs nothing persistent (tokens are random and hashed), so a fresh one is safe.
        settings["SECRET_KEY"] = secrets.token_hex(32)
    settings["RATELIMIT_STORAGE_URI"] = settings["RATELIMIT_STORAGE"]
    return settings
