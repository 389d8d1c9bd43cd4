"""The comparison report: comparison.csv, figures, report.md and a self-contained report.html."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from sim.analysis import figures
from sim.analysis.compare import FINAL, Reading, compare
from sim.config.schema import StrategyConfig
from sim.model.outcomes import HEADLINE, higher_is_better
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


def plain_reading(table: pd.DataFrame) -> list[str]:
    """Plain sentences: which differences from the baseline are clear, which are noise."""
    lines = []
    diffs = table[table.verdict.isin(["higher", "lower", "within noise"])]
    for (design, metric), group in diffs.groupby(["design", "metric"], sort=False):
        better_high = higher_is_better(metric)
        parts = []
        for row in group.itertuples():
            if row.verdict == "within noise":
                parts.append(
                    f"{row.scenario} is within noise of {row.baseline} "
                    f"({row.diff_mean:+.3f}, 95% CI {row.diff_ci_low:+.3f} to "
                    f"{row.diff_ci_high:+.3f})"
                )
            else:
                good = (row.verdict == "higher") == better_high
                parts.append(
                    f"{row.scenario} is clearly {row.verdict} than {row.baseline} "
                    f"({row.diff_mean:+.3f}, 95% CI {row.diff_ci_low:+.3f} to "
                    f"{row.diff_ci_high:+.3f}; {'better' if good else 'worse'}, "
                    f"d_z = {row.effect_size:.1f})"
                )
        where = f"[{design}] " if design and design != "all" else ""
        lines.append(f"{where}**{metric}**: " + "; ".join(parts) + ".")
    return lines


def markdown_table(frame: pd.DataFrame, digits: int = 3) -> str:
    def fmt(v):
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
) -> dict[str, Path]:
    """Everything for one comparison; returns the paths written. ``progress(done, failed,
    total)`` is called after each part (the statistics, each kind of figure, the report)."""
    out.mkdir(parents=True, exist_ok=True)
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
    table = compare(res, baseline, metrics, reading)
    table.to_csv(out / "comparison.csv", index=False)
    step()
    figs = figures.time_series(res, metrics, out)
    step()
    figs += figures.distributions(res, metrics, out, reading)
    step()
    figs += figures.differences(table, out)
    step()
    figs += figures.against_parameter(res, metrics, out, reading)
    step()
    if phase:
        figs += figures.phase_map(res, "collective_effectiveness", out, reading=reading)
        figs += figures.phase_map(res, "fragmentation", out, False, reading)
        step()
    pngs = [p for p in figs if p.suffix == ".png"]

    spec = res.manifest["spec"]
    baseline = table.loc[table.verdict == "baseline", "scenario"].iloc[0]
    shown = [
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
        "verdict",
    ]
    shown = [c for c in shown if c in table.columns]
    if table.design.nunique() == 1:
        shown.remove("design")
    runs = res.runs
    md = [
        f"# {spec['name']}",
        "",
        spec.get("description", "").strip(),
        "",
        f"{len(runs)} runs ({(runs.status == 'ok').sum()} ok, {(runs.status != 'ok').sum()} "
        f"failed): {len(spec['scenarios'])} scenarios x {len(res.design)} design points x "
        f"{spec['replications']} replications with common random numbers; root seed "
        f"{spec['seed']}; commit {res.manifest['git'].get('commit')}"
        f"{' (dirty tree)' if res.manifest['git'].get('dirty') else ''}.",
        f"Values are {reading.describe()}; differences are paired by "
        f"replication against **{baseline}**, with 95% bootstrap intervals, Wilcoxon "
        "signed-rank tests and Holm's correction over all comparisons.",
        "",
        "## Scenarios and what differs between them",
        "",
        markdown_table(scenario_differences(res).reset_index(names="setting")),
        "",
        "## Reading",
        "",
        *[f"- {line}" for line in plain_reading(table)],
        "",
        "## Table",
        "",
        markdown_table(table[shown]),
        "",
        "## Figures",
        "",
        *[f"![{p.stem}]({p.name})\n" for p in pngs],
    ]
    (out / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    (out / "report.html").write_text(to_html(md, pngs), encoding="utf-8")
    step()
    return {
        "csv": out / "comparison.csv",
        "md": out / "report.md",
        "html": out / "report.html",
        **{p.name: p for p in figs},
    }


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
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>report</title>"
        f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
    )
