"""Dates, times and signals over time."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator

from ...errors import PresetError
from ..base import FieldBase, Int, Node, Number
from ..deps import all_fields
from ..limits import check_last, check_moments
from ..timeexpr import check_moment, moment_field, parse_duration, parse_moment, renamed_moment

if TYPE_CHECKING:
    from typing import Self

    from ..checks import FieldCheck
    from ..design import Design

Moment = str | dt.datetime | dt.date


class _Span(FieldBase):
    start: Moment = "-1y"
    """ISO date/time, relative to reference_time ("now", "-90d", "-2y", "+6h"), or a field of the
    row with an optional offset: "{signup_at}", "{published_at} + 30d"."""
    end: Moment = "now"
    """ISO date/time, relative to reference_time, or a field of the row: "{published_at} + 30d"."""

    @field_validator("start", "end")
    @classmethod
    def _moment_parses(cls, value):
        check_moment(value)  # raises ValueError with the reason; the range is the design's check
        return value

    def moment_fields(self) -> dict[str, str]:
        """The fields start and end read, by option: {"start": "signup_at"}."""
        return {key: found[0] for key in ("start", "end") if (found := moment_field(getattr(self, key))) is not None}

    def relative(self) -> bool:
        """start or end is a field of the row: the span differs row by row."""
        return bool(self.moment_fields())

    def inputs(self, design: Design, entity: str) -> list[Node]:
        return [(entity, name) for name in dict.fromkeys(self.moment_fields().values())]

    def check(self, at: FieldCheck) -> None:
        for key, name in self.moment_fields().items():
            if name not in at.fields:
                at.fail(f'{key} names unknown field "{name}"{at.did_you_mean(name, at.fields)}', f"{at.path}.{key}")
        if self.relative() and self.unique:
            at.fail("unique cannot go with a start or end read from a field", f"{at.path}.unique")

    def time_bounds(self, design: Design) -> tuple[dt.datetime, dt.datetime] | None:
        if self.relative():  # row by row: edge cases keep to the values drawn
            return None
        now = design.info.reference_time
        return parse_moment(self.start, now), parse_moment(self.end, now)

    def edges_observed(self) -> bool:
        return self.relative()

    def may_be_null(self) -> bool:
        return self.relative()  # a null start or end, or start after end: no moment

    def domain_size(self, design: Design) -> int | None:
        if self.dtype != "date":  # timestamps: too many to count
            return None
        return self._days(design)

    def _days(self, design: Design) -> int | None:
        bounds = self.time_bounds(design)
        if bounds is None:
            return None
        start, end = bounds
        return max(0, (end.date() - start.date()).days + 1)

    def check_reach(self, design: Design, path: str, rows: float, per_parent: float | None) -> None:
        for key in ("start", "end"):
            value = getattr(self, key)
            if moment_field(value) is None:
                try:
                    parse_moment(value, design.info.reference_time)
                except ValueError as error:
                    raise PresetError(str(error), path=f"{path}.{key}") from None

    def with_field_renamed(self, old: str, new: str) -> Self:
        return self._changed(start=renamed_moment(self.start, old, new), end=renamed_moment(self.end, old, new))


class Date(_Span):
    """A date, uniform between start and end."""

    kind: Literal["date"]

    permutable: ClassVar[bool] = True

    def domain_size(self, design: Design) -> int | None:
        return self._days(design)

    def domain_first(self, design: Design) -> Any:
        bounds = self.time_bounds(design)
        return None if bounds is None else bounds[0].date()


class Datetime(_Span):
    """A timestamp (microseconds), uniform between start and end."""

    kind: Literal["datetime"]


class Series(FieldBase):
    """Evenly spaced values: numbers, or times with step = "1h"."""

    kind: Literal["series"]
    start: Number | Moment = 0
    """First value: a number, or a moment for times."""
    step: Number | str = 1
    """Distance between values: a number, or a duration such as "1h", "15m", "1d"."""
    per_parent: bool = False
    """Restart at start for each parent row (child entities)."""

    @field_validator("step")
    @classmethod
    def _step_parses(cls, value):
        if isinstance(value, str):
            parse_duration(value)
        elif value == 0:
            raise ValueError("step must not be 0")
        return value

    def check(self, at: FieldCheck) -> None:
        if self.per_parent and at.design.entities[at.entity].parent is None:
            at.fail("per_parent needs a child entity (this entity has no parent)")

    def check_reach(self, design: Design, path: str, rows: float, per_parent: float | None) -> None:
        check_moments(self, design, path)
        check_last(self, design, path, per_parent if self.per_parent and per_parent is not None else rows)

    def distinct_per_parent(self) -> bool:
        return self.per_parent  # start, start + step, ... with a step that is not 0


class Timeseries(FieldBase):
    """A signal over a time field: baseline x daily and weekly cycles + trend + noise, with anomalies."""

    kind: Literal["timeseries"]
    time: str
    """The datetime field the signal follows."""
    baseline: Number | str = 100
    """Level of the signal: a number, or the name of a field (a sensor's own baseline)."""
    trend: Number = 0
    """Change per day, counted from reference_time."""
    daily: float = Field(0.0, ge=0, le=1)
    """Daily cycle amplitude as a share of the baseline: peaks at noon, lowest at midnight."""
    weekly: float = Field(0.0, ge=0, le=1)
    """How much lower weekends are, as a share of the baseline."""
    noise: Number = Field(0, ge=0)
    """Standard deviation of the Gaussian noise."""
    anomaly_rate: float = Field(0.0, ge=0, le=1)
    """Share of readings that are anomalies (flag them with an `anomaly` field)."""
    anomaly_scale: Number = Field(3, ge=0)
    """Typical size of an anomaly's jump, in multiples of the baseline's noise or 10% of it."""
    decimals: Int | None = Field(None, ge=0, le=15)
    """Round to this many decimals."""

    starter: ClassVar[dict[str, Any]] = {"time": ""}

    @classmethod
    def first_options(cls, design: Design, entity: str) -> dict[str, Any]:
        axes = [n for n, f in design.entities[entity].fields.items() if isinstance(f, (Datetime, Series))]
        return {"time": next(iter(axes + list(all_fields(design, entity))), "")}

    @classmethod
    def choices(cls, design: Design, entity: str, data: dict[str, Any]) -> dict[str, list]:
        return {"time": [n for n, f in all_fields(design, entity).items() if isinstance(f, (Datetime, Date, Series))]}

    def inputs(self, design: Design, entity: str) -> list[Node]:
        return [(entity, n) for n in [self.time] + ([self.baseline] if isinstance(self.baseline, str) else [])]

    def check(self, at: FieldCheck) -> None:
        at.need(self.time, at.entity, "time")
        if isinstance(self.baseline, str):
            at.need(self.baseline, at.entity, "baseline")

    def with_field_renamed(self, old: str, new: str) -> Self:
        baseline = (new if self.baseline == old else self.baseline) if isinstance(self.baseline, str) else self.baseline
        return self._changed(time=new if self.time == old else self.time, baseline=baseline)


class Anomaly(FieldBase):
    """True where the named timeseries field has an anomaly: the flag to export beside it."""

    kind: Literal["anomaly"]
    field: str
    """The timeseries field."""

    starter: ClassVar[dict[str, Any]] = {"field": ""}

    @classmethod
    def first_options(cls, design: Design, entity: str) -> dict[str, Any]:
        return {"field": next((n for n, f in design.entities[entity].fields.items() if isinstance(f, Timeseries)), "")}

    @classmethod
    def choices(cls, design: Design, entity: str, data: dict[str, Any]) -> dict[str, list]:
        return {"field": [n for n, f in all_fields(design, entity).items() if isinstance(f, Timeseries)]}

    def inputs(self, design: Design, entity: str) -> list[Node]:
        return [(entity, self.field)]

    def check(self, at: FieldCheck) -> None:
        at.need(self.field, at.entity, "field")
        if not isinstance(at.fields[self.field], Timeseries):
            at.fail(f'field "{self.field}" is not a timeseries')

    def with_field_renamed(self, old: str, new: str) -> Self:
        return self._changed(field=new if self.field == old else self.field)


TimeField = Date | Datetime | Series | Timeseries | Anomaly
"""The time family: a new kind of it goes in this union (the field union is made of the families')."""
