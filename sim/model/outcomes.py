"""The metric registry: one record per outcome the model reports, and everything derived from it.

Each record says what a metric is (its reporter function), how to read it (cumulative over the
run, so its final value is the run's; or a state, a snapshot that is steadier as a run mean),
what kind of number it is (a share, a count, steps, a ratio), its English and Dutch label (Dutch
terms after docs/glossary.md), whether it is a headline outcome and whether higher is better.
The DataCollector's reporters, the CLI summary, the comparison's default metrics, figure and app
labels and the validation's reading rule all come from here; a new metric is one record.
(EMA Workbench's ``ScalarOutcome`` and Starsim's ``Result`` are the pattern.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Literal

from sim.model import metrics as m
from sim.model.actors import ACTOR_CLASSES

if TYPE_CHECKING:
    from sim.model.model import OpgaveModel

Kind = Literal["cumulative", "state"]
Unit = Literal["share", "count", "steps", "ratio", "need"]


@dataclass(frozen=True)
class Metric:
    """One outcome of a run, reported every step."""

    name: str
    report: Callable[[OpgaveModel], float]
    label: str  # English
    label_nl: str  # Dutch
    kind: Kind
    unit: Unit
    headline: bool = False  # compared by default (``opgaven compare``, the report)
    summary: bool = False  # shown in ``opgaven run``'s closing table
    higher_is_better: bool | None = None  # None: neither (descriptive)

    def label_in(self, language: str) -> str:
        """The label in ``language`` ("nl" or "en")."""
        return self.label_nl if language == "nl" else self.label


_PARTICIPATION_NL = {
    "citizen": "deelname burgers",
    "institution": "deelname instituties",
    "company": "deelname bedrijven",
    "boundary_spanner": "deelname verbinders",
}

_RECORDS: tuple[Metric, ...] = (
    Metric("fragmentation", m.fragmentation, "fragmentation", "versnippering",
           "state", "share", headline=True, summary=True, higher_is_better=False),
    Metric("collective_effectiveness", m.collective_effectiveness, "collective effectiveness",
           "collectieve effectiviteit", "cumulative", "share", headline=True, summary=True,
           higher_is_better=True),
    Metric("efficiency", m.efficiency, "efficiency (value / effort)",
           "doelmatigheid (waarde per inspanning)", "cumulative", "ratio", headline=True,
           summary=True, higher_is_better=True),
    Metric("orphaned_share", m.orphaned_share, "orphaned share of need",
           "verweesd deel van de behoefte", "state", "share", headline=True, summary=True,
           higher_is_better=False),
    Metric("orphaned_count", m.orphaned_count, "orphaned challenges", "verweesde opgaven",
           "cumulative", "count", summary=True, higher_is_better=False),
    Metric("definition_completeness", m.definition_completeness, "definition completeness",
           "volledigheid van de duiding", "state", "share", headline=True, summary=True,
           higher_is_better=True),
    Metric("agenda_latency", m.agenda_latency, "agenda latency (steps)",
           "tijd tot de agenda (stappen)", "state", "steps", summary=True,
           higher_is_better=False),
    Metric("coordination_cost_share", m.coordination_cost_share, "coordination cost share",
           "aandeel coördinatiekosten", "cumulative", "share", headline=True, summary=True,
           higher_is_better=False),
    Metric("mean_sensitivity", m.mean_sensitivity, "mean opgave sensitivity",
           "gemiddelde opgavegevoeligheid", "state", "share", summary=True,
           higher_is_better=True),
    Metric("open_backlog", m.open_backlog, "open backlog (remaining need)",
           "openstaande opgave (resterende behoefte)", "state", "need", summary=True,
           higher_is_better=False),
    Metric("active_opgaven", m.active_opgaven, "active challenges", "lopende opgaven",
           "state", "count", summary=True),
    Metric("resolved_opgaven", m.resolved_opgaven, "resolved challenges", "opgeloste opgaven",
           "cumulative", "count", summary=True, higher_is_better=True),
    *(
        Metric(f"participation_{cls.key}", partial(m.participation, type_code=cls.type_code),
               f"participation of {cls.key.replace('_', ' ')}s", _PARTICIPATION_NL[cls.key],
               "state", "share")
        for cls in ACTOR_CLASSES
    ),
    Metric("network_density", m.network_density, "network density", "dichtheid van het netwerk",
           "state", "share"),
    Metric("cross_domain_tie_share", m.cross_domain_tie_share, "share of ties across domains",
           "aandeel banden over domeinen heen", "state", "share"),
)  # fmt: skip

METRICS: dict[str, Metric] = {rec.name: rec for rec in _RECORDS}

# -- derived views --------------------------------------------------------------------------------
MODEL_REPORTERS: dict[str, Callable[[OpgaveModel], float]] = {
    name: rec.report for name, rec in METRICS.items()
}
HEADLINE: tuple[str, ...] = tuple(name for name, rec in METRICS.items() if rec.headline)
SUMMARY: tuple[str, ...] = tuple(name for name, rec in METRICS.items() if rec.summary)
CUMULATIVE: frozenset[str] = frozenset(n for n, rec in METRICS.items() if rec.kind == "cumulative")
SHARES: tuple[str, ...] = tuple(name for name, rec in METRICS.items() if rec.unit == "share")


def label(name: str, language: str = "en") -> str:
    """A metric's label in ``language``; an unknown name is returned as it is."""
    rec = METRICS.get(name)
    return rec.label_in(language) if rec else name


def higher_is_better(name: str) -> bool:
    """Whether a higher value of ``name`` is better (True for descriptive metrics)."""
    rec = METRICS.get(name)
    return True if rec is None or rec.higher_is_better is None else rec.higher_is_better
