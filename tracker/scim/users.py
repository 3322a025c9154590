"""SCIM Users: people of the hospital, provisioned by the roster's own plan-and-apply service.

Requests are read with scim2-models' ``User[EnterpriseUser]`` (unknown or invalid attributes are
a SCIM error with its ``scimType``); PATCH is applied to the current representation with
scim2-models and then handled as a replacement, so Entra ID's and Okta's dialects meet one rule.
DELETE deactivates: the person stays, for the recognitions and audit trail that name them.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import request, url_for
from scim2_models import Context, EnterpriseUser, ListResponse, PatchOp, User

from tracker import audit, policy, roster
from tracker.extensions import db
from tracker.identity.claims import department_named, language
from tracker.models import Person, utcnow
from tracker.scim import bp
from tracker.scim.discovery import ENTERPRISE_ATTRIBUTES, USER_ATTRIBUTES
from tracker.scim.filters import page_arguments, parse_filter
from tracker.scim.protocol import body, error, respond

ScimUser = User[EnterpriseUser]
USER_FILTERS = {
    "username": lambda value: sa.or_(
        Person.user_name == value.lower(), sa.and_(Person.user_name.is_(None), Person.email == value.lower())
    ),
    "externalid": lambda value: Person.external_id == value,
    "id": lambda value: Person.id == (int(value) if value.isdigit() else -1),
}
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _visible():
    return sa.select(Person).where(Person.scim_deleted_at.is_(None))


def _person(user_id: str) -> Person | None:
    if not user_id.isdigit():
        return None
    return db.session.scalar(_visible().where(Person.id == int(user_id)))


def representation(person: Person) -> ScimUser:
    """The person as SCIM sees them: the directory's own wording, with this product's authoritative fields.

    A person the directory provisioned shows the optional attributes it sent, and no others (what it
    removed stays removed); a person known only from the roster shows what the product keeps.
    """
    provisioned = person.scim_data is not None
    kept = dict(person.scim_data or {})
    data = {key: kept[key] for key in USER_ATTRIBUTES if key in kept}
    data.setdefault("userName", person.email)
    data.setdefault("emails", [{"value": person.email, "type": "work", "primary": True}])
    if not provisioned:
        data["displayName"] = person.name
        if person.job_title:
            data["title"] = person.job_title
    data["active"] = person.active
    enterprise = dict(kept.get("enterprise") or {})
    if person.employee_id and (not provisioned or "employeeNumber" in enterprise):
        enterprise["employeeNumber"] = person.employee_id
    if not provisioned and person.department is not None:
        enterprise["department"] = person.department.name
    data["id"] = str(person.id)
    if person.external_id:
        data["externalId"] = person.external_id
    data["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:User"]
    if enterprise:
        data[ENTERPRISE] = enterprise
        data["schemas"].append(ENTERPRISE)
    data["meta"] = {
        "resourceType": "User",
        "created": person.created_at.isoformat(),
        "lastModified": person.updated_at.isoformat(),
        "location": url_for("scim.get_user", user_id=person.id, _external=True),
    }
    return ScimUser.model_validate(data, scim_ctx=Context.RESOURCE_QUERY_RESPONSE)


def _kept(user: ScimUser) -> dict:
    """The published attributes of a request, in the directory's wording, to give back as sent."""
    dumped = user.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    kept = {key: dumped[key] for key in USER_ATTRIBUTES if key in dumped and key != "active"}
    for key, subs in USER_ATTRIBUTES.items():
        if subs and key in kept:
            items = kept[key] if isinstance(kept[key], list) else [kept[key]]
            trimmed = [{name: value for name, value in item.items() if name in subs} for item in items]
            kept[key] = trimmed if isinstance(kept[key], list) else trimmed[0]
    enterprise = dumped.get(ENTERPRISE) or {}
    kept["enterprise"] = {key: enterprise[key] for key in ENTERPRISE_ATTRIBUTES if key in enterprise}
    if "manager" in kept["enterprise"]:
        kept["enterprise"]["manager"] = {
            k: v for k, v in kept["enterprise"]["manager"].items() if k in {"value", "$ref"}
        }
    return kept


def _email(user: ScimUser) -> str | None:
    emails = [email for email in (user.emails or []) if email.value]
    primary = (
        [email for email in emails if email.primary] or [e for e in emails if str(e.type or "") == "work"] or emails
    )
    if primary:
        return str(primary[0].value)
    return user.user_name if user.user_name and "@" in user.user_name else None


def _record(user: ScimUser, person: Person | None) -> roster.PersonRecord | None:
    email = _email(user)
    if not email:
        return None
    name = user.display_name or (user.name.formatted if user.name else None)
    if not name and user.name:
        name = " ".join(part for part in (user.name.given_name, user.name.family_name) if part)
    enterprise = user[EnterpriseUser] if hasattr(user, "__getitem__") else None
    department = department_named(enterprise.department or "") if enterprise else None
    department_id = department.id if department else (person.department_id if person else None)
    return roster.PersonRecord(
        name=(name or user.user_name or email)[:200],
        email=email[:254],
        job_title=(user.title or "")[:200],
        department_id=department_id,
        employee_id=(enterprise.employee_number if enterprise and enterprise.employee_number else None),
        active=user.active if user.active is not None else (person.active if person else True),
    )


