from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from tracker import audit, policy
from tracker.auth import bp, email_links, password_links, services, throttle
from tracker.auth.forms import EmailLinkForm, LoginForm, SetPasswordForm
from tracker.extensions import db, limiter
from tracker.identity import client as identity_client


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(throttle.address_limit, methods=["POST"], on_breach=throttle.locked_out)
@limiter.limit(
    throttle.account_limit,
    key_func=throttle.submitted_account,
    methods=["POST"],
    deduct_when=throttle.sign_in_failed,
    on_breach=throttle.locked_out,
)
@policy.public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        person = services.authenticate(form.email.data, form.password.data)
        if person is not None and not policy.may_use_password(person, current_app.config):
            audit.record("login_refused", "person", person.id, actor=person, reason="password_login_off")
            person = None
        if person is not None:
            services.start_session(person, remember=form.remember.data)
            db.session.commit()
            target = request.args.get("next")
            return redirect(target if services.is_safe_next(target) else url_for("home.index"))
        services.record_failed_login(form.email.data)
        db.session.commit()
        return refuse_login(401, form)
    if request.method == "POST":
        return refuse_login(400, form)
    return render_template("auth/login.html", form=form)


def refuse_login(status: int, form: LoginForm | None = None):
    """The same calm answer whatever was wrong: unknown e-mail, wrong password, expired form."""
    form = form or LoginForm(formdata=None, email=request.form.get("email", ""))
    flash(_("That e-mail and password did not match an active account. Please try again."), "danger")
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@policy.public
def logout():
    """Sign out here, and at the hospital's provider too when the person signed in there and it offers logout."""
    id_token = session.get("oidc_id_token")
    if current_user.is_authenticated:
        logout_user()
    session.clear()
    flash(_("You are signed out."), "success")
    provider_logout = identity_client.end_session_endpoint() if id_token and identity_client.enabled() else None
    if provider_logout:
        back = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("auth.login")
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": back,
                "client_id": current_app.config["OIDC_CLIENT_ID"],
            }
        )
        return redirect(f"{provider_logout}{'&' if '?' in provider_logout else '?'}{query}")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@policy.public
def set_password(token: str):
    """The page a set-password e-mail links to: the link works once, for an active person, until it expires."""
    person = password_links.person_for_token(token)
    if person is None:
        return render_template("auth/set_password.html", form=None), 404
    form = SetPasswordForm()
    form.person = person  # the policy refuses the person's own e-mail or name
    if form.validate_on_submit():
        person.set_password(form.password.data)
        audit.record("password_set", "person", person.id, actor=person)
        db.session.commit()
        flash(_("Your password is set. Please sign in."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, person=person), 422 if form.errors else 200


@bp.route("/login/email", methods=["GET", "POST"])
@limiter.limit(throttle.address_limit, methods=["POST"], on_breach=throttle.link_requests_paused)
@limiter.limit(
    throttle.account_limit,
    key_func=throttle.submitted_account,
    methods=["POST"],
    on_breach=throttle.link_requests_paused,
)
@policy.public
def email_link_request():
    """Ask for a sign-in link. Every request counts against the address and the account, so no inbox is flooded."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = EmailLinkForm()
    if form.validate_on_submit():
        email_links.send_link(form.email.data)
        db.session.commit()
        flash(
            _(
                "If that address belongs to an account that may sign in by link, we have sent a link. "
                "It works once, for %(minutes)d minutes.",
                minutes=email_links.LINK_LIFETIME_MINUTES,
            ),
            "info",
        )
        return redirect(url_for("auth.email_link_request"))
    return render_template("auth/email_link_request.html", form=form), 422 if form.errors else 200


@bp.route("/login/email/<token>", methods=["GET", "POST"])
@limiter.limit(throttle.address_limit, methods=["POST"], on_breach=throttle.link_requests_paused)
@policy.public
def email_link(token: str):
    """The page a sign-in e-mail links to; its button (a POST with CSRF) signs the person in, once.

    Opening the page changes nothing, so a mail scanner that follows links spends none.
    """
    if request.method == "GET":
        person = email_links.person_for_token(token)
        if person is None:
            return _spent_link()
        return render_template("auth/email_link_confirm.html", person=person)
    person = email_links.use_token(token)
    if person is None:
        db.session.commit()  # the refusal's audit event
        return _spent_link()
    services.start_session(person, via="email_link")
    db.session.commit()
    return redirect(url_for("home.index"))


def _spent_link():
    """Expired, used, forged or no longer allowed: one calm answer, with a way to ask for a new link."""
    return render_template("auth/email_link_confirm.html", person=None), 404
