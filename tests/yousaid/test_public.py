"""Each unit's public page and its monthly poster: approved actions only, grouped by month, in five languages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import FeedbackFactory
from tests.yousaid.conftest import this_month
from tracker.extensions import db
from tracker.feedback.services import hospital_today
from tracker.models import FeedbackStatus, FeedbackType
from tracker.yousaid import services


def months_ago(count: int) -> date:
    month = hospital_today().replace(day=1)
    for _ in range(count):
        month = (month.replace(day=1) - date.resolution).replace(day=1)
    return month


def published(person, unit, summary, month=None, approve=True):
    feedback = FeedbackFactory(type=FeedbackType.SUGGESTION, status=FeedbackStatus.NOTED, unit=unit)
    action = services.record_action(person, summary=summary, unit_id=unit.id,
                                    month=(month or hospital_today()).strftime("%Y-%m"), feedback=feedback)  # fmt: skip
    if approve:
        services.approve(action, person)
    db.session.commit()
    return action


def test_the_page_shows_only_approved_actions_of_the_unit_newest_month_first(client, advocate, manager, hospital):
    unit = hospital["ellison-12"]
    published(advocate, unit, "Older: quiet hours after 10 pm.", month=months_ago(2))
    published(advocate, unit, "Newer: a water jug in every room.", month=months_ago(0))
    published(advocate, unit, "Middle: a second microwave for families.", month=months_ago(1))
    published(manager, unit, "Waiting: not approved yet.", approve=False)
    published(advocate, hospital["white-6"], "Another unit's action.")

    response = client.get("/units/ellison-12/you-said-we-did")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.index("Newer:") < html.index("Middle:") < html.index("Older:")
    assert "Waiting:" not in html and "Another unit" not in html
    assert html.count('class="h4 yousaid-month"') == 3
    assert services.month_label(months_ago(1)) in html


def test_the_chrome_is_translated_and_the_summary_keeps_the_hospitals_language(client, advocate, hospital):
    published(advocate, hospital["ellison-12"], "We added six chairs to the waiting room.", month=date(2026, 3, 1))
    for language, heading, month in [
        ("es", "Usted dijo, nosotros hicimos", "marzo de 2026"),
        ("pt", "Você disse, nós fizemos", "março de 2026"),
        ("ht", "Ou te di, nou te fè", "mas 2026"),
        ("zh-CN", "您说，我们做", "2026年3月"),
    ]:
        html = client.get("/units/ellison-12/you-said-we-did", headers={"Accept-Language": language}).get_data(
            as_text=True
        )
        assert heading in html, language
        assert month in html, language
        assert '<li class="yousaid-action" lang="en">We added six chairs to the waiting room.</li>' in html


def test_an_empty_unit_says_so(client, hospital):
    html = client.get("/units/ellison-14/you-said-we-did").get_data(as_text=True)
    assert "Nothing to show yet" in html


@pytest.mark.parametrize("url", ["/units/no-such-unit/you-said-we-did", "/units/no-such-unit/you-said-we-did/poster",
                                 "/units/%3Cscript%3E/you-said-we-did"])  # fmt: skip
def test_an_unknown_unit_is_a_404_page(client, hospital, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_the_poster_shows_one_month(client, advocate, hospital):
    unit = hospital["ellison-12"]
    published(advocate, unit, "Last month: quiet hours.", month=months_ago(1))
    published(advocate, unit, "This month: water jugs.")
    html = client.get("/units/ellison-12/you-said-we-did/poster").get_data(as_text=True)
    assert "This month: water jugs." in html and "Last month" not in html
    assert "Ellison 12" in html and "yousaid.css" in html
    asked = months_ago(1).strftime("%Y-%m")
    html = client.get(f"/units/ellison-12/you-said-we-did/poster?month={asked}").get_data(as_text=True)
    assert "Last month: quiet hours." in html and "This month" not in html
    assert services.month_label(months_ago(1)) in html
    html = client.get("/units/ellison-12/you-said-we-did/poster?month=2001-01").get_data(as_text=True)
    assert "Nothing has been published for this month yet." in html


@pytest.mark.parametrize("month", ["2026-13", "03-2026", "yesterday", "<b>x</b>", "", "2999-01"])
def test_a_poster_month_that_is_not_yyyy_mm_gets_a_clear_message(client, hospital, month):
    response = client.get("/units/ellison-12/you-said-we-did/poster", query_string={"month": month})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="month-error"' in html
    assert "<b>x</b>" not in html
    assert ("like " in html) or ("has not come yet" in html)


def test_the_unit_page_lists_this_month(client, advocate, hospital):
    published(advocate, hospital["ellison-12"], "A month link.")
    html = client.get("/units/ellison-12/you-said-we-did").get_data(as_text=True)
    assert f"/units/ellison-12/you-said-we-did/poster?month={this_month()}" in html
