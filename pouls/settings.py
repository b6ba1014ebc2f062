"""Django settings for Pouls: read from POULS_* environment variables only (see .env.example)."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
import plotly
from django.core.exceptions import ImproperlyConfigured

from pouls.lib.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# pytest (>= 8.2) sets PYTEST_VERSION for the whole run: tests get a fixed throw-away key
# instead of failing on the production check below.
TESTING = "PYTEST_VERSION" in os.environ

DEBUG = env_bool("POULS_DEBUG", default=False)
DATA_DIR = Path(env_str("POULS_DATA_DIR", "pouls-data")).expanduser().resolve()
# `pouls demo` leaves this file in its data directory: any command run later on that
# directory (`pouls manage …`, `pouls import …`) is the demo's, with its generated key.
DEMO_MARKER = "demo"
# Set by `pouls demo`: a local demonstration with a generated key kept in the data directory.
DEMO = env_bool("POULS_DEMO", default=False) or (DATA_DIR / DEMO_MARKER).is_file()
# Models learned from the organisation's own corrections (`pouls manage learn_models`). Tests
# never read a developer's learned models: their folder is a per-run one nobody writes to
# (tests that learn point MODEL_DIR at their own temporary folder).
MODEL_DIR = (
    Path(tempfile.gettempdir()) / f"pouls-test-models-{os.getpid()}"
    if TESTING
    else DATA_DIR / "models"
)


def _secret_key() -> str:
    key = env_secret("POULS_SECRET_KEY")
    if key:
        return key
    if TESTING:
        return "pouls-tests-only-not-secret"
    if DEMO or DEBUG:
        # A demo or development install keeps one generated key so sessions survive restarts.
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path = DATA_DIR / "secret-key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").strip()
    raise ImproperlyConfigured(
        "POULS_SECRET_KEY is not set. In production Pouls needs a long random secret: set "
        "POULS_SECRET_KEY (or POULS_SECRET_KEY_FILE) to one, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`. "
        "For a local trial, run `pouls demo` or set POULS_DEBUG=1."
    )


SECRET_KEY = _secret_key()


def _contact_keys() -> tuple[list[str], str]:
    """Keys of customers' callback contacts (Fernet, first one encrypts, all decrypt) and where
    they come from. Kept outside the database: a dump or backup alone holds no readable
    contact. Production without a key starts, but storing or reading a contact then fails
    with a message naming POULS_CONTACT_KEY (`manage.py check --deploy` warns earlier)."""
    raw = env_secret("POULS_CONTACT_KEY")
    if raw:
        source = (
            "POULS_CONTACT_KEY_FILE"
            if os.environ.get("POULS_CONTACT_KEY_FILE")
            else "POULS_CONTACT_KEY"
        )
        return raw.replace(",", " ").split(), source
    if TESTING:
        # Fixed throw-away key (32 bytes, base64): the tests read back what they stored.
        return ["cG91bHMtdGVzdHMtb25seS1jb250YWN0LWtleSEhISE="], "tests"
    if DEMO or DEBUG:
        from cryptography.fernet import Fernet

        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path = DATA_DIR / CONTACT_KEY_FILE
        if not path.exists():
            path.write_text(Fernet.generate_key().decode() + "\n", encoding="utf-8")
            path.chmod(0o600)
        return path.read_text(encoding="utf-8").replace(",", " ").split(), "data directory"
    return [], ""


# The demo's generated contact key, beside its secret key (never inside the database).
CONTACT_KEY_FILE = "contact-key"
POULS_CONTACT_KEYS, POULS_CONTACT_KEY_SOURCE = _contact_keys()
ALLOWED_HOSTS = env_list("POULS_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("POULS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "pouls.org",
    "pouls.feedback",
    "pouls.activity",
    "pouls.annotations",
    "pouls.rollups",
    "pouls.watch",
    "pouls.surveys",
    "pouls.callbacks",
    "pouls.briefings",
    "pouls.climate",
    "pouls.ops",
    "pouls.rights",
    "pouls.api",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "pouls.web",
]

MIDDLEWARE = [
    "pouls.lib.logs.request_id_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pouls.org.sessions.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "pouls.urls"
WSGI_APPLICATION = "pouls.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "pouls" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pouls.org.menu.access",
            ],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = env_str("POULS_DATABASE_URL")
    if url:
        if not url.startswith(("postgres://", "postgresql://", "sqlite:///")):
            raise ImproperlyConfigured(
                f"POULS_DATABASE_URL={url.split('@')[-1]!r} is not supported; accepted: "
                "postgres://USER:PASSWORD@HOST:PORT/NAME or sqlite:////absolute/path.sqlite3."
            )
        # Persistent connections, except in tests where the live server's thread would keep
        # the test database open at teardown.
        max_age = 0 if TESTING else env_int("POULS_DB_CONN_MAX_AGE", 60, minimum=0)
        config = dict(dj_database_url.parse(url, conn_max_age=max_age))
        return {"default": config}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "pouls.sqlite3",
            "OPTIONS": {
                # WAL lets the web app read while a worker writes; IMMEDIATE avoids
                # "database is locked" on lock upgrades inside write transactions.
                # A 64 MB page cache instead of SQLite's 2 MB keeps the indexes of big tables
                # in memory (imports: benchmarks/imports.py).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
                ),
                "transaction_mode": "IMMEDIATE",
                # A writer waits this long for the lock (an import commits a chunk in a
                # fraction of a second) instead of failing at once with "database is
                # locked", which answered 500 to logins and survey answers during imports.
                "timeout": env_int("POULS_SQLITE_BUSY_SECONDS", 30, minimum=1),
            },
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    # Hashing cost is irrelevant in tests and dominates their run time.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
# Single sign-on (OpenID Connect, mozilla-django-oidc; docs/access.md): on when a client id is
# set. Local passwords can be switched off (POULS_LOCAL_PASSWORDS=0) once SSO works.
OIDC_RP_CLIENT_ID = env_str("POULS_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_secret("POULS_OIDC_CLIENT_SECRET") or ""
POULS_OIDC_ISSUER = env_str("POULS_OIDC_ISSUER")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("POULS_OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("POULS_OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("POULS_OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("POULS_OIDC_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("POULS_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("POULS_OIDC_SCOPES", "openid email profile")
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/connexion/?sso=echec"
POULS_OIDC_GRANTS_CLAIM = env_str("POULS_OIDC_GRANTS_CLAIM")
LOCAL_PASSWORDS = env_bool("POULS_LOCAL_PASSWORDS", default=True)
AUTHENTICATION_BACKENDS = (
    ["django.contrib.auth.backends.ModelBackend"]
    if LOCAL_PASSWORDS or not OIDC_RP_CLIENT_ID
    else []
) + (["pouls.org.oidc.PoulsOIDCBackend"] if OIDC_RP_CLIENT_ID else [])
# Invitation and password-reset links expire after this many hours (and once used).
PASSWORD_RESET_TIMEOUT = 3600 * env_int("POULS_SET_PASSWORD_HOURS", 72, minimum=1)
LOGIN_REDIRECT_URL = "web-home-view"
LOGOUT_REDIRECT_URL = "login"

# French first. The interface goes through gettext; LocaleMiddleware (browser language) is
# added back once an English catalogue ships, so that no page mixes French text with
# English number and date formats.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "pouls" / "locale"]
TIME_ZONE = env_str("POULS_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing root
# Plotly's JavaScript is served from the installed plotly package: no CDN, nothing vendored.
STATICFILES_DIRS = [("plotly", Path(plotly.__file__).parent / "package_data")]
# Whitenoise serves static files straight from the finders, so no collectstatic step is needed
# for the demo and tests. `pouls serve` (POULS_SERVE=1) collects them first with hashed names,
# gzip and brotli copies, which whitenoise serves with a one-year cache.
SERVE = env_bool("POULS_SERVE", default=False)
WHITENOISE_USE_FINDERS = not SERVE
WHITENOISE_KEEP_ONLY_HASHED_FILES = SERVE
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if SERVE
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Production behind HTTPS (POULS_HTTPS=1): HTTP is redirected, browsers are told to use HTTPS
# only (HSTS), cookies travel over HTTPS only. `manage.py check --deploy` is clean with the
# production variables of .env.example (tested in pouls/lib/tests/test_settings.py and CI).
HTTPS = env_bool("POULS_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("POULS_HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("POULS_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("POULS_HSTS_PRELOAD", default=False)
if env_bool("POULS_BEHIND_PROXY", default=False):
    # The reverse proxy terminates TLS and says so in this header (it must overwrite it).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("POULS_SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after this many minutes without a request (each request pushes it back).
SESSION_IDLE_MINUTES = env_int("POULS_SESSION_IDLE_MINUTES", 120, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60  # pushed back by pouls.org.sessions
# Failed logins allowed per account and per client address within the lock window; beyond,
# the login form refuses without checking the password (pouls/org/login.py). Counters live
# in Django's cache: set POULS_CACHE_URL to a shared Redis when several processes serve.
POULS_LOGIN_FAILURES_PER_ACCOUNT = env_int("POULS_LOGIN_FAILURES_PER_ACCOUNT", 5, minimum=1)
POULS_LOGIN_FAILURES_PER_ADDRESS = env_int("POULS_LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)
POULS_LOGIN_LOCK_MINUTES = env_int("POULS_LOGIN_LOCK_MINUTES", 15, minimum=1)


# Background work (imports, analysis) goes through Django's Tasks API; the database backend
# keeps tasks as rows of the main database and `pouls manage db_worker` runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
UPLOAD_DIR = DATA_DIR / "uploads"
# Uploads above this size are refused (imports of bigger files go through the CLI).
POULS_MAX_UPLOAD_MB = env_int("POULS_MAX_UPLOAD_MB", 200, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Closed loop: hours within which a detractor who consented should be called back.
POULS_CALLBACK_SLA_HOURS = env_int("POULS_CALLBACK_SLA_HOURS", 48, minimum=1)
# Free texts (feedback verbatims, quarantined rows) and customers' contacts are purged this
# many months after the feedback was received, by the daily `purge_personal_data`. Default: 24.
POULS_RETENTION_MONTHS = env_int("POULS_RETENTION_MONTHS", 24, minimum=1)
# Public survey forms: answers accepted per hour from one IP address and on one link
# (Django's cache holds the counters; use a shared cache when several processes serve).
POULS_SURVEY_POSTS_PER_IP = env_int("POULS_SURVEY_POSTS_PER_IP", 10, minimum=1)
POULS_SURVEY_POSTS_PER_LINK = env_int("POULS_SURVEY_POSTS_PER_LINK", 300, minimum=1)
# Climate answers reach the results in shuffled batches of at least this many (and never
# fewer than the campaign's score threshold): arrival order is hidden within a batch.
POULS_CLIMATE_BATCH_MIN = env_int("POULS_CLIMATE_BATCH_MIN", 5, minimum=3)
# « Mon pouls »: a seller's own NPS is shown from this many rated answers (else the team's).
POULS_MIN_SELLER_ANSWERS = env_int("POULS_MIN_SELLER_ANSWERS", 30, minimum=1)
# Webhooks: links in payloads start with this address (e.g. https://pouls.example.fr); plain
# http is refused except to 127.0.0.1/localhost when the second setting is on (tests, demo).
POULS_BASE_URL = env_str("POULS_BASE_URL", "").rstrip("/")
POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST = env_bool("POULS_WEBHOOKS_ALLOW_HTTP_LOCALHOST", default=False)

# The audit trail (who changed access, downloaded exports, read contact details...) is kept
# this many days, then purged by `manage.py purge_audit` (run it daily). Default: 400.
POULS_AUDIT_RETENTION_DAYS = env_int("POULS_AUDIT_RETENTION_DAYS", 400, minimum=1)


def _daily_at() -> dt.time | None:
    value = env_str("POULS_DAILY_AT", "06:30").strip().lower()
    if value == "off":
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"POULS_DAILY_AT={value!r} is not a time; accepted: HH:MM (local time) or off."
        ) from None


# Daily jobs (purge, candidate themes, callback reminders, briefings, digests) are queued by
# `pouls worker` once a day after this local time; "off" leaves them to the operator.
POULS_DAILY_AT = _daily_at()


def _caches() -> dict[str, dict[str, object]]:
    """POULS_CACHE_URL: redis://HOST:PORT/DB or db://TABLE, shared by every web and worker
    process (survey throttles, the climate memo); default: one process's own memory."""
    url = env_str("POULS_CACHE_URL").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
    if url.startswith("db://") and url[5:].isidentifier():
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.db.DatabaseCache",
                "LOCATION": url[5:],
            }
        }
    raise ImproperlyConfigured(
        f"POULS_CACHE_URL={url.split('@')[-1]!r} is not supported; accepted: "
        "redis://HOST:PORT/DB or db://TABLE_NAME (then run `pouls manage createcachetable`)."
    )


