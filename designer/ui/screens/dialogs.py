"""Small modal screens: ask for a name or a path, confirm a choice, list the key bindings."""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class Prompt(ModalScreen[str | None]):
    """One line of text: a new name, a path to save to."""

    BINDINGS = [("escape", "dismiss(None)", "Cancel")]

    def __init__(self, question: str, value: str = ""):
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question)
            yield Input(self.value, id="prompt-input")
            yield Label("", id="prompt-error", classes="option-error")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.submit(self.query_one("#prompt-input", Input).value.strip())

    def submit(self, value: str) -> None:
        """What OK and Enter do with the text (a subclass may refuse it and stay open)."""
        self.dismiss(value or None)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[str]):
    """A question with a few answers; returns the chosen answer's id."""

    BINDINGS = [("escape", "dismiss('cancel')", "Cancel")]

    def __init__(self, question: str, answers: list[tuple[str, str]]):
        super().__init__()
        self.question = question
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question)
            with Horizontal(classes="buttons"):
                for answer_id, label in self.answers:
                    yield Button(label, id=answer_id, variant="primary" if answer_id == self.answers[0][0] else "default")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class Help(ModalScreen[None]):
    """Every key binding, as the keys are written on the keyboard, in a list that scrolls."""

    BINDINGS = [("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, bindings: list[tuple[str, str]]):
        super().__init__()
        self.rows = bindings  # (keys as a user reads them, what they do)

    def compose(self) -> ComposeResult:
        table = Table(box=box.SIMPLE_HEAD, expand=True, title="designer: keys", title_style="bold")
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("action")
        for key, text in self.rows:
            table.add_row(key, text)
        notes = Text.from_markup(
            "[bold]ctrl+p[/] opens the command palette: every action is there by name, with its key.\n\n"
            "Edit options in the inspector: numbers as 12, lists as [1, 2], tables as "
            '{ kind = "poisson", mean = 2 }; an empty input means the default.\n\n'
            "esc, ? or q closes this help; the arrows, PageUp and PageDown scroll it."
        )
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Group(table, notes), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help").focus()  # the scroll keys reach it at once


def key_rows(bindings) -> list[tuple[str, str]]:
    """(keys, description) for each described action of a BindingsMap, keys as people read them:
    `?` not `question_mark`, `ctrl+s` not `^s`; keys bound to one action share a row."""
    from textual.keys import format_key

    rows: dict[tuple[str, str], list[str]] = {}
    for key, found in bindings.key_to_bindings.items():
        for binding in found:
            text = "Command palette" if binding.action == "command_palette" else binding.description
            if text:
                rows.setdefault((binding.action, text), []).append(format_key(key))
    return [(" / ".join(keys), text) for (_, text), keys in rows.items()]
