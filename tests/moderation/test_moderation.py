"""Moderation: who may see the queue, and each decision's effect."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import FeedbackFactory
from tracker.extensions import db
from tracker.models import (
    AuditEvent,
    Case,
    Feedback,
    FeedbackStatus,
    FeedbackType,
    OutboxMessage,
    Recognition,
    RecognitionStatus,
    Source,
    Visibility,
)


def _compliment(hospital, **fields):
    values = {
        "message": "Maria was kind. My mother, Jane Doe, MRN 1234567.",
        "staff_names": "Mari",
        "unit": hospital["ellison-12"],
        "consent_to_share": True,
        "contact_name": "Ana Ruiz",
        "contact_email": "ana@example.com",
    }
    return FeedbackFactory(**(values | fields))


def test_only_advocates_and_admins_moderate(client, sign_in, staff, manager, hospital):
    feedback = _compliment(hospital)
    assert client.get("/moderation").status_code == 302
    sign_in(manager)
    assert client.get("/moderation").status_code == 403
    assert client.get(f"/moderation/{feedback.id}").status_code == 403


def test_queue_is_oldest_first_with_matches_and_flags(client, sign_in, advocate, colleague, hospital):
    first = _compliment(hospital, reference="FB-FIRST00")
    _compliment(hospital, reference="FB-SECOND0")
    sign_in(advocate)
    queue = client.get("/moderation").get_data(as_text=True)
    assert queue.index("FB-FIRST00") < queue.index("FB-SECOND0")

    page = client.get(f"/moderation/{first.id}").get_data(as_text=True)
    assert "Maria Lopez" in page and "% likely" in page and "on the named unit" in page
    assert f"Maria Lopez, {colleague.job_title} · {colleague.department.name}" in page  # tells namesakes apart
    assert '<mark class="phi"' in page and "ana@example.com" in page
    actions = set(db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(first.id))))
    assert {"feedback.viewed", "feedback.contact_viewed"} <= actions


def test_admins_moderate_but_do_not_see_contact_details(client, sign_in, admin, hospital):
    feedback = _compliment(hospital)
    sign_in(admin)
    page = client.get(f"/moderation/{feedback.id}").get_data(as_text=True)
    assert "ana@example.com" not in page


def test_redact_then_approve_publishes_a_recognition_staff_read(client, sign_in, advocate, colleague, hospital):
    feedback = _compliment(hospital, consent_to_wall=True)
    sign_in(advocate)
    client.post_form(f"/moderation/{feedback.id}/redact")
    db.session.refresh(feedback)
    assert "Jane Doe" not in feedback.approved_message and "1234567" not in feedback.approved_message
    response = client.post_form(
        f"/moderation/{feedback.id}/approve",
        {
            "recipient_ids": str(colleague.id),
            "standard_keys": "communicate",
            "approved_message": feedback.approved_message,
        },
    )
    assert response.status_code == 302
    recognition = db.session.scalar(sa.select(Recognition).where(Recognition.feedback_id == feedback.id))
    assert recognition.status == RecognitionStatus.PUBLISHED and recognition.source == Source.PATIENT
    assert recognition.recipients == [colleague]
    assert recognition.visibility == Visibility.PUBLIC and recognition.giver_name == "Ana"
    assert "Jane Doe" not in recognition.message
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.APPROVED
    assert feedback.message.startswith("Maria was kind. My mother, Jane Doe")  # the original is untouched
    assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) >= 1
    decided = client.get(f"/moderation/{feedback.id}").get_data(as_text=True)
    assert f'href="/recognitions/{recognition.id}"' in decided


def test_a_case_leads_back_to_its_feedback_and_the_feedback_to_its_case(sign_in, client, advocate, hospital):
    feedback = _compliment(hospital, type=FeedbackType.SUGGESTION)
    sign_in(advocate)
    client.post_form(f"/moderation/{feedback.id}/convert")
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    assert f'href="/moderation/{feedback.id}"' in client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f'href="/cases/{case.id}"' in client.get(f"/moderation/{feedback.id}").get_data(as_text=True)


def test_without_wall_consent_the_recognition_is_private_and_anonymous(sign_in, client, advocate, colleague, hospital):
    feedback = _compliment(hospital, consent_to_wall=False, consent_to_share=False)
    sign_in(advocate)
    client.post_form(
        f"/moderation/{feedback.id}/approve",
        {"recipient_ids": str(colleague.id), "standard_keys": "respect", "approved_message": "Kind words"},
    )
    recognition = db.session.scalar(sa.select(Recognition).where(Recognition.feedback_id == feedback.id))
    assert recognition.visibility == Visibility.PRIVATE and recognition.giver_name == ""
    assert "Kind words" not in recognition.message  # no consent to pass the words on


def test_approve_with_bad_input_changes_nothing(sign_in, client, advocate, hospital):
    feedback = _compliment(hospital, unit=None)
    sign_in(advocate)
    response = client.post_form(
        f"/moderation/{feedback.id}/approve",
        {"recipient_ids": "999999", "standard_keys": "nope", "approved_message": ""},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please write a few words." in page
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.PENDING
    assert db.session.scalar(sa.select(sa.func.count(Recognition.id))) == 0


def test_reject_needs_a_reason(sign_in, client, advocate, hospital):
    feedback = _compliment(hospital)
    sign_in(advocate)
    assert client.post_form(f"/moderation/{feedback.id}/reject", {"reason": "boring"}).status_code == 422
    client.post_form(f"/moderation/{feedback.id}/reject", {"reason": "spam", "note": "link farm"})
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.REJECTED and feedback.moderation_note == "spam: link farm"


def test_convert_to_concern_opens_a_case(sign_in, client, advocate, hospital):
    feedback = _compliment(hospital, type=FeedbackType.SUGGESTION)
    sign_in(advocate)
    response = client.post_form(f"/moderation/{feedback.id}/convert")
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    assert response.headers["Location"].endswith(f"/cases/{case.id}")
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.CONVERTED
    assert client.post_form(f"/moderation/{feedback.id}/convert").status_code == 302  # already decided: no 2nd case
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1


def test_split_makes_a_pending_compliment_and_a_case(sign_in, client, advocate, hospital):
    feedback = _compliment(hospital, message="Maria was lovely but the food was cold.")
    sign_in(advocate)
    client.post_form(
        f"/moderation/{feedback.id}/split",
        {"compliment_text": "Maria was lovely", "concern_text": "the food was cold"},
    )
    children = db.session.scalars(sa.select(Feedback).where(Feedback.parent_id == feedback.id)).all()
    by_type = {child.type: child for child in children}
    assert by_type[FeedbackType.COMPLIMENT].status == FeedbackStatus.PENDING
    assert by_type[FeedbackType.CONCERN].status == FeedbackStatus.CONVERTED
    assert db.session.scalar(sa.select(Case.summary)) == "the food was cold"
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.SPLIT


def test_staff_never_see_the_original_words(client, sign_in, staff, colleague, advocate, hospital):
    feedback = _compliment(hospital, consent_to_wall=True)
    sign_in(advocate)
    client.post_form(f"/moderation/{feedback.id}/redact")
    db.session.refresh(feedback)
    client.post_form(
        f"/moderation/{feedback.id}/approve",
        {
            "recipient_ids": str(colleague.id),
            "standard_keys": "communicate",
            "approved_message": feedback.approved_message,
        },
    )
    recognition = db.session.scalar(sa.select(Recognition).where(Recognition.feedback_id == feedback.id))
    client.sign_out()
    sign_in(staff)
    page = client.get(f"/recognitions/{recognition.id}").get_data(as_text=True)
    assert "Jane Doe" not in page and "1234567" not in page
