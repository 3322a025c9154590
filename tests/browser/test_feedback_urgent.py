"""Help now, on a 360 px phone in Spanish: the notice, the missing answers first, the concern's confirmation."""

from __future__ import annotations

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory
from tracker import clock
from tracker.extensions import db
from tracker.models import Case, Role

PHONE = "+1 (617) 555-0100 ext. 7"


def _hospital():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=root)
    PersonFactory(name="Morgan Reyes", email="admin@example.org", department=root, roles={Role.ADMIN})


def _admin_sets_the_number(browser, url: str) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    try:
        sign_in(page, url, "admin@example.org")
        page.goto(f"{url}/admin/settings")
        number = page.get_by_label("Phone number for help now")
        number.fill("<script>alert(1)</script>")
        page.get_by_role("button", name="Save settings").click()
        page.locator("#patient_help_phone-error").get_by_text("3 to 15 digits").wait_for()
        assert serious_accessibility_violations(page) == []
        page.get_by_label("Phone number for help now").fill(PHONE)
        page.get_by_role("button", name="Save settings").click()
        page.get_by_text("Settings saved.").wait_for()
        assert page.get_by_label("Phone number for help now").input_value() == PHONE
    finally:
        context.close()


def test_a_spanish_family_member_sees_help_now_and_what_happens_to_their_concern(live_server, browser):
    live_server.setup(_hospital)
    _admin_sets_the_number(browser, live_server.url)
    context = browser.new_context(locale="es-ES", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/feedback/ellison-12")
        assert page.locator("html").get_attribute("lang") == "es"
        notice = page.locator("#urgent-help")
        notice.get_by_role("heading", name="¿Necesita ayuda ahora?").wait_for()
        assert "dígaselo ahora a la enfermera" in notice.inner_text()
        assert notice.get_by_role("link", name=PHONE).get_attribute("href") == "tel:+16175550100,7"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
        assert serious_accessibility_violations(page) == []

        # Sent at once and empty: the page lists what is missing, not that it was too quick.
        live_server.app.config["FEEDBACK_MINIMUM_SECONDS"] = 3
        page.get_by_role("button", name="Enviar").click()
        summary = page.locator("#error-summary")
        summary.wait_for()
        assert summary.locator("li").first.inner_text().endswith("Elija lo que desea hacer.")
        assert "rápido" not in summary.inner_text()
        assert serious_accessibility_violations(page) == []

        live_server.app.config["FEEDBACK_MINIMUM_SECONDS"] = 0
        page.get_by_label("Expresar una queja").check()
        page.get_by_label("¿Qué ocurrió?").fill("Nadie vino cuando mi padre llamó por la noche.")
        page.get_by_label("Su correo electrónico (opcional)").fill("ana@example.com")
        page.get_by_role("button", name="Enviar").click()

        page.get_by_role("heading", name="Gracias").wait_for()
        reference = page.locator("#reference").inner_text().strip()
        reply = page.locator("#reply-time").inner_text()
        assert page.locator("#urgent-help").get_by_role("link", name=PHONE).is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()

    def days_to_reply() -> int | None:
        deadline = db.session.scalar(sa.select(Case.acknowledge_by).where(Case.reference == reference))
        return None if deadline is None else (deadline - clock.hospital_today()).days

    days = live_server.query(days_to_reply)
    assert days is not None and days >= 2
    assert f"en un plazo de {days} días" in reply
