"""Safety first on concerns: what a patient is told to do when it cannot wait, and what happens next.

A form is read by the office, not by the nurse at the bedside, so the public form and its
confirmation always say how to get help now. After a concern, the patient learns the reference
the office works it under and when the office will be in touch, read from the case's own deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import clock, settings
from tracker.extensions import db
from tracker.models import Case, Feedback, FeedbackType

HELP_PHONE_MAX = 40
HELP_PHONE_DIGITS = (3, 15)  # a short internal number up to the longest international one
# A number as people write it, with an optional extension: "+1 (617) 555-0123 ext. 4", "617 555 0123 x4".
HELP_PHONE = re.compile(
    r"^(?P<number>[+(0-9][0-9 ().-]*?) ?(?:(?:ext\.?|x) ?(?P<extension>[0-9]{1,6}))?$", re.IGNORECASE
)


@dataclass(frozen=True)
class UrgentHelp:
    """The hospital's number for help now, as the admin wrote it, and a link a phone can dial."""

    phone: str
    dial: str


@dataclass(frozen=True)
class Confirmation:
    """What the page after sending says: the reference to quote and, for a concern, when we reply.

    ``reply_days`` (set for a concern only) counts the hospital's calendar days from today to the
    case's acknowledgement deadline.
    """

    reference: str
    concern: bool = False
    reply_days: int = 0
    has_contact: bool = False


def tidy_help_phone(value: object) -> object:
    """The number with its spaces tidied (one space between parts); anything else is left to be refused."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _dial_uri(value: str) -> str | None:
    """The ``tel:`` address for a number that can be offered to patients, else ``None``."""
    match = HELP_PHONE.match(value) if len(value) <= HELP_PHONE_MAX else None
    if match is None:
        return None
    digits = re.sub(r"[^0-9]", "", match["number"])
    if not HELP_PHONE_DIGITS[0] <= len(digits) <= HELP_PHONE_DIGITS[1]:
        return None
    plus = "+" if match["number"].startswith("+") else ""
    # A comma is a pause: phones dial the extension once the call is answered.
    return f"tel:{plus}{digits}" + (f",{match['extension']}" if match["extension"] else "")


def help_phone_problem(value: object) -> str | None:
    """Why a number cannot be offered to patients, or ``None`` when it can (empty means no number)."""
    if value == "" or (isinstance(value, str) and _dial_uri(value) is not None):
        return None
    return _(
        "Enter a phone number of up to 40 characters with 3 to 15 digits, like 617 555 0123 or "
        "617 555 0123 ext. 4, or leave it empty."
    )


def urgent_help() -> UrgentHelp:
    """The number to offer; a stored value that cannot be dialled is not offered."""
    phone = settings.get("patient_help_phone")
    dial = _dial_uri(phone) if isinstance(phone, str) and phone else None
    return UrgentHelp(phone=phone, dial=dial) if dial else UrgentHelp(phone="", dial="")


def confirmation(feedback_reference: str) -> Confirmation | None:
    """The confirmation for stored feedback; a concern is quoted by its case, which the office works."""
    if not feedback_reference:
        return None
    feedback = db.session.scalar(sa.select(Feedback).where(Feedback.reference == feedback_reference))
    if feedback is None:
        return None
    case = None
    if feedback.type == FeedbackType.CONCERN:
        case = db.session.scalar(sa.select(Case).where(Case.feedback_id == feedback.id).order_by(Case.id))
    if case is None:
        return Confirmation(reference=feedback.reference)
    return Confirmation(
        reference=case.reference,
        concern=True,
        reply_days=max(0, (case.acknowledge_by - clock.hospital_today()).days),
        has_contact=bool(feedback.contact_email or feedback.contact_phone),
    )
