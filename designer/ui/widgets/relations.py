"""Relationships as forms: an entity's parent and its rows per parent, and the pickers of the
fields that point elsewhere (reference, lookup, aggregate, parent, timeseries, anomaly), each
offering only the names that are valid there."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, Select, Static

from ...model import COUNT_KINDS, KIND_MODELS, Design
from ...model.counts import FieldCount
from ...model.kinds.derived import numeric
from .form import ModelForm

FIELD = "field"  # the count picker's entry for `count = { field = ... }`, beside the count kinds
COUNT_CHOICES = [(k, k) for k in COUNT_KINDS] + [("a field of the parent row", FIELD)]
_COUNT_SKIP = ("kind", "null_rate", "unique", "edge_rate", "export", "description")


def count_source(count: dict) -> str:
    """The picker's value for a count: its kind, or FIELD for one that reads a parent field."""
    return count.get("kind", FIELD)


def count_model(count: dict):
    return FieldCount if count_source(count) == FIELD else KIND_MODELS[count["kind"]]


def numeric_fields(design: Design, parent: str) -> list[str]:
    """The fields of `parent` a count can read."""
    entity = design.entities.get(parent)
    return [n for n, f in entity.fields.items() if numeric(f)] if entity else []


def count_starter(kind: str, design: Design | None = None, parent: str | None = None) -> dict[str, Any]:
    """A count of this kind to start from (each count kind says: 0..5 children, a mean of 2, ...);
    one that reads a field starts at the parent's first numeric field."""
    if kind == FIELD:
        fields = numeric_fields(design, parent) if design is not None and parent else []
        return {"field": fields[0] if fields else ""}
    return {"kind": kind, **KIND_MODELS[kind].count_starter}


def count_form(design: Design, parent: str, count: dict, id: str) -> ModelForm:
    """The form of a count's options; a count that reads a field picks among the parent's numeric ones."""
    choices = {"field": numeric_fields(design, parent)} if count_source(count) == FIELD else None
    if choices and count.get("field") and count["field"] not in choices["field"]:
        choices["field"].append(count["field"])  # the current value stays selectable
    return ModelForm(count_model(count), count, skip=_COUNT_SKIP, choices=choices, id=id)


ROOT_ROWS = 100  # rows of an entity made a root again


def parent_choices(design: Design, entity: str) -> list[str]:
    """Entities that may be this one's parent: any other one that does not descend from it."""

    def descends(name: str | None) -> bool:
        seen = set()
        while name is not None and name not in seen:
            if name == entity:
                return True
            seen.add(name)
            link = design.entities[name].parent
            name = link.entity if link else None
        return False

    return [n for n in design.entities if not descends(n)]


def field_choices(design: Design, entity: str, data: dict) -> dict[str, list[str]]:
    """For a field of `entity` with options `data`: its options that name something, and what they may name."""
    model = KIND_MODELS.get(data.get("kind", ""))
    return model.choices(design, entity, data) if model else {}


def edited_count(count: dict, event: ModelForm.Changed) -> dict | None:
    """The count's options after an edit in its form, or None when the edit changes nothing (the
    form reports its own initial values too)."""
    from .form import UNSET

    if event.value is UNSET:
        return {k: v for k, v in count.items() if k != event.key} if event.key in count else None
    return None if count.get(event.key) == event.value else {**count, event.key: event.value}


