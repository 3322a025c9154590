"""Plotly's words and formats follow the reader's language, and the dashboard hands them to the charts."""

from __future__ import annotations

from flask_babel import force_locale

from tracker.dashboard import figures
from tracker.dashboard.chart_locale import TEXTS, plotly_locale


def test_plotly_gets_spanish_words_month_names_and_separators(app):
    with app.test_request_context(), force_locale("es"):
        locale = plotly_locale()
    assert locale["name"] == "es" and locale["moduleType"] == "locale"
    assert locale["dictionary"]["Zoom in"] == "Acercar"
    assert set(locale["dictionary"]) == set(TEXTS)
    assert locale["format"]["months"][10] == "noviembre" and locale["format"]["shortDays"][0] == "dom"
    assert (locale["format"]["decimal"], locale["format"]["thousands"]) == (",", ".")
    assert locale["format"]["dayMonth"] == "%-d %b"


def test_chinese_and_portuguese_dates_keep_their_own_words(app):
    with app.test_request_context(), force_locale("zh_Hans"):
        assert plotly_locale()["format"]["dayMonthYear"] == "%Y年%-m月%-d日"
    with app.test_request_context(), force_locale("pt"):
        assert plotly_locale()["format"]["dayMonth"] == "%-d de %b"


def test_the_dashboard_page_carries_the_readers_plotly_locale(client, sign_in, manager):
    sign_in(manager)
    client.post_form("/language", {"lang": "pt", "next": "/dashboard"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert '<script type="application/json" id="plotly-locale">' in page
    assert "Redefinir os eixos" in page


def test_the_gini_in_a_chart_title_uses_the_readers_decimal_mark(app):
    with app.test_request_context(), force_locale("es"):
        title = figures.lorenz_curve([(0.0, 0.0), (1.0, 1.0)], 0.514)["layout"]["title"]["text"]
    assert title.endswith("Gini 0,51")


def test_the_dashboard_names_the_standards_in_the_readers_language(client, sign_in, manager):
    sign_in(manager)
    client.post_form("/language", {"lang": "es", "next": "/dashboard"})
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Me comunico con calidez y amabilidad" in page  # the standard mix's table and chart
    assert "I communicate warmly and welcomingly" not in page
