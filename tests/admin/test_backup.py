"""Backups: a create/restore round trip that compares every table, and the refusals around restore."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests import databases
from tests.conftest import make_test_config
from tests.factories import DepartmentFactory, FeedbackFactory, PersonFactory, RecognitionFactory
from tracker import backup, create_app
from tracker.extensions import db
from tracker.models import Role

pytestmark = pytest.mark.no_db_transaction


def every_table(app) -> dict[str, list[tuple]]:
    """Every row of every table (Alembic's included), in a stable order, as plain tuples."""
    with app.app_context():
        inspector = sa.inspect(db.engine)
        metadata = sa.MetaData()
        metadata.reflect(bind=db.engine)
        contents = {}
        with db.engine.connect() as connection:
            for name in sorted(inspector.get_table_names()):
                table = metadata.tables[name]
                rows = connection.execute(sa.select(table)).all()
                contents[name] = sorted((tuple(row) for row in rows), key=repr)
        return contents


def make_app(url, instance_path):
    application = create_app(make_test_config(url, str(instance_path)))
    return application


def fill(app):
    with app.app_context():
        root = DepartmentFactory(slug="hospital", name="General Hospital")
        unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=root)
        giver = PersonFactory(name="Zoë O'Brien", department=unit)
        receiver = PersonFactory(name="Sam Okafor", department=unit, roles={Role.MANAGER}, manages=[unit])
        RecognitionFactory(giver=giver, recipients=[receiver])
        FeedbackFactory()
        db.session.commit()


@pytest.fixture
def source_app(instance_path):
    with databases.fresh_database("backup-source") as url:
        app = make_app(url, instance_path)
        with app.app_context():
            upgrade()
        fill(app)
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def empty_app(instance_path):
    with databases.fresh_database("backup-target") as url:
        app = make_app(url, instance_path)
        yield app
        with app.app_context():
            db.engine.dispose()


def test_round_trip_restores_every_table_exactly(source_app, empty_app, tmp_path):
    file = tmp_path / "tracker.backup"
    created = source_app.test_cli_runner().invoke(args=["backup", "create", str(file)])
    assert created.exit_code == 0, created.output
    assert "schema revision" in created.output

    restored = empty_app.test_cli_runner().invoke(args=["backup", "restore", str(file)])
    assert restored.exit_code == 0, restored.output
    original, copy = every_table(source_app), every_table(empty_app)
    assert set(original) == set(copy) and "people" in copy and "alembic_version" in copy
    for table in original:
        assert copy[table] == original[table], table
    assert len(copy["people"]) == 2 and len(copy["recognitions"]) == 1


def test_restore_into_a_freshly_migrated_database_needs_no_force(source_app, empty_app, tmp_path):
    file = tmp_path / "tracker.backup"
    assert source_app.test_cli_runner().invoke(args=["backup", "create", str(file)]).exit_code == 0
    with empty_app.app_context():
        upgrade()  # only the seeded standards: nothing anybody entered
    restored = empty_app.test_cli_runner().invoke(args=["backup", "restore", str(file)])
    assert restored.exit_code == 0, restored.output
    assert every_table(empty_app)["people"] == every_table(source_app)["people"]


def test_restore_refuses_to_overwrite_data_without_force(source_app, tmp_path):
    file = tmp_path / "tracker.backup"
    assert source_app.test_cli_runner().invoke(args=["backup", "create", str(file)]).exit_code == 0
    with source_app.app_context():
        PersonFactory(name="Added After The Backup")
        db.session.commit()
    runner = source_app.test_cli_runner()

    refused = runner.invoke(args=["backup", "restore", str(file)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert "Added After The Backup" in str(every_table(source_app)["people"])

    forced = runner.invoke(args=["backup", "restore", str(file), "--force"])
    assert forced.exit_code == 0, forced.output
    assert "Added After The Backup" not in str(every_table(source_app)["people"])


def test_restore_checks_the_schema_revision(source_app, empty_app, tmp_path):
    file = tmp_path / "tracker.backup"
    assert source_app.test_cli_runner().invoke(args=["backup", "create", str(file)]).exit_code == 0
    with source_app.app_context():
        db.session.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
        db.session.commit()
    future = tmp_path / "future.backup"
    assert source_app.test_cli_runner().invoke(args=["backup", "create", str(future)]).exit_code == 0

    refused = empty_app.test_cli_runner().invoke(args=["backup", "restore", str(future)])
    assert refused.exit_code == 1 and "9999" in refused.output
    with empty_app.app_context():
        assert not sa.inspect(db.engine).get_table_names()  # nothing was restored


def test_restore_refuses_files_that_are_not_backups(empty_app, tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    result = empty_app.test_cli_runner().invoke(args=["backup", "restore", str(junk)])
    assert result.exit_code == 1 and "not a backup" in result.output
    missing = empty_app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "nope.backup")])
    assert missing.exit_code == 1 and "does not exist" in missing.output


def test_backup_revision_is_readable(source_app, tmp_path):
    file = tmp_path / "tracker.backup"
    assert source_app.test_cli_runner().invoke(args=["backup", "create", str(file)]).exit_code == 0
    with source_app.app_context():
        assert backup.read_revision(file) == backup.head_revision()


@pytest.mark.skipif(databases.backend() != "sqlite", reason="SQLite's online backup API")
def test_sqlite_backup_is_consistent_while_a_write_is_in_progress(source_app, tmp_path):
    """The app keeps serving: a transaction still open during the backup is simply not in it."""
    import sqlite3

    with source_app.app_context():
        path = db.engine.url.database
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE people SET name = 'Half Written'")
        file = tmp_path / "during-write.backup"
        result = source_app.test_cli_runner().invoke(args=["backup", "create", str(file)])
        assert result.exit_code == 0, result.output
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    copy = sqlite3.connect(file)
    try:
        names = sorted(row[0] for row in copy.execute("SELECT name FROM people"))
    finally:
        copy.close()
    assert names == ["Sam Okafor", "Zoë O'Brien"]
