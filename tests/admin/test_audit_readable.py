"""The audit trail page reads as sentences: labelled actions, named and linked records, details as pairs.

The CSV export stays raw, for machines.
"""

from __future__ import annotations

import csv
import io
import re

from tests.factories import PersonFactory, RecognitionFactory
from tracker import audit
from tracker.admin import audit_trail
from tracker.extensions import db
from tracker.models import Role


def _row(page: str, text: str) -> str:
    """The table row holding ``text``."""
    return next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if text in row)


def test_actions_records_and_details_are_readable(client, sign_in, admin, staff):
    recognition = RecognitionFactory()
    audit.record("recognition_returned", "recognition", recognition.id, actor=admin, reason="Needs more detail")
    audit.record("setting_changed", "setting", "timezone", actor=admin, old="America/New_York", new="Europe/London")
    audit.record("dashboard.export", "export", "", actor=admin, filters={"period": "30d", "unit": "ellison-12"}, rows=3)
    audit.record("roles_changed", "person", staff.id, actor=admin, roles=["advocate", "staff"], notified=False)
    db.session.flush()
    sign_in(admin)
    page = client.get("/admin/audit").get_data(as_text=True)

    returned = _row(page, "Recognition returned to its author")
    assert f'<a href="/recognitions/{recognition.id}">Recognition {recognition.id}</a>' in returned
    assert 'reason:</span> <span class="text-break">Needs more detail' in returned
    setting = _row(page, "Setting changed")
    assert '<a href="/admin/settings">Setting timezone</a>' in setting
    assert 'old value:</span> <span class="text-break">America/New_York' in setting
    export = _row(page, "Dashboard exported")
    assert "period: 30d, unit: ellison-12" in export and "{" not in export  # no dict repr
    roles = _row(page, "Roles changed")
    assert f'<a href="/admin/people/{staff.id}">Person {staff.id}</a>' in roles
    assert "advocate, staff" in roles and "[" not in roles and 'notified:</span> <span class="text-break">no' in roles
    assert "<code>" not in page


def test_the_filters_offer_readable_names_but_keep_the_keys(client, sign_in, admin):
    audit.record("case.list_viewed", "case", "", actor=admin, show="open")
    db.session.flush()
    sign_in(admin)
    page = client.get("/admin/audit").get_data(as_text=True)
    assert re.search(r'<option value="case.list_viewed">Case list read</option>', page)
    assert re.search(r'<option value="case">Case</option>', page)
    assert "Case list read" in client.get("/admin/audit?action=case.list_viewed").get_data(as_text=True)


def test_labels_follow_the_readers_language(client, sign_in, admin):
    audit.record("setting_changed", "setting", "timezone", actor=admin, old="UTC", new="UTC")
    db.session.flush()
    sign_in(admin)
    client.post_form("/language", {"lang": "es"})
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Ajuste cambiado" in page and "Setting changed" not in page


def test_unknown_actions_gone_records_and_odd_ids_fall_back_calmly(client, sign_in, admin):
    audit.record("something_new", "mystery", "7", actor=admin, note="<script>alert(1)</script>")
    audit.record("person_updated", "person", "999999", actor=admin)  # no such person (any more)
    audit.record("person_updated", "person", "9" * 40, actor=admin)
    audit.record("department_updated", "department", "not-a-number", actor=admin)
    db.session.flush()
    sign_in(admin)
    response = client.get("/admin/audit")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "something_new" in _row(page, "something_new") and "mystery 7" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Person 999999" in page and 'href="/admin/people/999999"' not in page
    assert "Person " + "9" * 40 in page and "Department not-a-number" in page


def test_only_records_the_viewer_may_open_are_linked(app, admin, advocate, staff, hospital):
    recognition = RecognitionFactory()
    audit.record("roles_changed", "person", staff.id, actor=admin)
    audit.record("recognition_approved", "recognition", recognition.id, actor=admin)
    audit.record("case.list_viewed", "case", "", actor=admin)
    db.session.flush()
    events = list(db.session.scalars(audit_trail.statement(audit_trail.AuditFilters())))
    with app.test_request_context():
        for_admin = {entry.event.action: entry.record_url for entry in audit_trail.entries(events, admin)}
        for_advocate = {entry.event.action: entry.record_url for entry in audit_trail.entries(events, advocate)}
    assert for_admin["roles_changed"] == f"/admin/people/{staff.id}"
    assert for_advocate["roles_changed"] is None  # the admin pages are not theirs
    assert for_admin["case.list_viewed"] is None  # no single record


def test_readable_values():
    assert audit_trail.readable_value(None) == "—"
    assert audit_trail.readable_value([]) == "—"
    assert audit_trail.readable_value({"b": [1, 2], "a_b": {"c": True}}) == "a b: c: yes, b: 1, 2"


def test_the_csv_export_stays_raw(client, sign_in, admin, staff):
    audit.record("roles_changed", "person", staff.id, actor=admin, roles=["advocate"])
    db.session.flush()
    sign_in(admin)
    response = client.get("/admin/audit.csv?action=roles_changed", buffered=True)
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert list(rows[0]) == audit_trail.CSV_COLUMNS
    assert (rows[0]["action"], rows[0]["object_type"], rows[0]["object_id"]) == (
        "roles_changed",
        "person",
        str(staff.id),
    )
    assert rows[0]["details"] == '{"roles": ["advocate"]}'


def test_links_follow_each_pages_own_access_rule(advocate):
    """The link rule reads the page's own access rule, not a list of roles kept here."""
    other = PersonFactory(name=advocate.name, roles={Role.ADVOCATE, Role.ADMIN})
    assert audit_trail._may_open(other, "admin.person_edit") and not audit_trail._may_open(
        advocate, "admin.person_edit"
    )
    assert audit_trail._may_open(advocate, "cases.detail")
