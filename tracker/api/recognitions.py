"""Recognitions through the API: give one (with safe retries), list and read them within one's scope."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import url_for
from flask_login import current_user

from tracker import policy
from tracker.api import bp
from tracker.api.idempotency import Retry
from tracker.api.openapi import VALIDATION_MESSAGE, operation, refused
from tracker.api.schemas import (
    IdempotencyHeaders,
    RecognitionIn,
    RecognitionList,
    RecognitionOut,
    RecognitionQuery,
)
from tracker.errors import json_error
from tracker.extensions import db
from tracker.models import Department, Recognition, Standard
from tracker.recognitions import queries
from tracker.recognitions.services import create_peer_recognition
from tracker.validation import InvalidInput

# What ``serialise`` reads; a recognition written in this request has them in memory already.
DETAILS = {"giver", "unit", "standards", "behaviors", "recipient_rows"}


def serialise(recognitions: list[Recognition]) -> list[dict]:
    """API form of recognitions already loaded with their details; recipients' units in one query."""
    department_ids = {row.department_id for r in recognitions for row in r.recipient_rows if row.department_id}
    slugs = dict(
        db.session.execute(sa.select(Department.id, Department.slug).where(Department.id.in_(department_ids))).all()
    )
    return [
        RecognitionOut(
            id=r.id,
            created_at=r.created_at,
            source=r.source,
            status=r.status,
            visibility=r.visibility,
            giver={"id": r.giver.id, "name": r.giver.name} if r.giver else None,
            recipients=[
                {"id": row.person.id, "name": row.person.name, "department": slugs.get(row.department_id)}
                for row in r.recipient_rows
            ],
            unit=r.unit.slug if r.unit else None,
            standards=[s.key for s in r.standards],
            behaviors=[b.key for b in r.behaviors],
            message=r.message,
            acknowledged_at=r.acknowledged_at,
        ).model_dump(mode="json")
        for r in recognitions
    ]


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: API dates are whole UTC days, like the dashboard's."""
    return datetime.combine(day, time(), tzinfo=UTC)


@bp.post("/recognitions")
@policy.signed_in
@operation(
    ok={"HTTP_201": RecognitionOut},
    errors=["HTTP_403", "HTTP_409", "HTTP_422"],
    json=RecognitionIn,
    headers=IdempotencyHeaders,
    signed_in=True,
    tags=["recognitions"],
)
def create_recognition(json: RecognitionIn, headers: IdempotencyHeaders):
    """Recognise colleagues (and/or a unit) for icare standards. Published at once, or pending approval."""
    retry = Retry(headers.idempotency_key)
    if (answer := retry.earlier_answer()) is not None:
        return answer
    try:
        recognition = create_peer_recognition(
            current_user,
            recipient_ids=json.recipients,
            unit_slug=json.unit,
            standard_keys=json.standards,
            behavior_keys=json.behaviors,
            message=json.message,
            visibility=json.visibility.value,
            submission_key=retry.submission_key,
        )
    except InvalidInput as error:
        db.session.rollback()
        return refused(error)
    if DETAILS & sa.inspect(recognition).unloaded:  # a retry answered with the first recognition
        recognition = db.session.scalar(
            queries.with_details(sa.select(Recognition).where(Recognition.id == recognition.id))
        )
    (payload,) = serialise([recognition])
    location = url_for("api.get_recognition", recognition_id=recognition.id)
    return retry.commit(201, payload, {"Location": location})


@bp.get("/recognitions")
@policy.signed_in
@operation(
    ok={"HTTP_200": RecognitionList}, errors=["HTTP_422"], query=RecognitionQuery, signed_in=True, tags=["recognitions"]
)
def list_recognitions(query: RecognitionQuery):
    """Recognitions you may read (the scope rules of ``policy.recognition_scope``), newest first, with filters."""
    errors: dict[str, list[str]] = {}
    filters = queries.RecognitionFilters(page=query.page, per_page=query.per_page, source=query.source)
    if query.department:
        filters.department = db.session.scalar(sa.select(Department).where(Department.slug == query.department))
        if filters.department is None:
            errors["department"] = ["Unknown department."]
    if query.standard:
        filters.standard = db.session.scalar(sa.select(Standard).where(Standard.key == query.standard))
        if filters.standard is None:
            errors["standard"] = ["Unknown standard."]
    if query.since and query.until and query.since > query.until:
        errors["since"] = ["since must be on or before until."]
    if errors:
        return json_error(422, VALIDATION_MESSAGE, errors)
    filters.recipient_id = query.recipient
    filters.since = day_start(query.since) if query.since else None
    filters.until = day_start(query.until + timedelta(days=1)) if query.until else None
    items, total = queries.list_recognitions(current_user, filters)
    return RecognitionList(items=serialise(items), page=query.page, per_page=query.per_page, total=total)


@bp.get("/recognitions/<int(max=2147483647):recognition_id>")
@policy.signed_in
@operation(ok={"HTTP_200": RecognitionOut}, errors=["HTTP_404"], signed_in=True, tags=["recognitions"])
def get_recognition(recognition_id: int):
    """One recognition. Anything outside your scope answers 404, exactly like one that does not exist."""
    statement = sa.select(Recognition).where(Recognition.id == recognition_id, policy.recognition_scope(current_user))
    recognition = db.session.scalar(queries.with_details(statement))
    if recognition is None:
        return json_error(404, "No such recognition.")
    (payload,) = serialise([recognition])
    return payload
