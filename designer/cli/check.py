"""`designer check PRESET DATA`: every rule of the preset checked on data, as a table or JSON.
Exit 0 when all hold, 1 when any fails, 2 for bad input (one line naming the file)."""

from __future__ import annotations

import json
import sys

import click

from ..errors import DesignerError
from . import _finite_scale, _preset_argument
from .options import parse_rows

FORMATS = ("table", "json")


def _known(ctx, param, value: str) -> str:
    if value not in FORMATS:
        raise DesignerError(f'--format "{value}": unknown format; use table or json')
    return value


def _alpha(ctx, param, value: float) -> float:
    if not 0 < value < 1:
        raise DesignerError(f'--alpha "{value}": give a probability between 0 and 1, such as 0.0001')
    return value


@click.command()
@_preset_argument(type=click.Path(dir_okay=True))
@click.argument("data")
@click.option("--rows", "rows", multiple=True, metavar="N|ENTITY=N", help="The export's --rows: the row counts to expect.")
@click.option("--scale", type=click.FloatRange(min=0), callback=_finite_scale, help="The export's --scale.")
@click.option("--entity", "entities", multiple=True, help="The export's --entity: check only these entities' tables.")
@click.option("--format", "fmt", default="table", show_default=True, callback=_known, metavar="FORMAT", help="table or json.")
@click.option(
    "--alpha",
    type=float,
    default=None,
    callback=lambda ctx, param, value: None if value is None else _alpha(ctx, param, value),
    help="A statistical rule fails below this p-value (default 0.0001).",
)
def check(
    preset: str, data: str, rows: tuple[str, ...], scale: float | None, entities: tuple[str, ...], fmt: str, alpha: float | None
) -> None:
    """Check DATA (a SQLite file, a postgresql:// URL, or a directory or file of CSV, TSV, Parquet,
    NDJSON or JSON) against every rule PRESET states."""
    from .. import presets
    from ..check import ALPHA
    from ..check import check as run_check

    design = presets.load(preset)
    roots = [n for n, e in design.entities.items() if e.parent is None]
    report = run_check(
        design,
        data,
        rows=parse_rows(rows, roots) or None,
        scale=scale,
        entities=list(entities) or None,
        alpha=ALPHA if alpha is None else alpha,
    )
    if fmt == "json":
        click.echo(json.dumps({"preset": preset, **report.as_dict()}, indent=2, default=str))
    else:
        _print_table(preset, report)
    sys.exit(0 if report.ok else 1)


def _print_table(preset: str, report) -> None:
    from rich.console import Console
    from rich.table import Table

    counts = report.as_dict()["counts"]
    verdict = "all rules hold" if report.ok else f"{counts['fail']} rules fail"
    table = Table(title=f"{preset} on {report.data}: {verdict}", title_justify="left")
    for column in ("rule", "where", "expected", "observed", "verdict"):
        table.add_column(column, overflow="fold")
    styles = {"pass": "green", "fail": "bold red", "skip": "dim"}
    for r in report.results:
        shown = r.verdict if r.test is None else f"{r.verdict} ({r.test}, p = {r.p_value:.3g})"
        table.add_row(r.rule, r.where, r.expected, r.observed, f"[{styles[r.verdict]}]{shown}[/]")
    console = Console()
    console.print(table, markup=True)
    console.print(
        f"{counts['pass']} hold, {counts['fail']} fail, {counts['skip']} skipped; "
        f"statistical rules fail below p = {report.alpha:g}",
        markup=False,
        highlight=False,
    )
