"""Kinds computed from other fields: in the same row, the parent row, or other entities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator

from ..base import Bounded, FieldBase, Int, Node, Number
from ..deps import TEMPLATE_NAME, all_fields, expression_names, reference_key, template_names, via_target
from ..domains import bound_per_parent, expected_rows
from ..sqlsafe import rename_in_sql

if TYPE_CHECKING:
    from typing import Self

    from ..checks import FieldCheck
    from ..design import Design

Transform = Literal["lower", "upper", "title", "slug"]


class Template(FieldBase):
    """Text with {field} replaced by that field's value in the same row."""

    kind: Literal["template"]
    template: str
    """For example "{first_name}.{last_name}@example.com"."""
    transform: Transform | None = None
    """lower, upper, title or slug."""

    numbered: ClassVar[bool] = True
    starter: ClassVar[dict[str, Any]] = {"template": "text"}

    @field_validator("template")
    @classmethod
    def _braces(cls, value: str) -> str:
        return _balanced(value)

    def inputs(self, design: Design, entity: str) -> list[Node]:
        return [(entity, n) for n in template_names(self.template)]

    def check(self, at: FieldCheck) -> None:
        for n in template_names(self.template):
            at.need(n, at.entity, "template")

    def with_field_renamed(self, old: str, new: str) -> Self:
        text = TEMPLATE_NAME.sub(lambda m: "{" + new + "}" if m.group(1) == old else m.group(0), self.template)
        return self._changed(template=text)


class Expression(FieldBase):
    """A polars SQL expression over fields of the same row."""

    kind: Literal["expression"]
    expr: str
    """For example "round(quantity * unit_price, 2)" or "CASE WHEN ... END"."""

    numbered: ClassVar[bool] = True
    starter: ClassVar[dict[str, Any]] = {"expr": "1"}

    @field_validator("expr")
    @classmethod
    def _parses(cls, value: str) -> str:
        return _checked(value, aggregate=False)

    def inputs(self, design: Design, entity: str) -> list[Node]:
        return [(entity, n) for n in expression_names(self.expr)]

    def check(self, at: FieldCheck) -> None:
        for n in expression_names(self.expr):
            at.need(n, at.entity, "expression")

    def may_be_null(self) -> bool:
        return True  # CASE ... THEN NULL, NULLIF, a division by zero: not provably non-null

    def with_field_renamed(self, old: str, new: str) -> Self:
        return self._changed(expr=rename_in_sql(self.expr, old, new))


