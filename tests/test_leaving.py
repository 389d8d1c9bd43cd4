"""Leaving: dropout hazard by motive."""

import numpy as np
import pytest

from sim.config.schema import DynamicsConfig, Motives
from sim.model.leaving import dropout_hazard

INTRINSIC, INTEREST, EXTERNAL = 0, 1, 2


def test_hazard_by_hand():
    base = Motives(intrinsic=0.01, interest=0.02, external=0.03)
    fade = Motives(intrinsic=0.0, interest=0.2, external=0.4)
    h = dropout_hazard(
        np.array([0, 1, 2]), np.array([0.5, 0.5, 0.5]), np.array([1.0] * 3), base, fade
    )
    assert h == pytest.approx([0.01, 0.02 + 0.1, 0.03 + 0.2])


def test_hazard_is_ordered_by_motive_with_the_defaults():
    dyn = DynamicsConfig()
    motives = np.array([INTRINSIC, INTEREST, EXTERNAL])
    for lost in (0.0, 0.3, 1.0):  # whatever share of the motive's strength is gone
        h = dropout_hazard(
            motives,
            np.full(3, 1.0 - lost),
            np.ones(3),
            dyn.leaving.hazard_base,
            dyn.leaving.hazard_fade,
        )
        assert h[0] < h[1] < h[2]


def test_pressure_that_persists_keeps_external_members_longer_than_pressure_that_fades():
    dyn = DynamicsConfig()
    held = dropout_hazard(
        np.array([EXTERNAL]),
        np.array([1.0]),
        np.array([1.0]),
        dyn.leaving.hazard_base,
        dyn.leaving.hazard_fade,
    )
    gone = dropout_hazard(
        np.array([EXTERNAL]),
        np.array([0.0]),
        np.array([1.0]),
        dyn.leaving.hazard_base,
        dyn.leaving.hazard_fade,
    )
    assert gone[0] > held[0]
