"""One env-driven settings file.

Everything a deployment changes comes from the environment; the defaults run Renaksi on one laptop
with SQLite in a data folder: ``RENAKSI_DATA_DIR``, else the checkout's ``data/`` (see
:mod:`renaksi.data_location` for the rule, the same from any folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from renaksi import data_location


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated setting as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_location.data_dir()

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data folder
    (readable by its owner only), so a laptop install is never signed with a published key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first
            return key_file.read_text().strip()
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # No django.contrib.admin: its login would bypass the lockout and the second factor, and its
    # forms would change data without history. Site admins work through the Kelola pages.
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "renaksi.accounts",
    "renaksi.agencies",
    "renaksi.planning",
    "renaksi.imports",
    "renaksi.exports",
    "renaksi.portal",
    "renaksi.history",
    "renaksi.jobs",
    "renaksi.budget",
]

MIDDLEWARE = [
    # Outermost: a write that could not get the database lock in time is "busy, try again" (503).
    "renaksi.busy.BusyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Content-Security-Policy on every page; logged-in pages and downloads are never stored.
    "renaksi.headers.SecurityHeadersMiddleware",
    # Idle and absolute session timeouts; a password an admin reset must be changed first.
    "renaksi.accounts.middleware.AccountSecurityMiddleware",
    # Every page needs a login unless its view says otherwise (the public portal, the login page).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "renaksi.urls"
WSGI_APPLICATION = "renaksi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renaksi.accounts.management_views.manage_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        data_location.database_url(os.environ, DATA_DIR),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# How long a write waits for another writer's lock (SQLite's busy timeout, seconds) before it is
# answered "busy, try again" (renaksi.busy: HTTP 503 with Retry-After, one line from a command).
RENAKSI_SQLITE_BUSY_TIMEOUT = float(os.environ.get("RENAKSI_SQLITE_BUSY_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Concurrent writers wait for each other instead of failing: every transaction takes the write
    # lock when it begins (IMMEDIATE; a deferred one that read first cannot wait for it, SQLite
    # answers "database is locked" at once), readers never block the writer (WAL, set once in the
    # file by renaksi.sqlite_journal), and a writer waits up to the busy timeout.
    # synchronous=NORMAL is durable with WAL but for the last commits before a power cut, never
    # corrupting the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": RENAKSI_SQLITE_BUSY_TIMEOUT,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA synchronous=NORMAL",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first, English available. Stored times are UTC; each agency shows its own zone
# (Agency.time_zone), and reporting periods are explicit (year, month), never derived from UTC.
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "planning:agency_list"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Makassar")

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if env_bool("RENAKSI_COMPRESS_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# A request body, not counting uploaded files, bigger than this is refused (400) before anything
# reads it: no form of Renaksi posts more than a few longest texts (docs/limits.md), and a 15 MB
# remark must not reach a form at all. Files have their own limit (RENAKSI_MAX_IMPORT_BYTES).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("RENAKSI_MAX_FORM_BYTES", str(1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
# Import limits, enforced while a file is read (docs/limits.md says what each one bounds, where it
# holds and what the user sees; renaksi.imports.limits has the same defaults).
RENAKSI_MAX_IMPORT_BYTES = int(os.environ.get("RENAKSI_MAX_IMPORT_BYTES", str(50 * 1024 * 1024)))
RENAKSI_MAX_IMPORT_INFLATED_BYTES = int(os.environ.get("RENAKSI_MAX_IMPORT_INFLATED_BYTES", str(500 * 10**6)))
RENAKSI_MAX_IMPORT_MEMBER_BYTES = int(os.environ.get("RENAKSI_MAX_IMPORT_MEMBER_BYTES", str(200 * 10**6)))
RENAKSI_MAX_IMPORT_COMPRESSION_RATIO = int(os.environ.get("RENAKSI_MAX_IMPORT_COMPRESSION_RATIO", "200"))
RENAKSI_MAX_IMPORT_ZIP_MEMBERS = int(os.environ.get("RENAKSI_MAX_IMPORT_ZIP_MEMBERS", "10000"))
RENAKSI_MAX_IMPORT_ROWS = int(os.environ.get("RENAKSI_MAX_IMPORT_ROWS", "200000"))
RENAKSI_MAX_IMPORT_COLUMNS = int(os.environ.get("RENAKSI_MAX_IMPORT_COLUMNS", "200"))
RENAKSI_MAX_IMPORT_CELLS = int(os.environ.get("RENAKSI_MAX_IMPORT_CELLS", "2000000"))
RENAKSI_MAX_IMPORT_CELL_CHARS = int(os.environ.get("RENAKSI_MAX_IMPORT_CELL_CHARS", "10000"))
RENAKSI_MAX_IMPORT_XLSX_CELLS = int(os.environ.get("RENAKSI_MAX_IMPORT_XLSX_CELLS", "1000000"))
RENAKSI_MAX_IMPORT_XLS_AREA = int(os.environ.get("RENAKSI_MAX_IMPORT_XLS_AREA", "4000000"))
# Imports from the browser: files up to RENAKSI_IMPORT_INLINE_BYTES are read inside the request,
# bigger ones by a job; an upload left in its preview is removed after this many hours.
RENAKSI_IMPORT_INLINE_BYTES = int(os.environ.get("RENAKSI_IMPORT_INLINE_BYTES", str(256 * 1024)))
RENAKSI_PENDING_IMPORT_HOURS = float(os.environ.get("RENAKSI_PENDING_IMPORT_HOURS", "24"))
# The plan page (and the portal's, and the import preview) of a plan with more lines than this shows
# its table this many rows a page (renaksi.planning.paging).
RENAKSI_PLAN_PAGE_ROWS = int(os.environ.get("RENAKSI_PLAN_PAGE_ROWS", "500"))
# Jobs (renaksi.jobs), run by `renaksi worker` (started by `renaksi serve`): a plan with more lines
# than this is exported (XLSX, PDF) and saved from the browser import by a job; jobs per user at
# once; a job child's address-space limit (0: none); hours a finished job's file is kept.
RENAKSI_JOB_INLINE_LINES = int(os.environ.get("RENAKSI_JOB_INLINE_LINES", "1000"))
RENAKSI_JOBS_PER_USER = int(os.environ.get("RENAKSI_JOBS_PER_USER", "3"))
RENAKSI_JOB_MEMORY_MB = int(os.environ.get("RENAKSI_JOB_MEMORY_MB", "4096"))
RENAKSI_JOB_RETENTION_HOURS = float(os.environ.get("RENAKSI_JOB_RETENTION_HOURS", "24"))
RENAKSI_JOB_STALE_SECONDS = float(os.environ.get("RENAKSI_JOB_STALE_SECONDS", "120"))
RENAKSI_JOBS_IMMEDIATE = env_bool("RENAKSI_JOBS_IMMEDIATE", False)  # tests: run in the caller

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Login throttling (renaksi.accounts.throttle, docs/security.md). Within RENAKSI_LOGIN_WINDOW_SECONDS,
# RENAKSI_LOGIN_MAX_FAILURES failures for one user name from one address refuse that name from that
# address only; RENAKSI_LOGIN_ADDRESS_MAX_FAILURES failures from one address refuse that address.
# A refusal lasts RENAKSI_LOGIN_LOCK_SECONDS after the last failure, doubling with each one more.
# The client address is REMOTE_ADDR; X-Forwarded-For is read only when the request comes from one
# of RENAKSI_TRUSTED_PROXIES (comma-separated addresses).
RENAKSI_LOGIN_MAX_FAILURES = int(os.environ.get("RENAKSI_LOGIN_MAX_FAILURES", "5"))
RENAKSI_LOGIN_ADDRESS_MAX_FAILURES = int(os.environ.get("RENAKSI_LOGIN_ADDRESS_MAX_FAILURES", "20"))
RENAKSI_LOGIN_LOCK_SECONDS = int(os.environ.get("RENAKSI_LOGIN_LOCK_SECONDS", "60"))
RENAKSI_LOGIN_WINDOW_SECONDS = int(os.environ.get("RENAKSI_LOGIN_WINDOW_SECONDS", "900"))
RENAKSI_TRUSTED_PROXIES = env_list("RENAKSI_TRUSTED_PROXIES")
# A session ends after this long without a request, and after this long whatever happens.
RENAKSI_SESSION_IDLE_SECONDS = int(os.environ.get("RENAKSI_SESSION_IDLE_SECONDS", "1800"))
RENAKSI_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("RENAKSI_SESSION_ABSOLUTE_SECONDS", "43200"))
SESSION_COOKIE_AGE = RENAKSI_SESSION_ABSOLUTE_SECONDS
# The issuer an authenticator app shows next to the account.
RENAKSI_TOTP_ISSUER = os.environ.get("RENAKSI_TOTP_ISSUER", "Renaksi")
# Keys that encrypt authenticator secrets (renaksi.accounts.totp_keys), newest first; old keys still
# decrypt until `renaksi rotate-totp-key` re-encrypts. Unset: a key made once in the data folder.
RENAKSI_TOTP_KEYS = env_list("RENAKSI_SECRET_KEY_TOTP")
# An agency admin's invitation waits this many days for the invited account's answer.
RENAKSI_INVITATION_DAYS = float(os.environ.get("RENAKSI_INVITATION_DAYS", "7"))
# Content-Security-Policy (renaksi.headers): empty means the built-in strict policy.
RENAKSI_CSP = os.environ.get("RENAKSI_CSP", "")
RENAKSI_CSP_REPORT_ONLY = env_bool("RENAKSI_CSP_REPORT_ONLY", False)

# A public deployment behind HTTPS (RENAKSI_PRODUCTION=1): secure cookies, HTTPS only, HSTS.
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, also set RENAKSI_PROXY_SSL_HEADER=1
# (and only then: a client could otherwise claim HTTPS itself).
RENAKSI_PRODUCTION = env_bool("RENAKSI_PRODUCTION", False)
if RENAKSI_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REFERRER_POLICY = "same-origin"
    if env_bool("RENAKSI_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A 403 is one warning line (path, user id), never a traceback.
    "filters": {"one_line_forbidden": {"()": "renaksi.headers.OneLineForbidden"}},
    "loggers": {"django.request": {"filters": ["one_line_forbidden"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
