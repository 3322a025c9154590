"""Channel and endpoint addresses and signing secrets, encrypted at rest.

The key: ``TRACKER_INTEGRATIONS_KEY`` (one Fernet key, or several separated by commas: the first
encrypts, all decrypt, so a key can be rotated). Without it, a key is derived from ``SECRET_KEY``
with HKDF-SHA256, so the feature works out of the box; the price is that changing ``SECRET_KEY``
makes the stored addresses unreadable (the channel pauses and asks for its address again).
"""

from __future__ import annotations

import base64
import secrets
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

SIGNING_SECRET_PREFIX = "whsec_"  # noqa: S105  (the format's prefix, not a secret)
HKDF_INFO = b"icare-tracker integrations: channel addresses and webhook secrets"


class SecretUnreadable(Exception):
    """A stored secret cannot be decrypted with the configured key(s)."""


def _fernet() -> MultiFernet:
    configured = current_app.config.get("INTEGRATIONS_KEY") or ""
    keys = [key.strip() for key in str(configured).split(",") if key.strip()]
    if not keys:
        derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO).derive(
            str(current_app.config["SECRET_KEY"]).encode()
        )
        keys = [base64.urlsafe_b64encode(derived).decode()]
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable("stored with another key") from None


def hint(url: str) -> str:
    """What pages show of an address: its host and its last four characters, never the whole."""
    host = urlsplit(url).hostname or "?"
    return f"{host} …{url[-4:]}"


def new_signing_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64."""
    return SIGNING_SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