class Parent(FieldBase):
    """The parent row's value of a field (child entities only)."""

    kind: Literal["parent"]
    field: str
    """The parent entity's field, usually its key."""

    links: ClassVar[bool] = True
    starter: ClassVar[dict[str, Any]] = {"field": "id"}

    @classmethod
    def first_options(cls, design: Design, entity: str) -> dict[str, Any]:
        link = design.entities[entity].parent
        return {"field": (design.entities[link.entity].key or "id") if link else "id"}

    @classmethod
    def choices(cls, design: Design, entity: str, data: dict[str, Any]) -> dict[str, list]:
        link = design.entities[entity].parent
        return {"field": list(all_fields(design, link.entity))} if link else {}

    def target(self, design: Design, entity: str) -> str | None:
        link = design.entities[entity].parent
        return link.entity if link else None

    def inputs(self, design: Design, entity: str) -> list[Node]:
        link = design.entities[entity].parent
        return [(link.entity, self.field)] if link else []

    def check(self, at: FieldCheck) -> None:
        link = at.design.entities[at.entity].parent
        if link is None:
            at.fail("a parent field needs a child entity (this entity has no parent)")
        else:
            at.need(self.field, link.entity, "field")

    def foreign_key(self, design: Design, entity: str) -> Node | None:
        link = design.entities[entity].parent
        return (link.entity, self.field) if link else None

    def parent_field(self) -> str | None:
        return self.field

    def with_other_field_renamed(self, design: Design, here: str, entity: str, old: str, new: str) -> Self:
        link = design.entities[here].parent
        return self._changed(field=new) if link and link.entity == entity and self.field == old else self


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
    not_equal: str | None = None
    """Never the same row as this field of the row: another reference or a lookup that points into
    the same entity (a comment's author is not the post's author)."""
    weight: str | None = None
    """A numeric field of the referenced entity: each row is picked with a chance proportional to
    its value there (popularity, stock); not with distribution = "zipf"."""
    distinct: Literal["per_parent"] | None = None
    """per_parent: the rows of one parent row point at different rows (a sample without replacement
    within each parent row): an order's products are all different. A child entity only."""

    links: ClassVar[bool] = True
    deals_once: ClassVar[bool] = True  # a unique reference deals each row of its entity once
    starter: ClassVar[dict[str, Any]] = {"entity": ""}

    @classmethod
    def first_options(cls, design: Design, entity: str) -> dict[str, Any]:
        return {"entity": next((n for n in design.entities if n != entity), "")}

    @classmethod
    def choices(cls, design: Design, entity: str, data: dict[str, Any]) -> dict[str, list]:
        target = design.entities.get(data.get("entity", ""))
        links = [n for n, f in all_fields(design, entity).items() if isinstance(f, (Reference, Lookup))]
        numbers = [n for n, f in target.fields.items() if numeric(f)] if target else []
        for key, offered in (("not_equal", links), ("weight", numbers)):  # the current value stays selectable
            if isinstance(data.get(key), str) and data[key] not in offered:
                offered.append(data[key])
        return {
            "entity": list(design.entities),
            "field": list(target.fields) if target else [],
            "not_equal": links,
            "weight": numbers,
        }

    def target(self, design: Design, entity: str) -> str | None:
        return self.entity

    def inputs(self, design: Design, entity: str) -> list[Node]:
        key = reference_key(design, self)
        nodes = [(self.entity, key)] if key else []
        if self.not_equal is not None:
            nodes.append((entity, self.not_equal))
        if self.weight is not None:
            nodes.append((self.entity, self.weight))
        return nodes

    def check(self, at: FieldCheck) -> None:
        if self.entity not in at.design.entities:
            raise at.missing("entity", self.entity, at.design.entities, f"{at.path}.entity")
        key = reference_key(at.design, self)
        composite = at.design.entities[self.entity].composite_key
        if key is None and composite is not None:
            at.fail(
                f"entity {self.entity} has a composite primary key ({', '.join(composite)}), which a reference "
                "cannot point at; name one of its fields with field"
            )
        if key is None:
            at.fail(f"entity {self.entity} has no sequence or uuid key; name one with field")
        at.need(key, self.entity, "field")  # fail() raised for None
        self._check_tree(at)
        self._check_rules(at)
        self._check_distinct(at)

    def _check_rules(self, at: FieldCheck) -> None:
        """not_equal and weight: the names they give, and what they cannot go with."""
        path = at.path
        if self.weight is not None:
            at.need_at(self.weight, self.entity, "weight", f"{path}.weight")
            if self.distribution == "zipf":
                at.fail('weight and distribution = "zipf" cannot go together: the weights say how often', f"{path}.weight")
            for option, taken in (("unique", self.unique), ("tree", self.tree)):
                if taken:
                    at.fail(f"weight cannot go with {option}", f"{path}.weight")
        if self.not_equal is None:
            return
        path = f"{path}.not_equal"
        if self.not_equal not in at.fields:
            at.fail(f'not_equal names unknown field "{self.not_equal}"{at.did_you_mean(self.not_equal, at.fields)}', path)
        for option, taken in (("unique", self.unique), ("tree", self.tree)):
            if taken:
                at.fail(f"not_equal cannot go with {option}", path)
        key = reference_key(at.design, self)
        if key != at.design.entities[self.entity].key:
            at.fail(f"not_equal needs a reference to the primary key of {self.entity}, not to its field {key}", path)
        other = at.fields[self.not_equal]
        if other is self:
            at.fail("not_equal names this field itself", path)
        if points_into(at.design, at.entity, self.not_equal) != (self.entity, key):
            at.fail(
                f"not_equal must name a reference or lookup of this row that points into {self.entity};"
                f' "{self.not_equal}" does not',
                path,
            )
        rows = expected_rows(at.design, self.entity)
        if rows is not None and rows < 2:
            at.fail(f"not_equal needs at least 2 rows in {self.entity} to choose another (it has {rows})", path)

    def _check_distinct(self, at: FieldCheck) -> None:
        if self.distinct is None:
            return
        path = f"{at.path}.distinct"
        link = at.design.entities[at.entity].parent
        if link is None:
            at.fail('distinct = "per_parent" needs a child entity (this entity has no parent)', path)
        if self.tree:
            at.fail('tree and distinct = "per_parent" cannot go together', path)
        if self.unique:
            at.fail('unique already makes every row point at a different row; remove distinct = "per_parent"', path)
        for option, taken in (("not_equal", self.not_equal), ("weight", self.weight)):
            if taken is not None:
                at.fail(f'{option} cannot go with distinct = "per_parent"', path)
        assert link is not None  # fail() raised
        target = at.design.entities[self.entity]
        have = target.rows if target.parent is None else None  # a child's rows are known when drawn (checked then)
        # the largest count of any parent row, a parent variant's `children` included
        most = bound_per_parent(at.design, at.entity) if link.count.counts else None
        if most is not None and have is not None and most > have:
            at.fail(
                f"{at.entity} draws up to {most} distinct {self.entity} per row of {link.entity}, {self.entity} has {have}", path
            )

    def _check_tree(self, at: FieldCheck) -> None:
        path = at.path
        if self.tree and self.entity != at.entity:
            at.fail(f"tree needs a reference to this entity ({at.entity}), not to {self.entity}", f"{path}.tree")
        if self.tree and self.unique:
            at.fail("tree and unique cannot go together (each row would have one child: a chain)", f"{path}.unique")
        if self.tree and self.distribution != "uniform":
            at.fail("tree draws each row's parent evenly from the earlier rows; remove distribution", f"{path}.distribution")
        if self.root_rate and not self.tree:
            at.fail("root_rate needs tree = true", f"{path}.root_rate")

    def may_be_null(self) -> bool:
        return self.tree  # a tree's roots

    def foreign_key(self, design: Design, entity: str) -> Node | None:
        key = reference_key(design, self)
        return (self.entity, key) if key else None

    def uses_up(self) -> str | None:
        return self.entity if self.unique else None

    def distinct_per_parent(self) -> bool:
        return self.distinct == "per_parent"

    def shares_out(self) -> str | None:
        return self.entity if self.distinct_per_parent() else None

    def relation(self) -> str | None:
        how = f"weighted by {self.weight}" if self.weight is not None else self.distribution
        return f"-> {self.entity} ({how}{f', not {self.not_equal}' if self.not_equal is not None else ''})"

    def with_field_renamed(self, old: str, new: str) -> Self:
        return self._changed(not_equal=new) if self.not_equal == old else self

    def with_other_field_renamed(self, design: Design, here: str, entity: str, old: str, new: str) -> Self:
        if self.entity != entity:
            return self
        return self._changed(field=new if self.field == old else self.field, weight=new if self.weight == old else self.weight)

    def with_entity_renamed(self, old: str, new: str) -> Self:
        return self._changed(entity=new) if self.entity == old else self


