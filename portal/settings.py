"""Settings for the provincial portal, read from the environment.

Every variable is listed in README.md. With ``DJANGO_DEBUG`` off, a missing secret key or
host list stops start-up instead of falling back to something unsafe.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "development-only-insecure-key"  # noqa: S105 - only reachable with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. List the portal's host names, comma-separated "
            "(for example: congthongtin.example.gov.vn,www.congthongtin.example.gov.vn)."
        )
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "articles",
    "elections",
    "awards",
    "documents",
    "organisation",
    "questions",
    "schedule",
    # modeltranslation patches the models before the admin registers them.
    "modeltranslation",
    "portal.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "ckeditor",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compression outside the page cache: cached pages are kept plain and compressed per client.
    "portal.middleware.PublicGZipMiddleware",
    # Outside everything else: a cached page is served without sessions, locale or CSRF work.
    "portal.pagecache.PageCacheMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.PortalCSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.portal",
                "organisation.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two staff saving at once: a transaction takes the write lock when it starts, so the
    # second waits (up to 20 s) instead of failing with "database is locked" on its first write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis answers in a millisecond; waiting longer only holds a worker while it is down.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
REDIS_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
if REDIS_URL:
    CACHES = {
        "default": {
            # A dead Redis is a cache miss, not a 500 (portal/cache.py).
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("DJANGO_CACHE_PREFIX", "portal"),
            "TIMEOUT": 300,
            "OPTIONS": REDIS_OPTIONS,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "portal",
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login lockout: 5 failures per username and address, then a 15-minute cool-off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# Never store what was typed in the code box (or the form token) with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token", "csrfmiddlewaretoken"]
# Who the client is, behind nginx too: one function for the lockout and the rate limits.
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.client_ip"
PORTAL_TRUSTED_PROXIES = int(os.environ.get("PORTAL_TRUSTED_PROXIES", "0"))

# Staff log in through the admin; with no safe "next" they land on its index, not on
# Django's default /accounts/profile/ (which does not exist here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Staff two-factor: the admin asks for a TOTP code when this is on (default: on unless DEBUG).
ADMIN_REQUIRE_OTP = env_bool("DJANGO_ADMIN_REQUIRE_OTP", not DEBUG)
OTP_TOTP_ISSUER = os.environ.get("PORTAL_NAME", "Cổng thông tin điện tử tỉnh")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
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
# Several app instances share their uploads on S3-compatible storage (MinIO, Ceph, Viettel or
# FPT object storage, AWS): set the bucket and its endpoint. Files keep their random names, so
# they are public, cacheable for a year and never overwritten; the URLs carry no signature.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_LOCATION = os.environ.get("AWS_LOCATION", "").strip("/")
    AWS_QUERYSTRING_AUTH = False
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None  # the bucket's policy decides, as object stores recommend
    AWS_S3_OBJECT_PARAMETERS = {"CacheControl": "public, max-age=31536000, immutable"}
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    _media_base = (
        f"https://{AWS_S3_CUSTOM_DOMAIN}"
        if AWS_S3_CUSTOM_DOMAIN
        else f"{(AWS_S3_ENDPOINT_URL or 'https://s3.amazonaws.com').rstrip('/')}/"
        f"{AWS_STORAGE_BUCKET_NAME}"
    )
    MEDIA_URL = f"{_media_base}/{AWS_LOCATION}/" if AWS_LOCATION else f"{_media_base}/"
# Finished background exports wait here for their download: never under MEDIA_ROOT or the
# public part of a bucket, since only the staff member who asked may fetch them.
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["exports"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"location": "private-exports", "querystring_auth": True},
    }
else:
    STORAGES["exports"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": os.environ.get("DJANGO_EXPORTS_ROOT", str(BASE_DIR / "exports")),
            "base_url": None,
        },
    }

# Background tasks (long exports): Django's tasks API through the django-tasks backport. The
# database backend needs no extra service: `manage.py db_worker` runs them (`make run` starts
# one). PORTAL_TASKS_BACKEND names another backend, e.g. django-tasks-rq on Redis.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("PORTAL_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
AWARDS_EXPORT_BACKGROUND_ROWS = int(os.environ.get("AWARDS_EXPORT_BACKGROUND_ROWS", "5000"))
AWARDS_EXPORT_KEEP_DAYS = int(os.environ.get("AWARDS_EXPORT_KEEP_DAYS", "7"))

FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Whole-page cache for anonymous visitors (portal/pagecache.py) and the headers for proxies.
PORTAL_PAGE_CACHE = env_bool("PORTAL_PAGE_CACHE", True)
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "600"))
PORTAL_PAGE_MAX_AGE = int(os.environ.get("PORTAL_PAGE_MAX_AGE", "30"))
PORTAL_PAGE_S_MAXAGE = int(os.environ.get("PORTAL_PAGE_S_MAXAGE", "300"))
# One machine only: the page cache's generation in this file instead of the database, so a
# cached page costs no database round trip (portal/pagecache.py). Ignored with REDIS_URL.
PORTAL_PAGE_GENERATION_FILE = os.environ.get("PORTAL_PAGE_GENERATION_FILE", "")
# PostgreSQL: each process keeps the generation and hears its changes (LISTEN/NOTIFY) instead
# of reading it per request. 0 behind a pooler in transaction mode, which loses notifications.
PORTAL_PAGE_GENERATION_LISTEN = env_bool("PORTAL_PAGE_GENERATION_LISTEN", True)

PORTAL_NAME = os.environ.get("PORTAL_NAME", "Cổng thông tin điện tử tỉnh Hà Nam")
PORTAL_SERVE_MEDIA = env_bool("PORTAL_SERVE_MEDIA", False)
PORTAL_NOINDEX = env_bool("PORTAL_NOINDEX", False)
# The header: the emblem (a static file path or an absolute URL) and the name on two lines
# ("line one|line two"; by default PORTAL_NAME is split before "tỉnh"/"thành phố").
PORTAL_EMBLEM = os.environ.get("PORTAL_EMBLEM", "img/emblem-placeholder.svg")
PORTAL_BANNER = os.environ.get("PORTAL_BANNER", "")
# The name and banner on /en/ pages. Empty: the Vietnamese name, marked lang="vi". The demo's
# English name is the default only while PORTAL_NAME is the demo's too.
_DEMO_NAME = "PORTAL_NAME" not in os.environ
PORTAL_NAME_EN = os.environ.get("PORTAL_NAME_EN", "Ha Nam Provincial Portal" if _DEMO_NAME else "")
PORTAL_BANNER_EN = os.environ.get(
    "PORTAL_BANNER_EN", "Provincial Portal|Ha Nam Province" if _DEMO_NAME else ""
)
# The menu's public-service links; an empty value leaves the entry out.
PORTAL_NATIONAL_SERVICES_URL = os.environ.get(
    "PORTAL_NATIONAL_SERVICES_URL", "https://dichvucong.gov.vn/"
)
PORTAL_PROVINCE_SERVICES_URL = os.environ.get("PORTAL_PROVINCE_SERVICES_URL", "")
PORTAL_IMAGE_MAX_BYTES = int(os.environ.get("PORTAL_IMAGE_MAX_MB", "10")) * 1024 * 1024
PORTAL_IMAGE_MAX_PIXELS = int(os.environ.get("PORTAL_IMAGE_MAX_MEGAPIXELS", "40")) * 1_000_000
# Attached files of the documents registry (PDF, DOC/DOCX, XLS/XLSX, ZIP): see portal/files.py.
PORTAL_DOCUMENT_MAX_BYTES = int(os.environ.get("PORTAL_DOCUMENT_MAX_MB", "30")) * 1024 * 1024
# Download counts live in the cache and reach the database every Nth download of a file (and
# with manage.py flush_download_counts).
DOCUMENTS_DOWNLOAD_FLUSH_EVERY = int(os.environ.get("PORTAL_DOCUMENT_DOWNLOAD_FLUSH_EVERY", "50"))

# Public search and forms: per-client-address limits (portal/ratelimit.py) and spam checks
# (portal/publicforms.py). PORTAL_RATELIMITS overrides a scope's rate: "search=60/m,ask=5/h".
PORTAL_RATELIMIT_ENABLED = env_bool("PORTAL_RATELIMIT_ENABLED", True)
PORTAL_RATELIMITS = {}
for _item in env_list("PORTAL_RATELIMITS"):
    _scope, _, _rate = _item.partition("=")
    if not re.fullmatch(r"\d+/[smhd]", _rate.strip()):
        raise ImproperlyConfigured(
            f"PORTAL_RATELIMITS: {_item!r} is not like 'search=60/m' (per s, m, h or d)."
        )
    PORTAL_RATELIMITS[_scope.strip()] = _rate.strip()
PORTAL_FORM_MIN_SECONDS = int(os.environ.get("PORTAL_FORM_MIN_SECONDS", "3"))
PORTAL_FORM_MAX_AGE_HOURS = int(os.environ.get("PORTAL_FORM_MAX_AGE_HOURS", "24"))
# Commendations: the largest scanned decision (PDF) and recipient list (CSV/XLSX) accepted.
AWARDS_SCAN_MAX_BYTES = int(os.environ.get("AWARDS_SCAN_MAX_MB", "20")) * 1024 * 1024
AWARDS_IMPORT_MAX_BYTES = int(os.environ.get("AWARDS_IMPORT_MAX_MB", "5")) * 1024 * 1024
AWARDS_IMPORT_MAX_ROWS = int(os.environ.get("AWARDS_IMPORT_MAX_ROWS", "5000"))

# manage.py backup: where archives go, and the OpenPGP key they are encrypted for (README).
PORTAL_BACKUP_DIR = Path(os.environ.get("PORTAL_BACKUP_DIR", BASE_DIR / "backups"))
PORTAL_BACKUP_GPG_RECIPIENT = os.environ.get("PORTAL_BACKUP_GPG_RECIPIENT", "")

# django-ckeditor's editor widget only: no ckeditor_uploader (CSRF-exempt, accepts .html/.svg).
CKEDITOR_BASEPATH = "/static/ckeditor/ckeditor/"
CKEDITOR_CONFIGS = {
    "default": {
        "language": "vi",
        "height": 420,
        "width": "100%",
        "toolbar": "portal",
        "toolbar_portal": [
            ["Format"],
            ["Bold", "Italic", "Underline", "Strike", "Subscript", "Superscript", "RemoveFormat"],
            ["NumberedList", "BulletedList", "Blockquote", "HorizontalRule"],
            ["Link", "Unlink"],
            ["Image", "Table"],
            ["Undo", "Redo"],
            ["Source", "Maximize"],
        ],
        "format_tags": "p;h2;h3;h4",
        "extraPlugins": "image2",
        "removePlugins": "image,exportpdf,uploadimage,uploadwidget,flash,iframe,forms",
        "image2_captionedClass": "image",
        "image2_alignClasses": ["", "", ""],
        "filebrowserImageBrowseUrl": "/admin/articles/image/browse/",
        "filebrowserWindowWidth": 960,
        "filebrowserWindowHeight": 640,
        "disallowedContent": "script; iframe; style; *[on*]; *{*}",
        "entities": False,
    }
}
SILENCED_SYSTEM_CHECKS = [
    # CKEditor 4 is end-of-life; the server never trusts what it sends (portal/richtext.py).
    "ckeditor.W001",
    # HSTS preloading is the operator's commitment for the whole domain: DJANGO_HSTS_PRELOAD.
    "security.W021",
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

if MEDIA_URL.startswith(("https://", "http://")):
    # Uploads served by object storage: pages may show images from there, and only there.
    _scheme, _host = MEDIA_URL.split("://", 1)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_scheme}://{_host.split('/')[0]}")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
# Only staff have sessions: they end after a working day and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_HOURS", "9")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("DJANGO_SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# English versions of organisation records (django-modeltranslation): Vietnamese is the source;
# an empty English field falls back to it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "vi"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("vi",)

# Mail to citizens (answers to their questions). Without EMAIL_HOST mail goes to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_warning": {"()": "portal.logfilters.OneLineWarning"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Scanners send wrong Host headers all day: one warning line each, no traceback.
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
}
