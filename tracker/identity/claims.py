"""Reading an ID token's claims: who the person is, and what the hospital's directory grants them."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

from tracker.extensions import db
from tracker.models import Department, Role


@dataclass(frozen=True)
class Grants:
    """Roles and managed departments that the role (or group) claim grants; ``None``: no mapping set."""

    roles: frozenset[Role]
    manages: tuple[Department, ...] = field(default_factory=tuple)


def text(claims: dict, name: str) -> str:
    value = claims.get(name) if name else None
    return value.strip() if isinstance(value, str) else ""


def values(claims: dict, name: str) -> list[str]:
    """A claim as a list of strings: Entra ID sends ``roles`` as a list, some providers a single string."""
    value = claims.get(name)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def display_name(claims: dict) -> str:
    name = text(claims, "name")
    if not name:
        name = " ".join(part for part in (text(claims, "given_name"), text(claims, "family_name")) if part)
    return name[:200]


def verified_email(claims: dict) -> str | None:
    """The e-mail claim, only when the provider says it is verified (``email_verified`` true)."""
    email = text(claims, "email").lower()
    verified = claims.get("email_verified")
    if isinstance(verified, str):  # some providers send the JSON string "true"
        verified = verified.lower() == "true"
    return email if email and verified is True else None


def department(claims: dict) -> Department | None:
    """The active department the department claim names, by slug or by name (case-insensitive)."""
    return department_named(text(claims, current_app.config["OIDC_DEPARTMENT_CLAIM"]))


def department_named(wanted: str) -> Department | None:
    """The active department with this slug, else this name (case-insensitive); ``None`` when unknown."""
    wanted = wanted.strip().lower()
    if not wanted:
        return None
    return db.session.scalar(
        sa.select(Department)
        .where(Department.active.is_(True), sa.or_(Department.slug == wanted, sa.func.lower(Department.name) == wanted))
        .order_by(Department.slug != wanted)
        .limit(1)
    )


def language(claims: dict) -> str | None:
    """One of the product's languages from a language tag (``es-ES`` → ``es``, ``zh-CN`` → ``zh_Hans``)."""
    tag = text(claims, current_app.config["OIDC_LANGUAGE_CLAIM"]).replace("-", "_")
    if not tag:
        return None
    languages = current_app.config["LANGUAGES"]
    base = tag.split("_")[0].lower()
    if base == "zh":
        return "zh_Hans" if "zh_Hans" in languages else None
    return base if base in languages else None


def grants(claims: dict) -> Grants | None:
    """What the mapping (``OIDC_ROLE_MAP``) grants for the role claim's values (``groups`` also read)."""
    mapping = current_app.config["OIDC_ROLE_MAP"] or {}
    if not mapping:
        return None
    claim = current_app.config["OIDC_ROLE_CLAIM"]
    return grants_for(mapping, values(claims, claim) + ([] if claim == "groups" else values(claims, "groups")))


def grants_for(mapping: dict, seen: list[str]) -> Grants:
    """Roles and managed departments a mapping grants for these values (claim values or group names)."""
    roles: set[Role] = {Role.STAFF}
    slugs: set[str] = set()
    for value in seen:
        granted = mapping.get(value)
        if isinstance(granted, str):
            granted = {"roles": [granted]}
        if not isinstance(granted, dict):
            continue
        roles.update(Role(role) for role in granted.get("roles", []) if role in {r.value for r in Role})
        slugs.update(slug for slug in granted.get("manages", []) if isinstance(slug, str))
    manages = ()
    if slugs:
        manages = tuple(
            db.session.scalars(
                sa.select(Department).where(Department.slug.in_(slugs), Department.active.is_(True))
            ).all()
        )
    return Grants(frozenset(roles), manages)
