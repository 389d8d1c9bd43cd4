"""The growable struct-of-arrays behind initiatives and memberships."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from sim.model.tables import Table


def table(capacity: int = 2) -> Table:
    return Table({"who": (np.int64, ()), "scope": (bool, (3,))}, capacity=capacity)


def test_columns_are_views_of_the_filled_rows_across_growth():
    t = table(capacity=2)
    assert t.who.shape == (0,) and t.scope.shape == (0, 3)
    for k in range(5):  # grows twice (2 -> 4 -> 8)
        assert t.append(who=10 + k, scope=[k % 2 == 0, True, False]) == k
    assert len(t) == 5
    assert t.who.tolist() == [10, 11, 12, 13, 14]
    assert t.scope[:, 0].tolist() == [True, False, True, False, True]


def test_writes_through_a_column_reach_the_table_and_survive_an_append():
    t = table(capacity=1)
    t.append(who=1)
    t.scope[0] |= np.array([False, True, False])
    t.who[:] = 7
    t.append(who=2)  # grows: the column arrays are new
    assert t.who.tolist() == [7, 2]
    assert t.scope[0].tolist() == [False, True, False]


def test_a_pickled_table_still_writes_to_its_own_columns():
    t = table()
    t.append(who=1)
    copy = pickle.loads(pickle.dumps(t))
    copy.who[0] = 5
    copy.append(who=2)
    assert copy.who.tolist() == [5, 2]
    assert t.who.tolist() == [1]


def test_a_failed_append_leaves_the_columns_writing_to_the_table():
    t = table(capacity=1)
    t.append(who=1)
    with pytest.raises(KeyError):
        t.append(nobody=2)  # grows, then fails on the unknown column
    t.who[0] = 7
    assert t._data["who"][0] == 7
