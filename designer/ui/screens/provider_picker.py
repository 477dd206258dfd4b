"""Pick a Faker provider: fuzzy search over names and descriptions, examples in the design's locale.

The names, descriptions and examples are designer/provider_catalog.py's, as `designer providers`
lists them: one home, so the picker and the listing cannot drift apart."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ... import provider_catalog


class ProviderPicker(ModalScreen[str | None]):
    # the list moves while focus stays in the search box: type, arrow down, Enter
    BINDINGS = [
        ("escape", "dismiss(None)", "Cancel"),
        Binding("up", "list('cursor_up')", show=False),
        Binding("down", "list('cursor_down')", show=False),
        Binding("pageup", "list('page_up')", show=False),
        Binding("pagedown", "list('page_down')", show=False),
    ]

    def __init__(self, locale: str, current: str | None = None):
        super().__init__()
        self.locale = locale
        self.current = current
        self.names = provider_catalog.matches(None, locale)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Label(f"Faker providers · {self.locale} · ⚡ vectorized, 🐢 per row", id="picker-title")
            yield Input(placeholder="search providers (fuzzy: name and description)", id="picker-search")
            yield OptionList(id="picker-list")
            yield Static("", id="picker-examples")

    def action_list(self, action: str) -> None:
        getattr(self.query_one("#picker-list", OptionList), f"action_{action}")()

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#picker-search", Input).focus()

    def _path(self, name: str) -> str:
        """The path the provider really takes here: per row too when a {{token}} it expands is."""
        from ...engine.fakers.cost import field_path

        return field_path(name, None, self.locale)

    def _fill(self, query: str) -> None:
        options = self.query_one("#picker-list", OptionList)
        options.clear_options()
        scored = []
        matcher = Matcher(query) if query else None
        for name in self.names:
            doc = provider_catalog.description(name, self.locale)
            score = 1.0 if matcher is None else max(matcher.match(name), 0.5 * matcher.match(doc))
            if score > 0:
                scored.append((score, name, doc))
        scored.sort(key=lambda item: (-item[0], item[1]) if matcher else item[1])
        for _, name, doc in scored[:200]:
            mark = "⚡" if self._path(name) == "vectorized" else "🐢"
            options.add_option(Option(f"{mark} {name}  [dim]{doc[:60]}[/dim]", id=name))
        if scored:
            options.highlighted = 0

    @on(Input.Changed, "#picker-search")
    def _search(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-search")
    def _submit(self) -> None:
        options = self.query_one("#picker-list", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._examples(event.option.id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _examples(self, name: str) -> None:
        try:
            values = provider_catalog.example_values(name, self.locale, 3)
            text = "\n".join(f"  {v[:70]}" for v in values)
        except Exception as error:
            text = f"  needs arguments: {str(error).splitlines()[0][:70]}"
        self.app.call_from_thread(self._show_examples, name, f"{name} ({self._path(name)}), for example:\n{text}")

    def _show_examples(self, name: str, text: str) -> None:
        # A cancelled thread worker still runs to its end: drop examples for an option no longer highlighted.
        options = self.query_one("#picker-list", OptionList)
        if options.highlighted is not None and options.get_option_at_index(options.highlighted).id == name:
            self.query_one("#picker-examples", Static).update(text)
