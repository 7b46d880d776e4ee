"""Settings for the portal. Every value comes from the environment, with a safe default.

The defaults are the embedded set-up (SQLite and Celery's filesystem broker under ``var/``), so a
fresh checkout runs with no servers installed. Production sets ``DATABASE_URL``,
``CELERY_BROKER_URL``, ``SECRET_KEY`` and ``ALLOWED_HOSTS``; see ``.env.example``.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _development_secret_key() -> str:
    """A key generated once into var/, so sessions survive restarts of `make run`."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Without DEBUG the key must come from the environment. Left empty, commands that sign nothing (such as
# makemigrations) still run, while `check`, `migrate` and the web server refuse to start (config.checks).
SECRET_KEY = env_str("SECRET_KEY") or (_development_secret_key() if DEBUG else "")
# Earlier keys, newest first, while a rotation is under way: signatures and sealed secrets made
# with them stay valid (Django's sessions and password-reset links, webhook secrets).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"  # a portal page saying what to do, not Django's bare one

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_ratelimit",
    "axes",
    # Back office: one-time codes for staff, access records.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "services.audit",
    "services.accounts",
    "services.catalogue",
    "services.workflow",
    "services.processing",
    "services.documents",
    "services.notifications",
    "services.ops",
    "services.attachments",
    "services.feedback",
    "services.metrics",
    "services.simulator",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "portal.api.deprecation.DeprecationHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers run beside the writer, IMMEDIATE
    # takes the write lock at BEGIN (no deadlock on lock upgrade) and the timeout waits for it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
elif env_bool("DATABASE_PREPARED_STATEMENTS", True):
    # PostgreSQL: parameters bound by the server, and a statement seen twice on a connection is
    # prepared there, so PostgreSQL no longer parses and plans the same ORM statements again and
    # again (half of its CPU per processed request). Turn it off behind a transaction-pooling
    # PgBouncer older than 1.21, which cannot keep prepared statements apart.
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an IIN or address is locked out
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed logins lock the IIN from that address for a while (django-axes).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.lockout"  # a translated page with the way out

