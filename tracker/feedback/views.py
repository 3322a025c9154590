"""The public feedback form, its confirmation, the unit posters, and staff entry of cards and letters."""

from __future__ import annotations

import io
import secrets

import segno
from flask import Response, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker import policy
from tracker.database import reads_only
from tracker.extensions import db, limiter
from tracker.feedback import bp, spam
from tracker.feedback.forms import FeedbackForm, FeedbackQuestions, StaffFeedbackForm
from tracker.feedback.services import (
    feedback_errors,
    find_place,
    patient_facing_places,
    patient_questions,
    public_units,
    standard_keys_for_behaviors,
    submit_feedback,
)
from tracker.feedback.urgent import confirmation, urgent_help
from tracker.i18n import LANGUAGE_NAMES
from tracker.models import Role, Source
from tracker.validation import InvalidInput

# Service argument names that a form shows under a differently named field.
FIELD_FOR_ARGUMENT = {"standard_keys": "behaviors"}


def _public_form_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_FORM"]


def _place_choices() -> list[SelectChoice]:
    """The places patients can name, in an ``optgroup`` per building or service."""
    return [SelectChoice("", _("I am not sure"))] + [
        SelectChoice(place.slug, place.name, optgroup=place.parent.name if place.parent else None)
        for place in patient_facing_places()
    ]


def _unit_choices() -> list[SelectChoice]:
    """Staff transcribing a letter keep every unit: the writer may name any of them."""
    return [SelectChoice("", _("I am not sure"))] + [SelectChoice(unit.slug, unit.name) for unit in public_units()]


def _prepare(form: FeedbackQuestions, locale: str, unit_choices: list[SelectChoice]) -> list:
    """Fill the choices that come from the database; return the plain-language questions."""
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(16)
    form.unit_slug.choices = unit_choices
    questions = patient_questions()
    form.behaviors.choices = [SelectChoice(b.key, b.translated("patient_prompt", locale)) for b in questions]
    return questions


def _arguments(form: FeedbackQuestions) -> dict:
    return {
        "type": form.type.data,
        "message": form.message.data,
        "staff_names": form.staff_names.data,
        "unit_slug": form.unit_slug.data or None,
        "language": str(get_locale()),
        "consent_to_share": form.consent_to_share.data,
        "consent_to_wall": form.consent_to_wall.data,
        "contact_name": form.contact_name.data,
        "contact_email": form.contact_email.data,
        "contact_phone": form.contact_phone.data,
        "relation": form.relation.data or None,
        "occurred_on": form.occurred_on.data,
        "occurred_when": form.occurred_when.data,
        "location_text": form.location_text.data,
        "standard_keys": standard_keys_for_behaviors(form.behaviors.data or []),
    }


def _show_errors(form: FeedbackQuestions, errors: dict[str, list[str]]) -> None:
    for argument, messages in errors.items():
        name = FIELD_FOR_ARGUMENT.get(argument, argument)
        target = form._fields.get(name, form.message)
        target.errors = list(target.errors) + [m for m in messages if m not in target.errors]


def _answers_accepted(form: FeedbackQuestions, **extra) -> bool:
    """Check the answers against the form and the service's rules, showing every message by its field."""
    valid = form.validate()
    errors = feedback_errors(**_arguments(form), **extra)
    _show_errors(form, errors)
    return valid and not errors


def _store(form: FeedbackQuestions, **extra):
    """Hand checked answers to the service; on refusal, show every message by its field."""
    try:
        return submit_feedback(**_arguments(form), submission_key=form.submission_key.data or None, **extra)
    except InvalidInput as refused:
        db.session.rollback()
        _show_errors(form, refused.fields)
        return None


