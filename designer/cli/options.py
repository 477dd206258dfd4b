"""What `designer export` was asked to do: one value handed from the command to the export that runs it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import DesignerError
from ..model.limits import MAX_ROWS

if TYPE_CHECKING:
    from ..writers.base import IfExists  # the writers import polars: not at every CLI start


@dataclass(frozen=True)
class ExportOptions:
    """The options of `designer export`, by name (click's parameters, as given)."""

    preset: str
    output: str | None = None
    fmt: str | None = None
    rows: tuple[str, ...] = ()
    scale: float | None = None
    seed: int | None = None
    entities: tuple[str, ...] = ()
    workers: int = 1
    if_exists: IfExists = "fail"
    quiet: bool = False
    csv_safe: bool = False
    connect_timeout: int | None = None
    statement_timeout: int | None = None
    cluster: str | None = None
    no_constraints: bool = False
    dirt_report: str | None = None

    @property
    def writer_options(self) -> dict:
        """The options a single-machine writer takes (`writers.with_options`)."""
        return {"csv_safe": self.csv_safe, "connect_timeout": self.connect_timeout, "statement_timeout": self.statement_timeout}


def parse_rows(values: tuple[str, ...], roots: list[str]) -> dict[str, int]:
    """`--rows 500` sets every root entity; `--rows users=500` one of them."""
    rows: dict[str, int] = {}
    for value in values:
        name, _, count = value.rpartition("=")
        try:
            number = int(count)
        except ValueError:
            raise DesignerError(f'--rows "{value}": give N or ENTITY=N with N a whole number') from None
        if number < 0:
            raise DesignerError(f'--rows "{value}": rows cannot be negative')
        if number > MAX_ROWS:
            raise DesignerError(f'--rows "{value}": at most {MAX_ROWS:,} rows per entity')
        for entity in [name] if name else roots:
            rows[entity] = number
    return rows
