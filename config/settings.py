"""Kindling's settings: one module, every knob an environment variable (see .env.example)."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    check_redis_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_email_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("KINDLING_DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)
TESTING = "pytest" in sys.modules

# A fixed, clearly-marked key is acceptable only for local development and tests.
INSECURE_DEV_KEY = "django-insecure-kindling-local-development-only"
SECRET_KEY = env_str("SECRET_KEY", INSECURE_DEV_KEY)
if not (DEBUG or TESTING) and (SECRET_KEY == INSECURE_DEV_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 40 characters when DEBUG is off "
        "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kindling.core",
    "kindling.accounts",
    "kindling.habits",
    "kindling.commons",
    "kindling.moderation",
    "kindling.notifications",
    "kindling.expertise",
    "kindling.integrations",
    "kindling.search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Compresses pages (with Django's BREACH mitigation); WhiteNoise compresses static files.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "django.template.context_processors.i18n",
                "kindling.core.context_processors.site",
                "kindling.notifications.context_processors.unread_notifications",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
DEFAULT_SQLITE_PATH = DATA_DIR / "kindling.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}")
try:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL could not be understood: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock up front so
    # concurrent writers wait (up to the timeout) instead of failing with "database is locked".
    if _database["NAME"] and _database["NAME"] != ":memory:":
        # The embedded default must work on a fresh checkout, so its folder is made on demand.
        Path(str(_database["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    _database["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
    }
    _database["CONN_MAX_AGE"] = 0 if TESTING else _database["CONN_MAX_AGE"]
elif _database["ENGINE"] not in {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}:
    raise ImproperlyConfigured("DATABASE_URL must point at SQLite (sqlite:///…) or PostgreSQL.")
else:
    _database["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, tasks -------------------------------------------------------------------
REDIS_URL = check_redis_url("REDIS_URL", env_str("REDIS_URL", ""))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kindling",
        }
    }
else:
    # Per-process memory cache: fine for one machine; set REDIS_URL to share it between servers.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A per-process cache in front of sessions would let a signed-out session live on in other
# worker processes, so sessions are cached only when the cache is shared (Redis).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "kindling.core.sessions"  # Django's db backend, read with one plain statement
)

TASK_BACKEND = env_choice(
    "TASK_BACKEND",
    "rq" if REDIS_URL and env_bool("TASKS_ON_REDIS", False) else "database",
    ("database", "rq", "immediate"),
)
if TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASK_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Identity ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only in tests

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "kindling.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kindling] "
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = (
    {}
    if TESTING
    else {
        "login_failed": "10/m/ip,5/5m/key",
        "signup": "20/m/ip",
        "reset_password": "20/m/ip,5/m/key",
    }
)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kindling"

# --- E-mail -----------------------------------------------------------------------------------
# Every message goes through a background task; EMAIL_URL picks how the task delivers it.
EMAIL_BACKEND = "kindling.core.mail.TaskEmailBackend"
_email = parse_email_url("EMAIL_URL", env_str("EMAIL_URL", "console:"))
EMAIL_DELIVERY_BACKEND = str(_email.pop("EMAIL_DELIVERY_BACKEND"))
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Kindling <kindling@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In tests static files come from their source folders, so no collectstatic is needed first.
WHITENOISE_AUTOREFRESH = TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # form fields; files are limited separately
PRONUNCIATION_AUDIO_MAX_BYTES = env_int("PRONUNCIATION_AUDIO_MAX_BYTES", 1024 * 1024, minimum=1024)
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
PRONUNCIATION_AUDIO_MAX_SECONDS = env_int("PRONUNCIATION_AUDIO_MAX_SECONDS", 15, minimum=1)

# --- Trust and moderation ---------------------------------------------------------------------
# New members' limits, and when they lift (see kindling/moderation/trust.py).
TRUST_NEW_POSTS_PER_HOUR = env_int("TRUST_NEW_POSTS_PER_HOUR", 5, minimum=1)
TRUST_NEW_MAX_LINKS = env_int("TRUST_NEW_MAX_LINKS", 2, minimum=0)
TRUST_LEVEL_UP_DAYS = env_int("TRUST_LEVEL_UP_DAYS", 2, minimum=0)
TRUST_LEVEL_UP_CONTRIBUTIONS = env_int("TRUST_LEVEL_UP_CONTRIBUTIONS", 3, minimum=0)
# Unresolved flags from different members that hide a post until a moderator reviews it.
FLAGS_TO_HIDE = env_int("FLAGS_TO_HIDE", 3, minimum=1)

# --- Search -----------------------------------------------------------------------------------
# Semantic similarity fused with full-text ranking, when the "semantic" extra is installed
# (kindling/search/semantic.py). Off in the test suite unless a test turns it on: embedding
# every post the factories write would only slow the suite down.
SEMANTIC_SEARCH = env_bool("SEMANTIC_SEARCH", not TESTING)
# CPU threads the model may use per process. Its threads sleep when they wait (never spin), so
# two cost little when the other core is busy and encode a need about a third faster when it
# is free (measured in bench/README.md).
SEMANTIC_THREADS = env_int("SEMANTIC_THREADS", 2, minimum=1)

# --- Security ---------------------------------------------------------------------------------
SECURE_HTTPS = env_bool("SECURE_HTTPS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
