"""The comparison report: comparison.csv, figures, report.md and a self-contained report.html."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim.analysis import figures
from sim.analysis.compare import (
    ALPHA,
    FINAL,
    POWER,
    VERDICTS,
    Reading,
    check_reading,
    compare,
)
from sim.analysis.sesoi import default_sesoi
from sim.analysis.wording import plain_reading, summary, warnings_on_n
from sim.config.schema import StrategyConfig
from sim.model.outcomes import HEADLINE
from sim.model.strategy import resolve_knobs
from sim.results import Results


def flatten(d: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


def scenario_differences(res: Results) -> pd.DataFrame:
    """Per scenario: its resolved knobs and every other config value where scenarios differ."""
    configs = res.manifest["configs"]
    rows = {}
    for name, cfg in configs.items():
        knobs = resolve_knobs(StrategyConfig(**cfg.get("strategy", {}))).as_dict()
        flat = {
            k: v
            for k, v in flatten(cfg).items()
            if not k.startswith(("strategy.", "seed", "name", "description"))
        }
        rows[name] = {**{f"knob: {k}": v for k, v in knobs.items()}, **flat}
    table = pd.DataFrame(rows)
    varying = table.apply(lambda r: r.astype(str).nunique() > 1, axis=1)
    knob_rows = table.index.str.startswith("knob: ")
    return table[varying | knob_rows]


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    def fmt(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        return f"{v:.{digits}f}" if isinstance(v, float) else str(v)

    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    body = ["| " + " | ".join(fmt(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def write_report(
    res: Results,
    out: Path,
    baseline: str | None = None,
    metrics: list[str] | None = None,
    reading: Reading = FINAL,
    progress: Callable[[int, int, int], None] | None = None,
    sesoi: dict[str, float] | None = None,
) -> dict[str, Path]:
    """Everything for one comparison; returns the paths written. ``progress(done, failed,
    total)`` is called after each part (the statistics, each kind of figure, the report)."""
    check_reading(res, reading)  # a step that was not kept is refused before anything is written
    metrics = list(metrics or HEADLINE)
    phase = len([c for c in res.design.columns if c != "point"]) == 2
    total = 6 + phase
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, 0, total)

    if progress:
        progress(0, 0, total)
    table = compare(res, baseline, metrics, reading, sesoi)
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "comparison.csv", index=False)
    step()
    figs = figures.time_series(res, metrics, out)
    step()
    figs += figures.distributions(res, metrics, out, reading)
    step()
    diff_figs = figures.differences(table, out)
    figs += diff_figs
    step()
    figs += figures.against_parameter(res, metrics, out, reading)
    step()
    if phase:
        figs += figures.phase_map(res, "collective_effectiveness", out, reading=reading)
        figs += figures.phase_map(res, "fragmentation", out, False, reading)
        step()
    pngs = [p for p in figs if p.suffix == ".png"]
    glance = [p for p in diff_figs if p.suffix == ".png"]
    md = report_lines(
        res, table, reading, metrics, sesoi, glance, [p for p in pngs if p not in glance]
    )
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "report.html").write_text(to_html(md, pngs), encoding="utf-8")
    step()
    return {
        "csv": out / "comparison.csv",
        "md": out / "report.md",
        "html": out / "report.html",
        **{p.name: p for p in figs},
    }


SHOWN = [
    "metric",
    "design",
    "scenario",
    "n",
    "mean",
    "ci_low",
    "ci_high",
    "diff_mean",
    "diff_ci_low",
    "diff_ci_high",
    "effect_size",
    "p_adjusted",
    "p_tost_adjusted",
    "magnitude",
    "verdict",
    "pairs_needed",
]


def sesoi_rows(res: Results, table: pd.DataFrame, given: dict[str, float] | None) -> pd.DataFrame:
    """Each metric's SESOI and where it came from (the default, the spec, or the caller)."""
    spec = (res.manifest["spec"].get("analysis") or {}).get("sesoi") or {}
    rows = []
    for metric, group in table.groupby("metric", sort=False):
        source = "given" if metric in (given or {}) else "spec" if metric in spec else "default"
        value = group.sesoi.dropna()
        rows.append(
            {
                "metric": metric,
                "read as": group.read_as.iloc[0],
                "SESOI": f"{value.iloc[0]:g}" if len(value) else "none",
                "from": source,
                "default": f"{default_sesoi(metric):g}",
                "family size": int(group.family_size.max())
                if group.family_size.notna().any()
                else 0,
            }
        )
    return pd.DataFrame(rows)


