"""The guard measured on 210 labelled comments in five languages, and the ``phi scan`` command."""

from __future__ import annotations

import json
import time

from tests.factories import RecognitionFactory
from tests.moderation.phi_cases import build
from tracker.models import RecognitionStatus, Source
from tracker.phi import CLINICAL, IDENTIFIERS, find_health_information


def _overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def test_guard_on_the_labelled_comments():
    comments = build()
    assert len(comments) >= 200
    assert {c.language for c in comments} == {"en", "es", "pt", "ht", "zh_Hans"}
    find_health_information("warm up")  # vocabularies load once per process
    found_by_group = {"identifiers": [0, 0], "clinical": [0, 0]}
    true_findings = all_findings = 0
    per_language: dict[str, list[int]] = {}
    misses = []
    started = time.perf_counter()
    for comment in comments:
        findings = find_health_information(comment.text)
        for span in comment.spans:
            group = "identifiers" if span.kind in IDENTIFIERS else "clinical"
            wanted = IDENTIFIERS if group == "identifiers" else CLINICAL
            hit = any(f.kind in wanted and _overlaps(f, span) for f in findings)
            found_by_group[group][0] += hit
            found_by_group[group][1] += 1
            per_language.setdefault(comment.language, [0, 0])
            per_language[comment.language][0] += hit
            per_language[comment.language][1] += 1
            if not hit:
                misses.append((comment.language, span.kind, comment.text[span.start : span.end]))
        for finding in findings:
            all_findings += 1
            true_findings += any(_overlaps(finding, span) for span in comment.spans)
    elapsed = (time.perf_counter() - started) / len(comments)
    identifier_recall = found_by_group["identifiers"][0] / found_by_group["identifiers"][1]
    clinical_recall = found_by_group["clinical"][0] / found_by_group["clinical"][1]
    precision = true_findings / all_findings
    print(f"\nhealth-information guard: {len(comments)} comments, {sum(len(c.spans) for c in comments)} marked spans")
    print(
        f"  identifiers recall {identifier_recall:.1%} ({found_by_group['identifiers'][0]}/{found_by_group['identifiers'][1]})"  # noqa: E501
    )
    print(
        f"  clinical details recall {clinical_recall:.1%} ({found_by_group['clinical'][0]}/{found_by_group['clinical'][1]})"  # noqa: E501
    )
    print(f"  precision {precision:.1%} ({true_findings}/{all_findings})")
    for language, (hit, total) in sorted(per_language.items()):
        print(f"  {language}: recall {hit}/{total}")
    print(f"  {elapsed * 1000:.1f} ms a comment; missed: {misses[:10]}")
    assert identifier_recall >= 0.95
    assert clinical_recall >= 0.90
    assert precision >= 0.80
    assert elapsed < 0.05


def test_scan_reads_lines_and_prints_json(runner):
    result = runner.invoke(args=["phi", "scan"], input="MRN 4481234 and diabetes\nThank you all!\n")
    assert result.exit_code == 0, result.output
    first, second = [json.loads(line) for line in result.output.splitlines()]
    assert first["line"] == 1
    assert [(f["kind"], f["text"]) for f in first["findings"]] == [
        ("record_number", "4481234"),
        ("condition", "diabetes"),
    ]
    assert set(first["findings"][0]) == {"kind", "start", "end", "text"}
    assert second == {"line": 2, "findings": []}


def test_scan_reads_a_file_and_survives_bad_bytes(runner, tmp_path):
    path = tmp_path / "comments.txt"
    path.write_bytes("我母亲王秀英有糖尿病\n".encode() + b"\xff\xfe broken\n" + ("x" * 100_000).encode() + b"\n")
    result = runner.invoke(args=["phi", "scan", str(path)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 3
    assert {f["kind"] for f in lines[0]["findings"]} == {"patient_name", "condition"}


def test_scan_published_rescans_patient_recognitions(runner, hospital, colleague):
    patient = RecognitionFactory(
        source=Source.PATIENT, status=RecognitionStatus.PUBLISHED, message="She helped with my insulin.",
        recipients=[colleague],
    )  # fmt: skip
    RecognitionFactory(status=RecognitionStatus.PUBLISHED, message="Peer note about insulin.", recipients=[colleague])
    result = runner.invoke(args=["phi", "scan", "--published"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["recognition"] for line in lines] == [patient.id]
    assert lines[0]["findings"][0]["kind"] == "medication"


def test_times_are_not_laboratory_codes():
    """The drug dictionary holds codes such as "AT 10" and "SL 25"; in a patient's words they are times and rooms."""
    comment = "The nurse came back at 10 pm and again at 6 am, as she said she would."
    assert find_health_information(comment) == []
    kinds = {finding.kind for finding in find_health_information("They gave him VP-16 and metformin.")}
    assert kinds == {"medication"}
