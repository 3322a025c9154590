"""Pages of peer recognition. Thin: parse the request, ask the policy and the services, render."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker import policy
from tracker.awards.decisions import wall_honourees
from tracker.directory import search_people
from tracker.extensions import db
from tracker.models import Department, Person, Recognition, Role, Standard
from tracker.profile.forms import WallPreferenceForm
from tracker.recognitions import bp, queries, services
from tracker.recognitions.forms import (
    AcknowledgeForm,
    ApproveForm,
    RecognitionForm,
    ReplyForm,
    ReturnForm,
    WallFilterForm,
)
from tracker.validation import InvalidInput

SEARCH_RESULTS = 20


def show_errors(form, error: InvalidInput) -> None:
    """Put a service's refusal next to the fields it names; the rest goes to the top of the form."""
    for name, messages in error.fields.items():
        if name in form:
            form[name].errors = list(form[name].errors) + list(messages)
        else:
            form.form_errors.extend(messages)


def page_number() -> int:
    """``?page=`` as a number of at least 1; anything else is the first page."""
    return max(request.args.get("page", 1, type=int), 1)


def chosen_people(values: list[str]) -> list[Person]:
    ids = [int(value) for value in values if str(value).isdigit() and int(value) <= services.MAX_ID]
    if not ids:
        return []
    people = db.session.scalars(
        sa.select(Person)
        .where(Person.id.in_(ids), Person.active.is_(True))
        .options(sa.orm.selectinload(Person.department))
    ).all()
    return sorted(people, key=lambda person: person.name)


def unit_choices(empty_label: str) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [SelectChoice(unit.slug, unit.name) for unit in queries.active_units()]


def recognition_or_404(recognition_id: int) -> Recognition:
    """Out of scope answers exactly like missing, so ids reveal nothing."""
    recognition = db.session.get(Recognition, recognition_id)
    if recognition is None or not policy.may_view_recognition(current_user, recognition):
        abort(404)
    return recognition


