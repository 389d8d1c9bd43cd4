"""The moving parts of motives (step 4b; "Verbinden van partijen met de opgave").

Why an actor stays at a table changes while it sits there. A company's business case in a
challenge walks and is hit by shocks (subsidies end, markets turn); public attention is a stock
that citizens' carried salience feeds and that decays once the public looks away; reputational
pressure on companies and political pressure on institutions follow it (:mod:`sim.model.actors`).
The leaving hazard reads the current value of the motive that holds a member
(:mod:`sim.model.leaving`), so interest leaves when the case goes and pressure-driven members
leave when the pressure drops. The business case is exogenous: each challenge draws it from its
own world stream, a fixed number of uniforms per step, so every strategy meets the same markets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.actors import CITIZEN
from sim.opinion import column_blocks

if TYPE_CHECKING:
    from sim.config.dynamics import IncentiveParams
    from sim.model.model import OpgaveModel
    from sim.model.opgave import Opgave
    from sim.model.perception import View


def walk(case: np.ndarray, u: np.ndarray, params: IncentiveParams) -> np.ndarray:
    """One step of a challenge's business case per domain, from ``D + 3`` uniforms ``u``.

    b_d ← clip(b_d + drift·(2u_d − 1), 0, 1) for every domain d; then, when u_D < shock chance,
    the domain u_{D+1} picks jumps by ±shock size (up when u_{D+2} < ½), clipped to [0, 1].
    """
    return walk_all(case[None, :], u[None, :], params)[0]


def walk_all(cases: np.ndarray, u: np.ndarray, params: IncentiveParams) -> np.ndarray:
    """:func:`walk` for many challenges at once: row i of ``cases`` ((M, D)) with the uniforms
    in row i of ``u`` ((M, D + 3)); every number as for the row alone."""
    D = cases.shape[1]
    out = cases + params.business_drift * (2.0 * u[:, :D] - 1.0)
    shocked = np.flatnonzero(u[:, D] < params.business_shock_chance)
    domain = np.minimum((u[shocked, D + 1] * D).astype(np.int64), D - 1)
    out[shocked, domain] += params.business_shock_size * np.where(
        u[shocked, D + 2] < 0.5, 1.0, -1.0
    )
    return np.clip(out, 0.0, 1.0, out=out)


def move_markets(model: OpgaveModel) -> None:
    """Every open challenge's business case takes its step, drawn from the challenge's own world
    stream after its drift event (D + 3 uniforms, whether or not anything happens)."""
    ops = model.active_opgaven
    if not ops:
        return
    D = model.world.n_domains
    u = np.stack([op.path.random(D + 3) for op in ops])  # each from its own stream
    cases = walk_all(np.stack([op.business for op in ops]), u, model.config.dynamics.incentives)
    for op, case in zip(ops, cases, strict=True):
        op.business = case


def case_of(model: OpgaveModel, rows: np.ndarray, business: np.ndarray) -> np.ndarray:
    """(n,) what actor ``rows[i]`` can earn: the business case ``business[i]`` ((n, D)) averaged
    over its home domains (its sector), times its own market factor, within [0, 1]."""
    home = model.actors.home[rows]
    mean = (home * business).sum(axis=1) / np.maximum(home.sum(axis=1), 1)
    return np.clip(mean * model.actors.market_fit[rows], 0.0, 1.0)


def market_fit(n: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    """(n,) each actor's fixed factor on a business case: uniform in [1 − spread, 1 + spread]."""
    return 1.0 + spread * (2.0 * rng.random(n) - 1.0)


def carried(view: View, citizens: np.ndarray) -> np.ndarray:
    """(M,) what the public carries of each challenge: citizens' salience where they give it one
    of their scarce slots of attention, averaged over all citizens (0 without citizens)."""
    now = np.zeros(len(view.opgaven))
    if not citizens.any():
        return now
    rows = np.flatnonzero(citizens)
    for cols in column_blocks(now.size):  # each column's mean alone: the same in blocks
        now[cols] = (view.x[rows, cols] * view.attention[rows, cols]).mean(axis=0)
    return now


def attend(previous: float, now: float, decay: float) -> float:
    """A_t = (1 − δ)·A_{t−1} + δ·now: attention builds up and decays toward what is carried."""
    return (1.0 - decay) * previous + decay * now


def public_attention(model: OpgaveModel, view: View) -> None:
    """Each challenge's public attention moves toward what citizens carry now."""
    decay = model.config.dynamics.incentives.attention_decay
    now = carried(view, model.actors.type == CITIZEN)
    for k, op in enumerate(view.opgaven):
        op.public_attention = attend(op.public_attention, float(now[k]), decay)


def update(model: OpgaveModel, view: View) -> None:
    """Step 4b: markets move, public attention builds or fades; recruiting starts unpaid."""
    move_markets(model)
    public_attention(model, view)
    model.actors.committed[:] = 0.0


def charge(model: OpgaveModel, recruiter: int, op: Opgave, cost: float) -> bool:
    """The recruiter pays ``cost`` of this step's discretionary effort, if it has that much left
    (True); the effort counts as coordination (overhead) on the challenge."""
    a = model.actors
    budget = a.capacity[recruiter] * a.discretionary[recruiter] - a.committed[recruiter]
    if cost > budget + 1e-12:
        return False
    a.committed[recruiter] += cost
    op.effort += cost
    for total in ("effort", "overhead", "recruiting"):
        model.totals[total] += cost
    return True
