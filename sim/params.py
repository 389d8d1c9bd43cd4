"""Every config parameter with its default, allowed range, type and description, from the schema.

One generator feeds ``opgaven params`` (a terminal table or Markdown), docs/parameters.md and the
README's table of the default world, so the documentation cannot drift from the code: a test
compares the committed files with what this module writes (``make docs`` rewrites them).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types as at
from pydantic import BaseModel

from sim.config.schema import ACTOR_TYPES, Config

DOC_HEADER = (
    "<!-- Generated from the config schema by `opgaven params --markdown` (`make docs`); "
    "do not edit by hand. -->"
)


@dataclass(frozen=True)
class Param:
    """One leaf of the config: ``key`` is what ``--set`` takes."""

    key: str
    default: Any
    allowed: str
    kind: str
    description: str

    @property
    def section(self) -> str:
        """The table it belongs to: ``dynamics.<mechanism>``, a top-level section or ``run``."""
        parts = self.key.split(".")
        if len(parts) == 1:
            return "run"
        return ".".join(parts[:2]) if parts[0] == "dynamics" else parts[0]


def _bounds(metadata: list[Any]) -> str:
    low = high = None
    for m in metadata:
        if isinstance(m, at.Ge):
            low = f"[{_fmt(m.ge)}"
        elif isinstance(m, at.Gt):
            low = f"({_fmt(m.gt)}"
        elif isinstance(m, at.Le):
            high = f"{_fmt(m.le)}]"
        elif isinstance(m, at.Lt):
            high = f"{_fmt(m.lt)})"
        elif isinstance(m, at.MinLen):
            return f"at least {m.min_length} item{'s' if m.min_length != 1 else ''}"
    if low and high:
        return f"{low}, {high}"
    if low:
        return f"≥ {low[1:]}" if low[0] == "[" else f"> {low[1:]}"
    if high:
        return f"≤ {high[:-1]}" if high[-1] == "]" else f"< {high[:-1]}"
    return ""


def _kind(annotation: Any) -> tuple[str, str]:
    """(type, allowed values implied by the type)."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, UnionType):
        inner = [a for a in args if a is not NoneType]
        kind, allowed = _kind(inner[0]) if len(inner) == 1 else ("value", "")
        return kind, (f"{allowed} or unset" if NoneType in args else allowed)
    if origin is Literal:
        return "choice", " | ".join(str(a) for a in args)
    if origin is list:
        return f"list of {_kind(args[0])[0]}", ""
    if origin is tuple:
        return f"pair of {_kind(args[0])[0]} (low, high)", ""
    if annotation is bool:
        return "bool", "true | false"
    names = {int: "integer", float: "number", str: "text"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation))), ""


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return f"{value:,}".replace(",", " ") if abs(value) >= 10_000 else str(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(_fmt(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if value is None:
        return "from the preset"
    return str(value) if value != "" else '""'


def parameters(model: BaseModel | None = None, prefix: str = "", context: str = "") -> list[Param]:
    """Every leaf parameter of ``model`` (default: the default Config), in schema order.
    Defaults come from the instance, so per-type actor defaults are each type's own."""
    model = model if model is not None else Config()
    rows = []
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{name}"
        description = field.description or ""
        if isinstance(value, BaseModel):
            rows += parameters(value, f"{key}.", description)
            continue
        if context:
            description = f"{context}: {description}" if description else context
        kind, allowed = _kind(field.annotation)
        rows.append(
            Param(key, value, _bounds(field.metadata) or allowed, kind, description.strip())
        )
    return rows


def sections(params: list[Param]) -> list[str]:
    """The tables, in schema order."""
    return list(dict.fromkeys(p.section for p in params))


def select(params: list[Param], section: str | None) -> list[Param]:
    """The parameters of ``section`` (a table such as ``dynamics.agenda``, or a prefix such as
    ``dynamics``); raises ValueError naming the closest section when there is none."""
    if not section:
        return params
    chosen = [p for p in params if p.section == section or p.section.startswith(section + ".")]
    if not chosen:
        from sim.naming import check_names

        known = sorted({*sections(params), *(s.split(".")[0] for s in sections(params))})
        raise ValueError(check_names([section], known, "section"))
    return chosen


def _section_doc(section: str) -> str:
    if section == "run":
        return "Identity, seed and length of a run."
    node: Any = Config
    for part in section.split("."):
        node = node.model_fields[part].annotation
    return (node.__doc__ or "").strip().splitlines()[0] if node.__doc__ else ""


def table_rows(section: str, params: list[Param]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of one section's table; actors get one default column per type."""
    if section != "actors":
        head = ["parameter", "default", "allowed", "type", "description"]
        return head, [
            [p.key, _fmt(p.default), p.allowed, p.kind, p.description]
            for p in params
            if p.section == section
        ]
    by_rest: dict[str, dict[str, Param]] = {}
    for p in params:
        if p.section == "actors":
            _, actor_type, rest = p.key.split(".", 2)
            by_rest.setdefault(rest, {})[actor_type] = p
    head = ["actors.TYPE.", *ACTOR_TYPES, "allowed", "type", "description"]
    rows = []
    for rest, per_type in by_rest.items():
        first = next(iter(per_type.values()))
        defaults = [_fmt(per_type[t].default) if t in per_type else "–" for t in ACTOR_TYPES]
        rows.append([rest, *defaults, first.allowed, first.kind, first.description])
    return head, rows


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|") if text else ""


def markdown(section: str | None = None) -> str:
    """The parameter tables as Markdown (what docs/parameters.md holds for ``section=None``)."""
    params = select(parameters(), section)
    lines = [
        DOC_HEADER,
        "",
        "# Parameters",
        "",
        "Every parameter of a scenario: its `--set` key, default, allowed range, type and "
        "meaning. Defaults are stylised, not calibrated (docs/ODD.md). A YAML file names only "
        "what it changes; `opgaven params --section S` shows one section in the terminal.",
    ]
    for name in sections(params):
        head, rows = table_rows(name, params)
        doc = _section_doc(name)
        lines += ["", f"## `{name}`", ""] + ([doc, ""] if doc else [])
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join("---" for _ in head) + "|")
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def print_tables(section: str | None = None, console: Any = None) -> None:
    """The parameter tables on a terminal (rich)."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    params = select(parameters(), section)
    for name in sections(params):
        head, rows = table_rows(name, params)
        table = Table(title=name, caption=_section_doc(name) or None, title_justify="left")
        for i, column in enumerate(head):
            table.add_column(column, overflow="fold", justify="right" if 0 < i < 5 else "left")
        for row in rows:
            table.add_row(*row)
        console.print(table)


def default_world_markdown() -> str:
    """The README's table of the default world, from the schema defaults."""
    config = Config()
    world, opg = config.world, config.opgaven
    mix = opg.order_mix
    plural = {"company": "companies"}
    counts = [
        (plural.get(t, t + "s").replace("_", " "), str(getattr(config.actors, t).count))
        for t in ACTOR_TYPES
    ]
    total = sum(getattr(config.actors, t).count for t in ACTOR_TYPES)
    rows = [
        ("actors, all types", str(total)),
        *counts,
        ("policy domains", f"{len(world.domains)}: {', '.join(world.domains)}"),
        ("held by no institution", ", ".join(world.unmandated)),
        ("regions", str(world.regions)),
        ("challenges at the start", str(opg.initial)),
        ("new challenges per step", f"{opg.arrival_rate:g} on average (Poisson)"),
        (
            "challenge mix (order)",
            f"{mix.first:.0%} first, {mix.second:.0%} second, {mix.third:.0%} third",
        ),
        ("unmandated part of a third-order challenge", f"{opg.unmandated_share:.0%} of its need"),
        ("strategy", config.strategy.preset),
        ("steps per run", str(config.steps)),
    ]
    return "\n".join(["| the default world | |", "|---|---|", *[f"| {a} | {b} |" for a, b in rows]])


def headline_markdown() -> str:
    """The README's list of headline metrics, from the metric registry."""
    from sim.model.outcomes import HEADLINE, METRICS

    items = []
    for name in HEADLINE:
        rec = METRICS[name]
        better = {True: "higher is better", False: "lower is better", None: "descriptive"}
        items.append(f"- `{name}`: {rec.label} ({rec.unit}, {better[rec.higher_is_better]})")
    return "\n".join(items)


# Blocks of the README written by this module, between <!-- NAME:start --> and <!-- NAME:end -->.
README_BLOCKS = {"default-world": default_world_markdown, "headline-metrics": headline_markdown}


def fill_blocks(text: str) -> str:
    """``text`` with every generated block replaced by what the code says now."""
    for name, make in README_BLOCKS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        before, found, rest = text.partition(start)
        if not found:
            raise ValueError(f"README has no {start} marker")
        _, found_end, after = rest.partition(end)
        if not found_end:
            raise ValueError(f"README has no {end} marker")
        text = f"{before}{start}\n{make()}\n{end}{after}"
    return text


def update_docs(root: Path) -> list[Path]:
    """Rewrite docs/parameters.md and the README's generated blocks; return what changed."""
    changed = []
    targets = {
        root / "docs" / "parameters.md": lambda old: markdown(),
        root / "README.md": fill_blocks,
    }
    for path, make in targets.items():
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        new = make(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


if __name__ == "__main__":  # python -m sim.params: what `make docs` runs
    here = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    for path in update_docs(here):
        print(f"rewrote {path}")
