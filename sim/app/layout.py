"""A calm force layout for the network view: positions persist, and they change only on a step.

A small Fruchterman–Reingold in numpy with three additions that keep a projected picture calm:
a weak gravity toward the centre (so actors without ties form a cloud in the middle instead of
a line on the border), a cap on how far a node moves per step, and a cache keyed by the model's
step (so a language switch or any other re-render without a step never moves a node).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

RADIUS = 1.0  # nodes stay within this disk; the view shows a little more
MOVERS = ("opgave", "initiative")


class StableLayout:
    """Positions that persist between frames so the picture stays calm as nodes come and go."""

    def __init__(
        self,
        seed: int = 0,
        iterations: int = 6,
        settle: int = 60,
        max_move: float = 0.006,
        gravity: float = 0.1,
    ) -> None:
        self.pos: dict[str, np.ndarray] = {}
        self.rng = np.random.default_rng(seed)
        self.iterations = iterations  # per step, once settled
        self.settle = settle  # for the very first picture
        self.max_move = max_move  # per iteration, in units of RADIUS
        self.gravity = gravity
        self.step: int | None = None

    def update(self, G: nx.Graph, step: int | None = None) -> dict[str, np.ndarray]:
        """Positions for the nodes of ``G``; unchanged when ``step`` is the step laid out last."""
        if step is not None and step == self.step and all(n in self.pos for n in G):
            return self.pos
        nodes = list(G)
        if not nodes:
            self.pos, self.step = {}, step
            return self.pos
        first = not self.pos
        X = self._start(G, nodes)
        index = {n: i for i, n in enumerate(nodes)}
        edges = [(index[u], index[v], d.get("weight", 1.0)) for u, v, d in G.edges(data=True)]
        src = np.array([e[0] for e in edges], dtype=np.int64)
        dst = np.array([e[1] for e in edges], dtype=np.int64)
        w = np.array([e[2] for e in edges], dtype=float)
        # challenges and initiatives carry the story: they may glide faster to their tables
        kinds = [G.nodes[n].get("kind") for n in nodes]
        boost = np.array([2.5 if k in MOVERS else 1.0 for k in kinds])
        mass = np.array([3.0 if k == "opgave" else 1.0 for k in kinds])  # squares keep apart
        rounds = self.settle if first else self.iterations
        for r in range(rounds):
            # the first picture cools from large moves to small ones; later steps stay small
            cap = self.max_move * (1 + 20 * (1 - r / rounds)) if first else self.max_move
            X = self._iterate(X, src, dst, w, cap * boost, mass)
        self.pos = {n: X[i] for i, n in enumerate(nodes)}
        self.step = step
        return self.pos

    def _start(self, G: nx.Graph, nodes: list[str]) -> np.ndarray:
        """Known nodes where they were; a new node next to its placed neighbours, else inside."""
        placed = {n: self.pos[n] for n in nodes if n in self.pos}
        X = np.zeros((len(nodes), 2))
        for i, node in enumerate(nodes):
            if node in placed:
                X[i] = placed[node]
                continue
            near = [placed[n] for n in G.neighbors(node) if n in placed]
            if near:
                X[i] = np.mean(near, axis=0) + self.rng.normal(0, 0.02, 2)
            else:
                angle, r = self.rng.uniform(0, 2 * np.pi), 0.8 * np.sqrt(self.rng.uniform())
                X[i] = r * np.array([np.cos(angle), np.sin(angle)])
            placed[node] = X[i]
        return X

    def _iterate(
        self,
        X: np.ndarray,
        src: np.ndarray,
        dst: np.ndarray,
        w: np.ndarray,
        cap: np.ndarray,
        mass: np.ndarray,
    ) -> np.ndarray:
        # complex numbers for 2-d vectors: about twice as fast as (n, n, 2) arrays
        n = len(X)
        Z = X[:, 0] + 1j * X[:, 1]
        k = 1.2 * RADIUS / np.sqrt(n)  # ideal distance: the disk shared by n nodes
        delta = Z[:, None] - Z[None, :]
        d2 = np.maximum(delta.real**2 + delta.imag**2, 1e-6)
        push = delta / d2  # repulsion, heavier for squares (real and imaginary parts: fast BLAS)
        force = (push.real @ mass + 1j * (push.imag @ mass)) * (k * k) * mass
        if len(src):
            diff = Z[dst] - Z[src]
            pull = diff * np.abs(diff) / k * w
            net = -pull  # on the target
            force += np.bincount(src, pull.real, n) + 1j * np.bincount(src, pull.imag, n)
            force += np.bincount(dst, net.real, n) + 1j * np.bincount(dst, net.imag, n)
        # toward the centre, scaled with the crowd (and the mass, so squares stay inside too)
        force -= self.gravity * Z * np.sqrt(n) * mass
        length = np.maximum(np.abs(force), 1e-12)
        Z = Z + force / length * np.minimum(length, cap)
        r = np.abs(Z)
        Z = np.where(r > RADIUS, Z * RADIUS / np.maximum(r, 1e-12), Z)
        return np.column_stack([Z.real, Z.imag])
