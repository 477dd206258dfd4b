"""Rules for values computed from others or from the row's place: lookups, aggregates,
expressions, templates, sequences, series and moments between fields, each computed again from the
data with the engine's own code (or the same polars call) and compared."""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from ..engine.kinds.basic import sequence as draw_sequence
from ..engine.kinds.derived import template as draw_template
from ..engine.kinds.times import _moment_column as moment_column  # a row's start or end, as the engine reads it
from ..engine.kinds.times import series as draw_series
from ..model.deps import all_fields, expression_names, reference_key, template_names, via_target
from ..model.kinds import Aggregate, Date, Datetime, Expression, Lookup, Parent, Sequence, Series, Template
from .base import SHOWN, Base


class Computed(Base):
    def _same(self, rule: str, where: str, expected_values: pl.Series, observed: pl.Series, how: str, spec) -> None:
        """The field equals what it is computed from, row by row (nulls where its null_rate put them)."""
        mismatch = _differs(expected_values, observed)
        if spec.null_rate:
            mismatch &= observed.is_not_null()
        bad = int(mismatch.sum())
        shown = ""
        if bad:
            rows = pl.DataFrame({"expected": expected_values, "observed": observed}).filter(mismatch).head(SHOWN)
            shown = " (" + ", ".join(f"{o} for {e}" for e, o in rows.rows()) + ")"
        self.add(
            rule,
            where,
            how,
            f"{bad:,} of {observed.len():,} rows differ{shown}" if bad else f"all {observed.len():,} rows",
            bad == 0,
        )

    def lookup(self, entity: str, name: str, spec: Lookup) -> None:
        where = f"{entity}.{name}"
        target = via_target(self.design, entity, spec.via)
        via_spec = all_fields(self.design, entity)[spec.via]
        key = via_spec.parent_field() if isinstance(via_spec, Parent) else reference_key(self.design, via_spec)
        how = f"{target}.{spec.field} of the row {spec.via} points at"
        if spec.edge_rate:
            self.add("lookup", where, how, "edge cases replace some values", None)
            return
        if target is None or key is None or not (self.has(entity, spec.via) and self.has(target, key, spec.field)):
            self.add("lookup", where, how, "what it reads is not in the data", None)
            return
        source = (
            self.frames[target]
            .select(pl.col(key).alias("__via"), pl.col(spec.field).alias("__source"), pl.lit(True).alias("__found"))
            .unique("__via", keep="first")
        )
        joined = (
            self.frames[entity]
            .select(pl.col(spec.via).alias("__via"), pl.col(name))
            .join(source, on="__via", how="left", maintain_order="left")
        )
        # a row whose via points nowhere is the parent or reference rule's failure; here it reads nothing
        joined = joined.filter(pl.col("__found").is_not_null() | pl.col("__via").is_null())
        self._same("lookup", where, joined["__source"], joined[name], how, spec)

    def aggregate(self, entity: str, name: str, spec: Aggregate) -> None:
        where = f"{entity}.{name}"
        child = spec.entity
        how = f"{spec.expr} over {child}"
        link = self.parent_link(child) if child in self.frames else None
        inputs = expression_names(spec.expr)
        if spec.edge_rate:
            self.add("aggregate", where, how, "edge cases replace some values", None)
            return
        if link is None:
            self.add("aggregate", where, how, f"no {child} rows to group by their parent", None)
            return
        if not self.has(child, *inputs):
            self.add("aggregate", where, how, self.absent(child, inputs), None)
            return
        mine, theirs = link
        frame = self.frames[child].select([pl.col(mine).alias("__parent"), *[pl.col(n) for n in inputs]])
        grouped = frame.group_by("__parent").agg(pl.sql_expr(spec.expr).alias("__v"))  # as the engine computes it
        parents = self.frames[entity].select(pl.col(theirs).alias("__parent"), pl.col(name))
        joined = parents.join(grouped, on="__parent", how="left", maintain_order="left")
        expected = joined["__v"]
        if spec.fills_every_row():
            expected = expected.fill_null(0)
        if spec.decimals is not None and expected.dtype.is_float():
            expected = expected.round(spec.decimals)
        self._same("aggregate", where, expected, joined[name], how, spec)

    def expression(self, entity: str, name: str, spec: Expression) -> None:
        where = f"{entity}.{name}"
        inputs = expression_names(spec.expr)
        shown = " ".join(spec.expr.split())  # one line, however the preset wraps it
        if spec.edge_rate or spec.unique:
            self.add("expression", where, shown, "edge cases or numbering change its values", None)
            return
        if not self.has(entity, *inputs):
            self.add("expression", where, shown, self.absent(entity, inputs), None)
            return
        frame = self.frames[entity]
        source = frame.select(inputs) if inputs else pl.DataFrame({"__rows": np.zeros(frame.height)})
        expected = source.select(pl.sql_expr(spec.expr).alias(name)).to_series()
        if expected.len() == 1 and frame.height != 1:
            expected = expected.extend_constant(expected[0], frame.height - 1)
        self._same("expression", where, expected, frame[name], shown, spec)

    def sequence(self, entity: str, name: str, spec: Sequence | Series) -> None:
        """A sequence, or a series, holds start, start + step, ... once each (within each parent
        row's rows, with per_parent): the engine's own drawer, compared with the values sorted, so
        the order a database returns rows in (PostgreSQL moves an updated row) does not matter."""
        where = f"{entity}.{name}"
        rule = spec.kind
        per_parent = isinstance(spec, Series) and spec.per_parent
        shown = f"start {spec.start}, step {spec.step}" + (", per parent row" if per_parent else "")
        if spec.edge_rate or spec.null_rate:
            return  # edge cases and nulls take some of the steps
        parents = None
        descending = (spec.step < 0) if isinstance(spec.step, (int, float)) else False
        if per_parent:
            link = self.parent_link(entity)
            if link is None:
                self.add(rule, where, shown, "no parent field in the data", None)
                return
            frame = self.frames[entity].sort([link[0], name], descending=[False, descending], nulls_last=True)
            parents = frame[link[0]].rle_id().to_numpy()  # the engine counts a parent's rows from where the parent changes
        else:
            frame = self.frames[entity].sort(name, descending=descending, nulls_last=True)
        context = _Row(frame, self.design, entity, name, parents)
        expected = draw_sequence(spec, context) if isinstance(spec, Sequence) else draw_series(spec, context)
        self._same(rule, where, expected, frame[name], shown, spec)

    def between(self, entity: str, name: str, spec: Date | Datetime) -> None:
        """A moment read from fields lies between its row's start and end (whole days for a date),
        and is null where there is no such moment (a null start or end, or start after end)."""
        where = f"{entity}.{name}"
        shown = f"{spec.start} .. {spec.end}"
        inputs = list(spec.moment_fields().values())
        if spec.edge_rate:
            return
        if not self.has(entity, *inputs):
            self.add("between", where, shown, self.absent(entity, inputs), None)
            return
        frame = self.frames[entity]
        context = _Row(frame, self.design, entity, name)
        lo, hi = moment_column(spec, context, "start"), moment_column(spec, context, "end")
        value = frame[name].cast(pl.Datetime("us")).cast(pl.Int64)
        if isinstance(spec, Date):
            day = 86_400_000_000
            lo, hi, value = lo // day, hi // day, value // day
        fine = lo.is_not_null() & hi.is_not_null() & (lo <= hi)
        outside = (fine & value.is_not_null() & ((value < lo) | (value > hi))) | (~fine.fill_null(False) & value.is_not_null())
        missing = fine & value.is_null() if not spec.null_rate else pl.Series([False] * frame.height)
        bad = int((outside.fill_null(False) | missing.fill_null(False)).sum())
        self.add(
            "between",
            where,
            shown,
            f"{bad:,} of {frame.height:,} rows outside" if bad else f"all {frame.height:,} rows",
            bad == 0,
        )

    def template(self, entity: str, name: str, spec: Template) -> None:
        where = f"{entity}.{name}"
        inputs = template_names(spec.template)
        if spec.edge_rate:
            self.add("template", where, spec.template, "edge cases replace some values", None)
            return
        if not self.has(entity, *inputs):
            self.add("template", where, spec.template, self.absent(entity, inputs), None)
            return
        frame = self.frames[entity]
        expected = draw_template(spec, _Row(frame))  # the engine's own template, over the data read back
        observed = frame[name]
        if spec.unique and observed.dtype == pl.String:  # repeats are numbered: ann.lee2@example.com
            expected = pl.Series(
                [_numbered_as(o, e) for o, e in zip(observed.to_list(), expected.to_list(), strict=True)], dtype=pl.String
            )
        self._same(
            "template", where, expected, observed, spec.template + (f" ({spec.transform})" if spec.transform else ""), spec
        )


