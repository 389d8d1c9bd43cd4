"""Reliability (issue 14): every bad input exits 2 with one message naming the file, field or
option and the value; results folders cannot be mixed, deleted or written astray."""

import json
import socket
import time
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.config.base import Strict
from sim.config.schema import Config

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "configs" / "base.yaml"
TINY = (
    "{actors.citizen.count: 12, actors.institution.count: 4, actors.company.count: 2, "
    "actors.boundary_spanner.count: 1, opgaven.initial: 2}"
)


def spec_text(name="tiny", replications=2, steps=6, seed=3, extra=""):
    return (
        f"name: {name}\nscenarios:\n"
        f"  a: {{config: {ROOT / 'configs' / 'institutional.yaml'}, set: {TINY}}}\n"
        f"  b: {{config: {ROOT / 'configs' / 'opgave_centred.yaml'}, set: {TINY}}}\n"
        f"replications: {replications}\nseed: {seed}\nsteps: {steps}\n"
        "outputs: {steps_every: 2}\n" + extra
    )


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def alias_bomb() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


# -- files that are not configs ------------------------------------------------------------
FILE_CASES = {
    "binary": (bytes(range(256)) * 4, ["binary data"]),
    "utf-16": ("steps: 3\n".encode("utf-16"), ["UTF-16", "UTF-8"]),
    "not utf-8": (b"name: caf\xe9\n", ["not valid UTF-8"]),
    "3000-deep nesting": ("x: " + "[" * 3000 + "]" * 3000 + "\n", ["nested deeper than 64"]),
    "alias bomb": (alias_bomb(), ["expands to more than 200,000 values"]),
    "recursive alias": ("x: &x [*x]\n", ["recursive alias"]),
    "duplicate key": ("steps: 3\nseed: 1\nsteps: 4\n", ["duplicate key 'steps'", "line 3"]),
    "too large": ("# " + "x" * 1_100_000 + "\n", ["larger than 1,000,000 bytes"]),
    "infinite capacity": ("actors: {citizen: {capacity: .inf}}\n", ["capacity", "finite"]),
    "huge execution power": (
        "actors: {citizen: {execution_power: 1.0e+308}}\n",
        ["execution_power", "less than or equal to 100"],
    ),
    "huge size": ("opgaven: {size: 1.0e+308}\n", ["opgaven.size", "less than or equal to"]),
    "infinite arrival": ("opgaven: {arrival_rate: .inf}\n", ["arrival_rate", "finite"]),
    "nan threshold": (
        "dynamics: {agenda: {signal_threshold: .nan}}\n",
        ["signal_threshold", "finite"],
    ),
    "bool for int": ("steps: true\n", ["steps", "expected an integer, got true"]),
    "bool in a pair": ("opgaven: {urgency_initial: [0.1, true]}\n", ["urgency_initial"]),
    "too many challenges": ("opgaven: {initial: 1000000}\n", ["opgaven.initial", "100000"]),
    "name with ../": ("name: ../../ESCAPED\n", ["name", "plain name", "'../../ESCAPED'"]),
    "name with a slash": ("name: a/b\n", ["name", "plain name"]),
}


