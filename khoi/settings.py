"""Khối settings: one module, configured by KHOI_* environment variables.

Every variable has a safe development default so that a fresh clone runs with nothing
set. Production sets at least KHOI_DEBUG=0, KHOI_SECRET_KEY, KHOI_ALLOWED_HOSTS and
KHOI_DATABASE_URL (see README.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KHOI_VAR_DIR", BASE_DIR / "var"))


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """The one boolean parser of every setting: 1/true/yes/on, 0/false/no/off (any case);
    anything else stops the start-up rather than being guessed."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RuntimeError(f"{name} must be one of 1/true/yes/on or 0/false/no/off, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("KHOI_DEBUG", True)
# `make run`: the demo served as an office sees it (debug off, Vietnamese error pages) on
# this machine over plain HTTP; secrets it was not given are generated once and kept in var/.
KHOI_DEMO = env_bool("KHOI_DEMO", False)
# What production requires, decided once from the parsed value (the test runner later turns
# DEBUG off by itself, which must not change these).
KHOI_PRODUCTION = not DEBUG and not KHOI_DEMO
# Production needs its own field keys and audit key (khoi/ops/checks.py stops the start-up
# without them); development, the demo and the tests derive them from SECRET_KEY.
KHOI_FIELD_KEYS_REQUIRED = KHOI_PRODUCTION
KHOI_AUDIT_KEY_REQUIRED = KHOI_PRODUCTION
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105


def _kept_secret(name: str) -> str:
    """A random secret generated on first use and kept in ``var/`` (the demo only)."""
    import secrets

    path = VAR_DIR / name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = os.environ.get("KHOI_SECRET_KEY") or (
    _kept_secret("demo-secret-key") if KHOI_DEMO else _DEV_SECRET
)
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise RuntimeError("KHOI_SECRET_KEY must be set when KHOI_DEBUG=0")
ALLOWED_HOSTS = env_list("KHOI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KHOI_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "khoi.accounts",
    "khoi.audit",
    "khoi.org",
    "khoi.work",
    "khoi.meetings",
    "khoi.documents",
    "khoi.petitions",
    "khoi.demo",
    "khoi.workcalendar",
    "khoi.fund",
    "khoi.campaigns",
    "khoi.oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khoi.accounts.middleware.SessionTouchMiddleware",
    "khoi.accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khoi.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "khoi.urls"
CSRF_FAILURE_VIEW = "khoi.views.csrf_failure"
WSGI_APPLICATION = "khoi.wsgi.application"
ASGI_APPLICATION = "khoi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "khoi.accounts.context_processors.scope",
                "khoi.demo.context_processors.product_clock",
            ],
        },
    }
]

