"""A way of working is a bundle of knob objects; the presets name three bundles.

The presets follow the essay's table 2 ("Institutioneel versus opgavegericht samenwerken") and its
conclusion that networks and institutions complement each other ("Netwerken vullen instituties
aan"). No knob sets an outcome: each only changes who defines, who is asked, how the work is cut
and who holds the regie; the mechanisms call the knob objects' methods.

To add a way of working: write one knob object beside its kin (e.g. a new ``Decomposition`` in
:mod:`sim.model.decomposition`), register it in that module's dict, add its name to the schema's
``Literal`` (``sim/config/schema.py``), and, if it makes a new preset, add one line to ``PRESETS``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from sim.config.schema import StrategyConfig
from sim.model.decomposition import DECOMPOSITIONS, Decomposition
from sim.model.recruitment import CITIZENS, TABLES, Citizens, Table
from sim.model.regie import REGIES, Regie
from sim.model.sensemaking import DEFINITIONS, Definition

# knob -> its objects by name
CHOICES: dict[str, dict] = {
    "definition": DEFINITIONS,
    "table": TABLES,
    "decomposition": DECOMPOSITIONS,
    "citizens": CITIZENS,
    "regie": REGIES,
}


@dataclass(frozen=True)
class Strategy:
    """The six knobs of a way of working, as the objects the mechanisms call."""

    definition: Definition  # owner | collective: who makes sense of the challenge
    table: Table  # interest | added_value: who is asked to join
    decomposition: Decomposition  # by_mandate | integral | coordinated_pieces
    follows_drift: bool  # does the work follow the challenge as it changes shape
    citizens: Citizens  # excluded | members
    regie: Regie  # owner | boundary_spanner | shared: who convenes, re-frames, recruits

    def as_dict(self) -> dict[str, str | bool]:
        """The knobs by name, e.g. for a manifest or a report."""
        return {
            f.name: v if isinstance(v := getattr(self, f.name), bool) else v.name
            for f in fields(self)
        }


PRESETS: dict[str, dict[str, str | bool]] = {
    "institutional": dict(
        definition="owner", table="interest", decomposition="by_mandate",
        follows_drift=False, citizens="excluded", regie="owner",
    ),
    "opgave_centred": dict(
        definition="collective", table="added_value", decomposition="integral",
        follows_drift=True, citizens="members", regie="boundary_spanner",
    ),
    "hybrid": dict(
        definition="collective", table="added_value", decomposition="coordinated_pieces",
        follows_drift=True, citizens="members", regie="shared",
    ),
}  # fmt: skip


def resolve_knobs(strategy: StrategyConfig) -> Strategy:
    """The preset's knobs with every knob the config sets on its own taking precedence."""
    names = dict(PRESETS[strategy.preset])
    for knob in names:
        value = getattr(strategy, knob)
        if value is not None:
            names[knob] = value
    return Strategy(**{k: CHOICES[k][v] if k in CHOICES else bool(v) for k, v in names.items()})
