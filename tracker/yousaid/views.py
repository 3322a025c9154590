"""You said, we did: the staff list, recording an action, approval, and each unit's public page and poster."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker import phi, policy
from tracker.database import reads_only
from tracker.extensions import db
from tracker.feedback.services import find_unit
from tracker.models import ActionStatus, ActionTaken, Case, Feedback, Person
from tracker.notifications.services import patient_email
from tracker.validation import InvalidInput
from tracker.yousaid import bp, services
from tracker.yousaid.forms import ActionForm, DecisionForm, RejectForm


def _me() -> Person:
    return current_user._get_current_object()


@bp.route("/you-said-we-did")
@policy.roles(*policy.ACTION_RECORDERS)
def index():
    me = _me()
    return render_template(
        "yousaid/index.html",
        pending=services.actions_for(me, ActionStatus.PENDING),
        approved=services.actions_for(me, ActionStatus.APPROVED)[:10],
        rejected=services.actions_for(me, ActionStatus.REJECTED)[:10],
        suggestions=services.suggestions_to_answer(me),
        cases=services.cases_to_answer(me),
        may_approve=policy.may_approve_actions(me),
        reads_cases=policy.may_read_case_for_action(me),
        decision_form=DecisionForm(formdata=None),
        reject_form=RejectForm(formdata=None),
        month_label=services.month_label,
    )


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _record(*, feedback: Feedback | None = None, case: Case | None = None):
    """The form for one suggestion or case: shown, or stored and sent to the list."""
    me = _me()
    form = ActionForm()
    form.unit_id.choices = [SelectChoice("", _("Choose a unit"))] + [
        SelectChoice(str(unit.id), unit.name) for unit in services.units_for(me)
    ]
    findings: list[phi.Finding] = []
    status = 200
    if request.method == "GET":
        default_unit = feedback.unit_id if feedback is not None else case.department_id
        form.unit_id.data = str(default_unit) if default_unit else ""
        form.month.data = services.month_value(services.this_month())
    elif form.validate_on_submit():
        try:
            action = services.record_action(
                me, summary=form.summary.data, unit_id=_int_or_none(form.unit_id.data), month=form.month.data,
                feedback=feedback, case=case,
            )  # fmt: skip
        except services.HealthInformationFound as refused:
            db.session.rollback()
            findings = refused.findings
            form.summary.errors = list(refused.fields["summary"])
            status = 422
        except InvalidInput as refused:
            db.session.rollback()
            for name, messages in refused.fields.items():
                target = form._fields.get(name, form.summary)
                target.errors = list(target.errors) + list(messages)
            status = 422
        else:
            db.session.commit()
            if policy.may_approve_action(me, action):
                flash(_("Saved. Approve it below to put it on the unit's page."), "success")
            else:
                flash(_("Saved. Patient experience will approve it before it is public."), "success")
            return redirect(url_for("yousaid.index"))
    else:
        status = 400
    summary_text = form.summary.data or ""
    page = render_template(
        "yousaid/record.html",
        form=form,
        feedback=feedback,
        case=case,
        reads_case=policy.may_read_case_for_action(me),
        findings=findings,
        segments=phi.highlighted_segments(summary_text, findings) if findings else [],
        suggested=phi.redact(summary_text, findings) if findings else "",
        earlier=services.actions_on(feedback=feedback, case=case),
        patient_will_be_told=patient_email(feedback if feedback is not None else case.feedback) is not None,
        month_label=services.month_label,
    )
    return page, status


@bp.route("/you-said-we-did/suggestions/<int:feedback_id>", methods=["GET", "POST"])
@policy.roles(*policy.ACTION_RECORDERS)
def record_for_suggestion(feedback_id: int):
    return _record(feedback=services.find_suggestion(feedback_id, _me()) or abort(404))


@bp.route("/you-said-we-did/cases/<int:case_id>", methods=["GET", "POST"])
@policy.roles(*policy.ACTION_RECORDERS)
def record_for_case(case_id: int):
    return _record(case=services.find_resolved_case(case_id, _me()) or abort(404))


def _action_or_404(action_id: int) -> ActionTaken:
    return db.session.get(ActionTaken, action_id) or abort(404)


@bp.route("/you-said-we-did/<int:action_id>/approve", methods=["POST"])
@policy.roles(*policy.ACTION_APPROVERS)
def approve(action_id: int):
    action = _action_or_404(action_id)
    if not DecisionForm().validate_on_submit():
        abort(400)
    try:
        message = services.approve(action, _me())
    except services.HealthInformationFound as refused:
        db.session.rollback()
        flash(" ".join(refused.fields["summary"]), "danger")
    except InvalidInput as refused:
        db.session.rollback()
        flash(" ".join(m for messages in refused.fields.values() for m in messages), "danger")
    else:
        db.session.commit()
        if message is not None:
            flash(_("Approved and on the unit's page. The patient will be told by e-mail."), "success")
        else:
            flash(_("Approved and on the unit's page. The patient left no e-mail address to tell."), "success")
    return redirect(url_for("yousaid.index"))


@bp.route("/you-said-we-did/<int:action_id>/reject", methods=["POST"])
@policy.roles(*policy.ACTION_APPROVERS)
def reject(action_id: int):
    action = _action_or_404(action_id)
    form = RejectForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.reject(action, _me(), note=form.note.data)
    except InvalidInput as refused:
        db.session.rollback()
        flash(" ".join(m for messages in refused.fields.values() for m in messages), "danger")
    else:
        db.session.commit()
        flash(_("Not published. Whoever wrote it sees your note on this page."), "info")
    return redirect(url_for("yousaid.index"))


# --- public -----------------------------------------------------------------------------------


def _public_unit(unit_slug: str):
    return find_unit(unit_slug) or abort(404)


@bp.route("/units/<unit_slug>/you-said-we-did")
@policy.public
@reads_only
def unit_page(unit_slug: str):
    unit = _public_unit(unit_slug)
    return render_template(
        "yousaid/unit.html",
        unit=unit,
        months=services.public_months(unit),
        summary_lang=current_app.config["BABEL_DEFAULT_LOCALE"].replace("_", "-"),
    )


@bp.route("/units/<unit_slug>/you-said-we-did/poster")
@policy.public
@reads_only
def poster(unit_slug: str):
    """The month's approved actions, in big type for the unit's notice board (``?month=YYYY-MM``)."""
    unit = _public_unit(unit_slug)
    asked = request.args.get("month")
    error = None
    month = services.this_month()
    if asked is not None:
        try:
            month = services.parse_month(asked)
        except InvalidInput as refused:
            error = " ".join(refused.fields["month"])
    months = [] if error else services.public_months(unit, month)
    page = render_template(
        "yousaid/poster.html",
        unit=unit,
        month=month,
        month_text=services.month_label(month),
        actions=months[0].actions if months else [],
        error=error,
        asked=asked or "",
        summary_lang=current_app.config["BABEL_DEFAULT_LOCALE"].replace("_", "-"),
    )
    return page, 400 if error else 200
