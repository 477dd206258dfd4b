"""The kind registry: kind name -> function(spec, ctx) -> a column for the block."""

from __future__ import annotations

import numpy as np
import polars as pl

from . import basic, derived, fakerkind, numeric, times

KINDS = {
    "const": basic.const,
    "sequence": basic.sequence,
    "uuid": basic.uuid,
    "faker": fakerkind.faker,
    "choice": basic.choice,
    "bool": basic.boolean,
    "uniform": numeric.uniform,
    "normal": numeric.normal,
    "lognormal": numeric.lognormal,
    "exponential": numeric.exponential,
    "poisson": numeric.poisson,
    "zipf": numeric.zipf,
    "beta": numeric.beta,
    "gamma": numeric.gamma,
    "date": times.date,
    "datetime": times.datetime,
    "template": derived.template,
    "expression": derived.expression,
    "parent": derived.parent,
    "reference": derived.reference,
    "lookup": derived.lookup,
    "aggregate": derived.aggregate,
    "series": times.series,
    "timeseries": times.timeseries,
    "anomaly": times.anomaly,
}


def draw_counts(run, entity: str, block: int, parent_rows: int) -> np.ndarray:
    """Rows of a child entity for each of `parent_rows` parent rows, from its count distribution."""
    from ..context import FieldContext
    from ..run import FamilyBlock

    spec = run.plan.design.entities[entity].parent.count
    if spec.kind == "uniform" and spec.dtype is None:  # counts are whole: uniform means uniform int here
        spec = spec.model_copy(update={"dtype": "int"})
    shell = FamilyBlock(index=block, rows={entity: parent_rows}, offsets={entity: 0}, parent_index={})
    ctx = FieldContext(run, shell, entity, "__count__")
    counts = KINDS[spec.kind](spec, ctx)
    if counts.dtype.is_float():
        counts = counts.round(0)
    return np.maximum(counts.cast(pl.Int64).to_numpy(), 0)
