"""Reading stored results: what analysis uses, never a live model.

from sim import results
res = results.load("results/strategy_comparison")
res.runs, res.steps, res.opgaven, res.design, res.manifest
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from sim.errors import UsageError


@dataclass
class Results:
    root: Path
    manifest: dict
    runs: pd.DataFrame
    design: pd.DataFrame
    steps: pd.DataFrame
    opgaven: pd.DataFrame
    actors: pd.DataFrame
    memberships: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # empty unless the spec asked for it (outputs.memberships)

    @property
    def failures(self) -> pd.DataFrame:
        path = self.root / "failures.jsonl"
        if not path.is_file():
            return pd.DataFrame(columns=["run_id", "scenario", "seed", "error"])
        return pd.read_json(path, lines=True)


def _dataset(root: Path, name: str) -> pd.DataFrame:
    """A table partitioned as ``name/scenario=S/part-*.parquet``, scenario as a column."""
    parts = sorted((root / name).glob("scenario=*/part-*.parquet"))
    if not parts:
        return pd.DataFrame()
    frames = []
    for part in parts:
        try:
            frames.append(pd.read_parquet(part))
        except Exception as exc:  # pyarrow raises several types for a damaged file
            raise UsageError(
                f"{part}: cannot be read ({type(exc).__name__}); run the experiment again with "
                "--resume, which re-runs the runs of damaged parts"
            ) from None
    frame = pd.concat(frames, ignore_index=True)
    sort = [
        c
        for c in ("scenario", "point", "replication", "run_id", "step", "opgave", "actor")
        if c in frame.columns
    ]
    return frame.sort_values(sort, kind="stable").reset_index(drop=True)


def load(root: str | Path) -> Results:
    """Load an experiment's store; only runs recorded in runs.parquet are included."""
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"{root}: no such folder; expected an experiment's results folder")
    for name in ("runs.parquet", "manifest.json"):  # the first one missing is named
        if not (root / name).is_file():
            raise UsageError(
                f"{root}: no {name}; is this an experiment folder? Expected the results folder "
                "of `opgaven experiment` (a folder of `opgaven run` cannot be compared)"
            )
    try:
        runs = pd.read_parquet(root / "runs.parquet")
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise UsageError(f"{root / 'runs.parquet'}: cannot be read ({exc})") from None
    known = set(runs.run_id)
    tables = {}
    for name in ("steps", "opgaven", "actors", "memberships"):
        frame = _dataset(root, name)
        tables[name] = (
            frame[frame.run_id.isin(known)].reset_index(drop=True) if len(frame) else frame
        )
    design = (
        pd.read_parquet(root / "design.parquet")
        if (root / "design.parquet").is_file()
        else (pd.DataFrame())
    )
    manifest = json.loads((root / "manifest.json").read_text())
    return Results(root, manifest, runs, design, **tables)


def load_for_analysis(root: str | Path, command: str) -> Results:
    """:func:`load`, refusing a folder without a single successful run to analyse."""
    res = load(root)
    ok = int((res.runs.status == "ok").sum()) if "status" in res.runs else 0
    if not ok:
        failed = len(res.runs)
        raise UsageError(
            f"{command} {root}: no successful runs to analyse ({failed} failed); "
            + ("see failures.jsonl and rerun with --retry-failed" if failed else "run it first")
        )
    return res
