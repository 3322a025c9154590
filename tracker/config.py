"""Configuration defaults. Later layers: ``instance/config.py``, ``TRACKER_*`` variables, test config."""

from __future__ import annotations

import os

# Secrets that must never protect a real deployment.
KNOWN_DEFAULT_SECRETS = frozenset({"", "dev", "change-me", "changeme", "secret", "development-only-secret"})


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration."""


def defaults(instance_path: str) -> dict:
    return {
        "SECRET_KEY": "development-only-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{os.path.join(instance_path, 'tracker.db')}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SQLITE_BUSY_TIMEOUT_MS": 30_000,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "PASSWORD_HASH_METHOD": "scrypt",
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["en", "es", "pt", "ht", "zh_Hans"],
        "HOSPITAL_NAME": "General Hospital",
        "BOOTSTRAP_SERVE_LOCAL": True,
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,
        # Streamed responses (CSV exports) stay streamed and uncompressed; pages and assets are gzipped.
        "COMPRESS_STREAMS": False,
        "COMPRESS_ALGORITHM": ["gzip"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Redis unreachable: every process counts in its own memory (with a warning) until it is back,
        # so limits stay on and nobody gets an error; /healthz reports the degraded counting.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_LOGIN": "10 per minute; 50 per hour",
        # Failed sign-ins per account (e-mail), whatever the address: the lockout ends with the window.
        "RATELIMIT_LOGIN_ACCOUNT": "5 per 15 minutes",
        "RATELIMIT_PUBLIC_FORM": "10 per minute; 60 per hour",
        # API calls, counted per token (or per address without one).
        "RATELIMIT_API": "300 per minute; 5000 per hour",
        "API_MAX_CONTENT_LENGTH": 64 * 1024,
        # Deepest nesting of arrays and objects accepted in a JSON body (no API body needs more than 3).
        "JSON_MAX_DEPTH": 32,
        "MAIL_HOST": "",
        "MAIL_PORT": 25,
        "MAIL_USERNAME": "",
        "MAIL_PASSWORD": "",
        "MAIL_USE_TLS": False,
        "MAIL_SENDER": "icare tracker <icare@localhost>",
        "MAIL_DIR": os.path.join(instance_path, "mail"),
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        # Proxies (nginx, load balancer) in front of the app whose X-Forwarded-For/-Proto are trusted.
        "PROXY_COUNT": 0,
        "PRODUCTION": False,
        # Teams/Slack channels and webhooks: the key their addresses and secrets are encrypted with
        # (Fernet; several, comma-separated, to rotate). Empty: derived from SECRET_KEY.
        "INTEGRATIONS_KEY": "",
        # Loopback addresses allowed (tests, local development only).
        "WEBHOOKS_ALLOW_LOOPBACK": False,
        # Host names and networks inside the hospital that may be posted to, HTTP allowed.
        "WEBHOOKS_ALLOWED_HOSTS": [],
        "WEBHOOKS_TIMEOUT_SECONDS": 10,
        # A CA bundle for on-premises HTTPS hosts signed by the hospital's own authority.
        "WEBHOOKS_CA_BUNDLE": "",
        # Single sign-on with the hospital's OpenID Connect provider (docs/identity.md); off while no issuer.
        "OIDC_ISSUER": "",
        "OIDC_CLIENT_ID": "",
        "OIDC_CLIENT_SECRET": "",
        "OIDC_SCOPES": "openid email profile",
        # The claim holding app roles (Entra ID ``roles``) or groups (Okta ``groups``), and what each value grants:
        # {"value": {"roles": ["manager"], "manages": ["medicine"]}} or the short {"value": "admin"}.
        "OIDC_ROLE_CLAIM": "roles",
        "OIDC_ROLE_MAP": {},
        "OIDC_EMPLOYEE_ID_CLAIM": "employee_id",
        "OIDC_DEPARTMENT_CLAIM": "department",
        "OIDC_LANGUAGE_CLAIM": "language",
        "OIDC_CREATE_PEOPLE": False,
        "OIDC_BUTTON_LABEL": "",
        "OIDC_TIMEOUT_SECONDS": 5,
        # Password sign-in; when off, only the administrators whose e-mails are listed may still use it.
        "PASSWORD_LOGIN": True,
        "PASSWORD_LOGIN_BREAK_GLASS": [],
        # What each SCIM group (by display name) grants its members, in the format of OIDC_ROLE_MAP.
        "SCIM_GROUP_MAP": {},
    }


def check_secret_key(config: dict) -> None:
    """Refuse to serve real traffic signed with a guessable key."""
    if config.get("TESTING") or config.get("DEBUG"):
        return
    if str(config.get("SECRET_KEY") or "") in KNOWN_DEFAULT_SECRETS:
        raise ConfigurationError(
            "SECRET_KEY is missing or a known default. Set a long random value, for example:\n"
            "  export SECRET_KEY=\"$(python -c 'import secrets; print(secrets.token_hex(32))')\"\n"
            "or put SECRET_KEY = '...' in instance/config.py. For local development run with --debug."
        )
