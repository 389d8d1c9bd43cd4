"""Steps 1 and 2: challenges arise, drift and grow urgent.

The essay's orders (De Witte & Jonker, cited in "De opgave leidend maken"): first-order
challenges fit one organisation; second-order ones cross several mandates; third-order ones
question the existing arrangements, so part of their need lies where no institution holds a
mandate. A challenge's shape shifts over time (need moves between domains, new aspects appear),
so it keeps asking for new parties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.metrics import row_totals
from sim.model.opgave import ORDER_NAMES, Opgave
from sim.model.streams import opgave_path

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


def draw_opgave(model: OpgaveModel, uid: int) -> Opgave:
    """A new challenge with its order drawn from the scenario's mix (all from the world stream)."""
    cfg = model.config.opgaven
    rng = model.streams.world
    mix = cfg.order_mix
    order = int(rng.choice([1, 2, 3], p=[mix.first, mix.second, mix.third]))
    mandated = np.flatnonzero(model.world.mandated)
    unmandated = np.flatnonzero(~model.world.mandated)
    D, R = model.world.n_domains, model.world.n_regions

    if order == 1:
        doms = rng.choice(mandated, size=1, replace=False)
    elif order == 2:
        k = min(int(rng.integers(2, 4)), mandated.size)
        doms = rng.choice(mandated, size=k, replace=False)
    else:
        k = min(int(rng.integers(2, 5)), mandated.size)
        doms = rng.choice(mandated, size=k, replace=False)

    need = np.zeros(D)
    scale = cfg.size * rng.gamma(4.0, 0.25)
    need[doms] = rng.dirichlet(np.full(doms.size, 4.0)) * scale * doms.size
    if order == 3 and unmandated.size:
        # Part of a third-order challenge lies outside every mandate.
        u = rng.choice(
            unmandated, size=min(unmandated.size, int(rng.integers(1, 3))), replace=False
        )
        total = need.sum()
        need *= 1.0 - cfg.unmandated_share
        need[u] += rng.dirichlet(np.full(u.size, 4.0)) * total * cfg.unmandated_share

    n_regions = 1 if order == 1 else int(rng.integers(1, min(order, R) + 1))
    if order == 3 and R >= 2:
        n_regions = max(2, n_regions)
    regions = np.zeros(R, dtype=bool)
    regions[rng.choice(R, size=n_regions, replace=False)] = True

    low, high = getattr(cfg.interdependence, ORDER_NAMES[order])
    u0, u1 = cfg.urgency_initial
    return Opgave(
        uid=uid,
        order=order,
        need=need,
        remaining=need.copy(),
        sigma=float(rng.uniform(low, high)),
        regions=regions,
        urgency=float(rng.uniform(u0, u1)),
        business_case=float(rng.uniform(0.0, 1.0)),
        emerged=model.steps,
        instrument_share=cfg.instrument_share.of(order),
        path=opgave_path(model.seed_sequence, uid),
    )


def emerge(model: OpgaveModel) -> None:
    """Step 1: new challenges arrive at the scenario's rate."""
    cfg = model.config.opgaven
    count = int(model.streams.world.poisson(cfg.arrival_rate))
    count = min(count, cfg.max_total - len(model.opgaven))
    for _ in range(max(count, 0)):
        model.add_opgave(draw_opgave(model, len(model.opgaven)))


def drift_and_urgency(model: OpgaveModel) -> None:
    """Step 2: shapes shift (need moves between domains, new aspects appear); urgency grows.

    Each open challenge draws its drift event of the step from its own world stream (four
    uniforms, whether or not it drifts), so when, from where and to where a challenge drifts is
    the same under every way of working; how much moves is a share of what still remains.
    """
    cfg = model.config.opgaven
    for op in model.active_opgaven:
        happens, *picks = op.path.random(4)
        if happens < cfg.drift_rate:
            drift(op, picks, cfg.drift_size, cfg.new_aspect)
    # urgency grows with what is left after the drift (a drift moves need within its own
    # challenge only, so all the challenges' totals can be taken at once)
    lefts = row_totals([op.remaining for op in model.active_opgaven])
    for op, remaining in zip(model.active_opgaven, lefts, strict=True):
        left = remaining / op.total_need if op.total_need > 0 else 0.0
        op.urgency = min(1.0, op.urgency + cfg.urgency_growth * left * (1.0 - op.urgency))


def pick(mask: np.ndarray, u: float) -> int:
    """The domain a uniform ``u`` picks among those in ``mask`` (each equally likely)."""
    options = np.flatnonzero(mask)
    return int(options[min(int(u * options.size), options.size - 1)])


def drift(op: Opgave, picks, size: float, new_aspect: float) -> None:
    """Move ``size`` of one domain's remaining need to another domain, maybe a new one.

    Neutral: the source is any domain the challenge spans and the destination any other domain,
    mandated or not, each equally likely (``picks``: three uniforms for source, new-or-old
    aspect, destination). A new aspect is a domain it has not spanned before.
    """
    u_src, u_new, u_dst = picks
    src = pick(op.spans, u_src)
    fresh = ~op.spans
    others = op.spans.copy()
    others[src] = False
    if fresh.any() and (u_new < new_aspect or not others.any()):
        dst = pick(fresh, u_dst)
    elif others.any():
        dst = pick(others, u_dst)
    else:
        return
    moved, locked = op.remaining[src] * size, op.locked[src] * size
    op.remaining[src] -= moved
    op.need[src] -= moved
    op.locked[src] -= locked
    op.remaining[dst] += moved
    op.need[dst] += moved
    op.locked[dst] += locked
    op.spans[dst] = True
