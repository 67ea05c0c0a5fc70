"""Huiwu settings: everything a deployment may change is read from the environment (see README)."""

import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from huiwu.lib.env import envbool, envfloat, envint, envlist, envsecret, envstr, envtime, load_env_file

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

load_env_file(Path(envstr("HUIWU_ENV_FILE", str(PROJECT_DIR / ".env"))))

DATA_DIR = Path(envstr("HUIWU_DATA_DIR", str(PROJECT_DIR / "var")))

DEBUG = envbool("DEBUG", "false")

# A key that is missing, short or Django's "insecure" placeholder would let anyone forge sessions.
_DEV_SECRET_KEY = "django-insecure-huiwu-development-only-never-use-in-production"  # noqa: S105 -- only ever used with DEBUG on
SECRET_KEY = envsecret("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure") or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of at least 50 characters when DEBUG is off "
        "(`make run` and `make test` generate one in .env)."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_ROOT = envstr("SITE_ROOT", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "huiwu.accounts",
    "huiwu.core",
    "huiwu.delegations",
    "huiwu.directory",
    "huiwu.feedback",
    "huiwu.lostfound",
    "huiwu.meetings",
    "huiwu.notify",
    "huiwu.ops",
    "huiwu.reception",
    "huiwu.reports",
    "huiwu.seating",
    "huiwu.security",
    "huiwu.service",
    "huiwu.surveys",
    "huiwu.venues",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "axes",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Listed so that the API docs use the Swagger files shipped in the package, not a CDN.
    "ninja",
]

MIDDLEWARE = [
    # First: every line logged while a request is served names it (request id, address, duration), and the
    # response returns the id (X-Request-ID) so that a user's report can be found in the log.
    "huiwu.lib.logs.RequestLogMiddleware",
    # Requests counted and timed for the metrics endpoint (/metrics).
    "huiwu.ops.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "huiwu.lib.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which serves static files compressed ahead of time; above everything that writes
    # the body. Django's GZip pads its output against BREACH, and CSRF tokens are masked per response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Right after the language is known: refuses an over-long address in it, before anything reads it.
    "huiwu.core.middleware.LongUrlMiddleware",
    "huiwu.core.middleware.ApiMethodNotAllowedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Makes the request known to the audit log (who, from which address and page).
    "huiwu.security.audit.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After authentication (a retried POST is answered for the same caller only), before the views.
    "huiwu.ops.middleware.IdempotencyMiddleware",
    # Last, as django-axes requires: it turns a lockout raised during login into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huiwu.urls"
WSGI_APPLICATION = "huiwu.wsgi.application"

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
                "huiwu.core.context_processors.navigation",
            ],
        },
    },
]

FORM_RENDERER = "huiwu.lib.forms.FormRenderer"

