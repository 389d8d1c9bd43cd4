"""Per-challenge and per-actor records at the end of a run (plain dicts, one per row)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.model.actors import ACTOR_CLASSES
from sim.model.coalitions import Ending
from sim.model.metrics import covered_domains
from sim.model.motives import MOTIVE_LABELS, motive_label
from sim.model.opgave import ORDER_NAMES, Status
from sim.model.sensemaking import completeness

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel


def opgave_records(model: OpgaveModel) -> list[dict]:
    """One row per challenge: its attributes, its milestones, and how it went."""
    C = model.coalitions
    ini = C.initiatives
    rows = []
    for op in model.opgaven:
        mine = ini.opgave == op.uid
        rows.append(
            {
                "opgave": op.uid,
                "order": ORDER_NAMES[op.order],
                "interdependence": op.sigma,
                "complexity": op.complexity,
                "n_domains": op.n_domains0,
                "n_domains_end": int((op.need > 0).sum()),
                "regions": int(op.regions.sum()),
                "total_need": op.total_need,
                "remaining": float(op.remaining.sum()),
                "urgency": op.urgency,
                "status": op.status.name.lower(),
                "emerged": op.emerged,
                "agenda_step": op.agenda_step,
                "forced": op.forced,
                "ended_step": op.ended_step,
                "resolution_time": op.ended_step - op.emerged
                if op.status == Status.RESOLVED
                else -1,
                "resolved": op.status == Status.RESOLVED,
                "orphaned": op.status == Status.ORPHANED,
                "definition_completeness": completeness(op.need, op.definition),
                "covered_share": float(
                    (op.need * covered_domains(model, op.uid)).sum() / op.need.sum()
                )
                if op.need.sum() > 0
                else 0.0,
                "initiatives": int(mine.sum()),
                "fragmentation": op.fragmentation,
                "value": op.value,
                "need_displaced": op.displaced,
                "instrument_share": op.instrument_share,
                "effectiveness": op.value / op.total_need if op.total_need > 0 else 0.0,
                "effort": op.effort,
                "regie_holders": len(op.regie),
            }
        )
    return rows


def actor_records(model: OpgaveModel) -> list[dict]:
    """One row per actor at the end of the run."""
    M = model.coalitions.memberships
    joined = np.bincount(M.actor, minlength=model.actors.n)
    degree = np.diff(model.ties.indptr)
    rows = []
    for row in range(model.actors.n):
        agent = model.actor_at(row)
        rows.append(
            {
                "actor": row,
                "unique_id": agent.unique_id,
                "type": agent.key,
                "region": int(model.actors.region[row]),
                "primary_domain": model.world.domains[int(model.actors.primary[row])],
                "home_domains": ",".join(agent.home_domains),
                "sensitivity": float(model.actors.sensitivity[row]),
                "sensitivity_initial": float(model.actors.sensitivity0[row]),
                "capacity": float(model.actors.capacity[row]),
                "execution_power": float(model.actors.power[row]),
                "memberships_now": int(model.coalitions.count[row]),
                "memberships_ever": int(joined[row]),
                "degree": int(degree[row]),
            }
        )
    return rows


ENDINGS = tuple(e.name.lower() for e in Ending if e != Ending.ACTIVE)


def membership_records(model: OpgaveModel) -> dict[str, np.ndarray]:
    """One row per membership ever held, as columns: who, where, when, why it held and why it
    ended. A membership still active when the run stops has ``left`` = the run's last step and
    ``ending`` = ``run_ended`` (its duration is censored there)."""
    M = model.coalitions.memberships
    types = model.actors.type[M.actor]
    active = M.active.astype(bool)
    ending = np.where(active, int(Ending.RUN_ENDED), M.ending).astype(np.int64)
    type_names = np.array([cls.key for cls in ACTOR_CLASSES])
    return {
        "actor": M.actor.copy(),
        "type": type_names[types],
        "initiative": M.initiative.copy(),
        "challenge": M.opgave.copy(),
        "joined": M.joined.copy(),
        "left": np.where(active, model.steps, M.left),
        "motive": np.array(MOTIVE_LABELS)[motive_label(types, M.motive)],
        "ending": np.array([e.name.lower() for e in Ending])[ending],
        "motive_kept": M.kept.copy(),
        "recruit_effort": M.recruit_effort.copy(),
    }
