"""Verdicts against known truth at n = 3, 6, 10 and 30: synthetic stores where scenario 'b'
differs from 'a' by a known amount, through the same code path as real experiments."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import results
from sim.analysis.compare import Reading, check_reading, compare, values_at
from sim.analysis.figures import level_intervals
from sim.analysis.report import write_report
from sim.analysis.stats import paired_t, pairs_needed, t_power, tost
from sim.cli import main
from sim.errors import UsageError
from sim.results import Results

M = "collective_effectiveness"


def frame(
    n: int, diffs: dict[str, list[float]], noise: float, seed: int, points: int = 1
) -> pd.DataFrame:
    """Run rows: every replication's world draws a base value shared by all scenarios (common
    random numbers); scenario s at point p adds diffs[s][p] and its own noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for point in range(points):
        world = rng.normal(0.5, 0.1, n)
        for scenario, shift in {"a": [0.0] * points, **diffs}.items():
            values = world + shift[point] + rng.normal(0, noise, n)
            for rep in range(n):
                rows.append(
                    {
                        "run_id": f"{scenario}/p{point:04d}/r{rep:03d}",
                        "scenario": scenario,
                        "point": point,
                        "replication": rep,
                        "seed": rep,
                        "status": "ok",
                        M: values[rep],
                        "fragmentation": 1 - values[rep],
                    }
                )
    return pd.DataFrame(rows)


def manifest(n: int, scenarios: list[str], sesoi: dict | None = None) -> dict:
    spec = {
        "name": "truth",
        "description": "known answers",
        "scenarios": {s: {} for s in scenarios},
        "replications": n,
        "seed": 0,
        "outputs": {"steps_every": 10},
        "analysis": {"sesoi": sesoi or {}},
    }
    configs = {s: {"strategy": {"preset": "institutional"}} for s in scenarios}
    return {"spec": spec, "configs": configs, "git": {"commit": "x", "dirty": False}}


def in_memory(runs: pd.DataFrame, n: int, sesoi: dict | None = None) -> Results:
    """A Results object without files (fast, for many seeds); steps at 0 and 10."""
    points = sorted(runs.point.unique())
    design = pd.DataFrame({"point": points, "x": [float(p) for p in points]})
    steps = pd.concat([runs.assign(step=0), runs.assign(step=10)], ignore_index=True)
    scenarios = list(dict.fromkeys(runs.scenario))
    empty = pd.DataFrame()
    return Results(Path("."), manifest(n, scenarios, sesoi), runs, design, steps, empty, empty)


def stored(root: Path, runs: pd.DataFrame, n: int, sesoi: dict | None = None) -> Path:
    """The same as a results folder on disk, read back by sim.results.load."""
    res = in_memory(runs, n, sesoi)
    root.mkdir(parents=True)
    runs.to_parquet(root / "runs.parquet")
    res.design.to_parquet(root / "design.parquet")
    for scenario, part in res.steps.groupby("scenario"):
        (root / "steps" / f"scenario={scenario}").mkdir(parents=True)
        part.to_parquet(root / "steps" / f"scenario={scenario}" / "part-0.parquet")
    (root / "manifest.json").write_text(json.dumps(res.manifest))
    return root


def verdicts(table: pd.DataFrame, metric: str = M) -> list[str]:
    return table[(table.metric == metric) & (table.scenario != "a")].verdict.tolist()


# -- the tests themselves ------------------------------------------------------------------
def test_paired_t_reaches_any_level_where_wilcoxon_cannot():
    from sim.analysis.stats import paired_test

    diff = np.array([0.30, 0.33, 0.31])
    assert paired_test(diff) >= 0.25  # exact Wilcoxon at n = 3: never below 2/8
    assert paired_t(diff) < 0.01
    assert paired_t(np.zeros(4)) == 1.0 and np.isnan(paired_t(np.array([1.0])))


def test_tost_and_power_by_hand():
    # mean 0, sd 1, n = 4: se 0.5; bound 2: t = 4 with 3 df, one-sided p = 0.0140
    diff = np.array([-1.0, 1.0, -1.0, 1.0]) * np.sqrt(3) / 2
    assert tost(diff, 2.0) == pytest.approx(0.0140, abs=5e-4)
    assert tost(diff, 0.1) == pytest.approx(0.4271, abs=5e-4)  # t = 0.2
    # the textbook case: d = 0.5, 80% power at 5% two-sided: 34 pairs
    assert pairs_needed(sd=1.0, effect=0.5) == 34
    assert t_power(34, 0.5, 1.0) >= 0.8 > t_power(33, 0.5, 1.0)


@pytest.mark.parametrize("n", [3, 6, 10, 30])
def test_a_large_difference_is_higher_at_every_n(n, tmp_path):
    # the review's case: 3 design points x 2 scenarios, effects 0.3 with little noise
    runs = frame(n, {"b": [0.3, 0.35, 0.4], "c": [0.3, 0.3, 0.3]}, noise=0.02, seed=n, points=3)
    table = compare(results.load(stored(tmp_path / "s", runs, n)), "a", [M, "fragmentation"])
    assert verdicts(table) == ["higher"] * 6
    assert verdicts(table, "fragmentation") == ["lower"] * 6
    assert (table.family_size.dropna() == 6).all()  # the family: one metric, all points
    row = table[(table.metric == M) & (table.scenario == "b")].iloc[0]
    assert row.diff_ci_low < 0.3 < row.diff_ci_high and row.magnitude == "beyond SESOI"


