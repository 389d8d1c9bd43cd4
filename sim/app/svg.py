"""The app's pictures as SVG and HTML text: the network view, its legend and the line charts.

SVG text is built in a few milliseconds and drawn by the browser itself, so the page needs no
JavaScript of its own and nothing from the internet; a matplotlib frame took ~0.2 s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

import networkx as nx
import numpy as np

from sim.app.labels import label, number
from sim.app.layout import RADIUS
from sim.app.network_view import STATUS_COLOURS, TYPE_COLOURS
from sim.model.opgave import Status

VIEW = RADIUS + 0.08  # half the width of the view: the disk and a margin for the squares
HIGHLIGHT = "#0070c0"
LINE_STYLES = {
    "tie": 'stroke="#d0d0d0" stroke-width="0.6"',
    "member": 'stroke="#a0a0a0" stroke-width="1"',
    "held": 'stroke="#404040" stroke-width="1.6"',
    "loose": 'stroke="#c00000" stroke-width="2" stroke-dasharray="5 4"',
    "link": 'stroke="#404040" stroke-width="1.2"',
}


def _xy(p: np.ndarray) -> str:
    return f"{p[0]:.3f} {p[1]:.3f}"


def _square_side(need_left: float, need: float) -> float:
    return 0.035 + 0.07 * float(np.sqrt(need_left / max(need, 1e-9)))


def network_svg(G: nx.Graph, pos: Mapping[str, np.ndarray], highlight: Iterable[str] = ()) -> str:
    """The network as SVG: lines first, then actors, initiatives and challenges on top."""
    paths: dict[str, list[str]] = {kind: [] for kind in LINE_STYLES}
    for u, v, d in G.edges(data=True):
        kind = d["kind"]
        if kind == "sees":  # for the layout only
            continue
        if kind == "belongs":
            kind = "held" if d["coordinated"] else "loose"
        paths[kind].append(f"M{_xy(pos[u])}L{_xy(pos[v])}")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{-VIEW} {-VIEW} {2 * VIEW} {2 * VIEW}"'
        ' width="100%" height="100%" preserveAspectRatio="xMidYMid meet">'
        '<g fill="none" vector-effect="non-scaling-stroke">'
    ]
    for kind, style in LINE_STYLES.items():
        if paths[kind]:
            d = "".join(paths[kind])
            parts.append(f'<path d="{d}" {style} vector-effect="non-scaling-stroke"/>')
    parts.append("</g>")
    nodes = G.nodes(data=True)
    for n, d in nodes:
        if d["kind"] == "actor":
            r = 0.016 if d["member"] else 0.009
            x, y = pos[n]
            colour = TYPE_COLOURS[d["type"]]
            parts.append(f'<circle cx="{x:.3f}" cy="{y:.3f}" r="{r}" fill="{colour}"/>')
    for n, d in nodes:
        if d["kind"] == "initiative":
            x, y = pos[n]
            s = 0.022
            parts.append(
                f'<path d="M{x:.3f} {y - s:.3f}l{s} {s}l{-s} {s}l{-s} {-s}z" fill="white" '
                'stroke="#404040" stroke-width="1.4" vector-effect="non-scaling-stroke"/>'
            )
    for n, d in nodes:
        if d["kind"] == "opgave":
            x, y = pos[n]
            s = _square_side(d["size"], d["need"])
            colour = STATUS_COLOURS[d["status"]]
            parts.append(
                f'<rect x="{x - s / 2:.3f}" y="{y - s / 2:.3f}" width="{s:.3f}" height="{s:.3f}" '
                f'fill="{colour}" stroke="black" stroke-width="1" '
                'vector-effect="non-scaling-stroke"/>'
            )
    for n in highlight:
        if n in pos:
            x, y = pos[n]
            parts.append(
                f'<circle cx="{x:.3f}" cy="{y:.3f}" r="0.065" fill="none" stroke="{HIGHLIGHT}" '
                'stroke-width="4" vector-effect="non-scaling-stroke" class="opgaven-ring"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _swatch(shape: str, colour: str) -> str:
    """A small inline SVG symbol for the legend."""
    body = {
        "dot": f'<circle cx="9" cy="9" r="6" fill="{colour}"/>',
        "small_dot": f'<circle cx="9" cy="9" r="3.5" fill="{colour}"/>',
        "square": f'<rect x="3" y="3" width="12" height="12" fill="{colour}" stroke="black"/>',
        "diamond": '<path d="M9 2l7 7l-7 7l-7-7z" fill="white" stroke="#404040" '
        'stroke-width="1.5"/>',
        "line": f'<path d="M0 9H18" stroke="{colour}" stroke-width="2.5"/>',
        "dashed": f'<path d="M0 9H18" stroke="{colour}" stroke-width="2.5" '
        'stroke-dasharray="5 3"/>',
        "ring": f'<circle cx="9" cy="9" r="6.5" fill="none" stroke="{colour}" stroke-width="3"/>',
        "sizes": '<rect x="1" y="10" width="6" height="6" fill="#ed7d31" stroke="black"/>'
        '<rect x="8" y="3" width="13" height="13" fill="#ed7d31" stroke="black"/>',
    }[shape]
    width = 22 if shape == "sizes" else 18
    return f'<svg width="{width}" height="18" viewBox="0 0 {width} 18">{body}</svg>'


def legend_html(
    language: str, stages: Mapping[Status, int] | None = None, highlight: bool = False
) -> str:
    """The complete legend: actor types, every stage of a challenge (with how many are in it
    now), the initiative, the lines, what a square's size means (and the tour's ring)."""

    def stage(s: Status) -> str:
        name = label(s.name.lower(), language)
        return f"{name} ({stages[s]})" if stages is not None else name

    def item(shape: str, colour: str, text: str) -> str:
        return f"<li>{_swatch(shape, colour)}<span>{escape(text)}</span></li>"

    rows = [f"<h3>{escape(label('actors', language))}</h3><ul>"]
    rows += [item("dot", c, label(t, language)) for t, c in TYPE_COLOURS.items()]
    rows.append(item("dot", "#808080", label("member_dot", language)))
    rows.append(f"</ul><h3>{escape(label('opgaven', language))}</h3><ul class='stages'>")
    rows += [item("square", STATUS_COLOURS[s], stage(s)) for s in Status]
    rows.append("</ul><ul>")
    rows.append(item("sizes", "", label("square_size", language)))
    rows.append(item("diamond", "", label("initiative", language)))
    rows.append(item("line", "#404040", label("coordinated", language)))
    rows.append(item("dashed", "#c00000", label("uncoordinated", language)))
    rows.append(item("line", "#c8c8c8", label("tie", language)))
    if highlight:
        rows.append(item("ring", HIGHLIGHT, label("highlight", language)))
    rows.append("</ul>")
    return "".join(rows)


def chart_svg(
    series: Sequence[tuple[str, str, Sequence[float]]],
    xlabel: str,
    ylabel: str,
    language: str = "nl",
    width: int = 360,
    height: int = 170,
) -> str:
    """A line chart of shares (0 to 1) over the steps: ``series`` holds (name, colour, values).
    The names go in an HTML key under the chart (see :func:`chart_key_html`)."""
    left, right, top, bottom = 46, 10, 8, 34
    w, h = width - left - right, height - top - bottom
    n = max((len(v) for _, _, v in series), default=0)
    x_max = max(n - 1, 10)

    def X(i: float) -> float:
        return left + w * i / x_max

    def Y(v: float) -> float:
        return top + h * (1 - min(max(v, 0.0), 1.0))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="13">'
    ]
    for v in (0.0, 0.5, 1.0):
        out.append(f'<path d="M{left} {Y(v):.1f}H{left + w}" stroke="#e4e4e4"/>')
        out.append(
            f'<text x="{left - 5}" y="{Y(v) + 4:.1f}" text-anchor="end" fill="#333">'
            f"{number(v, language, 1 if v == 0.5 else 0)}</text>"
        )
    out.append(f'<path d="M{left} {top}V{top + h}H{left + w}" stroke="#555" fill="none"/>')
    for t in (0, x_max // 2, x_max):
        out.append(
            f'<text x="{X(t):.1f}" y="{top + h + 15}" text-anchor="middle" fill="#333">{t}</text>'
        )
    out.append(
        f'<text x="{left + w / 2}" y="{height - 3}" text-anchor="middle" fill="#333">'
        f"{escape(xlabel)}</text>"
    )
    out.append(
        f'<text transform="translate(13 {top + h / 2}) rotate(-90)" text-anchor="middle" '
        f'fill="#333">{escape(ylabel)}</text>'
    )
    for _name, colour, values in series:
        if len(values):
            points = " ".join(f"{X(i):.1f},{Y(v):.1f}" for i, v in enumerate(values))
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.2"/>'
            )
    out.append("</svg>")
    return "".join(out)


def chart_key_html(series: Sequence[tuple[str, str, Sequence[float]]], language: str = "nl") -> str:
    """The key under a chart: each line's colour, name and current value."""
    items = []
    for name, colour, values in series:
        now = number(values[-1], language) if len(values) else "–"
        items.append(f"<li>{_swatch('line', colour)}<span>{escape(name)}: <b>{now}</b></span></li>")
    return "<ul>" + "".join(items) + "</ul>"
