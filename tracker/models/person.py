"""People of the hospital: every member of staff, whether or not they have signed in."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.extensions import db
from tracker.models.department import Department
from tracker.models.enums import Role, enum_column
from tracker.models.types import UTCDateTime, utcnow

department_managers = sa.Table(
    "department_managers",
    db.metadata,
    sa.Column("person_id", sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_id", sa.ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True),
)


class PersonRole(db.Model):
    __tablename__ = "person_roles"

    person_id: Mapped[int] = mapped_column(sa.ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)


class Person(UserMixin, db.Model):
    """A member of staff. ``email`` is stored lower-cased, so uniqueness is case-insensitive."""

    __tablename__ = "people"
    # The dashboard counts people in scope per department and job family from this index alone.
    __table_args__ = (
        sa.Index("ix_people_active_department_id_job_family", "active", "department_id", "job_family"),
        sa.Index("ix_people_name_id", "name", "id"),  # lists in name order stop after a page
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    job_title: Mapped[str] = mapped_column(sa.String(200), default="")
    job_family: Mapped[str] = mapped_column(sa.String(60), default="", index=True)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("departments.id"), index=True)
    employee_id: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True, index=True)
    # The hospital's identity provider: the OpenID Connect ``sub`` and the directory's SCIM ``externalId``.
    oidc_subject: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    external_id: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    # Part of the id kept in sessions and remember-me cookies: bumped on deactivation, so they all end.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # Carried by e-mail sign-in links and replaced each time one is used, so every link works once.
    sign_in_nonce: Mapped[str | None] = mapped_column(sa.String(32))
    language: Mapped[str | None] = mapped_column(sa.String(10))
    # The directory's own wording of the attributes SCIM provisions (names, userName, department as sent).
    # JSONB on PostgreSQL: plain JSON has no equality, and SELECT DISTINCT over people needs one.
    scim_data: Mapped[dict | None] = mapped_column(sa.JSON().with_variant(postgresql.JSONB(), "postgresql"))
    user_name: Mapped[str | None] = mapped_column(sa.String(255), unique=True)  # lower-cased SCIM userName
    scim_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # deleted by SCIM: kept, deactivated
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    show_on_walls: Mapped[bool] = mapped_column(default=True)
    email_notifications: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    department: Mapped[Department | None] = relationship()
    role_rows: Mapped[list[PersonRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    managed_departments: Mapped[list[Department]] = relationship(
        secondary=department_managers, lazy="selectin", order_by=Department.name
    )

    def __repr__(self) -> str:
        return f"<Person {self.email}>"

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def set_roles(self, roles: set[Role]) -> None:
        """Replace the person's roles; everybody keeps ``staff`` except patient and family advisors."""
        wanted = set(roles) if Role.PFAC in roles else set(roles) | {Role.STAFF}
        self.role_rows[:] = [row for row in self.role_rows if row.role in wanted]
        for role in wanted - self.roles:
            self.role_rows.append(PersonRole(role=role))

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    def get_id(self) -> str:
        """``id.version``: a session signed in before the last deactivation no longer matches."""
        return f"{self.id}.{self.session_version or 1}"

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 1) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sign-in to inactive people
        return self.active

    def set_password(self, password: str) -> None:
        # scrypt by default; the test suite sets a cheaper method so thousands of sign-ins stay fast.
        method = current_app.config["PASSWORD_HASH_METHOD"] if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""
