"""The coordinator's pages: programmes, criteria, committees, cycles, blinding, leaderboard, decisions, exports."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from tracker import policy
from tracker.awards import blinding, bp, committee, decisions, exports, nominations, programmes, scoring
from tracker.awards.forms import (
    BlindForm,
    CommitteeForm,
    ConvertForm,
    CriterionForm,
    CycleForm,
    DecisionForm,
    FulfilmentForm,
    PhaseForm,
    ProgrammeForm,
    ShortlistForm,
)
from tracker.extensions import db
from tracker.models import AwardCycle, CommitteeMember, Department, Feedback, Nomination, Person, Recognition
from tracker.validation import InvalidInput

coordinators = policy.roles(*policy.AWARD_COORDINATORS)


def _show(form, refused: InvalidInput) -> None:
    """Put each refusal next to its field, or at the top of the page when no field fits."""
    db.session.rollback()
    for name, messages in refused.fields.items():
        field = form._fields.get(name) if form is not None else None
        if field is not None:
            field.errors = list(field.errors) + list(messages)
        else:
            for message in messages:
                flash(message, "danger")


def _programme(slug: str):
    return programmes.programme_by_slug(slug, active_only=False) or abort(404)


def _cycle(cycle_id: int) -> AwardCycle:
    return db.session.get(AwardCycle, cycle_id) or abort(404)


def _nomination(nomination_id: int) -> Nomination:
    return db.session.get(Nomination, nomination_id) or abort(404)


def _department_choices():
    departments = db.session.scalars(sa.select(Department).where(Department.active.is_(True)).order_by(Department.path))
    return [SelectChoice("", _("Every department"))] + [SelectChoice(d.slug, d.name) for d in departments]


@bp.route("/awards/manage", methods=["GET", "POST"])
@coordinators
def manage():
    form = ProgrammeForm()
    form.department_slug.choices = _department_choices()
    if form.is_submitted():
        try:
            programme = programmes.create_programme(
                name=form.name.data,
                slug=form.slug.data,
                description=form.description.data,
                job_families=(form.job_families.data or "").split(","),
                department_slug=form.department_slug.data or None,
                honourees_per_cycle=form.honourees_per_cycle.data or form.honourees_per_cycle.raw_data,
                judges_per_nomination=form.judges_per_nomination.data or form.judges_per_nomination.raw_data,
            )
        except InvalidInput as refused:
            _show(form, refused)
        else:
            db.session.commit()
            flash(_("The programme is saved."), "success")
            return redirect(url_for("awards.programme", slug=programme.slug))
    return render_template("awards/manage.html", programmes=programmes.all_programmes(), form=form)


def _programme_page(programme, criterion_form=None, committee_form=None, cycle_form=None, status=200):
    return render_template(
        "awards/programme.html",
        programme=programme,
        criterion_form=criterion_form or CriterionForm(formdata=None),
        committee_form=committee_form or CommitteeForm(formdata=None),
        cycle_form=cycle_form or CycleForm(formdata=None),
        remove_form=PhaseForm(formdata=None),
        phase_labels=programmes.PHASE_LABELS,
    ), status


@bp.route("/awards/manage/<slug>")
@coordinators
def programme(slug: str):
    return _programme_page(_programme(slug))


@bp.route("/awards/manage/<slug>/criteria", methods=["POST"])
@coordinators
def add_criterion(slug: str):
    programme, form = _programme(slug), CriterionForm()
    try:
        programmes.add_criterion(
            programme,
            name=form.name.data,
            description=form.description.data,
            labels=form.labels(),
            weight=form.weight.data,
            required=form.required.data,
        )
    except InvalidInput as refused:
        _show(form, refused)
        return _programme_page(_programme(slug), criterion_form=form, status=422)
    db.session.commit()
    flash(_("The criterion is saved."), "success")
    return redirect(url_for("awards.programme", slug=slug))


@bp.route("/awards/manage/<slug>/committee", methods=["POST"])
@coordinators
def add_judge(slug: str):
    programme, form = _programme(slug), CommitteeForm()
    try:
        committee.add_member(programme, form.email.data)
    except InvalidInput as refused:
        _show(form, refused)
        return _programme_page(_programme(slug), committee_form=form, status=422)
    db.session.commit()
    flash(_("The judge is added to the committee."), "success")
    return redirect(url_for("awards.programme", slug=slug))


@bp.route("/awards/manage/<slug>/committee/<int:member_id>/remove", methods=["POST"])
@coordinators
def remove_judge(slug: str, member_id: int):
    programme = _programme(slug)
    member = db.session.get(CommitteeMember, member_id)
    if member is None or member.programme_id != programme.id or not PhaseForm().validate_on_submit():
        abort(404)
    committee.remove_member(member)
    db.session.commit()
    flash(_("The judge is removed from the committee."), "success")
    return redirect(url_for("awards.programme", slug=slug))


@bp.route("/awards/manage/<slug>/cycles", methods=["POST"])
@coordinators
def add_cycle(slug: str):
    programme, form = _programme(slug), CycleForm()
    form.validate()
    dates = {
        name: form[name].data
        for name in ("nominating_from", "judging_from", "deciding_from", "announced_on", "closes_on")
    }
    try:
        cycle = programmes.create_cycle(programme, name=form.name.data, dates=dates)
    except InvalidInput as refused:
        _show(form, refused)
        return _programme_page(_programme(slug), cycle_form=form, status=422)
    db.session.commit()
    flash(_("The cycle is open for nominations."), "success")
    return redirect(url_for("awards.cycle", cycle_id=cycle.id))


@bp.route("/awards/cycles/<int:cycle_id>")
@coordinators
def cycle(cycle_id: int):
    cycle = _cycle(cycle_id)
    return render_template(
        "awards/cycle.html",
        cycle=cycle,
        next_phase=programmes.next_phase(cycle),
        phase_form=PhaseForm(formdata=None),
        counts=exports.nomination_counts(cycle),
        labels=programmes.PHASE_LABELS,
        decision_labels=decisions.DECISION_LABELS,
        nominator_labels=nominations.NOMINATOR_LABELS,
    )


@bp.route("/awards/cycles/<int:cycle_id>/advance", methods=["POST"])
@coordinators
def advance(cycle_id: int):
    cycle, form = _cycle(cycle_id), PhaseForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        programmes.advance(cycle, form.phase.data)
    except InvalidInput as refused:
        _show(None, refused)
    else:
        db.session.commit()
        flash(_("The cycle is now: %(phase)s.", phase=programmes.PHASE_LABELS[cycle.phase]), "success")
    return redirect(url_for("awards.cycle", cycle_id=cycle_id))


@bp.route("/awards/cycles/<int:cycle_id>/leaderboard")
@coordinators
def leaderboard(cycle_id: int):
    cycle = _cycle(cycle_id)
    return render_template(
        "awards/leaderboard.html",
        cycle=cycle,
        standings=scoring.leaderboard(cycle),
        decision_labels=decisions.DECISION_LABELS,
        shortlist_form=ShortlistForm(formdata=None),
    )


@bp.route("/awards/cycles/<int:cycle_id>/export.csv")
@coordinators
def export_cycle(cycle_id: int):
    cycle = _cycle(cycle_id)
    body = exports.cycle_csv(cycle)
    db.session.commit()
    return Response(
        body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="award-cycle-{cycle.id}.csv"'}
    )


def _nomination_page(nomination, blind_form=None, decision_form=None, status=200):
    return render_template(
        "awards/nomination.html",
        nomination=nomination,
        suggestions=blinding.find_identifiers(nomination, nomination.story),
        nominator_labels=nominations.NOMINATOR_LABELS,
        blind_form=blind_form or BlindForm(formdata=None, blinded_story=blinding.draft(nomination)),
        decision_form=decision_form
        or DecisionForm(formdata=None, decision=nomination.decision, rationale=nomination.rationale),
        shortlist_form=ShortlistForm(formdata=None),
        fulfilment_form=FulfilmentForm(
            formdata=None,
            copy_sent=nomination.copy_sent,
            pin_given=nomination.pin_given,
            celebrated=nomination.celebrated,
        ),
        conflicts=committee.conflicts_of(nomination),
        conflict_labels=committee.CONFLICT_LABELS,
        decision_labels=decisions.DECISION_LABELS,
        weighted_total=scoring.weighted_total,
    ), status


@bp.route("/awards/nominations/<int:nomination_id>")
@coordinators
def nomination(nomination_id: int):
    return _nomination_page(_nomination(nomination_id))


@bp.route("/awards/nominations/<int:nomination_id>/blind", methods=["POST"])
@coordinators
def blind(nomination_id: int):
    nomination, form = _nomination(nomination_id), BlindForm()
    try:
        blinding.approve(nomination, form.blinded_story.data, actor=policy.current_person())
    except InvalidInput as refused:
        _show(form, refused)
        return _nomination_page(_nomination(nomination_id), blind_form=form, status=422)
    db.session.commit()
    flash(_("The blinded copy is approved."), "success")
    return redirect(url_for("awards.cycle", cycle_id=nomination.cycle_id))


@bp.route("/awards/nominations/<int:nomination_id>/shortlist", methods=["POST"])
@coordinators
def shortlist(nomination_id: int):
    nomination, form = _nomination(nomination_id), ShortlistForm()
    try:
        decisions.shortlist(nomination, form.on.data == "1")
    except InvalidInput as refused:
        _show(None, refused)
    else:
        db.session.commit()
    return redirect(
        request.form.get("back") == "leaderboard"
        and url_for("awards.leaderboard", cycle_id=nomination.cycle_id)
        or url_for("awards.nomination", nomination_id=nomination_id)
    )


@bp.route("/awards/nominations/<int:nomination_id>/decide", methods=["POST"])
@coordinators
def decide(nomination_id: int):
    nomination, form = _nomination(nomination_id), DecisionForm()
    try:
        decisions.decide(nomination, form.decision.data, form.rationale.data)
    except InvalidInput as refused:
        _show(form, refused)
        return _nomination_page(_nomination(nomination_id), decision_form=form, status=422)
    db.session.commit()
    flash(_("The decision is recorded. It is applied when the cycle is announced."), "success")
    return redirect(url_for("awards.leaderboard", cycle_id=nomination.cycle_id))


@bp.route("/awards/nominations/<int:nomination_id>/fulfilment", methods=["POST"])
@coordinators
def fulfilment(nomination_id: int):
    nomination, form = _nomination(nomination_id), FulfilmentForm()
    if not form.validate_on_submit():
        abort(400)
    exports.set_fulfilment(nomination, {name for name in exports.FULFILMENT if form[name].data})
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("awards.nomination", nomination_id=nomination_id))


@bp.route("/awards/nominations/<int:nomination_id>/daisy.csv")
@coordinators
def daisy_export(nomination_id: int):
    nomination = _nomination(nomination_id)
    if nomination.outcome is None:
        abort(404)
    body = exports.daisy_csv(nomination, current_app.config["HOSPITAL_NAME"])
    db.session.commit()
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="daisy-{nomination.reference}.csv"'},
    )


@bp.route("/awards/convert/<kind>/<int:record_id>", methods=["GET", "POST"])
@policy.roles(*policy.NOMINATION_MAKERS)
def convert(kind: str, record_id: int):
    """Turn a patient compliment or a recognition into a nomination, its words and source carried over."""
    model = {"feedback": Feedback, "recognition": Recognition}.get(kind) or abort(404)
    record = db.session.get(model, record_id) or abort(404)
    if kind == "recognition" and not policy.may_view_recognition(policy.current_person(), record):
        abort(404)
    form = ConvertForm()
    form.programme.choices = [
        SelectChoice(programme.slug, programme.name)
        for programme, cycle in programmes.public_programmes()
        if cycle is not None
    ]
    if form.is_submitted():
        try:
            programme = programmes.programme_by_slug(form.programme.data or "")
            if programme is None:
                raise InvalidInput.single("programme", _("Please choose a programme taking nominations."))
            nominee = None
            if form.nominee_email.data:
                nominee = db.session.scalar(
                    sa.select(Person).where(Person.email == Person.normalize_email(form.nominee_email.data))
                )
                if nominee is None:
                    raise InvalidInput.single(
                        "nominee_email", _("There is no active account with that e-mail address.")
                    )
            make = nominations.from_feedback if kind == "feedback" else nominations.from_recognition
            made = make(programme, record, nominee)
        except InvalidInput as refused:
            _show(form, refused)
        else:
            db.session.commit()
            flash(_("Nomination %(reference)s is made.", reference=made.reference), "success")
            if policy.may_coordinate_awards(policy.current_person()):
                return redirect(url_for("awards.nomination", nomination_id=made.id))
            return redirect(url_for("awards.index"))
    return render_template("awards/convert.html", form=form, kind=kind, record=record), (422 if form.errors else 200)
