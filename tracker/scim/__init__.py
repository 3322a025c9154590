"""SCIM 2.0 provisioning (RFC 7643, RFC 7644) from the hospital's directory, under ``/scim/v2/``.

Authenticated by SCIM tokens only (``flask --app tracker scim token create NAME``), never by a
session or an API token; no CSRF token, as no browser sends these requests.
"""

from flask import Blueprint

bp = Blueprint("scim", __name__, url_prefix="/scim/v2")

from tracker.scim import discovery, groups, protocol, users  # noqa: E402,F401  (routes register on import)
