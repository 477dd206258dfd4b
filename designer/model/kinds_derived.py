"""Kinds computed from other fields: in the same row, the parent row, or other entities."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from .base import FieldBase, Int, Number

Transform = Literal["lower", "upper", "title", "slug"]


class Template(FieldBase):
    """Text with {field} replaced by that field's value in the same row."""

    kind: Literal["template"]
    template: str
    """For example "{first_name}.{last_name}@example.com"."""
    transform: Transform | None = None
    """lower, upper, title or slug."""

    @field_validator("template")
    @classmethod
    def _braces(cls, value: str) -> str:
        return _balanced(value)


class Expression(FieldBase):
    """A polars SQL expression over fields of the same row."""

    kind: Literal["expression"]
    expr: str
    """For example "round(quantity * unit_price, 2)" or "CASE WHEN ... END"."""

    @field_validator("expr")
    @classmethod
    def _parses(cls, value: str) -> str:
        return _checked(value, aggregate=False)


class Parent(FieldBase):
    """The parent row's value of a field (child entities only)."""

    kind: Literal["parent"]
    field: str
    """The parent entity's field, usually its key."""


class Reference(FieldBase):
    """A value that exists in another entity: a foreign key."""

    kind: Literal["reference"]
    entity: str
    """The entity referenced."""
    field: str | None = None
    """Its key field; default: that entity's primary key."""
    distribution: Literal["uniform", "zipf"] = "uniform"
    """How often each row is referenced: evenly, or a few very often (zipf)."""
    exponent: Number = Field(1.2, gt=0)
    """Skew of the zipf distribution."""
    tree: bool = False
    """A reference to its own entity that points each row at an earlier row only: a hierarchy
    (org chart, categories, threads) with no cycles; the first row is a root (null)."""
    root_rate: float = Field(0.0, ge=0, le=1)
    """With tree: the share of rows after the first that are roots too (null), 0..1."""


class Lookup(FieldBase):
    """The value of a field in the row that a parent or reference field points to."""

    kind: Literal["lookup"]
    via: str
    """A parent or reference field of this entity."""
    field: str
    """The field to read in the row pointed to."""


class Aggregate(FieldBase):
    """A polars SQL aggregate over this row's children: sum(line_total), count(*), max(created_at)."""

    kind: Literal["aggregate"]
    entity: str
    """A child entity of this one."""
    expr: str
    """The aggregate expression."""
    decimals: Int | None = Field(None, ge=0, le=15)
    """Round to this many decimals."""

    @field_validator("expr")
    @classmethod
    def _parses(cls, value: str) -> str:
        return _checked(value, aggregate=True)


def _balanced(template: str) -> str:
    """The template, once every brace belongs to a {name}: a stray one (`{first_name`) would be
    written out as literal text in every row."""
    from .deps import TEMPLATE_NAME

    rest = TEMPLATE_NAME.sub(lambda m: " " * len(m.group(0)), template)
    for at, char in enumerate(rest):
        if char in "{}":
            raise ValueError(
                f'template "{template}" has an unmatched "{char}" at character {at + 1}; '
                "write a field as {name} (letters, digits, _)"
            )
    return template


def _checked(value: str, aggregate: bool) -> str:
    """The text, once designer allows it (sqlsafe: no files, no clock) and polars can parse it."""
    import polars as pl

    from .sqlsafe import check

    check(value, aggregate)  # before polars sees the text: its table functions would run
    try:
        pl.sql_expr(value)
    except Exception as error:  # polars raises several kinds for bad SQL
        shown = " ".join(value.split())  # one line, however the preset wraps it
        reason = " ".join(str(error).split())
        raise ValueError(f'cannot parse {"aggregate" if aggregate else "expression"} "{shown}": {reason}') from None
    return value
