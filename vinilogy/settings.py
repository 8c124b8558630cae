"""Vinilogy settings: every value comes from the environment (see .env.example).

With no environment at all the site runs on the embedded default: a SQLite file,
Celery tasks executed eagerly in-process, DEBUG on. DEBUG=0 is production and
fails loudly when a required value is missing.
"""

import base64
import hashlib
from pathlib import Path

import environ
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from vinilogy.csp_sources import RegistryHosts

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET = "django-insecure-local-only-vinilogy-embedded-default-key-0123456789"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0")
# Fernet keys for tokens and secrets stored in the database (accounts.encryption): the first
# encrypts, all decrypt, so a new key goes first and the old ones stay until
# `manage.py reencrypt_secrets` has run. Required when DEBUG=0; locally one is derived from
# SECRET_KEY.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must be set when DEBUG=0 (Fernet.generate_key())")
    FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(hashlib.sha256(f"fields:{SECRET_KEY}".encode()).digest()).decode()]
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Its sitemap.xml templates, for catalog.sitemaps' views.
    "django.contrib.sitemaps",
    "django.contrib.sites",
    "django_htmx",
    "django_countries",
    "django_celery_beat",
    "csp",
    # django-ninja serves the JSON API; listed so /api/docs uses its bundled Swagger UI files, not a CDN
    "ninja",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.spotify",
    "allauth.socialaccount.providers.discogs",
    "integrations",
    "catalog",
    "pricing",
    "accounts",
    "recommendations",
    "alerts",
    # The project package: console views, health, the demo loader and its commands.
    "vinilogy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the language cookie (the switcher's, or the profile's set on sign-in), then
    # the browser's Accept-Language, then LANGUAGE_CODE. After sessions, before CommonMiddleware.
    "django.middleware.locale.LocaleMiddleware",
    # `?lang=es` names a page's language in its URL (the hreflang alternates of public pages).
    "accounts.language.LanguageParameterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Sets the language cookie when a sign-in applied the listener's saved language.
    "accounts.language.LanguageCookieMiddleware",
    # After sessions, auth and messages so its refusal page renders like any other page.
    "vinilogy.middleware.TextInputGuardMiddleware",
    "vinilogy.middleware.ProviderNotConfiguredMiddleware",
    "vinilogy.middleware.PrivateCacheMiddleware",
    # Eager Celery (embedded default): API tasks a view enqueues run after its response.
    "vinilogy.after_response.ApiTasksAfterResponseMiddleware",
]

