"""Moments worth pausing on, read from the model's state (never changing it), and the frame the
page draws: a snapshot of one step that rendering can use without touching the model.

The guided tour (:mod:`sim.app.texts`) pauses on these moments and rings the nodes concerned.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from sim.app.layout import StableLayout
from sim.app.network_view import build_graph
from sim.model.model import OpgaveModel
from sim.model.opgave import Status

FRAGMENTED, ORPHANED, SPANNER_REGIE = "fragmented", "orphaned", "spanner_regie"
CHART_KEYS = ("fragmentation", "collective_effectiveness", "orphaned_share")
PARTICIPATION_KEYS = tuple(
    f"participation_{k}" for k in ("citizen", "institution", "company", "boundary_spanner")
)
MONITOR_KEYS = ("active_opgaven", "fragmentation", "collective_effectiveness", "orphaned_count")


@dataclass(frozen=True)
class Event:
    """Something the tour can show: its kind, the challenge and the graph nodes to ring."""

    kind: str
    opgave: int
    nodes: tuple[str, ...]


@dataclass(eq=False)  # compared by identity: a new frame means a new step
class Frame:
    """One step as drawn: the graph, its positions, the moments in it and the series so far."""

    step: int
    graph: nx.Graph
    pos: dict[str, np.ndarray]
    events: dict[str, Event]
    series: dict[str, list[float]] = field(default_factory=dict)
    stages: dict[Status, int] = field(default_factory=dict)


def detect(model: OpgaveModel, G: nx.Graph) -> dict[str, Event]:
    """The first instance of each kind of moment in the current state (read-only)."""
    found: dict[str, Event] = {}
    for op in model.opgaven:
        k = f"k{op.uid}"
        if k not in G:
            continue
        if FRAGMENTED not in found and op.active:
            pieces = [n for n in G.neighbors(k) if G.nodes[n]["kind"] == "initiative"]
            if any(not G.nodes[n]["coordinated"] for n in pieces):
                found[FRAGMENTED] = Event(FRAGMENTED, op.uid, (k, *pieces))
        if ORPHANED not in found and op.status == Status.ORPHANED:
            found[ORPHANED] = Event(ORPHANED, op.uid, (k,))
        if SPANNER_REGIE not in found and op.active and op.regie:
            spanners = [a for a in op.regie if model.actor_at(int(a)).key == "boundary_spanner"]
            if spanners:
                nodes = (k, *(f"a{a}" for a in spanners if f"a{a}" in G))
                found[SPANNER_REGIE] = Event(SPANNER_REGIE, op.uid, nodes)
    return found


def snapshot(model: OpgaveModel, layout: StableLayout) -> Frame:
    """The frame for the model's current step (the layout moves only when the step changed)."""
    G = build_graph(model)
    pos = dict(layout.update(G, model.steps))
    data = model.datacollector.model_vars
    series = {key: list(data.get(key, [])) for key in (*CHART_KEYS, *PARTICIPATION_KEYS)}
    series.update({k: list(data.get(k, []))[-1:] for k in MONITOR_KEYS if k not in series})
    stages = {s: 0 for s in Status}
    for op in model.opgaven:
        stages[op.status] += 1
    return Frame(model.steps, G, pos, detect(model, G), series, stages)
