"""Every word the app shows, in Dutch and English; the Dutch terms follow docs/glossary.md.

Metric labels come from the metric registry (:mod:`sim.model.outcomes`), so they are the same
everywhere; knob values have their own table (:data:`KNOB_VALUES`), keyed by knob and value.
Longer texts (the Info panel, the guided tour) live in :mod:`sim.app.texts`.
"""

from __future__ import annotations

from sim.model.outcomes import METRICS

LANGUAGES = ("nl", "en")

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Met de opgave verbonden",
        "tab_model": "Model",
        "tab_side": "Naast elkaar",
        "tab_info": "Info",
        "play": "▶ Start",
        "pause": "❚❚ Pauze",
        "one_step": "+1 stap",
        "reset": "Opnieuw",
        "speed": "snelheid: {n} stappen per seconde",
        "step": "stap",
        "step_n": "stap {n}",
        "tour": "Rondleiding",
        "next": "Verder ▸",
        "end_tour": "Rondleiding stoppen",
        "way_of_working": "Werkwijze",
        "world": "Wereld",
        "preset": "werkwijze",
        "n_citizens": "burgers: {n}",
        "n_institutions": "instituties: {n}",
        "n_companies": "bedrijven: {n}",
        "n_spanners": "verbinders: {n}",
        "third_share": "derde-orde opgaven: {n}%",
        "seed": "toevalsgetal",
        "bad_seed": "Het toevalsgetal moet een heel getal zijn, 0 of groter (niet „{value}”).",
        "applies": "Een wijziging begint de wereld opnieuw (stap 0).",
        "from_file": "gestart uit {file}",
        "legend": "Legenda",
        "actors": "Actoren (stippen)",
        "opgave": "opgave",
        "citizen": "burger",
        "institution": "institutie",
        "company": "bedrijf",
        "boundary_spanner": "verbinder",
        "member_dot": "grote stip: doet mee aan een initiatief",
        "opgaven": "Opgaven (vierkanten), kleur = fase",
        "square_size": "groter vierkant: meer werk te doen",
        "initiative": "initiatief, hangt aan zijn opgave",
        "coordinated": "initiatief werkt met de rest samen",
        "uncoordinated": "initiatief staat los van de rest (versnipperd)",
        "tie": "band tussen twee actoren",
        "highlight": "waar het nu om gaat",
        "latent": "sluimerend",
        "signalled": "gesignaleerd",
        "agenda": "op de agenda",
        "mobilised": "gemobiliseerd",
        "realising": "in uitvoering",
        "resolved": "opgelost",
        "orphaned": "verweesd",
        "chart_outcomes": "Hoe gaat het met de opgaven?",
        "chart_participation": "Wie doet er mee?",
        "axis_share": "aandeel (0 tot 1)",
        "left": "links",
        "right": "rechts",
        "institutional": "institutioneel",
        "opgave_centred": "opgavegericht",
        "hybrid": "hybride",
        "same_world": "Dezelfde wereld en hetzelfde toevalsgetal, twee werkwijzen.",
        "language": "taal",
    },
    "en": {
        "title": "Connected to the challenge",
        "tab_model": "Model",
        "tab_side": "Side by side",
        "tab_info": "Info",
        "play": "▶ Go",
        "pause": "❚❚ Pause",
        "one_step": "+1 step",
        "reset": "Reset",
        "speed": "speed: {n} steps per second",
        "step": "step",
        "step_n": "step {n}",
        "tour": "Guided tour",
        "next": "Next ▸",
        "end_tour": "End the tour",
        "way_of_working": "Way of working",
        "world": "World",
        "preset": "way of working",
        "n_citizens": "citizens: {n}",
        "n_institutions": "institutions: {n}",
        "n_companies": "companies: {n}",
        "n_spanners": "boundary spanners: {n}",
        "third_share": "third-order challenges: {n}%",
        "seed": "random seed",
        "bad_seed": "The seed must be a whole number, 0 or more (not “{value}”).",
        "applies": "A change starts the world afresh (step 0).",
        "from_file": "started from {file}",
        "legend": "Legend",
        "actors": "Actors (dots)",
        "opgave": "challenge",
        "citizen": "citizen",
        "institution": "institution",
        "company": "company",
        "boundary_spanner": "boundary spanner",
        "member_dot": "large dot: member of an initiative",
        "opgaven": "Challenges (squares), colour = stage",
        "square_size": "larger square: more work left",
        "initiative": "initiative, tied to its challenge",
        "coordinated": "initiative works with the rest",
        "uncoordinated": "initiative on its own (fragmented)",
        "tie": "tie between two actors",
        "highlight": "what this is about",
        "latent": "latent",
        "signalled": "signalled",
        "agenda": "on the agenda",
        "mobilised": "mobilised",
        "realising": "being realised",
        "resolved": "resolved",
        "orphaned": "orphaned",
        "chart_outcomes": "How are the challenges doing?",
        "chart_participation": "Who takes part?",
        "axis_share": "share (0 to 1)",
        "left": "left",
        "right": "right",
        "institutional": "institutional",
        "opgave_centred": "challenge-centred",
        "hybrid": "hybrid",
        "same_world": "The same world and the same seed, two ways of working.",
        "language": "language",
    },
}

