"""The `dtype` option: casting a kind's column to the type the user asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from ..errors import GenerationError

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

POLARS: dict[str, PolarsDataType] = {
    "int": pl.Int64,
    "float": pl.Float64,
    "str": pl.String,
    "bool": pl.Boolean,
    "date": pl.Date,
    "datetime": pl.Datetime("us"),
}


def cast_to(values: pl.Series, dtype: str, path: str) -> pl.Series:
    target = POLARS[dtype]
    if values.dtype == target:
        return values
    try:
        if dtype == "int" and values.dtype.is_float():
            return values.round(0).cast(pl.Int64)
        if dtype == "str" and values.dtype == pl.Datetime:
            return values.dt.to_string("%Y-%m-%dT%H:%M:%S")
        return values.cast(target, strict=True)
    except Exception as error:
        raise GenerationError(
            f"cannot make {values.dtype} values into dtype {dtype}: {str(error).splitlines()[0]}", path=path
        ) from None
