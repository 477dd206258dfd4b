"""`designer stats`: the TUI's per-field statistics in the terminal, or as JSON."""

from __future__ import annotations

import json

import click

from ..errors import DesignerError
from . import _preset_argument

BAR_WIDTH = 32


def _known_output(ctx, param, value: str) -> str:
    if value not in ("table", "json"):
        raise DesignerError(f'--format "{value}": use table or json')
    return value


@click.command()
@_preset_argument(type=click.Path(dir_okay=True))
@click.option("--entity", help="Only this entity.")
@click.option(
    "--rows", default=10_000, show_default=True, type=click.IntRange(min=1), help="Rows per entity: the first an export writes."
)
@click.option("--seed", type=click.IntRange(min=0), help="Override the design's seed.")
@click.option("--format", "fmt", default="table", callback=_known_output, metavar="table|json", help="table or json.")
def stats(preset: str, entity: str | None, rows: int, seed: int | None, fmt: str) -> None:
    """Per-field statistics: null %, distinct, min/max/mean/std, top values or a histogram."""
    from .. import presets
    from ..entity_stats import entity_stats

    design = presets.load(preset)
    described = entity_stats(design, entity, rows, seed)
    if fmt == "json":
        out = {name: {f.name: f.as_dict() for f in fields} for name, fields in described.items()}
        click.echo(json.dumps(out, indent=2, ensure_ascii=False, default=str))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.padding import Padding
    from rich.table import Table

    from ..stats import compact

    console = Console()
    for name, fields in described.items():
        count = fields[0].stats.rows if fields else 0
        console.print(f"[bold]{escape(name)}[/bold] (first {count:,} rows)", soft_wrap=True)
        for f in fields:
            s = f.stats
            facts = [f"null {s.null_share:.1%}", f"distinct {s.distinct_share:.1%}"]
            facts += [f"{k} {compact(v)}" for k, v in s.numbers.items()]
            console.print(f"  [bold]{escape(f.name)}[/bold] [dim]{escape(f.dtype)}[/dim]  " + "  ".join(facts), soft_wrap=True)
            if not s.histogram and all(n == 1 for _, n in s.bars):
                empty = "all null" if s.rows else "no rows"
                console.print(f"    [dim]{'no value repeats' if s.bars else empty}[/dim]")
                continue
            grid = Table.grid(padding=(0, 1))
            grid.add_column(justify="right", style="dim", no_wrap=True)
            grid.add_column(no_wrap=True)
            grid.add_column(justify="right", no_wrap=True)
            peak = max((c for _, c in s.bars), default=1) or 1
            for label, n in s.bars:
                length = n / peak * BAR_WIDTH
                bar = "█" * int(length) + ("▌" if length - int(length) >= 0.5 else "")
                grid.add_row(escape(label[:24]), f"[cyan]{bar}[/cyan]", f"{n / max(s.rows, 1):.1%}")
            console.print(Padding(grid, (0, 0, 0, 4), expand=False))
