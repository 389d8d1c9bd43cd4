"""The network view: actors, challenges and initiatives as one graph (drawn as SVG in the app,
with matplotlib for GIFs; the calm layout is in :mod:`sim.app.layout`). Initiatives of one
challenge that do not coordinate hang on the challenge by a weak spring (and a dashed red
line), so they drift apart.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from sim.app.labels import label
from sim.app.layout import RADIUS, StableLayout
from sim.model import agenda
from sim.model.coordination import link_components
from sim.model.model import OpgaveModel
from sim.model.opgave import Status

TYPE_COLOURS = {
    "citizen": "#f4b183",
    "institution": "#1f4e79",
    "company": "#7f7f7f",
    "boundary_spanner": "#17becf",  # not the green of "resolved"
}
STATUS_COLOURS = {
    Status.LATENT: "#d9d9d9",
    Status.SIGNALLED: "#ffe699",
    Status.AGENDA: "#ffc000",
    Status.MOBILISED: "#ed7d31",
    Status.REALISING: "#c00000",
    Status.RESOLVED: "#70ad47",
    Status.ORPHANED: "#7030a0",
}


def build_graph(model: OpgaveModel, max_actors: int = 400) -> nx.Graph:
    """Challenges (active or ended in the last 10 steps), their initiatives, the members, a
    sample of other actors, and the ties among everyone drawn."""
    C = model.coalitions
    ini = C.initiatives
    G = nx.Graph()
    recent = [
        op
        for op in model.opgaven
        if op.active or (op.ended_step >= 0 and model.steps - op.ended_step <= 10)
    ]
    for op in recent:
        G.add_node(
            f"k{op.uid}",
            kind="opgave",
            status=op.status,
            size=float(op.remaining.sum()),
            need=float(op.total_need),
        )
    rows = C.active_rows()
    members = set(C.memberships.actor[rows].tolist())
    labels = link_components(ini.n, C.all_links())  # formally coordinated: linked
    for op in recent:
        inits = C.initiatives_of(op.uid)
        if not inits:
            continue
        # an initiative works "on its own" (versnipperd) when what it and the initiatives linked
        # to it hold misses part of what the challenge's initiatives work on together; parallel
        # approaches that each hold the whole are not on their own, linked or not
        whole = ini.scope[inits].any(axis=0)
        for j in inits:
            joined = ini.scope[[i for i in inits if labels[i] == labels[j]]].any(axis=0)
            coordinated = bool((joined | ~whole).all())
            G.add_node(f"j{j}", kind="initiative", coordinated=coordinated)
            G.add_edge(
                f"j{j}",
                f"k{op.uid}",
                kind="belongs",
                coordinated=coordinated,
                weight=1.0 if coordinated else 0.05,
            )
            for a in C.members(j):
                G.add_edge(f"a{a}", f"j{j}", kind="member", weight=1.0)
    for a, b in C.all_links():
        if G.has_node(f"j{a}") and G.has_node(f"j{b}"):
            G.add_edge(f"j{a}", f"j{b}", kind="link", weight=1.0)
    others = [a for a in range(model.actors.n) if a not in members]
    room = max(0, max_actors - len(members))
    if len(others) > room:
        others = sorted(np.random.default_rng(0).choice(others, size=room, replace=False))
    for a in [*members, *others]:
        G.add_node(f"a{a}", kind="actor", type=model.actor_at(int(a)).key, member=a in members)
    for op in recent:  # an unseen line to those who notice it most: challenges sit among them
        salience = agenda.salience_of(model, op)
        if salience is not None and op.active:
            for a in np.argsort(-salience, kind="stable")[:3]:
                if G.has_node(f"a{a}") and not G.has_edge(f"k{op.uid}", f"a{a}"):
                    G.add_edge(f"k{op.uid}", f"a{a}", kind="sees", weight=0.3)
    drawn = {int(n[1:]) for n in G if n.startswith("a")}
    upper = model.ties.tocoo()
    for a, b, w in zip(upper.row, upper.col, upper.data, strict=True):
        if a < b and a in drawn and b in drawn and w >= 0.3:
            G.add_edge(f"a{a}", f"a{b}", kind="tie", weight=0.2)
    return G


def draw(model: OpgaveModel, layout: StableLayout, ax: Axes, language: str = "nl") -> None:
    """Draw the current state on ``ax`` (for GIFs and slides) with the complete legend beside
    it, in the figure's right-hand part, where no node can cover it."""
    G = build_graph(model)
    pos = layout.update(G, model.steps)
    ax.clear()
    ax.set_axis_off()
    view = RADIUS + 0.08
    ax.set_xlim(-view, view)
    ax.set_ylim(view, -view)  # as in the browser: y grows downward
    ax.set_aspect("equal")
    edges = {
        kind: [(u, v) for u, v, d in G.edges(data=True) if d["kind"] == kind]
        for kind in ("tie", "member", "belongs", "link")
    }
    nx.draw_networkx_edges(G, pos, edgelist=edges["tie"], ax=ax, edge_color="#d0d0d0", width=0.4)
    nx.draw_networkx_edges(G, pos, edgelist=edges["member"], ax=ax, edge_color="#a0a0a0", width=0.6)
    loose = [(u, v) for u, v in edges["belongs"] if not G.edges[u, v]["coordinated"]]
    held = [(u, v) for u, v in edges["belongs"] if G.edges[u, v]["coordinated"]]
    nx.draw_networkx_edges(G, pos, edgelist=held, ax=ax, edge_color="#404040", width=1.2)
    nx.draw_networkx_edges(
        G, pos, edgelist=loose, ax=ax, edge_color="#c00000", width=1.4, style="dashed"
    )
    nx.draw_networkx_edges(G, pos, edgelist=edges["link"], ax=ax, edge_color="#404040", width=1.0)
    actors = [n for n, d in G.nodes(data=True) if d["kind"] == "actor"]
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=actors,
        ax=ax,
        node_size=[16 if G.nodes[n]["member"] else 6 for n in actors],
        node_color=[TYPE_COLOURS[G.nodes[n]["type"]] for n in actors],
        linewidths=0,
    )
    inits = [n for n, d in G.nodes(data=True) if d["kind"] == "initiative"]
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=inits,
        ax=ax,
        node_shape="D",
        node_size=30,
        node_color="white",
        edgecolors="#404040",
        linewidths=0.8,
    )
    ops = [n for n, d in G.nodes(data=True) if d["kind"] == "opgave"]
    nx.draw_networkx_nodes(
        G,
        pos,
        nodelist=ops,
        ax=ax,
        node_shape="s",
        node_size=[
            40 + 260 * np.sqrt(G.nodes[n]["size"] / max(G.nodes[n]["need"], 1e-9)) for n in ops
        ],
        node_color=[STATUS_COLOURS[G.nodes[n]["status"]] for n in ops],
        edgecolors="black",
        linewidths=0.6,
    )
    ax.set_title(label("step_n", language, n=model.steps), fontsize=12, loc="left")
    fig = ax.figure
    for old in list(fig.legends):
        old.remove()
    fig.legend(
        handles=legend_handles(language),
        loc="center left",
        bbox_to_anchor=(0.64, 0.5),
        fontsize=10,
        frameon=False,
        handlelength=1.6,
    )


def legend_handles(language: str) -> list:
    """The legend's entries: actor types, every stage, the initiative, the lines, square size."""

    def mark(marker: str, colour: str, text: str, size: float = 8, edge: str = "k") -> Line2D:
        return Line2D([], [], marker=marker, ls="", color=colour, markeredgecolor=edge,
                      markersize=size, label=text)  # fmt: skip

    opgave = label("opgave", language)
    handles = [mark("o", c, label(t, language), edge=c) for t, c in TYPE_COLOURS.items()]
    handles += [
        mark(
            "s",
            STATUS_COLOURS[s],
            f"{opgave}: {label(s.name.lower(), language)}",
        )
        for s in Status
    ]
    handles.append(mark("s", "#ed7d31", label("square_size", language), size=12))
    handles.append(mark("D", "white", label("initiative", language), edge="#404040"))
    handles.append(Line2D([], [], color="#404040", label=label("coordinated", language)))
    handles.append(Line2D([], [], color="#c00000", ls="--", label=label("uncoordinated", language)))
    return handles
