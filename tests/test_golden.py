"""Golden baseline: a refactor changes no result.

Short runs under every preset (and knobs mixed across presets) are compared exactly, step by step
and challenge by challenge, with the metrics stored in tests/golden/baseline.json. A change meant to
alter results regenerates it (``.venv/bin/python tests/golden/make_golden.py``) in the same commit.
"""

from __future__ import annotations

import json

import pytest

from tests.golden.make_golden import BASELINE, SCENARIOS, record

GOLDEN = json.loads(BASELINE.read_text())


def test_baseline_covers_every_scenario():
    assert set(GOLDEN) == set(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_run_matches_golden_baseline(name):
    now, then = record(SCENARIOS[name]), GOLDEN[name]
    assert sorted(now["steps"]) == sorted(then["steps"]), "the set of metrics changed"
    for metric, values in then["steps"].items():
        assert now["steps"][metric] == values, f"{name}: step metric {metric} differs"
    assert len(now["opgaven"]) == len(then["opgaven"])
    for new, old in zip(now["opgaven"], then["opgaven"], strict=True):
        assert new == old, f"{name}: challenge {old['opgave']} differs"
