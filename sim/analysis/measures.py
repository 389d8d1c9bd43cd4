"""What the validation reads from one run: every per-run quantity the patterns need, in one pass.

A run is stepped here (not through the engine's worker) so that quantities that need the model
object (memberships, per-step effort) can be read while it runs. Each quantity is a named float;
a quantity the model cannot provide (a table without such a column, a motive it does not know)
is :class:`Missing` with the reason, and the patterns that need it become ``open``. Readers of the
model's tables are small functions (``membership_frame``, ``challenge_frame``) so that a change
in the model's bookkeeping is adapted in one place.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.config.loader import validate
from sim.model.actors import ACTOR_CLASSES, INSTITUTION, MOTIVES
from sim.model.metrics import fragmentation_of
from sim.model.model import OpgaveModel
from sim.model.outcomes import CUMULATIVE
from sim.model.records import opgave_records

TYPE_KEYS = {cls.type_code: cls.key for cls in ACTOR_CLASSES}
# The membership column holding the effort a recruiter paid to bring the member in (model v2,
# mechanism 6); without it pattern 16 is open.
RECRUIT_COLUMNS = ("recruit_effort",)
MOBILISED_WITHIN = 20  # steps: an urgent challenge counts as mobilised when someone joined by then


@dataclass(frozen=True)
class Missing:
    """A quantity the model cannot provide, and why."""

    reason: str


Value = float | Missing


def motive_names() -> tuple[str, ...]:
    """The model's motives in the order of their codes in the membership table."""
    return tuple(MOTIVES)


def membership_frame(model: OpgaveModel) -> dict[str, np.ndarray]:
    """Every membership of the run: actor, its type key, challenge, motive name, joined, left
    (censored at the run's end for memberships still active), duration, and any extra column
    the table has (e.g. why it ended, what recruiting it cost)."""
    M = model.coalitions.memberships
    names = np.array((*motive_names(), "?"))
    codes = np.asarray(M.motive, dtype=np.int64)
    left = np.where(M.left >= 0, M.left, model.steps)
    frame = {
        "actor": M.actor.copy(),
        "type": np.array([TYPE_KEYS[int(t)] for t in model.actors.type[M.actor]], dtype=object),
        "opgave": M.opgave.copy(),
        "motive": names[np.clip(codes, 0, len(names) - 1)],
        "joined": M.joined.copy(),
        "left": left,
        "duration": left - M.joined,
    }
    for column in RECRUIT_COLUMNS:
        if hasattr(M, column):
            frame["recruit_effort"] = np.asarray(getattr(M, column), dtype=float)
            break
    return frame


def challenge_frame(model: OpgaveModel) -> dict[str, np.ndarray]:
    """The per-challenge records (sim.model.records) as columns, with the censored wait for the
    agenda: until the agenda, else until the challenge ended, else until the run's end."""
    rows = opgave_records(model)
    frame = {k: np.array([r[k] for r in rows]) for k in rows[0]} if rows else {}
    if rows:
        waited_until = np.where(
            frame["agenda_step"] >= 0,
            frame["agenda_step"],
            np.where(frame["ended_step"] >= 0, frame["ended_step"], model.steps),
        )
        frame["latency"] = waited_until - frame["emerged"]
    return frame


def _ratio(num: float, den: float) -> Value:
    return float(num / den) if den > 0 else Missing("nothing to divide by in this run")


def _mean(values: np.ndarray, what: str) -> Value:
    return float(np.mean(values)) if values.size else Missing(f"no {what} in this run")


class Tracker:
    """Per-step readings that the end state does not keep: each challenge's urgency when it
    emerged (the world's, the same under every strategy) and effort without instruments."""

    def __init__(self) -> None:
        self.urgency0: dict[int, float] = {}
        self.effort = 0.0
        self.unbacked = 0.0
        self.fragmentation_multi: list[float] = []
        self.missing: str = ""

    def after_step(self, model: OpgaveModel) -> None:
        for op in model.opgaven[len(self.urgency0) :]:
            self.urgency0[op.uid] = op.urgency
        # the fragmentation metric restricted to collective (multi-domain) challenges
        multi = [op for op in model.active_opgaven if op.n_domains0 >= 2]
        self.fragmentation_multi.append(fragmentation_of(model, multi))
        if self.missing:
            return
        try:
            C = model.coalitions
            rows = C.active_rows()
            inst = model.actors.type[C.memberships.actor[rows]] == INSTITUTION
            n = C.initiatives.n
            backed = np.bincount(C.memberships.initiative[rows], weights=inst, minlength=n) > 0
            effort = np.asarray(C.initiatives.effort, dtype=float)
        except (AttributeError, KeyError) as exc:
            self.missing = f"the model keeps no per-step effort per initiative ({exc})"
            return
        self.effort += float(effort.sum())
        self.unbacked += float(effort[~backed].sum())


def quantities(model: OpgaveModel, tracker: Tracker) -> dict[str, Value]:
    """Every per-run quantity the patterns read (docs/validation.md names each)."""
    out: dict[str, Value] = {}
    frame = model.datacollector.get_model_vars_dataframe()
    later = frame[frame.index > 0]
    for metric in frame.columns:  # cumulative metrics at the end, states as run means
        out[metric] = float(
            frame[metric].iloc[-1] if metric in CUMULATIVE else later[metric].mean()
        )
    for name, reader in READERS.items():
        try:
            out.update(reader(model, tracker))
        except (AttributeError, KeyError) as exc:  # the model has no such table or column
            out[f"reader:{name}"] = Missing(f"the model has no {exc} (read by {name})")
    return out


