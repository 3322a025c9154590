from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from tracker import policy
from tracker.auth.services import is_safe_next
from tracker.extensions import db
from tracker.identity import bp, client, services

REFUSALS = {
    "inactive": lambda: _(
        "Your account is not active in icare tracker. If you think this is a mistake, please contact the service desk."
    ),
    "unknown": lambda: _(
        "You signed in, but we could not find you in the staff directory. Please contact the service desk to be added."
    ),
    "conflict": lambda: _(
        "Your hospital account does not match the staff directory entry. Please contact the service desk."
    ),
}


def _callback_url() -> str:
    """Registered with the provider as the redirect URI: the public address, whatever proxy is in front."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("identity.callback")


def _unavailable():
    return render_template("identity/unavailable.html"), 503


@bp.get("/login/sso")
@policy.public
def start():
    """Send the browser to the hospital's provider, with a fresh state, nonce and PKCE challenge."""
    if not client.enabled():
        abort(404)
    target = request.args.get("next")
    try:
        response = client.provider().authorize_redirect(_callback_url())
    except client.SIGN_IN_FAILURES:
        current_app.logger.warning("The OpenID provider could not be reached for sign-in.")
        return _unavailable()
    if is_safe_next(target):
        session["sso_next"] = target
    return response


@bp.get("/login/sso/callback")
@policy.public
def callback():
    """The provider's answer: exchanged for tokens, the ID token checked, the person signed in."""
    if not client.enabled():
        abort(404)
    provider = client.provider()
    try:
        token = provider.authorize_access_token()
        claims = token.get("userinfo")
        metadata = provider.load_server_metadata()
        if not claims or metadata.get("issuer", "").rstrip("/") != current_app.config["OIDC_ISSUER"].rstrip("/"):
            raise ValueError("no verified ID token from the configured issuer")
        claims = client.with_userinfo(token, claims)
    except client.SIGN_IN_FAILURES as error:
        return _failed(error)
    person = services.person_for(claims)
    if isinstance(person, services.Refusal):
        db.session.commit()  # the refusal's audit event
        flash(REFUSALS[person.reason](), "danger")
        return redirect(url_for("auth.login"))
    services.follow_claims(person, claims)
    target = session.pop("sso_next", None)
    language = person.language or session.get("lang")
    session.clear()  # a fresh session on sign-in: no fixation
    if language:
        session["lang"] = language
    session["oidc_id_token"] = token.get("id_token")
    login_user(person)
    services.record_sign_in(person)
    db.session.commit()
    return redirect(target if is_safe_next(target) else url_for("home.index"))


def _failed(error: Exception):
    """A refused or broken answer: a calm page, and the reason in the log (never the tokens)."""
    from tracker import audit

    if isinstance(error, client.requests.RequestException) and not _refused_by_provider(error):
        current_app.logger.warning("The OpenID provider could not be reached: %s", type(error).__name__)
        return _unavailable()
    current_app.logger.warning("OpenID sign-in refused: %s", type(error).__name__)
    audit.record("login_failed", "person", "", via="oidc", reason=type(error).__name__)
    db.session.commit()
    flash(_("Signing in with your hospital account did not work. Please try again."), "danger")
    return redirect(url_for("auth.login"))


def _refused_by_provider(error: Exception) -> bool:
    """The provider answered, and refused (a 4xx, e.g. UserInfo turning down the access token): not an outage."""
    response = getattr(error, "response", None)
    return response is not None and 400 <= response.status_code < 500
