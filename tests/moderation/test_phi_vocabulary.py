"""The guard's vocabulary is built once and kept, so a new worker reads it instead of rebuilding it."""

from __future__ import annotations

import json
import logging

import pytest

from tracker.phi import clinical


@pytest.fixture
def kept_at(tmp_path, monkeypatch):
    path = tmp_path / "vocabulary-test.json"
    monkeypatch.setattr(clinical, "_cache_path", lambda: path)
    clinical.vocabulary.cache_clear()
    yield path
    clinical.vocabulary.cache_clear()


def test_the_first_process_keeps_what_it_built_and_the_next_reads_it(kept_at):
    built = clinical.vocabulary()
    assert json.loads(kept_at.read_text(encoding="utf-8")) == built
    assert built["diabetes"] == "condition" and built["metformin"] == "medication"

    kept_at.write_text(json.dumps({"diabetes": "condition"}), encoding="utf-8")
    clinical.vocabulary.cache_clear()
    assert clinical.vocabulary() == {"diabetes": "condition"}  # read, not rebuilt


@pytest.mark.parametrize("damage", ["{not json", '["a list"]', '{"diabetes": "not a kind"}', ""])
def test_a_damaged_copy_is_rebuilt_and_replaced(kept_at, damage):
    kept_at.write_text(damage, encoding="utf-8")
    terms = clinical.vocabulary()
    assert terms["metformin"] == "medication"
    assert json.loads(kept_at.read_text(encoding="utf-8")) == terms


def test_a_read_only_install_still_gets_the_guard(tmp_path, monkeypatch, caplog):
    missing = tmp_path / "no-such-folder" / "vocabulary-test.json"
    monkeypatch.setattr(clinical, "_cache_path", lambda: missing)
    clinical.vocabulary.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="tracker.phi.clinical"):
            assert clinical.vocabulary()["metformin"] == "medication"
        assert "could not be kept" in caplog.text and not missing.exists()
    finally:
        clinical.vocabulary.cache_clear()


def test_the_key_changes_with_the_module_source():
    assert clinical._cache_path().name.startswith("vocabulary-")
    assert clinical._cache_path() == clinical._cache_path()
