"""Shared pieces of the preset model: strict config, number and dtype aliases, common field options."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .dirt import Dirt
from .limits import finite, in_int64, within_int64

if TYPE_CHECKING:  # the design holds fields; a field's methods only read the design they are given
    from typing import Self

    from .checks import FieldCheck
    from .design import Design

Node = tuple[str, str]
"""A field of an entity: (entity, field)."""


def _not_bool(value):
    # TOML's true is not 1: a bool where a number is meant is a mistake, never a count of one
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    return value


def _in_range(value):
    if isinstance(value, int) and not in_int64(value):
        raise ValueError(f"{value} is beyond 64-bit integers (-2^63..2^63-1)")
    if isinstance(value, float) and not finite(value):
        raise ValueError(f"must be a finite number, not {value}")
    return value


# ints stay ints, so a saved preset reads `min = 18`, not `min = 18.0`; both within int64 / finite
Number = Annotated[int | float, BeforeValidator(_not_bool), AfterValidator(_in_range)]
Int = Annotated[int, BeforeValidator(_not_bool), AfterValidator(_in_range)]
Dtype = Literal["int", "float", "str", "bool", "date", "datetime"]
# A plain union at the top (the TUI's form reads its members). The float member checks its input
# first: an int beyond int64 would otherwise pass as a float.
Scalar = (
    bool | Annotated[int, AfterValidator(_in_range)] | Annotated[float, BeforeValidator(_in_range)] | str | dt.date | dt.datetime
)
Probability = float

DTYPES: tuple[str, ...] = ("int", "float", "str", "bool", "date", "datetime")


class Strict(BaseModel):
    """Frozen, unknown keys refused, attribute docstrings kept as help text."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_attribute_docstrings=True,
        validate_default=False,
        allow_inf_nan=False,  # nan and inf are no bound, rate or parameter
    )


