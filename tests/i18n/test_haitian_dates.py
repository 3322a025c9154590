"""Dates in Haitian Creole: Creole month and day names, where Babel alone writes '2026 M11 9'."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from tracker.i18n import format_day, format_moment


@pytest.mark.parametrize(
    ("format", "expected"),
    [("medium", "9 nov. 2026"), ("long", "9 novanm 2026"), ("short", "09/11/2026"), ("full", "lendi 9 novanm 2026")],
)
def test_a_day_reads_in_creole(app, format, expected):
    with app.test_request_context(), force_locale("ht"):
        assert format_day(date(2026, 11, 9), format) == expected


def test_an_instant_is_the_hospital_s_day_and_time_in_creole(app):
    # 03:30 UTC on 1 July is 23:30 on 30 June in New York, the hospital's default time zone.
    with app.test_request_context(), force_locale("ht"):
        assert format_moment(datetime(2026, 7, 1, 3, 30, tzinfo=UTC)) == "30 jen 2026 23:30"


def test_other_languages_keep_babel_s_own_formats(app):
    with app.test_request_context(), force_locale("es"):
        assert format_day(date(2026, 11, 9)) == "9 nov 2026"


def test_pages_show_creole_dates(client, sign_in, staff):
    from tests.factories import RecognitionFactory

    RecognitionFactory(recipients=[staff], created_at=datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    sign_in(staff)
    client.post_form("/language", {"lang": "ht", "next": "/"})
    html = client.get("/me/recognitions").get_data(as_text=True)
    assert "2026 M" not in html  # no date in CLDR's root pattern
    assert "4 mas 2026" in html or "04/03/2026" in html
