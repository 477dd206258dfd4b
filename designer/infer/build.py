"""A schema (and what its rows say) -> the text of a preset, each inferred field commented with
what it was inferred from. Entities come in dependency order; keys, references and parents
follow the foreign keys; a field's kind comes from its constraints, its rows, its name and type.
"""

from __future__ import annotations

import datetime as dt
import graphlib
import re
from functools import cache
from typing import Any

import polars as pl
import tomlkit

from ..model.guess import ALIASES, _provider
from . import profile, shapes
from .source import Column, ForeignKey, Schema, Table

DEFAULT_ROWS = 100
# Providers whose values stay within this many characters (en_US), so a VARCHAR(n) of at least
# that takes them; a shorter column gets text cut to fit instead of failing in PostgreSQL.
_WIDTH = {
    "first_name": 15,
    "last_name": 20,
    "name": 40,
    "user_name": 30,
    "email": 50,
    "company": 50,
    "city": 30,
    "state": 20,
    "state_abbr": 2,
    "country": 45,
    "postcode": 10,
    "street_address": 50,
    "address": 80,
    "phone_number": 24,
    "url": 50,
    "ipv4": 15,
    "job": 80,
    "catch_phrase": 80,
    "word": 20,
    "uuid4": 36,
    "country_code": 3,
    "currency_code": 3,
    "color_name": 20,
    "iban": 34,
    "ssn": 11,
    "license_plate": 10,
}
_LOREM = {"sentence", "paragraph", "text", "word"}
_NAME_RANGES = {  # whole-number columns named so, without a CHECK: a plausible range
    "age": (18, 90),
    "year": (1970, 2030),
    "quantity": (1, 10),
    "qty": (1, 10),
    "rating": (1, 5),
    "score": (0, 100),
    "stock": (0, 500),
    "count": (0, 100),
    "position": (1, 100),
    "length": (1, 200),
    "duration": (1, 600),
}


def _identifier(name: str) -> str:
    cleaned = re.sub(r"\W", "_", name, flags=re.ASCII) or "_"
    return "_" + cleaned if cleaned[0].isdigit() else cleaned


def _names(raw: list[str]) -> dict[str, str]:
    """Identifiers for names, distinct without case (as designer compares tables and columns):
    `First Name` -> `First_Name`, and a second `first_name` -> `first_name_2`."""
    taken: set[str] = set()
    out = {}
    for name in raw:
        base = candidate = _identifier(name)
        n = 1
        while candidate.lower() in taken:
            n += 1
            candidate = f"{base}_{n}"
        taken.add(candidate.lower())
        out[name] = candidate
    return out


class _Context:
    def __init__(self, schema: Schema, rows: int | None, no_values: bool):
        self.schema = schema
        self.rows = rows
        self.no_values = no_values
        self.entity = _names(list(schema.tables))
        self._fields = {name: _names(list(t.columns)) for name, t in schema.tables.items()}
        self.parent: dict[str, ForeignKey] = {}
        self.reference_time = _reference_time(schema) if not no_values else None
        self._choose_parents()

    def field(self, table: Table, column: str) -> str:
        return self._fields[table.name][column]

    def _choose_parents(self) -> None:
        """A child entity for a table whose key holds a foreign key (a junction or line-item
        table, or an extension one-to-one), and, where rows show how many children each parent
        row has, for a table whose one link to another table is a NOT NULL foreign key."""
        for table in self.schema.tables.values():
            fks = [fk for fk in table.foreign_keys if len(fk.columns) == 1 and fk.table != table.name]
            in_key = [fk for name in table.primary_key for fk in fks if fk.columns == (name,)]
            chosen = in_key[0] if in_key else None
            if chosen is None and table.sample is not None and len(fks) == 1 and len(table.foreign_keys) == 1:
                only = fks[0]
                if table.columns[only.columns[0]].not_null and only.columns[0] in table.child_counts:
                    chosen = only
            if chosen is not None and not self._loops(table.name, chosen.table):
                self.parent[table.name] = chosen

    def _loops(self, child: str, parent: str) -> bool:
        seen = {child}
        while parent not in seen:
            seen.add(parent)
            fk = self.parent.get(parent)
            if fk is None:
                return False
            parent = fk.table
        return True

    def order(self) -> list[str]:
        graph: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
        names = list(self.schema.tables)
        for name in names:
            table = self.schema.tables[name]
            graph.add(name, *[fk.table for fk in table.foreign_keys if fk.table != name])
        try:
            order = list(graph.static_order())
        except graphlib.CycleError:  # tables that point at each other: parents first, then as written
            order = []
            while len(order) < len(names):
                for name in names:
                    if name in order:
                        continue
                    parent = self.parent.get(name)
                    if parent is None or parent.table in order:
                        order.append(name)
        return order


