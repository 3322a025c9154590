"""Pasting more than a field takes, on a 360 px phone: the count says so, nothing is cut, and the server's
refusal keeps every word; axe-core finds nothing serious on the pages."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory, RecognitionFactory

PHONE = {"width": 360, "height": 740}
PASTE = ("Thank you for sitting with my mother through the night. " * 40)[:2151]
assert len(PASTE) == 2151


def _paste(page, field, text: str) -> None:
    """Put ``text`` in at the caret in one go, as a paste does."""
    field.focus()
    page.keyboard.insert_text(text)


def test_an_over_long_reply_is_counted_kept_and_refused_with_a_message(live_server, browser):
    def build():
        giver = PersonFactory(name="Sam Okafor", email="nurse@example.org")
        maria = PersonFactory(name="Maria Lopez", email="maria@example.org", department=giver.department)
        return RecognitionFactory(giver=giver, recipients=[maria]).id

    recognition_id = live_server.setup(build)
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # a script error, not the 422 itself
    try:
        sign_in(page, live_server.url, "maria@example.org")
        page.goto(f"{live_server.url}/recognitions/{recognition_id}")
        reply = page.get_by_label("Your thank-you")
        counter = page.locator("#message-count")
        expect(counter.locator("[data-counter-shown]")).to_have_text("0 of 2,000 characters")
        # Far from the limit a screen reader hears the limit, not a count at each keystroke.
        expect(counter.locator("[data-counter-spoken]")).to_have_text("Up to 2,000 characters.")

        _paste(page, reply, PASTE)
        assert len(reply.input_value()) == 2151  # nothing cut by the browser
        expect(counter.locator("[data-counter-shown]")).to_have_text(
            "2,151 of 2,000 characters: too long, please shorten it"
        )
        # Spoken once the typing pauses, because it is over the limit.
        expect(counter.locator("[data-counter-spoken]")).to_have_text(
            "2,151 of 2,000 characters: too long, please shorten it"
        )
        assert counter.get_attribute("aria-live") == "polite"
        assert "message-count" in reply.get_attribute("aria-describedby")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert serious_accessibility_violations(page) == []

        page.get_by_role("button", name="Send thank-you").click()
        page.get_by_text("Please keep it under 2,000 characters (now 2,151).").first.wait_for()
        assert reply.input_value() == PASTE
        expect(counter.locator("[data-counter-shown]")).to_contain_text("too long")
        assert serious_accessibility_violations(page) == []
        assert errors == []
    finally:
        context.close()


def test_a_long_pasted_story_on_the_public_form_is_counted_and_kept(live_server, browser):
    def build():
        hospital = DepartmentFactory(slug="hospital", name="General Hospital")
        DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=hospital)

    live_server.setup(build)
    live_server.app.config["FEEDBACK_MINIMUM_SECONDS"] = 0
    context = browser.new_context(locale="en-US", viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))  # a script error, not the 422 itself
    try:
        page.goto(f"{live_server.url}/feedback/ellison-12")
        page.locator("#type-1").check()
        message = page.locator("#message")
        shown = page.locator("#message-count [data-counter-shown]")
        expect(shown).to_have_text("0 of 5,000 characters")

        _paste(page, message, PASTE)
        expect(shown).to_have_text("2,151 of 5,000 characters")
        _paste(page, message, PASTE + PASTE)
        story = PASTE * 3
        assert message.input_value() == story
        expect(shown).to_have_text("6,453 of 5,000 characters: too long, please shorten it")
        assert serious_accessibility_violations(page) == []

        page.get_by_role("button", name="Send").click()
        page.get_by_text("Please keep this under 5,000 characters.").first.wait_for()
        assert message.input_value() == story
        expect(shown).to_contain_text("too long")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert serious_accessibility_violations(page) == []
        assert errors == []
    finally:
        context.close()
