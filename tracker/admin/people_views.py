"""Admin pages for people: search, edit, roles, deactivation, set-password links."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from tracker import policy
from tracker.admin import bp, departments, people
from tracker.admin.forms import PeopleSearchForm, PersonForm, department_choices
from tracker.admin.helpers import get_or_404, show_errors
from tracker.extensions import db
from tracker.models import Department, Person, Role
from tracker.validation import InvalidInput

PER_PAGE = 50


@bp.route("/people")
@policy.roles(Role.ADMIN)
def people_index():
    form = PeopleSearchForm(request.args)
    form.department.choices = department_choices(departments.tree(), _("All departments"))
    form.validate()
    department = db.session.get(Department, form.department.data) if form.department.data else None
    statement = people.search(form.q.data or "", department, form.status.data or "active", form.role.data or "")
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False, count=True)
    return render_template("admin/people.html", form=form, page=page)


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def person_edit(person_id: int):
    person = get_or_404(Person, person_id)
    form = PersonForm()
    tree = departments.tree()
    form.department.choices = department_choices(tree, _("— none —"))
    form.managed_departments.choices = department_choices(tree)
    if not form.is_submitted():
        form.process(obj=person)
        form.department.data = person.department_id
        form.roles.data = [role.value for role in person.roles if role != Role.STAFF]
        form.managed_departments.data = [d.id for d in person.managed_departments]
    if form.validate_on_submit():
        by_id = {d.id: d for d in tree}
        changes = people.PersonChanges(
            name=form.name.data,
            email=form.email.data,
            job_title=form.job_title.data or "",
            employee_id=form.employee_id.data or "",
            department=by_id.get(form.department.data),
            roles={Role(value) for value in form.roles.data},
            managed_departments=[by_id[i] for i in form.managed_departments.data if i in by_id],
            active=form.active.data,
        )
        try:
            changed = people.update_person(person, changes)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.person_edit", person_id=person.id))
    return render_template("admin/person_edit.html", person=person, form=form), 422 if form.errors else 200


@bp.route("/people/<int:person_id>/password-link", methods=["POST"])
@policy.roles(Role.ADMIN)
def person_password_link(person_id: int):
    person = get_or_404(Person, person_id)
    try:
        people.send_set_password_link(person)
    except InvalidInput as error:
        db.session.rollback()
        flash(error.fields["person"][0], "danger")
    else:
        db.session.commit()
        flash(_("A link to set a password is on its way to %(email)s.", email=person.email), "success")
    return redirect(url_for("admin.person_edit", person_id=person.id))
