"""Proofsheet settings: one file, every value read from the environment.

With no environment at all (a fresh clone) the site runs on the embedded default:
SQLite, media on the local disk, background work without a broker. Production sets
the variables documented in `.env.example` (PostgreSQL, Redis, S3-compatible storage,
SMTP) and gets the same code on real engines.
"""

import os
import socket
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config import csp

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=True) and (BASE_DIR / ".env").exists():
    # Real environment variables win over the file (read_env only sets missing ones).
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random SECRET_KEY in the "
            "environment (see .env.example); for local use set DEBUG=true, or run "
            "bin/serve, which writes a .env with one."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications -------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "axes",
    "csp",
    "storages",
    "accounts",
    "galleries",
    "sharing",
]

MIDDLEWARE = [
    # Request count and latency by route name, for /metrics (config/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header, with the request's nonce (config/csp.py).
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A database, storage or broker that is down answers 503 with Retry-After.
    "config.unavailable.ServiceUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so it sees the lockout flag that the login attempt set.
    "axes.middleware.AxesMiddleware",
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
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # SQLite: WAL lets the web process read while the worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

# A shared cache is what lets several web machines agree on rate limits and signed
# URLs. Redis fails soft (config/cache.py): while it is down, the site serves without it.
CACHES = {
    "default": env.cache_url(
        "CACHE_URL", default=REDIS_URL or "locmemcache://proofsheet"
    )
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "config.cache.FailSoftRedisCache"

# --- Files --------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or VAR_DIR / "media")

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
USE_S3 = bool(AWS_STORAGE_BUCKET_NAME)

if USE_S3:
    _default_storage = {
        # django-storages' S3Storage, counting the bucket's failures for /metrics.
        "BACKEND": "galleries.filestore.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            # Photos are private: every URL handed out is signed and short-lived.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_QUERYSTRING_EXPIRE", default=3600),
            # Never let two uploads with one name overwrite each other.
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# Renditions from a CDN in front of the bucket (CloudFront): the pictures of a busy
# gallery are then served by its edges, as CloudFront signed URLs (a canned policy,
# signed with the key pair's private key by django-storages' signer). Only renditions:
# originals and downloads stay presigned S3 URLs (galleries/signed_urls.py says why).
# The "cdn" storage is only ever asked for URLs; files are saved through "default".
AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="")
if AWS_S3_CUSTOM_DOMAIN:
    _key_id = env.str("AWS_CLOUDFRONT_KEY_ID", default="")
    # A PEM in one line of the environment, its line breaks written as \n.
    _key = env.str("AWS_CLOUDFRONT_KEY", default="", multiline=True)
    if not USE_S3 or not (_key_id and _key):
        raise ImproperlyConfigured(
            "AWS_S3_CUSTOM_DOMAIN serves renditions from a CDN in front of the bucket "
            "with CloudFront signed URLs: it needs AWS_STORAGE_BUCKET_NAME, "
            "AWS_CLOUDFRONT_KEY_ID and AWS_CLOUDFRONT_KEY (photos are private, so "
            "unsigned CDN URLs are refused; see docs/production.md)."
        )
    STORAGES["cdn"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_default_storage["OPTIONS"],
            "custom_domain": AWS_S3_CUSTOM_DOMAIN.strip("/"),
            "url_protocol": "https:",
            "cloudfront_key_id": _key_id,
            "cloudfront_key": _key,
        },
    }
FILE_UPLOAD_PERMISSIONS = 0o640

# --- Photos -------------------------------------------------------------------------

PHOTO_MAX_UPLOAD_BYTES = env.int("PHOTO_MAX_UPLOAD_MB", default=100) * 1024 * 1024
# Decompression bombs are refused from the header, before any pixel is decoded.
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_MEGAPIXELS", default=120) * 1_000_000