class ParentForm(Vertical):
    """Root (its own rows) or child of a parent entity, with a count of rows per parent row."""

    DEFAULT_CLASSES = "parent-form"

    class Changed(Message):
        def __init__(self, parent: dict | None):
            super().__init__()
            self.link = parent  # {"entity": ..., "count": {...}}, or None for a root entity

    def __init__(self, design: Design, entity: str, parent: dict | None):
        super().__init__(id="parent-form")
        self.design = design
        self.choices = [n for n in parent_choices(design, entity) if n != entity]
        self.link = parent

    def compose(self) -> ComposeResult:
        with Vertical(classes="option-row"):
            yield Label("parent", classes="option-label")
            options = [(n, n) for n in self.choices]
            current = self.link["entity"] if self.link else Select.NULL
            yield Select(
                options,
                value=current,
                allow_blank=True,
                prompt="(none: a root entity with its own rows)",
                id="rel-parent",
                compact=True,
            )
            yield Static("A child entity has rows per parent row; its rows come from the count below.", classes="option-help")
            yield Static("", classes="option-error", id="error-parent")
        if self.link is not None:
            count = self.link["count"]
            with Vertical(classes="option-row"):
                yield Label("rows per parent", classes="option-label")
                yield Select(COUNT_CHOICES, value=count_source(count), allow_blank=False, id="rel-count-kind", compact=True)
            yield count_form(self.design, self.link["entity"], count, "count-form")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "rel-parent":
            entity = None if event.value is Select.NULL else event.value
            if entity == (self.link or {}).get("entity"):
                return
            count = self.link["count"] if self.link else count_starter("uniform")
            self.post_message(self.Changed({"entity": entity, "count": count} if entity else None))
        elif event.select.id == "rel-count-kind" and self.link and event.value != count_source(self.link["count"]):
            count = count_starter(str(event.value), self.design, self.link["entity"])
            self.post_message(self.Changed({**self.link, "count": count}))

    def on_model_form_changed(self, event: ModelForm.Changed) -> None:
        event.stop()
        if self.link is None:  # a root entity shows no count form
            return
        if (count := edited_count(self.link["count"], event)) is not None:
            self.post_message(self.Changed({**self.link, "count": count}))

    def show_error(self, message: str) -> None:
        forms = self.query("#count-form")
        if forms:
            forms.first(ModelForm).show_error(None, message)
        else:
            error = self.query_one("#error-parent", Static)
            error.update(message)
            error.add_class("shown")


class ChildCountsForm(Vertical):
    """A variant's own rows per row for each child entity (`children`), or the child's parent.count."""

    DEFAULT_CLASSES = "parent-form"

    class Changed(Message):
        def __init__(self, children: dict[str, dict]):
            super().__init__()
            self.children = children  # child entity -> count options

    def __init__(self, design: Design, entity: str, children: dict[str, dict]):
        super().__init__(id="children-form")
        self.design, self.entity = design, entity
        self.kids = design.children_of(entity)
        self.counts = {c: dict(k) for c, k in children.items()}

    def compose(self) -> ComposeResult:
        for child in self.kids:
            count = self.counts.get(child)
            with Vertical(classes="option-row"):
                yield Label(f"rows of {child} per row", classes="option-label")
                yield Select(
                    COUNT_CHOICES,
                    value=count_source(count) if count else Select.NULL,
                    allow_blank=True,
                    prompt=f"(as {child}.parent.count says)",
                    id=f"child-kind-{child}",
                    compact=True,
                )
            if count is not None:
                yield count_form(self.design, self.entity, count, f"child-count-{child}")
        yield Static("", classes="option-error", id="error-children")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        child = (event.select.id or "").removeprefix("child-kind-")
        if child not in self.kids:
            return
        current = self.counts.get(child)
        if event.value is Select.NULL:
            if current is None:
                return
            children = {c: k for c, k in self.counts.items() if c != child}
        elif current is not None and count_source(current) == event.value:
            return
        else:
            children = {**self.counts, child: count_starter(str(event.value), self.design, self.entity)}
        self.post_message(self.Changed(children))

    def on_model_form_changed(self, event: ModelForm.Changed) -> None:
        event.stop()
        child = (event.form.id or "").removeprefix("child-count-")
        if child in self.counts and (count := edited_count(self.counts[child], event)) is not None:
            self.post_message(self.Changed({**self.counts, child: count}))

    def show_error(self, message: str) -> None:
        error = self.query_one("#error-children", Static)
        error.update(message)
        error.add_class("shown")
