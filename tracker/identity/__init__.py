"""Single sign-on with the hospital's OpenID Connect provider (Microsoft Entra ID, Okta, ADFS)."""

from flask import Blueprint

bp = Blueprint("identity", __name__)

from tracker.identity import views  # noqa: E402,F401  (routes register on import)
