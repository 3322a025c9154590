"""Approval: only patient experience publishes; the patient is told once, in their language, through the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.yousaid.conftest import this_month
from tracker.extensions import db
from tracker.models import ActionStatus, AuditEvent, OutboxMessage, OutboxStatus, utcnow
from tracker.notifications import worker
from tracker.validation import InvalidInput
from tracker.yousaid import services

KIND = "you_said_we_did"


def notices():
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == KIND)).all()


def record(person, unit, summary="We added six chairs to the waiting room.", **source):
    return services.record_action(person, summary=summary, unit_id=unit.id, month=this_month(), **source)


def audit_actions(object_id):
    statement = sa.select(AuditEvent.action).where(AuditEvent.object_type == "action_taken",
                                                   AuditEvent.object_id == str(object_id))  # fmt: skip
    return db.session.scalars(statement.order_by(AuditEvent.id)).all()


def test_an_advocate_approves_a_managers_action_and_the_patient_is_told_in_spanish(
    client, sign_in, manager, advocate, hospital, suggestion
):
    action = record(manager, hospital["ellison-12"], feedback=suggestion)
    db.session.commit()
    assert notices() == []  # nothing until it is approved
    sign_in(advocate)
    listing = client.get("/you-said-we-did").get_data(as_text=True)
    assert "Approve and publish" in listing and "We added six chairs" in listing

    response = client.post_form(f"/you-said-we-did/{action.id}/approve")

    assert response.status_code == 302
    db.session.refresh(action)
    assert action.status == ActionStatus.APPROVED and action.decided_by_id == advocate.id
    [message] = notices()
    assert message.to_address == "ana@example.com" and message.status == OutboxStatus.QUEUED
    assert message.subject == "Usted dijo, nosotros hicimos: Ellison 12"
    assert "Gracias por su sugerencia" in message.body_text and suggestion.reference in message.body_text
    assert "We added six chairs to the waiting room." in message.body_text  # the summary as published
    assert "/units/ellison-12/you-said-we-did" in message.body_text
    assert 'lang="es"' in message.body_html
    assert audit_actions(action.id) == ["you_said_we_did.recorded", "you_said_we_did.approved"]
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "you_said_we_did.approved"))
    assert event.actor_id == advocate.id and event.details["patient_told"] is True


def test_a_resolved_concern_tells_the_patient_in_the_language_they_wrote_in(advocate, hospital, resolved_case):
    action = record(advocate, hospital["ellison-12"], "Call bells are now checked every hour.", case=resolved_case)
    services.approve(action, advocate)  # an advocate may approve their own action
    [message] = notices()
    assert message.to_address == "jean@example.com"
    assert resolved_case.reference in message.body_text and "Mèsi" in message.body_text
    assert 'lang="ht"' in message.body_html


def test_no_e_mail_without_contact_details(advocate, hospital, suggestion):
    suggestion.contact_email = ""
    action = record(advocate, hospital["ellison-12"], feedback=suggestion)
    assert services.approve(action, advocate) is None
    assert notices() == []
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "you_said_we_did.approved"))
    assert event.details["patient_told"] is False


def test_no_e_mail_once_the_contact_details_were_removed_by_retention(advocate, hospital, suggestion):
    suggestion.contact_removed_at = utcnow()
    action = record(advocate, hospital["ellison-12"], feedback=suggestion)
    services.approve(action, advocate)
    assert notices() == []


def test_managers_and_staff_cannot_approve_or_reject(client, sign_in, manager, staff, hospital, suggestion):
    action = record(manager, hospital["ellison-12"], feedback=suggestion)
    db.session.commit()
    for person in (manager, staff):
        sign_in(person)
        assert client.post_form(f"/you-said-we-did/{action.id}/approve").status_code == 403
        assert client.post_form(f"/you-said-we-did/{action.id}/reject").status_code == 403
        client.sign_out()
    with pytest.raises(InvalidInput):
        services.approve(action, manager)
    db.session.refresh(action)
    assert action.status == ActionStatus.PENDING and notices() == []


def test_a_rejected_action_is_not_published_nobody_is_told_and_the_note_is_shown(
    client, sign_in, manager, advocate, hospital, suggestion
):
    action = record(manager, hospital["ellison-12"], feedback=suggestion)
    db.session.commit()
    sign_in(advocate)
    response = client.post_form(f"/you-said-we-did/{action.id}/reject", {"note": "Say how many <b>chairs</b>."})
    assert response.status_code == 302
    db.session.refresh(action)
    assert action.status == ActionStatus.REJECTED and action.rejection_note == "Say how many <b>chairs</b>."
    assert notices() == []
    assert audit_actions(action.id) == ["you_said_we_did.recorded", "you_said_we_did.rejected"]
    client.sign_out()
    sign_in(manager)
    listing = client.get("/you-said-we-did").get_data(as_text=True)
    assert "Say how many &lt;b&gt;chairs&lt;/b&gt;." in listing
    assert suggestion.reference in listing.split("Still to answer")[1]  # it may be answered again
    assert "We added six chairs" not in client.get("/units/ellison-12/you-said-we-did").get_data(as_text=True)


def test_a_decided_action_cannot_be_decided_again(client, sign_in, advocate, hospital, suggestion):
    action = record(advocate, hospital["ellison-12"], feedback=suggestion)
    services.approve(action, advocate)
    with pytest.raises(InvalidInput):
        services.approve(action, advocate)
    with pytest.raises(InvalidInput):
        services.reject(action, advocate, note="")
    db.session.commit()
    sign_in(advocate)
    page = client.post_form(f"/you-said-we-did/{action.id}/approve", follow_redirects=True).get_data(as_text=True)
    assert "already been decided" in page
    assert len(notices()) == 1  # told once
    assert client.post_form("/you-said-we-did/999999/approve").status_code == 404


def test_a_huge_rejection_note_is_refused(advocate, hospital, suggestion):
    action = record(advocate, hospital["ellison-12"], feedback=suggestion)
    with pytest.raises(InvalidInput) as refused:
        services.reject(action, advocate, note="x" * 1001)
    assert "note" in refused.value.fields and action.status == ActionStatus.PENDING


def test_the_notice_is_delivered_over_smtp(app, smtp_server, advocate, hospital, suggestion):
    action = record(advocate, hospital["ellison-12"], feedback=suggestion)
    services.approve(action, advocate)
    db.session.commit()

    assert worker.send_due().sent == 1

    [delivered] = smtp_server.handler.messages
    assert delivered["To"] == "ana@example.com"
    assert "Usted dijo" in delivered["Subject"]
    assert notices()[0].status == OutboxStatus.SENT


def test_an_undeliverable_address_stays_in_the_outbox(app, smtp_server, advocate, hospital, suggestion):
    suggestion.contact_email = "nobody@invalid.example"
    action = record(advocate, hospital["ellison-12"], feedback=suggestion)
    services.approve(action, advocate)
    db.session.commit()
    smtp_server.handler.before_accept = lambda number: "550 5.1.1 No such mailbox"

    for _attempt in range(worker.MAX_ATTEMPTS):
        db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        worker.send_due()

    [message] = notices()  # never lost: kept, marked failed, with the server's answer
    assert message.status == OutboxStatus.FAILED and "550" in message.last_error
    assert message.to_address == "nobody@invalid.example"
    assert smtp_server.handler.messages == []