@bp.route("/feedback", methods=["GET", "POST"])
@bp.route("/feedback/<unit_slug>", methods=["GET", "POST"])
@policy.public
@limiter.limit(_public_form_limit, methods=["POST"])
def form(unit_slug: str | None = None):
    # An address naming no place patients can choose (an old poster, a mistyped link) still
    # gets the form, with a note and nothing chosen, so the person can tell us where they were.
    unit = find_place(unit_slug)
    place_not_found = bool(unit_slug) and unit is None
    locale = str(get_locale())
    feedback_form = FeedbackForm()
    questions = _prepare(feedback_form, locale, _place_choices())
    if feedback_form.is_submitted():
        # Missing answers are reported before the timing check: a person who sends an empty form
        # at once needs to hear what is missing. Nothing is stored until the timing check passes.
        if feedback_form.website.data:
            feedback_form.website.errors = [_("Please leave this field empty.")]
        elif _answers_accepted(feedback_form, source=Source.PATIENT):
            if spam.filled_too_fast(feedback_form.started.data):
                feedback_form.message.errors = [
                    _("That was very quick. Please check what you wrote, then send it again.")
                ]
            elif (feedback := _store(feedback_form, source=Source.PATIENT)) is not None:
                db.session.commit()
                session["feedback_reference"] = feedback.reference
                return redirect(url_for("feedback.thanks"))
    elif not feedback_form.is_submitted() and unit is not None:
        feedback_form.unit_slug.data = unit.slug
    if spam.seconds_since_started(feedback_form.started.data) is None:
        # Keep the first time stamp when the form comes back with a message: someone who only
        # ticks the box they missed and sends again at once is not a bot.
        feedback_form.started.data = spam.issue_started_token()
    page = render_template(
        "feedback/form.html",
        form=feedback_form,
        unit=unit,
        place_not_found=place_not_found,
        questions=questions,
        urgent=urgent_help(),
    )
    if feedback_form.errors:
        return page, 422
    return page, 404 if place_not_found else 200


@bp.route("/feedback/thanks")
@policy.public
@reads_only
def thanks():
    sent = confirmation(session.get("feedback_reference") or "")
    if sent is None:
        return redirect(url_for("feedback.form"))
    return render_template("feedback/thanks.html", sent=sent, urgent=urgent_help())


@bp.route("/feedback/enter", methods=["GET", "POST"])
@policy.signed_in
def enter():
    """Staff transcribe a comment card, letter, e-mail or phone call so it joins moderation."""
    entry_form = StaffFeedbackForm()
    _prepare(entry_form, str(get_locale()), _unit_choices())
    if entry_form.is_submitted():
        extra = {"source": entry_form.source.data, "entered_by": current_user._get_current_object()}
        feedback = _store(entry_form, **extra) if _answers_accepted(entry_form, **extra) else None
        if feedback is not None:
            db.session.commit()
            flash(
                _("Saved as %(reference)s. Patient experience will review it.", reference=feedback.reference), "success"
            )
            if current_user.has_role(Role.ADVOCATE, Role.ADMIN):
                return redirect(url_for("moderation.queue"))
            return redirect(url_for("feedback.enter"))
    return render_template("feedback/enter.html", form=entry_form)


def _unit_form_url(unit) -> str:
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return base + url_for("feedback.form", unit_slug=unit.slug)


@bp.route("/units/<unit_slug>/poster")
@policy.public
def poster(unit_slug: str):
    """A printable Letter/A4 poster: the unit's name, a QR code to its form, the invitation in every language.

    Only for places patients can choose: the code leads to a form with the place already chosen.
    """
    unit = find_place(unit_slug) or abort(404)
    invitations = []
    for code in current_app.config["LANGUAGES"]:
        with force_locale(code):
            invitations.append(
                {
                    "lang": code.replace("_", "-"),
                    "language": LANGUAGE_NAMES.get(code, code),
                    "heading": _("Tell us about your care"),
                    "text": _(
                        "Scan the code with your phone camera to thank someone or tell us what we could do better. "
                        "No account needed. Free interpreter help is available."
                    ),
                }
            )
    return render_template("feedback/poster.html", unit=unit, invitations=invitations, form_url=_unit_form_url(unit))


@bp.route("/units/<unit_slug>/poster.svg")
@policy.public
def poster_code(unit_slug: str):
    unit = find_place(unit_slug) or abort(404)
    svg = io.BytesIO()
    segno.make(_unit_form_url(unit), error="m").save(svg, kind="svg", scale=10, border=2, title=unit.name)
    return Response(svg.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})
