"""Telling a person when a channel or endpoint needs them: an e-mail through the outbox."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from tracker.extensions import db
from tracker.models import Channel, Person, PersonRole, Role, WebhookEndpoint
from tracker.notifications.services import absolute_url, queue_email


def _owners(target: Channel | WebhookEndpoint) -> list[Person]:
    """Whoever connected it, while they are still here; otherwise every active administrator."""
    owner = target.created_by
    if owner is not None and owner.active:
        return [owner]
    return list(
        db.session.scalars(
            sa.select(Person)
            .join(PersonRole, sa.and_(PersonRole.person_id == Person.id, PersonRole.role == Role.ADMIN))
            .where(Person.active.is_(True))
            .order_by(Person.id)
        )
    )


def target_name(target: Channel | WebhookEndpoint) -> str:
    if isinstance(target, Channel):
        return f"{target.kind.value.title()} · {target.department.name}" + (f" · {target.name}" if target.name else "")
    return target.description or target.url_hint


def target_path(target: Channel | WebhookEndpoint) -> str:
    if isinstance(target, Channel):
        return f"/integrations/channels/{target.id}"
    return f"/integrations/webhooks/{target.id}"


def tell_owner_paused(target: Channel | WebhookEndpoint, problem: str) -> None:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = _("Paused: %(name)s", name=target_name(target))
    for person in _owners(target):
        queue_email(
            person.email,
            subject,
            "email/integration_paused.txt",
            "email/integration_paused.html",
            "integration_paused",
            person=person,
            name=target_name(target),
            problem=problem,
            link=absolute_url(target_path(target)),
        )