@pytest.mark.parametrize("case", sorted(FILE_CASES))
def test_bad_file_exits_2_naming_file_and_field(case, tmp_path, capsys):
    data, expected = FILE_CASES[case]
    path = write(tmp_path / "scenario.yaml", data)
    start = time.monotonic()
    for argv in (["check", str(path)], ["run", str(path), "--out", str(tmp_path / "out")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and str(path) in err and "Traceback" not in err
        for fragment in expected:
            assert fragment in err, (fragment, err)
    assert time.monotonic() - start < 10  # the alias bomb does not hang
    assert not (tmp_path / "out").exists()


def test_extends_a_folder_says_so(tmp_path, capsys):
    (tmp_path / "sub").mkdir()
    path = write(tmp_path / "a.yaml", "extends: sub\n")
    assert main(["check", str(path)]) == 2
    assert "extends names 'sub', which is a folder" in capsys.readouterr().err


def test_every_numeric_field_is_bounded_above():
    """Each number in the schema has a documented maximum (le/lt), or is a share pair."""
    unbounded = []

    def walk(model: type[Strict], prefix: str) -> None:
        for name, field in model.model_fields.items():
            kind = field.annotation
            if isinstance(kind, type) and issubclass(kind, Strict):
                walk(kind, f"{prefix}{name}.")
            elif kind in (int, float) and not any(
                hasattr(m, "le") or hasattr(m, "lt") for m in field.metadata
            ):
                unbounded.append(prefix + name)

    walk(Config, "")
    assert not unbounded, unbounded


def test_limits_refuse_a_huge_run_unless_allowed(capsys):
    huge = ["--set", "actors.citizen.count=1000000"]
    assert main(["check", str(BASE), *huge]) == 2
    err = capsys.readouterr().err
    assert "--allow-large" in err and "1,000,0" in err and "MB per run" in err
    assert main(["check", str(BASE), *huge, "--allow-large"]) == 0
    assert "MB per run" in capsys.readouterr().err


# -- experiment specs -----------------------------------------------------------------------
SPEC_CASES = {
    "scenario name with ../": (
        spec_text().replace("  a: {", "  ../../../../ESCAPED: {"),
        ["scenarios", "plain name"],
    ),
    "spec name with ../": (spec_text(name="../x"), ["name", "plain name"]),
    "design over seed": (
        spec_text(extra="design: {parameters: {seed: [1, 2, 3]}}\n"),
        ["design.parameters.seed", "may not vary the seed"],
    ),
    "too many design points": (
        spec_text(
            extra="design: {kind: lhs, samples: 900000, parameters: "
            "{opgaven.drift_rate: {low: 0, high: 1}}}\n"
        ),
        ["900,000 design points", "--allow-large"],
    ),
    "infinite range": (
        spec_text(extra="design: {kind: lhs, parameters: {opgaven.size: {low: 1, high: .inf}}}\n"),
        ["high", "finite"],
    ),
    "duplicate key": (spec_text() + "seed: 4\n", ["duplicate key 'seed'"]),
}


@pytest.mark.parametrize("case", sorted(SPEC_CASES))
def test_bad_spec_exits_2(case, tmp_path, capsys):
    text, expected = SPEC_CASES[case]
    path = write(tmp_path / "spec.yaml", text)
    out = tmp_path / "o"
    for argv in (["check", str(path)], ["experiment", str(path), "--out", str(out), "--quiet"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert str(path) in err and "Traceback" not in err
        for fragment in expected:
            assert fragment in err, (fragment, err)
    assert not out.exists()


def test_check_spec_refuses_set(tmp_path, capsys):
    path = write(tmp_path / "spec.yaml", spec_text())
    assert main(["check", str(path), "--set", "steps=5"]) == 2
    assert "--set steps=5" in capsys.readouterr().err
    assert main(["check", str(BASE), "--set", "steps=5"]) == 0
    assert "5 steps" in capsys.readouterr().err  # on a config --set is applied


def test_integer_parameters_are_rounded_in_the_design_table():
    from sim.engine.runner import plan_experiment

    spec = ROOT / "experiments" / "smoke.yaml"
    text = spec.read_text().replace(
        "  kind: grid\n  parameters:\n    opgaven.drift_rate: [0.0, 0.2]",
        "  kind: lhs\n  samples: 5\n  parameters:\n    actors.citizen.count: {low: 10, high: 40}",
    )
    path = ROOT / "experiments" / f".tmp-rounding-{id(text)}.yaml"
    path.write_text(text)
    try:
        plan = plan_experiment(path)
    finally:
        path.unlink()
    counts = plan.design["actors.citizen.count"]
    assert counts.map(lambda v: isinstance(v, int)).all() or counts.dtype.kind == "i"
    for run in plan.runs:
        ran = run["config"]["actors"]["citizen"]["count"]
        assert run["params"]["actors.citizen.count"] == ran
        assert plan.design.loc[run["point"], "actors.citizen.count"] == ran


# -- command-line options -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (
            ["experiment", "x.yaml", "--workers", "-3"],
            "--workers: expected a whole number of at least 1, got -3",
        ),
        (
            ["experiment", "x.yaml", "--workers", "many"],
            "--workers: expected a whole number, got 'many'",
        ),
        (
            ["animate", "x.yaml", "--out", "a.gif", "--every", "0"],
            "--every: expected a whole number of at least 1, got 0",
        ),
        (
            ["animate", "x.yaml", "--out", "a.gif", "--fps", "0"],
            "--fps: expected a whole number of at least 1, got 0",
        ),
        (["demo", "--port", "80000"], "--port: expected a port from 1 to 65535, got 80000"),
        (["demo", "--port", "0"], "--port: expected a port from 1 to 65535, got 0"),
    ],
)
def test_bad_option_values_exit_2(argv, fragment, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert fragment in capsys.readouterr().err


def test_demo_reports_a_busy_port_at_once(capsys):
    with socket.socket() as busy:
        busy.bind(("localhost", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["demo", "--port", str(port)]) == 2
    assert f"--port {port}: cannot listen" in capsys.readouterr().err


# -- output folders -----------------------------------------------------------------------
RUN = ["run", str(BASE), "--steps", "2", "--quiet", "--set", "actors.citizen.count=10"]


def test_run_out_a_file_or_under_a_file_is_refused_before_running(tmp_path, capsys, monkeypatch):
    import sim.cli

    def never(*args, **kwargs):
        raise AssertionError("computed before the output was checked")

    monkeypatch.setattr(sim.cli, "run_config", never)
    afile = write(tmp_path / "notes.txt", "mine\n")
    for out, fragment in (
        (afile, "is a file"),
        (afile / "sub", "lies under"),
        (Path("/proc/opgaven-nowhere/out"), "cannot write there"),
    ):
        assert main([*RUN, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert f"--out {out}" in err and fragment in err, err
    assert afile.read_text() == "mine\n"


def test_experiment_out_a_file_is_refused(tmp_path, capsys):
    afile = write(tmp_path / "notes.txt", "mine\n")
    spec = write(tmp_path / "spec.yaml", spec_text())
    for out, fragment in ((afile, "is a file"), (afile / "sub", "lies under")):
        assert main(["experiment", str(spec), "--out", str(out), "--quiet"]) == 2
        assert f"--out {out}: {fragment}" in capsys.readouterr().err
    assert afile.read_text() == "mine\n"


def test_force_deletes_only_our_own_folders(tmp_path, capsys):
    thesis = tmp_path / "W"
    write(thesis.mkdir() or thesis / "thesis.tex", "\\documentclass{book}\n")
    spec = write(tmp_path / "spec.yaml", spec_text())
    for argv in (
        [*RUN, "--out", str(thesis), "--force"],
        ["experiment", str(spec), "--out", str(thesis), "--force", "--quiet"],
    ):
        assert main(argv) == 2
        assert "not a results folder" in capsys.readouterr().err
        assert (thesis / "thesis.tex").read_text() == "\\documentclass{book}\n"
    # a folder this tool made is overwritten with --force
    ours = tmp_path / "ours"
    assert main([*RUN, "--out", str(ours)]) == 0
    assert main([*RUN, "--out", str(ours), "--force"]) == 0


def test_ctrl_c_on_run_exits_130_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    import sim.cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.cli, "run_config", interrupted)
    assert main([*RUN, "--out", str(tmp_path / "x")]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


# -- analysis on folders that hold nothing to analyse ---------------------------------------
def fake_store(root: Path, statuses: list[str]) -> Path:
    root.mkdir()
    rows = pd.DataFrame(
        {"run_id": [f"a/p0000/r{i:03d}" for i in range(len(statuses))], "status": statuses}
    )
    rows.to_parquet(root / "runs.parquet")
    write(root / "manifest.json", json.dumps({"runs_planned": len(statuses), "versions": {}}))
    return root


@pytest.mark.parametrize("command", ["compare", "sensitivity"])
def test_analysis_of_unusable_folders_exits_2(command, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    cases = {
        tmp_path / "missing": "no such folder",
        tmp_path / "empty": "no runs.parquet",
        fake_store(tmp_path / "zero", []): "no successful runs",
        fake_store(tmp_path / "failed", ["failed", "failed"]): "2 failed",
    }
    for folder, fragment in cases.items():
        assert main([command, str(folder)]) == 2
        err = capsys.readouterr().err
        assert str(folder) in err and fragment in err, err


def test_sensitivity_on_a_grid_store_exits_2(tmp_path, capsys):
    from sim.engine.runner import plan_experiment, run_experiment

    spec = write(tmp_path / "spec.yaml", spec_text(replications=1, steps=2))
    run_experiment(plan_experiment(spec), tmp_path / "grid", executor="serial")
    assert main(["sensitivity", str(tmp_path / "grid")]) == 2
    err = capsys.readouterr().err
    assert "sobol" in err and "Traceback" not in err, err
