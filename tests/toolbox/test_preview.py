"""`designer preview --format csv|ndjson`: the bytes an export writes first; tables unfolded in a pipe."""

from __future__ import annotations

import io

import polars as pl
import pytest

from ..conftest import PRESETS
from ..writers.helpers import invoke, run_cli

BLOG = str(PRESETS / "blog.toml")


def out(*args: str) -> str:
    result = invoke(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt,header", [("csv", 1), ("ndjson", 0)])
def test_plain_output_is_the_first_rows_an_export_writes(fmt, header):
    shown = out("preview", BLOG, "--entity", "posts", "--rows", "40", "--format", fmt)
    exported = out("export", BLOG, "--entity", "posts", "-o", "-", "--format", fmt)
    assert shown.splitlines() == exported.splitlines()[: 40 + header]
    read = pl.read_csv if fmt == "csv" else pl.read_ndjson
    assert read(io.StringIO(shown)).height == 40  # polars reads it back as 40 rows


def test_a_table_in_a_pipe_is_not_folded_to_the_terminal():
    # a subprocess with stdout a pipe and COLUMNS=200; a post's body alone is wider than that
    text = run_cli("preview", BLOG, "--entity", "posts", "--rows", "3").stdout
    csv = pl.read_csv(io.StringIO(out("preview", BLOG, "--entity", "posts", "--rows", "3", "--format", "csv")))
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert len(rows) == 3 and max(len(line) for line in rows) > 300
    for line, body, slug in zip(rows, csv["body"], csv["slug"], strict=True):
        assert body in line and slug in line  # each row on one line, its values whole


def test_many_rows_suggest_an_export():
    result = invoke("preview", BLOG, "--entity", "users", "--rows", "5001", "--format", "csv")
    assert result.returncode == 0 and "export" in result.stderr and "-o -" in result.stderr
    assert invoke("preview", BLOG, "--entity", "users", "--rows", "5000", "--format", "csv").stderr == ""


@pytest.mark.parametrize(
    "args,message",
    [
        (["--format", "csv"], "designer: --format csv prints one entity: add --entity (one of users, posts, comments)"),
        (["--format", "xml"], 'designer: --format "xml": use one of table, csv, ndjson'),
    ],
)
def test_bad_input_is_one_line_and_status_2(args, message):
    result = invoke("preview", BLOG, *args)
    assert result.returncode == 2 and result.stderr.strip() == message and result.stdout == ""
