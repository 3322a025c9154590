"""The moderation queue and the decision page for one piece of feedback."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_timedelta, get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker import audit, clock, matching, phi, policy
from tracker import exports as csv_export
from tracker.dashboard.filters import parse_date
from tracker.database import reads_only
from tracker.exports import csv_lines
from tracker.extensions import db
from tracker.models import Case, Feedback, FeedbackStatus, FeedbackType, Person, Recognition, Role, Standard
from tracker.moderation import bp, services
from tracker.moderation import queue as moderation_queue
from tracker.moderation.forms import ActionForm, ApproveForm, QueueFilterForm, RejectForm, SplitForm
from tracker.validation import InvalidInput

MODERATORS = (Role.ADVOCATE, Role.ADMIN)
PER_PAGE = 25


@bp.route("/moderation")
@policy.roles(*MODERATORS)
@reads_only
def queue():
    return _render_queue(QueueFilterForm(request.args))


def _render_queue(form: QueueFilterForm, export_errors: dict | None = None):
    """The queue page; ``export_errors``: the decisions export's date range was refused (422)."""
    filters = form.filters()
    status = 422 if filters is None or export_errors else 200
    if filters is None:
        return render_template("moderation/queue.html", form=form, page=None, export_errors=export_errors or {}), 422
    now = clock.now()
    page = db.paginate(moderation_queue.statement(filters, now), per_page=PER_PAGE, error_out=False)
    rows = moderation_queue.rows(page.items, now)
    ages = [format_timedelta(row.waited, granularity="minute") for row in rows]
    return render_template(
        "moderation/queue.html",
        form=form,
        page=page,
        rows=zip(rows, ages, strict=True),
        export_errors=export_errors or {},
    ), status


@bp.get("/moderation/decisions.csv")
@policy.roles(*MODERATORS)
@reads_only
def export_decisions():
    """Decided feedback in a date range (the hospital's days, both ends included) as CSV, audited once sent."""
    try:
        since, until = _decision_range(request.args.get("since"), request.args.get("until"))
    except InvalidInput as refused:
        return _render_queue(QueueFilterForm(formdata=None), export_errors=refused.fields)
    chosen = {key: day.isoformat() for key, day in (("since", since), ("until", until)) if day}
    lines = audit.after_streaming(
        csv_lines(services.DECISION_COLUMNS, services.decision_rows(since, until)),
        "feedback.decisions_exported",
        "feedback.decisions_export_interrupted",
        "feedback",
        **chosen,
    )
    return csv_export.response("moderation-decisions", lines)


def _decision_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """Both days checked as the dashboard checks its own; empty means open-ended."""
    errors: dict[str, list[str]] = {}
    days = {}
    for field, value in (("since", since), ("until", until)):
        try:
            days[field] = parse_date(value, field)
        except InvalidInput as refused:
            errors.update(refused.fields)
            days[field] = None
    if days["since"] and days["until"] and days["since"] > days["until"]:
        errors["since"] = [_("The start date must be on or before the end date.")]
    if errors:
        raise InvalidInput(errors)
    return days["since"], days["until"]


def _feedback_or_404(feedback_id: int) -> Feedback:
    return db.session.get(Feedback, feedback_id) or abort(404)


def _me() -> Person:
    return current_user._get_current_object()


def _render_item(feedback: Feedback, *, approve_form=None, reject_form=None, split_form=None, status=200):
    me = _me()
    suggestions = matching.suggest_staff(feedback.staff_names, feedback.unit)
    findings = phi.find_health_information(feedback.message)
    draft = services.draft_text(feedback)
    standards = list(
        db.session.scalars(sa.select(Standard).where(Standard.active.is_(True)).order_by(Standard.position))
    )
    if approve_form is None:
        approve_form = ApproveForm(formdata=None)
        approve_form.approved_message.data = draft
        approve_form.recipient_ids.data = [match.preselected for match in suggestions if match.preselected]
        approve_form.standard_keys.data = [standard.key for standard in feedback.standards]
    suggested = {s.person_id: s for match in suggestions for s in match.suggestions}
    labels = _suggestion_labels(suggested)
    approve_form.recipient_ids.choices = [SelectChoice(pid, labels[pid]) for pid in suggested]
    approve_form.standard_keys.choices = [
        SelectChoice(s.key, s.translated("name", str(get_locale()))) for s in standards
    ]
    shows_contact = policy.may_see_contact_details(me) and any(
        (feedback.contact_name, feedback.contact_email, feedback.contact_phone)
    )
    if shows_contact:
        audit.record("feedback.contact_viewed", "feedback", feedback.id)
    audit.record("feedback.viewed", "feedback", feedback.id)
    db.session.commit()
    page = render_template(
        "moderation/item.html",
        feedback=feedback,
        segments=phi.highlighted_segments(feedback.message, findings),
        findings=findings,
        draft_findings=phi.find_health_information(draft),
        suggestions=suggestions,
        shows_contact=shows_contact,
        approve_form=approve_form,
        reject_form=reject_form or RejectForm(formdata=None),
        split_form=split_form or SplitForm(formdata=None),
        is_compliment=feedback.type == FeedbackType.COMPLIMENT,
        type_label=moderation_queue.TYPE_LABELS[feedback.type],
        labels=labels,
        outcomes=_outcomes(feedback),
    )
    return page, status


