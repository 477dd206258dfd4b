"""The field union: one model per kind, discriminated on `kind`."""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field as PydField

from .kinds_basic import Bool, Choice, Const, Faker, Sequence, Uuid
from .kinds_derived import Aggregate, Expression, Lookup, Parent, Reference, Template
from .kinds_numeric import Beta, Exponential, Gamma, Lognormal, Normal, Poisson, Uniform, Zipf
from .kinds_time import Anomaly, Date, Datetime, Series, Timeseries

KIND_MODELS = {
    model.model_fields["kind"].annotation.__args__[0]: model
    for model in (
        Const,
        Sequence,
        Uuid,
        Faker,
        Choice,
        Bool,
        Uniform,
        Normal,
        Lognormal,
        Exponential,
        Poisson,
        Zipf,
        Beta,
        Gamma,
        Date,
        Datetime,
        Template,
        Expression,
        Parent,
        Reference,
        Lookup,
        Aggregate,
        Series,
        Timeseries,
        Anomaly,
    )
}
"""kind name -> model class, in the order the format page lists them."""

Field = Annotated[Union[tuple(KIND_MODELS.values())], PydField(discriminator="kind")]

# Kinds that can give a child entity its row count per parent.
COUNT_KINDS = ("const", "uniform", "poisson", "zipf", "choice", "normal")
