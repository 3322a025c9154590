"""Spam defences without a CAPTCHA: a honeypot field and a minimum time to fill the form.

The form carries a signed timestamp of when it was shown. Bots post within a second or replay
old forms; people take longer than a few seconds to write anything.
"""

from __future__ import annotations

import time

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "feedback-form-started"
DEFAULT_MINIMUM_SECONDS = 3


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_started_token(now: float | None = None) -> str:
    return _serializer().dumps({"t": round(now if now is not None else time.time(), 3)})


def seconds_since_started(token: str | None, now: float | None = None) -> float | None:
    """Seconds since the form was shown, or ``None`` when the token is missing or forged."""
    if not token:
        return None
    try:
        started = float(_serializer().loads(token)["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    return (now if now is not None else time.time()) - started


def filled_too_fast(token: str | None) -> bool:
    elapsed = seconds_since_started(token)
    minimum = current_app.config.get("FEEDBACK_MINIMUM_SECONDS", DEFAULT_MINIMUM_SECONDS)
    return elapsed is None or elapsed < minimum
