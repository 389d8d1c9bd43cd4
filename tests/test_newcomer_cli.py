"""What a newcomer meets on the command line: progress in logs, clear refusals, did-you-mean,
help text for every option, spec paths from the spec file, run names that show --set."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from sim import cli
from sim.cli import build_parser, main
from sim.config import ConfigError
from sim.engine.runner import plan_experiment
from sim.naming import overrides_hash, overrides_label

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "configs"
TINY = "actors.citizen.count: 20, actors.company.count: 6, actors.institution.count: 6"


def write_spec(folder: Path, config: str, name: str = "tiny") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / f"{name}.yaml"
    spec.write_text(
        f"name: {name}\n"
        f"scenarios:\n  a: {{config: {config}, set: {{{TINY}}}}}\n"
        f"  b: {{config: {config}, set: {{{TINY}, strategy.preset: hybrid}}}}\n"
        "replications: 2\nseed: 1\nsteps: 8\n"
        "outputs: {steps_every: 2, opgaven: true, actors: false, network: false}\n"
    )
    return spec


@pytest.fixture(scope="module")
def tiny_results(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    spec = write_spec(folder, str(CONFIGS / "base.yaml"))
    out = folder / "results"
    code = main(["experiment", str(spec), "--executor", "serial", "--out", str(out)])
    assert code == 0
    return spec, out


# -- progress and refusals ---------------------------------------------------------------------
def test_experiment_prints_progress_lines_when_not_a_terminal(tmp_path, capsys):
    spec = write_spec(tmp_path, str(CONFIGS / "base.yaml"))
    code = main(["experiment", str(spec), "--executor", "serial", "--out", str(tmp_path / "r")])
    assert code == 0
    err = capsys.readouterr().err
    assert "tiny: 0/4 runs, 0 failed" in err
    assert "tiny: 4/4 runs, 0 failed" in err and "done" in err
    assert "None" not in err


def test_rerun_into_a_folder_in_use_is_refused_plainly(tiny_results, capsys):
    spec, out = tiny_results
    code = main(["experiment", str(spec), "--executor", "serial", "--out", str(out)])
    assert code == 2
    err = capsys.readouterr().err
    assert "already holds results" in err and "--resume" in err
    assert "config error" not in err and "None" not in err
    assert not re.search(r"\d+/\S* runs", err)  # no progress drawn


def test_compare_shows_progress_and_suggests_metric_names(tiny_results, tmp_path, capsys):
    _, out = tiny_results
    assert main(["compare", str(out), "--out", str(tmp_path / "rep")]) == 0
    err = capsys.readouterr().err
    assert "compare: 0/6 parts" in err and "compare: 6/6 parts" in err
    code = main(["compare", str(out), "--metrics", "fragmentaton", "--out", str(tmp_path / "x")])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown metric 'fragmentaton'; did you mean 'fragmentation'?" in err
    assert not (tmp_path / "x").exists()
    code = main(["sensitivity", str(out), "--metrics", "eficiency"])
    assert code == 2
    assert "did you mean 'efficiency'" in capsys.readouterr().err
    code = main(["sensitivity", str(out), "--versus", "instituional"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--versus: unknown scenario 'instituional'" in err and "known scenarios:" in err


@pytest.mark.parametrize("command", ["compare", "sensitivity"])
def test_a_folder_without_results_gets_a_message(command, tmp_path, capsys):
    assert main([command, str(tmp_path)]) == 2
    assert "no runs.parquet; is this an experiment folder?" in capsys.readouterr().err


def test_validate_prints_progress(monkeypatch, capsys):
    def fake(quick, executor, workers, progress):
        progress(0, 0, 3)
        for done in (1, 2, 3):
            progress(done, 0, 3)
        row = dict(pattern=1, name="n", source="s", expected=">0", effect=0.1, ci_low=0.0)
        verdict = {"passed": True, "verdict": "pass"}
        return pd.DataFrame([{**row, "ci_high": 0.2, "p_value": 0.01, **verdict}])

    monkeypatch.setattr("sim.analysis.validation.validate_patterns", fake)
    assert main(["validate", "--quick"]) == 0
    err = capsys.readouterr().err
    assert "validate (quick): 0/3 runs" in err and "validate (quick): 3/3 runs" in err


@pytest.mark.parametrize("executor", ["serial", "local"])
def test_validation_summaries_report_each_run(executor):
    from sim.analysis.validation import PATTERNS, summaries

    calls = []
    cell = PATTERNS[0].cells[0]
    summaries([cell], 2, 3, 5, executor, 2, lambda *a: calls.append(a))
    assert calls == [(0, 0, 2), (1, 0, 2), (2, 0, 2)]


def test_dry_run_pilot_matches_the_real_runs(tiny_results, capsys):
    from sim.engine.estimate import dry_run

    spec, out = tiny_results
    plan = plan_experiment(spec)
    est = dry_run(plan, workers=1, executor="serial")
    assert est["pilot_runs"] == 2 and est["runs"] == 4 and est["pilot_failed"] == 0
    stored = sum(p.stat().st_size for p in out.rglob("*.parquet") if p.name != "design.parquet")
    assert 0.5 < est["estimated_bytes"] / stored < 1.5, (est["estimated_bytes"], stored)
    # the pilot runs full length: its per-run time is that of the stored runs, not a scaled guess
    actual = pd.read_parquet(out / "runs.parquet").seconds.mean()
    assert 0.2 < est["seconds_per_run"] / actual < 5


# -- spec paths ---------------------------------------------------------------------------------
def test_spec_config_paths_resolve_from_the_spec_file(tmp_path, monkeypatch):
    (tmp_path / "configs").mkdir()
    (tmp_path / "configs" / "mine.yaml").write_text(f"extends: {CONFIGS / 'base.yaml'}\n")
    spec = write_spec(tmp_path / "experiments", "../configs/mine.yaml")
    monkeypatch.chdir(tmp_path / "experiments" / "..")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # neither the spec's folder nor the project root
    assert len(plan_experiment(spec).runs) == 4


def test_shipped_specs_work_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for path in sorted((ROOT / "experiments").glob("*.yaml")):
        assert plan_experiment(path, allow_large=True).runs, path


def test_check_says_where_each_scenario_config_was_found(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(ROOT / "experiments" / "smoke.yaml")]) == 0
    err = capsys.readouterr().err
    assert f"institutional: {ROOT / 'configs' / 'institutional.yaml'}" in err


def test_missing_scenario_config_names_where_it_looked(tmp_path):
    spec = write_spec(tmp_path, "nothere.yaml")
    with pytest.raises(ConfigError, match=r"not found \(looked for .*nothere\.yaml"):
        plan_experiment(spec)


def test_design_parameter_typo_names_the_file_once(tmp_path, capsys):
    spec = tmp_path / "typo.yaml"
    spec.write_text(
        f"name: x\nscenarios: {{a: {{config: {CONFIGS / 'base.yaml'}}}}}\n"
        "design: {parameters: {opgaven.drift_rte: [0.1]}}\n"
    )
    assert main(["check", str(spec)]) == 2
    err = capsys.readouterr().err
    assert f"{spec}: design.parameters.opgaven.drift_rte: unknown key" in err
    assert err.count(str(spec)) == 1


# -- names that show --set ---------------------------------------------------------------------
def test_overrides_label():
    assert overrides_label([]) == ""
    assert overrides_label(["strategy.preset=opgave_centred"]) == "opgave_centred"
    both = overrides_label(["strategy.preset=hybrid", "actors.citizen.count=10"])
    assert both == f"hybrid-set-{overrides_hash(['actors.citizen.count=10'])}"
    assert overrides_hash(["a=1", "b=2"]) == overrides_hash(["b=2", "a=1"])
    assert overrides_hash(["a=1"]) != overrides_hash(["a=2"])


def test_run_folder_summary_and_manifest_show_set(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    sets = ["strategy.preset=opgave_centred", "actors.citizen.count=20"]
    argv = ["run", str(CONFIGS / "base.yaml"), "--steps", "3", "--quiet"]
    assert main([*argv, *(a for s in sets for a in ("--set", s))]) == 0
    (folder,) = (tmp_path / "results").iterdir()
    assert folder.name.startswith(f"base-opgave_centred-set-{overrides_hash(sets[1:])}-seed0-")
    out = capsys.readouterr().out
    assert "with --set strategy.preset=opgave_centred --set actors.citizen.count=20" in out
    assert "base opgave_centred-set-" in out  # the summary's title
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["overrides"] == sets
    assert manifest["overrides_hash"] == overrides_hash(sets)


# -- help ---------------------------------------------------------------------------------------
def test_every_option_has_help_text():
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.choices and isinstance(a.choices, dict)]
    missing = [
        f"{name} {action.option_strings or action.dest}"
        for name, command in sub.choices.items()
        for action in command._actions
        if not action.help and action.dest != "help"
    ]
    assert not missing, missing


def test_params_command(capsys):
    assert main(["params", "--section", "dynamics.agenda", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert "| dynamics.agenda.attention | 3 | [1, 1000] | integer |" in out
    assert "dynamics.leaving" not in out
    assert main(["params", "--section", "dynamics.leavin"]) == 2
    assert "did you mean 'dynamics.leaving'" in capsys.readouterr().err
    assert cli.main(["params", "--section", "actors"]) == 0
    assert "boundary_spanner" in capsys.readouterr().out


def test_validate_verdicts_and_strict(monkeypatch, capsys):
    """An open pattern (a documented finding) fails the plain run but not --strict; a fail
    fails both."""

    def table(verdicts):
        def fake(quick, executor, workers, progress):
            base = dict(name="n", source="s", expected=">0", effect=0.1, ci_low=0.0, ci_high=0.2)
            return pd.DataFrame(
                [
                    {**base, "pattern": i, "p_value": 0.01, "passed": v == "pass", "verdict": v}
                    for i, v in enumerate(verdicts, start=1)
                ]
            )

        return fake

    monkeypatch.setattr("sim.analysis.validation.validate_patterns", table(["pass", "open"]))
    assert main(["validate", "--quick"]) == 1
    assert main(["validate", "--quick", "--strict"]) == 0
    assert "open" in capsys.readouterr().out
    monkeypatch.setattr("sim.analysis.validation.validate_patterns", table(["pass", "fail"]))
    assert main(["validate", "--quick", "--strict"]) == 1


def test_sensitivity_versus_reads_paired_differences_as_run_means(tmp_path, capsys):
    spec = write_spec(tmp_path, str(CONFIGS / "base.yaml"), name="tinymorris")
    spec.write_text(
        spec.read_text()
        + "design:\n  kind: morris\n  samples: 2\n  levels: 4\n  parameters:\n"
        + "    opgaven.drift_rate: {low: 0.0, high: 0.2}\n"
        + "    dynamics.realisation.coordination_scale: {low: 0.5, high: 2.0}\n"
    )
    out = tmp_path / "r"
    assert main(["experiment", str(spec), "--executor", "serial", "--out", str(out)]) == 0
    two = ["--metrics", "fragmentation,efficiency"]
    where = ["--out", str(tmp_path / "s")]
    assert main(["sensitivity", str(out), "--versus", "a", "--state-means", *two, *where]) == 0
    notes = (tmp_path / "s" / "sensitivity_notes.txt").read_text()
    assert notes.startswith("Values: cumulative metrics (efficiency) as final values; state ")
    assert "state metrics (fragmentation) as run means" in notes
    assert "b − a / fragmentation: positive at" in notes
    table = pd.read_csv(tmp_path / "s" / "sensitivity.csv")
    assert set(table.scenario) == {"b − a"}
    assert (tmp_path / "s" / "reversals_b.png").exists()
    assert main(["sensitivity", str(out), "--versus", "b", *two, "--out", str(tmp_path / "t")]) == 0
    assert set(pd.read_csv(tmp_path / "t" / "sensitivity.csv").scenario) == {"a − b"}
