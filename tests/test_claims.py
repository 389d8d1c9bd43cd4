"""Model-level claims of the essay: the validation catalogue, its verdict logic and its quick run.

The catalogue (sim/analysis/patterns.py) turns each of the 18 strengths and vulnerabilities of
the essay's table 2 into a pattern, plus patterns at other levels. The quick run compares the
strategies over 10 paired replications (common random numbers) with fixed seeds, so it is
deterministic and never flakes. The patterns and their results are in docs/validation.md.
"""

from functools import cache
from types import SimpleNamespace

import numpy as np
import pytest

from sim.analysis.measures import RECRUIT_COLUMNS, Missing, membership_frame
from sim.analysis.patterns import ITEMS, PATTERNS, TABLE2, Cell, Pattern, within
from sim.analysis.validation import MIN_PAIRS, judge, validate_patterns, verdict
from sim.model.coalitions import Coalitions, Ending


# -- the catalogue ------------------------------------------------------------------------------
def test_table2_has_eighteen_items_each_mapped_to_one_pattern():
    kinds = [(side, kind) for side, kind, _ in TABLE2]
    assert len(ITEMS) == len(set(ITEMS)) == 18
    assert kinds.count(("institutioneel", "kracht")) == 3
    assert kinds.count(("opgavegericht", "kracht")) == 4
    assert kinds.count(("institutioneel", "kwetsbaarheid")) == 5
    assert kinds.count(("opgavegericht", "kwetsbaarheid")) == 6
    table2 = [p for p in PATTERNS if p.level == "table 2"]
    assert sorted(p.source for p in table2) == sorted(ITEMS)  # every item once, nothing else


def test_patterns_are_numbered_once_and_name_their_cells():
    numbers = [p.number for p in PATTERNS]
    assert len(numbers) == len(set(numbers))
    for p in PATTERNS:
        assert p.name and p.source and p.expected and p.cells, p


# -- verdicts on synthetic effects (hand-computed) ----------------------------------------------
def test_ten_positive_pairs_pass():
    # exact one-sided Wilcoxon: all 10 ranks positive, p = 1 / 2^10
    row = verdict(np.arange(1.0, 11.0))
    assert row["p_value"] == pytest.approx(1 / 1024)
    assert row["effect"] == pytest.approx(5.5)
    assert row["ci_low"] > 0 and row["verdict"] == "pass" and row["n"] == 10


def test_no_effect_or_the_wrong_sign_fails():
    assert verdict(np.zeros(10))["verdict"] == "fail"
    assert verdict(np.zeros(10))["p_value"] == 1.0
    assert verdict(-np.arange(1.0, 11.0))["verdict"] == "fail"
    # 9 of 10 positive, the largest negative: p = P(negative rank sum <= 10) = 43 / 1024
    # (43 of the 1024 sign patterns have negative ranks summing to at most 10)
    mixed = np.array([1.0, 2, 3, 4, 5, 6, 7, 8, 9, -10])
    assert verdict(mixed)["p_value"] == pytest.approx(43 / 1024)
    assert verdict(mixed)["verdict"] == "fail"


def test_at_least_fails_only_when_clearly_the_other_way():
    assert verdict(np.zeros(10), at_least=True)["verdict"] == "pass"
    assert verdict(np.arange(1.0, 11.0), at_least=True)["verdict"] == "pass"
    clearly_less = verdict(-np.arange(1.0, 11.0), at_least=True)
    assert clearly_less["p_value"] == pytest.approx(1 / 1024)
    assert clearly_less["verdict"] == "fail"


def test_too_few_finite_pairs_or_a_declared_reason_is_open():
    few = verdict(np.array([1.0, 2.0, np.nan, np.nan, 3.0, 4.0]))
    assert few["verdict"] == "open" and few["n"] == 4 and "at least 5" in few["open_because"]
    declared = verdict(np.zeros(10), open_because="the model cannot see this")
    assert declared["verdict"] == "open" and declared["open_because"] == "the model cannot see this"
    assert verdict(np.arange(1.0, 11.0), open_because="x")["verdict"] == "pass"


