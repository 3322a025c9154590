"""Patient and family feedback through the API (unit kiosks, the hospital website): anyone, rate-limited."""

from __future__ import annotations

from flask import current_app
from flask_limiter.util import get_remote_address

from tracker import policy
from tracker.api import bp
from tracker.api.idempotency import Retry
from tracker.api.openapi import operation, refused
from tracker.api.schemas import FeedbackIn, FeedbackReceipt, IdempotencyHeaders
from tracker.extensions import db, limiter
from tracker.feedback.services import submit_feedback
from tracker.models import Source
from tracker.validation import InvalidInput

# The service names its arguments; the API names its fields as docs/api.md documents them.
FIELD_NAMES = {"unit_slug": "unit"}


def _public_form_limit() -> str:
    return current_app.config["RATELIMIT_PUBLIC_FORM"]


@bp.post("/feedback")
@limiter.limit(_public_form_limit, key_func=get_remote_address)
@policy.public
@operation(
    ok={"HTTP_201": FeedbackReceipt},
    errors=["HTTP_409", "HTTP_422"],
    json=FeedbackIn,
    headers=IdempotencyHeaders,
    tags=["feedback"],
)
def create_feedback(json: FeedbackIn, headers: IdempotencyHeaders):
    """Leave a compliment, a suggestion or a concern. It waits for moderation; the reference lets you ask about it."""
    retry = Retry(headers.idempotency_key)
    if (answer := retry.earlier_answer()) is not None:
        return answer
    try:
        feedback = submit_feedback(
            type=json.type.value,
            message=json.message,
            staff_names=json.staff_names,
            unit_slug=json.unit,
            language=json.language,
            consent_to_share=json.consent_to_share,
            contact_name=json.contact_name,
            contact_email=json.contact_email,
            contact_phone=json.contact_phone,
            source=Source.PATIENT,
            submission_key=retry.submission_key,
        )
    except InvalidInput as error:
        db.session.rollback()
        return refused(error, FIELD_NAMES)
    return retry.commit(201, {"reference": feedback.reference, "status": "received"})
