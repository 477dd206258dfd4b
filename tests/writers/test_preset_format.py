"""Every example on the format page (shared/PRESET_FORMAT.md, beside the repository in CI) loads and
exports as written, and presets/ecommerce.toml is its whole example."""

from __future__ import annotations

import re
import sqlite3
import tomllib
from contextlib import closing

import pytest

from designer import pipeline, presets

from ..conftest import ROOT
from .helpers import ECOMMERCE, export

FORMAT_PAGE = ROOT.parent / "shared" / "PRESET_FORMAT.md"


def examples() -> list[str]:
    """The ```toml blocks of the format page; without the page (a lone clone), the preset it shows."""
    if not FORMAT_PAGE.is_file():
        return [ECOMMERCE.read_text(encoding="utf-8")]
    blocks = re.findall(r"^```toml\n(.*?)^```", FORMAT_PAGE.read_text(encoding="utf-8"), re.S | re.M)
    assert blocks, f"{FORMAT_PAGE} has no toml example"
    return blocks


@pytest.mark.parametrize("text", examples())
def test_an_example_of_the_format_page_exports_to_sqlite(tmp_path, text):
    design = presets.loads(text)
    export(
        design,
        "sqlite",
        str(tmp_path / "example.sqlite"),
        rows={r: 50 for r in design.entities if design.entities[r].rows is not None},
    )
    with closing(sqlite3.connect(tmp_path / "example.sqlite")) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        assert sorted(tables) == sorted(design.entities)
        for spec in pipeline.tables(design):
            assert db.execute(f'SELECT count(*) FROM "{spec.name}"').fetchone()[0] > 0, spec.name


def test_the_shipped_ecommerce_preset_is_the_whole_example():
    """The same document (comments may differ): what the page promises is what `make demo` exports."""
    whole = next(text for text in examples() if 'name = "ecommerce"' in text)
    assert tomllib.loads(ECOMMERCE.read_text(encoding="utf-8")) == tomllib.loads(whole)
