"""Static security analysis: bandit finds nothing of high severity in the application code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bandit_finds_no_high_severity_issue():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bandit",
            "--configfile",
            "pyproject.toml",
            "--recursive",
            "tracker",
            "--severity-level",
            "high",
            "--format",
            "json",
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(completed.stdout)
    findings = [
        f"{item['filename']}:{item['line_number']} {item['test_id']} {item['issue_text']}" for item in report["results"]
    ]
    assert not findings, "\n".join(findings)
    assert not report["errors"], report["errors"]
    assert report["metrics"]["_totals"]["loc"] > 1000  # it really read the code
    assert completed.returncode == 0, completed.stderr