def _suggestion_labels(suggested: dict) -> dict[int, str]:
    """ "Sam Okafor, Registered Nurse · Ellison 12": the job and unit tell apart people with one first name."""
    people = db.session.scalars(sa.select(Person).where(Person.id.in_(list(suggested)))).all()
    labels = {}
    for person in people:
        label = person.name + (f", {person.job_title}" if person.job_title else "")
        labels[person.id] = label + (f" · {person.department.name}" if person.department else "")
    return {pid: labels.get(pid, suggestion.name) for pid, suggestion in suggested.items()}


def _outcomes(feedback: Feedback) -> dict:
    """What a decision made of the feedback, so the page can lead on to it."""
    if feedback.status == FeedbackStatus.PENDING:
        return {"recognitions": [], "cases": []}
    recognitions = db.session.scalars(
        sa.select(Recognition.id).where(Recognition.feedback_id == feedback.id).order_by(Recognition.id)
    ).all()
    cases = db.session.scalars(sa.select(Case).where(Case.feedback_id == feedback.id).order_by(Case.id)).all()
    return {"recognitions": recognitions, "cases": cases}


@bp.route("/moderation/<int:feedback_id>")
@policy.roles(*MODERATORS)
def item(feedback_id: int):
    return _render_item(_feedback_or_404(feedback_id))


def _refused(form, refused: InvalidInput) -> None:
    db.session.rollback()
    for name, messages in refused.fields.items():
        target = form._fields.get(name)
        if target is not None:
            target.errors = list(target.errors) + list(messages)
        else:
            flash(" ".join(messages), "danger")


def _done(message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("moderation.queue"))


@bp.route("/moderation/<int:feedback_id>/redact", methods=["POST"])
@policy.roles(*MODERATORS)
def redact(feedback_id: int):
    feedback = _feedback_or_404(feedback_id)
    if ActionForm().validate_on_submit():
        try:
            removed = services.redact_flagged(feedback, _me())
        except InvalidInput as refused:
            _refused(ActionForm(), refused)
        else:
            db.session.commit()
            flash(
                ngettext(
                    "Removed %(num)d flagged item from the words staff will read.",
                    "Removed %(num)d flagged items from the words staff will read.",
                    len(removed),
                ),
                "info",
            )
    return redirect(url_for("moderation.item", feedback_id=feedback.id) + "#approve")


def _extra_recipient(form: ApproveForm) -> list[int]:
    email = (form.other_recipient.data or "").strip()
    if not email:
        return []
    person = db.session.scalar(sa.select(Person).where(Person.email == Person.normalize_email(email)))
    if person is None or not person.active:
        raise InvalidInput.single("other_recipient", _("Nobody active has that e-mail address."))
    return [person.id]


@bp.route("/moderation/<int:feedback_id>/approve", methods=["POST"])
@policy.roles(*MODERATORS)
def approve(feedback_id: int):
    feedback = _feedback_or_404(feedback_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _render_item(feedback, approve_form=form, status=422)
    try:
        recognition = services.approve(
            feedback,
            _me(),
            recipient_ids=list(form.recipient_ids.data or []) + _extra_recipient(form),
            approved_message=form.approved_message.data,
            standard_keys=list(form.standard_keys.data or []),
        )
    except InvalidInput as refused:
        _refused(form, refused)
        return _render_item(feedback, approve_form=form, status=422)
    if recognition is None:
        return _done(_("Suggestion %(reference)s noted.", reference=feedback.reference))
    return _done(_("Approved: %(reference)s is now a recognition.", reference=feedback.reference))


@bp.route("/moderation/<int:feedback_id>/reject", methods=["POST"])
@policy.roles(*MODERATORS)
def reject(feedback_id: int):
    feedback = _feedback_or_404(feedback_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            services.reject(feedback, _me(), reason=form.reason.data or "", note=form.note.data or "")
        except InvalidInput as refused:
            _refused(form, refused)
        else:
            return _done(_("Rejected %(reference)s.", reference=feedback.reference))
    return _render_item(feedback, reject_form=form, status=422)


@bp.route("/moderation/<int:feedback_id>/convert", methods=["POST"])
@policy.roles(*MODERATORS)
def convert(feedback_id: int):
    feedback = _feedback_or_404(feedback_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        case = services.convert_to_concern(feedback, _me())
    except InvalidInput as refused:
        _refused(ActionForm(), refused)
        return redirect(url_for("moderation.item", feedback_id=feedback.id))
    db.session.commit()
    flash(_("Opened case %(reference)s.", reference=case.reference), "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/moderation/<int:feedback_id>/split", methods=["POST"])
@policy.roles(*MODERATORS)
def split(feedback_id: int):
    feedback = _feedback_or_404(feedback_id)
    form = SplitForm()
    if form.validate_on_submit():
        try:
            compliment, case = services.split(
                feedback, _me(), compliment_text=form.compliment_text.data, concern_text=form.concern_text.data
            )
        except InvalidInput as refused:
            _refused(form, refused)
        else:
            db.session.commit()
            flash(
                _(
                    "Split: case %(case)s opened; the compliment %(reference)s is waiting below.",
                    case=case.reference,
                    reference=compliment.reference,
                ),
                "success",
            )
            return redirect(url_for("moderation.item", feedback_id=compliment.id))
    return _render_item(feedback, split_form=form, status=422)
