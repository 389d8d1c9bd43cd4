"""A growable struct-of-arrays: rows appended one by one, columns read as numpy views.

Initiatives and memberships live in these tables so that realisation and leaving work on all
of them at once instead of looping over Python objects.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Table:
    """Columns of equal length that grow by doubling; ``table.col`` is a view of the filled rows.

    The views are plain attributes, renewed whenever a row is added (reads outnumber appends
    some twenty to one, and a step reads them tens of thousands of times)."""

    def __init__(self, columns: dict[str, tuple[Any, tuple[int, ...]]], capacity: int = 64):
        self._spec = columns
        self._data = {
            name: np.zeros((capacity, *shape), dtype=dtype)
            for name, (dtype, shape) in columns.items()
        }
        taken = set(columns) & set(dir(self))
        assert not taken, f"column names {sorted(taken)} are the table's own attributes"
        self.n = 0
        self._renew_views()

    def __len__(self) -> int:
        return self.n

    def _renew_views(self) -> None:
        for name, arr in self._data.items():
            setattr(self, name, arr[: self.n])

    def __getstate__(self) -> dict[str, Any]:
        # the views are not state: copied apart from their arrays they would stop writing to them
        return {k: v for k, v in self.__dict__.items() if k not in self._data}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._renew_views()

    def _grow(self, needed: int) -> None:
        capacity = next(iter(self._data.values())).shape[0]
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity)
        for name, arr in self._data.items():
            grown = np.zeros((new_capacity, *arr.shape[1:]), dtype=arr.dtype)
            grown[: self.n] = arr[: self.n]
            self._data[name] = grown
        self._renew_views()  # the views point at the new arrays even if the append then fails

    def append(self, **values: Any) -> int:
        """Add one row (unnamed columns stay zero) and return its index."""
        self._grow(self.n + 1)
        row = self.n
        for name, value in values.items():
            self._data[name][row] = value
        self.n += 1
        self._renew_views()
        return row
