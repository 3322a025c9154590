"""Queueing e-mails in the outbox, in the caller's transaction (never lost).

Nothing here talks to a mail server: rows are added to the session and committed with the
change that caused them, and :mod:`tracker.notifications.worker` delivers them later.
"""

from __future__ import annotations

import uuid
from email.utils import make_msgid
from urllib.parse import urljoin

import sqlalchemy as sa
from babel.lists import format_list
from flask import current_app, render_template
from flask_babel import force_locale, ngettext
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


def render_bodies(text_template: str, html_template: str, *, locale: str | None = None, **context) -> tuple[str, str]:
    """The text and HTML bodies, in ``locale`` or else the language of ``person`` in the context."""
    with force_locale(locale or person_locale(context.get("person"))):
        return render_template(text_template, **context), render_template(html_template, **context)


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
    body_text, body_html = render_bodies(text_template, html_template, locale=locale, **context)
    return add_to_outbox(kind, to_address, subject, body_text, body_html, message_id=message_id)


def add_to_outbox(
    kind: str, to_address: str, subject: str, body_text: str, body_html: str, *, message_id: str | None = None
) -> OutboxMessage:
    """Add a rendered message to the outbox (flushed by the caller)."""
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


class PreparedEmails:
    """E-mails about a recognition, rendered before it is stored: a writer renders nothing holding the write lock.

    The link to the recognition needs its id, which exists only once it is written: the bodies hold
    a random stand-in, replaced by the link in :meth:`queue`.
    """

    def __init__(self, recognition: Recognition):
        self.stand_in = f"recognition-link-{uuid.uuid4().hex}"
        self.messages: list[tuple[str, str, str, str, str]] = []  # kind, to, subject, text, HTML
        for audience, person in _recognition_audience(recognition):
            with force_locale(person_locale(person)):
                giver = recognition.giver.name if recognition.giver else (recognition.giver_name or _("A patient"))
                if audience == "recipient":
                    subject = _("%(giver)s recognised you for the icare standards", giver=giver)
                else:
                    subject = _("Your team was recognised for the icare standards")
            body_text, body_html = render_bodies(
                "email/recognition.txt",
                "email/recognition.html",
                person=person,
                audience=audience,
                recognition=recognition,
                giver=giver,
                link=self.stand_in,
            )
            self.messages.append((f"recognition_{audience}", person.email, subject, body_text, body_html))

    def queue(self, recognition: Recognition) -> list[OutboxMessage]:
        """Add the e-mails to the outbox, linking the recognition now that it has an id."""
        link = absolute_url(f"/recognitions/{recognition.id}")
        return [
            add_to_outbox(kind, to, subject, text.replace(self.stand_in, link), html.replace(self.stand_in, link))
            for kind, to, subject, text, html in self.messages
        ]


def _id_of(recognition: Recognition, relation: str) -> int | None:
    """A related person's or unit's id, also on a recognition that is not written yet."""
    related = getattr(recognition, relation)
    return related.id if related is not None else getattr(recognition, f"{relation}_id")


def _recognition_audience(recognition: Recognition) -> list[tuple[str, Person]]:
    """Who is e-mailed about a published recognition: its recipients, then their nearest managers, once each."""
    recipients = [person for person in recognition.recipients if person.active]
    departments = {row.department_id for row in recognition.recipient_rows if row.department_id is not None}
    if (unit_id := _id_of(recognition, "unit")) is not None:
        departments.add(unit_id)
    left_out = {person.id for person in recipients} | {_id_of(recognition, "giver"), _id_of(recognition, "reviewed_by")}
    managers = [manager for manager in nearest_managers(departments) if manager.id not in left_out]
    audience = []
    seen: set[str] = set()
    for kind, people in (("recipient", recipients), ("manager", managers)):
        for person in people:
            if not person.email_notifications or person.email in seen:
                continue
            seen.add(person.email)
            audience.append((kind, person))
    return audience


def queue_recognition_notifications(recognition: Recognition) -> list[OutboxMessage]:
    """Tell each recipient (if they want e-mails) and their nearest managers about a published recognition."""
    return PreparedEmails(recognition).queue(recognition)


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


# --- what patients said in surveys ---------------------------------------------------------------


def queue_survey_said_notifications(counts: dict[int, int]) -> list[OutboxMessage]:
    """Each manager concerned hears once how many survey comments reached which of their units.

    ``counts`` is the number of comments per unit. A unit's managers are its nearest ones, who
    read its comments on their page. The e-mail names only numbers and units, never the words:
    the guard may have missed some health information, and the page is behind sign-in.
    """
    units = {unit.id: unit for unit in db.session.scalars(sa.select(Department).where(Department.id.in_(counts)))}
    per_manager: dict[int, tuple[Person, dict[str, int]]] = {}
    for unit_id, count in counts.items():
        for manager in nearest_managers({unit_id}):
            theirs = per_manager.setdefault(manager.id, (manager, {}))[1]
            theirs[units[unit_id].name] = theirs.get(units[unit_id].name, 0) + count
    link = absolute_url("/surveys/what-patients-said")
    messages = []
    for manager, by_unit in per_manager.values():
        if not manager.email_notifications:
            continue
        total = sum(by_unit.values())
        with force_locale(person_locale(manager)):
            subject = ngettext(
                "%(num)d new comment from patient surveys about your units",
                "%(num)d new comments from patient surveys about your units",
                total,
            )
        messages.append(
            queue_email(
                manager.email,
                subject,
                "email/survey_said.txt",
                "email/survey_said.html",
                "survey_said",
                person=manager,
                total=total,
                by_unit=sorted(by_unit.items(), key=lambda item: item[0].casefold()),
                link=link,
            )
        )
    return messages
