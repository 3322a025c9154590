"""Numbers in refusals are written the reader's way: "5.000" in Spanish, "5 000" in Haitian Creole.

The limit a message states comes from Babel, never from ``%d``, so a Spanish reader does not see
"5,000", which reads as five in Spanish.
"""

from __future__ import annotations

import time

import pytest

from tracker.admin import settings_editor
from tracker.feedback import spam
from tracker.feedback.limits import MESSAGE_MAX

NBSP = "\N{NO-BREAK SPACE}"
TOO_LONG = {
    "en": "Please keep this under 5,000 characters.",
    "es": "Use menos de 5.000 caracteres.",
    "pt": "Use menos de 5.000 caracteres.",
    "ht": f"Tanpri pa depase 5{NBSP}000 karaktè.",
    "zh_Hans": "请不要超过 5,000 个字符。",
}
ACCEPT = {"en": "en", "es": "es", "pt": "pt-BR", "ht": "ht", "zh_Hans": "zh-CN"}


@pytest.mark.parametrize("locale", TOO_LONG)
def test_a_story_over_the_limit_states_the_limit_in_the_readers_format(app, client, hospital, locale):
    assert MESSAGE_MAX == 5000
    with app.test_request_context():
        started = spam.issue_started_token(now=time.time() - 60)
    story = "Maria held my hand. " * 260  # 5,200 characters
    response = client.post_form(
        "/feedback",
        {"type": "compliment", "message": story, "staff_names": "", "started": started, "website": ""},
        headers={"Accept-Language": ACCEPT[locale]},
    )
    assert response.status_code == 422
    assert TOO_LONG[locale] in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("locale", "expected"), [("en", "1 to 1,000"), ("es", "1 a 1.000"), ("ht", f"1 ak 1{NBSP}000")]
)
def test_a_setting_out_of_range_names_its_bounds_in_the_readers_format(app, locale, expected):
    values = {**settings_editor.current(), "daily_recognition_limit": 1001}
    with app.test_request_context(headers={"Accept-Language": ACCEPT[locale]}):
        errors = settings_editor.check(values)
    assert expected in errors["daily_recognition_limit"][0]
