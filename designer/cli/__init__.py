"""The command line. The only module that imports click; the TUI is imported lazily."""

from __future__ import annotations

import math
import sys

import click

from .. import __version__
from ..errors import DesignerError
from .options import ExportOptions


def _fail(error: DesignerError) -> None:
    click.echo(f"designer: {error}" if not error.file else str(error), err=True)
    sys.exit(error.exit_code)


class _Group(click.Group):
    """Turns every DesignerError into one line on stderr and its exit code, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except DesignerError as error:
            if error.path:  # a place in the preset, found deep in the engine, which knows no file
                error.located(file=ctx.meta.get("preset"))
            _fail(error)


def _remember_preset(ctx: click.Context, param, value: str | None) -> str | None:
    ctx.meta["preset"] = value  # meta is shared by every context of the command line
    return value


def _print_versions(ctx: click.Context, param, value: bool) -> None:
    """designer's version and those of the libraries its values come from: the same preset and
    seed give the same bytes where these are the same."""
    if not value or ctx.resilient_parsing:
        return
    from ..versions import data_versions

    libraries = ", ".join(f"{name} {number}" for name, number in data_versions().items() if name != "designer")
    click.echo(f"designer {__version__} ({libraries})")
    ctx.exit()


def _preset_argument(**options):
    return click.argument("preset", callback=_remember_preset, **options)


@click.group(cls=_Group, invoke_without_command=True)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_versions,
    help="Show the versions that decide the data and exit.",
)
@click.pass_context
def main(ctx: click.Context) -> None:
    """Design realistic, related, reproducible test data."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(edit)


@main.command()
@_preset_argument(type=click.Path(dir_okay=True))
@click.option(
    "--format",
    "fmt",
    callback=lambda ctx, param, value: _known_format(ctx, param, value),  # export's check, defined below with export
    metavar="FORMAT",
    help="Also estimate the export's size and time in this format, measured on a sample block.",
)
def validate(preset: str, fmt: str | None) -> None:
    """Check a preset and summarize it: entities, fields, rows, relationships."""
    from rich.console import Console
    from rich.table import Table

    from .. import presets
    from ..engine.dirt_types import check_dirt_types
    from ..estimate import estimate
    from ..summary import human_size, per_row_fields, summarize
    from .estimates import expected_rows, measured_line

    design = presets.load(preset)
    check_dirt_types(design)  # the type of a field's values is known once a few are drawn
    expected = estimate(design, fmt=fmt)
    rows = expected_rows(expected)
    table = Table(title=f"{design.info.name}: valid (seed {design.info.seed})", title_justify="left")
    sized = fmt is not None and expected.seconds is not None
    for column in ("entity", "rows", "fields", "relationships") + (("size",) if sized else ()):
        table.add_column(column, justify="right" if column == "size" else "left")
    for item in summarize(design):  # a child's rows: what the export writes, and their mean per parent row
        cells = [item.name, rows[item.name], str(item.fields), "\n".join(item.relationships) or "-"]
        table.add_row(*cells, *([human_size(expected.of(item.name).bytes)] if sized else []))
    console = Console()
    console.print(table)
    if (line := measured_line(expected)) is not None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    slow = per_row_fields(design)
    if slow:
        console.print("Faker per row (slower; `pool = N` draws from a fixed pool instead):", style="dim")
        for line in slow:
            console.print(f"  {line}", style="dim", markup=False, highlight=False)


@main.command()
@_preset_argument(required=False, type=click.Path(dir_okay=False))
def edit(preset: str | None = None) -> None:
    """Open the TUI on a preset (a file that does not exist yet starts a new design)."""
    from ..ui import run
    from .infer import offered

    run(offered(preset))  # a database or a DDL: offers to infer a preset from it first


PREVIEW_FORMATS = ("table", "csv", "ndjson")
PREVIEW_HINT_ROWS = 5_000  # beyond this a table is slow to read and all of it is held in memory; export streams


def _preview_format(ctx, param, value: str) -> str:
    if value not in PREVIEW_FORMATS:
        raise DesignerError(f'--format "{value}": use one of {", ".join(PREVIEW_FORMATS)}')
    return value


@main.command()
@_preset_argument(type=click.Path(dir_okay=True))
@click.option("--entity", "entity", help="Only this entity.")
@click.option("--rows", "rows", default=10, show_default=True, type=click.IntRange(min=1), help="Rows per entity.")
@click.option("--seed", type=click.IntRange(min=0), help="Override the design's seed.")
@click.option(
    "--format",
    "fmt",
    default="table",
    callback=_preview_format,
    metavar="table|csv|ndjson",
    help="A table, or plain CSV / NDJSON of one entity (encoded as export encodes them).",
)
def preview(preset: str, entity: str | None, rows: int, seed: int | None, fmt: str) -> None:
    """Print the first rows of each entity: exactly the first rows an export writes."""
    from rich.console import Console
    from rich.table import Table

    from .. import pipeline, presets

    design = presets.load(preset)
    if fmt != "table" and entity is None and len(design.entities) != 1:
        raise DesignerError(f"--format {fmt} prints one entity: add --entity (one of {', '.join(design.entities)})")
    if rows > PREVIEW_HINT_ROWS:
        example = f"designer export {preset} --entity {entity or 'NAME'} -o - --format {'csv' if fmt == 'table' else fmt}"
        click.echo(f"designer: {rows:,} rows are more than a preview is for; `{example}` streams any number", err=True)
    frames = pipeline.preview(design, entity, rows, seed)
    if fmt != "table":
        from ..writers.files import encode

        for frame in frames.values():
            sys.stdout.buffer.write(encode(fmt, frame, True, {}))
        sys.stdout.flush()
        return
    # a table piped to a file or a program is read whole: its columns are not folded to a terminal's width
    console = Console() if sys.stdout.isatty() else Console(width=1_000_000)
    for name, frame in frames.items():
        # the title above the table, not in it: a table's title wraps at the table's width, so a
        # narrow table (two id columns) broke "PlaylistTrack (first 3 rows)" over two lines
        console.print(f"[italic]{name} (first {frame.height} rows)[/italic]", soft_wrap=True)
        table = Table()
        for column, dtype in frame.schema.items():
            table.add_column(f"{column}\n[dim]{dtype}[/dim]", overflow="fold")
        for row in frame.iter_rows():
            table.add_row(*["[dim]null[/dim]" if v is None else str(v) for v in row])
        console.print(table)


