"""How many threads a run computes with. One BLAS thread each in a worker, since the workers
are the parallelism and BLAS threads of their own would only compete for the same cores (at
100,000 actors a run used 58% more CPU with two BLAS threads than with one, for no gain in
time). One BLAS thread also in a lone run, whose own cores go to talk's product instead
(:func:`lone_run`). A user who has set any of the variables below keeps their choice
everywhere."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from threadpoolctl import threadpool_limits

from sim.opinion import blas_threads

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel

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


@contextmanager
def one_blas_thread_meanwhile() -> Iterator[None]:
    """This process's BLAS at one thread until the block ends (a user's choice is kept), so
    runs in this process compute as the engine's workers do: at city-like shapes BLAS's
    thread count can change the last bits of the model's dense products."""
    if user_chose():
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@contextmanager
def lone_run(model: OpgaveModel) -> Iterator[None]:
    """For ``model`` run alone in this process: its talk may split over the cores BLAS was given
    here (one in a worker), and BLAS keeps to one thread meanwhile. The model's dense products
    are small (actors x a few domains), so BLAS's own threads mostly spin beside the run
    (``large.yaml``: 39-47 s of CPU for 21-26 s with OpenBLAS's default two threads, 22-24 s of
    CPU for 20-22 s this way), and the run computes as an engine worker does (``large.yaml``'s
    numbers are the same either way; a city's need not be)."""
    model.talk_threads = blas_threads()
    with one_blas_thread_meanwhile():
        yield
