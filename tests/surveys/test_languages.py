"""The survey pages in every language of the app: each renders, with its numbers and placeholders filled."""

from __future__ import annotations

import io

import pytest

from tests.surveys.conftest import ROWS, export
from tracker.extensions import db
from tracker.surveys import importing


@pytest.mark.parametrize("language", ["es", "pt", "ht", "zh_Hans"])
def test_survey_pages_render_in_each_language(client, sign_in, advocate, manager, mapping, unit_people, language):
    batch = importing.apply_plan(importing.plan_import(export([*ROWS[:3]]), "march.csv", mapping), None)
    advocate.language = manager.language = language
    db.session.flush()
    sign_in(advocate)
    for url in ("/moderation/surveys", f"/moderation/surveys/{batch.id}", "/moderation/surveys/mappings/new"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "%(" not in response.get_data(as_text=True), url
    upload = client.post_form(
        "/moderation/surveys",
        {"mapping_id": str(mapping.id), "file": (io.BytesIO(export(ROWS)), "april.csv")},
        content_type="multipart/form-data",
    )
    check = client.get(upload.headers["Location"]).get_data(as_text=True)
    assert "%(" not in check
    client.sign_out()
    sign_in(manager)
    said = client.get("/surveys/what-patients-said")
    assert said.status_code == 200 and "%(" not in said.get_data(as_text=True)
