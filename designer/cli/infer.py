"""`designer infer`: a first preset from a schema or its rows, written under a temporary name
and renamed, never over an existing file unless asked."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import DesignerError


@click.command()
@click.argument("source")
@click.option("-o", "--output", help="The preset to write (default: print it).")
@click.option("--rows", type=click.IntRange(min=0), help="Rows of every root entity (default: the source's, else 100).")
@click.option("--sample", type=click.IntRange(min=1), default=10_000, show_default=True, help="Rows read per table to profile.")
@click.option("--name", help="The design's name (default: the source's).")
@click.option("--no-values", "no_values", is_flag=True, help="Copy no value from the rows: no categories, bounds or parameters.")
@click.option("--dialect", type=click.Choice(["postgres", "mysql", "sqlite"]), help="A .sql file's dialect (default: guessed).")
@click.option("--force", is_flag=True, help="Replace an existing -o file.")
def infer(source: str, output: str | None, rows, sample: int, name, no_values: bool, dialect, force: bool) -> None:
    """Write a preset inferred from a .sql DDL, a SQLite file, a postgresql:// URL, or CSV/TSV/Parquet/NDJSON files."""
    from .. import infer as inferring
    from ..model.design import name_problem
    from ..presets import atomic_write_text, loads

    if name is not None and (problem := name_problem(name)):
        raise DesignerError(f"--name: {problem}")
    target = Path(output) if output and output != "-" else None
    if target is not None and target.exists() and not force:
        raise DesignerError(f"{output}: already exists; pass --force to replace it")
    text = inferring.infer(source, name=name, rows=rows, sample=sample, no_values=no_values, dialect=dialect)
    loads(text, file=output or "<inferred>")  # what infer writes always loads: a failure here is infer's bug
    if target is None:
        click.echo(text, nl=False)
        return
    atomic_write_text(target, text)
    click.echo(f"designer: wrote {output}; review it, then: designer export {output}", err=True)


def offered(preset: str | None) -> str | None:
    """`designer edit` on a source rather than a preset (a SQLite file, a .sql DDL, a
    postgresql:// URL): offer to infer a preset beside it and open that instead."""
    from .. import infer as inferring
    from ..presets import atomic_write_text

    if preset is None or not _is_source(preset):
        return preset
    stem = inferring._default_name(preset)
    target = Path(stem + ".toml") if "://" in preset else Path(preset).with_name(stem + ".toml")
    if target.exists():
        raise DesignerError(f"{preset}: not a preset; {target} exists: open it with designer edit {target}")
    if not click.confirm(f"{preset} is not a preset. Infer one into {target} and open it?", default=True, err=True):
        raise DesignerError(f"{preset}: not a preset; infer one with designer infer {preset} -o {target}")
    atomic_write_text(target, inferring.infer(preset))
    return str(target)


def _is_source(preset: str) -> bool:
    if preset.startswith(("postgresql://", "postgres://")):
        return True
    path = Path(preset)
    if path.suffix.lower() == ".sql" and path.is_file():
        return True
    from ..infer.sqlite import is_sqlite

    return path.is_file() and is_sqlite(path)
