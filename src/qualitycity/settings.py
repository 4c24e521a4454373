"""Settings for QualityCity, read from environment variables.

Every knob that differs between a laptop and production comes from the environment through the small
helpers below, which refuse malformed values instead of guessing.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("QC_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


DEBUG = env_bool("QC_DEBUG", False)
SECRET_KEY = os.environ.get("QC_SECRET_KEY", "")
if not SECRET_KEY:
    if env_bool("QC_REQUIRE_SECRET_KEY", False):
        raise ImproperlyConfigured("QC_SECRET_KEY must be set in production")
    # A single machine (`make run`, tests): a random key made on first start and kept in the var
    # directory, never a key from the repository. Several app servers must share QC_SECRET_KEY;
    # `qualitycity check --deploy` says so (qualitycity.checks).
    SECRET_KEY_FILE = VAR_DIR / "secret_key"
    if not SECRET_KEY_FILE.exists():
        import secrets as _secrets
        import tempfile as _tempfile

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _fd, _tmp = _tempfile.mkstemp(dir=VAR_DIR)  # 0600
        with os.fdopen(_fd, "w") as _out:
            _out.write(_secrets.token_urlsafe(50))
        try:
            os.link(_tmp, SECRET_KEY_FILE)  # atomic: the first process to start wins
        except FileExistsError:
            pass
        finally:
            os.unlink(_tmp)
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()

ALLOWED_HOSTS = env_list("QC_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("QC_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "qualitycity.web.admin_site.QualityCityAdminConfig",  # django.contrib.admin, stricter site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # the API's OpenAPI docs from its own static files (no CDN)
    "qualitycity.audit",
    "qualitycity.orgs",
    "qualitycity.frameworks",
    "qualitycity.evidence",
    "qualitycity.campaigns",
    "qualitycity.assessments",
    "qualitycity.indicators",
    "qualitycity.reports",
    "qualitycity.web",
    "qualitycity.api",
    "qualitycity.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qualitycity.web.middleware.ChineseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "qualitycity.audit.middleware.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qualitycity.web.middleware.NoStoreForSignedInMiddleware",
    "qualitycity.web.middleware.RejectControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # last: the page it renders again after a refusal passes every middleware above
    "qualitycity.web.middleware.RefusedInputMiddleware",
]

ROOT_URLCONF = "qualitycity.urls"
WSGI_APPLICATION = "qualitycity.wsgi.application"

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
                "qualitycity.web.context.app",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, PostgreSQL in production through DATABASE_URL.
_default_sqlite = f"sqlite:///{VAR_DIR / 'qualitycity.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite),
        # Each app-server worker keeps its connection (a new PostgreSQL connection per request
        # cost more than most pages: bench/), checked before reuse after an error or a restart.
        conn_max_age=env_int("QC_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives in var/, made here so any first command (run, test, migrate) works.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # A file (not :memory:) so the browser tests' live server shares it; one per process so that
    # parallel test runs on one machine do not collide.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-qualitycity-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "orgs.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "qualitycity.orgs.validators.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): after QC_LOGIN_FAILURE_LIMIT failures for one user name from one
# address, that pair is locked for QC_LOGIN_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("QC_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("QC_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("QC_AXES_ENABLED", True)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("QC_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("QC_STATIC_ROOT", str(VAR_DIR / "static")))
NODE_MODULES = PROJECT_DIR / "node_modules"
# Only the dist folders of the npm packages are served (see package.json), never node_modules whole.
VENDOR_ASSETS = {
    "vendor/tabler": NODE_MODULES / "@tabler" / "core" / "dist",
    "vendor/htmx": NODE_MODULES / "htmx.org" / "dist",
    "vendor/alpine": NODE_MODULES / "@alpinejs" / "csp" / "dist",
    "vendor/echarts": NODE_MODULES / "echarts" / "dist",
}
STATICFILES_DIRS = [(prefix, path) for prefix, path in VENDOR_ASSETS.items() if path.is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("QC_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("QC_MEDIA_ROOT", str(VAR_DIR / "media")))

# Evidence, exports and backups' files live in the default storage: local files under MEDIA_ROOT,
# or with QC_STORAGE=s3 an S3-compatible object store (AWS S3, MinIO, Aliyun OSS, Tencent COS)
# through django-storages. MEDIA_ROOT/tmp stays the local scratch folder of uploads.
QC_STORAGE = env_str("QC_STORAGE", "local")
if QC_STORAGE not in ("local", "s3"):
    raise ImproperlyConfigured("QC_STORAGE must be local or s3")
if QC_STORAGE == "s3":
    if not os.environ.get("QC_S3_BUCKET"):
        raise ImproperlyConfigured("QC_STORAGE=s3 needs QC_S3_BUCKET")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("QC_S3_BUCKET", ""),
            "endpoint_url": env_str("QC_S3_ENDPOINT_URL", "") or None,
            "access_key": env_str("QC_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("QC_S3_SECRET_KEY", "") or None,
            "region_name": env_str("QC_S3_REGION", "") or None,
            # MinIO and most self-hosted stores want path-style addresses.
            "addressing_style": env_str("QC_S3_ADDRESSING_STYLE", "path"),
            "location": env_str("QC_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": True,  # names are content hashes: the same name is the same bytes
        },
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DEFAULT_FROM_EMAIL = env_str("QC_FROM_EMAIL", "qualitycity@localhost")

# Group robots post only to these hosts over HTTPS (campaigns/channels.py), and to the extra hosts
# an installation lists (a relay inside its network) over HTTP or HTTPS.
QC_ROBOT_HOSTS = ["qyapi.weixin.qq.com", "oapi.dingtalk.com"]
QC_ROBOT_EXTRA_HOSTS = [h.lower() for h in env_list("QC_ROBOT_EXTRA_HOSTS", [])]
# The address users reach the site at, for links in e-mails and group-robot messages.
QC_SITE_URL = env_str("QC_SITE_URL", "")
# Outside deliveries (e-mail, robots) are tried this many times, waiting longer each time.
QC_DELIVERY_ATTEMPTS = env_int("QC_DELIVERY_ATTEMPTS", 5)
# The worker sends the day's deadline reminders at this hour (local time).
QC_REMINDER_HOUR = env_int("QC_REMINDER_HOUR", 8)
# Days a background export's file is kept before the worker's daily sweep removes it (and its job)
QC_EXPORT_DAYS = env_int("QC_EXPORT_DAYS", 7)


def env_date(name: str):
    import datetime as _dt

    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a date YYYY-MM-DD, got {raw!r}") from exc


# Pin the app's "today" for a demo or training site (see qualitycity/clock.py); unset in production.
QC_TODAY = env_date("QC_TODAY")

EMAIL_BACKEND = env_str("QC_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

SESSION_COOKIE_HTTPONLY = True
# A sign-in lasts a working day (QC_SESSION_HOURS, 8) and ends when the browser closes: shared
# office computers are the rule, not the exception.
SESSION_COOKIE_AGE = env_int("QC_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SECURE = env_bool("QC_SECURE_COOKIES", False)
# Served over HTTPS (production, QC_SECURE_COOKIES=1): redirect plain HTTP, tell browsers to keep to
# HTTPS (HSTS), and trust the reverse proxy's X-Forwarded-Proto for the scheme.
SECURE_SSL_REDIRECT = env_bool("QC_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int("QC_HSTS_SECONDS", 31536000 if SESSION_COOKIE_SECURE else 0)
# includeSubDomains binds only names below this site's own host (e.g. *.cz.yongzhou.gov.cn), never
# its siblings. Preloading is a decision for whoever owns the registered domain: off, and its
# reminder (W021) silenced, unless QC_HSTS_PRELOAD=1.
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("QC_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SESSION_COOKIE_SECURE else None
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only. No
# inline script or style anywhere: Alpine is its CSP build, htmx's own indicator style is off
# (base.html) and in app.css, charts draw through the DOM. The browser tests fail on any violation
# (it is a console error).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("QC_LOG_LEVEL", "WARNING")},
}

# Evidence (佐证材料) uploads: files above this size are refused while they stream in.
EVIDENCE_MAX_BYTES = env_int("QC_EVIDENCE_MAX_MB", 200) * 1024 * 1024
# Blobs of uploads whose transaction failed are swept once this old (evidence.files.sweep_orphans).
QC_ORPHAN_HOURS = env_int("QC_ORPHAN_HOURS", 24)
# A zip (or docx/xlsx/pptx) that expands beyond this ratio or size is refused as a likely bomb.
EVIDENCE_MAX_ZIP_RATIO = env_int("QC_EVIDENCE_MAX_ZIP_RATIO", 100)
EVIDENCE_MAX_ZIP_BYTES = env_int("QC_EVIDENCE_MAX_ZIP_MB", 2048) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "qualitycity.evidence.upload_handlers.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