def numeric(spec: FieldBase) -> bool:
    """Gives numbers, as far as the model can tell (a weight, a count read from a field, their TUI choices)."""
    if spec.dtype is not None:
        return spec.dtype in ("int", "float")
    if isinstance(spec, Bounded) or isinstance(getattr(spec, "step", None), (int, float)):
        return True  # distributions, sequences, number series
    if isinstance(spec, (Expression, Lookup, Aggregate)):
        return True  # numbers, maybe: the drawn column says (a weight that is not refuses to draw)
    return spec.counts and spec.count_problem() is None  # a const or choice of whole numbers


def points_into(design: Design, entity: str, name: str, depth: int = 0) -> Node | None:
    """The (entity, key) whose values field `name` of `entity` holds: a reference or parent field's
    target, or a lookup that reads one (or reads the key of the row it reaches)."""
    spec = all_fields(design, entity).get(name)
    if spec is None or depth > 16:
        return None
    if (found := spec.foreign_key(design, entity)) is not None:
        return found
    if isinstance(spec, Lookup):
        target = via_target(design, entity, spec.via)
        if target is None:
            return None
        if spec.field == design.entities[target].key:
            return (target, spec.field)
        return points_into(design, target, spec.field, depth + 1)
    return None


class Lookup(FieldBase):
    """The value of a field in the row that a parent or reference field points to."""

    kind: Literal["lookup"]
    via: str
    """A parent or reference field of this entity."""
    field: str
    """The field to read in the row pointed to."""

    starter: ClassVar[dict[str, Any]] = {"via": "", "field": ""}

    @classmethod
    def first_options(cls, design: Design, entity: str) -> dict[str, Any]:
        return {"via": next((n for n, f in design.entities[entity].fields.items() if f.links), ""), "field": ""}

    @classmethod
    def choices(cls, design: Design, entity: str, data: dict[str, Any]) -> dict[str, list]:
        fields = all_fields(design, entity)
        target = via_target(design, entity, data.get("via", "")) if data.get("via") in fields else None
        return {"via": [n for n, f in fields.items() if f.links], "field": list(all_fields(design, target)) if target else []}

    def inputs(self, design: Design, entity: str) -> list[Node]:
        target = via_target(design, entity, self.via)
        return [(entity, self.via)] + ([(target, self.field)] if target else [])

    def check(self, at: FieldCheck) -> None:
        if self.via not in at.fields:
            at.fail(f'via names unknown field "{self.via}"{at.did_you_mean(self.via, at.fields)}')
        target = via_target(at.design, at.entity, self.via)
        if target is None:
            at.fail(f'via must name a parent or reference field; "{self.via}" is {at.fields[self.via].kind}')
        at.need(self.field, target, "field")  # fail() raised for None

    def copied_from(self, design: Design, entity: str) -> Node | None:
        target = via_target(design, entity, self.via)
        return (target, self.field) if target in design.entities else None

    def relation(self) -> str | None:
        return f"= {self.via}.{self.field}"

    def with_field_renamed(self, old: str, new: str) -> Self:
        return self._changed(via=new if self.via == old else self.via)

    def with_other_field_renamed(self, design: Design, here: str, entity: str, old: str, new: str) -> Self:
        pointed = via_target(design, here, self.via) == entity
        return self._changed(field=new) if pointed and self.field == old else self


