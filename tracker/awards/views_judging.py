"""Judging: a judge's assigned nominations, only ever as the blinded copy and a number."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from tracker import policy
from tracker.awards import bp, committee, scoring
from tracker.awards.forms import ConflictForm, score_form
from tracker.extensions import db
from tracker.validation import InvalidInput

judges = policy.roles(*policy.JUDGES)


def _assignment(assignment_id: int):
    return scoring.assignment_for(policy.current_person(), assignment_id) or abort(404)


def scores_from_form(form, criteria) -> tuple[dict, dict]:
    scores = {criterion.id: form[f"score_{criterion.id}"].data for criterion in criteria}
    comments = {criterion.id: form[f"comment_{criterion.id}"].data for criterion in criteria}
    return scores, comments


def _page(assignment, form=None, conflict_form=None, status=200):
    criteria = assignment.nomination.cycle.programme.criteria
    return render_template(
        "judging/assignment.html",
        assignment=assignment,
        nomination=assignment.nomination,
        criteria=criteria,
        form=form or score_form(criteria, formdata=None),
        conflict_form=conflict_form or ConflictForm(formdata=None),
        others=scoring.other_totals(assignment),
        own_total=scoring.weighted_total(assignment) if assignment.submitted_at else None,
    ), status


@bp.route("/judging")
@judges
def judging_index():
    return render_template("judging/index.html", assignments=scoring.assignments_of(policy.current_person()))


@bp.route("/judging/<int:assignment_id>", methods=["GET", "POST"])
@judges
def judging_assignment(assignment_id: int):
    assignment = _assignment(assignment_id)
    criteria = assignment.nomination.cycle.programme.criteria
    form = score_form(criteria)
    if not form.is_submitted():
        return _page(assignment)
    if not form.validate():
        return _page(assignment, form=form, status=400)
    scores, comments = scores_from_form(form, criteria)
    try:
        scoring.submit(assignment, scores, comments, form.comment.data)
        db.session.commit()
    except scoring.AlreadyScored:
        db.session.rollback()
        flash(_("You have already scored this nomination."), "warning")
        return redirect(url_for("awards.judging_assignment", assignment_id=assignment_id))
    except IntegrityError:
        db.session.rollback()
        flash(_("You have already scored this nomination."), "warning")
        return redirect(url_for("awards.judging_assignment", assignment_id=assignment_id))
    except InvalidInput as refused:
        db.session.rollback()
        for name, messages in refused.fields.items():
            field = form._fields.get(name)
            if field is not None:
                field.errors = list(field.errors) + list(messages)
            else:
                form.comment.errors = list(form.comment.errors) + list(messages)
        return _page(_assignment(assignment_id), form=form, status=422)
    flash(_("Your scores are saved. Thank you."), "success")
    return redirect(url_for("awards.judging_assignment", assignment_id=assignment_id))


@bp.route("/judging/<int:assignment_id>/conflict", methods=["POST"])
@judges
def declare_conflict(assignment_id: int):
    assignment = _assignment(assignment_id)
    form = ConflictForm()
    if not form.validate():
        return _page(assignment, conflict_form=form, status=400)
    try:
        committee.declare_conflict(assignment, form.reason.data)
    except InvalidInput as refused:
        db.session.rollback()
        form.reason.errors = [message for messages in refused.fields.values() for message in messages]
        return _page(_assignment(assignment_id), conflict_form=form, status=422)
    db.session.commit()
    flash(_("Thank you. This nomination is no longer yours to judge."), "success")
    return redirect(url_for("awards.judging_index"))
