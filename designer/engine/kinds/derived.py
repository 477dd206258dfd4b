"""template, expression, parent, reference, lookup, aggregate: values computed from other fields."""

from __future__ import annotations

import numpy as np
import polars as pl
import pyarrow.compute as pc

from ...errors import GenerationError
from ...model.deps import TEMPLATE_NAME, expression_names, reference_key, via_target
from ...model.kinds import Aggregate, Expression, Lookup, Parent, Reference, Template
from ..columns import gather
from ..permute import drawn_once, drawn_per_parent
from .numeric import zipf_ranks
from .registry import draws

_SLUG_DROP = r"[^a-z0-9]+"


def _as_text(values: pl.Series) -> pl.Series:
    if values.dtype == pl.String:
        return values
    if values.dtype == pl.Datetime:
        return values.dt.to_string("%Y-%m-%dT%H:%M:%S")
    return values.cast(pl.String)


@draws(Template)
def template(spec: Template, ctx) -> pl.Series:
    parts: list[pl.Expr] = []
    columns: dict[str, pl.Series] = {}
    position = 0
    for match in TEMPLATE_NAME.finditer(spec.template):
        if match.start() > position:
            parts.append(pl.lit(spec.template[position : match.start()]))
        name = match.group(1)
        columns[name] = _as_text(ctx.column(name)).alias(name)
        parts.append(pl.col(name))
        position = match.end()
    if position < len(spec.template):
        parts.append(pl.lit(spec.template[position:]))
    if not columns:
        return transform(pl.Series([spec.template] * ctx.n, dtype=pl.String), spec.transform)
    out = pl.DataFrame(list(columns.values())).select(pl.concat_str(parts)).to_series()
    return transform(out, spec.transform)


def transform(values: pl.Series, how: str | None) -> pl.Series:
    if how in ("lower", "upper"):
        ascii_case = _ascii_case(values, pc.ascii_lower if how == "lower" else pc.ascii_upper)
        if ascii_case is not None:
            return ascii_case
        return values.str.to_lowercase() if how == "lower" else values.str.to_uppercase()
    if how == "title":
        return values.str.to_titlecase()
    if how == "slug":
        return slug(values)
    return values


def slug(values: pl.Series) -> pl.Series:
    """Lower-case ASCII words joined by '-'. Text in any script is transliterated by anyascii first
    (Cyrillic, Greek, Arabic, kana, hangul, Devanagari...; Han characters by their Mandarin reading),
    once per distinct non-ASCII value, so a name is never slugged to nothing."""
    ascii_text = _transliterated(values)
    out = ascii_text.str.to_lowercase().str.replace_all(_SLUG_DROP, "-").str.strip_chars("-")
    empty = (out == "") & (values != "")
    if empty.any():  # only punctuation or symbols with no ASCII spelling: their code points, never ""
        spelled = values.filter(empty).map_elements(_code_points, return_dtype=pl.String)
        out = out.scatter(empty.arg_true(), spelled)
    return out


def _transliterated(values: pl.Series) -> pl.Series:
    if values.len() == 0 or pc.all(pc.string_is_ascii(values.to_arrow())).as_py() is not False:
        return values
    from anyascii import anyascii  # imported here: only non-ASCII text needs it

    distinct = values.unique().drop_nulls()
    mapping = {v: anyascii(v) for v in distinct.to_list() if not v.isascii()}
    return values.replace(list(mapping), list(mapping.values())) if mapping else values


def _code_points(text: str) -> str:
    return "-".join(f"u{ord(c):04x}" for c in text if not c.isspace())


def _ascii_case(values: pl.Series, change) -> pl.Series | None:
    """The case changed byte by byte when all the text is ASCII (emails from names, mostly): Arrow's
    ASCII kernel is 5x faster than polars's Unicode mapping and gives the same. None otherwise."""
    array = values.to_arrow()
    if pc.all(pc.string_is_ascii(array)).as_py() is False:  # None: no text at all
        return None
    return pl.Series(values.name, change(array), dtype=pl.String)


@draws(Expression)
def expression(spec: Expression, ctx) -> pl.Series:
    names = expression_names(spec.expr)
    frame = pl.DataFrame([ctx.column(n) for n in names]) if names else pl.DataFrame({"__rows": np.zeros(ctx.n)})
    out = frame.select(pl.sql_expr(spec.expr).alias(ctx.field)).to_series()
    if len(out) != ctx.n:  # a constant expression gives one value: repeat it
        out = out.extend_constant(out[0], ctx.n - 1) if len(out) == 1 else out
    return out


@draws(Parent)
def parent(spec: Parent, ctx) -> pl.Series:
    return gather(ctx.column(spec.field, ctx.parent_entity), ctx.parent_index)


