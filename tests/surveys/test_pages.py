"""The survey pages: who may open them, upload and dry run, unit codes, import, bulk review, what patients said."""

from __future__ import annotations

import gc
import io

import pytest
import sqlalchemy as sa

from tests.factories import first_standard
from tests.surveys.conftest import ROWS, export
from tracker import settings
from tracker.extensions import db
from tracker.models import (
    OutboxMessage,
    Recognition,
    Source,
    SurveyComment,
    SurveyCommentStatus,
    SurveyImport,
    SurveyMapping,
    SurveyUnitCode,
    Visibility,
)
from tracker.surveys import importing


def _upload(client, mapping, content: bytes, name: str = "march.csv"):
    return client.post_form(
        "/moderation/surveys",
        {"mapping_id": str(mapping.id), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _imported(mapping) -> SurveyImport:
    return importing.apply_plan(importing.plan_import(export(ROWS), "march.csv", mapping), None)


def _ids(*comments) -> list[str]:
    return [str(c.id) for c in comments]


def _comment(line: int) -> SurveyComment:
    statement = sa.select(SurveyComment).where(SurveyComment.line == line)
    return db.session.scalar(statement.execution_options(populate_existing=True))


def test_only_advocates_and_admins_import(client, sign_in, manager, staff, mapping):
    assert client.get("/moderation/surveys").status_code == 302
    sign_in(manager)
    assert client.get("/moderation/surveys").status_code == 403
    batch = _imported(mapping)
    assert client.get(f"/moderation/surveys/{batch.id}").status_code == 403


def test_upload_check_map_codes_and_import(client, sign_in, advocate, mapping, unit_people, hospital):
    rows = [*ROWS, ["S5", "Q1", "E14", "03/06/2026", "Nurse Maria was lovely.", "positive"]]
    sign_in(advocate)
    response = _upload(client, mapping, export(rows))
    assert response.status_code == 302
    check = client.get(response.headers["Location"])
    page = check.get_data(as_text=True)
    assert "Unknown unit code “E14”" in page and "Line 6:" in page and "Import 4" not in page
    token = response.headers["Location"].rsplit("/", 1)[1]
    assert client.post_form(f"/moderation/surveys/check/{token}/import").status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyComment)) == 0

    saved = client.post_form(f"/moderation/surveys/check/{token}/codes", {"code:E14": str(hospital["ellison-14"].id)})
    assert saved.status_code == 302
    code = db.session.scalar(sa.select(SurveyUnitCode).where(SurveyUnitCode.code == "E14"))
    assert code.department_id == hospital["ellison-14"].id
    page = client.get(f"/moderation/surveys/check/{token}").get_data(as_text=True)
    assert "Import 5 comments" in page

    imported = client.post_form(f"/moderation/surveys/check/{token}/import")
    assert imported.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyComment)) == 5
    batch_page = client.get(imported.headers["Location"]).get_data(as_text=True)
    assert "Raj Patel" in batch_page and "Kevin Brown" in batch_page
    assert client.post_form(f"/moderation/surveys/check/{token}/import").status_code == 404  # used once


def test_a_file_over_the_limit_gets_a_clear_message(client, sign_in, advocate, mapping, monkeypatch):
    monkeypatch.setattr("tracker.surveys.views.MAX_BYTES", 1000)
    sign_in(advocate)
    response = _upload(client, mapping, b"x" * 200_000)
    assert response.status_code == 303
    assert "The file is larger than 50 MB" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyImport)) == 0


# Werkzeug's test client spools a body this large to a temporary file it never closes.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_export_larger_than_other_forms_is_accepted(client, sign_in, advocate, mapping, unit_people):
    rows = [[f"S{n}", "Q1", "E12", "03/02/2026", "Nurse Maria was wonderful. " * 40, ""] for n in range(3000)]
    content = export(rows)
    assert len(content) > 2 * 1024 * 1024  # over the limit of every other form
    sign_in(advocate)
    assert _upload(client, mapping, content).status_code == 302
    gc.collect()  # let the client's spooled body go here, where its warning is expected


def test_a_refused_upload_form_says_why(client, sign_in, advocate, mapping):
    sign_in(advocate)
    no_file = client.post_form("/moderation/surveys", {"mapping_id": str(mapping.id)})
    assert no_file.status_code == 422 and "Choose the survey export to check." in no_file.get_data(as_text=True)
    unknown = client.post_form(
        "/moderation/surveys",
        {"mapping_id": "999999", "file": (io.BytesIO(export(ROWS)), "march.csv")},
        content_type="multipart/form-data",
    )
    assert unknown.status_code == 422 and "Choose a saved mapping" in unknown.get_data(as_text=True)
    garbage = client.post_form(
        "/moderation/surveys",
        {"mapping_id": "abc", "file": (io.BytesIO(export(ROWS)), "march.csv")},
        content_type="multipart/form-data",
    )
    assert garbage.status_code == 422
    assert client.get("/moderation/surveys/check/not-a-token").status_code == 404
    assert client.get("/moderation/surveys/999999").status_code == 404


