"""The metric registry: one record per metric, and every list of metrics derived from it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis import figures
from sim.app.labels import label as app_label
from sim.model.metrics import plain_sum, row_totals
from sim.model.outcomes import (
    CUMULATIVE,
    HEADLINE,
    METRICS,
    MODEL_REPORTERS,
    SHARES,
    SUMMARY,
    higher_is_better,
    label,
)
from sim.model.sensemaking import completeness, completeness_of
from tests.conftest import run_model, small_config


def test_every_record_is_complete():
    for name, rec in METRICS.items():
        assert rec.name == name
        assert rec.label and rec.label_nl, name
        assert rec.kind in ("cumulative", "state")
        assert rec.unit in ("share", "count", "steps", "ratio", "need")
        if rec.headline:
            assert rec.higher_is_better is not None, f"headline {name} needs a direction"


def test_derived_views_follow_the_records():
    assert list(MODEL_REPORTERS) == list(METRICS)
    assert set(HEADLINE) == {n for n, r in METRICS.items() if r.headline}
    assert set(SUMMARY) == {n for n, r in METRICS.items() if r.summary}
    assert {"collective_effectiveness", "efficiency", "coordination_cost_share"} <= CUMULATIVE
    assert "fragmentation" not in CUMULATIVE  # a state: read as a run mean
    assert not higher_is_better("fragmentation") and higher_is_better("efficiency")


def test_labels_are_the_same_in_the_app_and_the_figures():
    assert app_label("fragmentation", "nl") == label("fragmentation", "nl") == "versnippering"
    assert app_label("collective_effectiveness", "en") == label("collective_effectiveness")
    assert label("no_such_metric") == "no_such_metric"
    assert figures.label is label


@pytest.fixture(scope="module")
def collected():
    return run_model(small_config("steps=15")).datacollector.get_model_vars_dataframe()


def test_the_datacollector_reports_every_registered_metric(collected):
    assert list(collected.columns) == list(METRICS)


def test_shares_stay_in_the_unit_interval(collected):
    for name in SHARES:
        values = collected[name].dropna()
        assert ((values >= 0) & (values <= 1)).all(), name


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(1, 12),
    domains=st.integers(1, 40),
    seed=st.integers(0, 2**32 - 1),
    zeros=st.floats(0, 1),
)
def test_row_wise_totals_are_each_arrays_own_to_the_last_bit(n, domains, seed, zeros):
    # the reporters and the step total many challenges' (D,) arrays at once; each total must
    # be the number the array's own sum gives, or every trajectory would change
    rng = np.random.default_rng(seed)
    need = rng.random((n, domains)) * 10.0 ** rng.integers(-3, 4, size=(n, domains))
    need[rng.random((n, domains)) < zeros] = 0.0
    definition = rng.random((n, domains)) < 0.5
    rows = [need[i].copy() for i in range(n)]
    assert row_totals(rows) == [r.sum() for r in rows]
    assert completeness_of(need, definition).tolist() == [
        completeness(need[i], definition[i]) for i in range(n)
    ]
    # adding up left to right, as numpy scalars add (not Python's compensated sum)
    assert plain_sum(row_totals(rows)) == sum(r.sum() for r in rows)
    assert row_totals([]) == [] and plain_sum([]) == 0.0
