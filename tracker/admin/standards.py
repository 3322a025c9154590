"""The standards editor: the hospital's value set and example behaviours are data, edited here.

A standard or behaviour that recognitions or feedback use is retired (``active = False``), never
deleted, so history keeps its meaning.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _

from tracker import audit
from tracker.extensions import db
from tracker.models import Behavior, Standard, feedback_standards, recognition_behaviors, recognition_standards
from tracker.validation import InvalidInput

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Chart marks are graphical objects: WCAG 2.1 (1.4.11) asks 3:1 against the white background.
MINIMUM_CONTRAST = 3.0


def all_standards() -> list[Standard]:
    return list(db.session.scalars(sa.select(Standard).order_by(Standard.position, Standard.id)))


def contrast_with_white(color: str) -> float:
    """WCAG contrast ratio of ``#rrggbb`` against white."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(color[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def contrast_warning(color: str) -> str | None:
    if not COLOR.match(color or ""):
        return None
    ratio = contrast_with_white(color)
    if ratio >= MINIMUM_CONTRAST:
        return None
    return _(
        "The colour %(color)s has a contrast of %(ratio).1f:1 against white; charts need at least 3:1 "
        "to be readable. Consider a darker colour.",
        color=color,
        ratio=ratio,
    )


def _check_standard_fields(name: str, color: str, position: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip() or len(name.strip()) > 120:
        errors["name"] = [_("Give a name of at most 120 characters.")]
    if not COLOR.match(color.strip()):
        errors["color"] = [_("Enter the colour as #rrggbb, for example #0072B2.")]
    if position is None or not 0 <= position <= 1000:
        errors["position"] = [_("Enter an order between 0 and 1000.")]
    return errors


def key_from(text: str, max_length: int) -> str:
    """A key derived from a name when the admin leaves the key blank: "Covers breaks" → ``covers-breaks``."""
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode())
    return "-".join(words)[:max_length].strip("-")


def _check_key(model, key: str, max_length: int) -> list[str]:
    if not KEY.match(key) or len(key) > max_length:
        return [_("Use lower-case letters, digits and single hyphens (at most %(n)d characters).", n=max_length)]
    if db.session.scalar(sa.select(model.id).where(model.key == key)):
        return [_("This key is already used.")]
    return []


def create_standard(*, key: str, name: str, description: str, color: str, position: int | None) -> Standard:
    key = key.strip().lower() or key_from(name, 40)
    errors = _check_standard_fields(name, color, position)
    key_errors = _check_key(Standard, key, 40)
    if key_errors:
        errors["key"] = key_errors
    if errors:
        raise InvalidInput(errors)
    standard = Standard(
        key=key, name=name.strip(), description=description.strip(), color=color.strip().upper(), position=position
    )
    db.session.add(standard)
    db.session.flush()
    audit.record("standard_created", "standard", standard.id, key=key)
    return standard


def update_standard(
    standard: Standard, *, name: str, description: str, color: str, position: int | None, active: bool
) -> list[str]:
    errors = _check_standard_fields(name, color, position)
    if errors:
        raise InvalidInput(errors)
    values = {
        "name": name.strip(),
        "description": description.strip(),
        "color": color.strip().upper(),
        "position": position,
        "active": active,
    }
    changed = [field for field, value in values.items() if getattr(standard, field) != value]
    for field in changed:
        setattr(standard, field, values[field])
    if changed:
        audit.record("standard_updated", "standard", standard.id, key=standard.key, changes=changed)
    return changed


def is_in_use(standard: Standard) -> bool:
    used_by_recognitions = sa.select(recognition_standards.c.recognition_id).where(
        recognition_standards.c.standard_id == standard.id
    )
    used_by_feedback = sa.select(feedback_standards.c.feedback_id).where(
        feedback_standards.c.standard_id == standard.id
    )
    behaviours = sa.select(Behavior.id).where(Behavior.standard_id == standard.id)
    used_by_behaviours = sa.select(recognition_behaviors.c.recognition_id).where(
        recognition_behaviors.c.behavior_id.in_(behaviours)
    )
    return bool(
        db.session.scalar(
            sa.select(sa.or_(used_by_recognitions.exists(), used_by_feedback.exists(), used_by_behaviours.exists()))
        )
    )


def delete_standard(standard: Standard) -> None:
    """Only a standard nothing refers to may go; one in use is retired instead."""
    if is_in_use(standard):
        raise InvalidInput.single(
            "standard", _("Recognitions or feedback use this standard: retire it instead of deleting it.")
        )
    audit.record("standard_deleted", "standard", standard.id, key=standard.key)
    db.session.delete(standard)
    db.session.flush()


def _check_behaviour_fields(name: str, patient_prompt: str, position: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip() or len(name.strip()) > 200:
        errors["name"] = [_("Give a name of at most 200 characters.")]
    if len(patient_prompt.strip()) > 200:
        errors["patient_prompt"] = [_("Keep the patient wording to 200 characters.")]
    if position is None or not 0 <= position <= 1000:
        errors["position"] = [_("Enter an order between 0 and 1000.")]
    return errors


def add_behaviour(standard: Standard, *, key: str, name: str, patient_prompt: str, position: int | None) -> Behavior:
    key = key.strip().lower() or key_from(name, 60)
    errors = _check_behaviour_fields(name, patient_prompt, position)
    key_errors = _check_key(Behavior, key, 60)
    if key_errors:
        errors["key"] = key_errors
    if errors:
        raise InvalidInput(errors)
    behaviour = Behavior(
        standard=standard, key=key, name=name.strip(), patient_prompt=patient_prompt.strip(), position=position
    )
    db.session.add(behaviour)
    db.session.flush()
    audit.record("behavior_created", "behavior", behaviour.id, key=key, standard=standard.key)
    return behaviour


def update_behaviour(
    behaviour: Behavior, *, name: str, patient_prompt: str, position: int | None, active: bool
) -> list[str]:
    errors = _check_behaviour_fields(name, patient_prompt, position)
    if errors:
        raise InvalidInput(errors)
    values = {"name": name.strip(), "patient_prompt": patient_prompt.strip(), "position": position, "active": active}
    changed = [field for field, value in values.items() if getattr(behaviour, field) != value]
    for field in changed:
        setattr(behaviour, field, values[field])
    if changed:
        audit.record("behavior_updated", "behavior", behaviour.id, key=behaviour.key, changes=changed)
    return changed
