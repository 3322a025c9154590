"""Migration 0020: 'survey' becomes a source of recognitions and feedback, recipients untouched; and back."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import IntegrityError

from tests import databases
from tests.conftest import make_test_config
from tracker import create_app
from tracker.extensions import db

INSERT_RECOGNITION = sa.text(
    "INSERT INTO recognitions (id, created_at, source, status, visibility, giver_name, message, review_note,"
    " acknowledgement_note) VALUES (:id, :created_at, :source, 'published', 'private', '', 'Thank you', '', '')"
)


def _recognition(connection, row_id: int, source: str) -> None:
    connection.execute(INSERT_RECOGNITION, {"id": row_id, "created_at": datetime(2026, 12, 1, 9), "source": source})


@pytest.mark.no_db_transaction
def test_the_source_check_widens_and_narrows_without_touching_recipients(instance_path):
    with databases.fresh_database("survey-source") as url:
        app = create_app(make_test_config(url, str(instance_path)))
        try:
            with app.app_context():
                upgrade(revision="0019")
                with db.engine.begin() as connection:
                    connection.execute(
                        sa.text(
                            "INSERT INTO departments (id, slug, name, path, depth, active, patient_facing, created_at)"
                            " VALUES (1, 'unit', 'Unit', '/1/', 0, true, true, :now)"
                        ),
                        {"now": datetime(2026, 12, 1)},
                    )
                    connection.execute(
                        sa.text(
                            "INSERT INTO people (id, name, email, job_title, job_family, department_id, active,"
                            " show_on_walls, email_notifications, created_at, updated_at)"
                            " VALUES (1, 'Maria', 'm@example.org', '', '', 1, true, true, true, :now, :now)"
                        ),
                        {"now": datetime(2026, 12, 1)},
                    )
                    _recognition(connection, 1, "patient")
                    connection.execute(sa.text("INSERT INTO recognition_recipients VALUES (1, 1, 1)"))
                upgrade(revision="0020")
                with db.engine.begin() as connection:
                    _recognition(connection, 2, "survey")
                with pytest.raises(IntegrityError), db.engine.begin() as connection:
                    _recognition(connection, 3, "carrier pigeon")
                with db.engine.connect() as connection:
                    assert connection.execute(sa.text("SELECT count(*) FROM recognition_recipients")).scalar() == 1
                assert {"survey_comments", "survey_mappings"} <= set(sa.inspect(db.engine).get_table_names())
                downgrade(revision="0019")
                with db.engine.connect() as connection:
                    sources = connection.execute(sa.text("SELECT source FROM recognitions ORDER BY id")).scalars()
                    assert list(sources) == ["patient", "patient"]
                    assert connection.execute(sa.text("SELECT count(*) FROM recognition_recipients")).scalar() == 1
                assert "survey_comments" not in sa.inspect(db.engine).get_table_names()
                with pytest.raises(IntegrityError), db.engine.begin() as connection:
                    _recognition(connection, 4, "survey")
                upgrade()
        finally:
            with app.app_context():
                db.engine.dispose()
