"""Admin pages for the department tree."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from tracker import policy
from tracker.admin import bp, departments
from tracker.admin.forms import PATIENT_FACING_HINT, DepartmentCreateForm, DepartmentEditForm, department_choices
from tracker.admin.helpers import get_or_404, show_errors
from tracker.extensions import db
from tracker.models import Department, Role
from tracker.validation import InvalidInput


def _parent(parent_id: int | None) -> Department | None:
    return db.session.get(Department, parent_id) if parent_id else None


@bp.route("/departments", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def departments_index():
    tree = departments.tree()
    form = DepartmentCreateForm()
    form.parent.choices = department_choices([d for d in tree if d.active], _("— none (top level) —"))
    status = 200
    if form.validate_on_submit():
        try:
            department = departments.add_department(
                form.slug.data, form.name.data, _parent(form.parent.data), patient_facing=form.patient_facing.data
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Department %(name)s created.", name=department.name), "success")
            return redirect(url_for("admin.departments_index"))
    if form.errors:
        status = 422
    return (
        render_template(
            "admin/departments.html",
            tree=tree,
            counts=departments.people_counts(),
            form=form,
            patient_facing_hint=PATIENT_FACING_HINT,
        ),
        status,
    )


@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def department_edit(department_id: int):
    department = get_or_404(Department, department_id)
    form = DepartmentEditForm()
    if not form.is_submitted():
        form.process(obj=department)
        form.parent.data = department.parent_id
    possible_parents = [d for d in departments.tree() if not d.is_within(department)]
    form.parent.choices = department_choices(possible_parents, _("— none (top level) —"))
    if form.validate_on_submit():
        try:
            changes = departments.update_department(
                department,
                name=form.name.data,
                parent=_parent(form.parent.data),
                active=form.active.data,
                patient_facing=form.patient_facing.data,
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changes else _("Nothing changed."), "success")
            return redirect(url_for("admin.departments_index"))
    page = render_template(
        "admin/department_edit.html", department=department, form=form, patient_facing_hint=PATIENT_FACING_HINT
    )
    return page, 422 if form.errors else 200
