"""Rules for values computed from others: lookups, aggregates, expressions and templates, each
computed again from the data with the engine's own code (or the same polars call) and compared."""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from ..engine.kinds.derived import template as draw_template
from ..model.deps import all_fields, expression_names, reference_key, template_names, via_target
from ..model.kinds import Aggregate, Expression, Lookup, Parent, Template
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
        if spec.edge_rate:
            self.add("aggregate", where, how, "edge cases replace some values", None)
            return
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
    """What the engine's template drawer reads of a block, served from a frame read back."""

    def __init__(self, frame: pl.DataFrame):
        self.frame = frame
        self.n = frame.height

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
