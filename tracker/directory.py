"""The staff directory: finding colleagues by name, for the type-ahead and the API."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Department, Person


def search_people(query: str = "", department: Department | None = None, limit: int = 20, offset: int = 0):
    """Active people whose name, e-mail or job title contains every word of ``query``.

    Returns ``(people, total)``; the department filter covers its whole subtree.
    """
    statement = sa.select(Person).where(Person.active.is_(True))
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
        statement = statement.join(Department, Person.department_id == Department.id).where(
            Department.path.startswith(department.path, autoescape=True)
        )
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    people = db.session.scalars(
        statement.options(sa.orm.selectinload(Person.department))
        .order_by(Person.name, Person.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return people, total
