"""The live preview: the selected entity's first rows, exactly as the export writes them."""

from __future__ import annotations

import polars as pl
from rich.text import Text
from textual.widgets import DataTable

PREVIEW_ROWS = 50


class PreviewTable(DataTable):
    BORDER_TITLE = "Preview"

    def __init__(self, **kwargs):
        super().__init__(zebra_stripes=True, cursor_type="row", **kwargs)

    def show(self, entity: str, frame: pl.DataFrame, errors: dict[str, str]) -> None:
        self.clear(columns=True)
        self.border_title = f"Preview · {entity} · first {min(frame.height, PREVIEW_ROWS)} rows"
        names = list(frame.columns) + [n for n in errors if n not in frame.columns]
        for name in names:
            dtype = str(frame.schema[name]) if name in frame.columns else "failed"
            self.add_column(Text.assemble(name, (f" {dtype}", "dim")), key=name)
        for row in frame.head(PREVIEW_ROWS).iter_rows():
            cells = [Text("null", style="dim italic") if v is None else str(v) for v in row]
            cells += [Text(errors[n], style="bold red") for n in errors if n not in frame.columns]
            self.add_row(*cells)
        if frame.height == 0 and errors:
            self.add_row(*["" for _ in frame.columns], *[Text(errors[n], style="bold red") for n in errors if n not in frame.columns])

    def show_error(self, message: str) -> None:
        self.clear(columns=True)
        self.add_column("error")
        self.add_row(Text(message, style="bold red"))
