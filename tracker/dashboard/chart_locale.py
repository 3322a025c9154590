"""Plotly's own words and its date and number formats, in the reader's language.

plotly.js speaks English only: its mode-bar buttons ("Zoom", "Download plot as a PNG"), its few
messages, and the month names and separators of its axes. ``dashboard.js`` registers this as a
Plotly locale before it draws a chart, so nothing on a chart is left in English.
"""

from __future__ import annotations

import re

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

# plotly.js's English text on the left, as it asks for it; ours on the right.
TEXTS = {
    "Download plot as a PNG": _l("Download the chart as a PNG image"),
    "Download plot": _l("Download the chart"),
    "Zoom": _l("Zoom"),
    "Pan": _l("Move around"),
    "Zoom in": _l("Zoom in"),
    "Zoom out": _l("Zoom out"),
    "Reset axes": _l("Reset the axes"),
    "Autoscale": _l("Fit to the data"),
    "Reset view": _l("Reset the view"),
    "Double-click to zoom back out": _l("Double-click to zoom back out"),
    "Double-click on legend to isolate one trace": _l("Double-click a legend entry to show only that series"),
    "Preparing image - this may take a few seconds": _l("Preparing the image; this may take a few seconds"),
    "Image download succeeded": _l("The image was downloaded"),
    "Sorry, there was a problem downloading your image!": _l("Sorry, the image could not be downloaded."),
}

# CLDR date patterns (Unicode LDML) to the d3 time format that plotly.js reads.
LDML_TO_D3 = {"d": "%-d", "dd": "%d", "M": "%-m", "MM": "%m", "MMM": "%b", "MMMM": "%B", "y": "%Y", "yyyy": "%Y"}
LDML_PART = re.compile(r"'([^']*)'|(d+|M+|y+)|([^'dMy]+)")


def _d3(pattern: str) -> str:
    parts = []
    for quoted, field, literal in LDML_PART.findall(pattern):
        parts.append(LDML_TO_D3.get(field, "") if field else (quoted or literal).replace("%", "%%"))
    return "".join(parts)


def plotly_locale() -> dict:
    """A plotly.js locale (``Plotly.register``) for the request's language."""
    locale = Locale.parse(str(get_locale() or "en"))
    days, months = locale.days["format"], locale.months["format"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]
    skeletons = locale.datetime_skeletons
    return {
        "moduleType": "locale",
        "name": str(locale),
        "dictionary": {english: str(ours) for english, ours in TEXTS.items()},
        "format": {
            "days": [days["wide"][day] for day in sunday_first],
            "shortDays": [days["abbreviated"][day] for day in sunday_first],
            "months": [months["wide"][month] for month in range(1, 13)],
            "shortMonths": [months["abbreviated"][month] for month in range(1, 13)],
            "periods": [locale.day_periods["format"]["abbreviated"][period] for period in ("am", "pm")],
            # Plotly replaces a registered locale whole: it gets every format, those the charts never
            # show (full dates and times, money) in ISO form.
            "dateTime": "%Y-%m-%d %H:%M:%S",
            "date": "%Y-%m-%d",
            "time": "%H:%M:%S",
            "decimal": locale.number_symbols["latn"]["decimal"],
            "thousands": locale.number_symbols["latn"]["group"],
            "grouping": [3],
            "currency": ["", ""],
            "year": "%Y",
            "month": _d3(skeletons["yMMM"].pattern),
            "dayMonth": _d3(skeletons["MMMd"].pattern),
            "dayMonthYear": _d3(skeletons["yMMMd"].pattern),
        },
    }