ROOT_URLCONF = "vinilogy.urls"
WSGI_APPLICATION = "vinilogy.wsgi.application"
SITE_ID = 1

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while an eager task writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Spanish and English only, Spanish first: Vinilogy's first listeners are in Spain. A browser that
# asks for Spanish gets Spanish; English is the fallback for a browser that asks for neither
# (a French or German reader is likelier to read English than Spanish) and the catalogue's source.
LANGUAGE_CODE = "en"
LANGUAGES = [("es", "Español"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Madrid")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_REDIRECT_URL = "/recommendations/"
# Operators land on the admin after signing in, listeners on their recommendations.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
LOGOUT_REDIRECT_URL = "/"

# --- Content-Security-Policy (django-csp 4: one dict of directives) --------------------------
# Our own static files only, an inline script only with the request's nonce, no eval; covers
# hotlinked from the hosts our sources give image URLs on; frames only for Spotify's player.
COVER_IMAGE_HOSTS = env.list(
    "COVER_IMAGE_HOSTS",
    default=[
        "https://i.discogs.com",
        "https://img.discogs.com",
        "https://api-img.discogs.com",
        "https://i.scdn.co",
        "https://lastfm.freetls.fastly.net",
        "https://lastfm-img2.akamaized.net",
        "https://coverartarchive.org",
        "https://archive.org",
        "https://*.archive.org",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF],
        # Each price and listening source adds the hosts it needs (csp_hosts; vinilogy.csp_sources).
        "img-src": RegistryHosts("img-src", [csp.SELF, "data:", *COVER_IMAGE_HOSTS]),
        "frame-src": ["https://open.spotify.com"],
        # Spotify too: static/js/covers.js asks whether its player can load before adding it.
        "connect-src": [csp.SELF, "https://open.spotify.com"],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        # A connect button (Spotify, Discogs) posts here, then is redirected to authorize: the
        # listening sources name those hosts (csp_hosts).
        "form-action": RegistryHosts("form-action", [csp.SELF]),
        "frame-ancestors": [csp.NONE],
    },
}

# --- Redis: Celery broker, shared cache and the cross-process rate limiter -------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# Nothing lost, nothing stranded. A message is acknowledged only once its task finished, and
# a task whose worker process died is put back on the queue, not acknowledged as done.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per process: a long import does not sit on a queue of others.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# (soft, hard) time limits in seconds per task family, by task-name prefix, first match wins
# (vinilogy.celery_policy applies them). The soft limit raises inside the task so it can record
# why it stopped; the hard one kills the process.
CELERY_TIME_LIMITS = [
    ("catalog.import_", (2 * 3600, 2 * 3600 + 300)),  # imports: a 20 MB CSV, a dump
    ("recommendations.refresh_colisten", (50 * 60, 55 * 60)),  # model fit
    ("recommendations.", (5 * 60, 6 * 60)),  # one recommendation set
    ("pricing.", (15 * 60, 16 * 60)),  # prices of one album, best-price check
    ("catalog.", (10 * 60, 11 * 60)),  # ingestion: one artist, album or pressing
    ("accounts.", (10 * 60, 11 * 60)),  # one listening source of one user
    ("", (10 * 60, 11 * 60)),  # everything else (pruning, fan-outs)
]
CELERY_TASK_ANNOTATIONS = ["vinilogy.celery_policy.TimeLimits"]
# Redis hands a message that a worker took and never acknowledged (the worker died) to another
# worker after the visibility timeout of the taking connection: longer than its task may run, or
# a running task would be delivered twice. One timeout for every queue would make a lost 10-minute
# task wait for the 2-hour imports' timeout, so queues come in two classes, each served by its own
# workers with its own timeout and its own unacked-message keys (vinilogy.celery_policy picks them
# from a worker's -Q at start-up; README, "Celery worker and beat"). A worker serving any queue
# outside "short" takes the long class.
CELERY_VISIBILITY_MARGIN = 300  # the 10 s restore cycle, clock skew, a hard-killed task's clean-up
CELERY_LONG_TASKS = ("catalog.import_", "recommendations.refresh_colisten")  # prefixes
# A worker holds a message with a countdown unacknowledged until it runs, so the short timeout must
# also outlast the longest retry delay of a short task (catalog.tasks.RETRYING's retry_backoff_max).
CELERY_SHORT_LONGEST_RETRY_DELAY = 30 * 60
# The imports' queue (a test worker gets a queue of its own, as with CELERY_TASK_DEFAULT_QUEUE).
CELERY_IMPORTS_QUEUE = env("CELERY_IMPORTS_QUEUE", default="imports")
CELERY_QUEUE_CLASSES = {
    "short": {
        "queues": ["default", "musicbrainz", "discogs", "lastfm", "ebay"],
        "visibility_timeout": CELERY_VISIBILITY_MARGIN
        + max(
            CELERY_SHORT_LONGEST_RETRY_DELAY,
            *(hard for prefix, (_, hard) in CELERY_TIME_LIMITS if not prefix.startswith(CELERY_LONG_TASKS)),
        ),
    },
    "long": {
        "queues": [CELERY_IMPORTS_QUEUE, "model"],
        "visibility_timeout": max(hard for _, (_, hard) in CELERY_TIME_LIMITS) + CELERY_VISIBILITY_MARGIN,
    },
}
CELERY_TASK_ROUTES = {"catalog.import_*": {"queue": CELERY_IMPORTS_QUEUE}}
# The longest of the two: producers' connections and how long a task's lost starts are remembered.
CELERY_VISIBILITY_TIMEOUT = CELERY_QUEUE_CLASSES["long"]["visibility_timeout"]
# A task whose worker died this many times is parked in the dead-letter list (admin: Dead
# letters) instead of being delivered again.
CELERY_MAX_LOST_DELIVERIES = env.int("CELERY_MAX_LOST_DELIVERIES", default=3)
# Long jobs (CSV and Discogs dump imports) hold a lease renewed as they commit rows; a job whose lease ran out
# is abandoned and the next delivery resumes it from its last committed row.
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=120)
# Tasks without a provider queue go here (a test worker gets a queue of its own).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="default")
# Priorities on Redis: 0 is served first. Background refreshes take the default; a
# listener's catalog chain (accounts.catalog_build) goes ahead of them.
CELERY_TASK_DEFAULT_PRIORITY = 5
LISTENER_CHAIN_PRIORITY = 0
# Adding taste (a seed, a sync, an import) enqueues the catalog chain its set needs.
BUILD_CATALOG_ON_TASTE = env.bool("BUILD_CATALOG_ON_TASTE", default=True)
# Eager Celery only: the API tasks a web request enqueued run after its response on one
# in-process worker thread (vinilogy.after_response), so no request thread waits on a provider.
AFTER_RESPONSE_IN_WORKER = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "priority_steps": list(range(10)),
    "sep": ":",
    "queue_order_strategy": "priority",
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = TIME_ZONE

