"""The TUI's check of a design: the loader's (model/checks.py), then whether each field's dirt fits
the type of its values (engine/dirt_types.py, which draws a few rows), as `designer validate` checks."""

from __future__ import annotations

from ..engine.dirt_types import check_dirt_types
from ..model import Design, check_design


def check(design: Design) -> None:
    check_design(design)
    check_dirt_types(design)
