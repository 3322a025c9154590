"""What a channel post says, and its two shapes: an Adaptive Card for Teams, Block Kit for Slack.

Builders take what may be shown (callers decide that, see :mod:`tracker.integrations.events`) and
write it in the channel's language. Words people wrote go in as plain text: a Teams ``TextRun`` and
Slack ``plain_text`` interpret no markdown, so nobody can smuggle in links or mentions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.models import Channel, ChannelKind, Department, Person, Recognition, Source
from tracker.notifications.services import absolute_url

ADAPTIVE_CARD_VERSION = "1.4"
ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
SLACK_HEADER_MAX = 150
SLACK_TEXT_MAX = 3000
STORY_MAX = 2500


@dataclass
class Post:
    title: str
    link: str
    link_label: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    story: str = ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def teams_payload(post: Post, language: str) -> dict:
    """The Workflows webhook envelope around an Adaptive Card."""
    body: list[dict] = [
        {"type": "TextBlock", "text": post.title, "size": "Medium", "weight": "Bolder", "wrap": True},
    ]
    if post.facts:
        body.append({"type": "FactSet", "facts": [{"title": title, "value": value} for title, value in post.facts]})
    if post.story:
        body.append({"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": _cut(post.story, STORY_MAX)}]})
    card = {
        "$schema": ADAPTIVE_CARD_SCHEMA,
        "type": "AdaptiveCard",
        "version": ADAPTIVE_CARD_VERSION,
        "lang": language.replace("_", "-"),
        "fallbackText": post.title,
        "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": post.link_label, "url": post.link}],
    }
    return {
        "type": "message",
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}],
    }


def slack_payload(post: Post) -> dict:
    """Block Kit blocks, and ``text`` as the plain fallback notifications and old clients show."""
    fallback = "\n".join(
        part for part in (post.title, *(f"{t}: {v}" for t, v in post.facts), post.story, post.link) if part
    )
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": _cut(post.title, SLACK_HEADER_MAX), "emoji": True}},
    ]
    if post.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "plain_text", "text": _cut(f"{title}: {value}", 2000), "emoji": False}
                    for title, value in post.facts[:10]
                ],
            }
        )
    if post.story:
        blocks.append(
            {
                "type": "section",
                "text": {"type": "plain_text", "text": _cut(post.story, SLACK_TEXT_MAX), "emoji": False},
            }
        )
    blocks.append(
        {
            "type": "actions",
            "elements": [{"type": "button", "text": {"type": "plain_text", "text": post.link_label}, "url": post.link}],
        }
    )
    return {"text": _cut(fallback, SLACK_TEXT_MAX), "blocks": blocks}


def payload_for(channel: Channel, post: Post) -> dict:
    if channel.kind == ChannelKind.TEAMS:
        return teams_payload(post, channel.language)
    return slack_payload(post)


def _names(people: list[Person]) -> str:
    return ", ".join(person.name for person in people)


def recognition_post(channel: Channel, recognition: Recognition) -> dict:
    """A published public recognition, in the channel's language, linking back to it."""
    with force_locale(channel.language):
        if recognition.giver is not None:
            giver = recognition.giver.name
        else:  # patients, families and visitors: the first name they chose to give, never more
            first = (recognition.giver_name or "").split()
            giver = first[0] if first else _("A patient or family member")
        recognised = _names(recognition.recipients) or (recognition.unit.name if recognition.unit else "")
        title = (
            _("A patient thanked %(names)s", names=recognised)
            if recognition.source != Source.PEER
            else _("%(names)s recognised for the icare standards", names=recognised)
        )
        standards = ", ".join(standard.translated("name", channel.language) for standard in recognition.standards)
        post = Post(
            title=title,
            facts=[(_("From"), giver), (_("Standards"), standards)],
            story=recognition.message,
            link=absolute_url(f"/recognitions/{recognition.id}"),
            link_label=_("Open the recognition"),
        )
        return payload_for(channel, post)


def honourees_post(channel: Channel, programme_name: str, cycle_label: str, honourees: list[Person], link: str) -> dict:
    with force_locale(channel.language):
        post = Post(
            title=_("%(programme)s: honourees announced", programme=programme_name),
            facts=[
                (person.name, person.department.name if person.department is not None else "") for person in honourees
            ],
            story=_("Congratulations to this cycle's honourees (%(cycle)s).", cycle=cycle_label),
            link=absolute_url(link),
            link_label=_("See the award"),
        )
        return payload_for(channel, post)


def weekly_summary_post(channel: Channel, unit: Department, summary) -> dict:
    with force_locale(channel.language):
        facts = [
            (_("Recognitions"), str(summary.recognitions)),
            (_("Patient compliments"), str(summary.patient_compliments)),
            (_("People recognised"), str(summary.people_recognised)),
        ]
        if summary.standard is not None:
            facts.append((_("Standard of the week"), summary.standard.translated("name", channel.language)))
        post = Post(
            title=_("The week in %(unit)s, from %(week)s", unit=unit.name, week=summary.week.isoformat()),
            facts=facts,
            link=absolute_url(f"/units/{unit.slug}/huddle?week={summary.week.isoformat()}"),
            link_label=_("Open the huddle pack"),
        )
        return payload_for(channel, post)


def test_post(channel: Channel) -> dict:
    with force_locale(channel.language):
        post = Post(
            title=_("Test message from icare tracker"),
            story=_(
                "If you can read this, recognition for %(department)s will appear here.",
                department=channel.department.name,
            ),
            link=absolute_url(f"/integrations/channels/{channel.id}"),
            link_label=_("Open the channel settings"),
        )
        return payload_for(channel, post)
