"""An entity's `dirty` table as a form: a rate for duplicates and near duplicates, one orphan rate
per reference field the entity has (so only a field that can break is offered), and a switch for
shuffled rows, instead of TOML to type. What is at its default is left out of the table.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, Static, Switch

from ...model import Design
from ...model.dirt import EntityDirt
from .form import UNSET, FormInput, to_text

_HELP = {name: info.description or "" for name, info in EntityDirt.model_fields.items()}


def _rate(text: str) -> float | None:
    """A rate typed in an input: None for an empty input; ValueError for what is not a number."""
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"not a rate: {text!r} (a share of rows, 0..1, as 0.02)") from None


class EntityDirtForm(Vertical):
    """duplicates, near_duplicates, orphans and shuffle of one entity."""

    DEFAULT_CLASSES = "parent-form"

    class Changed(Message):
        def __init__(self, value: Any):
            super().__init__()
            self.value = value  # the `dirty` table as a dict, or UNSET when nothing is asked

    def __init__(self, design: Design, entity: str, dirty: EntityDirt | None):
        super().__init__(id="dirt-form")
        ent = design.entities[entity]
        self.links = [name for name, spec in ent.fields.items() if spec.links]
        self.dirty = dirty or EntityDirt()
        self.value = self._table(self.dirty.duplicates, self.dirty.near_duplicates, self.dirty.orphans, self.dirty.shuffle)

    def compose(self) -> ComposeResult:
        yield Label("dirty (rows)", classes="option-label")
        for key in ("duplicates", "near_duplicates"):
            with Vertical(classes="option-row"):
                yield Label(key, classes="option-label")
                yield self._input(f"dirt-{key}", getattr(self.dirty, key))
                yield Static(_HELP[key], classes="option-help")
        for name in self.links:
            with Vertical(classes="option-row"):
                yield Label(f"orphans · {name}", classes="option-label")
                yield self._input(f"dirt-orphans-{name}", self.dirty.orphans.get(name, 0.0))
                yield Static(f"Share of rows whose {name} points at no row.", classes="option-help")
        with Vertical(classes="option-row"):
            yield Label("shuffle", classes="option-label")
            yield Switch(value=self.dirty.shuffle, id="dirt-shuffle")
            yield Static(_HELP["shuffle"], classes="option-help")
        yield Static("", classes="option-error", id="error-dirt")

    @staticmethod
    def _input(id: str, rate: float) -> FormInput:
        return FormInput(to_text(rate, False) if rate else "", placeholder="default: 0", id=id, compact=True)

    @staticmethod
    def _table(duplicates, near, orphans: dict[str, float], shuffle: bool) -> Any:
        table: dict[str, Any] = {}
        if duplicates:
            table["duplicates"] = duplicates
        if near:
            table["near_duplicates"] = near
        if orphaned := {name: rate for name, rate in orphans.items() if rate}:
            table["orphans"] = orphaned
        if shuffle:
            table["shuffle"] = True
        return table or UNSET

    def _read(self) -> Any:
        def rate(id: str) -> float:
            return _rate(self.query_one(f"#{id}", Input).value) or 0.0

        orphans = {name: rate(f"dirt-orphans-{name}") for name in self.links}
        shuffle = self.query_one("#dirt-shuffle", Switch).value
        return self._table(rate("dirt-duplicates"), rate("dirt-near_duplicates"), orphans, shuffle)

    def _changed(self) -> None:
        try:
            value = self._read()
        except ValueError as error:
            self.show_error(str(error))
            return
        if value != self.value:  # the inputs report their first values too: only edits count
            self.value = value
            self.post_message(self.Changed(value))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._changed()

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self._changed()

    def show_error(self, message: str) -> None:
        error = self.query_one("#error-dirt", Static)
        error.update(message)
        error.add_class("shown")
        self.call_after_refresh(error.scroll_visible, animate=False)

    def clear_error(self) -> None:
        error = self.query_one("#error-dirt", Static)
        error.update("")
        error.remove_class("shown")
