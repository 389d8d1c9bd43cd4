"""How many threads a worker computes with: one BLAS thread each, since the workers are the
parallelism and BLAS threads of their own would only compete for the same cores (at 100,000
actors a run used 58% more CPU with two BLAS threads than with one, for no gain in time).
A user who has set any of the variables below keeps their choice everywhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def user_chose() -> bool:
    return any(name in os.environ for name in BLAS_THREADS)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Processes started inside get one BLAS thread each (read when they load BLAS)."""
    if user_chose():
        yield
        return
    try:
        os.environ.update(dict.fromkeys(BLAS_THREADS, "1"))
        yield
    finally:
        for name in BLAS_THREADS:
            os.environ.pop(name, None)


def one_blas_thread_here() -> None:
    """This process computes with one BLAS thread from now on: for a worker forked from a
    process whose BLAS had started its own threads."""
    if not user_chose():
        threadpool_limits(limits=1)
