"""Closing the loop: the patient hears their thanks arrived, gets the resolution letter by e-mail,
and a recognised person hears their manager acknowledged it — only with consent and an address,
in the right language, through the outbox, and never lost when an address is refused."""

from __future__ import annotations

import re
from datetime import timedelta
from email.header import decode_header, make_header
from email.message import Message
from html import unescape

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask_babel import force_locale
from flask_babel import gettext as _

from tests.factories import PersonFactory, RecognitionFactory
from tests.notifications.smtp import RecordingHandler, free_port
from tracker.cases import services as cases
from tracker.extensions import db
from tracker.feedback.services import hospital_today, submit_feedback
from tracker.models import AuditEvent, Case, Feedback, OutboxMessage, OutboxStatus, utcnow
from tracker.moderation import services as moderation
from tracker.notifications import worker

REFUSED = "gone@example.net"


class RefusingHandler(RecordingHandler):
    """A mail server that does not know one mailbox, as a real one answers for a mistyped address."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    handler = RefusingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    try:
        yield handler
    finally:
        controller.stop()


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by("id")))


def translated(language: str, message: str, **values) -> str:
    with force_locale(language):
        text = _(message, **values)
    assert text != message % values, f"no {language} translation for {message!r}"
    return text


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def text_part(message: Message) -> str:
    return (
        next(part for part in message.walk() if part.get_content_type() == "text/plain")
        .get_payload(decode=True)
        .decode()
    )


def make_due() -> None:
    db.session.execute(sa.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


# --- the compliment reached the person ---------------------------------------------------------


def compliment(hospital, **fields) -> Feedback:
    values = dict(
        type="compliment", message="Maria me cuidó con mucho cariño.", staff_names="Maria", unit_slug="ellison-12",
        language="es", consent_to_share=True, contact_name="Ana", contact_email="ana@example.com",
        standard_keys=["respect"],
    )  # fmt: skip
    values.update(fields)
    return submit_feedback(**values)


def publish(feedback: Feedback, advocate, recipients, text="Redacted words the patient never wrote"):
    return moderation.approve(
        feedback, advocate, recipient_ids=[p.id for p in recipients], approved_message=text, standard_keys=["respect"]
    )


def test_the_patient_is_told_in_their_language_who_their_thanks_reached(app, smtp, hospital, advocate, colleague):
    feedback = compliment(hospital)
    publish(feedback, advocate, [colleague])
    db.session.commit()

    [row] = outbox("compliment_reached")
    assert row.to_address == "ana@example.com"
    assert row.subject == translated("es", "Your thanks reached our staff")
    people = translated("es", "%(first_name)s (%(unit)s)", first_name="Maria", unit="Ellison 12")
    assert translated("es", "We passed your thanks on to %(people)s.", people=people) in row.body_text
    assert translated("es", "They can now read what you wrote.") in row.body_text
    assert 'lang="es"' in row.body_html
    for body in (row.body_text, row.body_html):
        assert "Lopez" not in body  # a first name only
        assert "Redacted words" not in body and "cariño" not in body  # nothing quoted
        assert feedback.reference in body

    assert worker.send_due().sent >= 1
    delivered = {message["To"]: message for message in smtp.messages}
    assert subject(delivered["ana@example.com"]) == row.subject
    assert "Maria" in text_part(delivered["ana@example.com"])


def test_without_sharing_consent_the_patient_hears_their_words_were_not_shown(hospital, advocate, colleague):
    publish(compliment(hospital, consent_to_share=False, language="pt"), advocate, [colleague])
    [row] = outbox("compliment_reached")
    assert row.subject == translated("pt", "Your thanks reached our staff")
    assert (
        translated(
            "pt", "As you asked, we told them that a patient or family member thanked them, without sharing your words."
        )
        in row.body_text
    )


def test_a_whole_unit_thanked_names_nobody(hospital, advocate):
    publish(compliment(hospital, language="zh_Hans"), advocate, [])
    [row] = outbox("compliment_reached")
    assert (
        translated("zh_Hans", "We passed your thanks on to the team of %(unit)s.", unit="Ellison 12") in row.body_text
    )
    assert "Maria" not in row.body_text


def test_no_address_or_a_removed_address_means_no_e_mail(hospital, advocate, colleague):
    publish(compliment(hospital, contact_email=""), advocate, [colleague])
    forgotten = compliment(hospital)
    forgotten.contact_removed_at = utcnow()
    publish(forgotten, advocate, [colleague])
    assert outbox("compliment_reached") == []


def test_hostile_names_are_text_in_the_e_mail(hospital, advocate):
    hostile = PersonFactory(name='<img src=x onerror=alert(1)> "Evil"', department=hospital["ellison-12"])
    publish(compliment(hospital, contact_name="<b>Ana</b>\r\nBcc: x@example.org"), advocate, [hostile])
    [row] = outbox("compliment_reached")
    assert "<img" not in row.body_html and "&lt;img" in row.body_html
    assert "<b>Ana</b>" not in row.body_html
    assert "\n" not in row.subject and "\r" not in row.subject


# --- the resolution letter by e-mail -----------------------------------------------------------


def resolved_case(advocate, *, email="ana@example.com", language="es") -> Case:
    feedback = submit_feedback(
        type="concern", message="Nadie respondió al timbre.", staff_names="", unit_slug=None, language=language,
        consent_to_share=False, contact_name="Ana Díaz", contact_email=email,
    )  # fmt: skip
    case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id))
    cases.resolve(
        case, advocate, contact="Luz Ortega, 617 555 0100", steps="Revisamos el registro de llamadas.",
        outcome="El equipo cambió las rondas.", completed_on=hospital_today(),
    )  # fmt: skip
    db.session.commit()
    return case


def paragraphs(html: str) -> list[str]:
    """The printed letter's headings and paragraphs as plain text, leaving out the screen-only parts."""
    article = html[html.index('<article class="resolution-letter') : html.index("</article>")]
    blocks = re.findall(r"<(p|h1|h2)\b([^>]*)>(.*?)</\1>", article, flags=re.DOTALL)
    texts = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner)).strip()
        for _tag, attrs, inner in blocks
        if "no-print" not in attrs
    ]
    return [unescape(text) for text in texts if text]


