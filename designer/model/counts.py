"""A child's rows per parent row read from a field of the parent row: `count = { field = "seats" }`.

It is a count, not a field kind: it has no column of its own, only ever stands where a count of
children does (`parent.count`, a variant's `children`), and takes its range and mean from the
field it reads. The domain helpers (domains.py) see it through `FieldCountView`, which the design
resolves, so what they ask of a count (range, mean, reach) has one answer for every count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from .base import Strict


class FieldCount(Strict):
    """Each parent row has as many children as a numeric field of that row says (null: none,
    below 0: none, a fraction: rounded)."""

    field: str
    """The parent entity's field that gives each of its rows its number of children."""

    counts: ClassVar[bool] = True
    kind: ClassVar[str] = "field"  # where a message names a count's kind


@dataclass(frozen=True)
class FieldCountView:
    """A FieldCount as a count distribution: the range and mean of the field it reads, over the
    field's spec and its variants' overrides (whichever a parent row takes), through lookups to
    the field they copy. A field whose largest value the model cannot know (an expression, an
    aggregate) does not bound it: the engine holds each row and the total to the row ceiling."""

    count: FieldCount
    own: tuple[Any, ...]  # the field's specs (nulls come from these too)
    specs: tuple[Any, ...]  # what draws its values (a lookup's looked-up field)

    counts: ClassVar[bool] = True
    kind: ClassVar[str] = "field"

    def count_range(self) -> tuple[int, int | None]:
        if not self.specs:  # a field the parent does not have (the loader refuses it)
            return 0, 0
        ranges = [spec.count_range() for spec in self.specs]
        lo = 0 if any(_may_be_none(spec) for spec in self.own + self.specs) else min(r[0] for r in ranges)
        highs = [r[1] for r in ranges]
        return lo, (None if any(h is None for h in highs) else max(h for h in highs if h is not None))

    def count_mean(self) -> float:
        """The mean of the specs' means (a variant's share is not weighed: it only has to catch the absurd)."""
        if not self.specs:
            return 0.0
        kept = 1 - sum(spec.null_rate for spec in self.own) / len(self.own) if self.own else 1.0  # a lookup's own nulls
        return kept * sum(_mean(spec) * (1 - spec.null_rate) for spec in self.specs) / len(self.specs)

    def reach(self) -> tuple[float, float]:
        """Where the field's values reach: its bounds, or for a distribution without a max where its
        draws reach; a field of another kind without a max adds nothing (the engine checks it)."""
        lo, hi = self.count_range()
        if hi is not None:
            return float(lo), float(hi)
        return float(lo), max((max(spec.reach()[1], 0.0) if hasattr(spec, "reach") else 0.0) for spec in self.specs)

    def count_problem(self) -> str | None:
        return None


def _may_be_none(spec) -> bool:
    """A row whose field is null or below 0 has no children."""
    return spec.null_rate > 0 or spec.may_be_null()


def _mean(spec) -> float:
    try:
        return max(spec.count_mean(), 0.0)
    except NotImplementedError:  # a field that is not a count distribution: the middle of its range
        lo, hi = spec.count_range()
        return (lo + hi) / 2 if hi is not None else float(lo)


def count_tag(value: Any) -> str:
    """The union tag of a count (design.Count): `{ field = "seats" }`, without a kind, reads a
    field; anything else is a distribution."""
    if isinstance(value, FieldCount) or (isinstance(value, dict) and "kind" not in value and "field" in value):
        return PARENT_FIELD
    return DISTRIBUTION


# The tags pydantic puts in an error's location; the loader's messages leave them out.
DISTRIBUTION, PARENT_FIELD = "distribution", "parent_field"
COUNT_TAGS = (DISTRIBUTION, PARENT_FIELD)