def test_a_mapping_is_saved_with_its_columns(client, sign_in, advocate, hospital):
    sign_in(advocate)
    fields = {
        "name": "NRC Health", "text_column": "Verbatim", "unit_column": "Service Line", "date_column": "Visit",
        "survey_id_column": "Survey", "question_id_column": "Item", "valence_column": "", "date_format": "%d/%m/%Y",
    }  # fmt: skip
    assert client.post_form("/moderation/surveys/mappings/new", fields).status_code == 302
    mapping = db.session.scalar(sa.select(SurveyMapping).where(SurveyMapping.name == "NRC Health"))
    assert mapping.text_column == "Verbatim" and mapping.date_format == "%d/%m/%Y" and not mapping.wall_allowed
    refused = client.post_form("/moderation/surveys/mappings/new", fields | {"text_column": "", "date_format": "x"})
    assert refused.status_code == 422
    assert "Another mapping already has this name." in refused.get_data(as_text=True)


def test_filters_narrow_the_batch(client, sign_in, advocate, mapping, unit_people, hospital):
    batch = _imported(mapping)
    sign_in(advocate)
    url = f"/moderation/surveys/{batch.id}"
    matched = client.get(url + "?matched=yes").get_data(as_text=True)
    assert "Dr. Patel" in matched and "food was cold" not in matched
    negative = client.get(url + "?valence=negative").get_data(as_text=True)
    assert "food was cold" in negative and "Dr. Patel" not in negative
    white = client.get(url + f"?unit={hospital['white-6'].id}").get_data(as_text=True)
    assert "Kevin" in white and "Dr. Patel" not in white
    assert client.get(url + "?valence=sideways").status_code == 422


def test_bulk_approve_makes_private_survey_recognitions(client, sign_in, advocate, mapping, unit_people):
    batch = _imported(mapping)
    sign_in(advocate)
    praised, mixed = _comment(2), _comment(4)
    standard = first_standard()
    response = client.post_form(
        f"/moderation/surveys/{batch.id}/decide",
        {"action": "approve", "comment_ids": _ids(praised, mixed), "standard_keys": standard.key},
    )
    assert response.status_code == 302
    recognitions = db.session.scalars(sa.select(Recognition).order_by(Recognition.id)).all()
    assert [r.source for r in recognitions] == [Source.SURVEY, Source.SURVEY]
    assert all(r.visibility == Visibility.PRIVATE for r in recognitions)
    assert {p.id for p in recognitions[0].recipients} == {unit_people["maria"].id, unit_people["patel"].id}
    assert recognitions[1].message == "Kevin the aide was so kind."
    assert _comment(2).status == SurveyCommentStatus.APPROVED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) > 0
    again = client.post_form(
        f"/moderation/surveys/{batch.id}/decide",
        {"action": "approve", "comment_ids": _ids(praised), "standard_keys": standard.key},
    )
    assert again.status_code == 422 and "already been dealt with" in again.get_data(as_text=True)


def test_bulk_approve_is_all_or_nothing(client, sign_in, advocate, mapping, unit_people):
    batch = _imported(mapping)
    sign_in(advocate)
    url = f"/moderation/surveys/{batch.id}/decide"
    no_standard = client.post_form(url, {"action": "approve", "comment_ids": _ids(_comment(2))})
    assert no_standard.status_code == 422 and "at least one standard" in no_standard.get_data(as_text=True)
    complaint = client.post_form(
        url, {"action": "approve", "comment_ids": _ids(_comment(2), _comment(3)), "standard_keys": first_standard().key}
    )
    assert complaint.status_code == 422 and "Lines 3 hold no compliment" in complaint.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Recognition)) == 0
    assert client.post_form(url, {"action": "approve"}).status_code == 422
    assert client.post_form(url, {"action": "explode", "comment_ids": _ids(_comment(2))}).status_code == 400
    assert client.post_form(url, {"action": "discard", "comment_ids": ["999999"]}).status_code == 422


def test_walls_get_survey_recognitions_only_when_both_allow(client, sign_in, advocate, mapping, unit_people):
    mapping.wall_allowed = True
    settings.set_value("survey_comments_on_walls", True)
    batch = _imported(mapping)
    sign_in(advocate)
    client.post_form(
        f"/moderation/surveys/{batch.id}/decide",
        {"action": "approve", "comment_ids": _ids(_comment(2)), "standard_keys": first_standard().key},
    )
    assert db.session.scalar(sa.select(Recognition.visibility)) == Visibility.PUBLIC


def test_sent_comments_reach_the_units_managers_only(client, sign_in, advocate, manager, other_manager, mapping):
    batch = _imported(mapping)
    sign_in(advocate)
    url = f"/moderation/surveys/{batch.id}/decide"
    assert client.post_form(url, {"action": "send", "comment_ids": _ids(_comment(3))}).status_code == 302
    assert client.post_form(url, {"action": "discard", "comment_ids": _ids(_comment(5))}).status_code == 302
    assert _comment(5).status == SurveyCommentStatus.DISCARDED
    client.sign_out()
    sign_in(manager)
    page = client.get("/surveys/what-patients-said").get_data(as_text=True)
    assert "food was cold" in page and "Everyone was great" not in page
    client.sign_out()
    sign_in(other_manager)
    assert "food was cold" not in client.get("/surveys/what-patients-said").get_data(as_text=True)


def test_the_same_file_uploaded_again_imports_nothing(client, sign_in, advocate, mapping, unit_people):
    _imported(mapping)
    sign_in(advocate)
    location = _upload(client, mapping, export(ROWS)).headers["Location"]
    page = client.get(location).get_data(as_text=True)
    assert "Nothing new to import" in page and "4 comments already imported" in page
    applied = client.post_form(location + "/import")
    assert applied.status_code == 302 and applied.headers["Location"] == "/moderation/surveys"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyImport)) == 1
