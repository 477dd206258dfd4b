"""Design, entities, variants: the whole preset as one frozen value."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated

from pydantic import ConfigDict, Discriminator, StringConstraints, Tag, field_validator, model_validator
from pydantic import Field as PydField

from .base import Int, Number, Strict
from .counts import DISTRIBUTION, PARENT_FIELD, FieldCount, count_tag
from .dirt import EntityDirt
from .kinds import Field

FORMAT_VERSION = 1
DEFAULT_REFERENCE_TIME = dt.datetime(2025, 1, 1)

# Names are SQL identifiers: they become table, column and file names (the default export is
# ./<design name>.sqlite), so a slash, a NUL or a newline never gets that far. Case is kept:
# the writers quote every name, so `Artist` stays `Artist` in SQLite, PostgreSQL and file names.
NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"  # the design, entities, fields, variants, tables and columns
ENTITY_NAME = NAME  # entities once had to be lowercase; the name stays for code that imports it
EntityName = Annotated[str, StringConstraints(pattern=ENTITY_NAME)]
FieldName = Annotated[str, StringConstraints(pattern=NAME)]


def name_problem(name: object, *, entity: bool = False) -> str | None:
    """Why `name` is not a name (one line: the name is shown escaped), or None. Entities, fields,
    tables and columns all take the same names (`entity` is kept for the callers that say which)."""
    if isinstance(name, str) and re.fullmatch(NAME, name):
        return None
    shown = json.dumps(name) if isinstance(name, str) else repr(name)
    return f"{shown} is not a name: use letters, digits and _, not starting with a digit"


def as_name(text: str) -> str:
    """The nearest name to a file stem (`my-shop` -> `my_shop`), for a new design."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text)
    return name if re.fullmatch(NAME, name) else f"_{name}"


Locale = str | list[str] | dict[str, Number]

Count = Annotated[
    Annotated[Field, Tag(DISTRIBUTION)] | Annotated[FieldCount, Tag(PARENT_FIELD)],
    Discriminator(count_tag),
]
"""A count of children per parent row: an integer distribution, or a field of the parent row."""


class ParentLink(Strict):
    """A child entity: `count` rows for each row of the parent entity."""

    entity: str
    """The parent entity."""
    count: Count
    """Rows per parent: an integer distribution (const, uniform, poisson, zipf, choice), or
    `{ field = "seats" }`, a numeric field of the parent row."""


class Variant(Strict):
    """A trait: a share of rows takes these field overrides."""

    weight: float = PydField(ge=0, le=1)
    """Share of rows, 0..1."""
    group: str | None = None  # plain text to the TUI's form; checked as a name below
    """Variants of one group exclude each other; variants of different groups are drawn
    independently and combine (an admin can be suspended). Default: the one shared group."""
    fields: dict[FieldName, Field] = {}
    """Overrides; a field named only here is null in other rows."""
    children: dict[EntityName, Count] = {}
    """Rows per row of this variant for a child entity, instead of the child's parent.count:
    `children.posts = { kind = "const", value = 5 }` (an integer distribution)."""
    description: str | None = None

    @field_validator("group")
    @classmethod
    def _group_is_a_name(cls, value: str | None) -> str | None:
        if value is not None and (why := name_problem(value)) is not None:
            raise ValueError(why)
        return value


class Entity(Strict):
    """One table."""

    rows: Int | None = PydField(None, ge=0)
    """Rows of a root entity; `designer export --rows` and `--scale` override it."""
    parent: ParentLink | None = None
    """Makes this a child entity with `count` rows per parent row."""
    primary_key: str | list[str] | None = None
    """The key other entities reference; default: the first sequence or uuid field. A list of fields
    (["playlist_id", "track_id"]) is a composite key: distinct together, none of them null."""
    table: str | None = None
    """The table (and file) name the export writes, when it is not the entity's name: an existing schema's `Artist`."""
    description: str | None = None
    fields: dict[FieldName, Field] = {}
    """The columns, in order."""
    variants: dict[FieldName, Variant] = {}
    """Traits taken by a share of rows."""
    unique: list[list[str]] = []
    """Tuples of fields that are distinct together: [["order_id", "product_id"]]."""
    dirty: EntityDirt | None = None
    """Dirt on purpose across rows: duplicates, near duplicates, orphan references, shuffled rows."""

    @field_validator("primary_key")
    @classmethod
    def _key_list(cls, value):
        if isinstance(value, list):
            _field_tuple(value, "primary_key")
        return value

    @field_validator("unique")
    @classmethod
    def _unique_lists(cls, value):
        for names in value:
            _field_tuple(names, "unique")
            if len(names) < 2:
                raise ValueError(f"unique {names} names one field: set unique = true on that field instead")
        return value

    @field_validator("table")
    @classmethod
    def _table_is_a_name(cls, value: str | None) -> str | None:
        if value is not None and (why := name_problem(value)) is not None:
            raise ValueError(why)
        return value

    @model_validator(mode="after")
    def _rows_or_parent(self):
        if self.parent is not None and self.rows is not None:
            raise ValueError("a child entity takes its rows from parent.count; remove rows")
        for group, members in self.variant_groups().items():
            total = sum(self.variants[v].weight for v in members)
            if total > 1 + 1e-9:
                where = "" if group is None else f' of group "{group}"'
                raise ValueError(f"variant weights{where} add up to {total:g}, more than 1")
        _check_dirt(self)
        return self

    def variant_groups(self) -> dict[str | None, list[str]]:
        """The variants of each group, in file order (None: the variants without a group)."""
        groups: dict[str | None, list[str]] = {}
        for name, variant in self.variants.items():
            groups.setdefault(variant.group, []).append(name)
        return groups

    @property
    def key(self) -> str | None:
        """The primary key field, declared or implied; None for a composite key (see `key_fields`)."""
        if isinstance(self.primary_key, list):
            return self.primary_key[0] if len(self.primary_key) == 1 else None
        if self.primary_key:
            return self.primary_key
        return next((n for n, f in self.fields.items() if f.keys), None)

    @property
    def composite_key(self) -> tuple[str, ...] | None:
        """The fields of a primary key of two fields or more, or None."""
        if isinstance(self.primary_key, list) and len(self.primary_key) > 1:
            return tuple(self.primary_key)
        return None

    @property
    def key_fields(self) -> tuple[str, ...]:
        """The primary key's fields: one, several (composite) or none."""
        if (composite := self.composite_key) is not None:
            return composite
        return (self.key,) if self.key else ()

    @property
    def unique_tuples(self) -> list[tuple[str, ...]]:
        """Every tuple of fields that must be distinct together: a composite key, then `unique`."""
        tuples = [self.composite_key] if self.composite_key else []
        return tuples + [tuple(names) for names in self.unique]