# Nothing is left stuck (galleries/recovery.py, run every RECOVERY_SWEEP_SECONDS):
# a photo processing without a live worker's claim for this long is queued again...
PHOTO_STUCK_AFTER_SECONDS = env.int("PHOTO_STUCK_AFTER_SECONDS", default=300)
# ...up to this many tries in all, after which it is failed (the photographer can retry).
PHOTO_MAX_ATTEMPTS = env.int("PHOTO_MAX_ATTEMPTS", default=5)
# A worker stops processing one photo after this long, before its claim runs out, so
# a photo is never processed by two workers at once.
PHOTO_PROCESS_TIME_LIMIT_SECONDS = env.int(
    "PHOTO_PROCESS_TIME_LIMIT_SECONDS",
    default=max(1, PHOTO_STUCK_AFTER_SECONDS * 4 // 5),
)
if PHOTO_PROCESS_TIME_LIMIT_SECONDS >= PHOTO_STUCK_AFTER_SECONDS:
    raise ImproperlyConfigured(
        "PHOTO_PROCESS_TIME_LIMIT_SECONDS must be below PHOTO_STUCK_AFTER_SECONDS, or a "
        "photo still being processed would be handed to a second worker."
    )
# An upload not confirmed this long after it started is abandoned: its row, any bytes
# that arrived and the quota it reserved are given back, so it can be sent again.
UPLOAD_ABANDONED_AFTER_SECONDS = env.int("UPLOAD_ABANDONED_AFTER_SECONDS", default=1800)
RECOVERY_SWEEP_SECONDS = env.int("RECOVERY_SWEEP_SECONDS", default=60)
# A deleted gallery or photo waits in the trash this many days, then Celery beat
# empties it for good (galleries/trash.py); its bytes count in the quota until then.
TRASH_RETENTION_DAYS = env.int("TRASH_RETENTION_DAYS", default=30)

# --- Sharing ------------------------------------------------------------------------

# A returning visitor's page views are added up in each web process and written this
# often (sharing/analytics.py): the photographer's figures trail by up to this long.
VIEW_FLUSH_SECONDS = env.int("VIEW_FLUSH_SECONDS", default=10)

# --- Accounts -----------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "galleries:dashboard"
LOGOUT_REDIRECT_URL = "home"

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out address or account is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # a reset link works for one day

# Only bin/serve sets this, for the local demo account it creates.
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="")

GB = 1024**3  # binary, as filesizeformat shows sizes
DEFAULT_STORAGE_QUOTA = env.int("DEFAULT_STORAGE_QUOTA_GB", default=20) * GB

# Brute-force protection (django-axes): failed logins pause logging in for a while,
# with HTTP 429. Counted per account and address, per account for browsers it does
# not know, per address across accounts, and per known browser: accounts/login_limits.py.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_HANDLER = "accounts.login_limits.LoginLimitHandler"
AXES_USERNAME_CALLABLE = "accounts.login_limits.login_key"
AXES_USERNAME_FORM_FIELD = "username"
# The handler counts; axes uses this only to describe an attempt in its logs.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
# A browser that logged in to an account is trusted to keep trying for this long
# after its last login, while strangers' failures pause the account (accounts/devices.py).
LOGIN_DEVICE_TRUST = timedelta(days=env.int("LOGIN_DEVICE_TRUST_DAYS", default=180))
# Behind N reverse proxies the client address is the Nth from the right in
# X-Forwarded-For; with none, the socket's address is the only one to trust.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.login_limits.client_address"

# --- Security -----------------------------------------------------------------------

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY_COUNT else None
)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG
)
# The directive only allows submitting the domain to the browsers' preload list.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from us or with the request's nonce; the media bucket is added per
# storage settings (config/csp.py).
CONTENT_SECURITY_POLICY = csp.POLICY

# --- Email --------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Proofsheet <noreply@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that hangs must not hang a request (password reset mails from one).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Where the site is reached from outside: links in emails point here. Without
# SITE_URL, the address the site serves on (HOST and PORT, which bin/serve exports).
_host = env.str("HOST", default="") or "127.0.0.1"
if _host in {"0.0.0.0", "::", "[::]"}:  # every interface: this machine's own
    _host = "127.0.0.1"
if ":" in _host and not _host.startswith("["):
    _host = f"[{_host}]"
SITE_URL = env.str(
    "SITE_URL", default=f"http://{_host}:{env.int('PORT', default=8000)}"
).rstrip("/")

# --- Background work ----------------------------------------------------------------

