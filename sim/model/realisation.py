"""Step 7, realisation: members spend effort and turn it into work on the recognised aspects.

work = effort x (1 - coordination overhead) x execution power x competence x type factor
(an institution outside its mandate loses energy; citizens gain strength in numbers) x the
quality of the initiative's approach. Overhead grows with size and diversity and with every
coordination link ("coördinatie-inspanning", table 2). Initiatives that coordinate shift toward
the approach that works best among them ("op meerdere paarden wedden", "Netwerken vullen
instituties aan"). Value = the separable part (1 − σ) of the work done plus the integrated part σ
in proportion to how integrated the work on the challenge is (1 − fragmentation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from sim.model.actors import ACTOR_CLASSES, CITIZEN
from sim.model.metrics import blau_index, fragmentation_by_group, value_of
from sim.model.opgave import Status

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


def coordination_overhead(
    size: np.ndarray,
    diversity: np.ndarray,
    links: np.ndarray,
    c_size: float,
    c_div: float,
    c_link: float,
    cap: float,
) -> np.ndarray:
    """Share of effort lost to coordination: c_size·ln(size) + c_div·diversity + c_link·links."""
    raw = c_size * np.log(np.maximum(size, 1)) + c_div * diversity + c_link * links
    return np.minimum(raw, cap)


def clusters(
    n_initiatives: int,
    links: list[tuple[int, int]],
    actors: np.ndarray,
    initiatives: np.ndarray,
    opgaven: np.ndarray,
) -> np.ndarray:
    """Label initiatives by coordinated cluster: linked, or sharing a member on one challenge."""
    order = np.lexsort((initiatives, opgaven, actors))
    a, o, j = actors[order], opgaven[order], initiatives[order]
    same = (a[1:] == a[:-1]) & (o[1:] == o[:-1])
    src = np.concatenate([j[:-1][same], np.array([ln[0] for ln in links], dtype=np.int64)])
    dst = np.concatenate([j[1:][same], np.array([ln[1] for ln in links], dtype=np.int64)])
    graph = sp.coo_array((np.ones(src.size), (src, dst)), shape=(n_initiatives, n_initiatives))
    return connected_components(graph, directed=False)[1]


def draw_quality(model: OpgaveModel) -> float:
    """A new initiative's solution quality: uniform around 1 with ``quality_spread``."""
    spread = model.config.dynamics.realisation.quality_spread
    return 1.0 + spread * (model.rng.random() - 0.5)


def realise(model: OpgaveModel) -> None:
    """Spend this step's effort; update remaining need, value, fragmentation and totals."""
    params = model.config.dynamics.realisation
    actors = model.actors
    C = model.coalitions
    M, ini = C.memberships, C.initiatives
    rows = C.active_rows()
    for op in model.active_opgaven:
        op.fragmentation = 0.0
    if rows.size == 0:
        C.record_work(0.0, 0.0)
        return
    members, inits, opg = M.actor[rows], M.initiative[rows], M.opgave[rows]
    n_init = ini.n
    effort = actors.capacity[members] / C.count[members]  # capacity spread over its memberships

    size = np.bincount(inits, minlength=n_init)
    n_types = len(ACTOR_CLASSES)
    types = actors.type[members]
    type_counts = np.bincount(inits * n_types + types, minlength=n_init * n_types)
    type_counts = type_counts.reshape(n_init, n_types)
    links = C.all_links()
    link_count = np.bincount(
        np.array([j for ln in links for j in ln], dtype=np.int64), minlength=n_init
    )
    overhead = coordination_overhead(
        size,
        blau_index(type_counts),
        link_count,
        params.coordination_scale * params.coordination_size,
        params.coordination_scale * params.coordination_diversity,
        params.coordination_scale * params.coordination_link,
        params.coordination_max,
    )

    # Effort goes to the recognised aspects in scope, in proportion to what remains of them
    # (only for initiatives with members: the table of past ones grows with the run).
    staffed = np.unique(inits)
    remaining = np.stack([model.opgaven[u].remaining for u in ini.opgave[staffed]])
    target = ini.scope[staffed] * remaining
    totals = target.sum(axis=1, keepdims=True)
    weights = np.zeros((n_init, model.world.n_domains))
    weights[staffed] = np.divide(target, totals, out=np.zeros_like(target), where=totals > 0)

    # Coordinated initiatives learn from each other's approaches.
    labels = clusters(n_init, links, members, inits, opg)
    best = np.full(labels.max() + 1, -np.inf)
    np.maximum.at(best, labels[inits], ini.quality[inits])
    s = params.portfolio_learning
    quality = (1.0 - s) * ini.quality + s * np.where(
        np.isfinite(best[labels]), best[labels], ini.quality
    )

    # Fragmentation per challenge from effort per coordinated cluster.
    init_effort = np.bincount(inits, weights=effort, minlength=n_init)
    frag = fragmentation_by_group(init_effort, labels, ini.opgave)
    for uid, f in frag.items():
        model.opgaven[uid].fragmentation = f

    factor = np.ones((rows.size, model.world.n_domains))
    for cls in ACTOR_CLASSES:
        mask = types == cls.type_code
        if mask.any():
            factor[mask] = cls.work_factor(model, members[mask], type_counts[inits[mask], CITIZEN])
    competence = 0.5 + 0.5 * actors.lens_eff[members]
    productive = effort * (1.0 - overhead[inits]) * actors.power[members] * quality[inits]
    work = productive[:, None] * competence * factor * weights[inits]

    touched = np.unique(opg)
    local = np.searchsorted(touched, opg)
    op_work = np.zeros((touched.size, model.world.n_domains))
    np.add.at(op_work, local, work)
    op_effort = np.bincount(local, weights=effort, minlength=touched.size)
    for i, uid in enumerate(touched):
        op = model.opgaven[uid]
        done = np.minimum(op.remaining, op_work[i])
        op.remaining -= done
        delivered = done.sum()
        gained = value_of(delivered, op.sigma, op.fragmentation)
        op.value += gained
        op.effort += op_effort[i]
        model.totals["value"] += gained
        if delivered > 0 and op.status == Status.MOBILISED:
            op.status = Status.REALISING

    C.record_work(init_effort, overhead)
    model.totals["effort"] += effort.sum()
    model.totals["overhead"] += (effort * overhead[inits]).sum()
