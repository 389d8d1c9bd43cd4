"""Initiatives, memberships and coordination links: the bookkeeping of who works on what.

One place mutates them, so the indexes (members per initiative, initiatives per challenge,
memberships per actor) never disagree with the tables that realisation reads in bulk.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from sim.model.tables import Table


class Ending(IntEnum):
    """Why a membership ended (0: it has not); the records name it in lower case."""

    ACTIVE = 0
    CHALLENGE_RESOLVED = 1
    CHALLENGE_ORPHANED = 2
    INITIATIVE_FINISHED = 3  # nothing left to do in its scope
    MOTIVE_FADED = 4  # left by its motive's hazard
    SPLIT = 5  # moved to a faction
    RUN_ENDED = 6  # still a member when the run stopped (written only in the records)
    CAPACITY = 7  # given up, at the membership cap, for a membership that gives more


class Coalitions:
    """Struct-of-arrays tables plus the indexes the mechanisms look things up by."""

    def __init__(self, n_actors: int, n_domains: int):
        self.initiatives = Table(
            {
                "opgave": (np.int64, ()),
                "lead": (np.int64, ()),
                "quality": (float, ()),
                "active": (bool, ()),
                "started": (np.int64, ()),
                "ended": (np.int64, ()),
                "scope": (bool, (n_domains,)),
                "effort": (float, ()),
                "overhead": (float, ()),
            }
        )
        self.memberships = Table(
            {
                "actor": (np.int64, ()),
                "initiative": (np.int64, ()),
                "opgave": (np.int64, ()),
                "active": (bool, ()),
                "motive": (np.int8, ()),
                "strength": (float, ()),
                "joined": (np.int64, ()),
                "left": (np.int64, ()),
                "ending": (np.int8, ()),  # an Ending
                "kept": (float, ()),  # its motive's value last step, as a share of at joining
                "recruit_effort": (float, ()),  # what the ask that brought it in cost the recruiter
            }
        )
        self.count = np.zeros(n_actors, dtype=np.int64)  # active memberships per actor
        self.changes = np.zeros(n_actors, dtype=np.int64)  # joins + leaves per actor (cache key)
        self._roster: dict[int, dict[int, int]] = {}  # initiative -> {actor: membership row}
        self._held: dict[int, set[int]] = {}  # actor -> its active membership rows
        self._by_opgave: dict[int, list[int]] = {}  # opgave -> active initiatives, oldest first
        # opgave -> {(a, b): kind}: coordination links and who made them (regie or bilateral)
        self._links: dict[int, dict[tuple[int, int], str]] = {}

    # -- initiatives ---------------------------------------------------------------------
    def new_initiative(
        self, opgave: int, scope: np.ndarray, lead: int, quality: float, step: int
    ) -> int:
        j = self.initiatives.append(
            opgave=opgave,
            lead=lead,
            quality=quality,
            active=True,
            started=step,
            ended=-1,
            scope=scope,
        )
        self._roster[j] = {}
        self._by_opgave.setdefault(opgave, []).append(j)
        return j

    def close_initiative(self, j: int, step: int, reason: Ending) -> None:
        """End an initiative: its members leave (for ``reason``), its links go."""
        if not self.initiatives.active[j]:
            return
        self.leave(np.array(list(self._roster[j].values()), dtype=np.int64), step, reason)
        self.initiatives.active[j] = False
        self.initiatives.ended[j] = step
        op = int(self.initiatives.opgave[j])
        self._by_opgave[op].remove(j)
        self._links[op] = {ln: k for ln, k in self._links.get(op, {}).items() if j not in ln}

    def set_lead(self, j: int, actor: int) -> None:
        """``actor`` leads initiative ``j`` (holds its own small regie)."""
        self.initiatives.lead[j] = actor

    def widen_scope(self, j: int, domains: np.ndarray) -> None:
        """Initiative ``j`` takes in the aspects ``domains`` ((D,) bool)."""
        self.initiatives.scope[j] |= domains

    def record_work(self, effort: np.ndarray, overhead: np.ndarray) -> None:
        """This step's effort and overhead share per initiative (zero where nobody worked)."""
        self.initiatives.effort[:] = effort
        self.initiatives.overhead[:] = overhead

    def initiatives_of(self, opgave: int) -> list[int]:
        return list(self._by_opgave.get(opgave, ()))

    def members(self, j: int) -> np.ndarray:
        return np.fromiter(self._roster[j].keys(), dtype=np.int64)

    def size(self, j: int) -> int:
        """How many members initiative ``j`` has now."""
        return len(self._roster[j])

    def is_member(self, actor: int, j: int) -> bool:
        return actor in self._roster.get(j, {})

    def opgave_members(self, opgave: int) -> np.ndarray:
        actors: set[int] = set()
        for j in self._by_opgave.get(opgave, ()):
            actors.update(self._roster[j])
        return np.array(sorted(actors), dtype=np.int64)

    # -- memberships ---------------------------------------------------------------------
    def join(
        self,
        actor: int,
        j: int,
        motive: int,
        strength: float,
        step: int,
        recruit_effort: float = 0.0,
    ) -> int:
        """``actor`` joins initiative ``j`` (for ``motive``), unless it is a member already;
        ``recruit_effort`` is what the ask that brought it in cost (0: it came by itself)."""
        if actor in self._roster[j]:
            return self._roster[j][actor]
        row = self.memberships.append(
            actor=actor,
            initiative=j,
            opgave=self.initiatives.opgave[j],
            active=True,
            motive=motive,
            strength=strength,
            joined=step,
            left=-1,
            kept=1.0,
            recruit_effort=recruit_effort,
        )
        self._roster[j][actor] = row
        self._held.setdefault(actor, set()).add(row)
        self.count[actor] += 1
        self.changes[actor] += 1
        return row

    def leave(self, rows: np.ndarray, step: int, reason: Ending) -> None:
        """End the memberships ``rows`` for ``reason`` (already ended ones are ignored)."""
        m = self.memberships
        for row in np.asarray(rows, dtype=np.int64):
            if not m.active[row]:
                continue
            m.active[row] = False
            m.left[row] = step
            m.ending[row] = reason
            actor, j = int(m.actor[row]), int(m.initiative[row])
            del self._roster[j][actor]
            self._held[actor].discard(int(row))
            self.count[actor] -= 1
            self.changes[actor] += 1
            if self.initiatives.lead[j] == actor:
                self.initiatives.lead[j] = -1

    def transfer(self, actors: np.ndarray, src: int, dst: int, step: int) -> None:
        """Move members from initiative ``src`` to ``dst``, keeping why they joined."""
        m = self.memberships
        rows = np.array([self._roster[src][int(a)] for a in actors], dtype=np.int64)
        motives, strengths = m.motive[rows].copy(), m.strength[rows].copy()
        self.leave(rows, step, Ending.SPLIT)
        for actor, motive, strength in zip(actors, motives, strengths, strict=True):
            self.join(int(actor), dst, int(motive), float(strength), step)

    def held_by(self, actor: int) -> np.ndarray:
        """The active membership rows of ``actor``, in row order."""
        return np.array(sorted(self._held.get(actor, ())), dtype=np.int64)

    def active_rows(self) -> np.ndarray:
        return np.flatnonzero(self.memberships.active)

    # -- coordination links ----------------------------------------------------------------
    def link(self, opgave: int, a: int, b: int, kind: str) -> None:
        """Initiatives ``a`` and ``b`` coordinate through a link of ``kind`` (who made it)."""
        if a != b:
            self._links.setdefault(opgave, {})[(min(a, b), max(a, b))] = kind

    def unlink(self, opgave: int, a: int, b: int) -> None:
        self._links.get(opgave, {}).pop((min(a, b), max(a, b)), None)

    def link_kind(self, opgave: int, a: int, b: int) -> str | None:
        """Who made the link between ``a`` and ``b`` (None: they are not linked)."""
        return self._links.get(opgave, {}).get((min(a, b), max(a, b)))

    def links_of(self, opgave: int) -> set[tuple[int, int]]:
        return set(self._links.get(opgave, ()))

    def all_links(self) -> list[tuple[int, int]]:
        return [ln for links in self._links.values() for ln in links]
