"""Model-level claims of the essay: the validation suite's patterns in quick mode.

Each pattern compares strategies over paired replications (common random numbers) with fixed
seeds, so the tests are deterministic and never flake. The patterns, their sources in the essay
and the full-mode results are in docs/validation.md.
"""

from functools import cache

import pytest

from sim.analysis.validation import PATTERNS, validate_patterns


@cache
def table():
    return validate_patterns(quick=True, executor="local", workers=2).set_index("pattern")


@pytest.mark.parametrize("number", [*(p.number for p in PATTERNS), 7])
def test_pattern_holds(number):
    row = table().loc[number]
    assert row.passed, row.to_dict()
