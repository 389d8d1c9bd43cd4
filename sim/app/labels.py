"""Labels in Dutch and English; the Dutch terms follow docs/glossary.md. Metric labels come from
the metric registry (:mod:`sim.model.outcomes`), so they are the same everywhere."""

from __future__ import annotations

from sim.model.outcomes import METRICS

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Met de opgave verbonden",
        "network": "Netwerk rond de opgaven",
        "citizen": "burger",
        "institution": "institutie",
        "company": "bedrijf",
        "boundary_spanner": "verbinder (boundary spanner)",
        "opgave": "opgave",
        "initiative": "initiatief",
        "participation": "deelname",
        "signalled": "gesignaleerd",
        "agenda": "geagendeerd",
        "mobilised": "gemobiliseerd",
        "realising": "in realisatie",
        "resolved": "opgelost",
        "orphaned": "verweesd",
        "latent": "latent",
        "uncoordinated": "niet gecoördineerd (versnipperd)",
        "step": "stap",
        "language": "taal",
        "side_by_side": "Naast elkaar",
        "left": "links",
        "right": "rechts",
        "step_both": "Stap (beide)",
        "ten_steps": "10 stappen",
        "reset": "Opnieuw",
        "institutional": "institutioneel",
        "opgave_centred": "opgavegericht",
        "hybrid": "hybride",
        "sensitivity": "opgavegevoeligheid",
    },
    "en": {
        "title": "Connected to the challenge",
        "network": "Network around the challenges",
        "citizen": "citizen",
        "institution": "institution",
        "company": "company",
        "boundary_spanner": "boundary spanner",
        "opgave": "challenge",
        "initiative": "initiative",
        "participation": "participation",
        "signalled": "signalled",
        "agenda": "on the agenda",
        "mobilised": "mobilised",
        "realising": "realising",
        "resolved": "resolved",
        "orphaned": "orphaned",
        "latent": "latent",
        "uncoordinated": "not coordinated (fragmented)",
        "step": "step",
        "language": "language",
        "side_by_side": "Side by side",
        "left": "left",
        "right": "right",
        "step_both": "Step (both)",
        "ten_steps": "10 steps",
        "reset": "Reset",
        "institutional": "institutional",
        "opgave_centred": "opgave-centred",
        "hybrid": "hybrid",
        "sensitivity": "opgave sensitivity",
    },
}


def label(key: str, language: str = "nl") -> str:
    """The label for ``key`` in ``language`` (falls back to the key itself)."""
    if key in METRICS:
        return METRICS[key].label_in(language)
    return LABELS.get(language, LABELS["en"]).get(key, key)
