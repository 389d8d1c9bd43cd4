"""The results store of an experiment: streamed as runs finish, resumable, never half-read.

Layout of DIR::

    manifest.json        the resolved spec, configs, root seed, versions, commit, host, times
    design.parquet       the design table
    runs.parquet         one row per run (the consolidated table; rebuilt from runs/ parts)
    runs/part-B.parquet  the run rows of batch B: written last, so they mark the batch complete
    steps/scenario=S/part-B.parquet     per-step metrics (every k-th step)
    opgaven/scenario=S/part-B.parquet   per-challenge records
    actors/scenario=S/part-B.parquet    per-actor records (when asked)
    memberships/scenario=S/part-B.parquet  per-membership records (when asked)
    networks/<run>.graphml              final networks (when asked)
    failures.jsonl       one line per failed run, with its traceback

Every file is written to a temporary name and renamed, so a crash leaves either a whole file
or none. A batch whose run rows never landed is incomplete: its other parts are removed on
resume and its runs are done again, so nothing is counted twice.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from sim.engine.files import atomic_write, write_json, write_parquet

TABLES = ("steps", "opgaven", "actors", "memberships")


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._pending: list[dict[str, Any]] = []

    # -- writing ---------------------------------------------------------------------------
    def add(self, result: dict[str, Any]) -> None:
        self._pending.append(result)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> None:
        """Write the pending results as one batch; run rows last (they commit the batch)."""
        if not self._pending:
            return
        batch = f"{time.time_ns():020d}-{uuid.uuid4().hex[:8]}"  # sorts in write order
        results, self._pending = self._pending, []
        for table in TABLES:
            rows = [r for res in results for r in res.get(table, ())]
            if not rows:
                continue
            frame = pd.DataFrame(rows)
            for scenario, part in frame.groupby("scenario", sort=True):
                write_parquet(
                    part.reset_index(drop=True),
                    self.root / table / f"scenario={scenario}" / f"part-{batch}.parquet",
                )
        for res in results:
            if res.get("network"):
                name = res["row"]["run_id"].replace("/", "__") + ".graphml"
                atomic_write(
                    self.root / "networks" / name,
                    lambda tmp, text=res["network"]: tmp.write_text(text),
                )
        failed = [res["row"] for res in results if res["row"]["status"] != "ok"]
        if failed:
            with open(self.root / "failures.jsonl", "a", encoding="utf-8") as fh:
                for row in failed:
                    fh.write(
                        json.dumps(
                            {
                                "run_id": row["run_id"],
                                "scenario": row["scenario"],
                                "seed": row["seed"],
                                "error": row["error"],
                            }
                        )
                        + "\n"
                    )
                fh.flush()
        write_parquet(
            pd.DataFrame([res["row"] for res in results]),
            self.root / "runs" / f"part-{batch}.parquet",
        )

    # -- reading -------------------------------------------------------------------------------
    def committed_batches(self) -> set[str]:
        return {p.stem.removeprefix("part-") for p in (self.root / "runs").glob("part-*.parquet")}

    def remove_incomplete(self) -> int:
        """Delete parts of batches whose run rows never landed; return how many files."""
        committed = self.committed_batches()
        removed = 0
        for table in TABLES:
            for part in (self.root / table).glob("scenario=*/part-*.parquet"):
                if part.stem.removeprefix("part-") not in committed:
                    part.unlink()
                    removed += 1
        for tmp in self.root.rglob(".*.tmp"):
            tmp.unlink()
        return removed

    def remove_damaged(self) -> int:
        """Remove every batch with a part that cannot be read (truncated, overwritten): its
        runs are done again rather than trusted. Return how many batches."""
        damaged = set()
        for table in ("runs", *TABLES):
            pattern = "part-*.parquet" if table == "runs" else "scenario=*/part-*.parquet"
            for part in (self.root / table).glob(pattern):
                try:
                    pq.read_metadata(part)
                except Exception:  # pyarrow raises several types for a damaged file
                    damaged.add(part.stem.removeprefix("part-"))
        for batch in damaged:
            (self.root / "runs" / f"part-{batch}.parquet").unlink(missing_ok=True)
            for table in TABLES:
                for part in (self.root / table).glob(f"scenario=*/part-{batch}.parquet"):
                    part.unlink()
        return len(damaged)

    def run_rows(self) -> pd.DataFrame:
        """Every run row stored so far; a run done again (retried) keeps its latest row."""
        parts = sorted((self.root / "runs").glob("part-*.parquet"))
        if not parts:
            return pd.DataFrame()
        frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
        return frame.drop_duplicates("run_id", keep="last")

    def status(self) -> dict[str, str]:
        rows = self.run_rows()
        return dict(zip(rows.run_id, rows.status, strict=True)) if len(rows) else {}

    def consolidate(self, order: list[str]) -> pd.DataFrame:
        """Write runs.parquet: one row per run, in plan order."""
        rows = self.run_rows()
        if len(rows):
            rank = {rid: i for i, rid in enumerate(order)}
            rows = rows.assign(_order=rows.run_id.map(rank)).sort_values("_order")
            rows = rows.drop(columns="_order").reset_index(drop=True)
        write_parquet(rows, self.root / "runs.parquet")
        self._write_failures(rows)
        return rows

    def _write_failures(self, rows: pd.DataFrame) -> None:
        """failures.jsonl as it stands now: a run redone successfully is no longer listed."""
        path = self.root / "failures.jsonl"
        failed = rows[rows.status != "ok"] if len(rows) else rows
        if not len(failed):
            path.unlink(missing_ok=True)
            return
        records = failed[["run_id", "scenario", "seed", "error"]].to_dict("records")
        text = "".join(json.dumps(r, default=int) + "\n" for r in records)
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def write_manifest(self, manifest: dict) -> None:
        write_json(manifest, self.root / "manifest.json")
