"""A growable struct-of-arrays: rows appended one by one, columns read as numpy views.

Initiatives and memberships live in these tables so that realisation and leaving work on all
of them at once instead of looping over Python objects.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Table:
    """Columns of equal length that grow by doubling; ``table.col`` is a view of the filled rows."""

    def __init__(self, columns: dict[str, tuple[Any, tuple[int, ...]]], capacity: int = 64):
        self._spec = columns
        self._data = {
            name: np.zeros((capacity, *shape), dtype=dtype)
            for name, (dtype, shape) in columns.items()
        }
        self.n = 0

    def __len__(self) -> int:
        return self.n

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is None or name not in data:
            raise AttributeError(name)
        return data[name][: self.n]

    def _grow(self, needed: int) -> None:
        capacity = next(iter(self._data.values())).shape[0]
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity)
        for name, arr in self._data.items():
            grown = np.zeros((new_capacity, *arr.shape[1:]), dtype=arr.dtype)
            grown[: self.n] = arr[: self.n]
            self._data[name] = grown

    def append(self, **values: Any) -> int:
        """Add one row (unnamed columns stay zero) and return its index."""
        self._grow(self.n + 1)
        row = self.n
        for name, value in values.items():
            self._data[name][row] = value
        self.n += 1
        return row
