"""An admin uploads a roster, reads the dry run, applies it; every admin page is axe-core clean."""

from __future__ import annotations

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory
from tracker.extensions import db
from tracker.models import Person, Role, Standard

ROSTER = (
    "employee_id,name,email,job_title,department,role,active\r\n"
    "E1,Zoë O'Brien,zoe@example.org,Registered Nurse,ellison-12,,\r\n"
    "E2,Kwame Mensah,kwame@example.org,Patient Transport Aide,ellison-12,,\r\n"
).encode("utf-8-sig")


def _hospital_with_admin():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=root)
    admin = PersonFactory(name="Morgan Reyes", email="admin@example.org", department=root, roles={Role.ADMIN})
    return {"admin": admin.id, "unit": unit.id}


def test_roster_upload_dry_run_and_apply(live_server, page, tmp_path):
    live_server.setup(_hospital_with_admin)
    sign_in(page, live_server.url, "admin@example.org")
    roster = tmp_path / "roster.csv"
    roster.write_bytes(ROSTER)

    page.goto(f"{live_server.url}/admin/roster")
    page.get_by_label("Roster file (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Check the file").click()

    page.get_by_role("heading", name="Dry run of roster.csv").wait_for()
    assert page.get_by_role("cell", name="Zoë O'Brien").is_visible()
    assert page.get_by_role("cell", name="kwame@example.org").is_visible()
    assert serious_accessibility_violations(page) == []
    assert live_server.query(lambda: db.session.scalar(sa.select(sa.func.count()).select_from(Person))) == 1

    page.get_by_role("button", name="Apply these changes").click()
    page.get_by_text("Roster applied: 2 created, 0 updated, 0 deactivated.").wait_for()
    names = live_server.query(lambda: sorted(db.session.scalars(sa.select(Person.name))))
    assert names == ["Kwame Mensah", "Morgan Reyes", "Zoë O'Brien"]
    assert page.console_errors == []


def test_roster_with_problems_shows_their_lines(live_server, page, tmp_path):
    live_server.setup(_hospital_with_admin)
    sign_in(page, live_server.url, "admin@example.org")
    roster = tmp_path / "bad.csv"
    roster.write_text("employee_id,name,email,job_title,department\nE1,A,not-an-email,Nurse,nowhere\n")
    page.goto(f"{live_server.url}/admin/roster")
    page.get_by_label("Roster file (CSV)").set_input_files(str(roster))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Problems to fix before this file can be applied").wait_for()
    assert page.get_by_role("cell", name="2", exact=True).is_visible()
    assert page.get_by_role("button", name="Apply these changes").count() == 0
    assert serious_accessibility_violations(page) == []


def test_admin_pages_have_no_serious_accessibility_findings(live_server, page):
    ids = live_server.setup(_hospital_with_admin)
    standard_id = live_server.query(lambda: db.session.scalar(sa.select(Standard.id).order_by(Standard.id)))
    behaviour_id = live_server.query(lambda: db.session.get(Standard, standard_id).behaviors[0].id)
    sign_in(page, live_server.url, "admin@example.org")
    pages = [
        "/admin/",
        "/admin/departments",
        f"/admin/departments/{ids['unit']}",
        "/admin/people",
        f"/admin/people/{ids['admin']}",
        "/admin/roster",
        "/admin/standards",
        f"/admin/standards/{standard_id}",
        f"/admin/behaviours/{behaviour_id}",
        "/admin/settings",
        "/admin/audit",
    ]
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        assert serious_accessibility_violations(page) == [], path
    # A refused form shows its errors accessibly too.
    page.goto(f"{live_server.url}/admin/settings")
    page.get_by_label("Recognitions one person may give per day").fill("0")
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Enter a whole number from 1 to 1,000.").first.wait_for()
    assert serious_accessibility_violations(page) == []
    # The refused form answers 422, which Chromium reports; nothing else may appear.
    assert [error for error in page.console_errors if "status of 422" not in error] == []