# --- allauth: email accounts plus Spotify (PKCE) and Discogs (OAuth 1.0a) --------------
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="none" if DEBUG else "optional")
SOCIALACCOUNT_STORE_TOKENS = True
# The one login throttle, for every login form (the admin's redirects to allauth's): the 6th
# failure within 5 minutes from one IP or for one account is refused, the right password
# included, until the window passes. Counted in the cache: Redis when REDIS_URL is set, so
# all web processes share it.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/ip,5/5m/key"}
# Proxies of ours in front of the web process (the TLS proxy that SECURE_PROXY_SSL_HEADER
# assumes): the client address of every throttle and rate limit is the entry this many places
# from the right of X-Forwarded-For (integrations.client_address); 0 ignores the header, so a
# client reaching gunicorn directly cannot choose its address. allauth's throttles read the
# same value, and no single-header shortcut (CF-Connecting-IP…) is trusted.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None
SOCIALACCOUNT_PROVIDERS = {
    "spotify": {
        "SCOPE": ["user-top-read", "user-read-email"],
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "client_id": env("SPOTIFY_CLIENT_ID", default=""),
                "secret": env("SPOTIFY_CLIENT_SECRET", default=""),
            }
        ]
        if env("SPOTIFY_CLIENT_ID", default="")
        else [],
    },
    "discogs": {
        "APPS": [
            {
                "client_id": env("DISCOGS_CONSUMER_KEY", default=""),
                "secret": env("DISCOGS_CONSUMER_SECRET", default=""),
            }
        ]
        if env("DISCOGS_CONSUMER_KEY", default="")
        else [],
    },
}
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Vinilogy <noreply@vinilogy.local>")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend): where alert mails go out.
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The site's public address, for links in emails (unsubscribe, inbox); in production the
# first allowed host over HTTPS unless set.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000" if DEBUG else f"https://{(ALLOWED_HOSTS or ['localhost'])[0]}")

# Instant alerts (alerts.channels). Web Push needs the site's VAPID key pair (generate once:
# `vapid --gen`, or see README "Instant alerts"); without it the browser option is not offered.
# VAPID_PRIVATE_KEY: the PEM or its base64url DER/raw form; VAPID_PUBLIC_KEY: the base64url
# uncompressed point the browser's subscribe() takes; VAPID_SUBJECT: a mailto: or https: contact.
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY", default="")
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY", default="")
VAPID_SUBJECT = env("VAPID_SUBJECT", default="mailto:alerts@vinilogy.local")
# Hosts (or host:port) a listener's ntfy or push URL may name over plain http and on a private
# network: a self-hosted ntfy beside the site, the tests' local server. Empty: https and public
# addresses only (the SSRF rule, integrations.instant.check_endpoint).
ALERT_ENDPOINT_ALLOWED_HOSTS = env.list("ALERT_ENDPOINT_ALLOWED_HOSTS", default=[])

