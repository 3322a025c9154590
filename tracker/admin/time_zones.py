"""The hospital time zone picker: IANA zones grouped by region, each named by its city in the reader's language."""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import cache
from pathlib import Path

from babel.dates import get_timezone_location
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

REGIONS = {
    "Africa": _l("Africa"),
    "America": _l("Americas"),
    "Antarctica": _l("Antarctica"),
    "Arctic": _l("Arctic"),
    "Asia": _l("Asia"),
    "Atlantic": _l("Atlantic Ocean"),
    "Australia": _l("Australia"),
    "Europe": _l("Europe"),
    "Indian": _l("Indian Ocean"),
    "Pacific": _l("Pacific Ocean"),
}
# Offered besides the places: what a server runs on, and a last resort.
EXTRA_ZONES = ("UTC",)


@cache
def canonical_zones() -> tuple[str, ...]:
    """One zone per place people live, from the tz database's ``zone.tab``.

    That file leaves out the old aliases ("US/Eastern", "Asia/Calcutta") that ``available_timezones()``
    also holds. Without it, the region-named zones stand in.
    """
    available = zoneinfo.available_timezones()
    for directory in zoneinfo.TZPATH:
        table = Path(directory) / "zone.tab"
        if table.is_file():
            lines = table.read_text(encoding="utf-8").splitlines()
            zones = {line.split("\t")[2].strip() for line in lines if line and not line.startswith("#")}
            return tuple(sorted(zones & available))
    return tuple(sorted(zone for zone in available if zone.split("/")[0] in REGIONS))


def city(zone: str, locale: str) -> str:
    """ "America/Sao_Paulo" → "São Paulo" (CLDR's name for it in ``locale``), else the key made readable."""
    try:
        return get_timezone_location(zone, locale=locale, return_city=True)
    except LookupError:
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def _sort_key(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold() or text


@cache
def _grouped(locale: str) -> tuple[tuple[str, str, str], ...]:
    """(group, zone, label) for every canonical zone, groups and labels in ``locale``'s alphabetical order."""
    rows = []
    for zone in canonical_zones():
        region = zone.split("/")[0]
        rows.append((str(REGIONS.get(region, region)), zone, city(zone, locale)))
    rows.sort(key=lambda row: (_sort_key(row[0]), _sort_key(row[2])))
    return tuple(rows)


def choices(form=None, field=None) -> list[SelectChoice]:
    """The picker's options; a zone still stored from before (a legacy alias) stays offered as it is."""
    locale = str(get_locale() or "en")
    options = [SelectChoice(zone, label, optgroup=group) for group, zone, label in _grouped(locale)]
    other = str(_l("Other"))
    extra = list(EXTRA_ZONES)
    current = getattr(field, "data", None)
    if current not in (*extra, *canonical_zones()) and current in zoneinfo.available_timezones():
        extra.append(current)
    return options + [SelectChoice(zone, zone, optgroup=other) for zone in extra]
