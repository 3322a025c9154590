"""Sample records for "you said, we did": a noted suggestion and a resolved concern of Ellison 12."""

from __future__ import annotations

import pytest

from tests.factories import FeedbackFactory
from tests.notifications.conftest import smtp_server  # noqa: F401  (a real SMTP server on loopback)
from tracker.cases.services import resolve
from tracker.feedback.services import hospital_today, open_case
from tracker.models import FeedbackStatus, FeedbackType


def this_month() -> str:
    return hospital_today().strftime("%Y-%m")


@pytest.fixture
def suggestion(hospital):
    """A Spanish-speaking visitor's suggestion, moderated, with an e-mail address left for a reply."""
    return FeedbackFactory(
        type=FeedbackType.SUGGESTION,
        status=FeedbackStatus.NOTED,
        unit=hospital["ellison-12"],
        message="Más sillas en la sala de espera, por favor.",
        approved_message="Más sillas en la sala de espera, por favor.",
        staff_names="",
        language="es",
        contact_email="ana@example.com",
    )


@pytest.fixture
def resolved_case(hospital, advocate):
    """A resolved concern of Ellison 12 from a patient who wrote in Haitian Creole and left an e-mail."""
    feedback = FeedbackFactory(
        type=FeedbackType.CONCERN,
        status=FeedbackStatus.CONVERTED,
        unit=hospital["ellison-12"],
        message="Pèsonn pa t reponn sonèt la.",
        staff_names="",
        language="ht",
        contact_email="jean@example.com",
    )
    case = open_case(feedback, summary=feedback.message)
    resolve(case, advocate, contact="Luz Ortega", steps="Spoke to the team.", outcome="Bells answered sooner.",
            completed_on=hospital_today())  # fmt: skip
    return case
