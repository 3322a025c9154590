"""Every action the code records has a readable label on the audit trail page."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tracker.admin.audit_labels import ACTIONS, RECORDS

TRACKER = Path(__file__).resolve().parents[2] / "tracker"


def _recorded_actions() -> tuple[set[str], set[str]]:
    """The literal action names passed to ``audit.record`` / ``after_streaming``, and the f-string patterns."""
    literals, patterns = set(), set()
    for path in TRACKER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute | ast.Name):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            owner = getattr(node.func.value, "id", "") if isinstance(node.func, ast.Attribute) else ""
            if name == "record" and owner == "audit":
                arguments = node.args[:1]
            elif name == "after_streaming" and owner == "audit":
                arguments = node.args[1:3]
            else:
                continue
            for argument in arguments:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    literals.add(argument.value)
                elif isinstance(argument, ast.JoinedStr):
                    parts = [re.escape(p.value) if isinstance(p, ast.Constant) else "[a-z_]+" for p in argument.values]
                    patterns.add("".join(parts))
    return literals, patterns


def _case_event_kinds() -> set[str]:
    """The kinds ``tracker.cases.services._event`` and ``record_view`` are called with (``case.<kind>``)."""
    kinds = set()
    tree = ast.parse((TRACKER / "cases" / "services.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_event" and len(node.args) > 2:
            kinds.add(node.args[2].value)
        if isinstance(node, ast.FunctionDef) and node.name == "record_view":
            kinds.update(default.value for default in node.args.kw_defaults if isinstance(default, ast.Constant))
    for path in TRACKER.rglob("*.py"):
        kinds.update(re.findall(r"record_view\([^)]*what=\"([a-z_]+)\"", path.read_text(encoding="utf-8")))
    return kinds


def test_every_literal_action_has_a_label():
    literals, _patterns = _recorded_actions()
    assert len(literals) > 60
    assert sorted(literals - set(ACTIONS)) == []


def test_every_composed_action_has_labels():
    _literals, patterns = _recorded_actions()
    for pattern in patterns:
        assert [key for key in ACTIONS if re.fullmatch(pattern, key)], pattern
    assert {f"case.{kind}" for kind in _case_event_kinds()} <= set(ACTIONS)
    for kind in ("channel", "webhook_endpoint"):
        for change in ("paused", "resumed", "removed", "test_sent"):
            assert f"{kind}_{change}" in ACTIONS


def test_every_record_kind_the_code_names_has_a_label():
    kinds = set()
    for path in TRACKER.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and getattr(node.func.value, "id", "") == "audit"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                kinds.add(node.args[1].value)
    assert sorted(kinds - set(RECORDS) - {""}) == []
