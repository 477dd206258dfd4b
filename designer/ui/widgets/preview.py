"""The live preview: the selected entity's first rows, exactly as the export writes them."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from types import MappingProxyType
from typing import TYPE_CHECKING, cast

import polars as pl
from rich.text import Text
from textual.widgets import DataTable

if TYPE_CHECKING:
    from ..app import DesignerApp  # the app imports this widget

PREVIEW_ROWS = 50
MAX_COLUMN_WIDTH = 40  # a paragraph column would push every other column off the panel
EMPTY_DESIGN = "No entities yet: press A to add one."
NO_FIELDS = "{entity} has no fields: press a to add one."


def type_name(dtype: pl.DataType) -> str:
    """The column type as a reader says it: datetime, not Datetime(time_unit='us', time_zone=None)."""
    if dtype.is_integer():
        return "int"
    if dtype.is_float() or dtype.is_decimal():
        return "float"
    for kind, name in (
        (pl.Datetime, "datetime"),
        (pl.Date, "date"),
        (pl.Time, "time"),
        (pl.Duration, "duration"),
        (pl.Boolean, "bool"),
        (pl.String, "text"),
        (pl.List, "list"),
        (pl.Array, "list"),
        (pl.Struct, "struct"),
        (pl.Binary, "bytes"),
        (pl.Null, "null"),
    ):
        if isinstance(dtype, kind) or dtype == kind:
            return name
    return str(dtype).lower()


DIRTY_STYLE = "bold magenta"  # a cell made dirty on purpose (a field's or an entity's `dirty`)
COPY_STYLE = "magenta"  # every cell of a row that copies another (an entity's duplicates and near duplicates)
COPY_LABELS = {"duplicate": "dup", "near_duplicate": "near"}  # a copy's row label, beside its cells


def _cell(value, dirty: bool, copy: bool = False) -> Text | str:
    if value is None:
        return Text("null", style=f"{DIRTY_STYLE} italic" if dirty else f"{COPY_STYLE} italic" if copy else "dim italic")
    if dirty:
        return Text(str(value), style=DIRTY_STYLE)
    return Text(str(value), style=COPY_STYLE) if copy else str(value)


class PreviewTable(DataTable):
    BORDER_TITLE = "Preview"

    def __init__(self, **kwargs):
        super().__init__(zebra_stripes=True, cursor_type="row", **kwargs)

    def on_mount(self) -> None:
        if not cast("DesignerApp", self.app).design.entities:
            self.show_hint(EMPTY_DESIGN)

    def show(
        self,
        entity: str,
        frame: pl.DataFrame,
        errors: dict[str, str],
        dirty: AbstractSet[tuple[int, str]] = frozenset(),
        copies: Mapping[int, str] = MappingProxyType({}),
    ) -> None:
        self.clear(columns=True)
        self.show_header = True
        self.border_title = f"Preview · {entity} · first {min(frame.height, PREVIEW_ROWS)} rows"
        names = list(frame.columns) + [n for n in errors if n not in frame.columns]
        if not names:
            self.show_hint(NO_FIELDS.format(entity=entity), f"Preview · {entity}")
            return
        rows = []
        for at, row in enumerate(frame.head(PREVIEW_ROWS).iter_rows()):
            cells = [_cell(v, (at, name) in dirty, at in copies) for v, name in zip(row, frame.columns, strict=True)]
            cells += [Text(errors[n], style="bold red") for n in errors if n not in frame.columns]
            rows.append(cells)
        for index, name in enumerate(names):
            dtype = type_name(frame.schema[name]) if name in frame.columns else "failed"
            label = Text.assemble(name, (f" {dtype}", "dim"))
            # Widths given, not measured: DataTable measures new rows only when idle, and lines
            # drawn before then stay cached at the labels' widths. Long text is cut, not wrapped.
            widest = max(
                [label.cell_len] + [Text(c).cell_len if isinstance(c, str) else c.cell_len for c in (r[index] for r in rows)]
            )
            self.add_column(label, key=name, width=min(widest, MAX_COLUMN_WIDTH))
        for at, cells in enumerate(rows):
            self.add_row(*cells, label=Text(COPY_LABELS[copies[at]], style=DIRTY_STYLE) if at in copies else None)
        if frame.height == 0 and errors:
            self.add_row(
                *["" for _ in frame.columns], *[Text(errors[n], style="bold red") for n in errors if n not in frame.columns]
            )

    def show_hint(self, hint: str, title: str = "Preview") -> None:
        """An empty state: what to do next, in place of rows."""
        self.clear(columns=True)
        self.border_title = title
        self.show_header = False
        self.add_column("", key="hint")
        self.add_row(Text(hint, style="italic"))

    def show_error(self, message: str) -> None:
        self.clear(columns=True)
        self.show_header = True
        self.add_column("error")
        self.add_row(Text(message, style="bold red"))