@bp.route("/recognitions/new", methods=["GET", "POST"])
@policy.signed_in
def new():
    form = RecognitionForm()
    form.unit.choices = unit_choices(_("No team"))
    found: list[Person] = []
    if request.method == "POST" and form.find.data:
        if form.people_query.data and form.people_query.data.strip():
            found, _total = search_people(form.people_query.data, limit=SEARCH_RESULTS)
            found = [person for person in found if person.id != current_user.id]
            if not found:
                form.people_query.errors = [_("Nobody in the directory matches that. Try part of a name.")]
        else:
            form.people_query.errors = [_("Type part of a name, then choose Find.")]
    elif form.validate_on_submit():
        try:
            recognition = services.create_peer_recognition(
                current_user,
                recipient_ids=form.recipients.data or [],
                unit_slug=form.unit.data or None,
                standard_keys=form.standards.data or [],
                behavior_keys=form.behaviors.data or [],
                message=form.message.data or "",
                visibility=form.visibility.data or "",
                submission_key=form.submission_key.data or None,
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            if recognition.status == "pending":
                flash(_("Thank you! Your recognition will appear once a manager has approved it."), "success")
            else:
                flash(_("Thank you! Your recognition has been sent."), "success")
            return redirect(url_for("recognitions.detail", recognition_id=recognition.id))
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(16)
    chosen = chosen_people(form.recipients.data or [])
    chosen_ids = {person.id for person in chosen}
    return render_template(
        "recognitions/new.html",
        form=form,
        chosen=chosen,
        found=[person for person in found if person.id not in chosen_ids],
        standards=queries.active_standards(),
    )


@bp.route("/recognitions/<int:recognition_id>")
@policy.signed_in
def detail(recognition_id: int):
    recognition = recognition_or_404(recognition_id)
    return render_template(
        "recognitions/detail.html",
        recognition=recognition,
        reply_form=ReplyForm() if policy.may_reply(current_user, recognition) else None,
        acknowledge_form=(
            AcknowledgeForm()
            if recognition.acknowledged_at is None and policy.may_acknowledge(current_user, recognition)
            else None
        ),
        review_forms=(
            (ApproveForm(), ReturnForm()) if policy.may_review_recognition(current_user, recognition) else None
        ),
        original_feedback_url=original_feedback_url(recognition),
    )


def original_feedback_url(recognition: Recognition) -> str | None:
    """Advocates can go from a patient compliment back to the words as the patient wrote them."""
    if recognition.feedback_id is None or not policy.may_moderate(current_user):
        return None
    return url_for("moderation.item", feedback_id=recognition.feedback_id)


def render_detail_with(recognition: Recognition, status: int = 422, **forms):
    """Re-show the page with a refused form and its messages."""
    context = {
        "recognition": recognition,
        "reply_form": ReplyForm() if policy.may_reply(current_user, recognition) else None,
        "acknowledge_form": AcknowledgeForm() if policy.may_acknowledge(current_user, recognition) else None,
        "review_forms": None,
        "original_feedback_url": original_feedback_url(recognition),
    }
    context.update(forms)
    return render_template("recognitions/detail.html", **context), status


@bp.route("/recognitions/<int:recognition_id>/reply", methods=["POST"])
@policy.signed_in
def reply(recognition_id: int):
    recognition = recognition_or_404(recognition_id)
    if not policy.may_reply(current_user, recognition):
        abort(403)
    form = ReplyForm()
    try:
        services.add_reply(current_user, recognition, form.message.data or "")
    except InvalidInput as error:
        show_errors(form, error)
        return render_detail_with(recognition, reply_form=form)
    db.session.commit()
    flash(_("Your thank-you has been sent."), "success")
    return redirect(url_for("recognitions.detail", recognition_id=recognition.id, _anchor="replies"))


@bp.route("/recognitions/<int:recognition_id>/acknowledge", methods=["POST"])
@policy.signed_in
def acknowledge(recognition_id: int):
    recognition = recognition_or_404(recognition_id)
    if not policy.may_acknowledge(current_user, recognition):
        abort(403)
    form = AcknowledgeForm()
    try:
        services.acknowledge(current_user, recognition, form.note.data or "")
    except InvalidInput as error:
        show_errors(form, error)
        return render_detail_with(recognition, acknowledge_form=form)
    db.session.commit()
    flash(_("Acknowledged. The people recognised will see your note."), "success")
    # Back to where the form was, not the top of the page: the acknowledgement now stands there.
    return redirect(url_for("recognitions.detail", recognition_id=recognition.id, _anchor="acknowledged"))


@bp.route("/recognitions/approvals")
@policy.roles(Role.MANAGER, Role.ADMIN)
def approvals():
    items, total = queries.approval_queue(current_user, page_number())
    return render_template(
        "recognitions/approvals.html",
        items=items,
        total=total,
        page=page_number(),
        per_page=queries.PER_PAGE,
        approve_form=ApproveForm(),
        return_form=ReturnForm(),
    )


def reviewable_or_404(recognition_id: int) -> Recognition:
    recognition = recognition_or_404(recognition_id)
    if not policy.may_review_recognition(current_user, recognition):
        abort(404)
    return recognition


@bp.route("/recognitions/<int:recognition_id>/approve", methods=["POST"])
@policy.roles(Role.MANAGER, Role.ADMIN)
def approve(recognition_id: int):
    recognition = reviewable_or_404(recognition_id)
    services.approve(current_user, recognition)
    db.session.commit()
    flash(_("Published. The people recognised and their managers have been told."), "success")
    return redirect(url_for("recognitions.approvals"))


@bp.route("/recognitions/<int:recognition_id>/return", methods=["POST"])
@policy.roles(Role.MANAGER, Role.ADMIN)
def return_to_giver(recognition_id: int):
    recognition = reviewable_or_404(recognition_id)
    form = ReturnForm()
    try:
        services.return_to_giver(current_user, recognition, form.reason.data or "")
    except InvalidInput as error:
        show_errors(form, error)
        return render_detail_with(recognition, review_forms=(ApproveForm(), form))
    db.session.commit()
    flash(_("Returned to the giver with your reason."), "success")
    return redirect(url_for("recognitions.approvals"))


@bp.route("/me/recognitions")
@policy.signed_in
def mine():
    tab = "given" if request.args.get("tab") == "given" else "received"
    page = page_number()
    items, total = (queries.given if tab == "given" else queries.received)(current_user, page)
    return render_template(
        "recognitions/mine.html",
        tab=tab,
        items=items,
        total=total,
        page=page,
        per_page=queries.PER_PAGE,
        counts=queries.received_by_standard(current_user),
        preference_form=WallPreferenceForm(show_on_walls=current_user.show_on_walls),
    )


@bp.route("/wall")
@policy.signed_in
def wall():
    form = WallFilterForm(request.args)
    form.unit.choices = unit_choices(_("All units"))
    form.standard.choices = [SelectChoice("", _("All standards"))] + [
        SelectChoice(standard.key, standard.name) for standard in queries.active_standards()
    ]
    filters = queries.RecognitionFilters(page=page_number())
    if form.unit.data:
        filters.department = db.session.scalar(sa.select(Department).where(Department.slug == form.unit.data))
        if filters.department is None:
            form.unit.errors = [_("There is no such unit.")]
    if form.standard.data:
        filters.standard = db.session.scalar(sa.select(Standard).where(Standard.key == form.standard.data))
        if filters.standard is None:
            form.standard.errors = [_("There is no such standard.")]
    items, total = ([], 0) if form.unit.errors or form.standard.errors else queries.wall(filters)
    return render_template(
        "recognitions/wall.html",
        form=form,
        items=items,
        total=total,
        page=filters.page,
        per_page=filters.per_page,
        honourees=wall_honourees(filters.department) if filters.page == 1 else [],
    )


@bp.route("/wall/display/<slug>")
@policy.signed_in
def display(slug: str):
    unit = db.session.scalar(sa.select(Department).where(Department.slug == slug, Department.active.is_(True)))
    if unit is None:
        abort(404)
    return render_template(
        "recognitions/display.html", unit=unit, stories=queries.display_stories(unit), honourees=wall_honourees(unit)
    )
