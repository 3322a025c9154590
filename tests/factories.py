"""factory-boy factories for the data model, writing through the test's session."""

from __future__ import annotations

import factory
import sqlalchemy as sa
from factory.alchemy import SQLAlchemyModelFactory

from tracker.extensions import db
from tracker.models import (
    Department,
    Feedback,
    FeedbackType,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    Role,
    Source,
    Standard,
    Visibility,
)

PASSWORD = "correct horse battery staple"


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Flush what the post-generation hooks changed, so requests in other sessions see it."""
        if create:
            db.session.flush()


class DepartmentFactory(BaseFactory):
    class Meta:
        model = Department

    slug = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")
    parent = None

    @factory.post_generation
    def path(obj, create, extracted, **kwargs):
        db.session.flush()
        obj.refresh_path()
        db.session.flush()


class PersonFactory(BaseFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    job_title = "Registered Nurse"
    job_family = "Nursing"
    department = factory.SubFactory(DepartmentFactory)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        obj.set_roles(set(extracted or {Role.STAFF}))

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)

    @factory.post_generation
    def manages(obj, create, extracted, **kwargs):
        if extracted:
            obj.managed_departments = list(extracted)


def first_standard() -> Standard:
    return db.session.scalars(sa.select(Standard).order_by(Standard.position)).first()


class RecognitionFactory(BaseFactory):
    class Meta:
        model = Recognition

    source = Source.PEER
    status = RecognitionStatus.PUBLISHED
    visibility = Visibility.PUBLIC
    giver = factory.SubFactory(PersonFactory)
    message = "Stayed late to explain the discharge plan to a worried family."

    @factory.post_generation
    def recipients(obj, create, extracted, **kwargs):
        for person in extracted or []:
            obj.recipient_rows.append(RecognitionRecipient(person=person, department_id=person.department_id))
        if extracted and obj.department_id is None:
            obj.department_id = extracted[0].department_id

    @factory.post_generation
    def standards(obj, create, extracted, **kwargs):
        obj.standards = list(extracted) if extracted else [first_standard()]
        db.session.flush()


class FeedbackFactory(BaseFactory):
    class Meta:
        model = Feedback

    reference = factory.Sequence(lambda n: f"FB-TEST{n:04d}")
    type = FeedbackType.COMPLIMENT
    message = "The night nurse Maria was so kind to my mother."
    staff_names = "Maria"
    language = "en"