def _reference_time(schema: Schema) -> dt.datetime | None:
    """The day after the latest moment the rows hold: relative spans count back from it."""
    latest = None
    for table in schema.tables.values():
        if table.sample is None:
            continue
        for column in table.columns.values():
            if column.family in ("date", "datetime", "datetimetz") and column.name in table.sample.columns:
                values = profile.moments(table.sample[column.name]).drop_nulls()
                if len(values) and values.dtype in (pl.Date,) or isinstance(values.dtype, pl.Datetime):
                    top = values.max()
                    if isinstance(top, dt.datetime):
                        top = top.replace(tzinfo=None)
                    elif isinstance(top, dt.date):
                        top = dt.datetime.combine(top, dt.time())
                    if isinstance(top, dt.datetime) and (latest is None or top > latest):
                        latest = top
    if latest is None:
        return None
    return dt.datetime.combine(latest.date() + dt.timedelta(days=1), dt.time())


def build(schema: Schema, *, name: str, rows: int | None = None, no_values: bool = False) -> str:
    ctx = _Context(schema, rows, no_values)
    doc = tomlkit.document()
    doc.add(tomlkit.comment(f"Inferred by `designer infer` from {schema.source}: a first draft to review."))
    doc.add(tomlkit.comment("Each field says what it was inferred from; change what the tests need."))
    doc.add("format", 1)
    design = tomlkit.table()
    design.add("name", name)
    design.add("seed", 1)
    if ctx.reference_time is not None:
        design.add("reference_time", ctx.reference_time)
        design["reference_time"].comment("the day after the latest moment in the rows")
    doc.add("design", design)
    entities = tomlkit.table(is_super_table=True)
    for table_name in ctx.order():
        entities.add(ctx.entity[table_name], _entity(ctx, schema.tables[table_name]))
    doc.add("entities", entities)
    return tomlkit.dumps(doc)


def _entity(ctx: _Context, table: Table) -> tomlkit.items.Table:
    out = tomlkit.table()
    if ctx.entity[table.name] != table.name:
        out.add(tomlkit.comment(f"table {table.name!r} is no name designer writes: it writes {ctx.entity[table.name]}"))
    parent = ctx.parent.get(table.name)
    if parent is not None:
        count, why = _count(ctx, table, parent)
        out.add("parent", _inline({"entity": ctx.entity[parent.table], "count": count}))
        out["parent"].comment(why)
    else:
        rows = ctx.rows if ctx.rows is not None else table.rows if table.rows is not None else DEFAULT_ROWS
        out.add("rows", rows)
        out["rows"].comment(
            "--rows" if ctx.rows is not None else f"rows in {ctx.schema.source}" if table.rows is not None else "default"
        )
    fields = tomlkit.table()
    specs: dict[str, tuple[dict[str, Any], str]] = {}
    for column in table.columns.values():
        if not column.writable and not (column.not_null and column.default is None and not column.autoincrement):
            fields.add(
                tomlkit.comment(f"{column.name} ({column.declared}) is left to the database: designer does not write that type")
            )
            continue
        spec, why = _field(ctx, table, column)
        specs[column.name] = (spec, why)
    _make_tuples_distinct(ctx, table, specs)
    key = [ctx.field(table, c) for c in table.primary_key]
    if len(key) > 1:
        out.add("primary_key", key)
        out["primary_key"].comment(f"from PRIMARY KEY ({', '.join(table.primary_key)})")
    elif key and not _is_default_key(table, specs):
        out.add("primary_key", key[0])
        out["primary_key"].comment(f"from PRIMARY KEY ({table.primary_key[0]})")
    if table.unique:
        out.add("unique", [[ctx.field(table, c) for c in group] for group in table.unique])
        out["unique"].comment("from UNIQUE (" + "), (".join(", ".join(g) for g in table.unique) + ")")
    for column_name, (spec, why) in specs.items():
        field_name = ctx.field(table, column_name)
        if field_name != column_name:  # `table` and `column` take identifiers only: the name itself changes
            why += f"; column {column_name!r} written as {field_name}"
        fields.add(field_name, _inline(spec))
        fields[field_name].comment(why)
    out.add("fields", fields)
    return out


