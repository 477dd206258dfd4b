"""The inspector: a form for what the tree has selected (the design, an entity, a field, a variant
or a variant's override of a field).

It turns form edits into a new candidate design and checks it with the loader's
own checks; a valid one goes up as `Inspector.Changed`, an invalid one stays
here, as a message next to the input that holds it.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Button, Label, Static

from ...errors import PresetError
from ...model import KIND_MODELS, Design, DesignInfo, Entity, Variant, edit
from ...model.kinds import Faker
from ...presets import field_dict
from ...presets.walk import describe_validation_error
from ..checking import check
from .dirt_form import EntityDirtForm
from .entity_tree import Selection
from .form import UNSET, ModelForm
from .keys import KeysForm
from .relations import ROOT_ROWS, ChildCountsForm, ParentForm, field_choices

COMMON = ("null_rate", "unique", "edge_rate", "export", "dtype", "description", "column")


def starter(kind: str, design: Design, entity: str, keep: dict) -> dict:
    """A reasonable first spec of a kind for this place in the design (each kind says which)."""
    data = {"kind": kind, **KIND_MODELS[kind].first_options(design, entity)}
    data.update({k: v for k, v in keep.items() if k in COMMON})
    return data


class Inspector(VerticalScroll):
    can_focus = False  # Tab goes straight to the first input; a focused input scrolls into view

    class Changed(Message):
        """The user made a valid edit: here is the whole new design."""

        def __init__(self, design: Design, note: str, rebuild: bool = False):
            super().__init__()
            self.design = design
            self.note = note
            self.rebuild = rebuild  # the form's options change with it (a new kind, a new parent)

    class PickProvider(Message):
        """The user asked for the provider picker for a faker field."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.design: Design | None = None
        self.selection = Selection()
        self.data: dict = {}

    @property
    def entity(self) -> str | None:
        return self.selection.entity

    @property
    def field(self) -> str | None:
        return self.selection.field

    def compose(self) -> ComposeResult:
        yield Label("Select an entity or a field", id="inspector-title")

    async def show(self, design: Design, selection: Selection) -> None:
        """Rebuild the form for a new selection (or after the design changed elsewhere)."""
        moved = selection != self.selection
        focused = self.app.focused
        keep = focused.id if focused is not None and focused.id and self in focused.ancestors else None
        self.design, self.selection = design, selection
        await self.remove_children()
        widgets = self._widgets(design, *selection)
        await self.mount_all(widgets)
        if moved:
            self.scroll_home(animate=False)
        if keep and self.query(f"#{keep}"):  # a rebuild (a new kind) leaves focus where it was
            self.query_one(f"#{keep}").focus(scroll_visible=False)

    def unapplied(self) -> str | None:
        """Which input holds a value that is not in force (refused, shown with its error), if any."""
        for error in self.query(".option-error.shown"):
            key = (error.id or "error-").removeprefix("error-")
            where = ".".join(p for p in (self.entity, self.selection.variant, self.field) if p) or "design"
            return f"{where}: {key} holds a value that is not applied"
        return None

    def _widgets(self, design: Design, entity: str | None, field: str | None, variant: str | None) -> list:
        widgets: list = []
        add = widgets.append
        if variant is not None and field is None and entity is not None:
            var = design.entities[entity].variants[variant]
            self.data = var.model_dump(exclude_unset=True, exclude={"fields", "children"})
            if var.children:
                self.data["children"] = {c: field_dict(k) for c, k in var.children.items()}
            add(Label(f"{entity} · variant {variant}", id="inspector-title"))
            add(Static("A trait: this share of rows takes the overrides below it (a for another).", classes="kind-help"))
            add(ModelForm(Variant, self.data, skip=("fields", "children"), id="form"))
            if design.children_of(entity):
                add(ChildCountsForm(design, entity, self.data.get("children", {})))
        elif entity is None:
            self.data = design.info.model_dump(exclude_unset=True)
            add(Label(f"design · {design.info.name}", id="inspector-title"))
            add(ModelForm(DesignInfo, self.data, id="form"))
        elif field is None:
            ent = design.entities[entity]
            self.data = {k: getattr(ent, k) for k in ent.model_fields_set if k not in ("fields", "variants")}
            if ent.parent:
                self.data["parent"] = {"entity": ent.parent.entity, "count": field_dict(ent.parent.count)}
            if ent.dirty is not None:
                self.data["dirty"] = ent.dirty.model_dump(exclude_unset=True)
            add(Label(f"entity · {entity}", id="inspector-title"))
            if not ent.fields:
                add(Static("No fields yet: press a in the tree (or ctrl+p, Add field) to add one.", classes="kind-help"))
            add(ParentForm(design, entity, self.data.get("parent")))
            skip = ("fields", "variants", "parent", "primary_key", "unique", "dirty") + (("rows",) if ent.parent else ())
            add(ModelForm(Entity, self.data, skip=skip, id="form"))
            add(KeysForm(design, entity, ent.primary_key, ent.unique))
            add(EntityDirtForm(design, entity, ent.dirty))
        else:
            ent = design.entities[entity]
            spec = ent.variants[variant].fields[field] if variant else ent.fields[field]
            self.data = field_dict(spec)
            where = f"{entity}.{field}" + (f" in variant {variant}" if variant else "")
            add(Label(f"{where} · {spec.kind}", id="inspector-title"))
            doc = (KIND_MODELS[spec.kind].__doc__ or "").strip().splitlines()[0]
            add(Static(doc, classes="kind-help"))
            if isinstance(spec, Faker):
                add(Button("Pick a provider… (ctrl+o)", id="pick-provider", variant="primary"))
            choices = {"kind": list(KIND_MODELS), **field_choices(design, entity, self.data)}
            add(ModelForm(KIND_MODELS[spec.kind], self.data, choices=choices, id="form"))
        return widgets

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "pick-provider":
            event.stop()
            self.post_message(self.PickProvider())

    def on_model_form_changed(self, event: ModelForm.Changed) -> None:
        event.stop()
        self.apply(event.key, event.value)

    def on_keys_form_changed(self, event: KeysForm.Changed) -> None:
        event.stop()
        self.apply(event.key, event.value)

    def on_entity_dirt_form_changed(self, event: EntityDirtForm.Changed) -> None:
        event.stop()
        self.apply("dirty", event.value)

    def on_child_counts_form_changed(self, event: ChildCountsForm.Changed) -> None:
        event.stop()
        data = {k: v for k, v in self.data.items() if k != "children"}
        if event.children:
            data["children"] = event.children
        self._try(data, "children", rebuild=True)

    def on_parent_form_changed(self, event: ParentForm.Changed) -> None:
        event.stop()
        data = {k: v for k, v in self.data.items() if k not in ("parent", "rows")}
        if event.link is None:
            data["rows"] = ROOT_ROWS  # a root again: rows back
        else:
            data["parent"] = event.link  # a child: its rows come from the count, rows go
        self._try(data, "parent", rebuild=True)

    def apply(self, key: str, value: Any) -> None:
        if (value is UNSET and key not in self.data) or (value is not UNSET and self.data.get(key, UNSET) == value):
            # the widgets report their own initial values; only real edits count. An input set
            # back to the value in force is valid again: clear any message it had.
            for form in self.query(ModelForm):
                form.clear_errors()
            for dirt in self.query(EntityDirtForm):
                dirt.clear_error()
            return
        data = dict(self.data)
        if value is UNSET:
            data.pop(key, None)
        else:
            data[key] = value
        rebuild = key in ("entity", "via")  # what the other pickers offer follows them
        if self.field is not None and key == "kind" and value != self.data.get("kind") and self.design and self.entity:
            data, rebuild = starter(value, self.design, self.entity, self.data), True
        self._try(data, key, rebuild=rebuild)

    def _try(self, data: dict, key: str, *, rebuild: bool) -> None:
        """Apply options `data` if the whole design stays valid; else say why next to `key`."""
        form = self.query_one("#form", ModelForm)
        try:
            candidate = self._candidate(data)
            check(candidate)
        except (ValidationError, PresetError) as error:
            if isinstance(error, ValidationError):
                path, message = describe_validation_error(error)
                named = path.split(".")[-1] if path else key
            else:
                message, named = str(error), key
            if key == "parent":
                self.query_one(ParentForm).show_error(message)
            elif key == "children":
                self.query_one(ChildCountsForm).show_error(message)
            elif key in ("primary_key", "unique"):
                self.query_one(KeysForm).show_error(message)
            elif key == "dirty" and self.query(EntityDirtForm):  # an entity's; a field's is in its form
                self.query_one(EntityDirtForm).show_error(message)
            else:
                form.show_error(named if named in form.model.model_fields else key, message)
            return
        for each in self.query(ModelForm):
            each.clear_errors()
        for keys in self.query(KeysForm):
            keys.clear_error()
        for dirt in self.query(EntityDirtForm):
            dirt.clear_error()
        self.data = data
        self.design = candidate
        where = ".".join(p for p in (self.entity, self.selection.variant, self.field) if p) or "design"
        self.post_message(self.Changed(candidate, f"{where}: {key}", rebuild=rebuild))

    def _candidate(self, data: dict) -> Design:
        design, (entity, field, variant) = self.design, self.selection
        assert design is not None, "a form is only shown for a design"
        if entity is None:
            return design.model_copy(update={"info": DesignInfo.model_validate(data)})
        ent = design.entities[entity]
        if variant is not None and field is None:
            fields = ent.variants[variant].fields
            return edit.set_variant(design, entity, variant, Variant.model_validate({**data, "fields": fields}))
        if field is None:
            full = {**data, "fields": ent.fields, "variants": ent.variants}
            return edit.set_entity(design, entity, Entity.model_validate(full))
        spec = edit.make_field(data)
        if variant is not None:
            return edit.set_override(design, entity, variant, field, spec)
        return edit.set_field(design, entity, field, spec)

    def set_provider(self, provider: str) -> None:
        self.query_one("#form", ModelForm).set_value("provider", provider)
