"""SCIM Groups: the directory's groups, and through ``SCIM_GROUP_MAP`` the roles and managed departments
their members hold. Membership changes go through the admin pages' own rule for roles, so a group
change can never remove the last active administrator.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from flask import current_app, request, url_for
from scim2_models import Context, Group, ListResponse, PatchOp

from tracker import audit, policy
from tracker.admin.people import PersonChanges, update_person
from tracker.extensions import db
from tracker.identity.claims import grants_for
from tracker.models import Person, ScimGroup
from tracker.scim import bp
from tracker.scim.filters import page_arguments, parse_filter
from tracker.scim.protocol import body, error, respond
from tracker.validation import InvalidInput

GROUP_FILTERS = {
    "displayname": lambda value: sa.func.lower(ScimGroup.display_name) == value.lower(),
    "externalid": lambda value: ScimGroup.external_id == value,
    "id": lambda value: ScimGroup.id == value,
}


def representation(group: ScimGroup) -> Group:
    data = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        "id": group.id,
        "displayName": group.display_name,
        "members": [
            {
                "value": str(person.id),
                "type": "User",
                "$ref": url_for("scim.get_user", user_id=person.id, _external=True),
            }
            for person in group.members
        ],
        "meta": {
            "resourceType": "Group",
            "created": group.created_at.isoformat(),
            "lastModified": group.updated_at.isoformat(),
            "location": url_for("scim.get_group", group_id=group.id, _external=True),
        },
    }
    if group.external_id:
        data["externalId"] = group.external_id
    if not data["members"]:
        del data["members"]
    return Group.model_validate(data, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def _members(group: Group) -> list[Person] | None:
    ids = [member.value for member in group.members or []]
    if any(not str(value or "").isdigit() for value in ids):
        return None
    wanted = {int(value) for value in ids}
    people = db.session.scalars(
        sa.select(Person).where(Person.id.in_(wanted), Person.scim_deleted_at.is_(None)).order_by(Person.id)
    ).all()
    return list(people) if len(people) == len(wanted) else None


def _save(incoming: Group, group: ScimGroup | None):
    if not incoming.display_name:
        return error(400, "displayName is required.", "invalidValue")
    clash = sa.select(ScimGroup.id).where(sa.func.lower(ScimGroup.display_name) == incoming.display_name.lower())
    if group is not None:
        clash = clash.where(ScimGroup.id != group.id)
    if db.session.scalar(clash) is not None:
        return error(409, "Another group has this displayName.", "uniqueness")
    members = _members(incoming)
    if members is None:
        return error(400, "A member is not a known user.", "invalidValue")
    before = set(group.members) if group else set()
    old_name = group.display_name if group else None
    if group is None:
        group = ScimGroup(id=str(uuid.uuid4()))
        db.session.add(group)
    group.display_name = incoming.display_name[:255]
    group.external_id = incoming.external_id or None
    group.members = members
    db.session.flush()
    mapping = current_app.config["SCIM_GROUP_MAP"] or {}
    if mapping and (old_name in mapping or group.display_name in mapping):
        affected = before ^ set(members) if old_name == group.display_name else before | set(members)
        refused = _follow_groups(sorted(affected, key=lambda p: p.id), mapping)
        if refused:
            db.session.rollback()
            return error(400, "This change would leave no active administrator.", "mutability")
    audit.record("scim_group_saved", "scim_group", group.id, name=group.display_name, members=len(members))
    return group


def _follow_groups(people: list[Person], mapping: dict) -> bool:
    """Bring each person's roles and managed departments in line with their mapped groups; ``True`` if refused."""
    for person in people:
        names = list(
            db.session.scalars(sa.select(ScimGroup.display_name).where(ScimGroup.members.any(Person.id == person.id)))
        )
        grants = grants_for(mapping, names)
        changes = PersonChanges(
            name=person.name,
            email=person.email,
            job_title=person.job_title,
            employee_id=person.employee_id or "",
            department=person.department,
            roles=set(grants.roles),
            managed_departments=list(grants.manages),
            active=person.active,
        )
        try:
            update_person(person, changes)
        except InvalidInput:
            return True
    return False


def _answer(result, status: int):
    if not isinstance(result, ScimGroup):
        return result
    db.session.commit()
    group = representation(result)
    return respond(group, status, {"Location": group.meta.location})


def _group(group_id: str) -> ScimGroup | None:
    return db.session.get(ScimGroup, group_id)


@bp.get("/Groups")
@policy.scim_token
def list_groups():
    start, count = page_arguments()
    statement = parse_filter(request.args.get("filter"), sa.select(ScimGroup), GROUP_FILTERS)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    groups = db.session.scalars(statement.order_by(ScimGroup.display_name).offset(start - 1).limit(count)).all()
    return respond(
        ListResponse[Group](
            total_results=total,
            start_index=start,
            items_per_page=len(groups),
            resources=[representation(g) for g in groups],
        )
    )


@bp.post("/Groups")
@policy.scim_token
def create_group():
    incoming = Group.model_validate(body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    return _answer(_save(incoming, None), 201)


@bp.get("/Groups/<group_id>")
@policy.scim_token
def get_group(group_id: str):
    group = _group(group_id)
    return respond(representation(group)) if group else error(404, "No such group.")


@bp.put("/Groups/<group_id>")
@policy.scim_token
def replace_group(group_id: str):
    group = _group(group_id)
    if group is None:
        return error(404, "No such group.")
    incoming = Group.model_validate(body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    return _answer(_save(incoming, group), 200)


@bp.patch("/Groups/<group_id>")
@policy.scim_token
def patch_group(group_id: str):
    from tracker.scim.users import _okta_compatible

    group = _group(group_id)
    if group is None:
        return error(404, "No such group.")
    patch = PatchOp[Group].model_validate(_okta_compatible(body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    current = representation(group)
    patch.patch(current)
    incoming = Group.model_validate(
        current.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
    )
    return _answer(_save(incoming, group), 200)


@bp.delete("/Groups/<group_id>")
@policy.scim_token
def delete_group(group_id: str):
    group = _group(group_id)
    if group is None:
        return error(404, "No such group.")
    mapping = current_app.config["SCIM_GROUP_MAP"] or {}
    members = list(group.members)
    name = group.display_name
    db.session.delete(group)
    db.session.flush()
    if name in mapping and _follow_groups(members, mapping):
        db.session.rollback()
        return error(400, "This change would leave no active administrator.", "mutability")
    audit.record("scim_group_deleted", "scim_group", group_id, name=name)
    db.session.commit()
    return "", 204