# SQLite by default so that one command runs Huiwu anywhere; DATABASE_URL=postgres://… in production.
DATABASES = {
    "default": dj_database_url.parse(
        envsecret("DATABASE_URL", f"sqlite:///{DATA_DIR / 'huiwu.sqlite3'}"),
        # Kept open between requests, checked before reuse: opening one costs a PostgreSQL backend a fork and
        # a few milliseconds of every request (bench/load.py).
        conn_max_age=envint("DB_CONN_MAX_AGE", "60"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue up (busy timeout)
        # instead of failing half-way through a transaction; WAL lets readers proceed meanwhile.
        "transaction_mode": "IMMEDIATE",
        "timeout": envint("SQLITE_BUSY_TIMEOUT_SECONDS", "20"),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so that tests run with WAL and several processes can share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The covering indexes' INCLUDE columns (service.Refill) are PostgreSQL's; SQLite builds the same index on
    # its key columns alone, which is all it can use.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: compiling a report's aggregates costs more than it saves at these sizes (bench/reports.py: a
    # month's figures 331 ms with it, 274 ms without; the README's "Reports benchmark").
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A database host that stops answering (a firewall dropping packets) fails a connection in seconds, not after
    # the system's TCP timeout: /readyz then says so while the proxy is still asking.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", envint("DB_CONNECT_TIMEOUT_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:today"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling: the fifth wrong password in a row for one username from one address locks that
# pair out for the cool-off period; a successful login resets the count.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", "15") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "huiwu.accounts.views.locked_out"
# Reverse proxies in front (nginx: 1): the client is the address the outermost one saw (lib/addresses.py).
PROXY_COUNT = envint("PROXY_COUNT", "0")
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT must be 0 or more")
AXES_CLIENT_IP_CALLABLE = "huiwu.lib.addresses.client_address"
AXES_VERBOSE = False

# Internationalization: Chinese first, English second; stored in UTC, shown in Asia/Shanghai.
LANGUAGE_CODE = envstr("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# Uploaded files (photos, receipts): several app servers must share one directory (NFS or the like), and
# `huiwu backup` copies it with the database.
UPLOADS_DIR = Path(envstr("HUIWU_UPLOADS_DIR", str(DATA_DIR)))

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploads that only their access check may serve (a delegated task's receipts and photos): outside
    # MEDIA_ROOT, with no URL of their own.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": UPLOADS_DIR / "private", "base_url": None},
    },
    "staticfiles": {"BACKEND": envstr("STATICFILES_BACKEND", "huiwu.lib.staticfiles.GzipManifestStaticFilesStorage")},
}
MEDIA_ROOT = UPLOADS_DIR / "media"

# Redis, when REDIS_URL is set (the production profile): sessions and the cache live there, shared by every app
# server, and TASKS_BACKEND=redis puts the deliveries on its RQ queue. Without it sessions are kept in the
# database and the cache in each process (nothing Huiwu caches must be shared: lib/snapshots.py).
REDIS_URL = envsecret("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "huiwu",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"

# Background tasks (message deliveries): the database by default; TASKS_BACKEND=redis moves them to Redis
# (RQ) once one machine is outgrown. `huiwu serve` then also starts an RQ worker with its scheduler.
TASKS_BACKEND = envstr("TASKS_BACKEND", "database")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "redis":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=redis needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or redis, got {TASKS_BACKEND!r}")

# Transport security. Behind HTTPS (the default whenever DEBUG is off) cookies are Secure and HSTS is
# sent; HUIWU_HTTPS=false is only for a plain-HTTP demo on one's own machine (`make run`).
HTTPS = envbool("HUIWU_HTTPS", "false" if DEBUG else "true")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false")
if envbool("BEHIND_HTTPS_PROXY", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_HOURS", "12") * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts and styles come only from our own static files: no inline script, style or event handler
# anywhere (a test reads every template), and htmx is configured in base.html not to evaluate code.
# data: images are Bootstrap's and Swagger UI's icons, written into their stylesheets.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# No page uses any of these devices or features; denied, an injected script cannot either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# E-mail. EMAIL_HOST set means SMTP. Without it only a development run (DEBUG) prints mail to the console: in
# production that would look sent and reach nobody, so the start is refused unless EMAIL_BACKEND is chosen
# explicitly (the console one for a demo, as `make run` does, or the dummy one for no e-mail at all).
EMAIL_HOST = envstr("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD", "")
# STARTTLS on the submission port (587) by default; EMAIL_USE_SSL=true for implicit TLS (465).
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "false")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false" if EMAIL_USE_SSL else "true")
if EMAIL_USE_SSL and EMAIL_USE_TLS:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT_SECONDS", "20")
_CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else (_CONSOLE_EMAIL if DEBUG else ""),
)
if not EMAIL_BACKEND:
    raise ImproperlyConfigured(
        "E-mail is not configured: set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD_FILE) to send through "
        f"SMTP, or choose EMAIL_BACKEND explicitly ({_CONSOLE_EMAIL} prints mail to the log, "
        "django.core.mail.backends.dummy.EmailBackend sends none)."
    )
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "huiwu@localhost")

# Logs: one line per event with the time (+08:00), level, logger, request id, client address and duration;
# LOG_FORMAT=json writes the same as JSON lines for a log collector.
LOG_FORMAT = envstr("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "huiwu.lib.logs.RequestContextFilter"}},
    "formatters": {"huiwu": {"()": "huiwu.lib.logs.LineFormatter", "as_json": LOG_FORMAT == "json"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "huiwu", "filters": ["request"]},
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # The worker runs django-tasks' worker once per pass; its start and stop lines would fill the log. WeasyPrint
    # logs seven steps of every PDF. Django's own line per request is replaced by ours (huiwu.request), which
    # says more.
    "loggers": {
        # With DEBUG on, Django adds a console handler of its own and runserver a request line: one line is ours.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The production profile (README, "Production").
# The web server (`huiwu web`, which `huiwu serve` and the systemd unit run): gunicorn's processes and threads,
# how long an idle keep-alive connection is held (longer than nginx's upstream keepalive_timeout, so that nginx
# never reuses one gunicorn is closing), a request's time limit, and the time a stopping server gives requests
# in flight. A stopping node first answers /readyz with 503 and closes its connections for WEB_DRAIN_SECONDS,
# so that the proxy sends new requests elsewhere before it stops listening.
WEB_WORKERS = envint("WEB_WORKERS", "2")
WEB_THREADS = envint("WEB_THREADS", "4")
WEB_KEEPALIVE_SECONDS = envint("WEB_KEEPALIVE_SECONDS", "5")
WEB_TIMEOUT_SECONDS = envint("WEB_TIMEOUT_SECONDS", "60")
WEB_GRACEFUL_TIMEOUT_SECONDS = envint("WEB_GRACEFUL_TIMEOUT_SECONDS", "20")
WEB_DRAIN_SECONDS = envfloat("WEB_DRAIN_SECONDS", "0")
# /readyz: a worker must have reported within this many seconds.
READY_WORKER_MAX_AGE_SECONDS = envint("READY_WORKER_MAX_AGE_SECONDS", "60")
# /metrics (Prometheus): open to a bearer token, or to these addresses and networks (as the throttle sees the
# client, PROXY_COUNT taken into account).
METRICS_TOKEN = envsecret("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = envlist("METRICS_ALLOWED_NETWORKS", "127.0.0.1/32,::1/128")
for _network in METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_network!r} is not an address or network") from None
# A POST carrying an Idempotency-Key is answered once; a retry with the same key within this many hours gets the
# first answer again.
IDEMPOTENCY_KEY_HOURS = envint("IDEMPOTENCY_KEY_HOURS", "24")
# Retention. The audit log is kept at least 180 days (网络安全法 第二十一条: network logs six months); only
# `huiwu audit_prune`, itself audited, removes older entries. The worker prunes the rest every hour: notifications
# (with their deliveries), deliveries, finished task results, and expired sessions.
AUDIT_RETENTION_DAYS = envint("AUDIT_RETENTION_DAYS", "180")
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be at least 180 (six months of logs, 网络安全法 第二十一条)")
RETAIN_NOTIFICATIONS_DAYS = envint("RETAIN_NOTIFICATIONS_DAYS", "180")
RETAIN_DELIVERIES_DAYS = envint("RETAIN_DELIVERIES_DAYS", "30")
RETAIN_TASK_RESULTS_DAYS = envint("RETAIN_TASK_RESULTS_DAYS", "7")
PRUNE_INTERVAL_MINUTES = envint("PRUNE_INTERVAL_MINUTES", "60")

# Notifications. Reminders for every meeting, in minutes before its start (default: a day and an hour).
MEETING_REMINDER_MINUTES = [int(m) for m in envlist("MEETING_REMINDER_MINUTES", "1440,60")]
# A reminder this late (the worker was down, say) is recorded as missed rather than sent.
REMINDER_CUTOFF_MINUTES = envint("REMINDER_CUTOFF_MINUTES", "30")
# How often the worker looks for deadlines when idle, in seconds.
WORKER_INTERVAL_SECONDS = envfloat("WORKER_INTERVAL_SECONDS", "1")
# WeCom and DingTalk group robots accept 20 messages a minute; more are queued, never dropped.
ROBOT_MESSAGES_PER_MINUTE = envint("ROBOT_MESSAGES_PER_MINUTE", "20")
# Personal API tokens: how many a user may hold at once.
API_TOKENS_PER_USER = envint("API_TOKENS_PER_USER", "10")
# Meeting service: how many minutes before a check or the room-ready item falls due its people are reminded.
SERVICE_REMINDER_LEAD_MINUTES = envint("SERVICE_REMINDER_LEAD_MINUTES", "15")

# Delegated tasks (委托事务). The doer is reminded this many minutes before a task is due. A task done but not
# confirmed by the client reminds the hotline to get the confirmation this many minutes after it was done
# (and before its meeting starts, when it serves one), and the team leader hears of it as many minutes later.
DELEGATION_DUE_REMINDER_MINUTES = envint("DELEGATION_DUE_REMINDER_MINUTES", "60")
DELEGATION_CONFIRM_MINUTES = envint("DELEGATION_CONFIRM_MINUTES", "30")
DELEGATION_ESCALATE_MINUTES = envint("DELEGATION_ESCALATE_MINUTES", "30")
# Receipts and photos: the largest file accepted, in megabytes.
EVIDENCE_MAX_MEGABYTES = envint("EVIDENCE_MAX_MEGABYTES", "10")
# Complaints (投诉): the first apology is due this many minutes after the complaint is received, the
# investigation's findings this many hours after; the return visit (回访) this many days after closing.
COMPLAINT_APOLOGY_MINUTES = envint("COMPLAINT_APOLOGY_MINUTES", "30")
COMPLAINT_FINDINGS_HOURS = envint("COMPLAINT_FINDINGS_HOURS", "24")
COMPLAINT_RETURN_VISIT_DAYS = envint("COMPLAINT_RETURN_VISIT_DAYS", "3")
# A follow-up (a low survey score, a disputed delegated task) the hotline has not closed this many hours after
# it opened is escalated to the manager.
FOLLOW_UP_HOURS = envint("FOLLOW_UP_HOURS", "24")
# The satisfaction survey's link, sent to the client contacts when a meeting ends, works this many days.
SURVEY_LINK_DAYS = envint("SURVEY_LINK_DAYS", "7")

# Reports: a room's opening hours on a working day, what its utilisation is measured against (booked hours ÷
# open hours of the period's working days).
REPORTS_ROOM_OPEN_FROM = envtime("REPORTS_ROOM_OPEN_FROM", "08:30")
REPORTS_ROOM_OPEN_UNTIL = envtime("REPORTS_ROOM_OPEN_UNTIL", "17:30")
# The satisfaction rate the client expects, in percent (one building standard sets ≥ 96 %).
REPORTS_SATISFACTION_TARGET = envint("REPORTS_SATISFACTION_TARGET", "96")
if not 0 < REPORTS_SATISFACTION_TARGET <= 100:
    raise ImproperlyConfigured("REPORTS_SATISFACTION_TARGET must be a percentage from 1 to 100")
if REPORTS_ROOM_OPEN_UNTIL <= REPORTS_ROOM_OPEN_FROM:
    raise ImproperlyConfigured("REPORTS_ROOM_OPEN_UNTIL must be later than REPORTS_ROOM_OPEN_FROM")

# Reception (礼仪接待组, seed 篇3 (二)): the defaults of the first routine standard; later versions are edited
# on the standards page and these then only matter to a new installation. Open the 7F reception office door
# between DOOR_OPEN_FROM and DOOR_OPEN_BY and keep it open until DOOR_OPEN_UNTIL; two pots of hot water by
# HOT_WATER_BY; the reviewed documents retrieved the evening before handed over by DOCUMENTS_BY on the next
# working day; newspapers in the leaders' offices between NEWSPAPERS_FROM and NEWSPAPERS_UNTIL; the five
# lunch checks done by LUNCH_AT; afternoon duty from AFTERNOON_DUTY_AT; offices of leaders who are out
# cleaned from CLEANING_FROM; the journal and tomorrow reviewed by WORK_ENDS_AT (before leaving). The
# grooming self-check is due when the door opens. Each item reminds its people ROUTINE_REMINDER_MINUTES
# before it is due and escalates to the team leader when missed.
RECEPTION_DOOR_OPEN_FROM = envtime("RECEPTION_DOOR_OPEN_FROM", "08:40")
RECEPTION_DOOR_OPEN_BY = envtime("RECEPTION_DOOR_OPEN_BY", "08:45")
RECEPTION_DOOR_OPEN_UNTIL = envtime("RECEPTION_DOOR_OPEN_UNTIL", "09:10")
RECEPTION_HOT_WATER_BY = envtime("RECEPTION_HOT_WATER_BY", "09:00")
RECEPTION_HOT_WATER_POTS = envint("RECEPTION_HOT_WATER_POTS", "2")
RECEPTION_DOCUMENTS_BY = envtime("RECEPTION_DOCUMENTS_BY", "09:30")
RECEPTION_NEWSPAPERS_FROM = envtime("RECEPTION_NEWSPAPERS_FROM", "10:30")
RECEPTION_NEWSPAPERS_UNTIL = envtime("RECEPTION_NEWSPAPERS_UNTIL", "11:00")
RECEPTION_LUNCH_AT = envtime("RECEPTION_LUNCH_AT", "11:40")
RECEPTION_AFTERNOON_DUTY_AT = envtime("RECEPTION_AFTERNOON_DUTY_AT", "13:00")
RECEPTION_CLEANING_FROM = envtime("RECEPTION_CLEANING_FROM", "16:30")
RECEPTION_WORK_ENDS_AT = envtime("RECEPTION_WORK_ENDS_AT", "17:30")
RECEPTION_ROUTINE_REMINDER_MINUTES = envint("RECEPTION_ROUTINE_REMINDER_MINUTES", "10")
# The working-day calendar's data (the chinese-calendar package plus the override table) ending within this
# many days is announced on the calendar page and to administrators.
WORKDAY_CALENDAR_WARNING_DAYS = envint("WORKDAY_CALENDAR_WARNING_DAYS", "60")

# Confidentiality. The levels' names, lowest first (level 0 is an ordinary meeting; from level 1 on a meeting
# is confidential: only cleared staff serve or see it). Names set here are shown as written.
CONFIDENTIALITY_LEVEL_NAMES = envlist("CONFIDENTIALITY_LEVEL_NAMES", "")
# Certificates, agreements and authorizations remind the security officer this many days before they expire.
CLEARANCE_EXPIRY_NOTICE_DAYS = envint("CLEARANCE_EXPIRY_NOTICE_DAYS", "30")