def test_the_letter_goes_by_e_mail_only_after_the_advocate_confirms(app, client, sign_in, advocate, smtp):
    case = resolved_case(advocate)
    sign_in(advocate)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Send the letter by e-mail" in page and "Español" in page

    refused = client.post_form(f"/cases/{case.id}/letter/email", {})
    assert refused.status_code == 422 and "Please confirm that the letter is ready to send." in refused.get_data(
        as_text=True
    )
    assert outbox("case_letter") == []

    assert client.post_form(f"/cases/{case.id}/letter/email", {"confirm": "y"}).status_code == 302
    [row] = outbox("case_letter")
    assert row.to_address == "ana@example.com"
    assert row.subject == translated(
        "es", "Our response to your concern (reference %(reference)s)", reference=case.reference
    )
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(case.id))).all()
    assert "case.letter_emailed" in actions
    waiting = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "waiting to be e-mailed to ana@example.com" in waiting
    assert "Send the letter by e-mail" not in waiting  # not twice while one is on its way
    assert client.post_form(f"/cases/{case.id}/letter/email", {"confirm": "y"}).status_code == 422
    assert len(outbox("case_letter")) == 1

    # Word for word the letter the print view shows, in Spanish.
    printed = client.get(f"/cases/{case.id}/letter").get_data(as_text=True)
    body = re.sub(r"\s+", " ", row.body_text)
    for paragraph in paragraphs(printed):
        assert paragraph in body, paragraph
    assert translated("es", "What we did") in body and "Revisamos el registro de llamadas." in body

    assert worker.send_due().sent == 1
    [delivered] = [m for m in smtp.messages if m["To"] == "ana@example.com"]
    assert subject(delivered) == row.subject
    sent = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "The letter was e-mailed to ana@example.com on" in sent
    assert "Send the letter by e-mail again" in sent


