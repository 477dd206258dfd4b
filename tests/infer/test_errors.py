"""Bad sources: one line naming the source (and, for DDL, the line), exit status 2, nothing
written; an existing -o is never replaced without --force."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import CHINOOK_SQL, run


def _one_line(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_a_missing_source(tmp_path):
    assert (
        _one_line(run("infer", str(tmp_path / "nope.sqlite")))
        == f"designer: {tmp_path / 'nope.sqlite'}: no such file or directory"
    )


def test_a_file_that_is_no_source(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    assert "not a .sql DDL, a SQLite database" in _one_line(run("infer", str(junk)))


def test_an_unreadable_file(tmp_path):
    ddl = tmp_path / "s.sql"
    ddl.write_bytes(b"\xff\xfe\x00CREATE")
    assert _one_line(run("infer", str(ddl))).startswith(f"designer: {ddl}: cannot read")


def test_a_ddl_syntax_error_names_its_line(tmp_path):
    ddl = tmp_path / "s.sql"
    ddl.write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n\nCREATE TABLE b (id INTEGER CHECK (id >));\n")
    line = _one_line(run("infer", str(ddl)))
    assert line.startswith(f"designer: {ddl}:3: cannot parse this postgres DDL"), line


def test_an_unsupported_construct_names_its_line(tmp_path):
    ddl = tmp_path / "s.sql"
    ddl.write_text("CREATE TABLE a (id INTEGER PRIMARY KEY);\n\nCREATE TABLE b AS SELECT * FROM a;\n")
    line = _one_line(run("infer", str(ddl)))
    assert (
        line
        == f"designer: {ddl}:3: CREATE TABLE without a column list (AS SELECT, LIKE, PARTITION OF) is not supported by designer infer"
    )


def test_a_foreign_key_to_a_table_the_ddl_lacks(tmp_path):
    ddl = tmp_path / "s.sql"
    ddl.write_text("CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id));")
    assert "foreign key to a, which this DDL does not create" in _one_line(run("infer", str(ddl)))


def test_a_corrupt_sqlite_file(tmp_path):
    db = tmp_path / "bad.sqlite"
    db.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    assert _one_line(run("infer", str(db))).startswith(f"designer: {db}: ")


def test_a_refused_connection_is_one_line():
    line = _one_line(run("infer", "postgresql://qa:secret@127.0.0.1:9/nothing?connect_timeout=2"))
    assert line.startswith("designer: postgresql://qa:***@127.0.0.1:9/nothing") and "cannot connect" in line
    assert "secret" not in line


def test_an_existing_output_is_kept_without_force(tmp_path):
    out = tmp_path / "p.toml"
    out.write_text("mine")
    line = _one_line(run("infer", str(CHINOOK_SQL), "-o", str(out)))
    assert line == f"designer: {out}: already exists; pass --force to replace it"
    assert out.read_text() == "mine"
    result = run("infer", str(CHINOOK_SQL), "-o", str(out), "--force")
    assert result.exit_code == 0 and out.read_text().startswith("# Inferred by `designer infer`")
    assert [p.name for p in tmp_path.iterdir()] == ["p.toml"]  # no temporary file left


def test_a_failed_infer_writes_nothing(tmp_path):
    out = tmp_path / "p.toml"
    _one_line(run("infer", str(tmp_path / "missing.sql"), "-o", str(out)))
    assert not out.exists()


@pytest.mark.process
def test_the_real_command_prints_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "designer", "infer", str(tmp_path / "nope.sql")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and proc.stdout == ""
