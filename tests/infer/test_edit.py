"""`designer edit` on a database or a DDL offers to infer a preset and opens that one."""

from __future__ import annotations

import tomllib

import designer.ui

from .conftest import CHINOOK_SQL, chinook_db, run


def test_edit_on_a_database_infers_a_preset_and_opens_it(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(designer.ui, "run", opened.append)  # the TUI itself is not under test here
    db = chinook_db(tmp_path / "music.sqlite")
    from click.testing import CliRunner

    from designer.cli import main

    result = CliRunner().invoke(main, ["edit", str(db)], input="y\n")
    assert result.exit_code == 0, result.output
    assert opened == [str(tmp_path / "music.toml")]
    assert "Artist" in tomllib.loads((tmp_path / "music.toml").read_text())["entities"]
    # a second time the preset is there: edit says so and writes nothing
    again = run("edit", str(db))
    assert again.exit_code == 2 and f"{tmp_path / 'music.toml'} exists" in again.output


def test_declining_writes_nothing(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(designer.ui, "run", opened.append)
    ddl = tmp_path / "schema.sql"
    ddl.write_text(CHINOOK_SQL.read_text())
    from click.testing import CliRunner

    from designer.cli import main

    result = CliRunner().invoke(main, ["edit", str(ddl)], input="n\n")
    assert result.exit_code == 2 and "infer one with designer infer" in result.output
    assert opened == [] and not (tmp_path / "schema.toml").exists()


def test_edit_on_a_preset_is_unchanged(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(designer.ui, "run", opened.append)
    assert run("edit", str(tmp_path / "new.toml")).exit_code == 0
    assert opened == [str(tmp_path / "new.toml")]
