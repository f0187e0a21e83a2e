"""Settings: everything that differs between machines comes from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("JUNHENG_HOME", PACKAGE_DIR.parent.parent))
VAR_DIR = BASE_DIR / "var"

# JUNHENG_PRODUCTION=1: no debug mode, HTTPS only (HSTS, secure cookies), the secret key from the environment.
PRODUCTION = os.environ.get("JUNHENG_PRODUCTION") == "1"

# Written by `junheng setup` when there is neither this file nor JUNHENG_SECRET_KEY; reading settings writes nothing.
JUNHENG_SECRET_KEY_FILE = VAR_DIR / "secret_key"


def _secret_key() -> str:
    """JUNHENG_SECRET_KEY; outside production also the key `junheng setup` keeps in var/secret_key, or else a key
    for this process alone (sessions then end with the process)."""
    key = os.environ.get("JUNHENG_SECRET_KEY", "").strip()
    if PRODUCTION:
        if len(key) < 50 or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "JUNHENG_PRODUCTION=1 需要环境变量 JUNHENG_SECRET_KEY：至少 50 个字符的随机字符串，"
                "例如 python3 -c 'import secrets; print(secrets.token_urlsafe(50))' 的输出。"
            )
        return key
    if key:
        return key
    if JUNHENG_SECRET_KEY_FILE.exists() and (stored := JUNHENG_SECRET_KEY_FILE.read_text().strip()):
        return stored
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("JUNHENG_DEBUG") == "1" and not PRODUCTION
ALLOWED_HOSTS = os.environ.get("JUNHENG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_FAILURE_VIEW = "junheng.core.views.csrf_failure"  # the platform's 403 page, not Django's
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JUNHENG_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "junheng.core",
    "junheng.organisations",
    "junheng.staffing",
    "junheng.programmes",
    "junheng.sharing",
    "junheng.policy",
    "junheng.evaluation",
    "junheng.accounts",
    "junheng.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "junheng.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "junheng.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "junheng.core.middleware.PrivateCacheMiddleware",
    "junheng.core.middleware.NoNulParametersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "junheng.urls"
WSGI_APPLICATION = "junheng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "junheng.navigation.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'junheng.sqlite3'}",
        conn_max_age=int(os.environ.get("JUNHENG_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets pages read while an import writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": ""}  # an in-memory database for tests

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# axes' backend first: while a user name is locked from an address, no password gets through (junheng.core.security).
AUTHENTICATION_BACKENDS = [
    "junheng.core.security.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)  # the window in which failures count, and the length of the lock
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock ends 15 minutes after it began, whatever is tried meanwhile (tries while locked are not counted).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "junheng.core.security.LoginAttemptHandler"  # counts only the failures of the last 15 minutes
AXES_LOCKOUT_CALLABLE = "junheng.core.security.lockout_response"  # the login page, saying when to try again

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["junheng.formats"]  # dates as 2024-09-01 in every language
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True

# Uploads: anything larger than this is refused before it is read.
JUNHENG_MAX_UPLOAD_BYTES = int(os.environ.get("JUNHENG_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = JUNHENG_MAX_UPLOAD_BYTES
# Monitoring results run to millions of rows (a city's year is ≈250 MB of CSV); they stream to disk, never memory.
JUNHENG_MAX_SCORES_BYTES = int(os.environ.get("JUNHENG_MAX_SCORES_BYTES", str(2 * 1024**3)))
# Sheets of records (the import pages, `junheng import`): at most this many rows of data per file; a workbook may
# unpack to at most this many bytes, at most this many times its packed size (a zip bomb is refused unread).
JUNHENG_MAX_IMPORT_ROWS = int(os.environ.get("JUNHENG_MAX_IMPORT_ROWS", "50000"))
JUNHENG_MAX_UNPACKED_BYTES = int(os.environ.get("JUNHENG_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024)))
JUNHENG_MAX_COMPRESSION_RATIO = int(os.environ.get("JUNHENG_MAX_COMPRESSION_RATIO", "100"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The daily digest's mail: an SMTP server in production, printed to the console when none is configured.
EMAIL_BACKEND = os.environ.get("JUNHENG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("JUNHENG_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("JUNHENG_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("JUNHENG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JUNHENG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("JUNHENG_EMAIL_TLS") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("JUNHENG_EMAIL_FROM", "junheng@localhost")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Scripts only from the platform's own static files (chart data travels in json_script elements); inline styles stay
# allowed for the charts' and tables' style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
JUNHENG_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (and removes any the client sent).
if os.environ.get("JUNHENG_PROXY_SSL_HEADER") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if PRODUCTION:
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("JUNHENG_HSTS_PRELOAD") == "1"
    SECURE_SSL_REDIRECT = os.environ.get("JUNHENG_SSL_REDIRECT", "1") != "0"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS = [
        # Entering the browsers' preload list is a decision for the domain's owner (JUNHENG_HSTS_PRELOAD=1).
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
        # JUNHENG_SSL_REDIRECT=0 says that the proxy in front redirects plain HTTP itself.
        *([] if SECURE_SSL_REDIRECT else ["security.W008"]),
    ]

FILTERS_EMPTY_CHOICE_LABEL = _("All")  # a filter's empty choice: 全部, not ---------
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_PAGE_RANGE = 8

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JUNHENG_LOG_LEVEL", "WARNING")},
}

# Long work (checking a year of monitoring results) runs outside the request: `junheng db_worker` takes the tasks
# from the database (`make run` starts it beside the web server).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

JUNHENG_SCOPE_PROVIDER = "junheng.organisations.memberships.scope_of_memberships"
JUNHENG_THRESHOLDS_PROVIDER = "junheng.policy.selectors.thresholds_in_force"
JUNHENG_BRAND = _("Junheng — school partnership platform")
