"""Django settings for Stedennet. Everything configurable is read from the environment
through ``stedennet.conf.env``; README.md lists every variable."""

import datetime
from pathlib import Path

import dj_database_url
import pghistory
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from stedennet.conf.env import env_bool, env_int, env_list, env_path, env_secret, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/stedennet
REPO_DIR = PACKAGE_DIR.parent.parent
# Relative paths count from the checkout, so a command works the same from any directory.
DATA_DIR = env_path("STEDENNET_DATA_DIR", REPO_DIR / "var", base=REPO_DIR)
NODE_MODULES_DIR = env_path("STEDENNET_NODE_MODULES", REPO_DIR / "node_modules", base=REPO_DIR)

DEBUG = env_bool("STEDENNET_DEBUG", False)
# No built-in default: the variable (production), else the key file `make` writes once for this checkout.
SECRET_KEY = env_secret("STEDENNET_SECRET_KEY", DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("STEDENNET_ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("STEDENNET_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Our domain apps first, so their templates and translations win.
    "stedennet.web",
    "stedennet.site",
    "stedennet.accounts",
    "stedennet.mail",
    "stedennet.registry",
    "stedennet.parliament",
    "stedennet.membership",
    "stedennet.contributions",
    "stedennet.invoices",
    "stedennet.governance",
    "stedennet.meetings",
    "stedennet.programmes",
    "stedennet.knowledge",
    "stedennet.advocacy",
    "stedennet.events",
    "stedennet.letters",
    "stedennet.search",
    # Above every domain app: the open API and the audit trail (they read all of them).
    "stedennet.audit",
    "stedennet.api",
    # Sign-in (password, OpenID Connect, two factors, sessions), lockout, history triggers.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "pgtrigger",
    "pghistory",
    # Wagtail: the public site and the one back office.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "stedennet.accounts.admin_apps.SuperuserAdminConfig",  # django.contrib.admin, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "stedennet.site.apps.StaticFilesConfig",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # No back-office page opens before the second factor (bureau staff and superusers).
    "stedennet.accounts.second_factor.StaffSecondFactorMiddleware",
    # Who changed what: the request's user and path on every history event of a write.
    "stedennet.web.audit.AuditContextMiddleware",
    # /api/: API-Version header, CORS for reading, every error as problem+json.
    "stedennet.api.middleware.ApiMiddleware",
    "stedennet.web.access.AccessPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lockout into our page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stedennet.urls"
WSGI_APPLICATION = "stedennet.wsgi.application"

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
                "csp.context_processors.nonce",
                "stedennet.site.context_processors.network",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{DATA_DIR / 'stedennet.sqlite3'}",
        conn_max_age=env_int("STEDENNET_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":  # sqlite:///var/x.sqlite3 counts from the checkout too
        DATABASES["default"]["NAME"] = str(REPO_DIR / DATABASES["default"]["NAME"])
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and the one writer work side by side under gunicorn's workers;
    # IMMEDIATE transactions take the write lock up front instead of failing half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": env_str("STEDENNET_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STATICFILES_DIRS = [
    ("nlds/components", NODE_MODULES_DIR / "@utrecht" / "component-library-css" / "dist"),
    # The base theme: NL Design System's "Voorbeeld" tokens (EUPL); the network's colours go over it.
    ("nlds/theme", NODE_MODULES_DIR / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
    ("htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    # The simple editor of the knowledge forms (MIT), enhanced by knowledge/static/knowledge/forms.js.
    ("squire", NODE_MODULES_DIR / "squire-rte" / "dist"),
    # The QR-code reader of the check-in page (Apache-2.0), driven by events/static/events/checkin.js.
    ("jsqr", NODE_MODULES_DIR / "jsqr" / "dist"),
]
_S3_BUCKET = env_str("STEDENNET_S3_BUCKET", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": _S3_BUCKET,
                "endpoint_url": env_str("STEDENNET_S3_ENDPOINT_URL", "") or None,
                "access_key": env_str("STEDENNET_S3_ACCESS_KEY", ""),
                "secret_key": env_str("STEDENNET_S3_SECRET_KEY", ""),
                "region_name": env_str("STEDENNET_S3_REGION", "") or None,
                "default_acl": None,
                "querystring_auth": True,
            },
        }
        if _S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Language ---------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = env_bool("STEDENNET_SECURE_COOKIES", True)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("STEDENNET_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("STEDENNET_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("STEDENNET_HSTS_SECONDS", 0)
if env_bool("STEDENNET_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"  # the one sign-in page, for members, partners and staff
# After signing in without ?next (any login view without its own default): a page that exists.
LOGIN_REDIRECT_URL = "/"

# --- Sign-in: django-allauth (password, OpenID Connect, two factors, sessions) -------------
# Lockout first: every password check passes django-axes before allauth's backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "stedennet.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "stedennet.accounts.oidc.SocialAccountAdapter"
MFA_ADAPTER = "stedennet.accounts.adapters.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True  # a new address replaces the old one only once confirmed
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env_bool("STEDENNET_SECURE_COOKIES", True) else "http"
# Accounts come by invitation or through a connected organisation, never by open sign-up.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never link by an e-mail address alone
SOCIALACCOUNT_LOGIN_ON_GET = False  # the start of an OpenID Connect sign-in is a POST (login CSRF)
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "provider_class": "stedennet.accounts.oidc.MunicipalOIDCProvider",
        "OAUTH_PKCE_ENABLED": True,
    }
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = env_str("STEDENNET_SITE_NAME", "Stedennet")
MFA_TRUST_ENABLED = False
# allauth refuses a new e-mail address to an account with two factors, against someone who signs
# up with another's address; sign-up is closed here, and staff must be able to change theirs.
MFA_ALLOW_UNVERIFIED_EMAIL = True
# Setting up a factor counts as using it (the back office then opens without a second code).
MFA_FORMS = {
    "activate_totp": "stedennet.accounts.second_factor.ActivateTOTPForm",
    "add_webauthn": "stedennet.accounts.second_factor.AddWebAuthnForm",
}
# WebAuthn needs https; only a local http demo or the tests may say otherwise.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("STEDENNET_WEBAUTHN_INSECURE_ORIGIN", False)
# Sessions are recorded at sign-in (address, browser) for "sign out everywhere"; no write on every request.
USERSESSIONS_TRACK_ACTIVITY = False
ACCOUNT_SESSION_REMEMBER = True  # a session lasts SESSION_COOKIE_AGE, as before allauth
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False  # /inloggen/ says who is signed in and may switch
# The one sign-in page is the back office's too; allauth's password reset replaces Wagtail's.
WAGTAILADMIN_LOGIN_URL = "accounts:login"
WAGTAIL_PASSWORD_RESET_ENABLED = False

# --- Login protection: django-axes ----------------------------------------------------
# Behind the proxy, the client is the address the proxy appended to X-Forwarded-For, counted
# from the right (STEDENNET_TRUSTED_PROXY_COUNT proxies); without it, the peer address.
STEDENNET_BEHIND_TLS_PROXY = env_bool("STEDENNET_BEHIND_TLS_PROXY", False)
STEDENNET_TRUSTED_PROXY_COUNT = env_int("STEDENNET_TRUSTED_PROXY_COUNT", 1)
ALLAUTH_TRUSTED_PROXY_COUNT = STEDENNET_TRUSTED_PROXY_COUNT if STEDENNET_BEHIND_TLS_PROXY else 0
AXES_FAILURE_LIMIT = env_int("STEDENNET_LOGIN_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("STEDENNET_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "stedennet.web.client.client_ip"
AXES_USERNAME_CALLABLE = "stedennet.accounts.lockout.username_of"
AXES_LOCKOUT_CALLABLE = "stedennet.accounts.lockout.locked_out"
AXES_ENABLE_ADMIN = False  # the bureau unlocks in the back office
AXES_VERBOSE = False
# A successful sign-in clears that account's failures, not those of its address on other accounts.
AXES_HANDLER = "stedennet.accounts.lockout.LockoutHandler"
# Axes counts failed sign-ins in the database, for every worker; allauth's own count (per worker,
# in its cache) would answer first with another page, so only axes counts them.
ACCOUNT_RATE_LIMITS = {"login_failed": None}

# --- Audit trail: django-pghistory (triggers on PostgreSQL) ----------------------------
# The context (who, which path or command) is stored on each event: one schema on both databases.
PGHISTORY_CONTEXT_FIELD = pghistory.ContextJSONField()
PGHISTORY_APPEND_ONLY = True

# --- Privacy --------------------------------------------------------------------------
# The list of erased people, kept outside the database so that a restored backup cannot
# bring them back (`stedennet privacy reapply`). It belongs on a volume that backups of the
# database do not overwrite.
STEDENNET_ERASURE_LIST = env_path("STEDENNET_ERASURE_LIST", DATA_DIR / "erasures.jsonl", base=REPO_DIR)

# The public site runs under a strict policy; the Wagtail and Django back offices bring
# their own inline scripts and styles, so they are excluded (they are staff-only).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Mail -------------------------------------------------------------------------------
EMAIL_HOST = env_str("STEDENNET_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("STEDENNET_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("STEDENNET_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("STEDENNET_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("STEDENNET_EMAIL_TLS", False)
EMAIL_TIMEOUT = env_int("STEDENNET_EMAIL_TIMEOUT", 30)  # seconds; an SMTP server that hangs is a failure
# Every mail goes into the outbox (stedennet.mail) in the sender's transaction and is delivered
# after the commit by the background worker through the delivery backend; failures are retried.
EMAIL_BACKEND = "stedennet.mail.backends.OutboxBackend"
STEDENNET_MAIL_DELIVERY_BACKEND = env_str("STEDENNET_MAIL_DELIVERY_BACKEND",
                                          "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("STEDENNET_FROM_EMAIL", "bureau@stedennet.invalid")
# A sending run's lease on its mass mailing (member letters): a crashed run is taken over after it.
STEDENNET_MAILING_LEASE_SECONDS = env_int("STEDENNET_MAILING_LEASE_SECONDS", 30)

# --- Parliamentary mirror (stedennet.parliament) -----------------------------------------
# The Tweede Kamer's SyncFeed; tests point it at a local server and never leave the machine.
STEDENNET_TK_FEED_URL = env_str("STEDENNET_TK_FEED_URL", "https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed")
STEDENNET_TK_TIMEOUT = env_int("STEDENNET_TK_TIMEOUT", 30)  # seconds per connect and per read
STEDENNET_TK_SYNC_INTERVAL_MINUTES = env_int("STEDENNET_TK_SYNC_INTERVAL_MINUTES", 15)  # the periodic sync
STEDENNET_TK_STALE_HOURS = env_int("STEDENNET_TK_STALE_HOURS", 24)  # the back office warns after this long

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = env_str("STEDENNET_SITE_NAME", "Stedennet")
STEDENNET_BASE_URL = env_str("STEDENNET_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = STEDENNET_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
# No third-party calls from the back office: no avatars from gravatar.com, no version check
# against releases.wagtail.org from the dashboard.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "csv", "txt"]
# Every document uploaded in the back office goes through the platform's one upload check.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "stedennet.web.documents.CheckedDocumentForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("STEDENNET_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step at INFO; only its warnings matter.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
