"""Who records actions, for which units, and who approves them."""

from __future__ import annotations

from tests.factories import PersonFactory
from tracker import policy
from tracker.models import ActionStatus, ActionTaken, Role


def test_patient_experience_and_admins_record_for_every_unit(hospital, advocate, admin):
    for person in (advocate, admin):
        assert policy.may_record_actions(person)
        assert policy.action_unit_ids(person) is None
        assert policy.may_record_action_for(person, hospital["white-6"].id)
        assert policy.may_record_action_for(person, None)  # a suggestion that named no unit


def test_managers_record_only_for_their_subtree(hospital, manager, other_manager):
    assert policy.may_record_actions(manager)
    assert policy.may_record_action_for(manager, hospital["ellison-12"].id)
    assert policy.may_record_action_for(manager, hospital["ellison-14"].id)
    assert not policy.may_record_action_for(manager, hospital["white-6"].id)
    assert not policy.may_record_action_for(manager, None)
    assert policy.may_record_action_for(other_manager, hospital["white-6"].id)
    assert not policy.may_record_action_for(other_manager, hospital["ellison-12"].id)


def test_staff_and_other_roles_record_nothing(hospital, staff):
    coordinator = PersonFactory(email="coordinator@example.org", roles={Role.AWARD_COORDINATOR})
    for person in (staff, coordinator):
        assert not policy.may_record_actions(person)
        assert policy.action_unit_ids(person) == set()
        assert not policy.may_record_action_for(person, hospital["ellison-12"].id)


def test_only_patient_experience_approves_and_an_advocate_may_approve_their_own(hospital, manager, advocate, admin):
    own = ActionTaken(status=ActionStatus.PENDING, created_by=advocate)
    by_manager = ActionTaken(status=ActionStatus.PENDING, created_by=manager)
    assert policy.may_approve_action(advocate, own)
    assert policy.may_approve_action(advocate, by_manager)
    assert policy.may_approve_action(admin, by_manager)
    assert not policy.may_approve_action(manager, by_manager)
    assert not policy.may_approve_action(advocate, ActionTaken(status=ActionStatus.APPROVED, created_by=manager))


def test_only_case_workers_read_a_concern_when_recording(manager, advocate):
    assert policy.may_read_case_for_action(advocate)
    assert not policy.may_read_case_for_action(manager)