CACHES = _caches()

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pouls.api.auth.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["pouls.api.auth.TokenScope"],
    "DEFAULT_THROTTLE_CLASSES": ["pouls.api.auth.TokenRateThrottle"],
    # Per token; shared by every process once POULS_CACHE_URL points at a shared cache.
    "DEFAULT_THROTTLE_RATES": {"token": env_str("POULS_API_RATE", "1200/min")},
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "pouls.api.errors.handle_exception",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Pouls",
    "DESCRIPTION": (
        "Pousser les réponses de vos outils, lire les chiffres de vos périmètres. "
        "Authentification : `Authorization: Bearer <jeton>` (jeton personnel)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

EMAIL_BACKEND = env_str("POULS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Respondents' one-time tokens are in request paths: these loggers write paths.
    "filters": {
        "redact_tokens": {"()": "pouls.climate.redact.RedactTokens"},
        "request_id": {"()": "pouls.lib.logs.RequestIdFilter"},
    },
    "formatters": {"json": {"()": "pouls.lib.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            # POULS_LOG_FORMAT=json: one JSON object per line, for a log collector.
            **(
                {"formatter": "json"}
                if env_choice("POULS_LOG_FORMAT", "text", ("text", "json")) == "json"
                else {}
            ),
        }
    },
    "loggers": {
        "django.server": {
            "handlers": ["console"],
            "filters": ["redact_tokens"],
            "propagate": False,
        },
        "django.request": {"filters": ["redact_tokens"]},
        "django.security.csrf": {"filters": ["redact_tokens"]},
        # WeasyPrint logs each layout step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("POULS_LOG_LEVEL", "INFO").upper()},
}
