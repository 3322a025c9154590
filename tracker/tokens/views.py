from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.extensions import db
from tracker.tokens import bp, services
from tracker.tokens.forms import NewTokenForm, RevokeTokenForm
from tracker.validation import InvalidInput


def _page(form: NewTokenForm, new_token: str | None = None, status: int = 200):
    tokens = services.tokens_of(current_user)
    return render_template("tokens/index.html", form=form, tokens=tokens, new_token=new_token), status


@bp.get("/me/tokens")
@policy.signed_in
def index():
    return _page(NewTokenForm())


@bp.post("/me/tokens")
@policy.signed_in
def create():
    form = NewTokenForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        token = services.issue_token(current_user, form.name.data)
    except InvalidInput as error:
        form.name.errors = list(error.fields.get("name", [error.message]))
        return _page(form, status=400)
    db.session.commit()
    # Rendered, not redirected: the token must never pass through the (signed, readable) session cookie.
    return _page(NewTokenForm(formdata=None), new_token=token)


@bp.post("/me/tokens/<int:token_id>/revoke")
@policy.signed_in
def revoke(token_id: int):
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    token = services.revoke_token(current_user, token_id)
    if token is None:
        abort(404)
    db.session.commit()
    flash(_("The token “%(name)s” was revoked. Programs using it can no longer sign in.", name=token.name), "success")
    return redirect(url_for("tokens.index"))
