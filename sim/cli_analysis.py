"""The analysis side of the ``opgaven`` command: dry-run plans, compare, sensitivity, validate,
params. Split from :mod:`sim.cli` to keep each module small; the parser lives there."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.errors import UsageError
from sim.model.outcomes import HEADLINE, METRICS
from sim.naming import check_names
from sim.progress import ProgressReport, human_seconds

if TYPE_CHECKING:
    from sim.engine.runner import Plan

console = Console(stderr=True, soft_wrap=True)  # long paths stay on one line in logs


def print_dry_run(plan: Plan, executor: str, workers: int) -> int:
    """The plan and its estimates from a pilot of full-length runs; nothing is stored."""
    from sim.engine.runner import dry_run

    k = min(len(plan.runs), 2 * (1 if executor == "serial" else workers))
    console.print(f"timing a pilot of {k} full-length runs on {workers} workers ...")
    est = dry_run(plan, workers, executor)
    table = Table(title=f"plan: {plan.spec.name} (nothing stored)")
    table.add_column("")
    table.add_column("", justify="right")
    table.add_row("runs", f"{est['runs']:,}")
    table.add_row(
        "scenarios x design points x replications",
        f"{est['scenarios']} x {est['design_points']} x {est['replications']}",
    )
    table.add_row(
        f"seconds per run (pilot of {est['pilot_runs']}, {est['workers']} at a time)",
        f"{est['seconds_per_run']:.2f}",
    )
    table.add_row(
        f"estimated time on {est['workers']} workers", human_seconds(est["estimated_seconds"])
    )
    table.add_row("estimated output size", f"{est['estimated_bytes'] / 1e6:.1f} MB")
    if est["pilot_failed"]:
        table.add_row("[red]pilot runs that failed[/red]", str(est["pilot_failed"]))
    Console().print(table)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """Report comparing the scenarios of an experiment's results (HTML, Markdown, CSV)."""
    from sim import results
    from sim.analysis.compare import Reading, check_reading
    from sim.analysis.report import write_report
    from sim.analysis.sesoi import parse_sesoi

    res = results.load_for_analysis(args.results, "compare")  # a UsageError if nothing to read
    out = Path(args.out) if args.out else Path(args.results) / "report"
    metrics = [m.strip() for m in args.metrics.split(",")] if args.metrics else None
    known = [m for m in METRICS if m in res.runs.columns]
    problem = check_names([m for m in metrics or [] if m not in res.runs.columns], known, "metric")
    if problem:
        raise UsageError(problem)
    sesoi = parse_sesoi(args.sesoi or [])
    problem = check_names([m for m in sesoi if m not in METRICS], list(METRICS), "metric")
    if problem:
        raise UsageError(f"--sesoi: {problem}")
    reading = Reading(at=args.at, mean=args.mean, by_kind=args.state_means)
    check_reading(res, reading)  # refused before any progress is drawn or file written
    scenarios = list(res.manifest["spec"]["scenarios"])
    if args.baseline is not None and args.baseline not in scenarios:
        problem = check_names([args.baseline], scenarios, "scenario")
        raise UsageError(f"--baseline: {problem}")
    with ProgressReport("compare", unit="parts", console=console, quiet=args.quiet) as bar:
        paths = write_report(
            res,
            out,
            baseline=args.baseline,
            metrics=metrics,
            reading=reading,
            progress=bar,
            sesoi=sesoi,
        )
    console.print(f"report in {paths['html']} (and report.md, comparison.csv, figures)")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Sobol or Morris indices of an experiment run with such a design."""
    from sim import results
    from sim.analysis.compare import Reading
    from sim.analysis.sensitivity import write_sensitivity

    res = results.load_for_analysis(args.results, "sensitivity")  # a UsageError if nothing to read
    out = Path(args.out) if args.out else Path(args.results) / "sensitivity"
    metrics = [m.strip() for m in args.metrics.split(",")] if args.metrics else list(HEADLINE)
    known = [m for m in METRICS if m in res.runs.columns]
    problem = check_names([m for m in metrics if m not in res.runs.columns], known, "metric")
    if problem:
        raise UsageError(problem)
    scenarios = list(dict.fromkeys(res.runs.scenario))
    if args.versus is not None:
        problem = check_names([args.versus], scenarios, "scenario")
        if problem is None and len(scenarios) < 2:
            problem = f"{args.versus!r} is the experiment's only scenario; nothing to pair with"
        if problem:
            raise UsageError(f"--versus: {problem}")
    try:
        reading = Reading(by_kind=args.state_means)
        paths = write_sensitivity(res, out, metrics, args.versus, reading)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    notes = paths["notes"].read_text().strip()
    console.print(f"indices in {paths['csv']}" + (f"\n{notes}" if notes else ""))
    return 0


VERDICT_STYLE = {
    "pass": "[green]pass[/green]",
    "fail": "[red]FAIL[/red]",
    "open": "[yellow]open[/yellow]",
}


def cmd_validate(args: argparse.Namespace) -> int:
    """Test the essay's patterns over paired seeds; exit 1 unless every pattern passes (with
    ``--strict``: only when one fails; an open pattern is a documented finding)."""
    from sim.analysis.validation import validate_patterns

    mode = "quick" if args.quick else "full"
    console.print(f"validating the model's patterns ({mode} mode) ...")
    with ProgressReport(f"validate ({mode})", console=console, quiet=args.quiet) as report:
        table = validate_patterns(
            quick=args.quick, executor=args.executor, workers=args.workers, progress=report
        )
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.out, index=False)
    view = Table(title=f"pattern-oriented validation ({mode})")
    for column in ("#", "pattern", "essay", "expected", "effect [95% CI]", "p", "verdict"):
        view.add_column(column, overflow="fold")
    reasons = []
    for row in table.itertuples():
        measured = row.effect == row.effect  # NaN when the model cannot measure it
        view.add_row(
            str(row.pattern),
            row.name,
            row.source,
            row.expected,
            f"{row.effect:+.3g} [{row.ci_low:+.3g}, {row.ci_high:+.3g}]" if measured else "–",
            f"{row.p_value:.2g}" if measured else "–",
            VERDICT_STYLE[row.verdict],
        )
        if row.verdict == "open" and getattr(row, "open_because", ""):
            reasons.append(escape(f"{row.pattern}: {row.open_because}"))
    Console(width=160).print(view)
    if reasons:
        Console(width=160).print("open because:\n  " + "\n  ".join(reasons))
    if "cpu_seconds" in table.attrs:
        runs, cpu = table.attrs["runs"], table.attrs["cpu_seconds"]
        console.print(f"{runs} runs, {cpu:.0f} CPU-seconds in the models")
    if args.strict:
        return 0 if (table.verdict != "fail").all() else 1
    return 0 if (table.verdict == "pass").all() else 1


def cmd_params(args: argparse.Namespace) -> int:
    """Every parameter with its default, allowed range, type and description."""
    from sim import params

    try:
        if args.markdown:
            sys.stdout.write(params.markdown(args.section))
        else:
            params.print_tables(args.section, Console(width=max(Console().width, 140)))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
