from tests.browser.conftest import serious_accessibility_violations
from tests.factories import PASSWORD, PersonFactory


def test_sign_in_through_the_real_page(live_server, page):
    live_server.setup(lambda: PersonFactory(name="Sam Okafor", email="nurse@example.org"))

    page.goto(f"{live_server.url}/login")
    assert page.locator("html").get_attribute("lang") == "en"
    assert serious_accessibility_violations(page) == []

    page.get_by_label("Email").fill("nurse@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", name="Hello, Sam").wait_for()
    assert page.console_errors == []
    assert serious_accessibility_violations(page) == []


def test_wrong_password_gets_a_calm_message(live_server, page):
    live_server.setup(lambda: PersonFactory(email="nurse@example.org"))
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill("nurse@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("did not match an active account").wait_for()
