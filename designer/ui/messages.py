"""Messages the workers post; handlers on the app own every state change."""

from __future__ import annotations

from collections.abc import Callable

from textual.message import Message

from ..model import Design
from ..pipeline import Sample


class PreviewReady(Message):
    """A sample of an entity, generated for one exact design (stale ones are dropped)."""

    def __init__(self, design: Design, entity: str, sample: Sample):
        super().__init__()
        self.design = design
        self.entity = entity
        self.sample = sample


class PreviewFailed(Message):
    def __init__(self, design: Design, entity: str, message: str):
        super().__init__()
        self.design = design
        self.entity = entity
        self.message = message


class AfterPending(Message):
    """A note that follows the keys typed before it: through the screen's queue, then up from the
    focused widget, so an edit typed just before ctrl+s is applied before the save looks."""

    def __init__(self, then: Callable[[], None], via_screen: bool):
        super().__init__()
        self.then = then
        self.via_screen = via_screen  # still to pass the screen
