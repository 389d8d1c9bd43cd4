"""Strategies are data: a set of knob values that the mechanisms read.

The presets follow MODEL.md's table, itself drawn from the essay's table 2 ("Institutioneel
versus opgavegericht samenwerken") and its conclusion that networks and institutions complement
each other ("Netwerken vullen instituties aan"). No knob sets an outcome: each only changes who
defines, who is asked, how the work is cut and who holds the regie.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sim.config.schema import StrategyConfig


@dataclass(frozen=True)
class Knobs:
    """The six knobs of a way of working."""

    definition: str  # owner | collective: who makes sense of the challenge
    table: str  # interest | added_value: who is asked to join
    decomposition: str  # by_mandate | integral | coordinated_pieces
    follows_drift: bool  # does the definition follow the challenge as it changes shape
    citizens: str  # excluded | members
    regie: str  # owner | boundary_spanner | shared: who convenes, re-frames, recruits

    def as_dict(self) -> dict:
        return asdict(self)


PRESETS: dict[str, Knobs] = {
    "institutional": Knobs("owner", "interest", "by_mandate", False, "excluded", "owner"),
    "opgave_centred": Knobs(
        "collective", "added_value", "integral", True, "members", "boundary_spanner"
    ),
    "hybrid": Knobs("collective", "added_value", "coordinated_pieces", True, "members", "shared"),
}


def resolve_knobs(strategy: StrategyConfig) -> Knobs:
    """The preset's knobs with every knob the config sets on its own taking precedence."""
    base = PRESETS[strategy.preset].as_dict()
    for f in fields(Knobs):
        value = getattr(strategy, f.name)
        if value is not None:
            base[f.name] = value
    return Knobs(**base)