def report_lines(
    res: Results,
    table: pd.DataFrame,
    reading: Reading,
    metrics: list[str],
    sesoi: dict[str, float] | None,
    glance: list[Path],
    pngs: list[Path],
) -> list[str]:
    """report.md, top-down: title, summary, the differences at a glance, then the details."""
    spec = res.manifest["spec"]
    baseline = table.loc[table.verdict == "baseline", "scenario"].iloc[0]
    others = [s for s in spec["scenarios"] if s != baseline]
    shown = [c for c in SHOWN if c in table.columns]
    if table.design.nunique() == 1:
        shown.remove("design")
    runs = res.runs
    n_points = max(len(res.design), 1)
    warn = warnings_on_n(table)
    counts = table.verdict.value_counts()
    tally = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if v in counts)
    return [
        f"# {spec['name']}: {', '.join(others)} against {baseline}",
        "",
        spec.get("description", "").strip(),
        "",
        "## Summary",
        "",
        f"{spec['replications']} paired replications of {len(spec['scenarios'])} scenarios at "
        f"{n_points} design point{'s' if n_points > 1 else ''}; every difference is paired by "
        f"replication against **{baseline}** and judged against a smallest effect size of "
        f"interest (SESOI). Of {int(counts.drop('baseline', errors='ignore').sum())} "
        f"comparisons: {tally}.",
        "",
        *[f"- {line}" for line in summary(table)],
        "",
        *[f"> {line}\n" for line in warn],
        *[f"![{p.stem}]({p.name})\n" for p in glance],
        "## How the differences were judged",
        "",
        f"- **Values**: {reading.describe(metrics)}.",
        "- **Difference**: per replication, scenario minus baseline on the same world (common "
        "random numbers); its mean with a 95% BCa bootstrap interval (2,000 resamples). With "
        "fewer than about 10 pairs a bootstrap interval is narrower than it should be, so a "
        "verdict also needs the paired t test to agree.",
        f"- **Verdicts**: *higher* / *lower* when the 95% interval excludes 0 and the paired t "
        f"test rejects 0 at {ALPHA:g} after Holm's correction; *equivalent* when the 90% "
        "interval lies within ±SESOI and the two one-sided t tests (TOST) reject a difference "
        "of the SESOI or more, after Holm's correction (a real difference smaller than the "
        "SESOI is equivalent); otherwise *inconclusive*. The column `magnitude` says whether the "
        "whole interval lies beyond the SESOI, within it, or neither.",
        "- **Multiple testing**: the family is one metric: every scenario against the baseline "
        f"at every design point ({len(others)} x {n_points} = {len(others) * n_points} "
        "comparisons per metric). Metrics are separate families.",
        f"- **Replications needed** (`pairs_needed`): pairs for {POWER:.0%} power to detect the "
        "SESOI with the paired t test at the family's Bonferroni level, given the spread of the "
        "differences seen.",
        "",
        markdown_table(sesoi_rows(res, table, sesoi)),
        "",
        f"{len(runs)} runs ({(runs.status == 'ok').sum()} ok, {(runs.status != 'ok').sum()} "
        f"failed): {len(spec['scenarios'])} scenarios x {n_points} design points x "
        f"{spec['replications']} replications; root seed {spec['seed']}; commit "
        f"{res.manifest['git'].get('commit')}"
        f"{' (dirty tree)' if res.manifest['git'].get('dirty') else ''}.",
        "",
        "## Scenarios and what differs between them",
        "",
        markdown_table(scenario_differences(res).reset_index(names="setting")),
        "",
        "## Every difference",
        "",
        *[f"- {line}" for line in plain_reading(table)],
        "",
        "## Figures",
        "",
        *[f"![{p.stem}]({p.name})\n" for p in pngs],
        "## Table",
        "",
        markdown_table(table[shown]),
    ]


def to_html(md_lines: list[str], pngs: list[Path]) -> str:
    """A self-contained page: the markdown's text and tables, the figures embedded."""
    images = {p.name: base64.b64encode(p.read_bytes()).decode() for p in pngs}
    body, table_rows = [], []

    def close_table():
        if table_rows:
            head, *rest = table_rows
            body.append(
                "<table><tr>"
                + "".join(f"<th>{c}</th>" for c in head)
                + "</tr>"
                + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rest)
                + "</table>"
            )
            table_rows.clear()

    for block in "\n".join(md_lines).split("\n"):
        line = block.strip()
        if line.startswith("|"):
            cells = [html.escape(c.strip()) for c in line.strip("|").split("|")]
            if not all(set(c) <= {"-"} for c in cells):
                table_rows.append(cells)
            continue
        close_table()
        if line.startswith("!["):
            name = line[line.index("(") + 1 : line.index(")")]
            body.append(f'<img src="data:image/png;base64,{images[name]}" alt="{name}">')
        elif line.startswith("> "):
            body.append(f"<p class='warn'>{html.escape(line[2:]).replace('**', '')}</p>")
        elif line.startswith("### "):
            body.append(f"<h3>{html.escape(line[4:])}</h3>")
        elif line.startswith("## "):
            body.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("- "):
            text = html.escape(line[2:]).replace("**", "")
            body.append(f"<li>{text}</li>")
        elif line:
            body.append(f"<p>{html.escape(line).replace('**', '')}</p>")
    close_table()
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;line-height:1.4}"
        "table{border-collapse:collapse;font-size:12px;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "img{max-width:100%;margin:1em 0}"
        ".warn{background:#fff4e5;border-left:4px solid #e69500;padding:.5em 1em}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>report</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )
