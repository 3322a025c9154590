"""Migrations build the schema the models describe, with a single head."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from tracker.extensions import db
from tracker.models import Behavior, Standard


def test_single_head(app):
    config = app.extensions["migrate"].migrate.get_config()
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_schema_matches_the_models(app, db_session):
    """The session's database was built by `db upgrade`; nothing is left for autogenerate to add."""
    context = MigrationContext.configure(db_session.connection(), opts={"compare_type": True, "render_as_batch": True})
    assert compare_metadata(context, db.metadata) == []


def test_first_migration_seeds_the_icare_standards(db_session):
    standards = db_session.scalars(db.select(Standard).order_by(Standard.position)).all()
    assert [s.key for s in standards] == ["communicate", "advocate", "respect", "empathize"]
    assert all(s.color.startswith("#") and len(s.color) == 7 for s in standards)
    assert len(set(s.color for s in standards)) == 4
    behaviors = db_session.scalars(db.select(Behavior)).all()
    assert len(behaviors) == 12
    assert all(b.patient_prompt for b in behaviors)
