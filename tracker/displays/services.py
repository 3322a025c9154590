"""Display links: made for a unit (the token shown once, only its hash kept), revoked, and opened by a TV."""

from __future__ import annotations

import secrets
from datetime import timedelta

import segno
import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _

from tracker import audit
from tracker.database import write_after_reading
from tracker.extensions import db
from tracker.models import Department, DisplayLink, Person, utcnow
from tracker.validation import InvalidInput

MAX_LIVE_LINKS = 20
# A TV reloads its display every ten minutes or so; its last use is kept to five.
LAST_USED_PRECISION = timedelta(minutes=5)


def unit_by_slug(slug: str) -> Department | None:
    return db.session.scalar(sa.select(Department).where(Department.slug == slug))


def links_of(unit: Department) -> list[DisplayLink]:
    """Live links first, newest first."""
    return list(
        db.session.scalars(
            sa.select(DisplayLink)
            .where(DisplayLink.department_id == unit.id)
            .order_by(DisplayLink.revoked_at.is_not(None), DisplayLink.created_at.desc(), DisplayLink.id.desc())
        )
    )


def create_link(unit: Department, label: str, creator: Person) -> tuple[DisplayLink, str]:
    """Make a link for ``unit`` and return it with its token, which cannot be read back later."""
    label = label.strip()
    if not label:
        raise InvalidInput.single("label", _("Say where the screen is, so you know later which link it uses."))
    if not unit.active:
        raise InvalidInput.single("label", _("This unit is closed, so it has no TV display."))
    live = db.session.scalar(
        sa.select(sa.func.count()).where(DisplayLink.department_id == unit.id, DisplayLink.revoked_at.is_(None))
    )
    if live >= MAX_LIVE_LINKS:
        raise InvalidInput.single(
            "label", _("This unit has %(count)d display links in use; revoke one first.", count=MAX_LIVE_LINKS)
        )
    token = secrets.token_urlsafe(32)
    link = DisplayLink(department=unit, label=label[:100], token_hash=DisplayLink.hash(token), created_by=creator)
    db.session.add(link)
    db.session.flush()
    audit.record("display_link_created", "display_link", link.id, actor=creator, unit=unit.slug, label=link.label)
    return link, token


def link_of(unit: Department, link_id: int) -> DisplayLink | None:
    return db.session.scalar(
        sa.select(DisplayLink).where(DisplayLink.id == link_id, DisplayLink.department_id == unit.id)
    )


def revoke_link(link: DisplayLink, person: Person) -> None:
    """Revoke at once: the TV's next reload answers 404. Revoking twice changes nothing."""
    if link.revoked_at is not None:
        return
    link.revoked_at = utcnow()
    link.revoked_by = person
    audit.record(
        "display_link_revoked", "display_link", link.id, actor=person, unit=link.department.slug, label=link.label
    )
    db.session.flush()


def live_link(token: str) -> DisplayLink | None:
    """The live link of an open unit that ``token`` belongs to; any other token (unknown, revoked) is ``None``."""
    return db.session.scalar(
        sa.select(DisplayLink)
        .join(Department, Department.id == DisplayLink.department_id)
        .where(
            DisplayLink.token_hash == DisplayLink.hash(token),
            DisplayLink.revoked_at.is_(None),
            Department.active.is_(True),
        )
    )


def note_use(link: DisplayLink) -> None:
    """Keep the link's last use, at most once per ``LAST_USED_PRECISION``, after the display has been read."""
    now = utcnow()
    if link.last_used_at is not None and now - link.last_used_at <= LAST_USED_PRECISION:
        return
    link_id = link.id

    def write() -> None:
        db.session.execute(sa.update(DisplayLink).where(DisplayLink.id == link_id).values(last_used_at=now))
        db.session.commit()

    write_after_reading(write)


def display_url(token: str) -> str:
    """The full address a TV opens, at the site's public address."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("displays.kiosk", token=token)


def qr_code_data_uri(url: str, title: str) -> str:
    """The address as a QR code in a ``data:`` URI: the token is never stored, so no page could serve it later."""
    return segno.make(url, error="m").svg_data_uri(scale=6, border=2, title=title)
