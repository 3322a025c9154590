"""``flask --app tracker surveys import FILE --mapping NAME [--dry-run]`` and the mapping commands."""

from __future__ import annotations

import sqlalchemy as sa

from tests.surveys.conftest import ROWS, export
from tracker.extensions import db
from tracker.models import SurveyComment, SurveyMapping, SurveyUnitCode


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyComment))


def test_dry_run_then_import_then_nothing_new(runner, tmp_path, mapping, unit_people):
    path = tmp_path / "march.csv"
    path.write_bytes(export(ROWS))
    dry = runner.invoke(args=["surveys", "import", str(path), "--mapping", "Press Ganey", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "4 new comments" in dry.output and "Dry run: nothing was imported." in dry.output and _count() == 0
    done = runner.invoke(args=["surveys", "import", str(path), "--mapping", "Press Ganey"])
    assert done.exit_code == 0, done.output
    assert "Imported 4 comments" in done.output and "Checking rows" in done.output and _count() == 4
    again = runner.invoke(args=["surveys", "import", str(path), "--mapping", "Press Ganey"])
    assert "0 new comments, 4 already imported" in again.output and _count() == 4
    assert "Nothing new to import" in again.output


def test_a_bad_file_imports_nothing_and_says_why(runner, tmp_path, mapping):
    path = tmp_path / "bad.csv"
    path.write_bytes(export([*ROWS, ["S9", "Q1", "X1", "31/31/2026", "Hello", ""]]))
    result = runner.invoke(args=["surveys", "import", str(path), "--mapping", "Press Ganey"])
    assert result.exit_code == 1
    assert "line 6: Unknown unit code “X1”" in result.output and "surveys unit-code" in result.output
    assert "Nothing was imported" in result.output and _count() == 0
    unknown = runner.invoke(args=["surveys", "import", str(path), "--mapping", "Nobody"])
    assert unknown.exit_code != 0 and "No mapping named 'Nobody'" in unknown.output


def test_mappings_and_unit_codes_are_saved_from_the_terminal(runner, hospital):
    saved = runner.invoke(
        args=["surveys", "mapping", "NRC", "--text", "Verbatim", "--unit", "Unit", "--date", "Visit",
              "--survey", "Survey", "--question", "Item", "--date-format", "%d/%m/%Y"]
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert runner.invoke(args=["surveys", "unit-code", "NRC", "4W", "white-6"]).exit_code == 0
    mapping = db.session.scalar(sa.select(SurveyMapping).where(SurveyMapping.name == "NRC"))
    code = db.session.scalar(sa.select(SurveyUnitCode).where(SurveyUnitCode.mapping_id == mapping.id))
    assert (mapping.text_column, code.code, code.department_id) == ("Verbatim", "4W", hospital["white-6"].id)
