"""The real `designer edit` in a real terminal (tmux): start, see rows, add a field, save."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from designer import presets

from .helpers import ecommerce_copy

DESIGNER = Path(sys.executable).with_name("designer")


def _tmux(session: str, *args: str) -> str:
    """tmux on a server of the test's own (-L): a shared server exits with its last session, and a
    test starting then, or another one's kill, would take this one down."""
    # COLUMNS/LINES from the test runner would override the terminal's real size in the app
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(["tmux", "-L", session, *args], check=True, capture_output=True, text=True, env=env).stdout


def _wait_for(session: str, text: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _tmux(session, "capture-pane", "-t", session, "-p")
        if text in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{text!r} never appeared; the screen was:\n{screen}")


def test_edit_in_tmux_adds_a_field_and_saves_keeping_comments(tmp_path):
    assert shutil.which("tmux"), "tmux is installed by `make test`"
    path = ecommerce_copy(tmp_path)
    original = path.read_text()
    session = f"designer-test-{tmp_path.name}"
    _tmux(session, "new-session", "-d", "-s", session, "-x", "160", "-y", "45", f"{DESIGNER} edit {path}")
    try:
        _tmux(session, "resize-window", "-t", session, "-x", "160", "-y", "45")
        _wait_for(session, "design ecommerce")
        _tmux(session, "send-keys", "-t", session, "Down", "Down")  # design -> users -> users.id
        _wait_for(session, "Preview · users")
        _wait_for(session, "@example.com")  # rows of the ecommerce preset
        _tmux(session, "send-keys", "-t", session, "a")
        _wait_for(session, "New field in users")
        for keys in ("C-u", "nickname", "Enter"):  # typed as a person types: one burst at a time
            _tmux(session, "send-keys", "-t", session, keys)
            time.sleep(0.3)
        _wait_for(session, "users.nickname")
        _tmux(session, "send-keys", "-t", session, "C-s")
        _wait_for(session, "Saved")
        _tmux(session, "send-keys", "-t", session, "C-q")
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], capture_output=True)
    saved = path.read_text()
    assert "nickname" in presets.load(path).entities["users"].fields
    comments = [line.split("#", 1)[1] for line in original.splitlines() if "#" in line]
    assert all(c in saved for c in comments)
    assert len(saved.splitlines()) == len(original.splitlines()) + 1  # one new line, nothing else moved


def test_a_template_typed_at_full_speed_lands_whole_and_only_its_line_changes(tmp_path):
    """Every key of a burst goes to the input it was typed in, in order: none runs a tree command
    (a, d, e, r, x, v are in the text), Home and ctrl+k before it are not overtaken by its letters,
    ctrl+s right after it saves all of it, and the saved file differs in that one line."""
    path = ecommerce_copy(tmp_path)
    original = path.read_text()
    typed = "{first_name}_{last_name}.x.{last_name}@dreaded-keys.example"
    session = f"designer-fast-{tmp_path.name}"
    _tmux(session, "new-session", "-d", "-s", session, "-x", "160", "-y", "45", f"{DESIGNER} edit {path}")
    try:
        _tmux(session, "resize-window", "-t", session, "-x", "160", "-y", "45")
        _wait_for(session, "Preview · users")  # the first entity is selected on open
        _tmux(session, "send-keys", "-t", session, "Down", "Down", "Down", "Down")  # users -> id, first_name, last_name, email
        _wait_for(session, "users.email · template")
        _tmux(session, "send-keys", "-t", session, "Tab", "Tab")  # the kind, then the template input
        time.sleep(0.5)
        _tmux(session, "send-keys", "-t", session, "Home", "C-k")  # clear it
        _tmux(session, "send-keys", "-t", session, "-l", typed)  # one burst, no delays
        _tmux(session, "send-keys", "-t", session, "C-s")  # at once: the save must wait for the edits typed before it
        screen = _wait_for(session, "Saved")
        print(screen)  # the screen, for the record (pytest -s)
        above_footer = "\n".join(screen.rstrip("\n").splitlines()[:-1])  # the footer names the commands
        for dialog in ("New field", "Rename", "Export", "New entity", "New variant"):
            assert dialog not in above_footer, dialog
        assert "users.email · template" in screen  # still the field typed in: no rebuild moved the cursor
        _tmux(session, "send-keys", "-t", session, "C-q")
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], capture_output=True)
    saved = path.read_text()
    before, after = original.splitlines(), saved.splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(before) == len(after) and len(changed) == 1, changed
    assert changed[0][1] == changed[0][0].replace("{first_name}.{last_name}@example.com", typed)