# The knobs of a way of working (sim/model/strategy.py) and their values, as the app names them.
KNOB_NAMES: dict[str, dict[str, str]] = {
    "nl": {
        "definition": "wie duidt de opgave",
        "table": "wie komt aan tafel",
        "decomposition": "hoe wordt het werk verdeeld",
        "follows_drift": "duiding volgt de opgave",
        "citizens": "burgers",
        "regie": "wie heeft de regie",
    },
    "en": {
        "definition": "who defines the challenge",
        "table": "who is asked to join",
        "decomposition": "how the work is cut",
        "follows_drift": "definition follows the challenge",
        "citizens": "citizens",
        "regie": "who holds the regie",
    },
}
KNOB_CHOICES: dict[str, list[str]] = {
    "definition": ["owner", "collective"],
    "table": ["interest", "added_value"],
    "decomposition": ["by_mandate", "integral", "coordinated_pieces"],
    "follows_drift": ["yes", "no"],
    "citizens": ["excluded", "members"],
    "regie": ["owner", "boundary_spanner", "shared"],
}
KNOB_VALUES: dict[str, dict[tuple[str, str], str]] = {
    "nl": {
        ("*", "preset"): "volgens de werkwijze",
        ("definition", "owner"): "de eigenaar alleen",
        ("definition", "collective"): "iedereen aan tafel",
        ("table", "interest"): "wie er belang bij heeft",
        ("table", "added_value"): "wie iets toevoegt",
        ("decomposition", "by_mandate"): "opgeknipt per mandaat",
        ("decomposition", "integral"): "heel gehouden",
        ("decomposition", "coordinated_pieces"): "in afgestemde delen",
        ("follows_drift", "yes"): "ja",
        ("follows_drift", "no"): "nee",
        ("citizens", "excluded"): "doen niet mee",
        ("citizens", "members"): "doen mee",
        ("regie", "owner"): "de eigenaar",
        ("regie", "boundary_spanner"): "een verbinder",
        ("regie", "shared"): "gedeeld",
    },
    "en": {
        ("*", "preset"): "as way of working",
        ("definition", "owner"): "the owner alone",
        ("definition", "collective"): "everyone at the table",
        ("table", "interest"): "those with an interest",
        ("table", "added_value"): "those who add something",
        ("decomposition", "by_mandate"): "cut by mandate",
        ("decomposition", "integral"): "kept whole",
        ("decomposition", "coordinated_pieces"): "in coordinated pieces",
        ("follows_drift", "yes"): "yes",
        ("follows_drift", "no"): "no",
        ("citizens", "excluded"): "stay out",
        ("citizens", "members"): "take part",
        ("regie", "owner"): "the owner",
        ("regie", "boundary_spanner"): "a boundary spanner",
        ("regie", "shared"): "shared",
    },
}


def label(key: str, language: str = "nl", **values: object) -> str:
    """The label for ``key`` in ``language`` (metric labels from the registry), with
    ``{placeholders}`` filled from ``values``; an unknown key is returned as it is."""
    if key in METRICS:
        return METRICS[key].label_in(language)
    text = LABELS.get(language, LABELS["nl"]).get(key, key)
    return text.format(**values) if values else text


def number(value: float, language: str = "nl", digits: int = 2) -> str:
    """A number as the language writes it: 0,25 in Dutch, 0.25 in English."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "nl" else text


def knob_name(knob: str, language: str = "nl") -> str:
    """The name of a knob as the control shows it."""
    return KNOB_NAMES[language][knob]


def knob_value(knob: str, value: str, language: str = "nl") -> str:
    """The name of a knob's value as the control shows it ("preset": follow the way of working)."""
    table = KNOB_VALUES[language]
    return table.get((knob, value)) or table.get(("*", value)) or value
