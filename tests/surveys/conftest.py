"""Survey fixtures: a vendor's mapping with its unit codes, and small exports written as the vendor would."""

from __future__ import annotations

import csv
import io

import pytest

from tests.factories import PersonFactory
from tracker.extensions import db
from tracker.models import SurveyMapping, SurveyUnitCode

HEADER = ["Survey ID", "Question ID", "Unit Code", "Discharge Date", "Comment", "Sentiment"]


def export(rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def press_ganey(departments: dict[str, int]) -> SurveyMapping:
    """The vendor mapping the survey tests use, with its unit codes (code → department id), flushed."""
    mapping = SurveyMapping(
        name="Press Ganey",
        text_column="Comment",
        unit_column="Unit Code",
        date_column="Discharge Date",
        survey_id_column="Survey ID",
        question_id_column="Question ID",
        valence_column="Sentiment",
        date_format="%m/%d/%Y",
        unit_codes=[SurveyUnitCode(code=code, department_id=department) for code, department in departments.items()],
    )
    db.session.add(mapping)
    db.session.flush()
    return mapping


@pytest.fixture
def mapping(hospital):
    return press_ganey({"E12": hospital["ellison-12"].id, "W6": hospital["white-6"].id})


@pytest.fixture
def unit_people(hospital, colleague):
    """Maria Lopez (nurse, Ellison 12, from the shared fixtures), Raj Patel (physician there), Kevin Brown (aide)."""
    return {
        "maria": colleague,
        "patel": PersonFactory(
            name="Raj Patel", email="raj.patel@example.org", department=hospital["ellison-12"], job_title="Physician"
        ),
        "kevin": PersonFactory(
            name="Kevin Brown",
            email="kevin@example.org",
            department=hospital["ellison-12"],
            job_title="Patient Care Assistant",
        ),  # fmt: skip
    }


ROWS = [
    ["S1", "Q1", "E12", "03/02/2026", "Our nurse Maria and Dr. Patel were wonderful.", "positive"],
    ["S2", "Q1", "E12", "03/03/2026", "The food was cold and we waited hours for discharge.", "negative"],
    ["S3", "Q1", "W6", "03/04/2026", "Kevin the aide was so kind. The room was dirty though.", ""],
    ["S4", "Q1", "E12", "03/05/2026", "Everyone was great, thank you.", "positive"],
]
