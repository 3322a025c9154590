"""Queueing e-mails in the outbox, in the caller's transaction (never lost).

Nothing here talks to a mail server: rows are added to the session and committed with the
change that caused them, and :mod:`tracker.notifications.worker` delivers them later.
"""

from __future__ import annotations

from email.utils import make_msgid
from urllib.parse import urljoin

import sqlalchemy as sa
from babel.lists import format_list
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from tracker.extensions import db
from tracker.i18n import person_locale
from tracker.models import (
    Department,
    Feedback,
    OutboxMessage,
    Person,
    PersonRole,
    Recognition,
    Role,
    department_managers,
)


def absolute_url(path: str) -> str:
    """Links in e-mails point at the public address of the site, not at the worker's host."""
    return urljoin(current_app.config["PUBLIC_BASE_URL"].rstrip("/") + "/", path.lstrip("/"))


def new_message_id() -> str:
    """The RFC 5322 Message-ID, fixed at queue time so a resend is recognisable downstream."""
    domain = current_app.config["MAIL_SENDER"].rsplit("@", 1)[-1].strip(" >") or "localhost"
    return make_msgid(domain=domain)


def queue_email(
    to_address: str,
    subject: str,
    text_template: str,
    html_template: str,
    kind: str,
    *,
    message_id: str | None = None,
    locale: str | None = None,
    **context: object,
) -> OutboxMessage:
    """Render a text and an HTML body and add the message to the outbox (flushed by the caller).

    The bodies are written in ``locale`` when given (a patient who wrote to us in that language),
    else in the language of ``person`` (the recipient, when given in the context), else in the
    hospital's default language; callers write the subject in the same language.
    """
    with force_locale(locale or person_locale(context.get("person"))):
        body_text = render_template(text_template, **context)
        body_html = render_template(html_template, **context)
    message = OutboxMessage(
        kind=kind,
        message_id=message_id or new_message_id(),
        to_address=to_address,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    db.session.add(message)
    return message


def nearest_managers(department_ids: set[int]) -> list[Person]:
    """Active managers who answer for each department most closely.

    For every department, the managers of the department itself, or else of its nearest ancestor
    that has a manager: the nurse manager of a unit hears of it, not every director above them.
    """
    if not department_ids:
        return []
    paths = db.session.scalars(sa.select(Department.path).where(Department.id.in_(department_ids))).all()
    chains = [[int(part) for part in path.strip("/").split("/") if part] for path in paths]
    candidates = {department_id for chain in chains for department_id in chain}
    if not candidates:
        return []
    rows = db.session.execute(
        sa.select(department_managers.c.department_id, Person)
        .join(Person, Person.id == department_managers.c.person_id)
        .join(PersonRole, sa.and_(PersonRole.person_id == Person.id, PersonRole.role == Role.MANAGER))
        .where(department_managers.c.department_id.in_(candidates), Person.active.is_(True))
        .options(lazyload(Person.role_rows), lazyload(Person.managed_departments))
    ).all()
    managers_by_department: dict[int, list[Person]] = {}
    for department_id, person in rows:
        managers_by_department.setdefault(department_id, []).append(person)
    chosen: dict[int, Person] = {}
    for chain in chains:
        for department_id in reversed(chain):
            if department_id in managers_by_department:
                chosen.update({person.id: person for person in managers_by_department[department_id]})
                break
    return list(chosen.values())


def queue_recognition_notifications(recognition: Recognition) -> list[OutboxMessage]:
    """Tell each recipient (if they want e-mails) and their nearest managers about a published recognition."""
    link = absolute_url(f"/recognitions/{recognition.id}")
    recipients = [person for person in recognition.recipients if person.active]
    departments = {row.department_id for row in recognition.recipient_rows if row.department_id is not None}
    if recognition.unit_id is not None:
        departments.add(recognition.unit_id)
    recipient_ids = {person.id for person in recipients}
    managers = [
        manager
        for manager in nearest_managers(departments)
        if manager.id not in recipient_ids and manager.id not in {recognition.giver_id, recognition.reviewed_by_id}
    ]
    messages = []
    seen: set[str] = set()
    for audience, people in (("recipient", recipients), ("manager", managers)):
        for person in people:
            if not person.email_notifications or person.email in seen:
                continue
            seen.add(person.email)
            with force_locale(person_locale(person)):
                giver = recognition.giver.name if recognition.giver else (recognition.giver_name or _("A patient"))
                if audience == "recipient":
                    subject = _("%(giver)s recognised you for the icare standards", giver=giver)
                else:
                    subject = _("Your team was recognised for the icare standards")
            messages.append(
                queue_email(
                    person.email,
                    subject,
                    "email/recognition.txt",
                    "email/recognition.html",
                    f"recognition_{audience}",
                    person=person,
                    audience=audience,
                    recognition=recognition,
                    giver=giver,
                    link=link,
                )
            )
    return messages


def queue_reply_notification(reply) -> OutboxMessage | None:
    """The giver hears when a recipient says thank you."""
    giver = reply.recognition.giver
    if giver is None or not giver.active or not giver.email_notifications:
        return None
    with force_locale(person_locale(giver)):
        subject = _("%(author)s said thank you", author=reply.author.name)
    return queue_email(
        giver.email,
        subject,
        "email/reply.txt",
        "email/reply.html",
        "recognition_reply",
        person=giver,
        reply=reply,
        link=absolute_url(f"/recognitions/{reply.recognition_id}"),
    )


def queue_returned_notification(recognition: Recognition) -> OutboxMessage | None:
    """The giver learns why a pending recognition was returned, with their words to reuse."""
    giver = recognition.giver
    if giver is None or not giver.active or not giver.email_notifications:
        return None
    with force_locale(person_locale(giver)):
        subject = _("Your recognition was returned")
    return queue_email(
        giver.email,
        subject,
        "email/returned.txt",
        "email/returned.html",
        "recognition_returned",
        person=giver,
        recognition=recognition,
        link=absolute_url("/recognitions/new"),
    )


# --- closing the loop with patients and recipients ---------------------------------------------


def patient_email(feedback: Feedback | None) -> str | None:
    """Where a patient may be written to about their own feedback, or ``None``.

    The form has no separate "contact me" box: it says the contact details are only for replying
    to the patient, so leaving an e-mail address is the consent to be written to about this
    feedback. Details removed by the retention rule are gone for good.
    """
    if feedback is None or feedback.contact_removed_at is not None:
        return None
    return (feedback.contact_email or "").strip() or None


def patient_locale(feedback: Feedback | None) -> str:
    """The language the patient wrote in, when we have it, else the hospital's default."""
    language = getattr(feedback, "language", None)
    return language if language in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _reached(recognition: Recognition) -> list[str]:
    """Who the thanks reached, as a patient may read it: first names and their unit, never a full name."""
    reached = []
    for row in recognition.recipient_rows:
        first_name = row.person.first_name if row.person is not None else ""
        if not first_name:
            continue
        unit = db.session.get(Department, row.department_id) if row.department_id is not None else None
        reached.append(_("%(first_name)s (%(unit)s)", first_name=first_name, unit=unit.name) if unit else first_name)
    return reached


def queue_compliment_reached(feedback: Feedback, recognition: Recognition) -> OutboxMessage | None:
    """The patient hears that their thanks reached the person (or the unit's team) it was for.

    Nothing is quoted: the staff may have read a redacted version, and the patient knows what
    they wrote. Nobody is named when the thanks went to a whole unit.
    """
    address = patient_email(feedback)
    if address is None:
        return None
    language = patient_locale(feedback)
    with force_locale(language):
        subject = _("Your thanks reached our staff")
        people = format_list(_reached(recognition), locale=language) if recognition.recipient_rows else ""
    unit = recognition.unit.name if recognition.unit is not None else ""
    return queue_email(
        address,
        subject,
        "email/compliment_reached.txt",
        "email/compliment_reached.html",
        "compliment_reached",
        locale=language,
        feedback=feedback,
        people=people,
        unit=unit,
        shared=feedback.consent_to_share,
    )


def queue_acknowledgement_notifications(recognition: Recognition) -> list[OutboxMessage]:
    """Each recipient who wants e-mails hears that their manager acknowledged the recognition."""
    manager = recognition.acknowledged_by
    link = absolute_url(f"/recognitions/{recognition.id}")
    messages = []
    for person in recognition.recipients:
        if not person.active or not person.email_notifications or (manager is not None and person.id == manager.id):
            continue
        with force_locale(person_locale(person)):
            subject = _("Your manager acknowledged a recognition of you")
        messages.append(
            queue_email(
                person.email,
                subject,
                "email/acknowledged.txt",
                "email/acknowledged.html",
                "recognition_acknowledged",
                person=person,
                recognition=recognition,
                manager=manager,
                link=link,
            )
        )
    return messages


def queue_resolution_letter(case, address: str, language: str) -> OutboxMessage:
    """The written response to a concern, the same text as the printed letter, in ``language``."""
    with force_locale(language):
        subject = _("Our response to your concern (reference %(reference)s)", reference=case.reference)
    return queue_email(
        address,
        subject,
        "email/resolution_letter.txt",
        "email/resolution_letter.html",
        "case_letter",
        locale=language,
        case=case,
        feedback=case.feedback,
    )
