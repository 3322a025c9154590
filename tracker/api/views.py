import sqlalchemy as sa
from flask import jsonify, request

from tracker import policy
from tracker.api import bp
from tracker.directory import search_people
from tracker.errors import json_error
from tracker.extensions import db
from tracker.models import Department, Standard

MAX_PER_PAGE = 200


def _page_args() -> tuple[int, int] | None:
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", 50))
    except ValueError:
        return None
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        return None
    return page, per_page


@bp.get("/standards")
@policy.public
def standards():
    rows = db.session.scalars(sa.select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)).all()
    return jsonify(
        items=[
            {
                "key": s.key,
                "name": s.name,
                "description": s.description,
                "color": s.color,
                "behaviors": [{"key": b.key, "name": b.name} for b in s.behaviors if b.active],
            }
            for s in rows
        ]
    )


@bp.get("/departments")
@policy.public
def departments():
    parent = sa.orm.aliased(Department)
    rows = db.session.execute(
        sa.select(Department.slug, Department.name, parent.slug)
        .outerjoin(parent, Department.parent_id == parent.id)
        .where(Department.active.is_(True))
        .order_by(Department.path)
    ).all()
    return jsonify(items=[{"slug": slug, "name": name, "parent": parent_slug} for slug, name, parent_slug in rows])


@bp.get("/people")
@policy.signed_in
def people():
    paging = _page_args()
    if paging is None:
        return json_error(400, "page must be 1 or more and per_page between 1 and 200.")
    page, per_page = paging
    department = None
    if slug := request.args.get("department"):
        department = db.session.scalar(sa.select(Department).where(Department.slug == slug))
        if department is None:
            return json_error(404, "No such department.", {"department": ["Unknown department."]})
    found, total = search_people(request.args.get("q", ""), department, per_page, (page - 1) * per_page)
    return jsonify(
        items=[
            {
                "id": p.id,
                "name": p.name,
                "job_title": p.job_title,
                "department": p.department.slug if p.department else None,
            }
            for p in found
        ],
        page=page,
        per_page=per_page,
        total=total,
    )