def _check_dirt(ent: Entity) -> None:
    """Dirt is the base field's (it is applied to the finished column, whichever spec drew a row);
    orphans break references, so they name reference fields."""
    for vname, variant in ent.variants.items():
        if (name := next((n for n, f in variant.fields.items() if f.dirty is not None), None)) is not None:
            raise ValueError(f"variants.{vname}.fields.{name}.dirty: set dirt on the field itself, not in a variant")
    for name in ent.dirty.orphans if ent.dirty else ():
        if name not in ent.fields or not ent.fields[name].links:
            raise ValueError(f"dirty.orphans.{name}: not a parent or reference field of this entity")


def _field_tuple(names: list[str], option: str) -> None:
    """A list of field names: not empty, each a name, none twice."""
    if not names:
        raise ValueError(f"{option} lists no field; name one or more fields")
    for name in names:
        if (why := name_problem(name)) is not None:
            raise ValueError(why)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValueError(f"{option} names {twice[0]} twice")


class DesignInfo(Strict):
    """What the design is and what makes it reproducible."""

    name: FieldName = "untitled"
    """Name of the design; the default export is <name>.sqlite."""
    description: str | None = None
    seed: Int = PydField(0, ge=0)
    """Same preset + same seed = the same dataset, byte for byte."""
    locale: Locale = "en_US"
    """One locale, a list (equal shares), or a table of weights."""
    reference_time: dt.datetime = DEFAULT_REFERENCE_TIME
    """What "now" means in relative times."""

    @field_validator("reference_time")
    @classmethod
    def _wall_clock(cls, value: dt.datetime) -> dt.datetime:
        # Generated times carry no zone; an offset is dropped, as in a field's start and end.
        return value.replace(tzinfo=None)


class Design(Strict):
    """A whole preset."""

    # `info` in code, `[design]` in the preset: `design.info.seed` reads as what it is
    # a ConfigDict call (not a dict union) so that the pydantic plugin sees validate_by_name and takes Design(info=...)
    model_config = ConfigDict(**Strict.model_config, validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    format: Int = FORMAT_VERSION
    info: DesignInfo = PydField(default=DesignInfo(), alias="design")
    entities: dict[EntityName, Entity] = {}

    def is_child(self, entity: str) -> bool:
        return self.entities[entity].parent is not None

    def children_of(self, entity: str) -> list[str]:
        return [n for n, e in self.entities.items() if e.parent and e.parent.entity == entity]

    def subtree(self, entity: str) -> list[str]:
        """The entity and its descendants, parents before children, in design order."""
        members = [entity]
        for member in members:
            members += self.children_of(member)
        return members

    def table_of(self, entity: str) -> str:
        """The table an entity is written to: its `table`, else its name."""
        return self.entities[entity].table or entity

    def column_of(self, entity: str, field: str) -> str:
        """The column a field is written to: its `column` (set on the field, or on the variants'
        field of that name), else its name."""
        ent = self.entities[entity]
        if field in ent.fields:
            return ent.fields[field].column or field
        given = (v.fields[field].column for v in ent.variants.values() if field in v.fields)
        return next((c for c in given if c), field)

    def root_of(self, entity: str) -> str:
        seen = set()
        while (parent := self.entities[entity].parent) is not None and entity not in seen:
            seen.add(entity)
            entity = parent.entity
        return entity
