"""Managers hear by e-mail when patients' survey comments reach their units: once per action, never the words."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory, first_standard
from tests.surveys.conftest import ROWS, export
from tracker.extensions import db
from tracker.models import OutboxMessage, Role, SurveyComment, SurveyCommentStatus, utcnow
from tracker.notifications.digest import queue_digests
from tracker.surveys import importing

PAGE = "https://tracker.example.org/surveys/what-patients-said"


@pytest.fixture(autouse=True)
def public_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://tracker.example.org")


@pytest.fixture
def batch(mapping):
    return importing.apply_plan(importing.plan_import(export(ROWS), "march.csv", mapping), None)


def _line(line: int) -> str:
    return str(db.session.scalar(sa.select(SurveyComment.id).where(SurveyComment.line == line)))


def _decide(client, batch, action: str, *lines: int, **extra):
    data = {"action": action, "comment_ids": [_line(n) for n in lines], **extra}
    return client.post_form(f"/moderation/surveys/{batch.id}/decide", data)


def _said_emails() -> list[OutboxMessage]:
    statement = sa.select(OutboxMessage).where(OutboxMessage.kind == "survey_said").order_by(OutboxMessage.id)
    return list(db.session.scalars(statement))


def test_each_manager_gets_one_e_mail_per_action_with_counts_and_no_words(
    client, sign_in, advocate, manager, other_manager, batch
):
    sign_in(advocate)
    # Lines 3 and 5 are about Ellison 12 (Medicine, Dana), line 4 about White 6 (Surgery, Lee).
    assert _decide(client, batch, "send", 3, 4, 5).status_code == 302
    messages = {message.to_address: message for message in _said_emails()}
    assert set(messages) == {manager.email, other_manager.email}
    dana, lee = messages[manager.email], messages[other_manager.email]
    assert dana.subject == "2 new comments from patient surveys about your units"
    assert "Ellison 12: 2 comments" in dana.body_text and "White 6" not in dana.body_text
    assert "Ellison 12: 2 comments" in dana.body_html
    assert lee.subject == "1 new comment from patient surveys about your units"
    assert "White 6: 1 comment" in lee.body_text
    for message in (dana, lee):
        assert PAGE in message.body_text and f'href="{PAGE}"' in message.body_html
        assert "You can turn these e-mails off" in message.body_text
        for words in ("food was cold", "waited hours", "Everyone was great", "dirty", "Kevin"):
            assert words not in message.body_text and words not in message.body_html


def test_the_nearest_managers_are_told_as_the_page_reads(client, sign_in, advocate, manager, hospital, batch):
    unit_manager = PersonFactory(
        name="Ana Reis", email="ana@example.org", roles={Role.MANAGER}, manages=[hospital["ellison-12"]]
    )
    sign_in(advocate)
    _decide(client, batch, "send", 3)
    assert [m.to_address for m in _said_emails()] == [unit_manager.email]
    client.sign_out()
    sign_in(unit_manager)
    assert "food was cold" in client.get("/surveys/what-patients-said").get_data(as_text=True)


@pytest.mark.parametrize(
    ("language", "subject", "page"),
    [
        ("es", "1 comentario nuevo de las encuestas a pacientes sobre sus unidades", "Lo que dijeron los pacientes"),
        ("pt", "1 novo comentário das pesquisas com pacientes sobre as suas unidades", "O que os pacientes disseram"),
        ("ht", "1 nouvo kòmantè nan sondaj pasyan yo sou inite ou yo", "Sa pasyan yo te di"),
        ("zh_Hans", "患者调查中有关您所辖病区的 1 条新评论", "患者的心声"),
    ],
)
def test_a_manager_reads_it_in_their_own_language(client, sign_in, advocate, manager, batch, language, subject, page):
    manager.language = language
    db.session.commit()
    sign_in(advocate)
    _decide(client, batch, "send", 3)
    [message] = _said_emails()
    assert message.subject == subject
    assert "Ellison 12" in message.body_text and page in message.body_text and page in message.body_html
    for english in ("Hello", "comment", "Sign in", "What patients said", "turn these e-mails off"):
        assert english not in message.body_text and english not in message.body_html


def test_a_manager_who_turned_e_mails_off_is_not_written_to(client, sign_in, advocate, manager, batch):
    manager.email_notifications = False
    db.session.commit()
    sign_in(advocate)
    assert _decide(client, batch, "send", 3).status_code == 302
    assert _decide(client, batch, "send", 4).status_code == 302  # White 6: nobody above it manages
    assert _said_emails() == []
    client.sign_out()
    sign_in(manager)
    assert "food was cold" in client.get("/surveys/what-patients-said").get_data(as_text=True)


def test_the_improvement_part_of_an_approved_mixed_comment_is_announced_too(
    client, sign_in, advocate, other_manager, unit_people, batch
):
    sign_in(advocate)
    assert _decide(client, batch, "approve", 2, 4, standard_keys=first_standard().key).status_code == 302
    [message] = _said_emails()
    assert message.to_address == other_manager.email and "White 6: 1 comment" in message.body_text


def test_a_refused_action_queues_nothing(client, sign_in, advocate, manager, batch):
    sign_in(advocate)
    _decide(client, batch, "discard", 5)
    refused = _decide(client, batch, "send", 3, 5)
    assert refused.status_code == 422
    assert _said_emails() == []
    assert db.session.scalar(sa.select(SurveyComment.status).where(SurveyComment.line == 3)) == (
        SurveyCommentStatus.PENDING
    )


def test_the_weekly_digest_counts_the_new_comments_with_the_link(
    client, sign_in, advocate, manager, other_manager, batch
):
    sign_in(advocate)
    _decide(client, batch, "send", 3, 5)
    # Nothing else happened this week: the comments alone are worth a digest.
    assert queue_digests(utcnow()) == 1
    [digest] = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "manager_digest")).all()
    assert digest.to_address == manager.email
    assert "From patient surveys: 2 new comments about what could be better in your units." in digest.body_text
    assert PAGE in digest.body_text and f'href="{PAGE}"' in digest.body_html
    assert "food was cold" not in digest.body_text and "food was cold" not in digest.body_html