def test_a_refused_address_stays_in_the_outbox_and_the_case_says_so(app, client, sign_in, advocate, admin, smtp):
    case = resolved_case(advocate, email=REFUSED, language="ht")
    cases.email_letter(case, advocate, confirmed=True)
    db.session.commit()
    [row] = outbox("case_letter")
    assert row.subject == translated(
        "ht", "Our response to your concern (reference %(reference)s)", reference=case.reference
    )

    assert worker.send_due().retrying == 1
    db.session.refresh(row)
    assert row.status == OutboxStatus.QUEUED and "550" in row.last_error
    sign_in(advocate)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "has failed 1 time" in page and "User unknown" in page

    for _attempt in range(worker.MAX_ATTEMPTS - 1):
        make_due()
        worker.send_due()
    db.session.refresh(row)
    assert row.status == OutboxStatus.FAILED and row.body_text  # given up on, never lost
    assert smtp.messages == []
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert f"The letter could not be e-mailed to {REFUSED}." in page
    assert "Send the letter by e-mail again" in page

    client.sign_out()
    sign_in(admin)  # admins work cases but never see the patient's address
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "could not be e-mailed to the patient" in page and REFUSED not in page


def test_no_address_no_resolution_no_letter_by_e_mail(client, sign_in, advocate):
    case = resolved_case(advocate, email="")
    sign_in(advocate)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "the letter can only be printed" in page and "Send the letter by e-mail" not in page
    assert client.post_form(f"/cases/{case.id}/letter/email", {"confirm": "y"}).status_code == 422

    reopened = resolved_case(advocate)
    cases.change_status(reopened, advocate, "in_progress")
    db.session.commit()
    assert client.post_form(f"/cases/{reopened.id}/letter/email", {"confirm": "y"}).status_code == 422
    assert outbox("case_letter") == []


# --- the recipient hears of the acknowledgement ------------------------------------------------


def test_recipients_hear_of_an_acknowledgement_in_their_language(client, sign_in, staff, colleague, manager, smtp):
    colleague.language = "pt"
    quiet = PersonFactory(name="Quinn Silent", department=colleague.department, email_notifications=False)
    recognition = RecognitionFactory(giver=staff, recipients=[colleague, quiet])
    db.session.commit()
    sign_in(manager)
    note = "Obrigada, <Maria>!"
    assert client.post_form(f"/recognitions/{recognition.id}/acknowledge", {"note": note}).status_code == 302

    [row] = outbox("recognition_acknowledged")  # not the one who turned e-mails off
    assert row.to_address == colleague.email
    assert row.subject == translated("pt", "Your manager acknowledged a recognition of you")
    assert (
        translated("pt", "%(manager)s has seen a recognition you received and acknowledged it.", manager=manager.name)
        in row.body_text
    )
    assert note in row.body_text and "&lt;Maria&gt;" in row.body_html
    assert f"/recognitions/{recognition.id}" in row.body_text

    # Acknowledging twice tells nobody twice.
    client.post_form(f"/recognitions/{recognition.id}/acknowledge", {"note": "again"})
    assert len(outbox("recognition_acknowledged")) == 1
    assert worker.send_due().sent >= 1
    assert colleague.email in [m["To"] for m in smtp.messages]


def test_acknowledging_from_the_dashboard_is_the_same_acknowledgement(client, sign_in, staff, colleague, manager):
    recognition = RecognitionFactory(giver=staff, recipients=[colleague])
    db.session.commit()
    sign_in(manager)
    response = client.post_form(f"/dashboard/recognitions/{recognition.id}/acknowledge", {"note": "Seen, thank you."})
    assert response.status_code == 302

    [row] = outbox("recognition_acknowledged")
    assert row.to_address == colleague.email and "Seen, thank you." in row.body_text
    events = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.object_id == str(recognition.id)))
    assert "recognition_acknowledged" in list(events)
