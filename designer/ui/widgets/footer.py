"""A footer that shows the bindings that fit: low-priority keys drop out on a narrow terminal,
Save, Export and Help always stay (the help screen and ctrl+p list the rest)."""

from __future__ import annotations

from collections import defaultdict

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

KEEP = ("save", "export", "help")  # actions shown at any width
PALETTE_WIDTH = 14  # the command palette's key, docked right


def _bare(action: str) -> str:
    """`app.export` (a key the tree binds to an app action) and `move(1)` as `export`, `move`."""
    return action.removeprefix("app.").split("(")[0]


class FittingFooter(Footer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._width = 0

    def _key_width(self, binding) -> int:
        # FooterKey's own padding: compact is "k desc" plus a margin, wide is " k desc "
        text = len(self.app.get_key_display(binding)) + len(binding.description)
        return text + (2 if self.compact else 3)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        active = self.screen.active_bindings
        by_action: defaultdict[str, list] = defaultdict(list)
        for _, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        room = self.size.width - PALETTE_WIDTH
        keep = [a for a in by_action if _bare(a) in KEEP]
        chosen = set()
        for action in keep + [a for a in by_action if a not in keep]:
            width = self._key_width(by_action[action][0][0])
            if width <= room or action in keep:
                chosen.add(action)
                room -= width
        for action, found in by_action.items():
            if action in chosen:
                binding, enabled, tooltip = found[0]
                yield FooterKey(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    disabled=not enabled,
                    tooltip=tooltip,
                ).data_bind(compact=Footer.compact)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.compact = event.size.width < 120
            self.call_after_refresh(self.recompose)