EXPORT_FORMATS = ("sqlite", "csv", "tsv", "parquet", "ndjson", "jsonl", "json", "postgres", "duckdb", "mysql")


def _known_format(ctx, param, value: str | None) -> str | None:
    """One line for an unknown format, like every other error (click's Choice would print the usage too)."""
    if value is not None and value not in EXPORT_FORMATS:
        raise DesignerError(f'--format "{value}": unknown format; use one of {", ".join(EXPORT_FORMATS)}')
    return value


def _finite_scale(ctx, param, value: float | None) -> float | None:
    # FloatRange lets inf and nan through; the rows they give are checked against the ceiling later
    if value is not None and not math.isfinite(value):
        raise DesignerError(f'--scale "{value}": give a finite number ≥ 0')
    return value


@main.command()
@_preset_argument(type=click.Path(dir_okay=True))
@click.option("-o", "--output", help="SQLite file (default ./<name>.sqlite), a directory, a file, '-' or a URL.")
@click.option(
    "--format",
    "fmt",
    callback=_known_format,
    metavar="FORMAT",
    help=f"{', '.join(EXPORT_FORMATS)}; inferred from the target's extension where it has one.",
)
@click.option("--rows", "rows", multiple=True, metavar="N|ENTITY=N", help="Rows of every root entity, or of one.")
@click.option("--scale", type=click.FloatRange(min=0), callback=_finite_scale, help="Multiply every root entity's rows.")
@click.option("--seed", type=click.IntRange(min=0), help="Override the design's seed.")
@click.option("--entity", "entities", multiple=True, help="Export only these entities (repeatable).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes generating blocks (1: a thread of this process draws ahead).",
)
@click.option(
    "--if-exists",
    "if_exists",
    type=click.Choice(["fail", "replace", "replace-cascade", "append"]),
    default="fail",
    show_default=True,
    help="replace-cascade (PostgreSQL): also drop the views and foreign keys that depend on the tables.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option(
    "--csv-safe",
    "csv_safe",
    is_flag=True,
    help="CSV/TSV: prefix text starting with = + - @ tab or CR with ' so spreadsheets do not run it.",
)
@click.option(
    "--connect-timeout",
    "connect_timeout",
    type=click.IntRange(min=2),
    metavar="SECONDS",
    help="PostgreSQL and MySQL: give up connecting after this long (default: the URL's connect_timeout, else 10).",
)
@click.option(
    "--statement-timeout",
    "statement_timeout",
    type=click.IntRange(min=0),
    metavar="SECONDS",
    help="PostgreSQL: longest a statement may run or the server stay silent (default 300; 0: no limit).",
)
@click.option("--cluster", metavar="ADDRESS", help="Write part files from Dask workers: a scheduler address, or local[:N].")
@click.option(
    "--no-constraints", "no_constraints", is_flag=True, help="Declare no keys, UNIQUE or foreign keys (to load dirty rows)."
)
@click.option(
    "--dirt-report", "dirt_report", metavar="PATH", help="Write each dirty cell's kind and clean value to a CSV or Parquet file."
)
@click.option("--dry-run", "dry_run", is_flag=True, help="Print the rows, size and time it would take; write nothing.")
def export(dry_run: bool, **given) -> None:
    """Generate the dataset into SQLite, CSV, TSV, Parquet, NDJSON, JSON or PostgreSQL."""
    options = ExportOptions(**given)
    if dry_run:
        from .export import run_dry_run

        return run_dry_run(options)
    if options.cluster:
        from .cluster import run_cluster_export

        if (
            options.csv_safe
            or options.connect_timeout is not None
            or options.statement_timeout is not None
            or options.if_exists == "replace-cascade"
            or options.no_constraints
            or options.dirt_report
        ):
            raise DesignerError(
                "--csv-safe, --connect-timeout, --statement-timeout, replace-cascade, --no-constraints and --dirt-report"
                " do not apply to --cluster exports"
            )
        return run_cluster_export(options)
    from .export import run_export

    run_export(options)


from .infer import infer  # noqa: E402

main.add_command(infer)

from .check import check  # noqa: E402  (registered last: it imports the helpers above)

main.add_command(check)

from .schema import schema  # noqa: E402

main.add_command(schema)

from .fmt import fmt  # noqa: E402

main.add_command(fmt)

from .providers import providers  # noqa: E402

main.add_command(providers)

from .stats import stats  # noqa: E402

main.add_command(stats)
