"""The moderation queue: each item's age, overdue marker, type, language and health-information flag; its filters."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import FeedbackFactory
from tracker import clock, settings
from tracker.extensions import db
from tracker.feedback import spam
from tracker.models import AuditEvent, Feedback, FeedbackStatus, FeedbackType, Setting

HEALTH_INFORMATION = "Maria was kind to my mother, MRN 1234567, after her surgery."
PLAIN = "Maria was kind and patient with us all night."


def _waiting(reference: str, *, hours: float = 1, **fields) -> Feedback:
    values = {
        "reference": reference,
        "created_at": clock.now() - timedelta(hours=hours),
        "message": PLAIN,
        "health_information_found": False,
    }
    return FeedbackFactory(**(values | fields))


def _references(page: str) -> list[str]:
    return re.findall(r">(FB-Q\w+)</a>", page)


def _rows(page: str) -> dict[str, str]:
    """Each table row's text by the reference it links to, tags removed and spaces collapsed."""
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.S):
        reference = re.search(r">(FB-Q\w+)</a>", row)
        if reference:
            rows[reference.group(1)] = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    return rows


@pytest.fixture
def queue(client, sign_in, advocate, hospital):
    """Four waiting items of each kind, and one already decided."""
    _waiting("FB-QOLD", hours=24 * 3, type=FeedbackType.COMPLIMENT, language="es")
    _waiting(
        "FB-QPHI", hours=5, type=FeedbackType.SUGGESTION, message=HEALTH_INFORMATION, health_information_found=True
    )
    _waiting("FB-QNEW", hours=2, type=FeedbackType.COMPLIMENT, language="ht", unit=hospital["ellison-12"])
    _waiting("FB-QUNCHECKED", hours=1, type=FeedbackType.COMPLIMENT, health_information_found=None)
    _waiting("FB-QDONE", hours=24 * 9, status=FeedbackStatus.APPROVED)
    sign_in(advocate)
    return client


def test_each_item_shows_its_age_overdue_marker_type_language_and_flag(queue):
    response = queue.get("/moderation")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _references(page) == ["FB-QOLD", "FB-QPHI", "FB-QNEW", "FB-QUNCHECKED"]  # oldest first, decided left out
    rows = _rows(page)
    assert rows["FB-QOLD"].startswith("3 days Overdue")
    assert "Compliment" in rows["FB-QOLD"] and "Español" in rows["FB-QOLD"] and "None found" in rows["FB-QOLD"]
    assert rows["FB-QPHI"].startswith("5 hours") and "Overdue" not in rows["FB-QPHI"]
    assert "Suggestion" in rows["FB-QPHI"] and "Possible health information" in rows["FB-QPHI"]
    assert "Kreyòl ayisyen" in rows["FB-QNEW"] and "Ellison 12" in rows["FB-QNEW"]
    assert "Not checked" in rows["FB-QUNCHECKED"]
    assert '<td lang="ht">Kreyòl ayisyen</td>' in page
    assert '<caption class="visually-hidden" id="queue-caption">' in page and '<th scope="col">Waiting</th>' in page


def test_ages_are_in_the_readers_language(queue):
    page = queue.get("/moderation", headers={"Accept-Language": "es"}).get_data(as_text=True)
    rows = _rows(page)
    assert rows["FB-QOLD"].startswith("3 días") and "Elogio" in rows["FB-QOLD"]
    assert rows["FB-QPHI"].startswith("5 horas")


