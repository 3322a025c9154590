"""Public award pages: programmes, the nomination form (no account needed), honour rolls, certificates."""

from __future__ import annotations

import secrets

from flask import abort, current_app, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from tracker import policy
from tracker.awards import bp, decisions, nominations, programmes
from tracker.awards.forms import NominationForm
from tracker.extensions import db, limiter
from tracker.feedback import services as feedback_services  # the module: feedback imports this package back
from tracker.feedback import spam
from tracker.models import Nomination
from tracker.validation import InvalidInput

# Service argument names that the form shows under another field.
FIELD_FOR_ARGUMENT = {"team_slug": "unit_slug", "programme": "story"}


def _public_form_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_FORM"]


def _staff_nominator():
    """The signed-in member of staff nominating, or ``None`` for the public form."""
    if current_user.is_authenticated and policy.is_staff(current_user):
        return current_user._get_current_object()
    return None


@bp.route("/awards")
@policy.public
def index():
    return render_template("awards/index.html", programmes=programmes.public_programmes())


@bp.route("/awards/<slug>")
@policy.public
def honour_roll(slug: str):
    programme = programmes.programme_by_slug(slug) or abort(404)
    return render_template(
        "awards/honour_roll.html",
        programme=programme,
        cycle=programmes.open_cycle(programme),
        honourees=decisions.honour_roll(programme),
    )


@bp.route("/awards/<slug>/nominate", methods=["GET", "POST"])
@policy.public
@limiter.limit(_public_form_limit, methods=["POST"])
def nominate(slug: str):
    programme = programmes.programme_by_slug(slug) or abort(404)
    cycle = programmes.open_cycle(programme)
    nominator = _staff_nominator()
    form = NominationForm()
    if not form.submission_key.data:
        form.submission_key.data = secrets.token_urlsafe(16)
    form.unit_slug.choices = [SelectChoice("", _("I am not sure"))] + [
        SelectChoice(unit.slug, unit.name) for unit in feedback_services.public_units()
    ]
    form.criteria.choices = [SelectChoice(str(c.id), c.name) for c in programme.criteria]
    if form.is_submitted() and cycle is not None:
        if form.website.data:
            form.website.errors = [_("Please leave this field empty.")]
        elif nominator is None and spam.filled_too_fast(form.started.data):
            form.story.errors = [_("That was very quick. Please check what you wrote, then send it again.")]
        elif form.validate():
            try:
                nomination = nominations.submit_nomination(
                    programme,
                    story=form.story.data,
                    nominee_name=form.nominee_name.data,
                    unit_slug=None if form.whole_team.data else (form.unit_slug.data or None),
                    team_slug=(form.unit_slug.data or "-") if form.whole_team.data else None,
                    criterion_ids=form.criteria.data or [],
                    nominator=nominator,
                    relation=form.relation.data or None,
                    contact_name=form.contact_name.data,
                    contact_email=form.contact_email.data,
                    contact_phone=form.contact_phone.data,
                    language=str(get_locale()),
                    consent=form.consent.data,
                    submission_key=form.submission_key.data or None,
                )
            except InvalidInput as refused:
                db.session.rollback()
                for name, messages in refused.fields.items():
                    target = form._fields.get(FIELD_FOR_ARGUMENT.get(name, name), form.story)
                    target.errors = list(target.errors) + list(messages)
            else:
                db.session.commit()
                session["nomination_reference"] = nomination.reference
                return redirect(url_for("awards.nominated", slug=programme.slug))
    if spam.seconds_since_started(form.started.data) is None:
        form.started.data = spam.issue_started_token()
    return render_template(
        "awards/nominate.html", programme=programme, cycle=cycle, form=form, staff=nominator is not None
    ), (422 if form.errors else 200)


@bp.route("/awards/<slug>/nominate/thanks")
@policy.public
def nominated(slug: str):
    programme = programmes.programme_by_slug(slug) or abort(404)
    reference = session.get("nomination_reference")
    if not reference:
        return redirect(url_for("awards.nominate", slug=programme.slug))
    return render_template("awards/nominated.html", programme=programme, reference=reference)


@bp.route("/awards/honourees/<int:nomination_id>/certificate")
@policy.signed_in
def certificate(nomination_id: int):
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or not decisions.may_see_certificate(current_user, nomination):
        abort(404)
    return render_template("awards/certificate.html", nomination=nomination)
