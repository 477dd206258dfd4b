"""`designer fmt`: one layout for hand-written presets, comments and key order kept.

The rules, applied through tomlkit's document (so text inside strings is never touched):
- no indentation before a key or a table header, no trailing spaces on a line;
- one space after `=` (spaces before it are kept: they align a block of keys by hand);
- at most one blank line in a row, exactly one before each table header (and the comment lines
  right above it), none at the start or the end;
- a comment after a value is kept where it is (at least one space before its #).

A layout never changes what the preset says: `formatted` is checked by loading both texts and
comparing the designs before anyone writes it.
"""

from __future__ import annotations

import re

import tomlkit
from tomlkit.container import Container
from tomlkit.items import AoT, Comment, Item, Table, Whitespace

from ..errors import PresetError
from . import loads

_HEADER = "\x00"  # marks a table header's line while the blank lines before it are settled; never valid TOML text


def formatted(text: str, *, file: str = "<preset>") -> str:
    """`text` laid out by the rules above; raises PresetError for a preset that does not load."""
    before = loads(text, file=file)
    crlf = "\r\n" in text  # a Windows file keeps its line ends: the rules are written for \n
    document = tomlkit.parse(text.replace("\r\n", "\n") if crlf else text)
    _container(document)
    out = _blank_lines(document.as_string())
    if crlf:
        out = out.replace("\n", "\r\n")
    if loads(out, file=file) != before:  # a bug here must never reach a file
        raise PresetError("fmt would change what the preset says; the file is left as it is", file=file)
    return out


def _container(container: Container) -> None:
    for key, item in container.body:
        if isinstance(item, Whitespace):
            item._s = "\n" if "\n" in item.s else ""
        elif isinstance(item, Table):
            _table(item)
        elif isinstance(item, AoT):
            for table in item.body:
                _table(table)
        else:
            _line(item)
            if key is not None and not isinstance(item, Comment):
                key.sep = re.sub(r"=\s*", "= ", key.sep) if "=" in key.sep else key.sep


def _table(table: Table) -> None:
    if not table.is_super_table():
        _line(table)
        table.trivia.indent = _HEADER
    _container(table.value)


def _line(item: Item) -> None:
    trivia = item.trivia
    trivia.indent = ""
    trivia.trail = trivia.trail.lstrip(" \t")
    if trivia.comment and not trivia.comment_ws:
        trivia.comment_ws = " "


def _blank_lines(text: str) -> str:
    # the newlines before a header are the line ends and blank lines of items, never a string's
    # text (a string ends with its quote): exactly one blank line there, none before the first
    # line; comment lines right above a header stay on it (they describe the table)
    text = re.sub(r"\n+((?:#[^\n]*\n)*)" + _HEADER, lambda m: "\n\n" + m.group(1), text)
    text = text.replace(_HEADER, "")
    return text.lstrip("\n").rstrip() + "\n"
