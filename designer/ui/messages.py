"""Messages the workers post; handlers on the app own every state change."""

from __future__ import annotations

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