class Aggregate(FieldBase):
    """A polars SQL aggregate over this row's children: sum(line_total), count(*), max(created_at)."""

    kind: Literal["aggregate"]
    entity: str
    """A child entity of this one."""
    expr: str
    """The aggregate expression."""
    decimals: Int | None = Field(None, ge=0, le=15)
    """Round to this many decimals."""

    starter: ClassVar[dict[str, Any]] = {"entity": "", "expr": "count(*)"}

    @field_validator("expr")
    @classmethod
    def _parses(cls, value: str) -> str:
        return _checked(value, aggregate=True)

    @classmethod
    def first_options(cls, design: Design, entity: str) -> dict[str, Any]:
        return {**cls.starter, "entity": next(iter(design.children_of(entity)), "")}

    @classmethod
    def choices(cls, design: Design, entity: str, data: dict[str, Any]) -> dict[str, list]:
        return {"entity": design.children_of(entity)}

    def inputs(self, design: Design, entity: str) -> list[Node]:
        return [(self.entity, n) for n in expression_names(self.expr)]

    def check(self, at: FieldCheck) -> None:
        if self.entity not in at.design.entities:
            raise at.missing("entity", self.entity, at.design.entities, f"{at.path}.entity")
        if self.entity not in at.design.children_of(at.entity):
            at.fail(f"aggregate entity {self.entity} is not a child of {at.entity}", f"{at.path}.entity")
        for n in expression_names(self.expr):
            at.need(n, self.entity, "expression")

    def fills_every_row(self) -> bool:
        return self.expr.strip().lower().startswith("count(")  # 0 for a row without children, never null

    def may_be_null(self) -> bool:
        return not self.fills_every_row()  # over no children, or only nulls

    def relation(self) -> str | None:
        return f"= {self.expr} over {self.entity}"

    def with_other_field_renamed(self, design: Design, here: str, entity: str, old: str, new: str) -> Self:
        return self._changed(expr=rename_in_sql(self.expr, old, new)) if self.entity == entity else self

    def with_entity_renamed(self, old: str, new: str) -> Self:
        return self._changed(entity=new) if self.entity == old else self


def _balanced(template: str) -> str:
    """The template, once every brace belongs to a {name}: a stray one (`{first_name`) would be
    written out as literal text in every row."""
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

    from ..sqlsafe import check

    check(value, aggregate)  # before polars sees the text: its table functions would run
    try:
        pl.sql_expr(value)
    except Exception as error:  # polars raises several kinds for bad SQL
        shown = " ".join(value.split())  # one line, however the preset wraps it
        reason = " ".join(str(error).split())
        raise ValueError(f'cannot parse {"aggregate" if aggregate else "expression"} "{shown}": {reason}') from None
    return value


DerivedField = Template | Expression | Parent | Reference | Lookup | Aggregate
"""The derived family: a new kind of it goes in this union (the field union is made of the families')."""
