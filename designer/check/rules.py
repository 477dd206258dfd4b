"""The rules a preset states, each checked on data read back: one Result per rule and place.

The data is held as one frame per entity under the design's field names (the reader maps the
written table and column names back). A rule that cannot be checked on this data (a helper field
the export leaves out, a table that is missing) is reported as skipped with the reason, never
passed silently.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np
import polars as pl

from ..engine.kinds.basic import values_series, weights_of
from ..engine.kinds.derived import template as draw_template
from ..model.base import Bounded
from ..model.deps import all_fields, expression_names, reference_key, specs_of, template_names, via_target
from ..model.design import Design
from ..model.domains import child_counts
from ..model.kinds import Aggregate, Beta, Bool, Choice, Const, Date, Datetime, Expression, Lookup, Parent, Template, Zipf
from ..model.tuples import copies_parent_key, product_digit
from ..writers.base import ColumnSpec, TableSpec
from . import fit

PASS, FAIL, SKIP = "pass", "fail", "skip"
MIN_SAMPLE = 30  # fewer values than this say too little about a law to test it
SHOWN = 3  # offending values quoted in a result


@dataclass(frozen=True)
class Result:
    rule: str
    where: str  # entity, or entity.field
    expected: str
    observed: str
    verdict: str  # pass, fail or skip
    test: str | None = None  # the statistical test, for the rules that use one
    p_value: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class Checker:
    """The rules of one design over the frames read back, in the design's order."""

    def __init__(self, design: Design, specs: list[TableSpec], frames: dict[str, pl.DataFrame], alpha: float):
        self.design = design
        self.alpha = alpha
        self.results: list[Result] = []
        self.specs = {s.name: s for s in specs}  # by written table name
        self.frames: dict[str, pl.DataFrame] = {}  # by entity, columns under field names
        self.columns: dict[str, dict[str, ColumnSpec]] = {}  # entity -> field -> its column spec
        for entity in design.entities:
            table = design.table_of(entity)
            spec = self.specs.get(table)
            if spec is None:
                continue
            by_column = {c.name: c for c in spec.columns}
            fields = {
                f: by_column[design.column_of(entity, f)]
                for f in all_fields(design, entity)
                if design.column_of(entity, f) in by_column
            }
            self.columns[entity] = fields
            if table in frames:
                frame = frames[table]
                self.frames[entity] = frame.select(
                    pl.col(design.column_of(entity, f)).alias(f) for f in fields if design.column_of(entity, f) in frame.columns
                )

    # --- helpers ------------------------------------------------------------------------------

    def add(self, rule: str, where: str, expected: str, observed: str, ok: bool | None, test=None, p=None) -> None:
        verdict = SKIP if ok is None else PASS if ok else FAIL
        self.results.append(Result(rule, where, expected, observed, verdict, test, p))

    def has(self, entity: str, *names: str) -> bool:
        """The entity's table was read and holds these fields with their designed types."""
        frame = self.frames.get(entity)
        return frame is not None and all(n in frame.columns and n in self.typed.get(entity, set()) for n in names)

    def absent(self, entity: str, names) -> str:
        """Why fields cannot be checked: helper fields the export leaves out, or columns not there."""
        gone = [n for n in names if not self.has(entity, n)]
        helpers = [n for n in gone if n not in self.columns.get(entity, {})]
        if helpers and len(helpers) == len(gone):
            return f"reads {', '.join(helpers)}, which the export leaves out (export = false)"
        return f"{', '.join(gone)} not in the data"

    def exported(self, entity: str) -> list[str]:
        return list(self.columns.get(entity, {}))

    # --- the rules ----------------------------------------------------------------------------

    def run(self, rows: dict[str, int | None]) -> list[Result]:
        self.typed: dict[str, set[str]] = {}
        for entity in self.design.entities:
            if entity not in self.columns:
                continue  # exports nothing (every field a helper)
            self.shape(entity)
        for entity in self.design.entities:
            if entity not in self.frames:
                continue
            self.row_count(entity, rows.get(entity))
            self.keys(entity)
            self.not_null(entity)
            self.links(entity)
            self.children(entity)
            for name in self.exported(entity):
                if name in self.typed[entity]:
                    self.field(entity, name)
        return self.results

    def shape(self, entity: str) -> None:
        table = self.design.table_of(entity)
        frame = self.frames.get(entity)
        if frame is None:
            self.add("table", entity, f"table {table}", "missing", False)
            return
        wanted = self.columns[entity]
        missing = [wanted[f].name for f in wanted if f not in frame.columns]
        self.add(
            "columns",
            entity,
            ", ".join(c.name for c in wanted.values()),
            "missing " + ", ".join(missing) if missing else "all present",
            not missing,
        )
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
            self.add("rows", entity, f"per row of {parent}", f"{frame.height:,} ({parent} missing)", None)
            return
        n = self.frames[parent].height
        ranges = [count.as_count().count_range() for _, count in child_counts(self.design, entity)]
        lo = n * min(r[0] for r in ranges)
        his = [r[1] for r in ranges]
        hi = None if any(h is None for h in his) else n * max(h for h in his if h is not None)
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

    def links(self, entity: str) -> None:
        """Every parent and reference field's value is a row of the entity it points at."""
        for name in self.exported(entity):
            spec = all_fields(self.design, entity)[name]
            pointed = spec.foreign_key(self.design, entity)
            if pointed is None:
                continue
            target, key = pointed
            rule = "parent" if isinstance(spec, Parent) else "reference"
            where = f"{entity}.{name}"
            if not (self.has(entity, name) and self.has(target, key)):
                self.add(rule, where, f"values of {target}.{key}", f"{target}.{key} not in the data", None)
                continue
            values = self.frames[entity][name].drop_nulls()
            orphans = values.filter(~values.is_in(self.frames[target][key].drop_nulls().implode()))
            shown = ", ".join(str(v) for v in orphans.unique(maintain_order=True).head(SHOWN).to_list())
            observed = (
                f"{orphans.len():,} of {values.len():,} point nowhere ({shown})"
                if orphans.len()
                else f"all {values.len():,} resolve"
            )
            self.add(rule, where, f"values of {target}.{key}", observed, orphans.len() == 0)

    def parent_link(self, entity: str) -> tuple[str, str] | None:
        """(child field, parent field): a parent field of this child entity copying a field distinct
        over the parent's rows, so rows can be grouped by their parent row."""
        ent = self.design.entities[entity]
        if ent.parent is None:
            return None
        for name, spec in ent.fields.items():
            if not isinstance(spec, Parent) or not copies_parent_key(self.design, entity, spec):
                continue
            if self.has(entity, name) and self.has(ent.parent.entity, spec.field):
                return name, spec.field
        return None

    def per_parent(self, entity: str) -> pl.Series | None:
        """Rows of this child entity per row of its parent, in the parent's order."""
        link = self.parent_link(entity)
        if link is None:
            return None
        mine, theirs = link
        parent = self.design.entities[entity].parent.entity  # type: ignore[union-attr]  # parent_link: a child
        counts = self.frames[entity].group_by(mine).len()
        keys = self.frames[parent].select(pl.col(theirs).alias(mine))
        return keys.join(counts, on=mine, how="left", nulls_equal=False)["len"].fill_null(0)

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
        ranges = [count.as_count().count_range() for _, count in options]
        lo, his = min(r[0] for r in ranges), [r[1] for r in ranges]
        hi = None if any(h is None for h in his) else max(h for h in his if h is not None)
        seen_lo, seen_hi = int(counts.min() or 0), int(counts.max() or 0)  # type: ignore[arg-type]  # counts: integers
        inside = seen_lo >= lo and (hi is None or seen_hi <= hi)
        self.add("children", where, f"{lo}..{'' if hi is None else hi} each", f"{seen_lo}..{seen_hi}", inside)
        if len(options) > 1:
            self.add("children law", where, "one count for every parent row", "parent variants have their own counts", None)
            return
        self.law("children law", where, ent.parent.count.as_count(), counts.cast(pl.Int64))

    # --- one field ----------------------------------------------------------------------------

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
        self.null_rate(entity, name, base, values)
        if base.edge_rate or base.unique or product_digit(self.design, entity, name) is not None:
            return  # edge cases, permutations and dealt tuples are not draws from the law
        self.law("law", where, base, values.drop_nulls())

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
