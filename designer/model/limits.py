"""Hard ceilings on what a preset may ask for, checked at load so that no export can overflow,
allocate without bound or run for ever. docs/guide.md ("Limits") lists every one of them.

A number in a preset is an int64 or a finite float (base.Number); each kind says what its draws
can reach (`reach()`), and here the whole design is held to the row ceiling and the calendar.
"""

from __future__ import annotations

import datetime as dt
import math

from ..errors import PresetError

MAX_ROWS = 10**10
"""Rows per entity, expected: more than any machine this runs on could write."""
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_DEPTH = 32
"""Tables and arrays inside one another in a preset file (a real preset nests 6 deep)."""
MAX_ZIPF_RANKS = 10**7
"""zipf `max`: the ranks' cumulative weights are held in memory (8 bytes a rank)."""
MAX_POISSON_MEAN = 10**13
"""Where numpy's Poisson sampler is still exact: beyond about 1e14 its log-gamma acceptance test
loses the digits it needs (at 1e16 the variance comes out 1.4 times the mean)."""
SIGMAS = 40
"""How far a draw may fall from the centre, in standard deviations (e^-800: never)."""


def in_int64(value: float) -> bool:
    return INT64_MIN <= value <= INT64_MAX


def finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # a Python int too large for a float
        return False


def within_int64(lo: float, hi: float, what: str) -> None:
    """Refuse integer draws that could leave int64 (numpy's samplers and polars' columns)."""
    if not (in_int64(lo) and in_int64(hi)):
        raise ValueError(f"{what} can reach {_short(lo)}..{_short(hi)}, beyond 64-bit integers (±9.2e18)")


def _short(value: float) -> str:
    if abs(value) < 10**15 and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.3g}"


def check_limits(design) -> None:
    """Row ceilings of every entity (at their expected size) and moments within the calendar."""
    # base.py imports this module for its number limits; the design's counts come after it
    from .domains import count_view, mean_per_parent, most_of_child

    expected: dict[str, float] = {}

    def rows_of(name: str) -> float:
        if name not in expected:
            ent = design.entities[name]
            expected[name] = (
                float(ent.rows or 0) if ent.parent is None else (rows_of(ent.parent.entity) * mean_per_parent(design, name))
            )
        return expected[name]

    for name, entity in design.entities.items():
        where = f"entities.{name}"
        if entity.parent is not None:
            _check_count(count_view(design, name, entity.parent.count), f"{where}.parent.count")
        for vname, variant in entity.variants.items():
            for child, count in variant.children.items():
                _check_count(count_view(design, child, count), f"{where}.variants.{vname}.children.{child}")
        rows = rows_of(name)
        if rows > MAX_ROWS:
            key = "rows" if entity.parent is None else "parent.count"
            how = (
                ""
                if entity.parent is None
                else f" ({_short(rows_of(entity.parent.entity))} parent rows"
                f" × about {_short(mean_per_parent(design, name))} each)"
            )
            raise PresetError(
                f"{_short(rows)} rows{how} is more than the limit of {MAX_ROWS:,} rows per entity", path=f"{where}.{key}"
            )
        per_parent = most_of_child(design, name) if entity.parent is not None else None
        for _, spec, path in _specs(entity, where):
            spec.check_reach(design, path, rows, per_parent)


def _specs(entity, where: str):
    for fname, spec in entity.fields.items():
        yield fname, spec, f"{where}.fields.{fname}"
    for vname, variant in entity.variants.items():
        for fname, spec in variant.fields.items():
            yield fname, spec, f"{where}.variants.{vname}.fields.{fname}"


def _check_count(count, path: str) -> None:
    # a bounded count reaches its max, an unbounded one where its draws reach (SIGMAS deviations)
    from .counts import FieldCountView
    from .domains import most_per_parent

    if most_per_parent(count) > MAX_ROWS:
        fix = f"make {count.count.field} smaller" if isinstance(count, FieldCountView) else "give the count a smaller max"
        raise PresetError(
            f"a parent row could draw {_short(most_per_parent(count))} children, more than the limit "
            f"of {MAX_ROWS:,} rows per entity; {fix}",
            path=path,
        )


def check_moments(spec, design, path: str) -> None:
    """start and end of a time kind name a moment of the calendar (1..9999), from reference_time."""
    from .timeexpr import parse_moment

    for key in ("start", "end"):
        value = getattr(spec, key, None)
        if isinstance(value, (str, dt.date)):
            try:
                parse_moment(value, design.info.reference_time)
            except ValueError as error:
                raise PresetError(str(error), path=f"{path}.{key}") from None


def check_last(spec, design, path: str, rows: float) -> None:
    """The last value of a sequence or series, start + step × (rows - 1), is still a value."""
    from .timeexpr import parse_duration, parse_moment

    now = design.info.reference_time
    last = max(rows - 1, 0)
    if isinstance(spec.step, str):
        start = parse_moment(spec.start, now) if not isinstance(spec.start, (int, float)) else dt.datetime(1970, 1, 1)
        step = parse_duration(spec.step)
        months, rest = step if isinstance(step, tuple) else (0, step)
        reach_days = last * (months * 31 + rest / dt.timedelta(days=1))
        if reach_days > (dt.datetime(9999, 12, 31) - start).days:
            raise PresetError(
                f'{_short(rows)} rows of step "{spec.step}" from {start:%Y-%m-%d} go past the year 9999', path=f"{path}.step"
            )
        return
    if isinstance(spec.start, (int, float)) and isinstance(spec.step, (int, float)):
        end = spec.start + spec.step * last
        ints = isinstance(spec.start, int) and isinstance(spec.step, int)
        if not (in_int64(end) if ints else finite(end)):
            raise PresetError(
                f"{_short(rows)} rows of step {spec.step} from {spec.start} reach {_short(end)}, "
                f"beyond {'64-bit integers' if ints else 'the largest float'}",
                path=f"{path}.step",
            )
