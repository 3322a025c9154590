"""Giving a recognition with the keyboard alone, and the recipient reading it; axe-core on every page."""

from __future__ import annotations

from tests.browser.conftest import serious_accessibility_violations
from tests.factories import PASSWORD, PersonFactory

STORY = "Maria and John <b>stayed</b> with a frightened patient until her daughter arrived."
MAX_TABS = 120


def tab_to(page, locator) -> None:
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        if locator.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def sign_in_by_keyboard(page, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Hello").wait_for()


def pick_colleague(page, typed: str, name: str) -> None:
    page.keyboard.type(typed)
    page.get_by_role("option", name=name).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("#chosen-list").get_by_label(name, exact=False).wait_for()


def test_two_colleagues_recognised_by_keyboard_alone_and_the_recipient_reads_it(live_server, page):
    def build():
        giver = PersonFactory(name="Sam Okafor", email="nurse@example.org")
        PersonFactory(name="Maria Lopez", email="maria@example.org", department=giver.department)
        PersonFactory(name="John Smith", email="john@example.org", job_title="Physician")

    live_server.setup(build)
    sign_in_by_keyboard(page, live_server.url, "nurse@example.org")

    tab_to(page, page.get_by_role("link", name="Recognise a colleague").first)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Recognise a colleague").wait_for()
    assert serious_accessibility_violations(page) == []

    tab_to(page, page.get_by_role("combobox", name="Find a colleague"))
    pick_colleague(page, "Mar", "Maria Lopez")
    pick_colleague(page, "Smi", "John Smith")
    assert page.get_by_role("combobox", name="Find a colleague").get_attribute("aria-expanded") == "false"

    first_standard = page.locator("input[name=standards]").first
    tab_to(page, first_standard)
    page.keyboard.press("Space")
    assert first_standard.is_checked()
    tab_to(page, page.get_by_label("What happened?"))
    page.keyboard.type(STORY)
    tab_to(page, page.get_by_role("button", name="Send recognition"))
    page.keyboard.press("Enter")

    page.get_by_text("Your recognition has been sent").wait_for()
    assert page.get_by_text(STORY).is_visible()  # shown as written, markup escaped
    assert page.get_by_role("heading", name="Maria Lopez, John Smith").is_visible()
    assert serious_accessibility_violations(page) == []

    tab_to(page, page.get_by_role("button", name="Sign out"))
    page.keyboard.press("Enter")
    page.get_by_text("You are signed out.").wait_for()
    sign_in_by_keyboard(page, live_server.url, "maria@example.org")
    tab_to(page, page.get_by_role("link", name="My recognitions").first)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="My recognitions").wait_for()
    assert page.get_by_text(STORY).is_visible()
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Maria Lopez, John Smith").click()
    page.get_by_role("button", name="Send thank-you").wait_for()
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []


def test_the_wall_and_the_tv_display_pass_axe_and_the_display_can_be_paused(live_server, page):
    def build():
        from tests.factories import RecognitionFactory

        maria = PersonFactory(name="Maria Lopez", email="maria@example.org")
        RecognitionFactory(recipients=[maria], message="First story")
        RecognitionFactory(recipients=[maria], message="Second story")
        return maria.department.slug

    slug = live_server.setup(build)
    sign_in_by_keyboard(page, live_server.url, "maria@example.org")
    page.goto(f"{live_server.url}/wall")
    page.get_by_text("First story").wait_for()
    assert serious_accessibility_violations(page) == []

    page.goto(f"{live_server.url}/wall/display/{slug}")
    assert page.get_by_text("Second story").is_visible()  # the newest first
    assert serious_accessibility_violations(page) == []
    pause = page.get_by_role("button", name="Pause")
    tab_to(page, pause)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Play").wait_for()
    assert page.get_by_role("button", name="Play").get_attribute("aria-pressed") == "true"
    tab_to(page, page.get_by_role("button", name="Next"))
    page.keyboard.press("Enter")
    page.get_by_text("First story").wait_for()
    assert page.console_errors == []
