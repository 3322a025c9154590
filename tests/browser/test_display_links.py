"""A manager makes a TV display link on a 360 px phone; a browser without cookies opens it and sees the stories."""

from __future__ import annotations

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory, RecognitionFactory
from tracker.models import Role, Visibility

PHONE = {"width": 360, "height": 780}


def build():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    ward = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine)
    other = DepartmentFactory(slug="white-6", name="White 6", parent=root)
    PersonFactory(
        name="Dana Whitfield", email="manager@example.org", department=ward, roles={Role.MANAGER}, manages=[medicine]
    )
    maria = PersonFactory(name="Maria Lopez", department=ward)
    RecognitionFactory(recipients=[maria], message="Maria stayed with my father all night.")
    RecognitionFactory(recipients=[maria], message="A private thank-you", visibility=Visibility.PRIVATE)
    RecognitionFactory(recipients=[PersonFactory(department=other)], message="Another unit's story")


def test_a_manager_makes_a_display_link_and_a_tv_with_no_cookies_opens_it(live_server, page, browser):
    live_server.setup(build)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, "manager@example.org")

    page.goto(f"{live_server.url}/wall?unit=ellison-12")
    page.get_by_role("link", name="TV display links for this unit").click()
    page.get_by_role("heading", name="TV display links for Ellison 12").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Where is the screen?").fill("Nurses’ station TV")
    page.get_by_role("button", name="Create a display link").click()
    page.get_by_role("heading", name="Your new display link").wait_for()
    assert page.get_by_role("img", name="QR code of the new display link").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert serious_accessibility_violations(page) == []
    shown = page.get_by_role("textbox", name="Display link", exact=True).input_value()
    path = shown[shown.index("/display/") :]  # the address is at PUBLIC_BASE_URL; the test server is elsewhere
    assert page.console_errors == []

    tv = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 720})
    try:
        screen = tv.new_page()
        screen.goto(f"{live_server.url}{path}")
        screen.get_by_role("heading", name="Thank you, Ellison 12").wait_for()
        assert screen.get_by_text("Maria stayed with my father all night.").is_visible()
        assert screen.get_by_text("A private thank-you").count() == 0
        assert screen.get_by_text("Another unit's story").count() == 0
        assert tv.cookies() == []
        assert serious_accessibility_violations(screen) == []

        page.get_by_role("link", name="Revoke Nurses’ station TV").click()
        page.get_by_role("button", name="Revoke the link").click()
        page.get_by_text("was revoked").wait_for()
        screen.reload()
        screen.get_by_role("heading", name="This display link does not work").wait_for()
        assert tv.cookies() == []
    finally:
        tv.close()