@draws(Reference)
def reference(spec: Reference, ctx) -> pl.Series:
    key = reference_key(ctx.design, spec)
    size = ctx.run.total_rows(spec.entity)
    roots = None
    if size == 0:
        if ctx.n:
            raise GenerationError(
                f"references {spec.entity}, which has no rows", path=f"entities.{ctx.entity}.fields.{ctx.field}"
            )
        rows = np.zeros(0, dtype=np.int64)
    elif spec.tree:
        rows, roots = _earlier_rows(spec, ctx)
    elif spec.unique:  # a sample without replacement, built: row r of this entity takes its r-th draw
        rows = drawn_once(ctx, size, spec.distribution == "zipf" and spec.exponent, spec.entity)
    elif spec.not_equal is not None or spec.weight is not None:  # the model refuses these with distinct
        assert key is not None  # the model's check refused a reference without a key
        rows = _ruled_rows(spec, ctx, key, size)
    elif spec.distinct_per_parent():  # a sample without replacement within each parent row
        rows = drawn_per_parent(ctx, size, spec.distribution == "zipf" and spec.exponent, spec.entity)
    elif spec.distribution == "zipf":
        # Popular rows are spread over the table, not the first ones: ranks go through a fixed permutation.
        ranks = zipf_ranks(ctx.rng(), spec.exponent, size, ctx.n)
        rows = ctx.entity_rng("popularity").permutation(size)[ranks]
    else:
        rows = ctx.rng().integers(0, size, ctx.n)
    ctx.extras["rows"] = rows  # lookups through this field read these rows
    out = gather(ctx.run.materialized(spec.entity, (key,))[key], rows)
    if roots is not None and roots.any():
        out = pl.select(pl.when(pl.lit(pl.Series(roots))).then(None).otherwise(pl.lit(out))).to_series()
    return out


def _ruled_rows(spec: Reference, ctx, key: str, size: int) -> np.ndarray:
    """Rows for a reference with not_equal or weight: drawn once each, never redrawn.

    Each row of this entity takes one uniform number u. uniform: a row among the size - 1 others,
    shifted past the excluded one. weight and zipf: the inverse of the cumulative weights with the
    excluded row's weight taken out (u spans the total less that weight and steps over its share),
    so the others keep their proportions exactly (renormalized, no rejection)."""
    excluded = _excluded_rows(spec, ctx, key) if spec.not_equal is not None else np.full(ctx.n, -1, dtype=np.int64)
    if spec.not_equal is not None and size < 2:
        raise GenerationError(
            f"not_equal needs at least 2 rows in {spec.entity} to choose another (it has {size})",
            path=f"entities.{ctx.entity}.fields.{ctx.field}.not_equal",
        )
    has = excluded >= 0
    if spec.weight is None and spec.distribution == "uniform":
        drawn = ctx.rng().integers(0, size - has.astype(np.int64)) if ctx.n else np.zeros(0, dtype=np.int64)
        return drawn + (has & (drawn >= excluded))
    if spec.weight is not None:
        order = None  # weights in row order
        weights = _weights(spec, ctx, size)
    else:  # zipf: weights by rank, ranks spread over the table by the same permutation as a plain zipf reference
        order = ctx.entity_rng("popularity").permutation(size)
        weights = np.arange(1, size + 1, dtype=np.float64) ** -float(spec.exponent)
        rank_of = np.empty(size, dtype=np.int64)
        rank_of[order] = np.arange(size)
        excluded = np.where(has, rank_of[np.maximum(excluded, 0)], -1)
    cumulative = np.cumsum(weights)
    before = np.where(has, cumulative[np.maximum(excluded, 0)] - weights[np.maximum(excluded, 0)], np.inf)
    mass = cumulative[-1] - np.where(has, weights[np.maximum(excluded, 0)], 0.0)
    if np.any(mass <= 0):
        raise GenerationError(
            f"every row of {spec.entity} but the excluded one has weight 0 in {spec.weight}",
            path=f"entities.{ctx.entity}.fields.{ctx.field}.weight",
        )
    u = ctx.rng().random(ctx.n) * mass
    u = np.where(u >= before, u + np.where(has, weights[np.maximum(excluded, 0)], 0.0), u)
    last = int(np.flatnonzero(weights > 0)[-1])
    picked = np.minimum(np.searchsorted(cumulative, u, side="right"), last)
    clash = has & (picked == excluded)  # rounding at the excluded row's edge: the next row with weight
    if clash.any():
        positive = np.flatnonzero(weights > 0)
        for i in np.flatnonzero(clash):
            others = positive[positive != excluded[i]]
            picked[i] = others[np.searchsorted(others, excluded[i]) % len(others)]
    return picked if order is None else order[picked]