def test_the_overdue_limit_is_the_hospitals_setting(queue):
    settings.set_value("moderation_overdue_days", 1)
    db.session.flush()
    assert [r for r, text in _rows(queue.get("/moderation").get_data(as_text=True)).items() if "Overdue" in text] == [
        "FB-QOLD"
    ]
    _waiting("FB-QDAYANDHALF", hours=36)
    rows = _rows(queue.get("/moderation?overdue=y").get_data(as_text=True))
    assert list(rows) == ["FB-QOLD", "FB-QDAYANDHALF"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=compliment", ["FB-QOLD", "FB-QNEW", "FB-QUNCHECKED"]),
        ("type=suggestion", ["FB-QPHI"]),
        ("type=concern", []),
        ("language=es", ["FB-QOLD"]),
        ("language=ht", ["FB-QNEW"]),
        ("health_information=yes", ["FB-QPHI"]),
        ("health_information=no", ["FB-QOLD", "FB-QNEW"]),  # not checked is not "none found"
        ("overdue=y", ["FB-QOLD"]),
        ("type=compliment&language=ht&health_information=no", ["FB-QNEW"]),
        ("type=&language=&health_information=", ["FB-QOLD", "FB-QPHI", "FB-QNEW", "FB-QUNCHECKED"]),
    ],
)
def test_each_filter(queue, query, expected):
    response = queue.get(f"/moderation?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert _references(page) == expected
    if not expected:
        assert "Nothing waiting matches these filters." in page


def test_the_filter_form_is_labelled_and_keeps_its_choices(queue):
    page = queue.get("/moderation?type=suggestion&health_information=yes").get_data(as_text=True)
    assert '<form method="get" action="/moderation"' in page
    for name in ("type", "language", "health_information", "overdue"):
        assert '<label class="form-' in page and f'for="{name}"' in page
    assert '<option selected value="suggestion">' in page and '<option selected value="yes">' in page
    assert '<option lang="zh-Hans" value="zh_Hans">简体中文</option>' in page


@pytest.mark.parametrize(
    "query",
    ["type=praise", "language=klingon", "health_information=maybe", "type=" + "x" * 5000, "language=%27%3B--"],
)
def test_unknown_filter_values_are_refused_with_a_message(queue, query):
    response = queue.get(f"/moderation?{query}")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please choose from the list." in page and 'id="error-summary"' in page
    assert _references(page) == []


def test_pages_keep_the_filters(queue):
    for number in range(26):
        _waiting(f"FB-QMANY{number:02d}", hours=0.5, language="es")
    page = queue.get("/moderation?language=es&overdue=").get_data(as_text=True)
    assert "/moderation?page=2&amp;language=es" in page
    second = queue.get("/moderation?page=2&language=es").get_data(as_text=True)
    assert _references(second) == ["FB-QMANY24", "FB-QMANY25"]  # FB-QOLD and 24 of these fill page 1
    assert queue.get("/moderation?page=lots&language=es").status_code == 200


def test_the_queue_runs_a_fixed_number_of_queries(queue, hospital):
    """Units come with the page of items, not one query per row."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        queue.get("/moderation")
        few = len(statements)
        units = [hospital["ellison-12"], hospital["ellison-14"], hospital["white-6"]]
        for number in range(9):
            _waiting(f"FB-QUNIT{number}", unit=units[number % 3])
        statements.clear()
        queue.get("/moderation")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= few


# --- the flag, as feedback arrives and is moderated ---------------------------------------------


def _stored() -> Feedback:
    return db.session.scalars(sa.select(Feedback).order_by(Feedback.id.desc())).first()


def test_the_public_form_flags_health_information(client, app, hospital):
    with app.test_request_context():
        started = spam.issue_started_token(now=time.time() - 60)
    base = {"type": "compliment", "staff_names": "Maria", "started": started, "website": ""}
    assert client.post_form("/feedback", base | {"message": HEALTH_INFORMATION}).status_code == 302
    assert _stored().health_information_found is True
    assert client.post_form("/feedback", base | {"message": PLAIN}).status_code == 302
    assert _stored().health_information_found is False


def test_staff_entry_flags_health_information(client, sign_in, staff, hospital):
    sign_in(staff)
    response = client.post_form(
        "/feedback/enter",
        {"source": "letter", "type": "compliment", "message": "Room 12, DOB 03/04/1950: thank you!", "staff_names": ""},
    )
    assert response.status_code == 302
    assert _stored().health_information_found is True


def test_the_api_flags_health_information(client, hospital):
    for message, expected in ((HEALTH_INFORMATION, True), (PLAIN, False)):
        response = client.post("/api/v1/feedback", json={"type": "compliment", "message": message})
        assert response.status_code == 201
        assert _stored().health_information_found is expected


def test_redacting_clears_the_flag_and_the_split_compliment_is_checked(client, sign_in, advocate, hospital):
    feedback = _waiting("FB-QREDACT", message=HEALTH_INFORMATION, health_information_found=True)
    sign_in(advocate)
    client.post_form(f"/moderation/{feedback.id}/redact")
    db.session.refresh(feedback)
    assert feedback.health_information_found is False
    assert "FB-QREDACT" in _references(client.get("/moderation?health_information=no").get_data(as_text=True))

    mixed = _waiting("FB-QMIXED", message=PLAIN)
    response = client.post_form(
        f"/moderation/{mixed.id}/split",
        {"compliment_text": "Thank you, Maria. My MRN is 7654321.", "concern_text": "The call bell went unanswered."},
    )
    assert response.status_code == 302
    compliment = db.session.scalar(
        sa.select(Feedback).where(Feedback.parent_id == mixed.id, Feedback.type == FeedbackType.COMPLIMENT)
    )
    assert compliment.health_information_found is True


# --- reject reasons ------------------------------------------------------------------------------


def test_new_reject_reasons_are_offered_and_kept_in_the_audit_trail(client, sign_in, advocate, hospital):
    feedback = _waiting("FB-QREJECT")
    sign_in(advocate)
    page = client.get(f"/moderation/{feedback.id}").get_data(as_text=True)
    assert "Not about care" in page and "Other (say why)" in page
    response = client.post_form(f"/moderation/{feedback.id}/reject", {"reason": "not_about_care"})
    assert response.status_code == 302
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.REJECTED and feedback.moderation_note == "not_about_care"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "feedback.rejected"))
    assert event.details["reason"] == "not_about_care"


@pytest.mark.parametrize("note", ["", "   "])
def test_other_needs_a_note_and_stores_nothing_without_one(client, sign_in, advocate, hospital, note):
    feedback = _waiting("FB-QOTHER")
    sign_in(advocate)
    response = client.post_form(f"/moderation/{feedback.id}/reject", {"reason": "other", "note": note})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Please say in a few words why it is rejected." in page and 'id="note-error"' in page
    db.session.refresh(feedback)
    assert feedback.status == FeedbackStatus.PENDING and feedback.moderated_at is None
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "feedback.rejected")) is None

    response = client.post_form(
        f"/moderation/{feedback.id}/reject", {"reason": "other", "note": "A question about parking"}
    )
    assert response.status_code == 302
    db.session.refresh(feedback)
    assert feedback.moderation_note == "other: A question about parking"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "feedback.rejected"))
    assert event.details["reason"] == "other"


# --- the setting -------------------------------------------------------------------------------


def test_admins_set_when_the_queue_is_overdue_within_limits(client, sign_in, admin):
    sign_in(admin)
    form = {"daily_recognition_limit": 20, "case_acknowledge_days": 7, "case_resolve_days": 30,
            "contact_retention_days": 365, "timezone": "America/New_York", "patient_help_phone": ""}  # fmt: skip
    assert client.post_form("/admin/settings", form | {"moderation_overdue_days": 0}).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Setting)) == 0
    assert client.post_form("/admin/settings", form | {"moderation_overdue_days": 4}).status_code == 302
    assert settings.get("moderation_overdue_days") == 4
