"""Settings from environment variables with safe defaults: the embedded default needs none of them."""

import json
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ANXIN_DATA_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_from_url(url: str) -> dict:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/name` into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path in {"", "/", "/:memory:"}:
            name = ":memory:"
        elif path.startswith("//"):
            name = path[1:]  # sqlite:////absolute/path
        else:
            name = str(Path.cwd() / path[1:])  # sqlite:///relative/path
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name, "OPTIONS": {"timeout": 20}}
    if parsed.scheme in {"postgres", "postgresql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "anxin",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": int(os.environ.get("ANXIN_CONN_MAX_AGE", "60")),
            "OPTIONS": options,
        }
    raise ValueError(f"DATABASE_URL scheme {parsed.scheme!r} is not supported (use sqlite:// or postgres://)")


# Keys that were ever published in this repository: anyone could forge sessions or payment notifications with them.
PUBLIC_KEYS = {
    "anxin-embedded-default-not-for-production",
    "anxin-embedded-default-not-for-production:simulated-payments",
}


def installation_secret(env_name: str, data_dir: Path, *, debug: bool) -> str:
    """The secret named by `env_name`, else one made at random for this installation and kept in `data_dir`.

    A default written in the source is public, so a fresh install makes its own key on first start; processes
    starting at once agree on one key because the file appears whole (hard link) or not at all.
    """
    value = os.environ.get(env_name, "").strip()
    if value:
        if value in PUBLIC_KEYS and not debug:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{env_name} is a published development key; set a secret one or unset it.")
        return value
    path = data_dir / f"{env_name.lower()}.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".{path.name}.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            draft.unlink()
    return path.read_text().strip()


DEBUG = env_bool("ANXIN_DEBUG", False)
SECRET_KEY = installation_secret("ANXIN_SECRET_KEY", DATA_DIR, debug=DEBUG)
PAYMENT_SIGNING_KEY = installation_secret("ANXIN_PAYMENT_SIGNING_KEY", DATA_DIR, debug=DEBUG)
# The payment provider by name (see payments/provider.py); `simulated` also serves its pay page and the
# simulate endpoint. An unknown name stops the process at start-up.
ANXIN_PAYMENT_PROVIDER = os.environ.get("ANXIN_PAYMENT_PROVIDER", "simulated").strip()
# The text-message sender for sign-up codes, by dotted class path (see accounts/sms.py); the simulated one
# sends nothing and shows the code on the page.
ANXIN_SMS_SENDER = os.environ.get("ANXIN_SMS_SENDER", "anxin.accounts.sms.SimulatedSender").strip()
ALLOWED_HOSTS = [h for h in os.environ.get("ANXIN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
# How many reverse proxies of ours stand before gunicorn: the log-in throttle then counts by the address the
# outermost one saw (X-Forwarded-For), not by the proxy's own. 0: the peer's address, the header ignored.
ANXIN_TRUSTED_PROXY_COUNT = int(os.environ.get("ANXIN_TRUSTED_PROXY_COUNT", "0"))
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ANXIN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "anxin.core",
    "anxin.accounts",
    "anxin.geo",
    "anxin.catalog",
    "anxin.inventory",
    "anxin.shipping",
    "anxin.payments",
    "anxin.orders",
    "anxin.fulfilment",
    "anxin.coupons",
    "anxin.instant",
    "anxin.checkout",
    "anxin.aftersales",
    "anxin.guarantee",
    "anxin.simulate",
    "anxin.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "anxin.core.middleware.SecurityHeaders",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anxin.core.middleware.GuardRequestInput",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "anxin.urls"
WSGI_APPLICATION = "anxin.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ]
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'anxin.sqlite3'}")
DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3") and DATABASES["default"]["NAME"] != ":memory:":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "anxin.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English")), ("zh-hant", _("繁體中文"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# Uploaded pictures (product photos) go through Django's storage API. By default they are files under
# DATA_DIR/media that Anxin serves itself at MEDIA_URL; a deployment names another backend (object storage,
# e.g. django-storages' `storages.backends.s3.S3Storage`) with its options as JSON, and the address its files
# are served from, and Anxin then serves none itself.
FILE_STORAGE = "django.core.files.storage.FileSystemStorage"
MEDIA_STORAGE = os.environ.get("ANXIN_MEDIA_STORAGE", "").strip() or FILE_STORAGE
MEDIA_URL = os.environ.get("ANXIN_MEDIA_URL", "").strip() or "media/"
MEDIA_ROOT = DATA_DIR / "media"
ANXIN_SERVE_MEDIA = env_bool("ANXIN_SERVE_MEDIA", MEDIA_STORAGE == FILE_STORAGE)
STORAGES = {
    "default": {"BACKEND": MEDIA_STORAGE, "OPTIONS": json.loads(os.environ.get("ANXIN_MEDIA_OPTIONS") or "{}")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Served over HTTPS (directly or behind a proxy that sets X-Forwarded-Proto): secure cookies, HSTS, redirect.
HTTPS = env_bool("ANXIN_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ANXIN_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ANXIN_HSTS_SECONDS", str(180 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ANXIN_HSTS_SUBDOMAINS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ANXIN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