class FieldBase(Strict):
    """Options every field takes, whatever its kind."""

    null_rate: float = Field(0.0, ge=0, le=1)
    """Share of rows set to null, 0..1."""
    unique: bool = False
    """Every value distinct; an impossible request is refused before generation."""
    edge_rate: float = Field(0.0, ge=0, le=1)
    """Share of rows replaced by edge cases of the field's type, within its bounds."""
    export: bool = True
    """False keeps a helper column out of the output; other fields may still use it."""
    dtype: Dtype | None = None
    """int, float, str, bool, date or datetime, where the kind can produce more than one."""
    description: str | None = None
    """Free text, shown in the TUI."""
    column: str | None = None
    """The column name the export writes, when it is not the field's name: an existing schema's `ArtistId`."""
    dirty: Dirt | None = None
    """Dirt on purpose: the share of rows taking each kind (typo, placeholder, ...), applied after the clean value."""

    @field_validator("column")
    @classmethod
    def _column_is_a_name(cls, value: str | None) -> str | None:
        from .design import name_problem  # design imports the kinds, which import this module

        if value is not None and (why := name_problem(value)) is not None:
            raise ValueError(why)
        return value

    # What the code around the kinds asks of a field. Each kind answers in its own model (a family
    # module of model/kinds/) by overriding what differs from these defaults, so a new kind is one
    # model here and one drawer in engine/kinds/, and no central module names kinds.

    counts: ClassVar[bool] = False
    """Can give a child entity its number of rows per parent row."""
    links: ClassVar[bool] = False
    """Points at a row of another entity (a parent or reference field): a lookup can go through it."""
    keys: ClassVar[bool] = False
    """A natural primary key (distinct by construction): an entity without primary_key uses the first."""
    deals_once: ClassVar[bool] = False
    """Distinct in every row without the engine's help, so unique asks nothing of it."""
    permutable: ClassVar[bool] = False
    """With a finite domain_size, unique draws a permutation of the domain instead of redrawing."""
    numbered: ClassVar[bool] = False
    """Unique text is made distinct by numbering repeats (a redraw would give the same text)."""
    observed: ClassVar[bool] = False
    """Its bounds are not in the preset (a Faker provider's): edge cases stay within the values seen."""
    starter: ClassVar[dict[str, Any]] = {}
    """What the TUI fills in when the user switches a field to this kind (required options need one)."""
    continues: ClassVar[bool] = False
    """An append continues it past the values already in the target (`continued`): a sequence."""
    count_starter: ClassVar[dict[str, Any]] = {}
    """What the TUI fills in when the user picks this kind for a count of children (counts only)."""

    @classmethod
    def kind_name(cls) -> str:
        """The `kind` a preset writes for this model."""
        return cls.model_fields["kind"].annotation.__args__[0]  # type: ignore[union-attr]  # Literal["name"]

    @classmethod
    def first_options(cls, design: Design, entity: str) -> dict[str, Any]:
        """The TUI's first options of a field of this kind at this place in the design."""
        return dict(cls.starter)

    @classmethod
    def choices(cls, design: Design, entity: str, data: dict[str, Any]) -> dict[str, list]:
        """Options that name another part of the design: the names the TUI offers for each."""
        return {}

    def inputs(self, design: Design, entity: str) -> list[Node]:
        """The fields this one's values are computed from (the edges the plan orders)."""
        return []

    def target(self, design: Design, entity: str) -> str | None:
        """The entity a row of this field points at (for links)."""
        return None

    def check(self, at: FieldCheck) -> None:
        """Raise PresetError for what the field asks of the rest of the design (names that must exist)."""

    def domain_size(self, design: Design) -> int | None:
        """The number of distinct values, or None when it is large or unknown."""
        return None

    def bounds(self) -> tuple[Any, Any]:
        """The smallest and largest value where the kind has them (None: unbounded or not numeric)."""
        return getattr(self, "min", None), getattr(self, "max", None)

    def count_range(self) -> tuple[int, int | None]:
        """As a count: the smallest and largest count it can give (None: unbounded)."""
        lo, hi = self.bounds()
        return max(math.ceil(lo) if lo is not None else 0, 0), (math.floor(hi) if hi is not None else None)

    def count_mean(self) -> float:
        """As a count: about how many children a parent row has (it only has to catch the absurd)."""
        raise NotImplementedError(f"{self.kind_name()} is not a count")

    def count_problem(self) -> str | None:
        """Why this spec of a kind that counts cannot be a count, or None."""
        return None

    def check_reach(self, design: Design, path: str, rows: float, per_parent: float | None) -> None:
        """Raise PresetError where `rows` rows (`per_parent` per parent, for a child) would leave the
        calendar or the numbers: the limits (model/limits.py) of what the kind gives."""

    def time_bounds(self, design: Design) -> tuple[dt.datetime, dt.datetime] | None:
        """The first and last moment a time kind gives, where it says."""
        return None

    def edges_observed(self) -> bool:
        """Edge cases stay within the values drawn (bounds not in the preset, or row by row)."""
        return self.observed

    def domain_first(self, design: Design) -> Any:
        """The smallest value of a finite domain: where a permutation of it starts."""
        lo = self.bounds()[0]
        return 0 if lo is None else lo

    def json_shape(self) -> Any:
        """The nested polars type of a container value (Faker's pydict, json, ...), or None."""
        return None

    def fills_every_row(self) -> bool:
        """Gives a value in every row whatever its inputs are (a count over children)."""
        return False

    def parent_field(self) -> str | None:
        """The parent row's field this one copies (a parent field), or None."""
        return None

    def distinct_per_parent(self) -> bool:
        """Distinct among the rows of one parent row (a reference with distinct = "per_parent", a
        series restarting per parent): with a parent field, a unique tuple built by construction."""
        return False

    def shares_out(self) -> str | None:
        """The entity whose rows this field takes at most once per parent row (distinct = "per_parent")."""
        return None

    def uses_up(self) -> str | None:
        """The entity whose rows this field takes at most once each (a unique reference)."""
        return None

    def as_count(self) -> Self:
        """The spec the engine draws counts with (counts are whole numbers)."""
        return self

    def continued(self, lowest: Any, highest: Any) -> Self:
        """This spec drawing past the values an existing table holds, from `lowest` to `highest`
        (an append; only kinds with `continues` are asked)."""
        return self

    def may_be_null(self) -> bool:
        """Whether a value can be null without null_rate (the schema's column is then nullable)."""
        return False

    def copied_from(self, design: Design, entity: str) -> Node | None:
        """The (entity, field) whose value this field copies from the row it points through (a
        lookup), so its values are drawn by that field's spec."""
        return None

    def foreign_key(self, design: Design, entity: str) -> Node | None:
        """The (entity, field) this field's values are taken from, as a foreign key."""
        return None

    def relation(self) -> str | None:
        """How the summary shows what this field relates, after its name."""
        return None

    def with_field_renamed(self, old: str, new: str) -> Self:
        """This spec of the renamed field's own entity, reading the field by its new name."""
        return self

    def with_other_field_renamed(self, design: Design, here: str, entity: str, old: str, new: str) -> Self:
        """This spec of entity `here`, reading field `old` of another `entity` by its new name."""
        return self

    def with_entity_renamed(self, old: str, new: str) -> Self:
        """This spec, naming entity `old` by its new name."""
        return self

    def _changed(self, **changes: Any) -> Self:
        """This spec with the changes that change something (the same object when none do)."""
        changes = {k: v for k, v in changes.items() if getattr(self, k) != v}
        return self.model_copy(update=changes) if changes else self


class Bounded(FieldBase):
    """A numeric distribution truncated to [min, max]: drawn from the law conditioned on the window."""

    min: Number | None = None
    """Smallest value; the distribution is truncated, never piled up on the bound."""
    max: Number | None = None
    """Largest value; the distribution is truncated, never piled up on the bound."""
    decimals: Int | None = Field(None, ge=0, le=15)
    """Round to this many decimals."""

    @model_validator(mode="after")
    def _min_not_above_max(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) > max ({self.max})")
        return self

    def envelope(self) -> tuple[float, float]:
        """Where untruncated draws fall (within SIGMAS standard deviations); each kind says."""
        return (-math.inf, math.inf)

    def reach(self) -> tuple[float, float]:
        """The smallest and largest value a draw can give: the bounds where set, else the envelope."""
        lo, hi = self.envelope()
        lo, hi = (lo if self.min is None else self.min), (hi if self.max is None else self.max)
        return min(lo, hi), max(lo, hi)  # a window past the envelope: its draws sit at its bound

    def gives_ints(self) -> bool:
        return self.dtype == "int"

    @model_validator(mode="after")
    def _draws_fit(self):
        lo, hi = self.reach()
        if not (finite(lo) and finite(hi)):
            raise ValueError(
                f"draws can reach {lo:.3g}..{hi:.3g}, beyond the largest float: use smaller parameters or give min and max"
            )
        if self.gives_ints():
            within_int64(math.floor(lo), math.ceil(hi), "integer draws")
        return self