# --- Languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "portal" / "locale"]
# Dates and numbers for kk, which Django has no format module for (portal/formats/kk/formats.py).
FORMAT_MODULE_PATH = ["portal.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
# The country whose public holidays the working-day calendar skips (the `holidays` package).
HOLIDAYS_COUNTRY = env_str("HOLIDAYS_COUNTRY", "KZ")

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
for _directory in (STATIC_ROOT, MEDIA_ROOT):
    _directory.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Uploads (services.attachments) ----------------------------------------------------------
# Documents citizens upload: PDF, PNG or JPEG by content, stored under generated names in MEDIA_ROOT.
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_FILES_PER_REQUEST = env_int("UPLOAD_MAX_FILES_PER_REQUEST", 50)
# Larger uploads go to a temporary file instead of memory while the request is read.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# A file part over UPLOAD_MAX_BYTES is dropped as it streams in, and refused next to its field.
FILE_UPLOAD_HANDLERS = [
    "services.attachments.upload_handlers.UploadSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Security -------------------------------------------------------------------------------
# HTTPS defaults to on outside development; a TLS-terminating proxy sets X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Proxies in front of the portal that append to X-Forwarded-For: the client is that many hops from
# the end (portal/client_address.py). Rate limits, the login lockout and /metrics all read it.
PROXY_COUNT = env_int("PROXY_COUNT", 1 if BEHIND_PROXY else 0)
RATELIMIT_IP_META_KEY = "portal.client_address.client_address"
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Cache (rate limits) ----------------------------------------------------------------------
# Rate limits count in the cache, so production needs one shared by every web process (Redis).
CACHE_URL = env_str("CACHE_URL", "locmem://")
if CACHE_URL.startswith("redis"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit knows only django-redis (Django's own Redis cache increments atomically too), and
# its E003 on an unshared cache would stop every command; the deployment check portal.E002 asks for
# a shared cache instead (one process in development and tests is fine with memory).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Email and SMS --------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@portal.localhost")
# Dotted path of the SMS backend class; the default writes messages to the log.
SMS_BACKEND = env_str("SMS_BACKEND", "services.notifications.sms.LogSmsBackend")

# --- State registries (simulated) -----------------------------------------------------------
# Every IIN gets a deterministic record derived from it and this seed.
REGISTRY_SEED = env_str("REGISTRY_SEED", "kz-portal-2026")

# --- Result documents -----------------------------------------------------------------------
# Ed25519 private key, base64 of the raw 32 bytes. Generated once into var/ when DEBUG is on.
DOCUMENT_SIGNING_KEY = env_str("DOCUMENT_SIGNING_KEY")
# Public halves (base64 of the raw 32 bytes) of keys signed with before: their documents still verify.
DOCUMENT_SIGNING_KEYS_RETIRED = env_list("DOCUMENT_SIGNING_KEYS_RETIRED", [])
# Public base URL printed in documents' QR codes, e.g. https://portal.example.kz
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
VERIFY_RATE_LIMIT = env_str("VERIFY_RATE_LIMIT", "30/m")
# Answers to a request for an owner's consent (/consent/<reference>/), per client address.
CONSENT_RATE_LIMIT = env_str("CONSENT_RATE_LIMIT", "10/m")

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Exchange tables (broadcasts such as the workers' pidbox); kombu's default is ./control.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # Unacknowledged messages come back after this long: longer than the hard time limit, so
    # a task still running is never handed to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", CELERY_TASK_TIME_LIMIT * 4),
    }
# Celery closes Django's database connection around every task unless told to reuse it: a new
# PostgreSQL session per task costs more than most tasks. Reuse it for this many tasks.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 200)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "worker-heartbeat": {
        "task": "services.ops.tasks.worker_heartbeat",
        "schedule": timedelta(seconds=env_int("HEARTBEAT_SECONDS", 30)),
    },
    "outbox-redispatch": {
        "task": "services.processing.tasks.sweep_outbox",
        "schedule": timedelta(seconds=env_int("SWEEP_OUTBOX_SECONDS", 30)),
    },
    "expire-waiting-requests": {
        "task": "services.processing.tasks.sweep_expired",
        "schedule": timedelta(seconds=env_int("SWEEP_EXPIRED_SECONDS", 60)),
    },
    "abandon-stale-drafts": {"task": "services.processing.tasks.sweep_drafts", "schedule": timedelta(hours=1)},
    "watch-deadlines": {"task": "services.processing.tasks.sweep_deadlines", "schedule": timedelta(minutes=15)},
}

# --- Workflow -------------------------------------------------------------------------------
# A side effect not finished this long after it was recorded is dispatched again by the sweeper.
OUTBOX_RETRY_AFTER = timedelta(seconds=env_int("OUTBOX_RETRY_AFTER_SECONDS", 300))
# A side effect that has failed this many times is marked failed (a poison task ends here).
SIDE_EFFECT_MAX_ATTEMPTS = env_int("SIDE_EFFECT_MAX_ATTEMPTS", 5)
# Celery retries a failed side effect after 1, 2, 4, ... times this many seconds (with jitter).
SIDE_EFFECT_RETRY_BACKOFF = env_int("SIDE_EFFECT_RETRY_BACKOFF_SECONDS", 2)
# A side effect whose dispatch failed (broker down) is sent again after this grace period.
OUTBOX_DISPATCH_GRACE = timedelta(seconds=env_int("OUTBOX_DISPATCH_GRACE_SECONDS", 30))
# Drafts untouched this long are abandoned.
DRAFT_TTL = timedelta(days=env_int("DRAFT_TTL_DAYS", 30))
# An information request the citizen has not answered in this many days expires the request.
INFO_RESPONSE_TTL = timedelta(days=env_int("INFO_RESPONSE_DAYS", 15))
# The property owner has this long to consent to a registration at their address (egov.kz: 1 hour).
CONSENT_TIMEOUT_MINUTES = env_int("CONSENT_TIMEOUT_MINUTES", 60)
# Officers are reminded of requests due within this many working days.
DUE_SOON_WORKING_DAYS = env_int("DUE_SOON_WORKING_DAYS", 2)

# --- Service KPIs (services.metrics) ----------------------------------------------------------
# The periodic ingest folds new events into the rollups this often; each run reads again this far
# back (longer than any transaction lasts), so an event committed late is still counted.
CELERY_BEAT_SCHEDULE["metrics-catch-up"] = {
    "task": "services.metrics.tasks.metrics_catch_up",
    "schedule": timedelta(seconds=env_int("METRICS_INGEST_SECONDS", 30)),
}
METRICS_INGEST_LOOKBACK = timedelta(seconds=env_int("METRICS_INGEST_LOOKBACK_SECONDS", 180))
# Cost per transaction (GOV.UK): total cost / completed transactions. Staff time is priced per
# minute; each started transaction also costs a fixed amount for its channel. Amounts in tenge.
METRICS_COST_PER_STAFF_MINUTE = env_str("METRICS_COST_PER_STAFF_MINUTE", "45")
METRICS_STAFF_MINUTES_PER_MANUAL_DECISION = env_int("METRICS_STAFF_MINUTES_PER_MANUAL_DECISION", 20)
METRICS_STAFF_MINUTES_PER_ASSISTED_FILING = env_int("METRICS_STAFF_MINUTES_PER_ASSISTED_FILING", 15)
METRICS_FIXED_COST_PER_CHANNEL = {
    "web": env_str("METRICS_FIXED_COST_WEB", "12"),
    "api": env_str("METRICS_FIXED_COST_API", "8"),
    "assisted": env_str("METRICS_FIXED_COST_ASSISTED", "350"),
    "system": env_str("METRICS_FIXED_COST_SYSTEM", "4"),
}
# The public figures withhold a group of fewer requests started than this, and a rate over fewer
# decisions, completions or answers (small-cell suppression; staff see everything).
METRICS_PUBLIC_MIN_COUNT = env_int("METRICS_PUBLIC_MIN_COUNT", 10)
# A satisfaction figure over fewer answers than this is shown as low confidence (GOV.UK's line).
METRICS_SATISFACTION_CONFIDENT_ANSWERS = env_int("METRICS_SATISFACTION_CONFIDENT_ANSWERS", 400)
# Lines drawn beside the portal's benchmark score (REFERENCE.md sections 2-3), with their sources.
METRICS_REFERENCE_LINES = [
    {
        "key": "eu27_average",
        "label": _("EU27 average"),
        "value": 76.0,
        "source": "European Commission, eGovernment Benchmark 2024 (Capgemini): EU27 average",
    },
    {
        "key": "top25_proxy",
        "label": _("Top-25 proxy"),
        "value": 85.0,
        "source": (
            "European Commission, eGovernment Benchmark 2024: Denmark and the Netherlands (85), both in the "
            "Smart City Expo World Congress top five and the UN E-Government Survey 2024 top ten"
        ),
    },
    {
        "key": "leader",
        "label": _("Leader"),
        "value": 95.3,
        "source": "Smart City Expo World Congress, 25 countries leading in e-government: United Kingdom 95.3",
    },
]

# --- Dashboard (portal.dashboard) and Prometheus (/metrics) -----------------------------------
# Requests a minute one address may make to the public dashboard.
DASHBOARD_PUBLIC_RATE_LIMIT = env_str("DASHBOARD_PUBLIC_RATE_LIMIT", "60/m")
# /metrics answers a scrape with this bearer token, or from one of these addresses; else 404.
# Both empty (the default): /metrics answers nobody.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", [])
# Events by action and side-effect durations are counted over this recent window at each scrape.
METRICS_SCRAPE_WINDOW = timedelta(seconds=env_int("METRICS_SCRAPE_WINDOW_SECONDS", 3600))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Back office ------------------------------------------------------------------------------
# Staff log in with a password and a one-time code from an authenticator app (django-otp, TOTP).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Public services portal")
# An administrator lets a person set up a new authenticator; the offer lapses after this many hours.
TOTP_ENROLMENT_HOURS = env_int("TOTP_ENROLMENT_HOURS", 72)
# Back-office queues show this many requests a page.
BACKOFFICE_PAGE_SIZE = env_int("BACKOFFICE_PAGE_SIZE", 25)

# --- REST API (portal/api) ------------------------------------------------------------------
INSTALLED_APPS += [
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "services.apiclients",
    "services.consents",
    "services.webhooks",
]
REST_FRAMEWORK = {
    "NUM_PROXIES": PROXY_COUNT,  # anonymous throttling by the client's address, as portal/client_address.py
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.AccessTokenAuthentication",
        "portal.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["portal.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.CursorPage",
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonThrottle",
        "portal.api.throttling.UserThrottle",
        "portal.api.throttling.WriteThrottle",
        "portal.api.throttling.ScopedThrottle",
    ],
    "EXCEPTION_HANDLER": "portal.api.problems.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per period ("60/min"), per client address (anon) or per user; read at each request.
API_THROTTLE_RATES = {
    "anon": env_str("API_RATE_ANON", "60/min"),
    "user": env_str("API_RATE_USER", "600/min"),
    "write": env_str("API_RATE_WRITE", "120/min"),
    "verify": env_str("API_RATE_VERIFY", "30/min"),
}
CELERY_BEAT_SCHEDULE["purge-idempotency-keys"] = {
    "task": "services.apiclients.tasks.purge_idempotency_keys",
    "schedule": timedelta(hours=1),
}
# --- Webhooks (services.webhooks) -------------------------------------------------------------
# Hosts trusted as they are: http and private addresses allowed (a receiver on the same machine or
# network, for development and tests). Every other webhook URL is https to a public address.
WEBHOOK_ALLOWED_HOSTS = env_list("WEBHOOK_ALLOWED_HOSTS", [])
# One POST may take this long, connecting included.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
# A delivery is attempted at most this many times, waiting base * 2^(n-1) seconds (with jitter,
# at most the maximum) after the n-th failure; then it is failed.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 10)
WEBHOOK_RETRY_MAX_SECONDS = env_int("WEBHOOK_RETRY_MAX_SECONDS", 3600)
CELERY_BEAT_SCHEDULE["webhook-redispatch"] = {
    "task": "services.webhooks.tasks.sweep_webhooks",
    "schedule": timedelta(seconds=env_int("SWEEP_WEBHOOKS_SECONDS", 30)),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "E-government services portal API",
    "DESCRIPTION": (
        "Find services, file and follow requests, verify result documents. Errors are "
        "application/problem+json (RFC 9457); writes accept an Idempotency-Key header."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "ENUM_NAME_OVERRIDES": {
        "RequestState": "services.workflow.states.State",
        "AttachmentPurpose": "services.attachments.models.Purpose",
        "PurposeEnum": "services.consents.models.Purpose",  # keeps its name beside attachments' purpose
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.deprecation.mark_deprecated_operations",
    ],
}
# v1 operations on their way out: "METHOD /api/v1/path/{param}/" -> {"deprecated": ISO date, "sunset": ISO
# date, "link": URL of the notice}; their responses carry Deprecation and Sunset headers (portal/api/deprecation.py).
API_DEPRECATIONS: dict[str, dict[str, str]] = {}
