"""Snapshots of the main screen, the help screen and the export dialog at 80x24, 120x30 and
160x48, and of the provider picker and an error state.

Fixed terminal size and seed; workers are awaited before each picture. Refresh the pictures with
`pytest tests/ui/test_snapshots.py --snapshot-update` after a deliberate change of the UI.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from .helpers import ecommerce_copy, open_app, select, settle

SIZE = (150, 44)
SIZES = {"80x24": (80, 24), "120x30": (120, 30), "160x48": (160, 48)}


def snap(snap_compare, app, steps, size=SIZE) -> bool:
    """Run the steps, then take the picture with every input's cursor held still: a blinking
    cursor is caught on or off depending on timing."""

    async def run_before(pilot):
        await steps(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """The header shows the preset's path as given: keep it the same in every run."""
    ecommerce_copy(tmp_path)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, tmp_path, size):
    app = open_app(Path("ecommerce.toml"))

    async def run_before(pilot):
        await select(pilot, "users", "age")
        await settle(pilot)  # the statistics fit their bars to the panel once it has its size

    assert snap(snap_compare, app, run_before, SIZES[size])


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, tmp_path, size):
    app = open_app(Path("ecommerce.toml"))

    async def run_before(pilot):
        await select(pilot, "users", "age")
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap(snap_compare, app, run_before, SIZES[size])


def test_provider_picker(snap_compare, tmp_path):
    app = open_app(Path("ecommerce.toml"))

    async def run_before(pilot):
        await select(pilot, "users", "phone")
        await settle(pilot)  # the preview behind the dialog has its rows and its column widths
        await pilot.press("ctrl+o")
        await pilot.pause()
        pilot.app.screen.query_one(Input).value = "email"
        await settle(pilot)

    assert snap(snap_compare, app, run_before)


@pytest.mark.parametrize("size", SIZES)
def test_export_dialog(snap_compare, tmp_path, size):
    app = open_app(Path("ecommerce.toml"))

    async def run_before(pilot):
        await select(pilot, "orders")
        await pilot.press("e")
        await settle(pilot)  # the size and time are measured by then: this machine's, so left out of the picture
        pilot.app.screen.query_one("#export-measured").update("sqlite: (size and time, measured on this machine)")

    assert snap(snap_compare, app, run_before, SIZES[size])


def test_error_state(snap_compare, tmp_path):
    app = open_app(Path("ecommerce.toml"))

    async def run_before(pilot):
        await select(pilot, "users", "age")
        pilot.app.query_one("#opt-min", Input).value = "95"
        await settle(pilot)

    assert snap(snap_compare, app, run_before)