# Without a broker the embedded default keeps Celery's queue in files under var/, and
# bin/serve runs a worker beside the web server: real background work, no services.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL == "filesystem://"
    else {
        # A message a dead worker took comes back after this many seconds; workers
        # look for such messages every interval x throttle seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
        "unacked_restore_throttle": env.int(
            "CELERY_UNACKED_RESTORE_THROTTLE", default=10
        ),
    }
)
if CELERY_BROKER_URL == "filesystem://":
    for folder in ("queue", "control"):
        (VAR_DIR / "celery" / folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only when done, so a worker that dies mid-task loses nothing.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Periodic work, sent by Celery beat (`celery -A config beat`, or `worker -B`; bin/serve
# runs it on the embedded default too, over the queue in files).
CELERY_BEAT_SCHEDULE = {
    "recovery-sweep": {
        "task": "galleries.tasks.recovery_sweep",
        "schedule": RECOVERY_SWEEP_SECONDS,
        # Sweeps that piled up while no worker ran are one sweep's worth of work.
        "options": {"expires": RECOVERY_SWEEP_SECONDS},
    },
    # Hourly: what has been in the trash TRASH_RETENTION_DAYS goes for good.
    "trash-empty": {
        "task": "galleries.tasks.empty_expired_trash",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
    # Hourly, so a beat that was down at midnight still sends yesterday's, once.
    "activity-digest": {
        "task": "sharing.tasks.send_activity_digests",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
    # Hourly: each recipient due a reminder gets it within the hour, once.
    "expiry-reminders": {
        "task": "sharing.tasks.send_expiry_reminders",
        "schedule": 3600,
        "options": {"expires": 3600},
    },
}

# --- API ----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "config.api_errors.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # "share": each visitor address on the public share-link API (a phone scrolling
    # a 2,000-photo gallery needs ~20 pages; a venue's guests may share one address).
    "DEFAULT_THROTTLE_RATES": {"register": "10/hour", "share": "600/minute"},
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=15),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    # Tokens carry a digest of the password hash: a new password (from any door)
    # ends every access and refresh token issued before it.
    "CHECK_REVOKE_TOKEN": True,
    "SIGNING_KEY": SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Proofsheet API",
    "DESCRIPTION": (
        "Everything a photographer can do in Proofsheet, as JSON. Authenticate with "
        "a JWT from `/api/v1/auth/token/` (send `Authorization: Bearer <access>`), or "
        "with the site's session cookie in the browsable API."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: self-hosted sites need no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    # No badge fetched from the public online validator (nor a CSP violation for it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": "drf_standardized_errors.openapi_serializers.ValidationErrorEnum.choices",
        "ClientErrorEnum": "drf_standardized_errors.openapi_serializers.ClientErrorEnum.choices",
        "ServerErrorEnum": "drf_standardized_errors.openapi_serializers.ServerErrorEnum.choices",
        "ErrorCode401Enum": "config.api_errors.ErrorCode401Enum.choices",
        "ErrorCode403Enum": "drf_standardized_errors.openapi_serializers.ErrorCode403Enum.choices",
        "ErrorCode404Enum": "drf_standardized_errors.openapi_serializers.ErrorCode404Enum.choices",
        "ErrorCode405Enum": "drf_standardized_errors.openapi_serializers.ErrorCode405Enum.choices",
        "ErrorCode406Enum": "drf_standardized_errors.openapi_serializers.ErrorCode406Enum.choices",
        "ErrorCode415Enum": "drf_standardized_errors.openapi_serializers.ErrorCode415Enum.choices",
        "ErrorCode429Enum": "drf_standardized_errors.openapi_serializers.ErrorCode429Enum.choices",
        "ErrorCode500Enum": "drf_standardized_errors.openapi_serializers.ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        # List items' errors as responses name them ("ids.0", not "ids.INDEX").
        "config.api_errors.postprocess_schema",
    ],
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    "EXCEPTION_HANDLER_CLASS": "config.api_errors.ProofsheetExceptionHandler",
    # With simplejwt's code for a bad token.
    "ERROR_SCHEMAS": {401: "config.api_errors.ErrorResponse401Serializer"},
}

# --- Metrics ------------------------------------------------------------------------

# /metrics (config/metrics.py) answers 404 unless this is set, and then only to
# `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Where every process of a machine keeps its values (prometheus-client's multiprocess
# mode), a folder per host name: /metrics on the machine reports them all. Without it
# each process reports only its own. Emptied when the machine's stack starts.
METRICS_DIR = env.str("METRICS_DIR", default="")
if METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(
        Path(METRICS_DIR) / socket.gethostname()
    )
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
# Request latency buckets (django-prometheus), in seconds.
PROMETHEUS_LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

# --- Internationalisation -----------------------------------------------------------

LANGUAGE_CODE = "en"
# The languages a client's pages and emails can be in: each gallery's own, chosen by
# its photographer (galleries/languages.py), never the browser's. Catalogs: locale/,
# compiled by bin/setup and the Dockerfile (`manage.py compilemessages`).
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers in each language's own way; English keeps "3 December 2026".
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Logging ------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
            },
        },
        "console": {"format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
