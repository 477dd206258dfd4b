"""The field kinds: one model per kind, in a module per family, discriminated on `kind`.

A kind is a unit: its model (here) answers what the rest of the design asks of it (inputs,
checks, domain, counts, nulls, renames, the TUI's starter; see FieldBase), and its drawer in
engine/kinds/ registers against the model class. Adding a kind touches its family module here
(the model, and the family's union), its drawer's family module, and a test.
"""

from __future__ import annotations

import typing
from typing import Annotated

from pydantic import Field as PydField

from ..base import FieldBase
from .basic import BasicField, Bool, Choice, Const, Faker, Sequence, Uuid
from .derived import Aggregate, DerivedField, Expression, Lookup, Parent, Reference, Template
from .numeric import Beta, Exponential, Gamma, Lognormal, Normal, NumericField, Poisson, Uniform, Zipf
from .time import Anomaly, Date, Datetime, Series, TimeField, Timeseries

# An explicit union a type checker reads, made of each family's (so a new kind is added in its
# family module alone).
AnyField = BasicField | NumericField | TimeField | DerivedField
Field = Annotated[AnyField, PydField(discriminator="kind")]

# The format page's order, which the TUI's kind list and the loader's messages follow; a kind
# not named here comes after these, in family order.
_FORMAT_ORDER = [
    "const",
    "sequence",
    "uuid",
    "faker",
    "choice",
    "bool",
    "uniform",
    "normal",
    "lognormal",
    "exponential",
    "poisson",
    "zipf",
    "beta",
    "gamma",
    "date",
    "datetime",
    "template",
    "expression",
    "parent",
    "reference",
    "lookup",
    "aggregate",
    "series",
    "timeseries",
    "anomaly",
]


def _place(model: type[FieldBase]) -> int:
    name = model.kind_name()
    return _FORMAT_ORDER.index(name) if name in _FORMAT_ORDER else len(_FORMAT_ORDER)


KIND_MODELS: dict[str, type[FieldBase]] = {model.kind_name(): model for model in sorted(typing.get_args(AnyField), key=_place)}
"""kind name -> model class, in the order the format page lists them."""

COUNT_KINDS: tuple[str, ...] = ("const", "uniform", "poisson", "zipf", "choice", "normal")
"""Kinds that can give a child entity its row count per parent, in the order the TUI offers them."""

assert set(COUNT_KINDS) == {name for name, model in KIND_MODELS.items() if model.counts}, "counts flag and COUNT_KINDS differ"

__all__ = [
    "COUNT_KINDS",
    "KIND_MODELS",
    "AnyField",
    "BasicField",
    "DerivedField",
    "NumericField",
    "TimeField",
    "Field",
    "Const",
    "Sequence",
    "Uuid",
    "Faker",
    "Choice",
    "Bool",
    "Uniform",
    "Normal",
    "Lognormal",
    "Exponential",
    "Poisson",
    "Zipf",
    "Beta",
    "Gamma",
    "Date",
    "Datetime",
    "Template",
    "Expression",
    "Parent",
    "Reference",
    "Lookup",
    "Aggregate",
    "Series",
    "Timeseries",
    "Anomaly",
]
