"""Downloading the moderation decisions on a 360 px phone: the form under the queue, a refused range, the file."""

from __future__ import annotations

import codecs
import csv
import io
from datetime import timedelta
from pathlib import Path

from tests.browser.conftest import serious_accessibility_violations, sign_in
from tests.factories import DepartmentFactory, FeedbackFactory, PersonFactory
from tracker import clock
from tracker.models import FeedbackStatus, Role


def _decided_feedback():
    root = DepartmentFactory(slug="hospital", name="General Hospital")
    advocate = PersonFactory(name="Luz Ortega", email="advocate@example.org", department=root, roles={Role.ADVOCATE})
    now = clock.now()
    FeedbackFactory(reference="FB-WAITING", created_at=now - timedelta(hours=3))
    FeedbackFactory(
        reference="FB-DECIDED",
        status=FeedbackStatus.APPROVED,
        moderated_by=advocate,
        moderated_at=now - timedelta(hours=1),
        created_at=now - timedelta(days=1),
        message="La enfermera María cuidó a mi madre.",
        language="es",
    )


def test_the_decisions_download_on_a_phone(live_server, browser):
    live_server.setup(_decided_feedback)
    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 740}, accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, "advocate@example.org")

        page.goto(f"{live_server.url}/moderation")
        section = page.get_by_role("region", name="Download the decisions made (CSV)")
        assert "without what the patient wrote" in section.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []

        page.get_by_label("Decided from").fill("2026-03-02")
        page.get_by_label("Decided until").fill("2026-03-01")
        section.get_by_role("button", name="Download CSV").click()
        page.wait_for_url("**/moderation/decisions.csv?*")
        assert "The start date must be on or before the end date." in page.locator("#error-summary").inner_text()
        assert page.get_by_label("Decided from").get_attribute("aria-invalid") == "true"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert serious_accessibility_violations(page) == []

        page.get_by_label("Decided from").fill("")
        page.get_by_label("Decided until").fill("")
        with page.expect_download() as download:
            section.get_by_role("button", name="Download CSV").click()
        body = Path(download.value.path()).read_bytes()
        today = live_server.query(clock.hospital_today)
        assert download.value.suggested_filename == f"moderation-decisions-{today.isoformat()}.csv"
        assert body.startswith(codecs.BOM_UTF8)
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
        assert [(row["reference"], row["decision"], row["language"]) for row in rows] == [
            ("FB-DECIDED", "approved", "es")
        ]
        assert "María" not in body.decode("utf-8-sig")
    finally:
        context.close()