def _save(user: ScimUser, person: Person | None):
    """Create (``person`` ``None``) or replace through the roster's plan and writer; the answer or an error."""
    if not user.user_name:
        return error(400, "userName is required.", "invalidValue")
    user_name = user.user_name.lower()
    if _holder(Person.user_name, user_name, person) is not None:
        return error(409, "Another user has this userName.", "uniqueness")
    if _holder(Person.external_id, user.external_id, person) is not None:
        return error(409, "Another user has this externalId.", "uniqueness")
    record = _record(user, person)
    if record is None:
        return error(400, "An e-mail address (emails or userName) is required.", "invalidValue")
    if person is None:
        matched, problems = roster.find_match(record)
        if problems:
            return error(409, problems[0].message, "uniqueness")
        if matched is not None:
            adopted = db.session.get(Person, matched.id)
            if adopted.user_name is not None and adopted.scim_deleted_at is None:
                return error(409, "This person is already provisioned.", "uniqueness")
            person = adopted
    plan = roster.plan_record(record, person.id if person else None)
    if not plan.ok:
        message = plan.errors[0].message
        if "administrator" in message:
            return error(400, "This change would leave no active administrator.", "mutability")
        return error(409, message, "uniqueness")
    roster.apply_plan(plan, source="scim")
    person_id = person.id if person else plan.creates[0].person_id
    _release_from_deleted(person_id, user_name, user.external_id)
    person = db.session.get(Person, person_id)
    person.user_name = user_name
    person.external_id = user.external_id or None
    person.scim_data = _kept(user)
    person.scim_deleted_at = None
    if user.preferred_language:
        person.language = language({"language": user.preferred_language, "x": ""}) or person.language
    db.session.flush()
    return person


def _holder(column, value: str | None, person: Person | None) -> int | None:
    """Another user holding this ``userName`` or ``externalId``; people the directory deleted hold none."""
    if not value:
        return None
    return db.session.scalar(
        sa.select(Person.id).where(
            column == value, Person.id != (person.id if person else -1), Person.scim_deleted_at.is_(None)
        )
    )


def _release_from_deleted(person_id: int, user_name: str, external_id: str | None) -> None:
    """A deleted user's ``userName`` and ``externalId`` pass to the user now provisioned with them."""
    for column, value in ((Person.user_name, user_name), (Person.external_id, external_id)):
        if value:
            db.session.execute(sa.update(Person).where(column == value, Person.id != person_id).values({column: None}))


def _answer(result, status: int):
    if not isinstance(result, Person):
        return result
    db.session.commit()
    user = representation(result)
    return respond(user, status, {"Location": user.meta.location, "ETag": f'W/"{result.updated_at.timestamp()}"'})


@bp.get("/Users")
@policy.scim_token
def list_users():
    start, count = page_arguments()
    statement = parse_filter(request.args.get("filter"), _visible(), USER_FILTERS)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    people = db.session.scalars(statement.order_by(Person.id).offset(start - 1).limit(count)).all()
    return respond(
        ListResponse[ScimUser](
            total_results=total,
            start_index=start,
            items_per_page=len(people),
            resources=[representation(p) for p in people],
        )
    )


@bp.post("/Users")
@policy.scim_token
def create_user():
    user = ScimUser.model_validate(body(), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    return _answer(_save(user, None), 201)


@bp.get("/Users/<user_id>")
@policy.scim_token
def get_user(user_id: str):
    person = _person(user_id)
    if person is None:
        return error(404, "No such user.")
    return respond(representation(person))


@bp.put("/Users/<user_id>")
@policy.scim_token
def replace_user(user_id: str):
    person = _person(user_id)
    if person is None:
        return error(404, "No such user.")
    user = ScimUser.model_validate(body(), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    return _answer(_save(user, person), 200)


@bp.patch("/Users/<user_id>")
@policy.scim_token
def patch_user(user_id: str):
    person = _person(user_id)
    if person is None:
        return error(404, "No such user.")
    patch = PatchOp[ScimUser].model_validate(_okta_compatible(body()), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    user = representation(person)
    patch.patch(user)
    if user.active is None:
        return error(400, "active cannot be removed: a person is either active or not.", "mutability")
    user = ScimUser.model_validate(
        user.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
    )
    return _answer(_save(user, person), 200)


@bp.delete("/Users/<user_id>")
@policy.scim_token
def delete_user(user_id: str):
    """Delete means deactivate: the person is kept (their recognitions, the audit trail) and hidden from SCIM."""
    person = _person(user_id)
    if person is None:
        return error(404, "No such user.")
    plan = roster.plan_deactivation(person.id)
    if not plan.ok:
        return error(400, "This would leave no active administrator.", "mutability")
    roster.apply_plan(plan, source="scim")
    person = db.session.get(Person, person.id)
    person.scim_deleted_at = utcnow()
    audit.record("person_deleted_by_directory", "person", person.id, source="scim")
    db.session.commit()
    return "", 204


def _okta_compatible(data: dict) -> dict:
    """Entra ID sends ``"op": "Replace"`` and string booleans ("False"); both are read as the RFC intends."""
    for operation in data.get("Operations", []) if isinstance(data.get("Operations"), list) else []:
        if isinstance(operation, dict):
            if isinstance(operation.get("op"), str):
                operation["op"] = operation["op"].lower()
            value = operation.get("value")
            if (
                isinstance(value, str)
                and value.lower() in ("true", "false")
                and "active" in str(operation.get("path", ""))
            ):
                operation["value"] = value.lower() == "true"
            if isinstance(value, dict) and isinstance(value.get("active"), str):
                value["active"] = value["active"].lower() == "true"
    return data
