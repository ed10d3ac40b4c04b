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


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("KHOI_DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("KHOI_SECRET_KEY", _DEV_SECRET)
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
    "khoi.campaigns",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "khoi.accounts.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "khoi.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "khoi.urls"
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
KHOI_REQUIRE_2FA = env_bool("KHOI_REQUIRE_2FA", not DEBUG)
KHOI_LOGIN_MAX_FAILURES = env_int("KHOI_LOGIN_MAX_FAILURES", 5)
KHOI_LOGIN_LOCKOUT_MINUTES = env_int("KHOI_LOGIN_LOCKOUT_MINUTES", 15)
SESSION_COOKIE_AGE = env_int("KHOI_SESSION_IDLE_MINUTES", 120) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout
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
if not DEBUG:
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
# The product's date (ISO), for a demo or a training copy; empty = the real date. See khoi/clock.py.
KHOI_CLOCK_DATE = os.environ.get("KHOI_CLOCK_DATE", "")

# Background work: django-tasks with the database backend (worker: manage.py db_worker);
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
