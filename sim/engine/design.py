"""Design tables: the parameter points of an experiment (grid, LHS, Sobol/Saltelli, Morris).

Samplers come from scipy.stats.qmc (LHS) and SALib (Sobol, Morris); the table is what gets
stored, so an analysis can be redone from it.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.engine.spec import Design


def salib_problem(design: Design) -> dict:
    names = list(design.parameters)
    bounds = [[design.parameters[n].low, design.parameters[n].high] for n in names]
    return {"num_vars": len(names), "names": names, "bounds": bounds}


def design_table(design: Design, seed: int) -> pd.DataFrame:
    """One row per design point: ``point`` and a column per parameter.

    A grid parameter given as named levels stores the level's name; its value is looked up
    with :func:`override_value`. Without parameters the design is one empty point.
    """
    names = list(design.parameters)
    if not names:
        return pd.DataFrame({"point": [0]})
    if design.kind == "grid":
        axes = [
            list(v.keys()) if isinstance(v, dict) else list(v) for v in design.parameters.values()
        ]
        rows = list(itertools.product(*axes))
        values = {n: [r[i] for r in rows] for i, n in enumerate(names)}
    elif design.kind == "lhs":
        unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(seed)).random(
            design.samples
        )
        problem = salib_problem(design)
        low, high = np.array(problem["bounds"]).T
        sample = qmc.scale(unit, low, high)
        values = {n: sample[:, i] for i, n in enumerate(names)}
    elif design.kind == "sobol":
        from SALib.sample import sobol

        sample = sobol.sample(
            salib_problem(design),
            design.samples,
            calc_second_order=design.second_order,
            seed=seed,
        )
        values = {n: sample[:, i] for i, n in enumerate(names)}
    else:
        from SALib.sample import morris

        sample = morris.sample(
            salib_problem(design), design.samples, num_levels=design.levels, seed=seed
        )
        values = {n: sample[:, i] for i, n in enumerate(names)}
    table = pd.DataFrame(values)
    table.insert(0, "point", np.arange(len(table)))
    return table


def expected_size(design: Design) -> int:
    """How many points a design makes (what SALib and qmc promise)."""
    d = len(design.parameters)
    if d == 0:
        return 1
    if design.kind == "grid":
        return int(np.prod([len(v) for v in design.parameters.values()]))
    if design.kind == "lhs":
        return design.samples
    if design.kind == "sobol":
        return design.samples * (2 * d + 2 if design.second_order else d + 2)
    return design.samples * (d + 1)


def override_value(design: Design, name: str, cell: Any) -> Any:
    """The config value for a design cell: a named level's value, or the cell itself."""
    spec = design.parameters[name]
    if isinstance(spec, dict):
        return spec[cell]
    if isinstance(cell, np.generic):
        return cell.item()
    return cell
