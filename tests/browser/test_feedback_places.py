"""'Where were you?' in Spanish on a 360 px phone, grouped by building or service; an admin unticks a place."""

from __future__ import annotations

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory
from tracker.extensions import db
from tracker.models import Department, Feedback, Role


def _hospital():
    hospital = DepartmentFactory(slug="hospital", name="General Hospital", patient_facing=False)
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=hospital, patient_facing=False)
    surgery = DepartmentFactory(slug="surgery", name="Surgery", parent=hospital, patient_facing=False)
    support = DepartmentFactory(slug="support", name="Support Services", parent=hospital, patient_facing=False)
    DepartmentFactory(slug="ellison-14", name="Ellison 14", parent=medicine)
    DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine)
    DepartmentFactory(slug="white-6", name="White 6", parent=surgery)
    DepartmentFactory(slug="security", name="Police and Security", parent=support, patient_facing=False)


def test_spanish_phone_user_chooses_a_place_from_the_grouped_list(live_server, browser):
    live_server.setup(_hospital)
    live_server.app.config["FEEDBACK_MINIMUM_SECONDS"] = 1
    context = browser.new_context(locale="es-ES", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/feedback")
        page.get_by_role("heading", name="Comparta su opinión").wait_for()
        place = page.get_by_label("¿Dónde estaba?")
        groups = place.locator("optgroup").evaluate_all(
            "groups => groups.map(g => [g.label, [...g.querySelectorAll('option')].map(o => o.textContent)])"
        )
        assert groups == [["Medicine", ["Ellison 12", "Ellison 14"]], ["Surgery", ["White 6"]]]
        values = place.locator("option").evaluate_all("options => options.map(o => o.value)")
        assert values == ["", "ellison-12", "ellison-14", "white-6"]
        assert place.evaluate("select => select.selectedOptions[0].textContent") == "No estoy seguro"
        assert "ordenados por edificio o servicio" in page.locator("#unit_slug-hint").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []

        page.get_by_label("Agradecer a alguien").check()
        page.get_by_label("¿Qué ocurrió?").fill("El enfermero nos explicó todo con calma.")
        place.select_option("white-6")
        page.get_by_role("button", name="Enviar").click()
        page.get_by_role("heading", name="Gracias").wait_for()

        # An old link to a place patients do not visit still opens the form, with a note and nothing chosen.
        page.goto(f"{live_server.url}/feedback/security")
        page.get_by_text("No encontramos el lugar de este enlace.").wait_for()
        assert place.input_value() == ""
        assert serious_accessibility_violations(page) == []
    finally:
        context.close()

    stored = live_server.query(
        lambda: db.session.scalar(sa.select(Department.slug).join(Feedback, Feedback.unit_id == Department.id))
    )
    assert stored == "white-6"


def test_admin_unticks_a_place_on_a_phone_and_it_leaves_the_form(live_server, browser):
    def build():
        _hospital()
        root = db.session.scalar(sa.select(Department).where(Department.slug == "hospital"))
        PersonFactory(name="Morgan Reyes", email="admin@example.org", department=root, roles={Role.ADMIN})
        return db.session.scalar(sa.select(Department.id).where(Department.slug == "white-6"))

    unit_id = live_server.setup(build)
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "admin@example.org")

        page.goto(f"{live_server.url}/admin/departments")
        page.get_by_role("link", name="QR poster for White 6").wait_for()
        assert serious_accessibility_violations(page) == []
        page.goto(f"{live_server.url}/admin/departments/{unit_id}")
        box = page.get_by_label("Patients and visitors come here")
        assert box.is_checked()
        assert serious_accessibility_violations(page) == []
        box.uncheck()
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(f"{live_server.url}/admin/departments")
        assert page.get_by_role("link", name="QR poster for White 6").count() == 0
    finally:
        context.close()

    flag = live_server.query(
        lambda: db.session.scalar(sa.select(Department.patient_facing).where(Department.id == unit_id))
    )
    assert flag is False
