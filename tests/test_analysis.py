"""Analysis against known answers: synthetic results with a known difference, a known null, and
the Ishigami function (known Sobol indices) through the same code path as real experiments."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import results
from sim.analysis.compare import compare, winners
from sim.analysis.report import write_report
from sim.analysis.sensitivity import sensitivity
from sim.analysis.stats import bootstrap_ci, effect_size, holm, paired_test
from sim.engine.design import design_table
from sim.engine.spec import Design
from sim.errors import UsageError
from sim.results import Results


def test_holm_by_hand():
    # sorted p: .01 (x3 = .03), .02 (x2 = .04), .04 (x1 = .04)
    assert holm(np.array([0.04, 0.01, 0.02])) == pytest.approx([0.04, 0.03, 0.04])


def test_bootstrap_ci_covers_the_mean_and_is_narrow_for_constant_shift():
    rng = np.random.default_rng(1)
    x = rng.normal(0.3, 0.1, 200)
    lo, hi = bootstrap_ci(x)
    assert lo < 0.3 < hi and hi - lo < 0.05
    assert bootstrap_ci(np.full(5, 2.0)) == (2.0, 2.0)
    assert effect_size(np.array([1.0, 1.0])) == np.inf
    assert paired_test(np.zeros(4)) == 1.0


def synthetic(root: Path, true_diff: float, n: int = 40, seed: int = 0) -> Path:
    """A results folder: scenario 'b' = scenario 'a' + true_diff + noise, paired by replication."""
    rng = np.random.default_rng(seed)
    world = rng.normal(0.5, 0.1, n)  # what the replication's world contributes to both
    rows = []
    for scenario, shift in (("a", 0.0), ("b", true_diff)):
        noise = rng.normal(0, 0.02, n)
        for rep in range(n):
            value = world[rep] + shift + noise[rep]
            rows.append(
                {
                    "run_id": f"{scenario}/p0000/r{rep:03d}",
                    "scenario": scenario,
                    "point": 0,
                    "replication": rep,
                    "seed": rep,
                    "status": "ok",
                    "collective_effectiveness": value,
                    "fragmentation": 1 - value,
                }
            )
    runs = pd.DataFrame(rows)
    root.mkdir(parents=True, exist_ok=True)
    runs.to_parquet(root / "runs.parquet")
    pd.DataFrame({"point": [0]}).to_parquet(root / "design.parquet")
    steps = pd.concat([runs.assign(step=s) for s in (0, 10)])
    part = root / "steps"
    for scenario, g in steps.groupby("scenario"):
        (part / f"scenario={scenario}").mkdir(parents=True)
        g.to_parquet(part / f"scenario={scenario}" / "part-0.parquet")
    manifest = {
        "spec": {
            "name": "synthetic",
            "description": "known answers",
            "scenarios": {"a": {}, "b": {}},
            "replications": n,
            "seed": 0,
            "design": {"kind": "grid", "parameters": {}},
        },
        "configs": {
            "a": {"strategy": {"preset": "institutional"}},
            "b": {"strategy": {"preset": "opgave_centred"}},
        },
        "git": {"commit": "x", "dirty": False},
    }
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


METRICS = ["collective_effectiveness", "fragmentation"]


def test_a_known_difference_is_found_and_covered(tmp_path):
    res = results.load(synthetic(tmp_path / "d", true_diff=0.05))
    table = compare(res, baseline="a", metrics=METRICS)
    row = table[(table.scenario == "b") & (table.metric == "collective_effectiveness")].iloc[0]
    assert row.diff_ci_low < 0.05 < row.diff_ci_high
    assert row.verdict == "higher" and row.p_adjusted < 0.01
    frag = table[(table.scenario == "b") & (table.metric == "fragmentation")].iloc[0]
    assert frag.verdict == "lower"


def test_no_difference_is_not_flagged_and_is_equivalent_at_40_pairs(tmp_path):
    res = results.load(synthetic(tmp_path / "n", true_diff=0.0))
    table = compare(res, baseline="a", metrics=METRICS)
    row = table[(table.scenario == "b") & (table.metric == "collective_effectiveness")].iloc[0]
    assert row.diff_ci_low < 0 < row.diff_ci_high
    # differences with sd 0.03 over 40 pairs: the 90% interval lies well within ±0.02
    assert row.verdict == "equivalent" and row.magnitude == "within SESOI"


def test_report_files_and_content(tmp_path):
    res = results.load(synthetic(tmp_path / "r", true_diff=0.05))
    paths = write_report(res, tmp_path / "report", baseline="a", metrics=METRICS)
    for key in ("csv", "md", "html"):
        assert paths[key].is_file()
    for name in ("timeseries", "distributions", "differences"):
        assert (tmp_path / "report" / f"{name}.png").is_file()
        assert (tmp_path / "report" / f"{name}.svg").is_file()
    md = paths["md"].read_text()
    assert "# synthetic" in md and "known answers" in md
    assert "b is higher than a (better: +0.04" in md
    assert "knob: decomposition" in md  # what differs between the scenarios
    html = paths["html"].read_text()
    assert html.count("data:image/png;base64,") >= 3 and "<table>" in html
    csv = pd.read_csv(paths["csv"])
    assert {
        "n",
        "mean",
        "median",
        "ci_low",
        "ci_high",
        "diff_mean",
        "effect_size",
        "p_value",
        "p_adjusted",
        "p_tost_adjusted",
        "sesoi",
        "magnitude",
        "pairs_needed",
        "verdict",
    } <= set(csv.columns)


def test_winners_marks_unclear_cells(tmp_path):
    res = results.load(synthetic(tmp_path / "w", true_diff=0.0))
    w = winners(res, "collective_effectiveness")
    assert not w.clear.iloc[0]
    res = results.load(synthetic(tmp_path / "w2", true_diff=0.05))
    w = winners(res, "collective_effectiveness")
    assert w.winner.iloc[0] == "b" and w.clear.iloc[0]


def ishigami(X: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(X[:, 0]) + a * np.sin(X[:, 1]) ** 2 + b * X[:, 2] ** 4 * np.sin(X[:, 0])


def test_sobol_indices_of_ishigami_through_the_results_path():
    design = Design.model_validate(
        {
            "kind": "sobol",
            "samples": 1024,
            "second_order": False,
            "parameters": {p: {"low": -np.pi, "high": np.pi} for p in ("x1", "x2", "x3")},
        }
    )
    table = design_table(design, seed=4)
    X = table[["x1", "x2", "x3"]].to_numpy()
    y = ishigami(X)
    runs = pd.DataFrame(
        {
            "run_id": [f"s/p{p:04d}/r000" for p in table.point],
            "scenario": "s",
            "point": table.point,
            "replication": 0,
            "status": "ok",
            "y": y,
        }
    )
    manifest = {"spec": {"design": design.model_dump(mode="json"), "seed": 4}}
    res = Results(Path("."), manifest, runs, table, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    si = sensitivity(res, ["y"]).set_index("parameter")
    # analytical values for a = 7, b = 0.1
    assert si.S1.to_numpy() == pytest.approx([0.314, 0.442, 0.0], abs=0.05)
    assert si.ST.to_numpy() == pytest.approx([0.558, 0.442, 0.244], abs=0.05)


def test_sensitivity_notes_flag_noise_and_unresolved_effects():
    from sim.analysis.sensitivity import notes

    table = pd.DataFrame(
        {
            "scenario": "s",
            "metric": "m",
            "parameter": ["a", "b", "c"],
            "mu_star": [0.5, 0.01, 0.0],
            "mu_star_conf": [0.1, 0.02, 0.0],
            "sigma": [0.1, 0.0, 0.0],
            "noise_share": 0.6,
        }
    )
    text = "\n".join(notes(table))
    assert "noise makes up 60%" in text
    assert "for b the interval is as wide as the index" in text
    assert "c had no effect at all" in text
    assert "for a " not in text
    quiet = table.assign(noise_share=0.05).iloc[:1]
    assert notes(quiet) == []


def test_readings_final_at_a_step_and_run_means(tmp_path):
    from sim.analysis.compare import Reading, values_at

    res = results.load(synthetic(tmp_path / "rd", true_diff=0.05))
    # the synthetic steps hold the same value at steps 0 and 10; make step 10 differ
    res.steps.loc[res.steps.step == 10, "fragmentation"] = 0.9
    final = values_at(res, ["fragmentation"])
    at0 = values_at(res, ["fragmentation"], Reading(at=0))
    mean = values_at(res, ["fragmentation"], Reading(mean=True))
    assert (
        at0.set_index("run_id").fragmentation == final.set_index("run_id").fragmentation
    ).all()  # step 0 holds the final values
    assert (mean.fragmentation == 0.9).all()  # the mean leaves out step 0
    table = compare(res, baseline="a", metrics=METRICS, reading=Reading(mean=True))
    assert "fragmentation" in set(table.metric)
    assert Reading(mean=True).describe() == "run means over the kept steps"
    with pytest.raises(UsageError, match="nearest kept steps are 0 and 10"):
        values_at(res, ["fragmentation"], Reading(at=5))


def paired_store(table: pd.DataFrame, y) -> pd.DataFrame:
    """Runs of scenarios a and b at every design point of ``table``, replications 0 and 1, with
    metric ``y(scenario, replication)`` (an array over the points)."""
    frames = [
        pd.DataFrame(
            {
                "run_id": [f"{scenario}/p{p:04d}/r{rep:03d}" for p in table.point],
                "scenario": scenario,
                "point": table.point,
                "replication": rep,
                "status": "ok",
                "y": y(scenario, rep),
            }
        )
        for scenario in ("a", "b")
        for rep in (0, 1)
    ]
    return pd.concat(frames, ignore_index=True)


def test_paired_differences_and_where_they_change_sign(tmp_path):
    """Scenario b does x1 − 0.5 better than a on every world; x2 does nothing: the paired
    difference's Morris index is all x1's, and its mean changes sign along x1 only."""
    from sim.analysis.sensitivity import paired_runs, write_sensitivity

    design = Design.model_validate(
        {
            "kind": "morris",
            "samples": 6,
            "levels": 4,
            "parameters": {p: {"low": 0.0, "high": 1.0} for p in ("x1", "x2")},
        }
    )
    table = design_table(design, seed=5)
    x1, x2 = table.x1.to_numpy(), table.x2.to_numpy()
    # 0.1 * rep + x2 is what both meet (it cancels in the pair); b gains x1 - 0.5
    runs = paired_store(table, lambda sc, rep: 0.1 * rep + x2 + (x1 - 0.5 if sc == "b" else 0.0))
    diff = paired_runs(runs, "a", ["y"])
    assert set(diff.scenario) == {"b − a"} and len(diff) == 2 * len(table)
    expected = np.tile(table.x1.to_numpy() - 0.5, 2)
    assert diff.y.to_numpy() == pytest.approx(expected)
    manifest = {"spec": {"design": design.model_dump(mode="json"), "seed": 5}}
    res = Results(tmp_path, manifest, runs, table, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    paths = write_sensitivity(res, tmp_path / "s", ["y"], versus="a")
    si = pd.read_csv(paths["csv"]).set_index("parameter")
    assert si.loc["x1", "mu_star"] == pytest.approx(1.0)  # y rises by the whole range of x1
    assert si.loc["x2", "mu_star"] == pytest.approx(0.0, abs=1e-12)
    assert "x2 had no effect at all (it moves both scenarios alike, or neither)" in (
        paths["notes"].read_text()
    )
    levels = pd.read_csv(paths["reversals_csv"])
    x1 = levels[levels.parameter == "x1"]
    assert x1.value.tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert x1.mean_difference.tolist() == pytest.approx([-0.5, -1 / 6, 1 / 6, 0.5])
    note = paths["notes"].read_text()
    assert "b − a / y: positive at" in note
    # the plane tells x1 from x2 although this small design moves them together
    assert "changes sign along x1 (from -0.500 to +0.500, 0 near 0.5)" in note
    assert "x2 (from" not in note and "(plane R² 1.00)" in note
    assert paths["reversals_b.png"].exists()
    # a metric one side could not measure leaves only that metric's pair out
    runs["z"] = 1.0
    runs.loc[(runs.scenario == "a") & (runs.point == 0) & (runs.replication == 0), "z"] = np.nan
    diff = paired_runs(runs, "a", ["y", "z"])
    assert len(diff) == 2 * len(table) and diff.z.isna().sum() == 1


def test_sobol_differences_are_read_per_band_and_per_pair_of_bands(tmp_path):
    """Without discrete levels the means are per equal-width band; the two most influential
    parameters are also read together. A step function of the bands makes every mean known."""
    from sim.analysis.sensitivity import write_sensitivity

    design = Design.model_validate(
        {
            "kind": "sobol",
            "samples": 16,
            "parameters": {p: {"low": 0.0, "high": 2.0} for p in ("x1", "x2")},
        }
    )
    table = design_table(design, seed=3)
    band1 = np.minimum(np.floor(table.x1.to_numpy() * 2), 3)  # 4 bands of [0, 2]
    band2 = np.minimum(np.floor(table.x2.to_numpy() * 2), 3)
    step = 10 * band2 + band1  # what b gains over a: a step function of the bands
    runs = paired_store(table, lambda sc, rep: 0.3 * rep + (step if sc == "b" else 0.0))
    manifest = {"spec": {"design": design.model_dump(mode="json"), "seed": 3}}
    res = Results(tmp_path, manifest, runs, table, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    paths = write_sensitivity(res, tmp_path / "s", ["y"], versus="a")
    levels = pd.read_csv(paths["reversals_csv"])
    x2 = levels[levels.parameter == "x2"]
    assert x2.value.tolist() == pytest.approx([0.25, 0.75, 1.25, 1.75])  # band middles
    assert x2["from"].tolist() == pytest.approx([0.0, 0.5, 1.0, 1.5])
    assert x2.points.sum() == len(table)
    bands = pd.read_csv(paths["reversal_bands_csv"])
    assert set(bands.row_parameter) == {"x2"} and set(bands.column_parameter) == {"x1"}
    expected = 10 * (bands.row_from * 2) + bands.column_from * 2  # each cell's step value
    assert bands.mean_difference.to_numpy() == pytest.approx(expected.to_numpy())
    assert bands.points.sum() == len(table)


def test_bands_are_equal_quarters_with_the_top_edge_in_the_last():
    from sim.analysis.reversals import band_of, edges

    got = band_of(pd.Series([0.0, 0.49, 0.5, 1.99, 2.0]), 0.0, 2.0)
    assert got.tolist() == [0, 0, 1, 3, 3]
    assert edges(0.05, 0.65).tolist() == [0.05, 0.2, 0.35, 0.5, 0.65]
