"""Dirt on purpose: the options of a field's `dirty` table and an entity's `[entities.X.dirty]`.

Each field-level option is a rate, the share of rows that take that kind of dirt; a row takes one
kind at most, so the rates of a field add up to 1 at most. Which kinds suit a field depends on
the type of its values: text dirt on text, number dirt on numbers, date dirt on dates and times,
the `any` kinds everywhere. The engine (engine/dirt.py) applies them after the clean column is made.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

Rate = float

TEXT = ("typo", "case", "whitespace", "truncate", "mojibake", "homoglyph")
NUMBER = ("separators", "comma_decimal", "sign", "unit_slip", "out_of_range")
DATE = ("mixed_formats", "impossible_date", "tz_drift")
ANY = ("placeholder", "nulls")
FAMILIES: dict[str, tuple[str, ...]] = {"text": TEXT, "number": NUMBER, "date": DATE, "any": ANY}
KINDS: tuple[str, ...] = TEXT + NUMBER + DATE + ANY

# Kinds whose dirty value is no longer of the column's type (a number spelled "1.234,5", a date
# spelled "02/30/2025", "N/A" in a number column): a column with any of them is written as text.
AS_TEXT = frozenset({"separators", "comma_decimal", "mixed_formats", "impossible_date", "placeholder"})


def family_of(kind: str) -> str:
    return next(family for family, kinds in FAMILIES.items() if kind in kinds)


class _Options(BaseModel):
    # Strict's settings (model/base.py imports this module, so it cannot import Strict from there)
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


class Dirt(_Options):
    """A field's dirt: the share of rows that take each kind, 0..1, adding up to 1 at most."""

    typo: Rate = Field(0.0, ge=0, le=1)
    """Text: a keyboard-adjacent letter, two letters swapped, one dropped or one doubled."""
    case: Rate = Field(0.0, ge=0, le=1)
    """Text: all UPPER or all lower case, where the value was not."""
    whitespace: Rate = Field(0.0, ge=0, le=1)
    """Text: a leading, trailing or doubled inner space."""
    truncate: Rate = Field(0.0, ge=0, le=1)
    """Text: cut to a part of its length (a too-short column on the way)."""
    mojibake: Rate = Field(0.0, ge=0, le=1)
    """Text: UTF-8 read as Latin-1 ("Müller" -> "MÃ¼ller"); only values with non-ASCII letters change."""
    homoglyph: Rate = Field(0.0, ge=0, le=1)
    """Text: a Latin letter replaced by its Cyrillic look-alike (a, e, o, p, c, x ...)."""
    separators: Rate = Field(0.0, ge=0, le=1)
    """Numbers: spelled with thousands separators ("12,345.5"); the column is written as text."""
    comma_decimal: Rate = Field(0.0, ge=0, le=1)
    """Numbers: spelled with a decimal comma ("12345,5"); the column is written as text."""
    sign: Rate = Field(0.0, ge=0, le=1)
    """Numbers: the sign flipped."""
    unit_slip: Rate = Field(0.0, ge=0, le=1)
    """Numbers: multiplied by 10 or 1000 (a unit confused)."""
    out_of_range: Rate = Field(0.0, ge=0, le=1)
    """Numbers: a value past the field's min or max (fields with bounds)."""
    mixed_formats: Rate = Field(0.0, ge=0, le=1)
    """Dates and times: spelled MM/DD/YYYY, DD.MM.YYYY or as epoch seconds; the column is written as text."""
    impossible_date: Rate = Field(0.0, ge=0, le=1)
    """Dates and times: a day that does not exist ("2025-02-30"); the column is written as text."""
    tz_drift: Rate = Field(0.0, ge=0, le=1)
    """Date-times: shifted by whole hours, as a time zone applied twice or not at all."""
    placeholder: Rate = Field(0.0, ge=0, le=1)
    """Any field: "N/A", "-", "null", "0000-00-00" or "" in place of the value; the column is written as text."""
    nulls: Rate = Field(0.0, ge=0, le=1)
    """Any field: nulls beyond null_rate (the column is nullable)."""

    @model_validator(mode="after")
    def _at_most_one_kind_per_row(self):
        total = sum(self.rates().values())
        if total > 1 + 1e-9:
            raise ValueError(f"dirt rates add up to {total:g}, more than 1 (a row takes one kind at most)")
        return self

    def rates(self) -> dict[str, float]:
        """The kinds asked for, in a fixed order, with their rates."""
        return {kind: rate for kind in KINDS if (rate := getattr(self, kind))}

    def as_text(self) -> bool:
        """Whether the column is written as text: a kind asked for spells values in another type."""
        return any(kind in AS_TEXT for kind in self.rates())


class EntityDirt(_Options):
    """An entity's dirt: duplicate rows, broken references, rows out of order."""

    duplicates: Rate = Field(0.0, ge=0, le=1)
    """Share of rows written twice, exactly: the copy right after its row."""
    near_duplicates: Rate = Field(0.0, ge=0, le=1)
    """Share of rows written twice, the copy with a typo or case drift in one text field."""
    orphans: dict[str, Rate] = {}
    """Per reference field (`parent` or `reference`), the share of rows pointing at no row."""
    shuffle: bool = False
    """Rows written out of order (within each block of 16,384 rows of the root entity; fewer rows then
    no longer give the first rows of more)."""

    @model_validator(mode="after")
    def _rates(self):
        for name, rate in self.orphans.items():
            if not 0 <= rate <= 1:
                raise ValueError(f"orphans.{name} = {rate:g}: a rate is 0..1")
        return self

    def any(self) -> bool:
        return bool(self.duplicates or self.near_duplicates or any(self.orphans.values()) or self.shuffle)
