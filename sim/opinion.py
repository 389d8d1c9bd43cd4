"""Friedkin–Johnsen opinion dynamics, reusable outside the model (numpy and scipy, no Mesa).

Each actor holds an opinion (here: the salience of a challenge) and updates it as
``x(t+1) = Λ W x(t) + (I − Λ) x(0)``: a mix of what its neighbours think (W, row-stochastic)
and its own anchor x(0), with Λ = diag(lam) its susceptibility. The essay cites Friedkin and
Johnsen for how opinion leaders carry others along ("Persoonlijke betrokkenheid van actoren").
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

Matrix = np.ndarray | sp.spmatrix | sp.sparray


class NoUniqueEquilibrium(ValueError):
    """The system I − ΛW is singular: the spectral radius of ΛW is 1."""


def friedkin_johnsen_step(x: np.ndarray, x0: np.ndarray, W: Matrix, lam: np.ndarray) -> np.ndarray:
    """One synchronous step ``Λ W x + (I − Λ) x0``.

    ``x`` and ``x0`` are (n,) or (n, k) (k opinions at once); ``lam`` is (n,) in [0, 1].
    """
    lam = np.asarray(lam, dtype=float)
    scale = lam if x.ndim == 1 else lam[:, None]
    return scale * (W @ x) + (1.0 - scale) * x0


COLUMNS = 64  # opinions worked together: at 100,000 actors a (n, 64) block is 51 MB


def column_blocks(k: int, size: int = COLUMNS) -> list[slice]:
    """Slices of about ``size`` neighbouring columns covering ``k`` columns: the (n, k)
    opinions (salience of every open challenge) worked a block at a time, so temporaries stay
    small. No block is one column wide unless ``k`` is 1: numpy sums a lone column in another
    order (pairwise) than a column among others, so a sum over actors would change in the last
    bit; a last single column joins the block before it."""
    starts = list(range(0, k, size))
    if k > 1 and k % size == 1:
        starts.pop()
    return [slice(a, b) for a, b in zip(starts, [*starts[1:], k][: len(starts)], strict=True)]


def friedkin_johnsen_iterate(
    x: np.ndarray, x0: np.ndarray, W: Matrix, lam: np.ndarray, steps: int
) -> np.ndarray:
    """``steps`` of :func:`friedkin_johnsen_step` from ``x``, the same numbers with fewer
    temporaries: the anchor ``(I − Λ) x0`` is computed once and each step works in place.

    Overwrites and returns ``x`` when it is a float array, also a view: opinions do not mix,
    so talk iterates a block of columns of its salience matrix at a time (``column_blocks``),
    and every entry is the same sum in the same order as when all are iterated at once.
    """
    lam = np.asarray(lam, dtype=float)
    x = np.asarray(x, dtype=float)  # a float array is worked in place; anything else copied
    scale = lam if x.ndim == 1 else lam[:, None]
    anchor = (1.0 - scale) * x0
    y = x
    for _ in range(steps):
        y = W @ y
        y *= scale
        y += anchor
    x[...] = y
    return x


class RowSplit:
    """``W @ y`` with W's rows cut into ``threads`` blocks, each block's product on a thread of
    its own. Every row of the result is the same sum in the same order as in ``W @ y``, so the
    numbers are identical to the last bit; scipy releases the GIL in its sparse products, so the
    blocks run at once (10,000 actors, 300,000 ties, 64 opinions: 1.3-1.7 times as fast on two
    idle cores). Use as ``with RowSplit(W, threads) as product: ... product @ y``."""

    def __init__(self, W: sp.csr_array, threads: int):
        self.shape = W.shape
        self.pool = ThreadPoolExecutor(threads) if threads > 1 else None
        if self.pool is None:  # one block: W itself, not a copy of its rows
            self.blocks = [(0, W.shape[0], W)]
            return
        bounds = np.linspace(0, W.shape[0], threads + 1).astype(np.int64)
        self.blocks = [(int(a), int(b), W[a:b]) for a, b in pairwise(bounds)]

    def __matmul__(self, y: np.ndarray) -> np.ndarray:
        if self.pool is None:
            return self.blocks[0][2] @ y
        out = np.empty((self.shape[0], *y.shape[1:]))
        y = np.ascontiguousarray(y)  # once here, not once per thread inside scipy

        def block(a: int, b: int, rows: sp.csr_array) -> None:
            out[a:b] = rows @ y

        for done in [self.pool.submit(block, *part) for part in self.blocks]:
            done.result()
        return out

    def __enter__(self) -> RowSplit:
        return self

    def __exit__(self, *_: object) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def blas_threads() -> int:
    """How many threads BLAS may use in this process now (1 in an engine worker, where the
    workers are the parallelism; all cores in a lone run unless the user chose otherwise)."""
    from threadpoolctl import threadpool_info

    counts = [int(lib["num_threads"]) for lib in threadpool_info() if lib["user_api"] == "blas"]
    return max(1, min(counts)) if counts else 1


def spectral_radius(W: Matrix, lam: np.ndarray) -> float:
    """Spectral radius of ΛW (dense eigenvalues for small systems, ARPACK for large sparse ones)."""
    lam = np.asarray(lam, dtype=float)
    n = lam.shape[0]
    if sp.issparse(W) and n > 200:
        M = sp.diags(lam) @ W
        vals = spla.eigs(M, k=1, which="LM", return_eigenvectors=False, tol=1e-8)
        return float(np.abs(vals).max())
    dense = W.toarray() if sp.issparse(W) else np.asarray(W, dtype=float)
    return float(np.abs(np.linalg.eigvals(lam[:, None] * dense)).max())


def friedkin_johnsen_equilibrium(W: Matrix, lam: np.ndarray, x0: np.ndarray) -> np.ndarray:
    """The fixed point ``x* = (I − ΛW)^-1 (I − Λ) x0``.

    Raises :class:`NoUniqueEquilibrium` when ρ(ΛW) = 1 (for a row-stochastic W this happens
    exactly when some closed group of actors is fully susceptible, lam = 1, and so has no anchor).
    """
    lam = np.asarray(lam, dtype=float)
    n = lam.shape[0]
    rho = spectral_radius(W, lam)
    if rho >= 1.0 - 1e-10:
        raise NoUniqueEquilibrium(
            f"spectral radius of ΛW is {rho:.6g}: the system has no unique equilibrium "
            "(some group of actors is fully susceptible, lam = 1, and never anchored)"
        )
    rhs = (1.0 - (lam if np.ndim(x0) == 1 else lam[:, None])) * x0
    if sp.issparse(W):
        A = sp.identity(n, format="csc") - sp.diags(lam) @ W
        # spsolve returns (n,) for a single right-hand column; keep the caller's shape
        return np.reshape(spla.spsolve(A.tocsc(), rhs), np.shape(rhs))
    A = np.eye(n) - lam[:, None] * np.asarray(W, dtype=float)
    return np.linalg.solve(A, rhs)


def row_stochastic(A: Matrix) -> sp.csr_array:
    """Normalise rows of a non-negative weight matrix; an empty row listens only to itself."""
    A = sp.csr_array(A, dtype=float)
    n = A.shape[0]
    sums = np.asarray(A.sum(axis=1)).ravel()
    empty = sums <= 0
    inv = np.where(empty, 0.0, 1.0 / np.where(empty, 1.0, sums))
    W = sp.diags_array(inv) @ A
    if empty.any():
        idx = np.flatnonzero(empty)
        W = W + sp.csr_array((np.ones(idx.size), (idx, idx)), shape=(n, n))
    return sp.csr_array(W)


def listening_weights(ties: sp.csr_array, influence: np.ndarray) -> sp.csr_array:
    """Row-stochastic W from symmetric-or-not ``ties`` (CSR) and each actor's ``influence``:
    ``row_stochastic(ties @ diag(influence))``, built in one pass over the ties.

    Identical to that formula in every bit, because the model's trajectories depend on it: the
    sparse product lists each row's entries in reverse, so each row is summed in reverse here.
    An actor without ties listens only to itself. Falls back to the formula when a weight is 0
    or ``ties`` is not canonical (unsorted or duplicate entries; the model's never are).
    """
    n = ties.shape[0]
    indptr, indices = ties.indptr, ties.indices
    weighted = ties.data * influence[indices]
    if not (weighted.all() and ties.has_canonical_format):  # rare: let scipy do it
        return row_stochastic(ties @ sp.diags_array(influence))
    counts = np.diff(indptr)
    has_ties = counts > 0
    sums = np.ones(n)
    if indices.size:
        # each row reversed = the whole array reversed, rows then run from last to first
        starts = (indices.size - indptr[1:])[has_ties][::-1]
        sums[has_ties] = np.add.reduceat(weighted[::-1], starts)[::-1]
    data = np.repeat(1.0 / sums, counts) * weighted
    if has_ties.all():
        return sp.csr_array((data, indices.copy(), indptr.copy()), shape=(n, n))
    counts = np.where(has_ties, counts, 1)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(indptr.dtype)
    tie = np.ones(indptr[-1], dtype=bool)
    tie[indptr[:-1][~has_ties]] = False
    full = np.ones(indptr[-1])
    full[tie] = data
    cols = np.repeat(np.arange(n, dtype=indices.dtype), counts)
    cols[tie] = indices
    return sp.csr_array((full, cols, indptr), shape=(n, n))
