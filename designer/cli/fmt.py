"""`designer fmt`: lay a preset out by one set of rules, comments kept (designer/presets/layout.py)."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("presets", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when a file is not laid out so (for CI).")
def fmt(presets: tuple[str, ...], check: bool) -> None:
    """Normalize presets' layout (indentation, spaces, blank lines), keeping comments and key order.

    Every file is read and checked before any is written: one broken preset leaves them all as they are."""
    from pathlib import Path

    from ..presets import atomic_write_text, read_text
    from ..presets.layout import formatted

    texts = {preset: read_text(preset) for preset in presets}
    changed = {preset: out for preset, text in texts.items() if (out := formatted(text, file=preset)) != text}
    for preset, out in changed.items():
        if check:
            click.echo(f"{preset}: not formatted; `designer fmt {preset}` lays it out", err=True)
        else:
            atomic_write_text(Path(preset), out)  # checked to say what the file says before it is written
            click.echo(f"{preset}: formatted", err=True)
    if check and changed:
        sys.exit(1)
