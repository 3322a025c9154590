"""Dates in JSON answers are ISO 8601, as the API document declares them."""

from datetime import UTC, date, datetime


def test_dates_and_times_are_written_in_iso_8601(app):
    with app.app_context():
        text = app.json.dumps({"day": date(2026, 12, 6), "at": datetime(2026, 12, 6, 21, 5, tzinfo=UTC)})
    assert text == '{"at": "2026-12-06T21:05:00+00:00", "day": "2026-12-06"}'
