"""Friedkin–Johnsen dynamics: the step by hand, the closed form, and the model's own use of them."""

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from sim import opinion
from sim.opinion import (
    NoUniqueEquilibrium,
    friedkin_johnsen_equilibrium,
    friedkin_johnsen_iterate,
    friedkin_johnsen_step,
    listening_weights,
    row_stochastic,
)


def test_step_by_hand():
    # Two actors who listen only to each other; actor 0 half susceptible, actor 1 fully anchored.
    W = np.array([[0.0, 1.0], [1.0, 0.0]])
    lam = np.array([0.5, 0.0])
    x = np.array([0.2, 0.8])
    x0 = np.array([0.4, 0.6])
    # x0' = 0.5 * 0.8 + 0.5 * 0.4 = 0.6 ; x1' = 0 * 0.2 + 1 * 0.6 = 0.6
    assert friedkin_johnsen_step(x, x0, W, lam) == pytest.approx([0.6, 0.6])


def test_equilibrium_by_hand():
    # x1* = x0_1 = 0.6 (anchored); x0* = 0.5 * x1* + 0.5 * 0.4 = 0.5
    W = np.array([[0.0, 1.0], [1.0, 0.0]])
    eq = friedkin_johnsen_equilibrium(W, np.array([0.5, 0.0]), np.array([0.4, 0.6]))
    assert eq == pytest.approx([0.5, 0.6])


def test_sparse_and_dense_agree_and_columns_are_independent():
    rng = np.random.default_rng(3)
    A = (rng.random((30, 30)) < 0.2) * rng.random((30, 30))
    W = row_stochastic(A)
    lam = rng.uniform(0.1, 0.9, 30)
    x0 = rng.random((30, 4))
    dense = friedkin_johnsen_equilibrium(W.toarray(), lam, x0)
    sparse = friedkin_johnsen_equilibrium(W, lam, x0)
    assert np.allclose(dense, sparse)
    assert np.allclose(dense[:, 2], friedkin_johnsen_equilibrium(W, lam, x0[:, 2]))
    one_column = friedkin_johnsen_equilibrium(W, lam, x0[:, :1])  # a single opinion, 2-D
    assert one_column.shape == (30, 1)
    assert np.allclose(one_column, dense[:, :1])


def test_refuses_a_system_without_unique_equilibrium():
    W = np.array([[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(NoUniqueEquilibrium, match="spectral radius"):
        friedkin_johnsen_equilibrium(W, np.array([1.0, 1.0]), np.array([0.1, 0.9]))
    with pytest.raises(NoUniqueEquilibrium):
        friedkin_johnsen_equilibrium(sp.csr_array(W), np.array([1.0, 1.0]), np.array([0.1, 0.9]))


def test_row_stochastic_gives_isolated_actors_a_self_loop():
    W = row_stochastic(sp.csr_array(np.array([[0.0, 2.0, 2.0], [1.0, 0.0, 0.0], [0, 0, 0]])))
    assert W.toarray() == pytest.approx(np.array([[0, 0.5, 0.5], [1.0, 0, 0], [0, 0, 1.0]]))


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 12),
    seed=st.integers(0, 10_000),
    lam_max=st.floats(0.05, 0.95),
)
def test_iteration_converges_to_closed_form(n, seed, lam_max):
    rng = np.random.default_rng(seed)
    W = row_stochastic(rng.random((n, n)) * (rng.random((n, n)) < 0.5))
    lam = rng.uniform(0.0, lam_max, n)
    x0 = rng.random(n)
    x = x0.copy()
    for _ in range(2000):
        x = friedkin_johnsen_step(x, x0, W, lam)
    assert np.allclose(x, friedkin_johnsen_equilibrium(W, lam, x0), atol=1e-8)
    assert np.all(x >= -1e-12) and np.all(x <= x0.max() + 1e-12)  # a convex mix of anchors


def test_model_salience_converges_to_the_equilibrium():
    """The model's own W and Λ: holding x(0) fixed, its dynamics reach x* of the closed form."""
    from sim.model.agenda import equilibrium_gap
    from tests.conftest import run_model, small_config

    model = run_model(small_config(), steps=5)
    assert model.active_opgaven
    assert equilibrium_gap(model, iterations=500) < 1e-9
    assert equilibrium_gap(model, iterations=1) > 1e-6  # one step is not yet there


def assert_same_bits(W, ties, influence):
    """W has the structure and, bitwise, the numbers of row_stochastic(ties @ diag(influence))."""
    plain = row_stochastic(ties @ sp.diags_array(influence))
    assert np.array_equal(W.indptr, plain.indptr)
    assert np.array_equal(W.indices, plain.indices)
    assert np.array_equal(W.data, plain.data)  # bitwise, not approximately


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    density=st.floats(0.0, 1.0),
    seed=st.integers(0, 10_000),
)
def test_listening_weights_equal_the_formula_in_every_bit(n, density, seed):
    # The model's trajectories rest on W: the one-pass build must give the very numbers of
    # row_stochastic(ties @ diag(influence)), isolated actors (a self-loop) included.
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (rng.random((n, n)) < density)
    A = A + A.T
    np.fill_diagonal(A, 0.0)
    ties = sp.csr_array(A)
    influence = rng.uniform(0.1, 3.0, n)
    assert_same_bits(listening_weights(ties, influence), ties, influence)


