"""The app's longer texts in Dutch and English: the Info panel (in the manner of NetLogo's Info
tab) and the scenes of the guided tour ("Rondleiding")."""

from __future__ import annotations

from dataclasses import dataclass

from sim.app.events import FRAGMENTED, ORPHANED, SPANNER_REGIE

INFO: dict[str, str] = {
    "nl": """
### Wat is het?
Een simulatie van netwerken die ontstaan rond **maatschappelijke opgaven**, naar het essay
*Met de opgave verbonden* van Manon de Caluwé en Edwin Kaats. Het vergelijkt twee manieren van
samenwerken: **institutioneel** (ieder vanuit het eigen mandaat) en **opgavegericht** (de opgave
bepaalt wie aan tafel komt), en een mengvorm (**hybride**).

### Hoe werkt het?
Burgers, instituties, bedrijven en verbinders (stippen) zien elk een deel van een opgave
(vierkant). Wie een opgave ziet, signaleert haar; met genoeg steun komt ze op de agenda. Dan
ontstaan initiatieven (ruitjes) die partijen vragen mee te doen; wie meedoet, werkt aan de opgave
tot ze is opgelost. Een opgave waar niemand meer aan werkt terwijl ze urgent is, raakt verweesd.
De werkwijze bepaalt wie de opgave duidt, wie aan tafel komt, hoe het werk wordt verdeeld en wie
de regie heeft.

### Waar moet je op letten?
- Rode stippellijnen: initiatieven van één opgave die los van elkaar werken (versnippering).
- Paarse vierkanten: verweesde opgaven.
- Hoe snel vierkanten krimpen: zo snel wordt het werk gedaan.
- De grafieken: versnippering, collectieve effectiviteit en wie er meedoet.

### Wat kun je proberen?
- Zet *hoe wordt het werk verdeeld* op *heel gehouden* en kijk naar de rode lijnen.
- Laat burgers wel of niet meedoen en kijk naar de deelname.
- Zet het aantal verbinders op 0: wie neemt dan de regie?
- Vergelijk op het tabblad *Naast elkaar* twee werkwijzen in dezelfde wereld.

### Over het model
Gestileerd, niet gekalibreerd: het laat mechanismen zien, geen voorspellingen. De begrippen
staan in `docs/glossary.md`, het model in `docs/ODD.md`.
""",
    "en": """
### What is it?
A simulation of networks forming around **societal challenges** (*opgaven*), after the Dutch
essay *Met de opgave verbonden* by Manon de Caluwé and Edwin Kaats. It compares two ways of
working: **institutional** (each from its own mandate) and **challenge-centred** (the challenge
decides who comes to the table), and a mix of both (**hybrid**).

### How it works
Citizens, institutions, companies and boundary spanners (dots) each see part of a challenge
(square). Whoever sees a challenge signals it; with enough support it gets on the agenda.
Initiatives (diamonds) then form and ask parties to join; members work on the challenge until it
is resolved. A challenge nobody works on while it is urgent becomes orphaned. The way of working
sets who defines the challenge, who is asked to join, how the work is cut and who holds the regie
(the lead role).

### Things to notice
- Red dashed lines: initiatives of one challenge that work apart (fragmentation).
- Purple squares: orphaned challenges.
- How fast squares shrink: that is how fast the work gets done.
- The charts: fragmentation, collective effectiveness and who takes part.

### Things to try
- Set *how the work is cut* to *kept whole* and watch the red lines.
- Let citizens take part or stay out and watch participation.
- Set the number of boundary spanners to 0: who takes the lead then?
- Compare two ways of working in the same world on the *Side by side* tab.

### About the model
Stylised, not calibrated: it shows mechanisms, not forecasts. The terms are in
`docs/glossary.md`, the model in `docs/ODD.md`.
""",
}


@dataclass(frozen=True)
class Scene:
    """One scene of the tour: the way of working it starts (None: carry on), the moment it waits
    for (None: show at once) and its text in both languages."""

    key: str
    preset: str | None
    waits_for: str | None
    text: dict[str, str]


SCENES: tuple[Scene, ...] = (
    Scene(
        "intro",
        "institutional",
        None,
        {
            "nl": "Stippen zijn burgers, instituties, bedrijven en verbinders; vierkanten zijn "
            "opgaven. We beginnen institutioneel: ieder werkt vanuit het eigen mandaat.",
            "en": "Dots are citizens, institutions, companies and boundary spanners; squares are "
            "challenges. We start institutional: each works from its own mandate.",
        },
    ),
    Scene(
        FRAGMENTED,
        None,
        FRAGMENTED,
        {
            "nl": "De omcirkelde opgave is opgeknipt in hapklare brokken. De initiatieven aan de "
            "rode stippellijn werken niet samen: de opgave is versnipperd.",
            "en": "The ringed challenge has been cut into bite-sized pieces. The initiatives on "
            "the red dashed line do not work together: the challenge is fragmented.",
        },
    ),
    Scene(
        ORPHANED,
        None,
        ORPHANED,
        {
            "nl": "Deze opgave is verweesd (paars): ze is urgent, maar niemand werkt er meer "
            "aan. Een deel ervan past in geen enkel mandaat.",
            "en": "This challenge is orphaned (purple): it is urgent, but nobody works on it any "
            "more. Part of it fits no one's mandate.",
        },
    ),
    Scene(
        SPANNER_REGIE,
        "opgave_centred",
        SPANNER_REGIE,
        {
            "nl": "Dezelfde wereld, nu opgavegericht. Een verbinder (turquoise stip in de ring) "
            "neemt de regie: hij brengt de partijen rond de opgave samen en houdt haar heel.",
            "en": "The same world, now challenge-centred. A boundary spanner (teal dot in the "
            "ring) takes the regie: it brings the parties together and keeps the challenge whole.",
        },
    ),
    Scene(
        "free",
        None,
        None,
        {
            "nl": "Nu jij. Kies links een werkwijze of draai aan één knop en kijk wat er "
            "verandert. Op het tabblad Naast elkaar vergelijk je twee werkwijzen.",
            "en": "Your turn. Pick a way of working on the left or turn one knob and see what "
            "changes. The Side by side tab compares two ways of working.",
        },
    ),
)

WAITING = {
    "nl": "We spelen door tot het gebeurt …",
    "en": "Playing on until it happens …",
}
NOT_SEEN = {
    "nl": "Dit gebeurde niet binnen {n} stappen. Kies Verder.",
    "en": "This did not happen within {n} steps. Choose Next.",
}
TOUR_LIMIT = 150  # steps a scene waits for its moment before it gives up
