"""The colleague type-ahead tells namesakes apart by job title and unit, on screen and when read out."""

from __future__ import annotations

from tests.browser.conftest import serious_accessibility_violations
from tests.browser.test_recognitions import sign_in_by_keyboard, tab_to
from tests.factories import DepartmentFactory, PersonFactory


def build():
    giver = PersonFactory(name="Sam Okafor", email="nurse@example.org")
    blake = DepartmentFactory(slug="blake-12", name="Blake 12")
    white = DepartmentFactory(slug="white-9", name="White 9")
    resident = PersonFactory(name="James Anderson", job_title="Resident Physician", department=blake)
    physician = PersonFactory(name="James Anderson", job_title="Physician", department=white)
    return giver.id, resident.id, physician.id


def test_namesakes_are_told_apart_and_the_keyboard_picks_the_one_meant(live_server, page):
    _giver, resident, physician = live_server.setup(build)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        sign_in_by_keyboard(page, live_server.url, "nurse@example.org")
        page.goto(f"{live_server.url}/recognitions/new")
        combobox = page.get_by_role("combobox", name="Find a colleague")
        tab_to(page, combobox)
        page.keyboard.type("James And")

        first = page.get_by_role("option", name="James Anderson, Resident Physician, Blake 12", exact=True)
        second = page.get_by_role("option", name="James Anderson, Physician, White 9", exact=True)
        first.wait_for()
        assert second.is_visible()
        assert first.locator(".person-initials").inner_text() == "JA"
        assert first.locator(".person-initials").get_attribute("aria-hidden") == "true"
        assert page.locator("#people-status").inner_text().startswith("2 matching colleagues")
        assert serious_accessibility_violations(page) == []

        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert combobox.get_attribute("aria-activedescendant") == f"person-option-{physician}"
        page.keyboard.press("Enter")

        chosen = page.locator("#chosen-list input[name=recipients]")
        assert chosen.count() == 1 and chosen.get_attribute("value") == str(physician)
        assert page.locator("#chosen-list").get_by_label("James Anderson, Physician, White 9", exact=True).is_checked()
        assert page.locator("#people-status").inner_text() == "James Anderson, Physician, White 9 added."
        assert combobox.get_attribute("aria-expanded") == "false"
        assert page.locator(f"#person-option-{resident}").count() == 0
        assert page.console_errors == []
        page.context.clear_cookies()
