"""The case list, one case with its history, and its printable resolution letter."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from tracker import audit, policy
from tracker import exports as csv_export
from tracker.cases import bp, services
from tracker.cases.forms import AssignForm, LetterEmailForm, NoteForm, ResolutionForm, StatusForm
from tracker.database import reads_only
from tracker.exports import csv_lines
from tracker.extensions import db
from tracker.feedback.services import hospital_today
from tracker.models import Case, CaseStatus, Person
from tracker.validation import InvalidInput

PER_PAGE = 50


def _me() -> Person:
    return current_user._get_current_object()


def _case_or_404(case_id: int) -> Case:
    return db.session.get(Case, case_id) or abort(404)


@bp.route("/cases")
@policy.roles(*policy.CASE_WORKERS)
def index():
    include_resolved = request.args.get("show") == "all"
    today = hospital_today()
    statement = services.case_list_statement(include_resolved=include_resolved, today=today)
    rows = db.session.execute(statement.limit(PER_PAGE + 1).offset(_offset())).all()
    audit.record("case.list_viewed", "case", "", show="all" if include_resolved else "open")
    db.session.commit()
    return render_template(
        "cases/index.html",
        rows=[(case, overdue, services.topic(case)) for case, overdue in rows[:PER_PAGE]],
        has_more=len(rows) > PER_PAGE,
        page=request.args.get("page", 1, type=int),
        include_resolved=include_resolved,
        status_labels=services.STATUS_LABELS,
    )


@bp.get("/cases/export.csv")
@policy.roles(*policy.CASE_WORKERS)
@reads_only
def export():
    """The list as a CSV file, open cases or (``show=all``) every case; audited once the file was sent."""
    show = request.args.get("show") or "open"
    if show not in ("open", "all"):
        abort(400)
    rows = services.export_rows(include_resolved=show == "all", today=hospital_today())
    lines = audit.after_streaming(
        csv_lines(services.EXPORT_COLUMNS, rows), "case.exported", "case.export_interrupted", "case", show=show
    )
    return csv_export.response("cases", lines)


def _offset() -> int:
    return (max(request.args.get("page", 1, type=int), 1) - 1) * PER_PAGE


def _render_case(case: Case, *, note_form=None, resolution_form=None, assign_form=None, letter_form=None, status=200):
    me = _me()
    services.record_view(case, me)
    feedback = case.feedback
    shows_contact = bool(
        feedback
        and policy.may_see_contact_details(me)
        and any((feedback.contact_name, feedback.contact_email, feedback.contact_phone))
    )
    if shows_contact:
        audit.record("feedback.contact_viewed", "feedback", feedback.id, case=case.id)
    db.session.commit()
    if assign_form is None:
        assign_form = AssignForm(formdata=None, assignee_id=case.assignee_id or 0)
    assign_form.assignee_id.choices = [SelectChoice(0, _("Nobody yet"))] + [
        SelectChoice(p.id, services.case_worker_label(p)) for p in services.case_workers()
    ]
    page = render_template(
        "cases/detail.html",
        case=case,
        status_labels=services.STATUS_LABELS,
        feedback=feedback,
        shows_contact=shows_contact,
        overdue=services.is_overdue(case, hospital_today()),
        assign_form=assign_form,
        note_form=note_form or NoteForm(formdata=None),
        resolution_form=resolution_form or ResolutionForm(formdata=None),
        status_form=StatusForm(formdata=None),
        letter_form=letter_form or LetterEmailForm(formdata=None),
        letter_delivery=services.letter_delivery(case),
        may_email_letter=services.may_email_letter(case),
        letter_language=services.letter_email_language(case),
    )
    return page, status


@bp.route("/cases/<int:case_id>")
@policy.roles(*policy.CASE_WORKERS)
def detail(case_id: int):
    return _render_case(_case_or_404(case_id))


def _refused(form, refused: InvalidInput) -> None:
    db.session.rollback()
    for name, messages in refused.fields.items():
        if name in form:
            form[name].errors = list(form[name].errors) + list(messages)
        else:
            flash(" ".join(messages), "danger")


def _saved(case: Case, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("cases.detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/assign", methods=["POST"])
@policy.roles(*policy.CASE_WORKERS)
def assign(case_id: int):
    case = _case_or_404(case_id)
    form = AssignForm()
    if form.validate_on_submit():
        try:
            services.assign(case, _me(), form.assignee_id.data or None)
        except InvalidInput as refused:
            _refused(form, refused)
        else:
            return _saved(case, _("Assignment saved."))
    return _render_case(case, assign_form=form, status=422)


@bp.route("/cases/<int:case_id>/notes", methods=["POST"])
@policy.roles(*policy.CASE_WORKERS)
def add_note(case_id: int):
    case = _case_or_404(case_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(case, _me(), form.note.data)
        except InvalidInput as refused:
            _refused(form, refused)
        else:
            return _saved(case, _("Note added."))
    return _render_case(case, note_form=form, status=422)


@bp.route("/cases/<int:case_id>/status", methods=["POST"])
@policy.roles(*policy.CASE_WORKERS)
def change_status(case_id: int):
    case = _case_or_404(case_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.change_status(case, _me(), form.status.data or "")
    except InvalidInput as refused:
        _refused(form, refused)
        return redirect(url_for("cases.detail", case_id=case.id))
    return _saved(case, _("Status changed."))


@bp.route("/cases/<int:case_id>/resolve", methods=["POST"])
@policy.roles(*policy.CASE_WORKERS)
def resolve(case_id: int):
    case = _case_or_404(case_id)
    form = ResolutionForm()
    if form.validate_on_submit():
        try:
            services.resolve(
                case,
                _me(),
                contact=form.resolution_contact.data,
                steps=form.resolution_steps.data,
                outcome=form.resolution_outcome.data,
                completed_on=form.resolution_completed_on.data,
            )
        except InvalidInput as refused:
            _refused(form, refused)
        else:
            return _saved(case, _("Case resolved. The resolution letter is ready to print."))
    return _render_case(case, resolution_form=form, status=422)


@bp.route("/cases/<int:case_id>/letter/email", methods=["POST"])
@policy.roles(*policy.CASE_WORKERS)
def email_letter(case_id: int):
    """The advocate sends the resolution letter to the patient's e-mail address, after confirming it."""
    case = _case_or_404(case_id)
    form = LetterEmailForm()
    if form.validate_on_submit():
        try:
            services.email_letter(case, _me(), confirmed=bool(form.confirm.data))
        except InvalidInput as refused:
            _refused(form, refused)
        else:
            return _saved(case, _("The letter is queued and goes out by e-mail within minutes."))
    return _render_case(case, letter_form=form, status=422)


@bp.route("/cases/<int:case_id>/letter")
@policy.roles(*policy.CASE_WORKERS)
def letter(case_id: int):
    """The written response to the patient, ready to print, once the case is resolved."""
    case = _case_or_404(case_id)
    if case.status != CaseStatus.RESOLVED:
        abort(404)
    services.record_view(case, _me(), what="letter_viewed")
    db.session.commit()
    # The letter speaks the language the patient wrote in; the advocate can switch it to their own.
    languages = current_app.config["LANGUAGES"]
    feedback = case.feedback
    written_in = services.letter_language(case)
    staff_language = str(get_locale())
    requested = request.args.get("language")
    language = requested if requested in languages else (written_in or staff_language)
    # Only the letter itself: the page around it (title, links, print button) stays in the reader's.
    with force_locale(language):
        body = render_template("cases/_letter_body.html", case=case, feedback=feedback, for_email=False)
    body = Markup(body)  # noqa: S704 -- our own template, every value in it escaped as it was rendered
    return render_template(
        "cases/letter.html",
        case=case,
        body=body,
        language=language,
        written_in=written_in,
        staff_language=staff_language,
    )
