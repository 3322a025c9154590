"""Importing a survey export: the dry run, all or nothing, idempotency, and every kind of bad input."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from tests.surveys.conftest import HEADER, ROWS, export
from tracker.extensions import db
from tracker.models import AuditEvent, SurveyComment, SurveyImport, Valence
from tracker.surveys import importing
from tracker.surveys.reading import MAX_ROWS


def _comments() -> list[SurveyComment]:
    return list(db.session.scalars(sa.select(SurveyComment).order_by(SurveyComment.line)))


def _messages(plan) -> str:
    return " | ".join(f"{p.line}: {p.message}" for p in plan.errors)


def test_dry_run_writes_nothing_and_apply_adds_every_comment(mapping, unit_people):
    plan = importing.plan_import(export(ROWS), "march.csv", mapping)
    assert plan.ok, _messages(plan)
    assert (plan.rows_read, len(plan.new), plan.already_imported) == (4, 4, 0)
    assert _comments() == []

    batch = importing.apply_plan(plan, None)
    comments = _comments()
    assert batch.comments_added == 4 and [c.line for c in comments] == [2, 3, 4, 5]
    praised = comments[0]
    assert praised.valence == Valence.POSITIVE and praised.matched
    assert set(praised.matched_person_ids) == {unit_people["maria"].id, unit_people["patel"].id}
    assert comments[1].valence == Valence.NEGATIVE and not comments[1].matched
    mixed = comments[2]
    assert mixed.valence == Valence.MIXED
    assert mixed.compliment_text == "Kevin the aide was so kind." and "dirty" in mixed.improvement_text
    assert mixed.matched_person_ids == [unit_people["kevin"].id]
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "survey.imported")) == 1


def test_a_second_import_of_the_same_file_changes_nothing(mapping, unit_people):
    importing.apply_plan(importing.plan_import(export(ROWS), "march.csv", mapping), None)
    before = [(c.id, c.text, c.status) for c in _comments()]
    again = importing.plan_import(export(ROWS), "march.csv", mapping)
    assert again.ok and again.new == [] and again.already_imported == 4
    assert importing.apply_plan(again, None) is None
    assert [(c.id, c.text, c.status) for c in _comments()] == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyImport)) == 1  # no empty batch either


def test_the_guard_redacts_what_staff_will_read(mapping, unit_people):
    rows = [["S9", "Q1", "E12", "03/02/2026", "Nurse Maria was wonderful with my father, MRN 12345678.", "positive"]]
    importing.apply_plan(importing.plan_import(export(rows), "f.csv", mapping), None)
    comment = _comments()[0]
    assert comment.health_information_found
    assert "12345678" in comment.text and "12345678" not in comment.redacted_text
    assert "12345678" not in comment.compliment_text


def test_xlsx_exports_import_like_csv_and_formulas_stay_text(mapping, unit_people):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["S1", "Q1", "E12", "03/02/2026", '=HYPERLINK("http://evil.example","click")', ""])
    sheet.append(["S2", "Q1", "E12", "03/02/2026", "Dr. Patel explained everything so kindly.", "positive"])
    content = io.BytesIO()
    workbook.save(content)
    plan = importing.plan_import(content.getvalue(), "march.xlsx", mapping)
    assert plan.ok, _messages(plan)
    assert [w.line for w in plan.warnings] == [2]
    assert plan.new[0].text.startswith("'=HYPERLINK(")
    importing.apply_plan(plan, None)
    assert _comments()[1].matched_person_ids == [unit_people["patel"].id]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "The file is empty."),
        (b"\xff\xfe\x00\x00garbage\x00\x01\x02", "not a CSV text file"),
        (b"PK\x03\x04not really a workbook", "could not be read as an Excel workbook"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(mapping, content, expected):
    plan = importing.plan_import(content, "export.csv", mapping)
    assert not plan.ok and plan.errors[0].line == 0 and expected in plan.errors[0].message


def test_an_unknown_encoding_is_refused_with_a_message(mapping):
    content = export([["S1", "Q1", "E12", "03/02/2026", "Très bien", ""]], encoding="utf-16-be")
    plan = importing.plan_import(content, "export.csv", mapping)
    assert not plan.ok and "not a CSV text file" in plan.errors[0].message


def test_windows_1252_exports_are_read(mapping, unit_people):
    rows = [["S1", "Q1", "E12", "03/02/2026", "José at the front desk was très gentil and kind", "positive"]]
    plan = importing.plan_import(export(rows, encoding="cp1252"), "export.csv", mapping)
    assert plan.ok and plan.new[0].text.startswith("José")


def test_missing_columns_are_named(mapping):
    plan = importing.plan_import(export([["S1", "E12"]], header=["Survey ID", "Unit Code"]), "x.csv", mapping)
    assert not plan.ok
    message = plan.errors[0].message
    assert "Question ID" in message and "Comment" in message and "The file has: Survey ID, Unit Code" in message


def test_each_bad_row_is_listed_with_its_line_and_nothing_is_imported(mapping):
    rows = [
        ["S1", "Q1", "E12", "03/02/2026", "Fine", ""],
        ["S2", "Q1", "ZZ9", "03/02/2026", "Unknown unit", ""],
        ["S3", "Q1", "E12", "2026.03.02", "Other date format", ""],
        ["S1", "Q1", "E12", "03/02/2026", "Repeated row", ""],
        ["S4", "Q1", "E12", "03/02/2026", "Odd valence", "super"],
        ["", "Q1", "E12", "03/02/2026", "No survey id", ""],
    ]
    plan = importing.plan_import(export(rows), "x.csv", mapping)
    errors = {p.line: p.message for p in plan.errors}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "Unknown unit code “ZZ9”" in errors[3] and plan.unknown_codes == {"ZZ9": 3}
    assert "“2026.03.02” is not a date written like 03/30/2026" in errors[4]
    assert "already on line 2" in errors[5]
    assert "super" in errors[6] and "survey id" in errors[7]
    with pytest.raises(ValueError):
        importing.apply_plan(plan, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyImport)) == 0


def test_oversized_files_are_refused_before_reading(mapping, monkeypatch):
    monkeypatch.setattr("tracker.surveys.reading.MAX_BYTES", 100)
    plan = importing.plan_import(export(ROWS), "big.csv", mapping)
    assert not plan.ok and "larger than" in plan.errors[0].message


def test_too_many_rows_are_refused(mapping, monkeypatch):
    monkeypatch.setattr("tracker.surveys.reading.MAX_ROWS", 2)
    plan = importing.plan_import(export(ROWS), "long.csv", mapping)
    assert not plan.ok and "more than" in plan.errors[0].message
    assert MAX_ROWS == 200_000
