"""The matcher measured on 300+ labelled references over a synthetic 5,000-person roster, and on the database."""

from __future__ import annotations

from tests.factories import PersonFactory
from tests.moderation.matching_cases import build_cases
from tracker.matching import rank, suggest_staff


def test_matcher_on_the_labelled_references():
    people, units, cases = build_cases()
    assert len(people) == 5_000
    assert len(cases) >= 300
    unit_of = {person.person_id: person.department_id for person in people}
    named = [case for case in cases if case.expected is not None]
    ambiguous = [case for case in cases if case.expected is None]
    first_right = preselected = preselected_right = out_of_unit = unit_guarded = quiet = 0
    buckets: dict[int, list[bool]] = {}
    for case in cases:
        match = rank(case.reference, people, units[case.unit_id])
        top = match.suggestions[0] if match.suggestions else None
        for suggestion in match.suggestions if case.target is not None else ():
            buckets.setdefault(min(suggestion.confidence // 20, 4), []).append(
                (suggestion.confidence / 100, suggestion.person_id == case.target)
            )
        if case.unit_has_plausible:
            unit_guarded += 1
            if match.preselected is not None and unit_of[match.preselected] != case.unit_id:
                out_of_unit += 1
        if case.expected is None:
            quiet += match.preselected is None
            continue
        first_right += top is not None and top.person_id == case.expected
        if match.preselected is not None:
            preselected += 1
            preselected_right += match.preselected == case.expected

    first_rate = first_right / len(named)
    quiet_rate = quiet / len(ambiguous)
    print(f"\nmatcher: {len(cases)} labelled references on {len(people):,} people")
    print(f"  right person first: {first_right}/{len(named)} ({first_rate:.1%}) of the references that name one")
    print(f"  out-of-unit pre-selections where the unit has a plausible candidate: {out_of_unit} of {unit_guarded}")
    print(f"  nothing pre-selected: {quiet}/{len(ambiguous)} ({quiet_rate:.1%}) of the ambiguous references")
    print(f"  pre-selected: {preselected}/{len(named)} of the clear references, {preselected_right} of them right")
    # Calibration: of the suggestions shown at about 30 %, about 30 % are the person the patient meant.
    error = total = 0.0
    for bucket, outcomes in sorted(buckets.items()):
        said = sum(p for p, _ in outcomes) / len(outcomes)
        observed = sum(right for _, right in outcomes) / len(outcomes)
        shown = f"{bucket * 20}-{bucket * 20 + 20}%"
        print(f"  shown {shown}: {len(outcomes)} suggestions, said {said:.0%}, right {observed:.0%}")
        error += abs(said - observed) * len(outcomes)
        total += len(outcomes)
    print(f"  expected calibration error: {error / total:.3f}")
    assert first_rate >= 0.95
    assert out_of_unit == 0
    assert quiet_rate >= 0.90
    assert preselected_right == preselected  # a pre-selection is never wrong on this set
    assert preselected >= len(named) / 2  # and the matcher still does its job on the clear ones
    assert error / total <= 0.05


def test_the_wrong_maria_is_not_preselected(hospital):
    """ "Maria" on the Ellison 12 form: the unit's two Maries come before any Maria elsewhere, none ticked."""
    baker = PersonFactory(name="Marie Baker", department=hospital["ellison-12"], job_title="Registered Nurse")
    hill = PersonFactory(name="Marie Hill", department=hospital["ellison-12"], job_title="Registered Nurse")
    king = PersonFactory(name="Maria King", department=hospital["white-6"], job_title="Registered Nurse")

    [match] = suggest_staff("Maria", hospital["ellison-12"])

    assert match.preselected is None
    ids = [s.person_id for s in match.suggestions]
    assert king.id in ids and baker.id in ids and hill.id in ids
    assert all(s.place == "unit" for s in match.suggestions if s.person_id in {baker.id, hill.id})
    assert {s.job_title for s in match.suggestions} == {"Registered Nurse"}


def test_five_nancys_share_the_belief(hospital):
    nancys = [PersonFactory(name=f"Nancy {last}", department=hospital["ellison-12"]) for last in "ABCDE"]

    [match] = suggest_staff("the nurse Nancy", hospital["ellison-12"])

    assert match.preselected is None
    assert {s.person_id for s in match.suggestions} == {n.id for n in nancys}
    assert all(s.confidence <= 25 for s in match.suggestions)


def test_a_description_offers_the_units_people_of_that_job(hospital):
    nurse = PersonFactory(name="Ana Reyes", department=hospital["ellison-12"], job_title="Registered Nurse")
    PersonFactory(name="Bo Lind", department=hospital["ellison-12"], job_title="Transporter")
    PersonFactory(name="Cy Moss", department=hospital["white-6"], job_title="Registered Nurse")

    [match] = suggest_staff("the night nurse with glasses", hospital["ellison-12"])

    assert [s.person_id for s in match.suggestions] == [nurse.id]
    assert match.preselected is None


def test_accents_and_titles(hospital):
    jose = PersonFactory(name="José Peña", department=hospital["ellison-12"], job_title="Physician")
    PersonFactory(name="Josefina Pena", department=hospital["white-6"], job_title="Registered Nurse")
    patel = PersonFactory(name="Anil Patel", department=hospital["ellison-12"], job_title="Physician")
    PersonFactory(name="Rupa Patel", department=hospital["white-6"], job_title="Physician")

    jose_match, patel_match = suggest_staff("Jose Pena, Dr. Patel", hospital["ellison-12"])

    assert jose_match.preselected == jose.id
    assert patel_match.suggestions[0].person_id == patel.id


def test_hostile_and_huge_references_are_harmless(hospital):
    PersonFactory(name="Maria Lopez", department=hospital["ellison-12"])
    assert suggest_staff("", hospital["ellison-12"]) == []
    assert all(m.preselected is None for m in suggest_staff("<script>alert(1)</script>", None))
    matches = suggest_staff("Maria " * 2000, hospital["ellison-12"])
    assert all(m.preselected is None or m.suggestions for m in matches)
