"""Reviewing a survey import in bulk by keyboard alone, on a phone and a desktop, checked with axe-core."""

from __future__ import annotations

import sqlalchemy as sa

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, PersonFactory
from tests.surveys.conftest import ROWS, export
from tracker.extensions import db
from tracker.models import Recognition, Role, Source, SurveyComment, SurveyMapping, SurveyUnitCode
from tracker.surveys import importing


def _imported_batch() -> int:
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    medicine = DepartmentFactory(slug="medicine", name="Medicine", parent=root)
    unit = DepartmentFactory(slug="ellison-12", name="Ellison 12", parent=medicine)
    other = DepartmentFactory(slug="white-6", name="White 6", parent=root)
    PersonFactory(name="Luz Ortega", email="advocate@example.org", department=root, roles={Role.ADVOCATE})
    PersonFactory(name="Maria Lopez", department=unit)
    PersonFactory(name="Raj Patel", department=unit, job_title="Physician")
    PersonFactory(name="Kevin Brown", department=other, job_title="Patient Care Assistant")
    mapping = SurveyMapping(
        name="Press Ganey", text_column="Comment", unit_column="Unit Code", date_column="Discharge Date",
        survey_id_column="Survey ID", question_id_column="Question ID", valence_column="Sentiment",
        date_format="%m/%d/%Y",
        unit_codes=[SurveyUnitCode(code="E12", department=unit), SurveyUnitCode(code="W6", department=other)],
    )  # fmt: skip
    db.session.add(mapping)
    db.session.flush()
    return importing.apply_plan(importing.plan_import(export(ROWS), "march.csv", mapping), None).id


def _check_page(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []


def test_a_batch_is_reviewed_by_keyboard(live_server, browser):
    batch_id = live_server.setup(_imported_batch)
    for width in (360, 1280):
        context = browser.new_context(locale="en-US", viewport={"width": width, "height": 900})
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m, p=page: p.console_errors.append(m.text) if m.type == "error" else None)
        try:
            sign_in(page, live_server.url, "advocate@example.org")
            page.goto(f"{live_server.url}/moderation/surveys/{batch_id}")
            _check_page(page, width)
            page.goto(f"{live_server.url}/moderation/surveys")
            _check_page(page, width)
        finally:
            context.close()

    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    try:
        sign_in(page, live_server.url, "advocate@example.org")
        # An upload shows its progress, then lands on the dry run of the file.
        page.goto(f"{live_server.url}/moderation/surveys")
        extra = [["S8", "Q1", "E12", "03/09/2026", "Dr. Patel was great.", "positive"]]
        page.get_by_label("Survey export (CSV or XLSX)").set_input_files(
            {"name": "april.csv", "mimeType": "text/csv", "buffer": export([*ROWS, *extra])}
        )
        page.get_by_role("button", name="Check the file").click()
        page.wait_for_url("**/moderation/surveys/check/*")
        assert "1 new comment to import" in page.locator("main").inner_text()
        assert "4 comments already imported" in page.locator("main").inner_text()
        _check_page(page, 1280)

        page.goto(f"{live_server.url}/moderation/surveys/{batch_id}")
        # Filter to matched comments with the keyboard: the select, then Enter on the button.
        page.get_by_label("Staff named and found").focus()
        page.keyboard.press("ArrowDown")  # Any → Yes
        page.get_by_role("button", name="Filter").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**matched=yes*")
        table = page.get_by_role("table", name="Comments of this import")
        assert "Dr. Patel" in table.inner_text() and "food was cold" not in table.inner_text()
        _check_page(page, 1280)

        # Select the first comment with Space, choose a standard, approve with Enter.
        page.get_by_label("Select the comment on line 2").focus()
        page.keyboard.press("Space")
        assert page.get_by_label("Select the comment on line 2").is_checked()
        standards = page.get_by_label("icare standards of the approved compliments")
        standards.focus()
        page.keyboard.press("ArrowDown")  # the first standard
        page.get_by_role("button", name="Approve as recognitions").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "1 compliment approved as a recognition." in page.locator("body").inner_text()
        _check_page(page, 1280)

        # Select every remaining comment of the page with the "select all" box, then discard them.
        page.goto(f"{live_server.url}/moderation/surveys/{batch_id}?valence=negative")
        page.get_by_label("Select every comment on this page").focus()
        page.keyboard.press("Space")
        page.get_by_role("button", name="Discard").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "1 comment discarded." in page.locator("body").inner_text()
    finally:
        context.close()

    sources = live_server.query(lambda: db.session.scalars(sa.select(Recognition.source)).all())
    assert sources == [Source.SURVEY]
    statuses = live_server.query(
        lambda: dict(db.session.execute(sa.select(SurveyComment.line, SurveyComment.status)).all())
    )
    assert (statuses[2].value, statuses[3].value, statuses[4].value) == ("approved", "discarded", "pending")