def _excluded_rows(spec: Reference, ctx, key: str) -> np.ndarray:
    """For each row, the referenced row that the not_equal field points at (-1 where it is null)."""
    keys = ctx.run.materialized(spec.entity, (key,))[key]
    index = pl.DataFrame({"k": keys, "i": np.arange(len(keys), dtype=np.int64)}).unique("k", keep="first", maintain_order=True)
    other = ctx.column(spec.not_equal)
    if other.dtype != keys.dtype:
        other = other.cast(keys.dtype, strict=False)
    found = other.replace_strict(index["k"], index["i"], default=-1, return_dtype=pl.Int64)
    return found.fill_null(-1).to_numpy().astype(np.int64)


def _weights(spec: Reference, ctx, size: int) -> np.ndarray:
    """The weight field of the referenced rows, as numbers ≥ 0 (a null weighs 0)."""
    column = ctx.run.materialized(spec.entity, (spec.weight,))[spec.weight]
    path = f"entities.{ctx.entity}.fields.{ctx.field}.weight"
    if not (column.dtype.is_numeric() or column.dtype == pl.Null):
        raise GenerationError(f"weight {spec.entity}.{spec.weight} holds {column.dtype}, not numbers", path=path)
    weights = column.cast(pl.Float64).fill_null(0.0).fill_nan(0.0).to_numpy()
    if (weights < 0).any():
        first = int(np.flatnonzero(weights < 0)[0])
        raise GenerationError(
            f"weight {spec.entity}.{spec.weight} is negative ({weights[first]:g} in row {first + 1}); weights must be ≥ 0",
            path=path,
        )
    if not np.isfinite(weights).all():
        raise GenerationError(f"weight {spec.entity}.{spec.weight} is not finite in every row", path=path)
    if not (weights > 0).any():
        raise GenerationError(f"weight {spec.entity}.{spec.weight} is 0 in every row: no row can be chosen", path=path)
    return weights


def _earlier_rows(spec, ctx) -> tuple[np.ndarray, np.ndarray]:
    """tree = true: row g of the entity points at a row drawn evenly from rows 0..g-1, so following
    the links always ends at a root and never loops. Row 0 is a root, and each later row with
    probability root_rate. A row's parent depends only on its block's draws and its own index:
    the same for any row count, chunk size or worker count. Roots point at row 0 (masked null)."""
    index = np.arange(ctx.offset, ctx.offset + ctx.n, dtype=np.int64)
    rows = np.floor(ctx.rng().random(ctx.n) * index).astype(np.int64)
    roots = index == 0
    if spec.root_rate:
        roots |= ctx.rng("root").random(ctx.n) < spec.root_rate
    return np.where(roots, 0, rows), roots


@draws(Lookup)
def lookup(spec: Lookup, ctx) -> pl.Series:
    design = ctx.design
    target = via_target(design, ctx.entity, spec.via)
    via_spec = design.entities[ctx.entity].fields.get(spec.via)
    via_values = ctx.column(spec.via)
    if isinstance(via_spec, Parent):
        out = gather(ctx.column(spec.field, target), ctx.parent_index)
    else:
        rows = ctx.block.extras[(ctx.entity, spec.via)]["rows"]
        out = gather(ctx.run.materialized(target, (spec.field,))[spec.field], rows)
    if via_values.null_count():  # no row pointed to, nothing to look up
        out = pl.select(pl.when(pl.lit(via_values).is_null()).then(None).otherwise(pl.lit(out))).to_series()
    return out


def _stable_type(dtype: pl.DataType) -> pl.Expr:
    """count(*) is UInt32 under polars 1.x and Int64 under 2.x: integers are Int64 and floats Float64 whatever
    the library version, so a column's type (and a database's schema) never depends on it."""
    if dtype.is_integer():
        return pl.col("v").cast(pl.Int64)
    if dtype.is_float():
        return pl.col("v").cast(pl.Float64)
    return pl.col("v")


@draws(Aggregate)
def aggregate(spec: Aggregate, ctx) -> pl.Series:
    child = spec.entity
    names = expression_names(spec.expr)
    parents = ctx.block.parent_index[child]
    frame = pl.DataFrame([ctx.column(n, child) for n in names] + [pl.Series("__parent", parents, dtype=pl.Int64)])
    grouped = frame.group_by("__parent").agg(pl.sql_expr(spec.expr).alias("v"))
    grouped = grouped.sort("__parent").with_columns(_stable_type(grouped["v"].dtype))
    out = pl.Series("v", [None] * ctx.n, dtype=grouped["v"].dtype)
    if len(grouped):
        out = out.scatter(grouped["__parent"], grouped["v"])
    if spec.expr.strip().lower().startswith("count("):
        out = out.fill_null(0)
    if spec.decimals is not None and out.dtype.is_float():
        out = out.round(spec.decimals)
    return out
