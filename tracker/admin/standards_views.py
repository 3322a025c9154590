"""The standards editor pages."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from tracker import policy
from tracker.admin import bp, standards
from tracker.admin.forms import BehaviourForm, StandardForm
from tracker.admin.helpers import get_or_404, show_errors
from tracker.extensions import db
from tracker.models import Behavior, Role, Standard
from tracker.validation import InvalidInput


def _warn_about_contrast(color: str) -> None:
    warning = standards.contrast_warning(color)
    if warning:
        flash(warning, "warning")


@bp.route("/standards", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def standards_index():
    form = StandardForm()
    if form.validate_on_submit():
        try:
            standard = standards.create_standard(
                key=form.key.data or "",
                name=form.name.data,
                description=form.description.data or "",
                color=form.color.data,
                position=form.position.data,
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Standard %(name)s added.", name=standard.name), "success")
            _warn_about_contrast(standard.color)
            return redirect(url_for("admin.standard_edit", standard_id=standard.id))
    all_standards = standards.all_standards()
    warnings = {s.id: standards.contrast_warning(s.color) for s in all_standards}
    return (
        render_template("admin/standards.html", standards=all_standards, warnings=warnings, form=form),
        422 if form.errors else 200,
    )


@bp.route("/standards/<int:standard_id>", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def standard_edit(standard_id: int):
    standard = get_or_404(Standard, standard_id)
    form = StandardForm(prefix="standard")
    behaviour_form = BehaviourForm(prefix="new")
    if not form.is_submitted():
        form.process(obj=standard)
    if form.validate_on_submit():
        try:
            changes = standards.update_standard(
                standard,
                name=form.name.data,
                description=form.description.data or "",
                color=form.color.data,
                position=form.position.data,
                active=form.active.data,
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changes else _("Nothing changed."), "success")
            _warn_about_contrast(standard.color)
            return redirect(url_for("admin.standard_edit", standard_id=standard.id))
    return _render_standard(standard, form, behaviour_form)


def _render_standard(standard: Standard, form: StandardForm, behaviour_form: BehaviourForm):
    status = 422 if form.errors or behaviour_form.errors else 200
    return (
        render_template(
            "admin/standard_edit.html",
            standard=standard,
            form=form,
            behaviour_form=behaviour_form,
            in_use=standards.is_in_use(standard),
            warning=standards.contrast_warning(standard.color),
        ),
        status,
    )


@bp.route("/standards/<int:standard_id>/behaviours", methods=["POST"])
@policy.roles(Role.ADMIN)
def behaviour_add(standard_id: int):
    standard = get_or_404(Standard, standard_id)
    behaviour_form = BehaviourForm(prefix="new")
    if behaviour_form.validate_on_submit():
        try:
            standards.add_behaviour(
                standard,
                key=behaviour_form.key.data or "",
                name=behaviour_form.name.data,
                patient_prompt=behaviour_form.patient_prompt.data or "",
                position=behaviour_form.position.data,
            )
        except InvalidInput as error:
            show_errors(behaviour_form, error)
        else:
            db.session.commit()
            flash(_("Example behaviour added."), "success")
            return redirect(url_for("admin.standard_edit", standard_id=standard.id))
    form = StandardForm(formdata=None, obj=standard, prefix="standard")
    return _render_standard(standard, form, behaviour_form)


@bp.route("/behaviours/<int:behaviour_id>", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def behaviour_edit(behaviour_id: int):
    behaviour = get_or_404(Behavior, behaviour_id)
    form = BehaviourForm()
    if not form.is_submitted():
        form.process(obj=behaviour)
    if form.validate_on_submit():
        try:
            changes = standards.update_behaviour(
                behaviour,
                name=form.name.data,
                patient_prompt=form.patient_prompt.data or "",
                position=form.position.data,
                active=form.active.data,
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changes else _("Nothing changed."), "success")
            return redirect(url_for("admin.standard_edit", standard_id=behaviour.standard_id))
    return render_template("admin/behaviour_edit.html", behaviour=behaviour, form=form), 422 if form.errors else 200


@bp.route("/standards/<int:standard_id>/delete", methods=["POST"])
@policy.roles(Role.ADMIN)
def standard_delete(standard_id: int):
    standard = get_or_404(Standard, standard_id)
    try:
        standards.delete_standard(standard)
    except InvalidInput as error:
        db.session.rollback()
        flash(error.fields["standard"][0], "danger")
        return redirect(url_for("admin.standard_edit", standard_id=standard_id))
    db.session.commit()
    flash(_("Standard deleted."), "success")
    return redirect(url_for("admin.standards_index"))
