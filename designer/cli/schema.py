"""`designer schema`: the preset format's JSON Schema, for editors (taplo, Even Better TOML)."""

from __future__ import annotations

import click


@click.command()
def schema() -> None:
    """Print the JSON Schema of the preset format (the package ships it as designer/preset.schema.json)."""
    from ..presetschema import schema_text

    click.echo(schema_text(), nl=False)
