"""What the server supports: ServiceProviderConfig, ResourceTypes and Schemas (RFC 7643 §5–7).

The published schemas list only the attributes this product keeps, so a directory (and a
conformance tester) sends and expects exactly those.
"""

from __future__ import annotations

from flask import current_app, request, url_for
from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    ListResponse,
    Patch,
    Required,
    ResourceType,
    Schema,
    SchemaExtension,
    ServiceProviderConfig,
    Sort,
    User,
)
from werkzeug.exceptions import HTTPException

from tracker import policy
from tracker.scim import bp
from tracker.scim.protocol import error, respond

MAX_RESULTS = 200
USER_ATTRIBUTES = {
    "userName": None,
    "name": {"formatted", "givenName", "familyName"},
    "displayName": None,
    "title": None,
    "preferredLanguage": None,
    "active": None,
    "emails": {"value", "type", "primary"},
}
# Every person has an e-mail address (their account and their notifications) and is active or
# not: the published User schema marks both required, so a directory knows to send them.
REQUIRED_USER_ATTRIBUTES = {"emails": {"value"}, "active": set()}
ENTERPRISE_ATTRIBUTES = {"employeeNumber": None, "department": None, "manager": {"value", "$ref"}}
# Members as RFC 7643 §8.7.1 defines them: who (value, $ref) and what (type), nothing written back.
GROUP_ATTRIBUTES = {"displayName": None, "members": {"value", "$ref", "type"}}


def _trimmed(schema: Schema, keep: dict, required: dict | None = None) -> Schema:
    """The schema with only the attributes in ``keep``, and those in ``required`` marked required."""
    required = required or {}
    attributes = []
    for attribute in schema.attributes:
        if attribute.name not in keep:
            continue
        if keep[attribute.name] and attribute.sub_attributes:
            attribute.sub_attributes = [sub for sub in attribute.sub_attributes if sub.name in keep[attribute.name]]
        if attribute.name in required:
            attribute.required = Required.true
            for sub in attribute.sub_attributes or []:
                if sub.name in required[attribute.name]:
                    sub.required = Required.true
        attributes.append(attribute)
    schema.attributes = attributes
    return schema


def schemas() -> list[Schema]:
    published = [
        _trimmed(User.to_schema(), USER_ATTRIBUTES, REQUIRED_USER_ATTRIBUTES),
        _trimmed(EnterpriseUser.to_schema(), ENTERPRISE_ATTRIBUTES),
        _trimmed(Group.to_schema(), GROUP_ATTRIBUTES),
    ]
    for schema in published:
        schema.meta = {
            "resourceType": "Schema",
            "location": url_for("scim.schema", schema_id=schema.id, _external=True),
        }
    return published


def resource_types() -> list[ResourceType]:
    user = ResourceType(
        id="User",
        name="User",
        description="Staff of the hospital",
        endpoint="/Users",
        schema_="urn:ietf:params:scim:schemas:core:2.0:User",
        schema_extensions=[
            SchemaExtension(schema_="urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required=False)
        ],
    )
    group = ResourceType(
        id="Group",
        name="Group",
        description="Directory groups, mapped to roles and managed departments",
        endpoint="/Groups",
        schema_="urn:ietf:params:scim:schemas:core:2.0:Group",
    )
    for resource_type in (user, group):
        resource_type.meta = {
            "resourceType": "ResourceType",
            "location": url_for("scim.resource_type", type_id=resource_type.id, _external=True),
        }
    return [user, group]


@bp.get("/ServiceProviderConfig")
@policy.scim_token
def service_provider_config():
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="SCIM token",
                description="A bearer token made with 'flask --app tracker scim token create NAME'.",
                primary=True,
            )
        ],
    )
    config.meta = {
        "resourceType": "ServiceProviderConfig",
        "location": url_for("scim.service_provider_config", _external=True),
    }
    return respond(config)


@bp.get("/ResourceTypes")
@policy.scim_token
def resource_types_list():
    found = resource_types()
    return respond(
        ListResponse[ResourceType](total_results=len(found), items_per_page=len(found), start_index=1, resources=found)
    )


@bp.get("/ResourceTypes/<type_id>")
@policy.scim_token
def resource_type(type_id: str):
    for found in resource_types():
        if found.id == type_id:
            return respond(found)
    return error(404, "No such resource type.")


@bp.get("/Schemas")
@policy.scim_token
def schemas_list():
    found = schemas()
    return respond(
        ListResponse[Schema](total_results=len(found), items_per_page=len(found), start_index=1, resources=found)
    )


@bp.get("/Schemas/<path:schema_id>")
@policy.scim_token
def schema(schema_id: str):
    for found in schemas():
        if found.id == schema_id:
            return respond(found)
    return error(404, "No such schema.")


SCIM_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@bp.route("/<path:anything>", methods=list(SCIM_METHODS))
@policy.scim_token
def unknown(anything: str):
    """404 for a path no endpoint serves; 405 (with ``Allow``) for a known path asked with another method.

    Searching with POST (``/.search``, RFC 7644 §3.4.3) is not offered: 501, as the RFC asks.
    """
    if request.method == "POST" and (anything == ".search" or anything.endswith("/.search")):
        return error(501, "Searching with POST /.search is not supported; use GET with a filter.")
    allowed = _methods_served_here()
    if not allowed:
        return error(404, "No such endpoint.")
    refused = error(405, "This method is not supported here.")
    refused.headers["Allow"] = ", ".join(allowed)
    return refused


def _methods_served_here() -> list[str]:
    """The methods a real endpoint answers at the request's path (this catch-all aside)."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in SCIM_METHODS:
        try:
            endpoint, _arguments = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.append(method)
    return allowed
