"""The admin home, settings and the audit trail."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker import exports as csv_export
from tracker import policy
from tracker.admin import audit_labels, audit_trail, bp, settings_editor
from tracker.admin.forms import AuditFilterForm, SettingsForm
from tracker.admin.helpers import show_errors
from tracker.database import reads_only
from tracker.extensions import db
from tracker.models import Department, Person, Role, Standard
from tracker.validation import InvalidInput

AUDIT_PER_PAGE = 100


@bp.route("/")
@policy.roles(Role.ADMIN)
def index():
    counts = {
        "people": db.session.scalar(sa.select(sa.func.count()).where(Person.active.is_(True))),
        "departments": db.session.scalar(sa.select(sa.func.count()).where(Department.active.is_(True))),
        "standards": db.session.scalar(sa.select(sa.func.count()).where(Standard.active.is_(True))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/settings", methods=["GET", "POST"])
@policy.roles(Role.ADMIN)
def settings_page():
    form = SettingsForm()
    if not form.is_submitted():
        form.process(data=settings_editor.current())
    if form.validate_on_submit():
        values = {name: form[name].data for name in settings_editor.current()}
        try:
            changed = settings_editor.save(values, by_id=current_user.id)
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("admin.settings_page"))
    return render_template("admin/settings.html", form=form, ranges=settings_editor.RANGES), 422 if form.errors else 200


def _audit_filters() -> tuple[AuditFilterForm, audit_trail.AuditFilters]:
    form = AuditFilterForm(request.args)
    form.action.choices = [SelectChoice("", _("Any action"))] + [
        SelectChoice(a, audit_labels.action_label(a)) for a in audit_trail.actions()
    ]
    form.object_type.choices = [SelectChoice("", _("Any record"))] + [
        SelectChoice(t, audit_labels.record_label(t)) for t in audit_trail.object_types()
    ]
    form.validate()
    filters = audit_trail.AuditFilters(
        person=form.person.data or "",
        action=form.action.data or "",
        object_type=form.object_type.data or "",
        object_id=form.object_id.data or "",
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    return form, filters


@bp.route("/audit")
@policy.roles(Role.ADMIN)
def audit_index():
    form, filters = _audit_filters()
    page = db.paginate(audit_trail.statement(filters), per_page=AUDIT_PER_PAGE, error_out=False, count=True)
    entries = audit_trail.entries(list(page.items), current_user)
    return render_template("admin/audit.html", form=form, page=page, entries=entries)


@bp.route("/audit.csv")
@policy.roles(Role.ADMIN)
@reads_only
def audit_export():
    """The filtered trail as CSV, streamed; the export is audited once the whole file has been sent."""
    _form, filters = _audit_filters()
    return csv_export.response("audit", audit_trail.export(filters))
