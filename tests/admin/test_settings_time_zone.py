"""The hospital time zone picker: grouped by region, named by city in the reader's language, stored as the IANA key."""

from __future__ import annotations

import re
import zoneinfo

import sqlalchemy as sa

from tests.admin.test_admin_pages import settings_form
from tracker import settings
from tracker.admin import time_zones
from tracker.extensions import db
from tracker.models import Setting


def _groups(page: str) -> dict[str, dict[str, str]]:
    """optgroup label → {zone: option label} of the time zone select."""
    select = re.search(r'<select[^>]*name="timezone".*?</select>', page, re.S).group(0)
    groups = {}
    for label, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select, re.S):
        groups[label] = dict(re.findall(r'<option[^>]*value="([^"]+)"[^>]*>([^<]*)</option>', body))
    return groups


def _selected(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="timezone".*?</select>', page, re.S).group(0)
    return re.findall(r'<option selected value="([^"]+)"|<option value="([^"]+)" selected', select)


def test_zones_are_grouped_by_region_and_named_by_city(client, sign_in, admin):
    sign_in(admin)
    groups = _groups(client.get("/admin/settings").get_data(as_text=True))
    assert {"Americas", "Europe", "Africa", "Asia", "Pacific Ocean", "Other"} <= set(groups)
    assert groups["Americas"]["America/New_York"] == "New York"
    assert groups["Americas"]["America/Sao_Paulo"] == "São Paulo"
    assert groups["Americas"]["America/Port-au-Prince"] == "Port-au-Prince"
    assert groups["Europe"]["Europe/London"] == "London"
    assert groups["Other"] == {"UTC": "UTC"}
    offered = {zone for options in groups.values() for zone in options}
    assert offered <= zoneinfo.available_timezones()
    assert not offered & {"US/Eastern", "Asia/Calcutta", "EST5EDT", "Etc/GMT+5", "GB"}  # legacy aliases
    assert 300 < len(offered) < 500
    labels = list(groups["Americas"].values())
    assert labels == sorted(labels, key=time_zones._sort_key)  # alphabetical by city, accents aside


def test_city_names_follow_the_readers_language(client, sign_in, admin):
    sign_in(admin)
    client.post_form("/language", {"lang": "es"})
    groups = _groups(client.get("/admin/settings").get_data(as_text=True))
    assert groups["América"]["America/New_York"] == "Nueva York"
    client.post_form("/language", {"lang": "zh_Hans"})
    groups = _groups(client.get("/admin/settings").get_data(as_text=True))
    assert any(options.get("America/New_York") == "纽约" for options in groups.values())


def test_the_stored_value_stays_the_iana_key(client, sign_in, admin):
    sign_in(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "America/New_York" in str(_selected(page))
    assert client.post_form("/admin/settings", settings_form(timezone="America/Sao_Paulo")).status_code == 302
    assert settings.get("timezone") == "America/Sao_Paulo"
    assert "America/Sao_Paulo" in str(_selected(client.get("/admin/settings").get_data(as_text=True)))


def test_a_legacy_zone_already_stored_is_kept_not_replaced(client, sign_in, admin):
    settings.set_value("timezone", "US/Eastern")
    db.session.flush()
    sign_in(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "US/Eastern" in _groups(page)["Other"] and "US/Eastern" in str(_selected(page))
    assert client.post_form("/admin/settings", settings_form(timezone="US/Eastern")).status_code == 302
    assert settings.get("timezone") == "US/Eastern"


def test_an_unknown_or_hostile_zone_is_refused_with_a_message(client, sign_in, admin):
    sign_in(admin)
    for value in ("Mars/Olympus_Mons", "", "<script>alert(1)</script>", "x" * 5000, "../../etc/passwd"):
        response = client.post_form("/admin/settings", settings_form(timezone=value))
        assert response.status_code == 422, value
        page = response.get_data(as_text=True)
        assert "Choose a time zone from the list" in page and "<script>alert(1)" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Setting)) == 0


def test_without_zone_tab_the_region_zones_stand_in(monkeypatch, tmp_path):
    time_zones.canonical_zones.cache_clear()
    monkeypatch.setattr(zoneinfo, "TZPATH", (str(tmp_path),))
    try:
        zones = time_zones.canonical_zones()
        assert "America/New_York" in zones and "US/Eastern" not in zones and "UTC" not in zones
    finally:
        time_zones.canonical_zones.cache_clear()
