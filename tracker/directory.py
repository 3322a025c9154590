"""The staff directory: finding colleagues by name, for the type-ahead and the API."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Department, Person


def search_people(query: str = "", department: Department | None = None, limit: int = 20, offset: int = 0):
    """Active people whose name, e-mail or job title contains every word of ``query``.

    Returns ``(people, total)``; the department filter covers its whole subtree. Each person comes
    with their department and the total is a window count, all in one query (roles and managed
    departments, which a search never shows, are left to load if asked), so a type-ahead keystroke
    that tells namesakes apart by job and unit costs one round trip. Only a page past the end, which
    has no row to carry the total, asks again for the count.
    """
    statement = (
        sa.select(Person, sa.func.count().over().label("total"))
        .outerjoin(Department, Person.department_id == Department.id)
        .where(Person.active.is_(True))
    )
    for word in query.split()[:5]:
        escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        statement = statement.where(
            sa.or_(
                sa.func.lower(Person.name).like(pattern, escape="\\"),
                Person.email.like(pattern, escape="\\"),
                sa.func.lower(Person.job_title).like(pattern, escape="\\"),
            )
        )
    if department is not None:
        statement = statement.where(Department.path.startswith(department.path, autoescape=True))
    rows = db.session.execute(
        statement.options(sa.orm.contains_eager(Person.department), sa.orm.lazyload("*"))
        .order_by(Person.name, Person.id)
        .limit(limit)
        .offset(offset)
    ).all()
    if rows:
        return [person for person, _total in rows], rows[0].total
    if not offset:
        return [], 0
    counted = statement.with_only_columns(sa.func.count(Person.id)).order_by(None)
    return [], db.session.scalar(counted)