def test_listening_weights_of_a_non_canonical_matrix_equal_the_formula():
    # unsorted entries and an isolated actor: scipy's own path, so still the formula's bits
    ties = sp.csr_array(
        (np.array([1.0, 2.0, 1.0, 2.0]), np.array([2, 1, 0, 0]), np.array([0, 2, 3, 4, 4])),
        shape=(4, 4),
    )
    assert not ties.has_canonical_format
    influence = np.array([1.0, 2.0, 3.0, 1.0])
    assert_same_bits(listening_weights(ties, influence), ties, influence)


def test_listening_weights_by_hand():
    # Actor 0 hears 1 (weight 1, influence 1) and 2 (weight 1, influence 3): 1/4 and 3/4.
    ties = sp.csr_array(np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]))
    W = listening_weights(ties, np.array([2.0, 1.0, 3.0]))
    assert W.toarray() == pytest.approx(np.array([[0, 0.25, 0.75], [1, 0, 0], [1, 0, 0]]))
    alone = listening_weights(sp.csr_array((2, 2)), np.ones(2))
    assert alone.toarray() == pytest.approx(np.eye(2))


def test_iterate_is_the_step_repeated():
    rng = np.random.default_rng(5)
    W = row_stochastic(rng.random((20, 20)) * (rng.random((20, 20)) < 0.3))
    lam, x0, x = rng.random(20), rng.random((20, 3)), rng.random((20, 3))
    stepped = x
    for _ in range(4):
        stepped = friedkin_johnsen_step(stepped, x0, W, lam)
    assert np.array_equal(friedkin_johnsen_iterate(x, x0, W, lam, 4), stepped)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 30),
    k=st.integers(0, 3 * opinion.COLUMNS + 5),
    steps=st.integers(0, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_iterating_in_blocks_of_opinions_gives_the_same_bits(n, k, steps, seed):
    # the columns do not mix: a block at a time is every entry's same sum in the same order
    rng = np.random.default_rng(seed)
    ties = sp.random_array((n, n), density=0.3, rng=rng, format="csr")
    W = listening_weights(ties, rng.random(n) + 0.1)
    lam, x0, x = rng.random(n), rng.random((n, k)), rng.random((n, k))
    whole = x.copy()
    for _ in range(steps):  # all columns at once, as before the blocks
        whole = (lam[:, None] * (W @ whole)) + (1.0 - lam[:, None]) * x0
    blocked = x.copy()
    for cols in opinion.column_blocks(k):  # as talk does: in place, a block of columns a time
        friedkin_johnsen_iterate(blocked[:, cols], x0[:, cols], W, lam, steps)
    assert blocked.shape == (n, k) and blocked.tobytes() == whole.tobytes()
    assert friedkin_johnsen_iterate(x.copy(), x0, W, lam, steps).tobytes() == whole.tobytes()
    # one opinion alone (a vector) iterates to the same bits as its column among the others
    if k:
        alone = friedkin_johnsen_iterate(x[:, 0].copy(), x0[:, 0], W, lam, steps)
        assert alone.tobytes() == whole[:, 0].copy().tobytes()


def test_column_blocks_by_hand():
    def widths(k):
        return [(b.start, b.stop) for b in opinion.column_blocks(k, size=4)]

    assert widths(0) == [] and widths(1) == [(0, 1)] and widths(4) == [(0, 4)]
    assert widths(5) == [(0, 5)]  # never a lone last column: it joins the block before
    assert widths(6) == [(0, 4), (4, 6)] and widths(9) == [(0, 4), (4, 9)]
    assert widths(10) == [(0, 4), (4, 8), (8, 10)]


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 40),
    k=st.integers(1, 70),
    threads=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_product_split_by_rows_over_threads_gives_the_same_bits(n, k, threads, seed):
    # each row of W @ y is that row's own sum, whichever thread computes it
    rng = np.random.default_rng(seed)
    W = row_stochastic(sp.random_array((n, n), density=0.3, rng=rng, format="csr"))
    wide = rng.random((n, k + 3))
    y = wide[:, 1 : k + 1]  # a block of columns, as talk iterates them: not contiguous
    lam, x0 = rng.random(n), rng.random((n, k))
    with opinion.RowSplit(W, threads) as product:
        assert len(product.blocks) == threads
        assert np.array_equal(product @ y, W @ y)
        assert np.array_equal(product @ y[:, 0], W @ y[:, 0])  # one opinion
        split = friedkin_johnsen_iterate(y.copy(), x0, product, lam, 3)
    assert np.array_equal(split, friedkin_johnsen_iterate(y.copy(), x0, W, lam, 3))


def test_blas_threads_follows_the_limit_in_force():
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):  # as in an engine worker
        assert opinion.blas_threads() == 1
    with threadpool_limits(limits=2):
        assert opinion.blas_threads() == 2
