"""The Python API for tests and notebooks: a pytest fixture builds data without the CLI.

import designer
shop = designer.load("presets/ecommerce.toml")
users = shop.generate("users", rows=500, seed=1)      # a polars DataFrame
shop.export("shop.sqlite")                            # the same bytes as `designer export`
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from . import pipeline, presets
from .model import Design

if TYPE_CHECKING:
    from .writers.base import IfExists


@dataclass(frozen=True)
class Dataset:
    design: Design
    source: str | None = None

    @property
    def entities(self) -> list[str]:
        return list(self.design.entities)

    def preview(self, entity: str | None = None, rows: int = 10, seed: int | None = None) -> dict[str, pl.DataFrame]:
        """The first rows of each entity (or one), exactly as an export writes them."""
        return pipeline.preview(self.design, entity, rows, seed)

    def generate(self, entity: str, rows: int | dict[str, int] | None = None, seed: int | None = None) -> pl.DataFrame:
        """A whole entity in memory. `rows` sets every root entity (an int) or some of them (a dict)."""
        return pipeline.generate(self.design, entity, rows=self._rows(rows), seed=seed)

    def export(
        self,
        output: str | os.PathLike | None = None,
        *,
        format: str | None = None,
        rows: int | dict[str, int] | None = None,
        scale: float | None = None,
        seed: int | None = None,
        entities: list[str] | None = None,
        workers: int = 1,
        if_exists: IfExists = "fail",
        constraints: bool = True,
        dirt_report: str | os.PathLike | None = None,
    ) -> pipeline.ExportResult:
        """Write the dataset; the same targets and options as `designer export`."""
        from .writers import resolve_target

        target = resolve_target(
            None if output is None else str(output),
            format,
            self.design.info.name,
            len(entities or self.design.entities),
            if_exists,
        )
        return pipeline.export(
            self.design,
            target,
            rows=self._rows(rows),
            scale=scale,
            seed=seed,
            entities=entities,
            workers=workers,
            constraints=constraints,
            dirt_report=None if dirt_report is None else str(dirt_report),
        )

    def _rows(self, rows: int | dict[str, int] | None) -> dict[str, int] | None:
        if isinstance(rows, int):
            return {n: rows for n, e in self.design.entities.items() if e.parent is None}
        return rows


def load(path: str | os.PathLike) -> Dataset:
    """Read a preset; raises designer.errors.PresetError with the file and key path on bad input."""
    return Dataset(presets.load(path), str(path))


def loads(text: str) -> Dataset:
    return Dataset(presets.loads(text))
