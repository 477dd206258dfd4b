"""An entity's primary key and unique tuples as lists of its fields to tick, not TOML to type.

The key keeps the order the user ticked its fields in (a composite key's column order is the
order of PRIMARY KEY (a, b)); each unique tuple is a list of its own. A tuple being built (fewer
than two fields ticked) stays in the form until it is one the design takes.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...model import Design
from ...model.deps import all_fields
from .form import UNSET


def key_value(names: list[str]) -> Any:
    """primary_key as the format writes it: none (the implied key), one field, or a list."""
    if not names:
        return UNSET
    return names[0] if len(names) == 1 else list(names)


def ticked(before: list[str], selected: list[str]) -> list[str]:
    """The fields ticked now, in the order they were ticked: those kept, then the new ones."""
    return [n for n in before if n in selected] + [n for n in selected if n not in before]


class KeysForm(Vertical):
    """primary_key and unique of one entity."""

    DEFAULT_CLASSES = "parent-form"

    class Changed(Message):
        def __init__(self, key: str, value: Any):
            super().__init__()
            self.key = key  # "primary_key" or "unique"
            self.value = value  # UNSET to remove the option

    def __init__(self, design: Design, entity: str, primary_key: Any, unique: list[list[str]]):
        super().__init__(id="keys-form")
        self.names = list(all_fields(design, entity))
        self.key = [primary_key] if isinstance(primary_key, str) else list(primary_key or [])
        self.tuples = [list(t) for t in unique]

    def compose(self) -> ComposeResult:
        with Vertical(classes="option-row"):
            yield Label("primary_key", classes="option-label")
            yield self._list("keys-primary", self.key)
            yield Static(
                "The key other entities reference: tick one field, or several for a composite key (in the order "
                "ticked). None ticked: the first sequence or uuid field.",
                classes="option-help",
            )
        for index, names in enumerate(self.tuples):
            with Vertical(classes="option-row"):
                yield Label(f"unique {index + 1}", classes="option-label")
                yield self._list(f"keys-unique-{index}", names)
        with Vertical(classes="option-row", id="keys-add-row"):
            yield Button("Add a unique tuple", id="keys-add-unique", compact=True)
            yield Static("Fields that are distinct together: tick two or more; untick all to remove.", classes="option-help")
        yield Static("", classes="option-error", id="error-keys")

    def _list(self, id: str, chosen: list[str]) -> SelectionList:
        options = [Selection(n, n, n in chosen) for n in self.names]
        return SelectionList[str](*options, id=id, compact=True)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        wid = event.selection_list.id or ""
        selected = list(event.selection_list.selected)
        if wid == "keys-primary":
            now = ticked(self.key, selected)
            if now != self.key:
                self.key = now
                self.post_message(self.Changed("primary_key", key_value(now)))
        elif wid.startswith("keys-unique-"):
            index = int(wid.removeprefix("keys-unique-"))
            now = ticked(self.tuples[index], selected)
            if now != self.tuples[index]:
                self.tuples[index] = now
                self._post_unique()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "keys-add-unique":
            event.stop()
            self.tuples.append([])
            index = len(self.tuples) - 1
            row = Vertical(classes="option-row")
            self.mount(row, before=self.query_one("#keys-add-row", Vertical))
            row.mount(Label(f"unique {index + 1}", classes="option-label"), self._list(f"keys-unique-{index}", []))
            row.query_one(SelectionList).focus()

    def _post_unique(self) -> None:
        """Tuples of two fields or more go to the design; one being built waits in the form."""
        if any(len(t) == 1 for t in self.tuples):
            self.show_error("tick a second field: a unique tuple names two fields or more")
            return
        complete = [t for t in self.tuples if t]
        self.post_message(self.Changed("unique", complete if complete else UNSET))

    def show_error(self, message: str) -> None:
        error = self.query_one("#error-keys", Static)
        error.update(message)
        error.add_class("shown")

    def clear_error(self) -> None:
        error = self.query_one("#error-keys", Static)
        error.update("")
        error.remove_class("shown")
