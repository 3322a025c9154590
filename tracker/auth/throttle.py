"""Sign-in throttling, per address and per account, with lockouts that end by themselves.

The per-address limit (``RATELIMIT_LOGIN``) counts every sign-in attempt from one address; the
per-account limit (``RATELIMIT_LOGIN_ACCOUNT``) counts only the failed attempts for one e-mail, so a
guesser who spreads over many addresses is still stopped. Both are rate-limit windows kept in the
limiter's storage (Redis when several app processes share the load): a lockout ends when its window
does, and nobody has to unlock accounts by hand. Requests for e-mail sign-in links have the same
two limits, counted separately and on every request, so nobody's inbox can be flooded.
"""

from __future__ import annotations

import math
import time

from flask import Response, current_app, flash, make_response, render_template, request
from flask_babel import gettext as _
from flask_limiter import RequestLimit

from tracker import audit
from tracker.auth.forms import EmailLinkForm, LoginForm
from tracker.extensions import db
from tracker.models import Person


def address_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def submitted_account() -> str:
    """The limiter key of the per-account limit: the e-mail as typed, normalised like a stored one."""
    return "account:" + Person.normalize_email(request.form.get("email", ""))[:254]


def sign_in_failed(response: Response) -> bool:
    """Only refused credentials count against an account, so its owner is not locked out by success."""
    return response.status_code == 401


def locked_out(limit: RequestLimit) -> Response:
    """Audit the lockout and answer with the sign-in page and a calm explanation (429)."""
    flash(
        _(
            "Too many sign-in attempts. For your security, signing in is paused for a few minutes. "
            "Please try again later, or ask the service desk to help you reset your password."
        ),
        "danger",
    )
    form = LoginForm(formdata=None, email=request.form.get("email", "")[:254])
    return _paused(limit, "auth/login.html", form)


def link_requests_paused(limit: RequestLimit) -> Response:
    """The same answer when requests for sign-in links, or presses of a link's button, pass their limits.

    It is given on the page that asks for a link, so the way on is in front of the person.
    """
    flash(
        _("Too many requests for a sign-in link. Please wait a few minutes, then try again."),
        "danger",
    )
    form = EmailLinkForm(formdata=None, email=request.form.get("email", "")[:254])
    return _paused(limit, "auth/email_link_request.html", form, via="email_link")


def _paused(limit: RequestLimit, template: str, form, via: str | None = None) -> Response:
    audit.record(
        "login_throttled",
        "person",
        "",
        email=request.form.get("email", "")[:254],
        limit=str(limit.limit),
        per="account" if limit.request_args[0].startswith("account:") else "address",
        via=via,
    )
    db.session.commit()
    response = make_response(render_template(template, form=form), 429)
    response.headers["Retry-After"] = str(max(1, math.ceil(limit.reset_at - time.time())))
    return response
