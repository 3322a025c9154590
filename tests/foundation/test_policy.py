"""The policy module: who reads which recognitions, who manages whom."""

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory, RecognitionFactory
from tracker import policy
from tracker.extensions import db
from tracker.models import Recognition, RecognitionStatus, Role, Visibility


def readable(person) -> set[int]:
    return set(db.session.scalars(sa.select(Recognition.id).where(policy.recognition_scope(person))))


@pytest.fixture
def stories(staff, colleague, surgeon, manager):
    """Recognitions of different visibility and status, in Medicine and in Surgery."""
    return {
        "public_medicine": RecognitionFactory(giver=manager, recipients=[colleague]),
        "private_medicine": RecognitionFactory(giver=manager, recipients=[colleague], visibility=Visibility.PRIVATE),
        "private_surgery": RecognitionFactory(giver=colleague, recipients=[surgeon], visibility=Visibility.PRIVATE),
        "private_to_staff": RecognitionFactory(giver=surgeon, recipients=[staff], visibility=Visibility.PRIVATE),
        "pending_surgery": RecognitionFactory(giver=staff, recipients=[surgeon], status=RecognitionStatus.PENDING),
        "pending_to_staff": RecognitionFactory(giver=colleague, recipients=[staff], status=RecognitionStatus.PENDING),
    }


def ids(stories, *names):
    return {stories[name].id for name in names}


def test_staff_read_public_ones_and_their_own(staff, stories):
    assert readable(staff) == ids(stories, "public_medicine", "private_to_staff", "pending_surgery")


def test_givers_read_what_they_gave(colleague, stories):
    assert readable(colleague) == ids(
        stories, "public_medicine", "private_medicine", "private_surgery", "pending_to_staff"
    )


def test_manager_reads_everything_about_their_subtree(manager, stories):
    assert readable(manager) == ids(
        stories, "public_medicine", "private_medicine", "private_to_staff", "pending_to_staff"
    )
    assert stories["private_surgery"].id not in readable(manager)


def test_manager_outside_the_subtree_reads_only_public_and_their_own(other_manager, stories):
    assert readable(other_manager) == ids(stories, "public_medicine", "private_surgery", "pending_surgery")


@pytest.mark.parametrize("role_fixture", ["advocate", "admin"])
def test_advocates_and_admins_read_everything(request, role_fixture, stories):
    person = request.getfixturevalue(role_fixture)
    assert readable(person) == {s.id for s in stories.values()}
    assert all(policy.may_view_recognition(person, s) for s in stories.values())


def test_may_view_matches_the_scope(staff, stories):
    for name, story in stories.items():
        assert policy.may_view_recognition(staff, story) is (story.id in readable(staff)), name


def test_managed_departments_cover_the_whole_subtree(manager, hospital):
    assert policy.managed_department_ids(manager) == {
        hospital["medicine"].id,
        hospital["ellison-12"].id,
        hospital["ellison-14"].id,
    }


def test_a_manager_without_the_role_manages_nothing(hospital):
    person = PersonFactory(manages=[hospital["medicine"]])
    assert policy.managed_department_ids(person) == set()


def test_acknowledgement_is_for_managers_of_a_recipient(manager, other_manager, admin, colleague, stories):
    story = stories["public_medicine"]
    assert policy.may_acknowledge(manager, story) is False  # the manager gave this one
    fresh = RecognitionFactory(giver=colleague, recipients=[stories["private_to_staff"].recipients[0]])
    assert policy.may_acknowledge(manager, fresh)
    assert not policy.may_acknowledge(other_manager, fresh)
    assert policy.may_acknowledge(admin, fresh)
    assert not policy.may_acknowledge(colleague, fresh)


def test_nobody_acknowledges_recognition_of_themself(manager, colleague):
    story = RecognitionFactory(giver=colleague, recipients=[manager])
    assert not policy.may_acknowledge(manager, story)


def test_pending_recognitions_are_reviewed_by_managers_of_a_recipient(manager, other_manager, stories):
    pending = stories["pending_to_staff"]
    assert policy.may_review_recognition(manager, pending)
    assert not policy.may_review_recognition(other_manager, pending)
    assert not policy.may_review_recognition(manager, stories["public_medicine"])


def test_recipients_reply(staff, colleague, stories):
    assert policy.may_reply(staff, stories["private_to_staff"])
    assert not policy.may_reply(colleague, stories["private_to_staff"])
    assert not policy.may_reply(staff, stories["pending_to_staff"])


def test_cases_and_contact_details(staff, manager, advocate, admin):
    assert [policy.may_work_cases(p) for p in (staff, manager, advocate, admin)] == [False, False, True, True]
    assert [policy.may_see_contact_details(p) for p in (staff, manager, advocate, admin)] == [False, False, True, False]
    assert [policy.may_moderate(p) for p in (staff, manager, advocate, admin)] == [False, False, True, True]


def test_dashboard_scope(manager, admin, staff, hospital):
    assert policy.dashboard_department_ids(admin) is None
    assert hospital["ellison-12"].id in policy.dashboard_department_ids(manager)
    assert policy.dashboard_department_ids(staff) == set()


def test_roles_decorator_tells_401_from_403(app, staff):
    """A fresh app on the same database, so a test route can be added before its first request."""
    from tests.conftest import make_test_config
    from tests.factories import PASSWORD
    from tests.helpers import BrowserLikeClient
    from tracker import create_app

    fresh = create_app(make_test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path))
    fresh.test_client_class = BrowserLikeClient

    @policy.roles(Role.ADMIN)
    def admin_only():
        return "secret"

    fresh.add_url_rule("/test-admin-only", "test_admin_only", admin_only)
    assert getattr(fresh.view_functions["test_admin_only"], policy.ACCESS_ATTRIBUTE) == "roles:admin"
    client = fresh.test_client()
    assert client.get("/test-admin-only").status_code == 302  # anonymous: sent to sign in
    client.sign_in(staff.email, PASSWORD)
    assert client.get("/test-admin-only").status_code == 403