def _is_default_key(table: Table, specs: dict[str, tuple[dict[str, Any], str]]) -> bool:
    """designer's default key is the first sequence or uuid field."""
    first = next((name for name, (spec, _) in specs.items() if spec.get("kind") in ("sequence", "uuid")), None)
    return first is not None and (first,) == table.primary_key


def _inline(data: dict[str, Any]) -> tomlkit.items.InlineTable:
    item = tomlkit.inline_table()
    for k, v in data.items():
        item[k] = _inline(v) if isinstance(v, dict) else v
    return item


def _count(ctx: _Context, table: Table, fk: ForeignKey) -> tuple[dict[str, Any], str]:
    histogram = table.child_counts.get(fk.columns[0])
    if histogram:
        measured = profile.counts_spec(histogram)
        return measured.spec, f"from FOREIGN KEY ({fk.columns[0]}): {measured.why}"
    if table.primary_key == fk.columns:
        return {"kind": "const", "value": 1}, f"from PRIMARY KEY ({fk.columns[0]}) REFERENCES {fk.table}: one row each"
    most = 5
    for other in table.foreign_keys:  # a distinct reference in the key cannot draw more rows than there are
        if other is not fk and other.columns[0] in table.primary_key:
            most = min(most, _rows_of(ctx, other.table))
    return {"kind": "uniform", "min": 0, "max": most}, f"from FOREIGN KEY ({fk.columns[0]}) in the key: 0 to {most} rows each"


def _rows_of(ctx: _Context, table_name: str) -> int:
    if table_name in ctx.parent:
        return _rows_of(ctx, ctx.parent[table_name].table)  # at least as many as its parent has, if every count is 1
    table = ctx.schema.tables[table_name]
    return ctx.rows if ctx.rows is not None else table.rows if table.rows is not None else DEFAULT_ROWS


def _field(ctx: _Context, table: Table, column: Column) -> tuple[dict[str, Any], str]:
    parent = ctx.parent.get(table.name)
    fk = table.fk_of(column.name)
    sample = table.sample[column.name] if table.sample is not None and column.name in table.sample.columns else None
    nulls = profile.null_share(sample) if sample is not None and not column.not_null else 0.0
    if parent is not None and parent.columns == (column.name,):
        ref = parent.ref_columns[0]
        return {"kind": "parent", "field": ctx.field(ctx.schema.tables[parent.table], ref)}, (
            f"from FOREIGN KEY ({column.name}) REFERENCES {parent.table} ({ref})"
        )
    if fk is not None:
        return _reference(ctx, table, column, fk, nulls)
    in_key = column.name in table.primary_key
    if in_key and len(table.primary_key) == 1:
        return _key(column, sample)
    if in_key and parent is not None and column.family == "int":
        return {"kind": "series", "start": 1, "per_parent": True}, f"from PRIMARY KEY ({', '.join(table.primary_key)})"
    spec, why = _value(ctx, table, column, sample)
    if column.unique and spec.get("kind") not in ("sequence", "uuid"):
        spec = _unique(spec, column)
        why += "; UNIQUE"
    if nulls and spec.get("kind") not in ("sequence", "uuid"):
        spec["null_rate"] = round(nulls, 4)
        why += f"; {nulls:.1%} null"
    for check in column.ignored_checks:  # the rows may break it: the reviewer is told
        why += f"; not reproduced: CHECK ({check})"
    return spec, why


