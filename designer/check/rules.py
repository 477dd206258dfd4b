"""The rules a preset states, each checked on data read back: one Result per rule and place.

The data is held as one frame per entity under the design's field names (the reader maps the
written table and column names back). A rule that cannot be checked on this data (a helper field
the export leaves out, a table that is missing) is reported as skipped with the reason, never
passed silently. This module holds the table-wide rules and the declared laws; computed.py and
links.py the rules of computed and linking fields.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ..engine.kinds.basic import values_series, weights_of
from ..model.base import Bounded
from ..model.deps import specs_of
from ..model.design import Design
from ..model.domains import child_counts
from ..model.kinds import (
    Aggregate,
    Anomaly,
    Beta,
    Bool,
    Choice,
    Const,
    Date,
    Datetime,
    Expression,
    Lookup,
    Sequence,
    Series,
    Template,
    Timeseries,
    Uuid,
    Zipf,
)
from ..model.tuples import product_digit
from . import fit
from .base import FAIL, MIN_SAMPLE, PASS, SHOWN, SKIP, Result
from .computed import Computed
from .links import Links

__all__ = ["FAIL", "PASS", "SKIP", "Checker", "Result"]

UUID4 = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


class Checker(Computed, Links):
    """The rules of one design over the frames read back, in the design's order."""

    def run(self, rows: dict[str, int | None]) -> list[Result]:
        for entity in self.design.entities:
            if entity not in self.columns:
                continue  # exports nothing (every field a helper)
            self.shape(entity)
        for entity in self.design.entities:
            if entity not in self.frames:
                continue
            self.guarded(entity, self.row_count, entity, rows.get(entity))
            for rule in (self.keys, self.not_null, self.links, self.children):
                self.guarded(entity, rule, entity)
            for name in self.exported(entity):
                if name in self.typed[entity]:
                    self.guarded(f"{entity}.{name}", self.field, entity, name)
        return self.results

    def guarded(self, where: str, rule, *args) -> None:
        """A rule that cannot be computed on this data (values polars refuses to combine) fails,
        saying why, instead of ending the check with a traceback."""
        try:
            rule(*args)
        except (pl.exceptions.PolarsError, ValueError, TypeError, ArithmeticError, OverflowError) as error:
            reason = " ".join(str(error).split())[:200]
            self.add("computable", where, "its rules can be computed", f"cannot: {reason}", False)

    def shape(self, entity: str) -> None:
        table = self.design.table_of(entity)
        frame = self.frames.get(entity)
        if frame is None:
            self.add("table", entity, f"table {table}", "missing", False)
            return
        wanted = self.columns[entity]
        missing = [wanted[f].name for f in wanted if f not in frame.columns]
        shown = "missing " + ", ".join(missing) if missing else "all present"
        self.add("columns", entity, f"{len(wanted)} columns", shown, not missing)
        typed = set()
        for name, column in wanted.items():
            if name not in frame.columns:
                continue
            have = frame[name].dtype
            if have == column.dtype or have == pl.Null or (column.shape is not None and have.is_nested()):
                typed.add(name)
            else:
                self.add("type", f"{entity}.{name}", str(column.dtype), str(have), False)
        self.typed[entity] = typed

    def row_count(self, entity: str, expected: int | None) -> None:
        frame = self.frames[entity]
        ent = self.design.entities[entity]
        if ent.parent is None:
            self.add("rows", entity, f"{expected:,}", f"{frame.height:,}", frame.height == expected)
            return
        parent = ent.parent.entity
        if parent not in self.frames:
            self.add("rows", entity, f"per row of {parent}", f"{frame.height:,} ({parent} not in the data)", None)
            return
        n = self.frames[parent].height
        fewest, most = _per_parent(self.design, entity)
        lo, hi = n * fewest, (None if most is None else n * most)
        shown = f"{lo:,}..{'' if hi is None else f'{hi:,}'} ({n:,} {parent})"
        self.add("rows", entity, shown, f"{frame.height:,}", lo <= frame.height and (hi is None or frame.height <= hi))

    def keys(self, entity: str) -> None:
        ent = self.design.entities[entity]
        tuples: list[tuple[str, tuple[str, ...]]] = []
        if ent.key_fields:
            tuples.append(("primary key", ent.key_fields))
        for name, spec in ent.fields.items():
            if spec.unique and (name,) != ent.key_fields:
                tuples.append(("unique", (name,)))
        tuples += [("unique tuple", tuple(names)) for names in ent.unique]
        for rule, names in tuples:
            where = f"{entity}.{'+'.join(names)}" if len(names) > 1 else f"{entity}.{names[0]}"
            if not self.has(entity, *names):
                self.add(rule, where, "distinct", self.absent(entity, names), None)
                continue
            frame = self.frames[entity].select(names)
            if rule != "unique":
                nulls = frame.filter(pl.any_horizontal(pl.all().is_null())).height
                if nulls:
                    self.add(rule, where, "no nulls, distinct", f"{nulls:,} rows with a null", False)
                    continue
            present = frame.drop_nulls()
            repeats = present.filter(present.is_duplicated())
            if repeats.height:
                shown = ", ".join(
                    str(tuple(r) if len(r) > 1 else r[0]) for r in repeats.unique(maintain_order=True).head(SHOWN).rows()
                )
                self.add(rule, where, "distinct", f"{repeats.height:,} rows repeat a value ({shown})", False)
            else:
                self.add(rule, where, "distinct", f"{present.height:,} distinct", True)

    def not_null(self, entity: str) -> None:
        for name, column in self.columns[entity].items():
            if column.nullable or not self.has(entity, name):
                continue
            nulls = self.frames[entity][name].null_count()
            self.add("not null", f"{entity}.{name}", "no nulls", f"{nulls:,} nulls", nulls == 0)

    def children(self, entity: str) -> None:
        ent = self.design.entities[entity]
        if ent.parent is None:
            return
        where = f"{entity} per {ent.parent.entity}"
        counts = self.per_parent(entity)
        if counts is None:
            self.add("children", where, "within the count", "no parent field copying the parent's key", None)
            return
        options = child_counts(self.design, entity)
        lo, hi = _per_parent(self.design, entity)
        seen_lo, seen_hi = int(counts.min() or 0), int(counts.max() or 0)  # type: ignore[arg-type]  # counts: integers
        inside = seen_lo >= lo and (hi is None or seen_hi <= hi)
        self.add("children", where, f"{lo}..{'' if hi is None else hi} each", f"{seen_lo}..{seen_hi}", inside)
        if len(options) > 1:
            self.add("children law", where, "one count for every parent row", "parent variants have their own counts", None)
            return
        count = ent.parent.count
        if not hasattr(count, "as_count"):  # not a distribution: a count read from a field of the parent row
            self.children_from_field(entity, where, getattr(count, "field", ""), counts)
            return
        self.law("children law", where, count.as_count(), counts.cast(pl.Int64))

    # --- one field ----------------------------------------------------------------------------

    def children_from_field(self, entity: str, where: str, name: str, counts: pl.Series) -> None:
        """`count = { field = "seats" }`: each parent row has as many children as its field says,
        read as the engine reads it (rounded, null or below 0: none)."""
        parent = self.design.entities[entity].parent.entity  # type: ignore[union-attr]  # a child entity
        if not self.has(parent, name):
            self.add("children", where, f"{parent}.{name} each", self.absent(parent, [name]), None)
            return
        column = self.frames[parent][name]
        whole = column.round(0) if column.dtype.is_float() else column  # as the engine's _read_counts
        expected = whole.cast(pl.Float64).fill_nan(None).clip(lower_bound=0).fill_null(0).cast(pl.Int64)
        bad = int((expected != counts.cast(pl.Int64)).sum())
        shown = f"{bad:,} of {counts.len():,} {parent} rows have another number" if bad else f"all {counts.len():,} rows"
        self.add("children", where, f"{parent}.{name} each", shown, bad == 0)

    def field(self, entity: str, name: str) -> None:
        specs = specs_of(self.design, entity, name)
        base = self.design.entities[entity].fields.get(name)
        values = self.frames[entity][name]
        where = f"{entity}.{name}"
        self.bounds(where, specs, values)
        self.decimals(where, specs, values)
        if base is None or len(specs) > 1:
            return  # a variant's rows follow other specs: bounds and decimals hold for all, the rest for none
        if isinstance(base, Lookup):
            self.lookup(entity, name, base)
        elif isinstance(base, Aggregate):
            self.aggregate(entity, name, base)
        elif isinstance(base, Expression):
            self.expression(entity, name, base)
        elif isinstance(base, Template):
            self.template(entity, name, base)
        elif isinstance(base, (Sequence, Series)):
            self.sequence(entity, name, base)
        elif isinstance(base, (Date, Datetime)) and base.relative():
            self.between(entity, name, base)
        elif isinstance(base, Uuid):
            self.uuid(where, values)
        self.null_rate(entity, name, base, values)
        if base.edge_rate or base.unique or product_digit(self.design, entity, name) is not None:
            return  # edge cases, permutations and dealt tuples are not draws from the law
        self.law("law", where, base, values.drop_nulls())

    def uuid(self, where: str, values: pl.Series) -> None:
        present = values.drop_nulls().cast(pl.String)
        bad = present.filter(~present.str.contains(UUID4))
        shown = ", ".join(bad.head(SHOWN).to_list())
        self.add("uuid", where, "UUID v4 text", f"{bad.len():,} others ({shown})" if bad.len() else "all UUID v4", bad.len() == 0)

    def bounds(self, where: str, specs: list, values: pl.Series) -> None:
        present = values.drop_nulls()
        if not present.len():
            return
        if all(isinstance(s, Choice) for s in specs):
            allowed = pl.concat([_as(values_series(s.values), values.dtype) for s in specs])
            if allowed.null_count():
                return  # a value that does not cast to the column: the type rule speaks of it
            outside = present.filter(~present.is_in(allowed.implode()))
            shown = ", ".join(str(v) for v in outside.unique(maintain_order=True).head(SHOWN).to_list())
            self.add(
                "values",
                where,
                _few(allowed.unique(maintain_order=True).to_list()),
                f"{outside.len():,} others ({shown})" if outside.len() else "all among them",
                outside.len() == 0,
            )
            return
        if all(isinstance(s, Const) for s in specs):
            allowed = pl.concat([_as(pl.Series([s.value]), values.dtype) for s in specs])
            if allowed.null_count():
                return
            outside = present.filter(~present.is_in(allowed.implode()))
            self.add(
                "value",
                where,
                _few(allowed.unique(maintain_order=True).to_list()),
                f"{outside.len():,} others" if outside.len() else "as given",
                outside.len() == 0,
            )
            return
        ranges = [r for s in specs if (r := _range(self.design, s)) is not None]
        if (
            len(ranges) != len(specs)
            or not values.dtype.is_numeric()
            and values.dtype not in (pl.Date,)
            and not isinstance(values.dtype, pl.Datetime)
        ):
            return
        lows, highs = [r[0] for r in ranges], [r[1] for r in ranges]
        lo = None if any(v is None for v in lows) else min(lows)
        hi = None if any(v is None for v in highs) else max(highs)
        if lo is None and hi is None:
            return
        seen_lo, seen_hi = present.min(), present.max()
        ok = (lo is None or seen_lo >= _as_scalar(lo, values.dtype)) and (hi is None or seen_hi <= _as_scalar(hi, values.dtype))
        self.add("bounds", where, f"{_show(lo)}..{_show(hi)}", f"{_show(seen_lo)}..{_show(seen_hi)}", ok)

    def decimals(self, where: str, specs: list, values: pl.Series) -> None:
        places = {getattr(s, "decimals", None) for s in specs}
        if len(places) != 1 or (d := places.pop()) is None or not values.dtype.is_numeric():
            return
        present = values.drop_nulls().cast(pl.Float64)
        scaled = present * 10.0**d
        off = present.filter((scaled - scaled.round(0)).abs() > 1e-6 * scaled.abs().clip(lower_bound=1.0))
        shown = ", ".join(str(v) for v in off.head(SHOWN).to_list())
        self.add(
            "decimals",
            where,
            f"at most {d}",
            f"{off.len():,} with more ({shown})" if off.len() else f"at most {d}",
            off.len() == 0,
        )

    def null_rate(self, entity: str, name: str, spec, values: pl.Series) -> None:
        """A field whose nulls come from its null_rate alone (no inputs that may be null, nothing
        of its own that gives nulls): the share of nulls is binomial(rows, null_rate)."""
        if not spec.null_rate or spec.may_be_null() or spec.inputs(self.design, entity) or not values.len():
            return
        fitted = fit.binomial(values.null_count(), values.len(), spec.null_rate)
        self.add(
            "null rate", f"{entity}.{name}", f"{spec.null_rate:g}", f"{values.null_count() / values.len():.4f} ({fitted.detail})",
            fitted.p_value >= self.alpha, "binomial", fitted.p_value,
        )  # fmt: skip

    def law(self, rule: str, where: str, spec, values: pl.Series) -> None:
        """The values against the law the spec declares."""
        n = values.len()
        fitted: fit.Fit | None = None
        expected = ""
        if isinstance(spec, Choice):
            allowed = _as(values_series(spec.values), values.dtype)
            if allowed.null_count() or allowed.n_unique() != allowed.len() or n < MIN_SAMPLE:
                return
            counts = values.value_counts().rename({values.name: "v"})
            table = pl.DataFrame({"v": allowed}).join(counts, on="v", how="left")["count"].fill_null(0).to_numpy()
            extra = n - int(table.sum())  # values outside the choice: the values rule fails them
            fitted = fit.chi_square_categories(np.append(table, extra), np.append(weights_of(spec), 0.0))
            expected = "weights " + ":".join(f"{w:g}" for w in (spec.weights or [1] * len(spec.values)))
        elif isinstance(spec, Bool):
            if n < MIN_SAMPLE or values.dtype != pl.Boolean:
                return
            fitted = fit.binomial(int(values.sum()), n, spec.p)
            expected = f"p = {spec.p:g}"
        elif isinstance(spec, Anomaly):
            signal = self.design.entities[where.split(".")[0]].fields.get(spec.field)
            if not isinstance(signal, Timeseries) or n < MIN_SAMPLE or values.dtype != pl.Boolean:
                return
            fitted = fit.binomial(int(values.sum()), n, signal.anomaly_rate)
            expected = f"anomaly_rate = {signal.anomaly_rate:g} of {spec.field}"
        elif isinstance(spec, (Date, Datetime)) and not spec.relative():
            bounds = spec.time_bounds(self.design)
            if bounds is None or n < MIN_SAMPLE or not (values.dtype == pl.Date or isinstance(values.dtype, pl.Datetime)):
                return
            start, end = bounds
            if isinstance(spec, Date):
                lo, hi = _day(start), _day(end)
                units = values.cast(pl.Int32).cast(pl.Float64).to_numpy()
            else:
                lo, hi = _second(start), _second(end)
                units = (values.dt.cast_time_unit("us").cast(pl.Int64) // 1_000_000).cast(pl.Float64).to_numpy()
            if hi < lo:
                return
            width = hi - lo + 1
            uniform = fit.Continuous(
                lambda x: np.clip((x - (lo - 0.5)) / width, 0.0, 1.0),
                0.5,
                f"uniform {start:%Y-%m-%d %H:%M:%S}..{end:%Y-%m-%d %H:%M:%S}",
            )
            fitted, expected = fit.ks(units, uniform), uniform.label
        else:
            law = fit.law_of(spec)
            if law is None or n < MIN_SAMPLE or not values.dtype.is_numeric():
                return
            numbers = values.cast(pl.Float64).to_numpy()
            expected = law.label
            fitted = fit.chi_square_discrete(numbers, law) if isinstance(law, fit.Discrete) else fit.ks(numbers, law)
        self.add(rule, where, expected, fitted.detail, fitted.p_value >= self.alpha, fitted.test, fitted.p_value)

    # --- derived fields -----------------------------------------------------------------------


def _per_parent(design: Design, entity: str) -> tuple[int, int | None]:
    """The fewest and most rows of a child entity a parent row can have, over the parent link's
    count and its variants' `children` counts (None: no most)."""
    # a count that is no distribution (one read from a field of the parent row) gives its range itself
    ranges = [
        (count.as_count() if hasattr(count, "as_count") else count).count_range() for _, count in child_counts(design, entity)
    ]
    highs = [r[1] for r in ranges]
    return min(r[0] for r in ranges), (None if any(h is None for h in highs) else max(h for h in highs if h is not None))


def _range(design: Design, spec) -> tuple | None:
    """The smallest and largest value a spec can give, either None where open; None when it has
    no bounds to check (text, Faker, moments read from fields)."""
    if isinstance(spec, Beta):
        return spec.scaled_to()
    if isinstance(spec, Zipf):
        return (1, spec.max)
    if isinstance(spec, Bounded):
        lo, hi = spec.bounds()
        if getattr(spec, "positive", False) and lo is None:
            lo = 0
        return (lo, hi)
    if isinstance(spec, (Date, Datetime)):
        bounds = spec.time_bounds(design)
        if bounds is None:
            return None
        return (bounds[0].date(), bounds[1].date()) if isinstance(spec, Date) else bounds
    return None


def _as(values: pl.Series, dtype: pl.DataType) -> pl.Series:
    try:
        return values.cast(dtype, strict=True)
    except pl.exceptions.PolarsError:
        return pl.Series([None] * values.len(), dtype=dtype)


def _as_scalar(value, dtype):
    if isinstance(dtype, pl.Datetime) and not hasattr(value, "hour"):
        import datetime as dt

        return dt.datetime.combine(value, dt.time())
    return value


def _day(moment) -> int:
    import datetime as dt

    return (moment.date() - dt.date(1970, 1, 1)).days


def _second(moment) -> int:
    import datetime as dt

    return int((moment - dt.datetime(1970, 1, 1)).total_seconds())


def _show(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _few(values: list) -> str:
    shown = ", ".join(str(v) for v in values[:8])
    return shown + (f", ... ({len(values)})" if len(values) > 8 else "")
