"""The moderation queue on a 360 px phone: its columns, filters by keyboard, and a refused filter value."""

from __future__ import annotations

from datetime import timedelta

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, FeedbackFactory, PersonFactory
from tracker import clock
from tracker.models import FeedbackType, Role


def _waiting_feedback():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=root)
    PersonFactory(name="Luz Ortega", email="advocate@example.org", department=root, roles={Role.ADVOCATE})
    now = clock.now()
    FeedbackFactory(
        reference="FB-OLDPHI1",
        created_at=now - timedelta(days=3),
        message="La enfermera María cuidó a mi madre, historia clínica 1234567.",
        language="es",
        unit=unit,
        health_information_found=True,
    )
    FeedbackFactory(
        reference="FB-NEWSUG1",
        created_at=now - timedelta(hours=2),
        type=FeedbackType.SUGGESTION,
        message="More chairs in the waiting room, please.",
        health_information_found=False,
    )


def test_the_queue_on_a_phone_with_filters(live_server, browser):
    live_server.setup(_waiting_feedback)
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "advocate@example.org")

        page.goto(f"{live_server.url}/moderation")
        table = page.get_by_role("table", name="Feedback waiting for moderation")
        first = table.get_by_role("row").nth(1)
        assert "3 days" in first.inner_text() and "Overdue" in first.inner_text()
        assert "Possible health information" in first.inner_text() and "Español" in first.inner_text()
        assert "Suggestion" in table.get_by_role("row").nth(2).inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the table scrolls in its own box
        assert serious_accessibility_violations(page) == []

        page.get_by_label("Possible health information").select_option("yes")
        page.get_by_label("Overdue only").check()
        page.get_by_label("Overdue only").press("Enter")  # the form submits from the keyboard
        page.wait_for_url("**/moderation?*health_information=yes*")
        assert table.get_by_role("row").count() == 2  # the header and FB-OLDPHI1
        assert "FB-OLDPHI1" in table.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []

        response = page.goto(f"{live_server.url}/moderation?language=klingon")
        assert response.status == 422
        assert "Please choose from the list." in page.locator("#error-summary").inner_text()
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()