@pytest.mark.parametrize("n", [3, 6, 10, 30])
def test_a_negligible_difference_is_equivalent_once_n_allows(n):
    runs = frame(n, {"b": [0.004]}, noise=0.005, seed=100 + n)
    table = compare(in_memory(runs, n), "a", [M], sesoi={M: 0.05})
    expected = {"equivalent", "inconclusive"} if n == 3 else {"equivalent"}
    assert set(verdicts(table)) <= expected
    assert table.magnitude.iloc[1] in ("within SESOI", "unclear")


@pytest.mark.parametrize("n", [3, 6, 10, 30])
def test_no_difference_is_never_called_a_difference(n):
    wrong = 0
    for seed in range(60):
        table = compare(in_memory(frame(n, {"b": [0.0]}, noise=0.05, seed=seed), n), "a", [M])
        wrong += verdicts(table)[0] in ("higher", "lower")
    assert wrong <= 7  # 3 expected at 5% (measured over 300 seeds: 5.3 to 6.0% at every n)


@pytest.mark.parametrize("n", [3, 6, 10])
def test_a_modest_difference_in_noise_is_inconclusive_and_the_advice_works(n, tmp_path):
    runs = frame(n, {"b": [0.05]}, noise=0.07, seed=2)  # differences: sd about 0.1
    res = results.load(stored(tmp_path / "m", runs, n))
    table = compare(res, "a", [M])
    assert verdicts(table) == ["inconclusive"]
    advised = int(table.pairs_needed.iloc[1])
    assert advised > n
    md = write_report(res, tmp_path / "r", "a", [M])["md"].read_text()
    assert f"**Too few replications for {M}**" in md and f"about {advised} replications" in md
    # with the advised replications the SESOI-sized question gets answered most of the time
    found = 0
    big = max(advised, 20)
    for seed in range(10):
        t = compare(in_memory(frame(big, {"b": [0.05]}, noise=0.07, seed=seed), big), "a", [M])
        found += verdicts(t)[0] == "higher"
    assert found >= 7


def test_sesoi_comes_from_the_defaults_the_spec_and_the_caller():
    runs = frame(6, {"b": [0.01]}, noise=0.002, seed=3)
    res = in_memory(runs, 6, sesoi={M: 0.001})
    assert compare(res, "a", [M, "fragmentation"]).sesoi.dropna().tolist() == [0.001, 0.02]
    assert compare(res, "a", [M], sesoi={M: 0.5}).sesoi.dropna().tolist() == [0.5]
    assert verdicts(compare(res, "a", [M], sesoi={M: 0.5})) == ["equivalent"]
    assert verdicts(compare(res, "a", [M])) == ["higher"]


def test_a_step_that_was_not_kept_is_refused_with_the_nearest(tmp_path, capsys):
    res = in_memory(frame(3, {"b": [0.1]}, 0.01, 0), 3)
    check_reading(res, Reading(at=10))
    with pytest.raises(UsageError, match="nearest kept steps are 0 and 10"):
        values_at(res, [M], Reading(at=7))
    with pytest.raises(UsageError, match="the runs end at step 10"):
        compare(res, "a", [M], Reading(at=999))
    folder = stored(tmp_path / "s", res.runs, 3)
    assert main(["compare", str(folder), "--at", "7", "--out", str(tmp_path / "rep")]) == 2
    err = capsys.readouterr().err
    assert "--at 7: step 7 was not kept" in err and "0 and 10" in err
    assert not (tmp_path / "rep").exists()


def test_state_metrics_as_run_means_cumulative_as_final(tmp_path):
    res = in_memory(frame(3, {"b": [0.1]}, 0.01, 0), 3)
    res.steps.loc[res.steps.step == 10, ["fragmentation", M]] = 0.9
    both = values_at(res, ["fragmentation", M], Reading(by_kind=True))
    assert (both.fragmentation == 0.9).all()  # state: the mean over steps after 0
    assert (both[M].to_numpy() == res.runs[M].to_numpy()).all()  # cumulative: final value
    paths = write_report(res, tmp_path / "r", "a", ["fragmentation", M], Reading(by_kind=True))
    md = paths["md"].read_text()
    assert f"cumulative metrics ({M}) as final values" in md
    assert "state metrics (fragmentation) as run means" in md


def test_the_report_reads_top_down(tmp_path):
    runs = frame(6, {"b": [0.3, 0.0], "c": [0.01, 0.02]}, noise=0.02, seed=1, points=2)
    folder = stored(tmp_path / "s", runs, 6)
    paths = write_report(results.load(folder), tmp_path / "r", "a", [M])
    md = paths["md"].read_text()
    order = ["# truth: b, c against a", "## Summary", "![differences]", "## How the", "## Table"]
    at = [md.index(s) for s in order]
    assert at == sorted(at)
    summary = md.split("## Summary")[1].split("## How")[0]
    assert "higher (better) at 1" in summary and "95% CI" in summary
    assert "family is one metric" in md and "SESOI" in md
    for name in ("timeseries", "distributions", "differences", "parameters"):
        assert (tmp_path / "r" / f"{name}.png").is_file()


def test_parameter_figure_intervals_are_the_tables(tmp_path):
    res = in_memory(frame(8, {"b": [0.1, 0.2, 0.3]}, noise=0.05, seed=2, points=3), 8)
    table = compare(res, "a", [M]).set_index(["scenario", "point"])
    data = values_at(res, [M]).merge(res.design, on="point")
    fig = level_intervals(data, "x", M).set_index(["scenario", "level"])
    for (scenario, point), row in table.iterrows():
        mine = fig.loc[(scenario, float(point))]
        assert (mine.lo, mine.hi) == pytest.approx((row.ci_low, row.ci_high))
