"""Award programmes and judging through the API: nominate, and score blinded nominations."""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tracker import policy
from tracker.api import bp
from tracker.api.award_schemas import (
    AssignmentList,
    AwardList,
    BlindedNomination,
    IdempotencyHeaders,
    NominationIn,
    NominationReceipt,
    ScoreIn,
    ScoreReceipt,
)
from tracker.api.idempotency import Retry
from tracker.api.openapi import operation, refused
from tracker.awards import nominations, programmes, scoring
from tracker.errors import json_error
from tracker.extensions import db, limiter
from tracker.models import JudgeAssignment, Person
from tracker.validation import InvalidInput

FIELD_NAMES = {"unit_slug": "unit", "team_slug": "team", "nominee_name": "nominee_name"}


def _public_form_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_FORM"]


def _criterion(criterion) -> dict:
    return {
        "id": criterion.id,
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "required": criterion.required,
        "scale": list(criterion.scale_labels),
    }


@bp.get("/awards")
@policy.public
@operation(ok={"HTTP_200": AwardList}, tags=["awards"])
def awards():
    """Award programmes and the cycle of each taking nominations now (public fields only)."""
    items = []
    for programme, cycle in programmes.public_programmes():
        items.append(
            {
                "slug": programme.slug,
                "name": programme.name,
                "description": programme.description,
                "job_families": list(programme.job_families or []),
                "department": programme.department.slug if programme.department else None,
                "honourees_per_cycle": programme.honourees_per_cycle,
                "criteria": [_criterion(criterion) for criterion in programme.criteria],
                "open_cycle": None
                if cycle is None
                else {
                    "id": cycle.id,
                    "name": cycle.name,
                    "phase": cycle.phase,
                    "nominating_from": cycle.nominating_from,
                    "judging_from": cycle.judging_from,
                    "announced_on": cycle.announced_on,
                },
            }
        )
    return AwardList(items=items, page=1, per_page=max(len(items), 1), total=len(items))


@bp.post("/awards/<slug>/nominations")
@limiter.limit(_public_form_limit, key_func=get_remote_address, exempt_when=lambda: current_user.is_authenticated)
@policy.public
@operation(
    ok={"HTTP_201": NominationReceipt},
    errors=["HTTP_404", "HTTP_409", "HTTP_422"],
    json=NominationIn,
    headers=IdempotencyHeaders,
    tags=["awards"],
)
def create_nomination(slug: str, json: NominationIn, headers: IdempotencyHeaders):
    """Nominate a person or a team for a programme's open cycle: as signed-in staff, or anonymously."""
    programme = programmes.programme_by_slug(slug)
    if programme is None:
        return json_error(404, "No such award programme.")
    retry = Retry(headers.idempotency_key)
    if (answer := retry.earlier_answer()) is not None:
        return answer
    staff = (
        current_user._get_current_object() if current_user.is_authenticated and policy.is_staff(current_user) else None
    )
    nominee = None
    if json.nominee is not None:
        if staff is None:
            return json_error(
                422, "Some of the input was not valid.", {"nominee": ["Sign in to nominate by person id."]}
            )
        nominee = db.session.get(Person, json.nominee)
        if nominee is None:
            return json_error(422, "Some of the input was not valid.", {"nominee": ["There is no such person."]})
    try:
        nomination = nominations.submit_nomination(
            programme,
            story=json.story,
            nominee_name=json.nominee_name,
            nominee=nominee,
            unit_slug=json.unit,
            team_slug=json.team,
            criterion_ids=json.criteria,
            nominator=staff,
            relation=json.relation.value if json.relation else None,
            contact_name=json.contact_name,
            contact_email=json.contact_email,
            contact_phone=json.contact_phone,
            language=json.language,
            consent=json.consent,
            submission_key=retry.submission_key,
        )
    except InvalidInput as error:
        db.session.rollback()
        return refused(error, FIELD_NAMES)
    return retry.commit(201, {"reference": nomination.reference, "status": "received"})


def _summary(assignment: JudgeAssignment) -> dict:
    nomination = assignment.nomination
    return {
        "id": assignment.id,
        "programme": nomination.cycle.programme.name,
        "cycle": nomination.cycle.name,
        "phase": nomination.cycle.phase,
        "number": nomination.number,
        "submitted_at": assignment.submitted_at,
    }


def _blinded(assignment: JudgeAssignment) -> dict:
    nomination = assignment.nomination
    return {
        **_summary(assignment),
        "blinded_story": nomination.blinded_story,
        "criteria": [_criterion(criterion) for criterion in nomination.cycle.programme.criteria],
        "scores": [
            {"criterion": score.criterion_id, "value": score.value, "comment": score.comment}
            for score in assignment.scores
        ],
        "other_judges": scoring.other_totals(assignment),
    }


@bp.get("/judging/assignments")
@policy.roles(*policy.JUDGES)
@operation(ok={"HTTP_200": AssignmentList}, errors=["HTTP_403"], signed_in=True, tags=["judging"])
def judging_assignments():
    """The nominations assigned to you, as numbers; never the nominee's or nominator's identity."""
    items = [_summary(assignment) for assignment in scoring.assignments_of(policy.current_person())]
    return AssignmentList(items=items, page=1, per_page=max(len(items), 1), total=len(items))


@bp.get("/judging/assignments/<int(max=2147483647):assignment_id>")
@policy.roles(*policy.JUDGES)
@operation(ok={"HTTP_200": BlindedNomination}, errors=["HTTP_403", "HTTP_404"], signed_in=True, tags=["judging"])
def judging_assignment(assignment_id: int):
    """One assigned nomination: its number, the blinded copy and the criteria. Others' scores after yours."""
    assignment = scoring.assignment_for(policy.current_person(), assignment_id)
    if assignment is None:
        return json_error(404, "No such assignment.")
    return _blinded(assignment)


@bp.post("/judging/assignments/<int(max=2147483647):assignment_id>/score")
@policy.roles(*policy.JUDGES)
@operation(
    ok={"HTTP_201": ScoreReceipt},
    errors=["HTTP_403", "HTTP_404", "HTTP_409", "HTTP_422"],
    json=ScoreIn,
    signed_in=True,
    tags=["judging"],
)
def judging_score(assignment_id: int, json: ScoreIn):
    """Score an assigned nomination, criterion by criterion, once. A second submission answers 409."""
    assignment = scoring.assignment_for(policy.current_person(), assignment_id)
    if assignment is None:
        return json_error(404, "No such assignment.")
    try:
        scoring.submit(assignment, json.scores, json.comments, json.comment)
        db.session.commit()
    except (scoring.AlreadyScored, IntegrityError):
        db.session.rollback()
        return json_error(409, "You have already scored this nomination; scores are never changed.")
    except InvalidInput as error:
        db.session.rollback()
        return refused(error)
    return {"id": assignment.id, "submitted_at": assignment.submitted_at.isoformat()}, 201