class _Row:
    """What the engine's drawers of computed kinds read of a block (its columns, its size, the
    design; a child's parent rows), served from a whole table read back: one block from row 0."""

    def __init__(self, frame: pl.DataFrame, design=None, entity: str = "", field: str = "", parent_index=None):
        self.frame = frame
        self.n = frame.height
        self.offset = 0
        self.design = design
        self.entity = entity
        self.field = field
        self.parent_index = parent_index

    def column(self, name: str, entity: str | None = None) -> pl.Series:
        return self.frame[name]


def _numbered_as(observed, expected):
    """The observed text when it is the expected one with a repeat's number (before the first @),
    else the expected text."""
    if observed is None or expected is None or observed == expected:
        return expected
    local, at, domain = expected.partition("@")
    pattern = re.escape(local) + r"[0-9]+" + (re.escape(at + domain) if at else "")
    return observed if re.fullmatch(pattern, observed) else expected


def _differs(expected: pl.Series, observed: pl.Series) -> pl.Series:
    """Row by row: the values differ (a null and a value differ; two nulls do not). Floats are
    compared to 1e-9 of their size: a value written as text and read back is the same double, but
    another machine's sum may round its last bit otherwise."""
    if expected.dtype.is_numeric() and observed.dtype.is_numeric():
        e, o = expected.cast(pl.Float64), observed.cast(pl.Float64)
        close = (e - o).abs() <= 1e-9 * e.abs().clip(lower_bound=1.0)
        both_null = e.is_null() & o.is_null()
        return ~(close.fill_null(False) | both_null)
    if expected.dtype != observed.dtype:
        try:
            expected = expected.cast(observed.dtype)
        except pl.exceptions.PolarsError:
            expected, observed = expected.cast(pl.String), observed.cast(pl.String)
    return ~expected.eq_missing(observed)
