"""A unit's "you said, we did" page on a 360 px phone in Spanish, and its monthly poster as printed."""

from __future__ import annotations

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, FeedbackFactory, PersonFactory
from tracker.feedback.services import hospital_today
from tracker.models import FeedbackStatus, FeedbackType, Role
from tracker.yousaid import services

SUMMARY = "We added six chairs and a water jug to the waiting room, so families can sit together at night."


def _published_actions():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=root)
    advocate = PersonFactory(name="Luz Ortega", email="advocate@example.org", department=root, roles={Role.ADVOCATE})
    month = hospital_today().strftime("%Y-%m")
    for summary in (SUMMARY, "Quiet hours now start at ten at night; staff dim the corridor lights."):
        feedback = FeedbackFactory(type=FeedbackType.SUGGESTION, status=FeedbackStatus.NOTED, unit=unit, language="es")
        action = services.record_action(advocate, summary=summary, unit_id=unit.id, month=month, feedback=feedback)
        services.approve(action, advocate)
    return month


def test_the_unit_page_in_spanish_on_a_phone_and_the_poster_in_print(live_server, browser):
    month = live_server.setup(_published_actions)
    context = browser.new_context(locale="es-ES", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/units/ellison-12/you-said-we-did")
        assert page.locator("html").get_attribute("lang") == "es"
        page.get_by_role("heading", name="Usted dijo, nosotros hicimos").wait_for()
        assert page.locator(".yousaid-action").first.get_attribute("lang") == "en"  # written once, in English
        assert SUMMARY in page.locator(".yousaid-actions").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        assert serious_accessibility_violations(page) == []

        page.get_by_role("link", name="Cartel de").click()
        page.wait_for_url(f"**/units/ellison-12/you-said-we-did/poster?month={month}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []

        page.set_viewport_size({"width": 816, "height": 1056})  # a Letter page at 96 dpi
        page.emulate_media(media="print")
        assert not page.get_by_role("button", name="Imprimir este cartel").is_visible()  # the button is not printed
        assert page.locator(".yousaid-poster-unit").inner_text() == "Ellison 12"
        title_size = page.locator(".yousaid-poster-title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        item_size = page.locator(".yousaid-poster-actions li").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"
        )
        assert title_size >= 60 and item_size >= 28  # 48 pt and 22 pt: readable across a corridor
        assert SUMMARY in page.locator(".yousaid-poster-actions").inner_text()
        pdf = page.pdf(format="Letter")
        assert pdf.startswith(b"%PDF")

        page.emulate_media(media="screen")
        page.goto(f"{live_server.url}/units/ellison-12/you-said-we-did/poster?month=marzo")
        assert "por ejemplo" in page.locator("#month-error").inner_text()
        assert serious_accessibility_violations(page) == []
        response = page.goto(f"{live_server.url}/units/no-such-unit/you-said-we-did")
        assert response.status == 404
    finally:
        context.close()


def _a_suggestion():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=root)
    PersonFactory(name="Luz Ortega", email="advocate@example.org", department=root, roles={Role.ADVOCATE})
    feedback = FeedbackFactory(
        type=FeedbackType.SUGGESTION, status=FeedbackStatus.NOTED, unit=unit, approved_message="More chairs, please."
    )
    return feedback.id


def test_an_advocate_records_rewords_and_publishes_on_a_phone(live_server, browser):
    feedback_id = live_server.setup(_a_suggestion)
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "advocate@example.org")
        page.goto(f"{live_server.url}/you-said-we-did")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []
        page.get_by_role("link", name="Record what was done").click()
        page.wait_for_url(f"**/you-said-we-did/suggestions/{feedback_id}")

        page.get_by_label("What was done, for the public page").fill("Mr Jones in room 12 asked, so we added chairs.")
        page.get_by_role("button", name="Save for approval").click()
        page.locator("#phi-findings").wait_for()
        assert page.locator("#phi-findings mark").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []

        page.get_by_label("What was done, for the public page").fill(SUMMARY)
        page.get_by_role("button", name="Save for approval").click()
        page.get_by_text("Approve it below").wait_for()
        page.get_by_role("button", name="Approve and publish").click()
        page.get_by_text("The patient left no e-mail address to tell.").wait_for()
        assert serious_accessibility_violations(page) == []
        page.goto(f"{live_server.url}/units/ellison-12/you-said-we-did")
        assert SUMMARY in page.locator(".yousaid-actions").inner_text()
    finally:
        context.close()