def _key(column: Column, sample: pl.Series | None) -> tuple[dict[str, Any], str]:
    why = f"from PRIMARY KEY ({column.name})"
    if column.family == "int":
        return {"kind": "sequence"}, why
    looks = shapes.shape(sample, literal=False) if sample is not None and column.family == "text" else None
    if column.family == "uuid" or (looks is not None and looks[0].get("provider") == "uuid4"):
        return {"kind": "uuid"}, why
    spec = _unique(_text(column)[0], column)
    return spec, why


def _unique(spec: dict[str, Any], column: Column) -> dict[str, Any]:
    spec = dict(spec)
    if spec.get("kind") in ("const", "bool") or spec.get("provider") in ("word", "text", "sentence", "state_abbr", "boolean"):
        width = column.length or 16
        spec = {"kind": "faker", "provider": "bothify", "args": {"text": "?" * min(width, 12)}}
        if column.family == "int":
            spec = {"kind": "sequence"}
    if spec.get("kind") == "choice":
        return spec  # a choice of distinct values, one each: the rows must not outnumber them
    spec["unique"] = True
    return spec


def _reference(ctx: _Context, table: Table, column: Column, fk: ForeignKey, nulls: float) -> tuple[dict[str, Any], str]:
    target = ctx.schema.tables[fk.table]
    spec: dict[str, Any] = {"kind": "reference", "entity": ctx.entity[fk.table]}
    ref = fk.ref_columns[0] if fk.ref_columns else ""
    if ref and (ref,) != target.primary_key:
        spec["field"] = ctx.field(target, ref)
    why = f"from FOREIGN KEY ({column.name}) REFERENCES {fk.table} ({ref})"
    if fk.table == table.name and not column.not_null:
        spec["tree"] = True
        if nulls:
            spec["root_rate"] = round(nulls, 4)
            why += f"; {nulls:.1%} roots"
        return spec, why + "; a hierarchy"
    histogram = table.child_counts.get(column.name)
    skew = profile.reference_skew(histogram) if histogram else None
    if skew is not None:
        spec.update(skew.spec)
        why += "; " + skew.why
    if column.name in table.primary_key and table.name in ctx.parent:
        spec["distinct"] = "per_parent"
    elif column.unique:
        spec["unique"] = True
    if nulls:
        spec["null_rate"] = round(nulls, 4)
        why += f"; {nulls:.1%} null"
    return spec, why


def _value(ctx: _Context, table: Table, column: Column, sample: pl.Series | None) -> tuple[dict[str, Any], str]:
    if column.values:
        source = f"CHECK ({column.checks[-1]})" if column.checks else f"{column.declared}"
        return {"kind": "choice", "values": list(column.values)}, f"from {source}"
    present = sample.drop_nulls() if sample is not None else None
    if present is not None and len(present) and not ctx.no_values:
        measured = _from_rows(ctx, column, present)
        if measured is not None:
            return measured.spec, measured.why
    if present is not None and len(present) and column.family in ("text", "other"):
        found = shapes.shape(present, literal=False)
        if found is not None:
            spec, why = found
            return _fit_width(spec, column), why
    return _by_type(column)