def test_a_pattern_with_a_missing_metric_is_open():
    cell = Cell("opgave_centred")
    pattern = Pattern(99, "n", "s", "> 0", within(cell, "recruit_cost"), (cell,))
    missing = {(cell, r): {"recruit_cost": Missing("no recruiting cost yet")} for r in range(6)}
    row = judge(pattern, missing, 6)
    assert row["verdict"] == "open" and row["open_because"] == "no recruiting cost yet"
    absent = {(cell, r): {"reader:memberships": Missing("no table")} for r in range(6)}
    assert judge(pattern, absent, 6)["open_because"] == "no table"
    present = {(cell, r): {"recruit_cost": float(r + 1)} for r in range(6)}
    row = judge(pattern, present, 6)
    assert row["per_pair"] == "1 2 3 4 5 6" and row["effect"] == pytest.approx(3.5)


def test_membership_frame_names_motives_and_censors_durations():
    C = Coalitions(3, 2)
    j = C.new_initiative(0, np.array([True, False]), lead=0, quality=1.0, step=0)
    C.join(0, j, motive=0, strength=1.0, step=2)
    C.join(1, j, motive=1, strength=1.0, step=4)
    C.leave(np.array([1]), step=7, reason=Ending.MOTIVE_FADED)
    model = SimpleNamespace(
        coalitions=C, actors=SimpleNamespace(type=np.array([0, 2, 1])), steps=10
    )
    m = membership_frame(model)
    assert list(m["motive"]) == ["intrinsic", "interest"]
    assert list(m["type"]) == ["citizen", "company"]
    assert list(m["duration"]) == [8, 3]  # still active: 10 - 2; left at 7: 7 - 4


# -- the quick run -------------------------------------------------------------------------------
@cache
def table():
    return validate_patterns(quick=True, executor="local", workers=2).set_index("pattern")


def test_quick_run_judges_every_pattern():
    t = table()
    assert list(t.index) == sorted(p.number for p in PATTERNS)
    assert set(t.verdict) <= {"pass", "fail", "open"}
    for number, row in t.iterrows():
        if row.verdict == "open":
            assert row.open_because, number
        else:
            # a pair counts when both runs give the quantity (e.g. a run may have no
            # second-order challenge defined in 120 steps)
            assert MIN_PAIRS <= row.n <= 10 and np.isfinite(row.effect), number


def test_recruiting_pattern_turns_on_when_the_model_records_recruiting_cost():
    has_cost = any(c in Coalitions(1, 1).memberships._data for c in RECRUIT_COLUMNS)
    row = table().loc[16]
    if has_cost:
        assert row.verdict in {"pass", "fail"}, row.to_dict()
    else:
        assert row.verdict == "open" and "recruiting cost" in row.open_because


# Claims the model must keep: patterns that pass in full mode on the model with version 2's
# behaviour with effects far from zero, so 10 pairs of 120 steps show them too
# (docs/validation.md). The others are reported, not held: borderline ones (1, 13) may go either
# way on 10 pairs, and the open ones are findings, never a reason to tune.
HELD = (4, 6, 7, 8, 9, 12, 15, 17, 19, 20, 23, 24)
# Pattern 18 (orphaned need without boundary spanners) is small for 10 pairs of 120 steps: its
# quick-mode Wilcoxon p has been on both sides of α = 0.01 while the bootstrap interval excludes
# zero. Here it is held to what 10 pairs can show: the interval.
INTERVAL_ONLY = (18,)


@pytest.mark.parametrize("number", HELD + INTERVAL_ONLY)
def test_held_pattern(number):
    row = table().loc[number]
    if number in INTERVAL_ONLY:
        assert row.ci_low > 0, row.to_dict()
    else:
        assert row.verdict == "pass", row.to_dict()


def test_quick_run_stays_cheap():
    # the quick run is part of the test suite: its models must stay within ~3 CPU-minutes
    assert table().attrs["cpu_seconds"] < 200, table().attrs
