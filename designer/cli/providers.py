"""`designer providers`: the Faker providers a preset may name, from the TUI picker's catalog."""

from __future__ import annotations

import json

import click

from ..errors import DesignerError


def _known_output(ctx, param, value: str) -> str:
    if value not in ("table", "json"):
        raise DesignerError(f'--format "{value}": use table or json')
    return value


@click.command()
@click.argument("search", required=False)
@click.option("--locale", default="en_US", show_default=True, help="The Faker locale the examples and costs are for.")
@click.option("--format", "fmt", default="table", callback=_known_output, metavar="table|json", help="table or json.")
def providers(search: str | None, locale: str, fmt: str) -> None:
    """List the Faker providers a preset may use: arguments, an example, column or per row and its cost.

    SEARCH keeps the providers whose name or description holds every word of it."""
    from ..provider_catalog import checked_locale, entry, matches

    names = matches(search, checked_locale(locale))
    if not names:
        raise DesignerError(f'no provider in {locale} matches "{search}"')
    entries = [entry(name, locale) for name in names]
    if fmt == "json":
        click.echo(json.dumps([e.as_dict() for e in entries], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Faker providers · {locale} · {len(entries)} shown", title_justify="left")
    for column in ("provider", "runs", "example", "arguments"):
        table.add_column(column, overflow="fold")
    for e in entries:
        runs = "column" if e.path == "vectorized" else "per row"
        if e.micros is not None:
            runs += f"\n[dim]{e.micros:.2g} µs a value[/dim]"
        example = escape(e.example[:80]) if e.example is not None else f"[dim]needs arguments: {escape(e.problem or '')}[/dim]"
        table.add_row(
            f"{e.name}\n[dim]{escape(e.doc[:60])}[/dim]" if e.doc else e.name,
            runs,
            example,
            escape(", ".join(str(a) for a in e.arguments)) or "-",
        )
    Console().print(table)
