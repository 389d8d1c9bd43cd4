"""The command line: a run writes its files; bad input gets exit code 2 and a clear message."""

import json
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from tests.test_model import COLUMNS

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
HYBRID_RUN = [
    "run",
    str(CONFIGS / "hybrid.yaml"),
    "--steps",
    "30",
    "--seed",
    "3",
    "--quiet",
    "--set",
    "actors.citizen.count=60",
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "hybrid"
    code = main([*HYBRID_RUN, "--out", str(out)])
    assert code == 0
    return out


def test_run_writes_every_file(run_dir):
    for name in (
        "steps.parquet",
        "opgaven.parquet",
        "actors.parquet",
        "network.graphml",
        "manifest.json",
    ):
        assert (run_dir / name).is_file(), name


def test_steps_table_has_the_metrics(run_dir):
    steps = pd.read_parquet(run_dir / "steps.parquet")
    assert list(steps.columns) == ["step", *COLUMNS]
    assert steps.step.tolist() == list(range(31))


def test_opgaven_and_actors_tables(run_dir):
    opgaven = pd.read_parquet(run_dir / "opgaven.parquet")
    assert {
        "order",
        "emerged",
        "agenda_step",
        "ended_step",
        "fragmentation",
        "value",
        "status",
    } <= set(opgaven.columns)
    actors = pd.read_parquet(run_dir / "actors.parquet")
    assert len(actors) == 60 + 24 + 24 + 8


def test_manifest_carries_provenance(run_dir):
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["seed"] == 3
    assert manifest["config"]["actors"]["citizen"]["count"] == 60
    assert manifest["config"]["strategy"]["preset"] == "hybrid"
    assert manifest["knobs"]["decomposition"] == "coordinated_pieces"
    assert 0 < manifest["capacity_to_need"] < float("inf")  # how scarce this run's world was
    assert manifest["versions"]["mesa"].startswith("3.")
    assert "commit" in manifest["git"]


def test_same_seed_same_files(run_dir, tmp_path):
    again = tmp_path / "again"
    assert main([*HYBRID_RUN, "--out", str(again)]) == 0
    for name in ("steps.parquet", "opgaven.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(run_dir / name), pd.read_parquet(again / name)
        )


def test_refuses_to_overwrite_without_force(run_dir, capsys):
    code = main(
        ["run", str(CONFIGS / "hybrid.yaml"), "--steps", "2", "--quiet", "--out", str(run_dir)]
    )
    assert code == 2
    assert "already holds results" in capsys.readouterr().err


def test_config_error_exit_code_and_message(tmp_path, capsys):
    code = main(
        [
            "run",
            str(CONFIGS / "base.yaml"),
            "--set",
            "actors.citizen.cunt=3",
            "--out",
            str(tmp_path / "x"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "actors.citizen.cunt" in err and "did you mean 'count'" in err
    assert not (tmp_path / "x").exists()


def test_check_command(capsys):
    assert main(["check", str(CONFIGS / "crisis.yaml")]) == 0
    assert "ok" in capsys.readouterr().err


def test_python_dash_m_sim(tmp_path):
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "sim", "check", str(CONFIGS / "base.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_run_without_network_skips_only_the_graph(tmp_path):
    out = tmp_path / "lean"
    assert main([*HYBRID_RUN, "--out", str(out), "--no-network"]) == 0
    assert not (out / "network.graphml").exists()
    assert (out / "steps.parquet").is_file() and (out / "opgaven.parquet").is_file()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["network"] is None and manifest["steps"] == 30
    # over a folder that held a run with its graph: that graph does not stay behind
    assert main([*HYBRID_RUN, "--out", str(out), "--force"]) == 0
    assert (out / "network.graphml").is_file()
    assert main([*HYBRID_RUN, "--out", str(out), "--force", "--no-network"]) == 0
    assert not (out / "network.graphml").exists()