def _challenges(model: OpgaveModel, tracker: Tracker) -> dict[str, Value]:
    ch = challenge_frame(model)
    if not ch:
        return {}
    order, value, need = ch["order"], ch["value"], ch["total_need"]
    taken_up = ch["agenda_step"] >= 0
    multi = ch["n_domains"] >= 2
    u0 = np.array([tracker.urgency0.get(int(u), np.nan) for u in ch["opgave"]])
    lo, hi = model.config.opgaven.urgency_initial
    urgent = u0 >= (lo + hi) / 2  # the upper half of the range new challenges arise in
    low = np.isin(order, ["first", "second"])
    third, second = order == "third", order == "second"
    defined = taken_up & np.isfinite(ch["definition_completeness"])

    def completeness(mask: np.ndarray) -> Value:
        m = mask & defined
        return _ratio(float((ch["definition_completeness"][m] * need[m]).sum()), need[m].sum())

    M = model.coalitions.memberships
    first_join = np.full(len(order), np.iinfo(np.int64).max)
    np.minimum.at(first_join, M.opgave.astype(np.int64), M.joined.astype(np.int64))
    early = urgent & (ch["emerged"] <= model.steps - MOBILISED_WITHIN)
    mobilised = first_join - ch["emerged"] <= MOBILISED_WITHIN
    # steps from the agenda until an institution (execution power, instruments) is at the
    # table of the challenge; censored like the latency when none ever joins
    inst = model.actors.type[M.actor] == INSTITUTION
    first_inst = np.full(len(order), np.iinfo(np.int64).max)
    np.minimum.at(first_inst, M.opgave[inst].astype(np.int64), M.joined[inst].astype(np.int64))
    end = np.where(ch["ended_step"] >= 0, ch["ended_step"], model.steps)
    lag = np.minimum(first_inst, end) - ch["agenda_step"]
    return {
        "agenda_to_institution": _mean(lag[taken_up], "challenges taken up"),
        "taken_up_share": _ratio(taken_up.sum(), taken_up.size),
        "initiatives_per_taken_up": _ratio(model.coalitions.initiatives.n, taken_up.sum()),
        "efficiency_first_second": _ratio(value[low].sum(), ch["effort"][low].sum()),
        "effectiveness_third": _ratio(value[third].sum(), need[third].sum()),
        "displaced_share": _ratio(ch["need_displaced"].sum(), need.sum()),
        "completeness_second": completeness(second),
        "completeness_third": completeness(third),
        "latency_all": _mean(ch["latency"], "challenges"),
        "latency_urgent_multi": _mean(ch["latency"][urgent & multi], "urgent multi-domain ones"),
        "latency_multi_minus_single": (
            float(ch["latency"][multi].mean() - ch["latency"][~multi].mean())
            if multi.any() and (~multi).any()
            else Missing("no single- or no multi-domain challenges in this run")
        ),
        "urgent_mobilised_share": _ratio((mobilised & early).sum(), early.sum()),
    }


def _memberships(model: OpgaveModel, tracker: Tracker) -> dict[str, Value]:
    m = membership_frame(model)
    out: dict[str, Value] = {}
    for motive in motive_names():
        out[f"duration_{motive}"] = _mean(m["duration"][m["motive"] == motive], f"{motive} joins")
    company = m["type"] == "company"
    out["company_not_interest_share"] = _ratio(
        (company & (m["motive"] != "interest")).sum(), company.sum()
    )
    out["interest_membership_share"] = _ratio((m["motive"] == "interest").sum(), m["motive"].size)
    # distinct primary domains among the members a challenge ever had (invalshoeken, disciplines)
    primary = model.actors.primary[m["actor"]]
    pairs = np.unique(np.stack([m["opgave"], primary]), axis=1)
    out["member_domains_per_challenge"] = _ratio(pairs.shape[1], np.unique(m["opgave"]).size)
    if "recruit_effort" in m:
        cost = m["recruit_effort"]
        a, b = cost[m["motive"] == "interest"], cost[m["motive"] == "intrinsic"]
        out["recruit_effort_interest_minus_intrinsic"] = (
            float(a.mean() - b.mean()) if a.size and b.size else Missing("no such members")
        )
    else:
        out["recruit_effort_interest_minus_intrinsic"] = Missing(
            "the model has no recruiting cost yet (no memberships."
            + " / .".join(RECRUIT_COLUMNS)
            + ")"
        )
    return out


def _actors(model: OpgaveModel, tracker: Tracker) -> dict[str, Value]:
    a = model.actors
    inst = a.type == INSTITUTION
    gain = a.sensitivity[inst] - a.sensitivity0[inst]
    unbacked = (
        Missing(tracker.missing) if tracker.missing else _ratio(tracker.unbacked, tracker.effort)
    )
    return {
        "institution_sensitivity_gain": _mean(gain, "institutions"),
        "unbacked_effort_share": unbacked,
        "fragmentation_multi": _mean(np.array(tracker.fragmentation_multi), "steps"),
    }


READERS: dict[str, Callable[[OpgaveModel, Tracker], dict[str, Value]]] = {
    "challenges": _challenges,
    "memberships": _memberships,
    "actors": _actors,
}


def measure_run(config: dict) -> dict[str, Value]:
    """Run one model from a raw config and return its quantities."""
    start = time.process_time()
    model = OpgaveModel(validate(config, "<validation>"))
    tracker = Tracker()
    for _ in range(model.config.steps):
        model.run_for(1)
        tracker.after_step(model)
    return {**quantities(model, tracker), "cpu_seconds": time.process_time() - start}
