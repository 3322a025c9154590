"""Migration 0016: waiting feedback is checked for health information; decided feedback is left unchecked."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tests import databases
from tests.conftest import make_test_config
from tracker import create_app
from tracker.extensions import db

ROWS = [
    (1, "pending", "Thank you. My mother's MRN is 1234567.", None),
    (2, "pending", "Thank you, Maria, for your kindness.", None),
    (3, "pending", "Her phone is 617-555-0123.", "Thank you, Maria."),  # checked as a moderator redacted it
    (4, "approved", "Call me on 617-555-0123.", "Thank you."),
]


def _insert(connection) -> None:
    for row_id, status, message, approved in ROWS:
        connection.execute(
            sa.text(
                "INSERT INTO feedback (id, reference, created_at, type, source, status, message, staff_names,"
                " location_text, occurred_when, language, consent_to_share, consent_to_wall, contact_name,"
                " contact_email, contact_phone, moderation_note, approved_message)"
                " VALUES (:id, :reference, :created_at, 'compliment', 'patient', :status, :message, '', '', '', 'en',"
                " false, false, '', '', '', '', :approved)"
            ),
            {
                "id": row_id,
                "reference": f"FB-MIG{row_id}",
                "created_at": datetime(2026, 12, 1, 9, 0),
                "status": status,
                "message": message,
                "approved": approved,
            },
        )


def _flags(connection) -> dict[int, bool | None]:
    rows = connection.execute(sa.text("SELECT id, health_information_found FROM feedback ORDER BY id")).all()
    return {row_id: None if flag is None else bool(flag) for row_id, flag in rows}


@pytest.mark.no_db_transaction
def test_the_migration_checks_waiting_feedback_and_goes_back_down(instance_path):
    with databases.fresh_database("queue-flag") as url:
        app = create_app(make_test_config(url, str(instance_path)))
        try:
            with app.app_context():
                upgrade(revision="0015")
                with db.engine.begin() as connection:
                    _insert(connection)
                upgrade(revision="0016")
                with db.engine.connect() as connection:
                    assert _flags(connection) == {1: True, 2: False, 3: False, 4: None}
                downgrade(revision="0015")
                columns = {c["name"] for c in sa.inspect(db.engine).get_columns("feedback")}
                assert "health_information_found" not in columns and "message" in columns
                with db.engine.connect() as connection:
                    assert connection.execute(sa.text("SELECT count(*) FROM feedback")).scalar() == len(ROWS)
                upgrade()
                with db.engine.connect() as connection:
                    assert _flags(connection)[1] is True
        finally:
            with app.app_context():
                db.engine.dispose()
