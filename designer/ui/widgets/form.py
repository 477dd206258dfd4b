"""A form for any pydantic model of the preset format: one row per option, help from its docstring.

Values are typed as TOML literals (`18`, `[70, 20, 10]`, `{ kind = "poisson", mean = 2 }`),
except plain text options, which take the text as it is. An empty input means "unset".
"""

from __future__ import annotations

import datetime as dt
import tomllib
import types
import typing
from typing import Any, Literal

import tomlkit
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select, Static, Switch

UNSET = object()
_COMMON = ("null_rate", "unique", "edge_rate", "export", "dtype", "description", "column", "dirty")


def _args(annotation) -> tuple:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return typing.get_args(annotation)
    return (annotation,)


def literal_choices(annotation) -> list[str] | None:
    for arg in _args(annotation):
        if typing.get_origin(arg) is Literal:
            return [str(a) for a in typing.get_args(arg)]
    return None


def is_plain_text(annotation) -> bool:
    kinds = [a for a in _args(annotation) if a is not type(None)]
    return kinds == [str]


def is_bool(annotation) -> bool:
    return [a for a in _args(annotation) if a is not type(None)] == [bool]


def to_text(value: Any, plain: bool) -> str:
    if value is None:
        return ""
    if plain and isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {to_text(v, False)}" for k, v in value.items()) + " }"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return tomlkit.item(value).as_string()


def parse_text(text: str, annotation) -> Any:
    """The typed value of an input; raises ValueError with a short reason."""
    if text.strip() == "":
        return UNSET
    if is_plain_text(annotation):
        return text
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        if str in _args(annotation):
            return text  # a text value typed without quotes
        raise ValueError(f"not a value: {text!r} (numbers as 12 or 1.5, lists as [1, 2], text in quotes)") from None


class FormInput(Input):
    """An Input that runs its own key bindings (home, ctrl+k, ...) as the key arrives.

    Textual resolves a widget's bindings when the unhandled key has bubbled up to the app, through
    each ancestor's message queue; the inspector's queue is busy checking the design after each
    applied keystroke, so a Home typed before a burst of letters ran after some of them. Printable
    keys are inserted here at once, so the bindings must be too, or typing is reordered.
    """

    async def _on_key(self, event) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)


class OptionRow(Vertical):
    """Label, input, help and the error message of one option."""

    DEFAULT_CLASSES = "option-row"


class ModelForm(Vertical):
    """Edits a dict of options of one pydantic model; says what changed, never changes the design itself."""

    class Changed(Message):
        def __init__(self, form: ModelForm, key: str, value: Any):
            super().__init__()
            self.form = form
            self.key = key
            self.value = value  # UNSET to remove the option

        @property
        def control(self) -> ModelForm:
            return self.form

    def __init__(
        self, model, data: dict, *, skip: tuple[str, ...] = (), choices: dict[str, list[str]] | None = None, id: str | None = None
    ):
        super().__init__(id=id, classes="model-form")
        self.model = model
        self.data = dict(data)
        self.skip = skip
        self.choices = choices or {}

    def _keys(self) -> list[str]:
        """kind first, then the kind's own options, then the options every field takes."""
        keys = [k for k in self.model.model_fields if k not in self.skip]
        common = [k for k in keys if k in _COMMON]
        own = [k for k in keys if k not in _COMMON and k != "kind"]
        return (["kind"] if "kind" in keys else []) + own + common

    def compose(self) -> ComposeResult:
        for key in self._keys():
            info = self.model.model_fields[key]
            with OptionRow(id=f"row-{key}"):
                yield Label(key, classes="option-label")
                yield self._input(key, info)
                if info.description:
                    yield Static(info.description, classes="option-help")
                yield Static("", classes="option-error", id=f"error-{key}")

    def _input(self, key: str, info):
        value = self.data.get(key)
        choices = self.choices.get(key) or literal_choices(info.annotation)
        if choices is not None:
            options = [(c, c) for c in choices]
            current = str(value) if value is not None else Select.NULL
            return Select(
                options,
                value=current if current in choices else Select.NULL,
                allow_blank=not info.is_required(),
                id=f"opt-{key}",
                prompt="(default)",
                compact=True,
            )
        if is_bool(info.annotation):
            default = info.default if isinstance(info.default, bool) else False
            return Switch(value=bool(value) if value is not None else default, id=f"opt-{key}")
        placeholder = "" if info.is_required() else f"default: {to_text(info.default, False) or 'none'}"
        return FormInput(to_text(value, is_plain_text(info.annotation)), placeholder=placeholder, id=f"opt-{key}", compact=True)

    def _key_of(self, widget) -> str | None:
        wid = widget.id or ""
        return wid[4:] if wid.startswith("opt-") else None

    def on_input_changed(self, event: Input.Changed) -> None:
        key = self._key_of(event.input)
        if key is None:
            return
        event.stop()
        try:
            value = parse_text(event.value, self.model.model_fields[key].annotation)
        except ValueError as error:
            self.show_error(key, str(error))
            return
        self.post_message(self.Changed(self, key, value))

    def on_select_changed(self, event: Select.Changed) -> None:
        key = self._key_of(event.select)
        if key is None:
            return
        event.stop()
        value = UNSET if event.value is Select.NULL else event.value
        choices = literal_choices(self.model.model_fields[key].annotation)
        if value is not UNSET and choices is None and key not in self.choices:
            value = parse_text(str(value), self.model.model_fields[key].annotation)
        self.post_message(self.Changed(self, key, value))

    def on_switch_changed(self, event: Switch.Changed) -> None:
        key = self._key_of(event.switch)
        if key is None:
            return
        event.stop()
        self.post_message(self.Changed(self, key, event.value))

    def show_error(self, key: str | None, message: str) -> None:
        """Show a message next to the input that holds the problem (or the first one)."""
        self.clear_errors()
        rows = self._keys()
        target = key if key in rows else (rows[0] if rows else None)
        if target is None:
            return
        error = self.query_one(f"#error-{target}", Static)
        error.update(message)
        error.add_class("shown")
        # below its input and help: at the foot of the inspector it would be out of sight
        self.call_after_refresh(error.scroll_visible, animate=False)

    def clear_errors(self) -> None:
        for error in self.query(".option-error").results(Static):
            error.update("")
            error.remove_class("shown")

    def set_value(self, key: str, value: Any) -> None:
        """Put a value into an input from outside (the provider picker)."""
        widget = self.query_one(f"#opt-{key}")
        if isinstance(widget, Input):
            widget.value = to_text(value, is_plain_text(self.model.model_fields[key].annotation))


__all__ = ["ModelForm", "UNSET", "Horizontal"]
