"""The health-information guard on realistic patient sentences."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.phi import REDACTED, find_health_information, redact

TODAY = date(2025, 6, 1)


@pytest.mark.parametrize(
    ("text", "kind", "flagged"),
    [
        ("Her MRN is 00123456 and she was scared", "record_number", "00123456"),
        ("medical record number: A-4455667", "record_number", "A-4455667"),
        ("patient id #7788991", "record_number", "7788991"),
        ("account 99887766 was billed twice", "record_number", "99887766"),
        ("DOB 03/14/1948", "date_of_birth", "03/14/1948"),
        ("born on March 3, 1950 in Boston", "date_of_birth", "March 3, 1950"),
        ("my dad (7/2/1939) loved the nurses", "date_of_birth", "7/2/1939"),
        ("call me at (617) 555-0123 please", "phone", "(617) 555-0123"),
        ("my cell is +1 617.555.0199", "phone", "+1 617.555.0199"),
        ("write to ana.ruiz@example.com", "email", "ana.ruiz@example.com"),
        ("we live at 12 Maple Street, Apt 3", "address", "12 Maple Street, Apt 3"),
        ("My mother, Jane Doe, was so grateful", "patient_name", "Jane Doe"),
        ("she was in bed 4 by the window", "room_bed", "bed 4"),
        ("We were there on 5/20/2025 and room 14 was spotless.", "room_bed", "room 14"),
        ("thank you for helping with his diabetes", "condition", "diabetes"),
        ("the patient John Smith needed help", "patient_name", "John Smith"),
        ("my husband is Carlos and he", "patient_name", "Carlos"),
        ("SSN 123-45-6789", "id_number", "123-45-6789"),
    ],
)
def test_flags_each_kind_of_identifier(text, kind, flagged):
    findings = find_health_information(text, today=TODAY)
    assert [(f.kind, f.text) for f in findings] == [(kind, flagged)]
    assert flagged not in redact(text, findings)
    assert REDACTED in redact(text, findings)


@pytest.mark.parametrize(
    "text",
    [
        "Maria on Ellison 12 was wonderful on the night shift.",
        "We were there on 5/20/2025 and the surgery unit was spotless.",
        "Thank you to nurse Jon and Dr. Smith for 3 amazing days.",
        "The 2 transport staff were kind.",
    ],
)
def test_ordinary_thanks_are_not_flagged(text):
    assert find_health_information(text, today=TODAY) == []


def test_redaction_keeps_everything_else_and_several_findings():
    text = "Jon was great. MRN 1234567, call 617-555-0123."
    assert redact(text) == f"Jon was great. MRN {REDACTED}, call {REDACTED}."