# --- External APIs ----------------------------------------------------------------------
VINILOGY_USER_AGENT = env("VINILOGY_USER_AGENT", default="Vinilogy/0.1 ( https://github.com/vinilogy/vinilogy )")
DISCOGS_TOKEN = env("DISCOGS_TOKEN", default="")
DISCOGS_CONSUMER_KEY = env("DISCOGS_CONSUMER_KEY", default="")
DISCOGS_CONSUMER_SECRET = env("DISCOGS_CONSUMER_SECRET", default="")
LASTFM_API_KEY = env("LASTFM_API_KEY", default="")
SPOTIFY_CLIENT_ID = env("SPOTIFY_CLIENT_ID", default="")
SPOTIFY_CLIENT_SECRET = env("SPOTIFY_CLIENT_SECRET", default="")
EBAY_CLIENT_ID = env("EBAY_CLIENT_ID", default="")
EBAY_CLIENT_SECRET = env("EBAY_CLIENT_SECRET", default="")
EBAY_MARKETPLACE_ID = env("EBAY_MARKETPLACE_ID", default="EBAY_ES")
# The vinyl records category of that marketplace; empty = asked of eBay's Taxonomy API.
EBAY_CATEGORY_ID = env("EBAY_CATEGORY_ID", default="")
VINILOGY_REPLAY_DIR = env("VINILOGY_REPLAY_DIR", default="")
# Resilience drills on replay: this fraction of replayed calls first fails (429/503/timeout).
VINILOGY_REPLAY_FAILURE_RATE = env.float("VINILOGY_REPLAY_FAILURE_RATE", default=0.0)
VINILOGY_REPLAY_SEED = env("VINILOGY_REPLAY_SEED", default=None)
HTTP_CONNECT_TIMEOUT = env.float("HTTP_CONNECT_TIMEOUT", default=5.0)
HTTP_READ_TIMEOUT = env.float("HTTP_READ_TIMEOUT", default=20.0)
HTTP_MAX_RETRIES = env.int("HTTP_MAX_RETRIES", default=4)
HTTP_BACKOFF_BASE = env.float("HTTP_BACKOFF_BASE", default=1.0)
HTTP_BACKOFF_MAX = env.float("HTTP_BACKOFF_MAX", default=60.0)
# Requests per minute per provider; Discogs' depends on whether we authenticate.
RATE_LIMITS = {
    "discogs": env.float("RATE_LIMIT_DISCOGS", default=60.0),
    "discogs_anonymous": env.float("RATE_LIMIT_DISCOGS_ANON", default=25.0),
    "musicbrainz": env.float("RATE_LIMIT_MUSICBRAINZ", default=60.0),
    # Last.fm may suspend an account "continuously making several calls per second"
    # (https://www.last.fm/api/intro): one a second sustained, bursts of RATE_BURSTS below.
    "lastfm": env.float("RATE_LIMIT_LASTFM", default=60.0),
    "listenbrainz": env.float("RATE_LIMIT_LISTENBRAINZ", default=60.0),
    "spotify": env.float("RATE_LIMIT_SPOTIFY", default=120.0),
    "ebay": env.float("RATE_LIMIT_EBAY", default=60.0),
    "ecb": env.float("RATE_LIMIT_ECB", default=10.0),
}
# Monitors that send "Authorization: Bearer <HEALTH_TOKEN>" get /health's details (staff do too).
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")
# Calls that may go at once after an idle spell before the per-minute spacing applies (1 = none).
RATE_BURSTS = {"lastfm": env.int("RATE_BURST_LASTFM", default=5)}
# Calls a day per budget, shared by every worker (a UTC day; 0 = no budget). Each defaults to
# BUDGET_SHARE (70%) of what the provider allows a day, leaving room for listeners' own syncs
# and retries: Discogs allows 60 calls a minute (86,400 a day), eBay grants the Browse API
# 5,000 calls a day and its OAuth token endpoint 1,000.
BUDGET_SHARE = env.float("BUDGET_SHARE", default=0.7)
PROVIDER_DAILY_LIMITS = {"discogs": int(RATE_LIMITS["discogs"] * 60 * 24), "ebay": 5000, "ebay_token": 1000}
DAILY_BUDGETS = {
    "discogs": env.int("DAILY_BUDGET_DISCOGS", default=round(PROVIDER_DAILY_LIMITS["discogs"] * BUDGET_SHARE)),
    "ebay": env.int("DAILY_BUDGET_EBAY", default=round(PROVIDER_DAILY_LIMITS["ebay"] * BUDGET_SHARE)),
    "ebay_token": env.int("DAILY_BUDGET_EBAY_TOKEN", default=round(PROVIDER_DAILY_LIMITS["ebay_token"] * BUDGET_SHARE)),
}
API_CALL_RETENTION_DAYS = env.int("API_CALL_RETENTION_DAYS", default=14)
# Redis keys of the shared rate limiter start with this (one Redis can serve several sites).
RATE_LIMIT_KEY_PREFIX = env("RATE_LIMIT_KEY_PREFIX", default="vinilogy:ratelimit:")

