"""Roster upload: check the file (dry run), read what it would change, then apply it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy, roster
from tracker.admin import bp, roster_uploads
from tracker.admin.forms import RosterUploadForm
from tracker.extensions import db
from tracker.models import Role

SHOWN_ROWS = 200


@bp.route("/roster", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def roster_index():
    form = RosterUploadForm()
    if form.validate_on_submit():
        upload = roster_uploads.store(form.file.data.read(), form.file.data.filename or "", current_user)
        db.session.commit()
        return redirect(
            url_for("admin.roster_review", token=upload.token, deactivate_missing=int(form.deactivate_missing.data))
        )
    return render_template("admin/roster.html", form=form), 422 if form.errors else 200


def _plan_for(token: str, deactivate_missing: bool, *, for_apply: bool = False):
    upload = roster_uploads.find(token, current_user, for_apply=for_apply)
    if upload is None:
        abort(404)
    return upload, roster.plan_import(roster.parse(upload.content), deactivate_missing=deactivate_missing)


def _render_review(upload, plan, deactivate_missing: bool, status: int = 200):
    return (
        render_template(
            "admin/roster_review.html",
            upload=upload,
            plan=plan,
            deactivate_missing=deactivate_missing,
            shown=SHOWN_ROWS,
        ),
        status,
    )


@bp.route("/roster/<token>")
@policy.roles(Role.ADMIN)
def roster_review(token: str):
    """The dry run: nothing is written, every problem is listed with its line."""
    deactivate_missing = request.args.get("deactivate_missing") == "1"
    upload, plan = _plan_for(token, deactivate_missing)
    return _render_review(upload, plan, deactivate_missing)


@bp.route("/roster/<token>/apply", methods=["POST"])
@policy.roles(Role.ADMIN)
def roster_apply(token: str):
    """Checks the file again against today's database and applies it only if nothing is wrong."""
    deactivate_missing = request.form.get("deactivate_missing") == "1"
    upload, plan = _plan_for(token, deactivate_missing, for_apply=True)
    if not plan.ok:
        flash(_("The roster has problems, so nothing was changed."), "danger")
        return _render_review(upload, plan, deactivate_missing, 422)
    counts = roster.apply_plan(plan, filename=upload.filename)
    roster_uploads.discard(upload)
    db.session.commit()
    flash(
        _(
            "Roster applied: %(created)d created, %(updated)d updated, %(deactivated)d deactivated.",
            created=counts["created"],
            updated=counts["updated"],
            deactivated=counts["deactivated"],
        ),
        "success",
    )
    return redirect(url_for("admin.roster_index"))
