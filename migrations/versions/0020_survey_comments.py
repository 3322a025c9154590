"""Survey comments: vendors' column mappings and unit codes, imports, and the comments themselves

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 21:30:00

Recognitions and feedback may now come from the patient-experience survey (source ``survey``):
the CHECK constraint of both ``source`` columns is widened. On PostgreSQL the constraint is dropped
and created again. On SQLite, rebuilding ``recognitions`` would cascade-delete its recipients and
standards while foreign keys are on (and the migration runs inside a transaction, where they cannot be
switched off), so the constraint's text is rewritten in the schema instead: SQLite documents this for
changes that leave the stored rows valid, as widening a list of allowed values does.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

OLD_SOURCES = ("peer", "patient", "paper_card", "letter", "email", "phone")
NEW_SOURCES = (*OLD_SOURCES, "survey")
SOURCE_TABLES = ("recognitions", "feedback")


def _condition(sources) -> str:
    return "source IN (" + ", ".join(f"'{source}'" for source in sources) + ")"


def _source_check(old, new) -> None:
    """Let both ``source`` columns hold ``new`` instead of ``old``."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
        bind.exec_driver_sql("PRAGMA writable_schema = ON")
        for table in SOURCE_TABLES:
            bind.exec_driver_sql(
                "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
                (f"CHECK ({_condition(old)})", f"CHECK ({_condition(new)})", table),
            )
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
        for table in SOURCE_TABLES:
            written = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
            if f"CHECK ({_condition(new)})" not in written.scalar():
                raise RuntimeError(
                    f"the source check of {table} was not found as the upgrade expects it; the upgrade stops here"
                )
        return
    for table in SOURCE_TABLES:
        op.drop_constraint(op.f(f"ck_{table}_source"), table, type_="check")
        op.create_check_constraint("source", table, _condition(new))


def upgrade():
    _source_check(OLD_SOURCES, NEW_SOURCES)
    op.create_table(
        "survey_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("text_column", sa.String(length=120), nullable=False),
        sa.Column("unit_column", sa.String(length=120), nullable=False),
        sa.Column("date_column", sa.String(length=120), nullable=False),
        sa.Column("survey_id_column", sa.String(length=120), nullable=False),
        sa.Column("question_id_column", sa.String(length=120), nullable=False),
        sa.Column("valence_column", sa.String(length=120), nullable=False),
        sa.Column("date_format", sa.String(length=40), nullable=False),
        sa.Column("wall_allowed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_mappings")),
        sa.UniqueConstraint("name", name=op.f("uq_survey_mappings_name")),
    )
    op.create_table(
        "survey_unit_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mapping_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_survey_unit_codes_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["mapping_id"],
            ["survey_mappings.id"],
            name=op.f("fk_survey_unit_codes_mapping_id_survey_mappings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_unit_codes")),
        sa.UniqueConstraint("mapping_id", "code", name=op.f("uq_survey_unit_codes_mapping_id")),
    )
    with op.batch_alter_table("survey_unit_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_unit_codes_department_id"), ["department_id"], unique=False)

    op.create_table(
        "survey_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mapping_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("comments_added", sa.Integer(), nullable=False),
        sa.Column("already_imported", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["people.id"], name=op.f("fk_survey_imports_imported_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["mapping_id"], ["survey_mappings.id"], name=op.f("fk_survey_imports_mapping_id_survey_mappings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_imports")),
    )
    with op.batch_alter_table("survey_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_imports_created_at"), ["created_at"], unique=False)

    op.create_table(
        "survey_uploads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("mapping_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mapping_id"],
            ["survey_mappings.id"],
            name=op.f("fk_survey_uploads_mapping_id_survey_mappings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"], ["people.id"], name=op.f("fk_survey_uploads_uploaded_by_id_people"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_uploads")),
        sa.UniqueConstraint("token", name=op.f("uq_survey_uploads_token")),
    )
    with op.batch_alter_table("survey_uploads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_uploads_created_at"), ["created_at"], unique=False)

    op.create_table(
        "survey_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.String(length=120), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("redacted_text", sa.Text(), nullable=False),
        sa.Column("compliment_text", sa.Text(), nullable=False),
        sa.Column("improvement_text", sa.Text(), nullable=False),
        sa.Column(
            "valence",
            sa.Enum(
                "positive",
                "negative",
                "mixed",
                "neutral",
                name="valence",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("vendor_valence", sa.String(length=40), nullable=False),
        sa.Column("health_information_found", sa.Boolean(), nullable=False),
        sa.Column("mentions", sa.JSON(), nullable=False),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "approved",
                "sent",
                "discarded",
                name="surveycommentstatus",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("recognition_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["people.id"], name=op.f("fk_survey_comments_decided_by_id_people")),
        sa.ForeignKeyConstraint(
            ["import_id"], ["survey_imports.id"], name=op.f("fk_survey_comments_import_id_survey_imports")
        ),
        sa.ForeignKeyConstraint(
            ["recognition_id"], ["recognitions.id"], name=op.f("fk_survey_comments_recognition_id_recognitions")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["departments.id"], name=op.f("fk_survey_comments_unit_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_comments")),
        sa.UniqueConstraint("survey_id", "question_id", name=op.f("uq_survey_comments_survey_id")),
    )
    with op.batch_alter_table("survey_comments", schema=None) as batch_op:
        batch_op.create_index("ix_survey_comments_import_id_status", ["import_id", "status"], unique=False)
        batch_op.create_index("ix_survey_comments_unit_id_decided_at", ["unit_id", "decided_at"], unique=False)


def downgrade():
    with op.batch_alter_table("survey_comments", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_comments_unit_id_decided_at")
        batch_op.drop_index("ix_survey_comments_import_id_status")

    op.drop_table("survey_comments")
    with op.batch_alter_table("survey_uploads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_uploads_created_at"))

    op.drop_table("survey_uploads")
    with op.batch_alter_table("survey_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_imports_created_at"))

    op.drop_table("survey_imports")
    with op.batch_alter_table("survey_unit_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_unit_codes_department_id"))

    op.drop_table("survey_unit_codes")
    op.drop_table("survey_mappings")
    # What came from the survey stays, as patients' words of an older kind.
    for table in SOURCE_TABLES:
        rows = sa.table(table, sa.column("source"))
        op.execute(rows.update().where(rows.c.source == "survey").values(source="patient"))
    _source_check(NEW_SOURCES, OLD_SOURCES)
