from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.extensions import db
from tracker.profile import bp, services
from tracker.profile.forms import PreferencesForm, WallPreferenceForm


@bp.route("/me/profile", methods=["GET", "POST"])
@policy.own_account
def index():
    form = PreferencesForm(
        show_on_walls=current_user.show_on_walls,
        email_notifications=current_user.email_notifications,
        language=current_user.language or "",
    )
    if form.validate_on_submit():
        changes = services.set_preferences(
            current_user,
            show_on_walls=form.show_on_walls.data,
            email_notifications=form.email_notifications.data,
            language=form.language.data,
        )
        db.session.commit()
        if "language" in changes:
            session.pop("lang", None)  # the switcher's choice for this visit gives way to the saved one
        flash(_("Your preferences are saved."), "success")
        return redirect(url_for("profile.index"))
    return render_template("profile/index.html", form=form, advisor=policy.is_advisor(current_user))


@bp.route("/me/profile/walls", methods=["POST"])
@policy.signed_in
def walls():
    form = WallPreferenceForm()
    if form.validate_on_submit():
        services.set_preferences(current_user, show_on_walls=form.show_on_walls.data)
        db.session.commit()
        flash(_("Your preferences are saved."), "success")
    return redirect(url_for("recognitions.mine"))
