"""Shared helpers: small, fast scenarios built from the defaults plus overrides."""

from __future__ import annotations

import numpy as np
import pytest

from sim import OpgaveModel, load_config
from sim.model.opgave import Opgave
from sim.model.streams import opgave_path

SMALL = [
    "actors.citizen.count=40",
    "actors.institution.count=10",
    "actors.company.count=6",
    "actors.boundary_spanner.count=3",
    "opgaven.initial=4",
    "opgaven.arrival_rate=0.1",
    "steps=40",
]


def small_config(*overrides: str):
    """A small world (59 actors, a handful of challenges, 40 steps) with extra overrides."""
    return load_config(None, [*SMALL, *overrides])


def run_model(config, steps: int | None = None) -> OpgaveModel:
    model = OpgaveModel(config)
    model.run_for(config.steps if steps is None else steps)
    return model


def add_challenge(
    model: OpgaveModel,
    need,
    order: int = 2,
    sigma: float = 0.5,
    urgency: float = 0.6,
    business_case: float = 0.5,
) -> Opgave:
    """Put one hand-made challenge (in every region) into ``model`` and return it."""
    need = np.asarray(need, dtype=float)
    op = Opgave(
        uid=len(model.opgaven),
        order=order,
        need=need,
        remaining=need.copy(),
        sigma=sigma,
        regions=np.ones(model.world.n_regions, dtype=bool),
        urgency=urgency,
        business_case=business_case,
        emerged=model.steps,
        path=opgave_path(model.seed_sequence, len(model.opgaven)),
    )
    model.add_opgave(op)
    return op


@pytest.fixture
def small():
    return small_config
