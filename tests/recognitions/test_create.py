"""create_peer_recognition: the rules of giving, and refusals that store nothing."""

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory
from tracker import settings
from tracker.extensions import db
from tracker.models import OutboxMessage, Recognition, RecognitionStatus, Standard
from tracker.recognitions.services import create_peer_recognition
from tracker.validation import InvalidInput


def standard_keys(n=1):
    return list(db.session.scalars(sa.select(Standard.key).order_by(Standard.position).limit(n)))


def give(giver, **overrides):
    arguments = {
        "recipient_ids": [],
        "unit_slug": None,
        "standard_keys": standard_keys(),
        "behavior_keys": [],
        "message": "Explained the plan twice, calmly, until the family understood.",
        "visibility": "public",
    }
    arguments.update(overrides)
    return create_peer_recognition(giver, **arguments)


def count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_recognition_of_two_colleagues_is_published_with_their_departments(staff, colleague, surgeon, manager):
    first = db.session.scalars(sa.select(Standard).order_by(Standard.position)).first()
    behavior = first.behaviors[0]
    recognition = give(
        staff,
        recipient_ids=[colleague.id, surgeon.id],
        standard_keys=[first.key],
        behavior_keys=[behavior.key],
    )
    assert recognition.status == RecognitionStatus.PUBLISHED
    assert recognition.published_at is not None
    assert {(r.person_id, r.department_id) for r in recognition.recipient_rows} == {
        (colleague.id, colleague.department_id),
        (surgeon.id, surgeon.department_id),
    }
    assert recognition.department_id == colleague.department_id
    assert recognition.standards == [first] and recognition.behaviors == [behavior]
    addresses = set(db.session.scalars(sa.select(OutboxMessage.to_address)))
    assert addresses == {colleague.email, surgeon.email, manager.email}


def test_a_whole_unit_can_be_recognised(staff, hospital, manager):
    recognition = give(staff, unit_slug="ellison-14")
    assert recognition.unit == hospital["ellison-14"] and recognition.recipient_rows == []
    assert set(db.session.scalars(sa.select(OutboxMessage.to_address))) == {manager.email}


def test_pending_when_approval_is_required_and_nobody_is_told_yet(staff, colleague):
    settings.set_value("approval_required", True)
    recognition = give(staff, recipient_ids=[colleague.id])
    assert recognition.status == RecognitionStatus.PENDING and recognition.published_at is None
    assert count(OutboxMessage) == 0


def test_the_same_submission_key_returns_the_first_recognition(staff, colleague):
    first = give(staff, recipient_ids=[colleague.id], submission_key="abc123")
    again = give(staff, recipient_ids=[colleague.id], submission_key="abc123", message="changed")
    assert again.id == first.id and again.message == first.message
    assert count(Recognition) == 1


def test_another_persons_key_does_not_collide(staff, colleague):
    give(staff, recipient_ids=[colleague.id], submission_key="same")
    other = give(colleague, recipient_ids=[staff.id], submission_key="same")
    assert other.giver_id == colleague.id
    assert count(Recognition) == 2


def test_markup_is_stored_exactly_as_written(staff, colleague):
    story = '<script>alert("x")</script> & <b>thanks</b>'
    assert give(staff, recipient_ids=[colleague.id], message=story).message == story


BAD_INPUT = [
    ("recipients", {"recipient_ids": []}),
    ("recipients", {"recipient_ids": [999_999]}),
    ("recipients", {"recipient_ids": ["not-a-number"]}),
    ("unit", {"unit_slug": "no-such-unit"}),
    ("standards", {"standard_keys": []}),
    ("standards", {"standard_keys": ["kindness-that-does-not-exist"]}),
    ("behaviors", {"behavior_keys": ["no-such-behaviour"]}),
    ("message", {"message": ""}),
    ("message", {"message": "   \n "}),
    ("message", {"message": "x" * 5001}),
    ("visibility", {"visibility": "everyone"}),
]


@pytest.mark.parametrize(("field", "overrides"), BAD_INPUT)
def test_bad_input_is_refused_by_field_and_nothing_is_stored(staff, colleague, field, overrides):
    overrides.setdefault("recipient_ids", [colleague.id])
    with pytest.raises(InvalidInput) as refused:
        give(staff, **overrides)
    assert field in refused.value.fields
    assert count(Recognition) == 0 and count(OutboxMessage) == 0


def test_nobody_recognises_themself(staff, colleague):
    with pytest.raises(InvalidInput) as refused:
        give(staff, recipient_ids=[colleague.id, staff.id])
    assert "yourself" in refused.value.fields["recipients"][0]


def test_inactive_people_cannot_be_recognised(staff):
    gone = PersonFactory(active=False)
    with pytest.raises(InvalidInput) as refused:
        give(staff, recipient_ids=[gone.id])
    assert "recipients" in refused.value.fields


def test_a_behaviour_of_an_unticked_standard_is_refused(staff, colleague):
    first, second = db.session.scalars(sa.select(Standard).order_by(Standard.position).limit(2)).all()
    with pytest.raises(InvalidInput) as refused:
        give(staff, recipient_ids=[colleague.id], standard_keys=[first.key], behavior_keys=[second.behaviors[0].key])
    assert "behaviors" in refused.value.fields


def test_the_daily_limit_stops_the_next_one(staff, colleague):
    settings.set_value("daily_recognition_limit", 2)
    give(staff, recipient_ids=[colleague.id])
    give(staff, recipient_ids=[colleague.id])
    with pytest.raises(InvalidInput) as refused:
        give(staff, recipient_ids=[colleague.id])
    assert "daily limit" in refused.value.message or "daily limit" in refused.value.fields["form"][0]
    assert count(Recognition) == 2


def test_the_e_mails_are_written_before_the_recognition_and_link_to_it(staff, colleague, manager, monkeypatch):
    from tracker.notifications import services as notifications

    stored_when_rendering = []
    render = notifications.render_bodies

    def spy(*args, **kwargs):
        stored_when_rendering.append(count(Recognition))
        return render(*args, **kwargs)

    monkeypatch.setattr(notifications, "render_bodies", spy)
    recognition = give(staff, recipient_ids=[colleague.id])
    assert stored_when_rendering == [0, 0]  # the recipient's and the manager's, before anything was stored
    link = f"/recognitions/{recognition.id}"
    for message in db.session.scalars(sa.select(OutboxMessage)):
        assert link in message.body_text and link in message.body_html
        assert "recognition-link-" not in message.body_text + message.body_html