# Database: SQLite (WAL) by default, PostgreSQL in production.
DATABASE_URL = os.environ.get("KHOI_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'khoi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The recommendation register's covering indexes (INCLUDE columns) serve PostgreSQL; SQLite
# builds the same indexes without the extra columns, which is all a town on a laptop needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["khoi.accounts.backends.UsernameOrEmailBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts: two-factor, lockout, session expiry.
KHOI_REQUIRE_2FA = env_bool("KHOI_REQUIRE_2FA", KHOI_PRODUCTION)
# The admin site wants two-factor in production whatever KHOI_REQUIRE_2FA says.
KHOI_ADMIN_REQUIRE_2FA = KHOI_REQUIRE_2FA or KHOI_PRODUCTION
# The key of the audit chain's HMAC (see khoi.audit.models.chain_key); keep it out of the
# database. Required with KHOI_DEBUG=0; development and tests derive it from SECRET_KEY.
KHOI_AUDIT_KEY = os.environ.get("KHOI_AUDIT_KEY", "")
KHOI_LOGIN_MAX_FAILURES = env_int("KHOI_LOGIN_MAX_FAILURES", 5)
KHOI_LOGIN_LOCKOUT_MINUTES = env_int("KHOI_LOGIN_LOCKOUT_MINUTES", 15)
KHOI_LOGIN_MAX_FAILURES_PER_IP = env_int("KHOI_LOGIN_MAX_FAILURES_PER_IP", 20)
SESSION_COOKIE_AGE = env_int("KHOI_SESSION_IDLE_MINUTES", 120) * 60
# the age above is an idle timeout, kept by khoi.accounts.middleware.SessionTouchMiddleware
# (a session is written again at most once a minute, not on every request)
SESSION_SAVE_EVERY_REQUEST = False
KHOI_SESSION_TOUCH_SECONDS = env_int("KHOI_SESSION_TOUCH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("KHOI_SESSION_BROWSER_CLOSE", False)

# Internationalisation: Vietnamese first, English second.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("KHOI_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["khoi.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("KHOI_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("KHOI_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
if DEBUG:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks for it at start-up

# Email: console by default; SMTP when KHOI_EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("KHOI_EMAIL_FROM", "Khối <khoi@localhost>")
EMAIL_HOST = os.environ.get("KHOI_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("KHOI_EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("KHOI_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("KHOI_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("KHOI_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Security headers; the production values apply whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if not DEBUG and not KHOI_DEMO:
    SECURE_SSL_REDIRECT = env_bool("KHOI_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("KHOI_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("KHOI_HSTS_PRELOAD", True)

# Logs go to stderr; no personal data is ever logged (names, addresses, phone numbers).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KHOI_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

KHOI_PAGE_SIZE = env_int("KHOI_PAGE_SIZE", 25)
KHOI_DOCUMENT_MAX_BYTES = env_int("KHOI_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
KHOI_REPORT_CUTOFF_DAY = env_int("KHOI_REPORT_CUTOFF_DAY", 15)  # 1 = calendar months
KHOI_PARTY_TERM_STARTS = env_list("KHOI_PARTY_TERM_STARTS", [])  # ISO dates of Party terms
KHOI_SITE_URL = os.environ.get("KHOI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The product's date: empty = the real date; an ISO date; or "demo" = the date load_demo
# stored (what `make run` sets). See khoi/clock.py.
KHOI_CLOCK_DATE = os.environ.get("KHOI_CLOCK_DATE", "")

# Background work: django-tasks with the database backend (worker: manage.py worker,
# db_worker with a heartbeat);
# KHOI_TASKS_IMMEDIATE=1 runs tasks in the request instead (tests, single-process demos).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("KHOI_TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# The queue worker (manage.py worker) writes its heartbeat this often (seconds).
KHOI_WORKER_BEAT_SECONDS = env_int("KHOI_WORKER_BEAT_SECONDS", 10)

# --- Production and scale-out (khoi/ops, deploy/; see README "Running in production") ---------
INSTALLED_APPS.append("khoi.ops")
MIDDLEWARE[1:1] = [
    "khoi.ops.middleware.SecurityHeadersMiddleware",
    "khoi.ops.middleware.RateLimitMiddleware",
    "khoi.ops.replica.ReplicaMiddleware",
]
MIDDLEWARE.append("khoi.ops.middleware.AdminTwoFactorMiddleware")
MIDDLEWARE.append("khoi.ops.middleware.FaultMiddleware")
# Uploads are written whole or not at all (khoi/ops/storage.py).
STORAGES["default"]["BACKEND"] = "khoi.ops.storage.AtomicFileSystemStorage"
# Content-Security-Policy; empty turns it off. The default allows only our own files.
KHOI_CSP = os.environ.get("KHOI_CSP", "").strip() or (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Requests per address per minute (sign-in, two-factor), per address per hour (password
# reset), per API token per minute; 0 = no limit. Off by default in development (and tests).
KHOI_RATE_LIMITS = {
    "login": env_int("KHOI_RATE_LOGIN_PER_MINUTE", 0 if DEBUG else 20),
    "password_reset": env_int("KHOI_RATE_RESET_PER_HOUR", 0 if DEBUG else 10),
    "api": env_int("KHOI_RATE_API_PER_MINUTE", 0 if DEBUG else 600),
}
# The proxies whose X-Real-IP / X-Forwarded-For name the client (khoi/lib/clientaddr.py):
# addresses or networks, comma-separated ("*" = any). The same variable tells gunicorn whom
# to trust (deploy/gunicorn.conf.py). Any other caller is counted by its own address.
KHOI_FORWARDED_ALLOW_IPS = env_list("KHOI_FORWARDED_ALLOW_IPS", ["127.0.0.1"])
# Shared cache (rate limits, locks): Redis when KHOI_REDIS_URL is set; otherwise the database
# in production (table made by `manage.py createcachetable`) and process memory in development.
KHOI_REDIS_URL = os.environ.get("KHOI_REDIS_URL", "")
if KHOI_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": KHOI_REDIS_URL,
            "KEY_PREFIX": "khoi",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif not DEBUG and not KHOI_DEMO:  # the demo (`make run`) is one process: memory will do
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "khoi_cache",
        }
    }
# Read replica for reports, statistics and scans (khoi/ops/replica.py).
KHOI_REPLICA_URL = os.environ.get("KHOI_REPLICA_URL", "")
if KHOI_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(KHOI_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["khoi.ops.replica.ReplicaRouter"]
KHOI_REPLICA_PATHS = env_list(
    "KHOI_REPLICA_PATHS",
    ["/documents/reports/", "/petitions/statistics/", "/work/joint/scan/", "/audit/"],
)
KHOI_REPLICA_PIN_SECONDS = env_int("KHOI_REPLICA_PIN_SECONDS", 15)
# A slow database answers an error instead of holding a worker: statement timeout (ms), for
# web requests only. manage.py marks its commands (KHOI_PROCESS=command: migrate, backup,
# restore, fund_verify, generate_scale, the task worker…), which may rightly run long; the
# web entry points (khoi/wsgi.py, khoi/asgi.py, `manage.py runserver`) mark "web", and any
# other importer keeps the timeout.
KHOI_PROCESS = os.environ.get("KHOI_PROCESS", "web")
KHOI_STATEMENT_TIMEOUT_MS = (
    env_int("KHOI_STATEMENT_TIMEOUT_MS", 30000) if KHOI_PROCESS != "command" else 0
)
# A database that does not answer at all (host down, a restart dropping connections) fails
# the connection after this many seconds instead of holding the worker for TCP's minutes.
KHOI_DB_CONNECT_TIMEOUT = env_int("KHOI_DB_CONNECT_TIMEOUT", 5)
for _alias in DATABASES:
    if DATABASES[_alias]["ENGINE"] == "django.db.backends.postgresql":
        _options = DATABASES[_alias].setdefault("OPTIONS", {})
        if KHOI_STATEMENT_TIMEOUT_MS:
            _options["options"] = f"-c statement_timeout={KHOI_STATEMENT_TIMEOUT_MS}"
        if KHOI_DB_CONNECT_TIMEOUT:
            _options["connect_timeout"] = KHOI_DB_CONNECT_TIMEOUT
