"""Admins mark which departments patients and visitors come to; the list shows it with each place's poster."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests import databases
from tests.conftest import make_test_config
from tracker import create_app
from tracker.extensions import db
from tracker.models import AuditEvent, Department


def _department(slug: str) -> Department:
    return db.session.scalar(sa.select(Department).where(Department.slug == slug))


def _checkbox(page: str) -> str:
    return re.search(r'<input[^>]*id="patient_facing"[^>]*>', page).group(0)


def test_the_create_form_offers_the_checkbox_ticked_with_its_hint(client, sign_in, admin, hospital):
    sign_in(admin)
    page = client.get("/admin/departments").get_data(as_text=True)
    assert "checked" in _checkbox(page)
    assert '<label class="form-check-label" for="patient_facing">Patients and visitors come here</label>' in page
    assert 'aria-describedby="patient_facing-hint"' in _checkbox(page)
    assert "such as security or human resources" in page


@pytest.mark.parametrize("ticked, expected", [("y", True), (None, False)])
def test_a_new_department_is_a_place_only_when_ticked(client, sign_in, admin, hospital, ticked, expected):
    sign_in(admin)
    data = {"name": "Human Resources", "slug": "human-resources", "parent": hospital["hospital"].id}
    if ticked:
        data["patient_facing"] = ticked
    assert client.post_form("/admin/departments", data).status_code == 302
    assert _department("human-resources").patient_facing is expected
    created = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "department_created"))
    assert created.details["patient_facing"] is expected


def test_unticking_a_unit_takes_it_off_the_public_form_and_is_audited(client, sign_in, admin, hospital):
    unit = hospital["ellison-14"]
    sign_in(admin)
    page = client.get(f"/admin/departments/{unit.id}").get_data(as_text=True)
    assert "checked" in _checkbox(page)
    assert 'href="/units/ellison-14/poster"' in page
    response = client.post_form(
        f"/admin/departments/{unit.id}", {"name": unit.name, "parent": unit.parent_id, "active": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert unit.patient_facing is False and unit.active is True
    updated = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "department_updated"))
    assert updated.details["changes"] == ["patient_facing"]
    assert 'value="ellison-14"' not in client.get("/feedback").get_data(as_text=True)

    page = client.get(f"/admin/departments/{unit.id}").get_data(as_text=True)
    assert "checked" not in _checkbox(page)
    assert "/units/ellison-14/poster" not in page and "it has no QR poster" in page


def test_the_list_shows_which_departments_patients_come_to_with_their_poster(client, sign_in, admin, hospital):
    hospital["medicine"].patient_facing = False
    db.session.flush()
    sign_in(admin)
    page = client.get("/admin/departments").get_data(as_text=True)
    assert '<th scope="col">Patients come here</th>' in page
    rows = {slug: row for row in page.split("<tr>") for slug in re.findall(r"<code>([^<]+)</code>", row)}
    assert "No" in rows["medicine"] and "/units/medicine/poster" not in rows["medicine"]
    assert 'href="/units/ellison-12/poster"' in rows["ellison-12"]
    assert 'aria-label="QR poster for Ellison 12"' in rows["ellison-12"]


def test_the_spanish_admin_form_is_translated(client, sign_in, admin, hospital):
    sign_in(admin)
    page = client.get("/admin/departments", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Aquí vienen pacientes y visitantes" in page and "Vienen pacientes" in page


# --- the migration ---------------------------------------------------------------------------------


def _insert(connection, rows):
    for id_, slug, parent_id in rows:
        connection.execute(
            sa.text(
                "INSERT INTO departments (id, slug, name, parent_id, path, depth, active, created_at)"
                " VALUES (:id, :slug, :slug, :parent, '', 0, :active, CURRENT_TIMESTAMP)"
            ),
            {"id": id_, "slug": slug, "parent": parent_id, "active": True},
        )


def _flags(connection) -> dict[str, bool]:
    rows = connection.execute(sa.text("SELECT slug, patient_facing FROM departments")).all()
    return {slug: bool(flag) for slug, flag in rows}


@pytest.mark.no_db_transaction
def test_the_migration_marks_leaves_as_places_and_goes_back_down(instance_path):
    with databases.fresh_database("places") as url:
        app = create_app(make_test_config(url, str(instance_path)))
        try:
            with app.app_context():
                upgrade(revision="0016")
                with db.engine.begin() as connection:
                    _insert(
                        connection,
                        [(1, "hospital", None), (2, "medicine", 1), (3, "ellison-12", 2), (4, "chapel", 1)],
                    )
                upgrade(revision="0017")
                with db.engine.connect() as connection:
                    assert _flags(connection) == {
                        "hospital": False,
                        "medicine": False,
                        "ellison-12": True,
                        "chapel": True,
                    }
                downgrade(revision="0016")
                columns = {c["name"] for c in sa.inspect(db.engine).get_columns("departments")}
                assert "patient_facing" not in columns and "slug" in columns
                upgrade()
                with db.engine.connect() as connection:
                    assert _flags(connection)["ellison-12"] is True
        finally:
            with app.app_context():
                db.engine.dispose()