# --- Catalog freshness and recommendations ----------------------------------------------
ARTIST_FRESHNESS_DAYS = env.int("ARTIST_FRESHNESS_DAYS", default=7)
SIMILARS_FRESHNESS_DAYS = env.int("SIMILARS_FRESHNESS_DAYS", default=7)
RELEASES_FRESHNESS_DAYS = env.int("RELEASES_FRESHNESS_DAYS", default=30)
PRICES_FRESHNESS_HOURS = env.int("PRICES_FRESHNESS_HOURS", default=24)
# Seller inventories (pricing.inventory): how often each seller is crawled, how often a crawl
# walks every page again (only a full walk sees sold listings), and the country of the Discogs
# account we call with: a listing's stated shipping_price is to that address only.
SELLER_CRAWL_HOURS = env.int("SELLER_CRAWL_HOURS", default=24)
SELLER_FULL_WALK_DAYS = env.int("SELLER_FULL_WALK_DAYS", default=7)
DISCOGS_ACCOUNT_COUNTRY = env("DISCOGS_ACCOUNT_COUNTRY", default=env("DEFAULT_COUNTRY", default="ES"))
# Price refresh by value (pricing.schedule): albums listeners see (in a set, locked,
# wantlisted) daily (their PRICE_DAILY_PRESSINGS most wanted pressings); others weekly when wanted by at least PRICE_WEEKLY_MIN_WANTS Discogs
# users, else monthly; a pressing with nothing for sale is not asked again for this many days.
PRICE_WEEKLY_MIN_WANTS = env.int("PRICE_WEEKLY_MIN_WANTS", default=500)
# Of an album refreshed daily, this many most wanted pressings are asked daily, the rest weekly.
PRICE_DAILY_PRESSINGS = env.int("PRICE_DAILY_PRESSINGS", default=3)
PRICE_EMPTY_RECHECK_DAYS = env.int("PRICE_EMPTY_RECHECK_DAYS", default=30)
DISCOGS_SEARCH_MIN_CONFIDENCE = env.float("DISCOGS_SEARCH_MIN_CONFIDENCE", default=0.7)
RECOMMENDATION_SET_SIZE = env.int("RECOMMENDATION_SET_SIZE", default=24)
RECOMMENDATION_TTL_HOURS = env.int("RECOMMENDATION_TTL_HOURS", default=24)
# Co-listening (recommendations.colisten), both chosen on HetRec (benchmarks/recommendation_quality.py):
# listeners a pair of artists needs in common to be linked (unset: the engine's default, 1), and
# listeners with taste the site needs before co-listening is fitted at all; until then Last.fm
# similar artists and shared tags carry it (on HetRec, co-listening from 10 users is no better
# than tags alone, from 20 it is clearly better).
COLISTEN_MIN_SHARED_LISTENERS = env.int("COLISTEN_MIN_SHARED_LISTENERS", default=None)
COLISTEN_MIN_LISTENERS = env.int("COLISTEN_MIN_LISTENERS", default=20)
# The fitted model (recommendations.artifact): one .npz per version in MODEL_DIR, the newest
# MODEL_VERSIONS_KEPT kept; every web and worker process must read the same directory (a shared
# volume when they run on several machines). MODEL_TRAINER picks the fit's backend
# ("inprocess", or "spark" with requirements-spark.txt and Java); MODEL_EVAL_LISTENERS of our
# listeners are held out to measure each version's NDCG@20 (0: not measured).
MODEL_DIR = env.path("MODEL_DIR", default=BASE_DIR / "var" / "data" / "models")
MODEL_VERSIONS_KEPT = env.int("MODEL_VERSIONS_KEPT", default=3)
MODEL_TRAINER = env("MODEL_TRAINER", default="inprocess")
# The Spark trainer's master (local mode on this machine's cores, or a cluster's URL) and its
# driver's heap, where EASE's dense inverse is taken (HetRec's 17.6k artists need more than 2g).
SPARK_MASTER = env("SPARK_MASTER", default="local[2]")
SPARK_DRIVER_MEMORY = env("SPARK_DRIVER_MEMORY", default="2g")
MODEL_EVAL_LISTENERS = env.int("MODEL_EVAL_LISTENERS", default=200)
DEFAULT_COUNTRY = env("DEFAULT_COUNTRY", default="ES")

# --- Production hardening (DEBUG=0) -----------------------------------------------------
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG=0")

# Every log line passes the HTTP layer's redaction rules (integrations.log_redaction), at
# every level and from every library; Celery workers log through the same handler. Secret
# path segments (feed, unsubscribe and deletion tokens, allauth's keys) are redacted first
# (vinilogy.secret_urls), here and in runserver's request log (django.server, otherwise
# Django's own unfiltered handler); gunicorn's access log has the same filter (gunicorn.conf.py).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secret_paths": {"()": "vinilogy.secret_urls.RedactSecretPaths"},
        "redact_secrets": {"()": "integrations.log_redaction.RedactSecrets"},
    },
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secret_paths", "redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secret_paths", "redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