def _from_rows(ctx: _Context, column: Column, present: pl.Series) -> profile.Measured | None:
    family = column.family
    if family == "bool":
        return profile.bool_share(present)
    if family in ("date", "datetime", "datetimetz") and ctx.reference_time is not None:
        moments = profile.moments(present).drop_nulls()
        if len(moments):
            return profile.time_span(moments, ctx.reference_time, date=family == "date")
    numeric = family in ("int", "decimal", "float") and present.dtype.is_numeric()
    if profile.categorical(present) and (family in ("int", "decimal", "text") or numeric):
        return profile.choice(present, family)
    if numeric:
        x = present.cast(pl.Float64).to_numpy()
        measured = profile.fit_numbers(x, integer=family == "int")
        if column.scale is not None and "decimals" in measured.spec:
            measured.spec["decimals"] = min(measured.spec["decimals"], column.scale)
        _clip(measured.spec, column)
        return measured
    if family in ("text", "other"):
        found = shapes.shape(present, literal=True)
        if found is not None:
            return profile.Measured(_fit_width(found[0], column), found[1])
        longest = int(present.cast(pl.String).str.len_chars().max() or 0)  # type: ignore[arg-type]
        spec, why = _text(column)
        if spec.get("provider") in _LOREM or spec.get("provider") is None:
            width = max(5, min(longest, column.length or longest))
            spec = {"kind": "faker", "provider": "text", "args": {"max_nb_chars": width}}
            why = f"free text up to {longest} characters (no value copied)"
        return profile.Measured(spec, why)
    return None


def _clip(spec: dict[str, Any], column: Column) -> None:
    """Measured bounds stay within the CHECK's."""
    if column.low is not None and spec.get("min") is not None:
        spec["min"] = max(spec["min"], _as(column.low, column))
    if column.high is not None and spec.get("max") is not None:
        spec["max"] = min(spec["max"], _as(column.high, column))


def _as(value: float, column: Column) -> int | float:
    return int(value) if column.family == "int" else value


def _by_type(column: Column) -> tuple[dict[str, Any], str]:
    family, lowered = column.family, column.name.lower()
    declared = column.declared or family
    if family == "int":
        lo, hi = _range(column, _NAME_RANGES.get(lowered.rsplit("_", 1)[-1], (0, 1000)))
        return {"kind": "uniform", "min": int(lo), "max": int(hi), "dtype": "int"}, _why_range(column, declared)
    if family in ("decimal", "float"):
        scale = column.scale if column.scale is not None else 2
        top = 1000.0
        if column.precision is not None:
            top = min(top, 10.0 ** (column.precision - scale) - 10.0**-scale)
        lo, hi = _range(column, (0.0, top))
        spec: dict[str, Any] = {"kind": "uniform", "min": float(lo), "max": float(hi), "decimals": scale}
        if scale == 0:
            spec = {"kind": "uniform", "min": int(lo), "max": int(hi), "dtype": "int"}
        return spec, _why_range(column, declared)
    if family == "bool":
        return {"kind": "bool"}, f"from {declared}"
    if family == "date":
        if "birth" in lowered:
            return {"kind": "date", "start": "-80y", "end": "-18y"}, f"from {declared} and the name"
        return {"kind": "date", "start": "-2y", "end": "now"}, f"from {declared}"
    if family in ("datetime", "datetimetz"):
        return {"kind": "datetime", "start": "-2y", "end": "now"}, f"from {declared}"
    if family == "time":
        return {"kind": "faker", "provider": "time"}, f"from {declared}"
    if family == "uuid":
        return {"kind": "uuid"}, f"from {declared}"
    if family == "json":
        return {"kind": "const", "value": "{}"}, f"from {declared}"
    return _text(column)


def _range(column: Column, default: tuple[float, float]) -> tuple[float, float]:
    lo, hi = default
    if column.low is not None and column.high is not None:
        return column.low, column.high
    if column.low is not None:
        return column.low, max(hi, column.low + (hi - lo))
    if column.high is not None:
        return min(lo, column.high - (hi - lo)), column.high
    return lo, hi


def _why_range(column: Column, declared: str) -> str:
    if column.checks:
        return "from CHECK (" + ") AND (".join(column.checks) + ")"
    return f"from {declared}" + (f" and the name {column.name}" if column.name.lower().rsplit("_", 1)[-1] in _NAME_RANGES else "")


