"""One run: config -> model -> steps -> the run's files (Parquet, GraphML, manifest)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from sim.config.schema import Config
from sim.engine.files import atomic_write, write_json, write_parquet
from sim.engine.provenance import provenance
from sim.engine.threads import lone_run
from sim.model.model import OpgaveModel
from sim.model.network import summary, to_networkx
from sim.model.records import actor_records, membership_records, opgave_records

Progress = Callable[[int, int], None]


@dataclass
class RunOutput:
    """What one run produced, in memory."""

    config: Config
    seed: int
    steps: pd.DataFrame  # one row per step (step 0 is the initial state)
    opgaven: pd.DataFrame
    actors: pd.DataFrame
    memberships: pd.DataFrame  # one row per membership ever held (docs/ODD.md, outputs)
    network: nx.Graph | None  # None when the run was asked not to build it
    network_summary: dict | None
    seconds: float
    model: OpgaveModel


def run_config(config: Config, progress: Progress | None = None, network: bool = True) -> RunOutput:
    """Run ``config.steps`` steps of the model seeded with ``config.seed``. ``network=False``
    skips the end-of-run graph and its measures (at 100,000 actors they take longer than
    many steps: a networkx graph of every actor and tie, betweenness, GraphML)."""
    start = time.perf_counter()
    model = OpgaveModel(config)
    with lone_run(model):
        for t in range(config.steps):
            model.step()
            if progress is not None:
                progress(t + 1, config.steps)
    steps = model.datacollector.get_model_vars_dataframe().reset_index(names="step")
    graph = to_networkx(model) if network else None
    return RunOutput(
        config=config,
        seed=config.seed,
        steps=steps,
        opgaven=pd.DataFrame(opgave_records(model)),
        actors=pd.DataFrame(actor_records(model)),
        memberships=pd.DataFrame(membership_records(model)),
        network=graph,
        network_summary=summary(model, G=graph) if graph is not None else None,
        seconds=time.perf_counter() - start,
        model=model,
    )


def write_run(
    output: RunOutput,
    out_dir: Path,
    source: str | None = None,
    overrides: list[str] | None = None,
) -> None:
    """Write the run's files; the manifest goes last, so its presence marks a complete run.
    ``overrides`` are the ``--set`` texts, kept with their hash (the one a folder name shows)."""
    from sim.naming import overrides_hash

    out_dir.mkdir(parents=True, exist_ok=True)
    write_parquet(output.steps, out_dir / "steps.parquet")
    write_parquet(output.opgaven, out_dir / "opgaven.parquet")
    write_parquet(output.actors, out_dir / "actors.parquet")
    write_parquet(output.memberships, out_dir / "memberships.parquet")
    if output.network is not None:
        graph = output.network
        atomic_write(out_dir / "network.graphml", lambda tmp: nx.write_graphml(graph, tmp))
    else:  # a folder overwritten with --force keeps no graph of an earlier run
        (out_dir / "network.graphml").unlink(missing_ok=True)
    final = output.steps.iloc[-1].drop("step").to_dict()
    write_json(
        {
            "config_file": source,
            "overrides": list(overrides or []),
            "overrides_hash": overrides_hash(overrides) if overrides else None,
            "config": output.config.model_dump(mode="json"),
            "knobs": output.model.strategy.as_dict(),
            "seed": output.seed,
            "steps": output.config.steps,
            "seconds": round(output.seconds, 3),
            "capacity_to_need": output.model.capacity_to_need(),
            "final": final,
            "network": output.network_summary,
            **provenance(),
        },
        out_dir / "manifest.json",
    )
