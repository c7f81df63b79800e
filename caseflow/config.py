"""Configuration: SQLite in the instance folder by default, PostgreSQL through CASEFLOW_DATABASE_URL."""
import os
import secrets
from pathlib import Path

from flask import Config

from caseflow.resources import resource_dir

#: CASEFLOW_* variables read under their own names above; every other CASEFLOW_<KEY> sets config KEY
_NAMED_VARIABLES = ("DATABASE_URL", "SECRET_KEY", "AUDIT_KEY", "WORKFLOWS_DIR", "STORAGE_DIR", "INSTANCE_PATH")


def _instance_secret(instance_path: str, name: str) -> str:
    """Read a secret kept in the instance folder (outside the database), creating it on first use."""
    path = Path(instance_path) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and drive them with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """The effective configuration: defaults, then environment, then explicit overrides (tests)."""
    overrides = dict(overrides or {})
    url = overrides.pop("DATABASE_URL", None) or os.environ.get("CASEFLOW_DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(instance_path) / "caseflow.db")
    config = {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        # hide_parameters: bound values (a denouncer's name, an ID number) never reach SQL logs or error
        # messages, whatever the log level (Luật Tố cáo 2018, Art. 47(2))
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True, "hide_parameters": True},
        "SECRET_KEY": os.environ.get("CASEFLOW_SECRET_KEY") or _instance_secret(instance_path, "secret_key"),
        # The audit HMAC key lives outside the database so that whoever holds only the
        # database cannot rewrite history (DESIGN.md, audit events).
        "AUDIT_HMAC_KEY": os.environ.get("CASEFLOW_AUDIT_KEY") or _instance_secret(instance_path, "audit_key"),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ["vi", "en"],
        "WTF_CSRF_TIME_LIMIT": None,
        "WORKFLOWS_DIR": os.environ.get("CASEFLOW_WORKFLOWS_DIR")
        or str(resource_dir("workflows")),
        "STORAGE_DIR": os.environ.get("CASEFLOW_STORAGE_DIR") or str(Path(instance_path) / "storage"),
        "CASES_PER_PAGE": 25,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        # a staff form's file over UPLOAD_MAX_FILE_MB is refused by the form itself, what was typed kept; a
        # multipart request may reach UPLOAD_MAX_REQUEST_MB so that it gets there (caseflow/web/uploads.py)
        "UPLOAD_MAX_FILE_MB": 10,
        "UPLOAD_MAX_REQUEST_MB": 64,
        # log-in protection (issue 17): wrong passwords or codes allowed per window, per client address and
        # per account (Flask-Limiter, counted in Redis when REDIS_URL is set); after LOGIN_LOCKOUT_AFTER
        # failures in a row the account locks until an administrator unlocks it (both in the admin log)
        "LOGIN_LIMIT_ADDRESS": "30 per 15 minutes",
        "LOGIN_LIMIT_ACCOUNT": "15 per 15 minutes",
        "LOGIN_LOCKOUT_AFTER": 10,
        #: roles whose login needs a TOTP second factor: who can see identities (inspectors, the leaders who
        #: grant that access) and who administers
        "TOTP_ROLES": ["inspector", "leader", "admin"],
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,  # a working day; a new login after it
        "REMEMBER_COOKIE_HTTPONLY": True,
    }
    config.update(_prefixed_environment())
    config.update(overrides)
    _postgres_session(config)
    _rate_limits(config)
    _https(config)
    return config


def _postgres_session(config: dict) -> None:
    """PostgreSQL's JIT off for the app's sessions (POSTGRES_JIT=true keeps the server's setting): the
    need-to-know clause makes the pages' queries look expensive to the planner, which then compiles them with
    LLVM on every execution: ~165 ms of JIT for a 30 ms query on the home page at 200,000 cases
    (bench/pages.py). A page's queries are short; JIT pays only for long analytical scans."""
    if not config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") or config.get("POSTGRES_JIT"):
        return
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    connect_args = dict(options.get("connect_args") or {})
    connect_args["options"] = (connect_args.get("options", "") + " -c jit=off").strip()
    options["connect_args"] = connect_args
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _rate_limits(config: dict) -> None:
    """Flask-Limiter's settings, all explicit: the one `limiter` object is shared by every app of the
    process and would otherwise carry one app's `enabled` into the next; counts live in Redis when
    REDIS_URL is set (several gunicorn workers or hosts share them), else in this process's memory."""
    config.setdefault("RATELIMIT_ENABLED", True)
    config.setdefault("RATELIMIT_STORAGE_URI", config.get("REDIS_URL") or "memory://")
    config.setdefault("RATELIMIT_KEY_PREFIX", "caseflow")
    config.setdefault("RATELIMIT_HEADERS_ENABLED", True)


def _https(config: dict) -> None:
    """Served over HTTPS (PREFERRED_URL_SCHEME=https, e.g. CASEFLOW_PREFERRED_URL_SCHEME=https behind the
    proxy that ends TLS): cookies only over HTTPS, and HSTS (caseflow/web/headers.py)."""
    https = config.get("PREFERRED_URL_SCHEME") == "https"
    config.setdefault("SESSION_COOKIE_SECURE", https)
    config.setdefault("REMEMBER_COOKIE_SECURE", https)
    config.setdefault("HSTS", https)


def _prefixed_environment() -> dict:
    """Any other setting from the environment: CASEFLOW_MAIL_SERVER=smtp.example.vn sets MAIL_SERVER
    (values parsed as JSON when they are JSON: CASEFLOW_MAIL_PORT=587 is a number)."""
    env = Config(".")
    env.from_prefixed_env("CASEFLOW")
    return {k: v for k, v in env.items() if k not in _NAMED_VARIABLES and not k.startswith("TEST_")}