def _snake(name: str) -> str:
    """`BillingAddress` -> `billing_address`, as the name guesses spell column names."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@cache
def _en_us() -> Any:
    from faker import Faker

    return Faker("en_US")


def _available(provider: str | None) -> bool:
    """Whether the design's locale (en_US, the default) has the provider: the catalog holds
    every locale's, and `postal_code` is no en_US provider."""
    return provider is not None and callable(getattr(_en_us(), provider, None))


def _named(name: str) -> str | None:
    for candidate in (name, _snake(name)):
        provider = _provider(candidate)
        if _available(provider):
            return provider
        parts = candidate.lower().split("_")
        for i in range(len(parts)):
            alias = ALIASES.get("_".join(parts[i:]))
            if _available(alias):
                return alias
    return None


def _text(column: Column) -> tuple[dict[str, Any], str]:
    provider = _named(column.name)
    why = f"from the name {column.name}" if provider else f"from {column.declared or 'text'}"
    spec = {"kind": "faker", "provider": provider or "word"}
    return _fit_width(spec, column), why


def _fit_width(spec: dict[str, Any], column: Column) -> dict[str, Any]:
    """Text that fits a VARCHAR(n): PostgreSQL refuses a longer value."""
    width = column.length
    provider = spec.get("provider")
    if width is None or spec.get("kind") != "faker":
        return spec
    if provider == "bothify" and len(spec["args"]["text"]) <= width:
        return spec
    if provider == "address" and width >= _WIDTH["street_address"]:
        return {"kind": "faker", "provider": "street_address"}
    if provider in _LOREM and provider != "word":
        return {"kind": "faker", "provider": "text", "args": {"max_nb_chars": max(5, width)}} if width >= 5 else _letters(width)
    if _WIDTH.get(str(provider), 10**6) <= width:
        return spec
    if provider in _WIDTH or provider == "word":
        return _letters(width) if width < 5 else {"kind": "faker", "provider": "text", "args": {"max_nb_chars": width}}
    return spec  # a provider of unknown width: left as the name says


def _letters(width: int) -> dict[str, Any]:
    return {"kind": "faker", "provider": "lexify", "args": {"text": "?" * max(1, width)}}


def _make_tuples_distinct(ctx: _Context, table: Table, specs: dict[str, tuple[dict[str, Any], str]]) -> None:
    """A composite key or UNIQUE tuple designer accepts: distinct by construction. Where no
    field of it is distinct already, its first whole-number field that is no reference becomes a
    sequence (a line number per parent row in a child entity), else its first field unique."""
    groups = [table.primary_key] if len(table.primary_key) > 1 else []
    groups += table.unique
    child = table.name in ctx.parent
    for group in groups:
        members = [specs[c][0] for c in group if c in specs]
        if len(members) < len(group):
            continue
        kinds = [m.get("kind") for m in members]
        if any(m.get("unique") or m.get("kind") in ("sequence", "uuid") for m in members):
            continue
        if "parent" in kinds and any(m.get("distinct") == "per_parent" or m.get("per_parent") for m in members):
            continue
        if "parent" in kinds:
            ref = next((c for c in group if specs[c][0].get("kind") == "reference"), None)
            if ref is not None:
                specs[ref][0]["distinct"] = "per_parent"
                specs[ref][0].pop("unique", None)
                continue
        spare = next(
            (c for c in group if specs[c][0].get("kind") not in ("parent", "reference") and table.columns[c].family == "int"),
            None,
        )
        if spare is not None:
            spec = {"kind": "series", "start": 1, "per_parent": True} if child else {"kind": "sequence"}
            specs[spare] = (spec, specs[spare][1] + f"; numbered so ({', '.join(group)}) stays distinct")
            continue
        other = next((c for c in group if specs[c][0].get("kind") not in ("parent", "reference")), None)
        if other is not None:
            specs[other] = (_unique(specs[other][0], table.columns[other]), specs[other][1] + "; UNIQUE so the tuple is")
