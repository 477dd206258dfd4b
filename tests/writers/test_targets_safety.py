"""Targets that never surprise: names that stay names, commits that never replace what they did not
see, CSV cells a spreadsheet will not run, and directory exports whose commit marker tells a whole
export from a half-done one (a real SIGKILL between two renames)."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from designer import pipeline, presets
from designer.errors import ExportError
from designer.writers import atomic, resolve_target
from designer.writers.atomic import rename_noreplace

from ..conftest import ROOT
from .helpers import invoke, preset_text, snapshot

MARKER = ".designer-export.json"
TWO = preset_text(
    {
        "users": (30, {"name": '{ kind = "faker", provider = "first_name" }'}),
        "orders": (40, {"total": '{ kind = "uniform", min = 1, max = 100 }'}),
    }
)


def write_preset(directory: Path, text: str, name: str = "p.toml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- 1. names are identifiers, and the default target stays here ---------------------------------

BASE = '[entities.users]\nrows = 3\nfields.id = { kind = "sequence" }\n'


@pytest.mark.parametrize(
    ("text", "where", "shown"),
    [
        ('[design]\nname = "/tmp/elsewhere/abs"\n' + BASE, "design.name", '"/tmp/elsewhere/abs"'),
        ('[design]\nname = "a\\u0000b"\n' + BASE, "design.name", '"a\\u0000b"'),
        ('[design]\nname = "../up"\n' + BASE, "design.name", '"../up"'),
        ('[entities."us\\ners"]\nrows = 3\nfields.id = { kind = "sequence" }\n', "entities", '"us\\ners"'),
        (BASE + 'fields."e\\nmail" = { kind = "sequence" }\n', "entities.users.fields", '"e\\nmail"'),
        (BASE + '[entities.users.variants."v/x"]\nweight = 0.1\n', "entities.users.variants", '"v/x"'),
        (
            BASE + '[entities.users.variants.vip]\nweight = 0.1\nfields."a b" = { kind = "sequence" }\n',
            "entities.users.variants.vip.fields",
            '"a b"',
        ),
    ],
    ids=["absolute", "nul", "dotdot", "entity-newline", "field-newline", "variant-slash", "variant-field-space"],
)
def test_a_name_that_is_not_an_identifier_is_one_line_and_nothing_is_written(tmp_path, monkeypatch, text, where, shown):
    monkeypatch.chdir(tmp_path)
    preset = write_preset(tmp_path, text)
    before = snapshot(tmp_path)
    result = invoke("export", "p.toml")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"p.toml: {where}: {shown} is not a name: use letters, digits and _, not starting with a digit"
    ]
    assert snapshot(tmp_path) == before and not Path("/tmp/elsewhere/abs.sqlite").exists()
    assert preset.exists()


@pytest.mark.parametrize("name", ["/tmp/elsewhere/abs", "../up", "a\x00b", "..", "sub/dir\\x"])
def test_the_default_target_never_leaves_the_working_directory(name):
    """Even for a design whose name got past the loader (built in code)."""
    target = resolve_target(None, None, name, 1)
    path = Path(target.location)
    assert path.parent == Path(".") and path.suffix == ".sqlite" and "\x00" not in target.location
    assert not path.name.startswith(".")


# ---- 3. a commit never replaces what it did not see --------------------------------------------


def _export_meanwhile(design, target, meanwhile):
    """Export, calling `meanwhile()` once every row is written, just before the commit."""

    def on_progress(p):
        if p.finishing:
            meanwhile()

    return pipeline.export(design, target, on_progress=on_progress)


@pytest.mark.parametrize("where", ["t.sqlite", "users.csv", "out/"])
def test_fail_refuses_a_file_that_appeared_while_the_export_ran(tmp_path, where):
    design = presets.loads(TWO if where != "users.csv" else preset_text({"users": (5, {})}))
    location = str(tmp_path / where)
    target = resolve_target(location, "csv" if where == "out/" else None, "t", len(design.entities), "fail")
    squatter = tmp_path / ("out/users.csv" if where == "out/" else where)

    def appear():
        squatter.parent.mkdir(exist_ok=True)
        squatter.write_bytes(b"someone else's")

    with pytest.raises(ExportError, match="appeared while this export ran"):
        _export_meanwhile(design, target, appear)
    assert squatter.read_bytes() == b"someone else's"
    assert not list(tmp_path.rglob("*.part")) and not (tmp_path / "out" / MARKER).exists()


@pytest.mark.parametrize("where", ["t.sqlite", "out/"])
def test_replace_refuses_a_file_that_changed_since_the_export_started(tmp_path, where):
    design = presets.loads(TWO)
    location = str(tmp_path / where)
    target = resolve_target(location, "csv" if where == "out/" else None, "t", 2, "replace")
    pipeline.export(design, target)  # what replace will replace
    changed = tmp_path / ("out/orders.csv" if where == "out/" else where)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    def edit():
        changed.write_bytes(changed.read_bytes() + b"1,2\n")
        before[changed] = changed.read_bytes()

    with pytest.raises(ExportError, match="changed while this export ran"):
        _export_meanwhile(design, target, edit)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("if_exists", ["fail", "replace"])
def test_two_exports_to_one_target_one_wins_the_other_says_so(tmp_path, if_exists):
    """The second export runs whole while the first is about to commit: the first then finds the
    target changed (replace) or taken (fail) and refuses; what is there is the second's, whole."""
    design = presets.loads(TWO)
    out = tmp_path / "out"
    if if_exists == "replace":
        pipeline.export(design, resolve_target(f"{out}/", "csv", "t", 2, "fail"), seed=1)
    first = resolve_target(f"{out}/", "csv", "t", 2, if_exists)
    second = resolve_target(f"{out}/", "csv", "t", 2, if_exists)
    with pytest.raises(ExportError, match="(appeared|changed) while this export ran"):
        _export_meanwhile(design, first, lambda: pipeline.export(design, second, seed=2))
    alone = tmp_path / "alone"
    pipeline.export(design, resolve_target(f"{alone}/", "csv", "t", 2), seed=2)
    assert snapshot(out) == snapshot(alone)


def test_rename_noreplace_never_replaces_with_either_mechanism(tmp_path, monkeypatch):
    for native in (True, False):
        if not native:  # the portable way: a hard link, then the unlink
            monkeypatch.setattr(atomic, "_RENAMEAT2", None)
        source, final = tmp_path / f"s{native}", tmp_path / f"f{native}"
        source.write_text("new")
        final.write_text("old")
        with pytest.raises(FileExistsError):
            rename_noreplace(source, final)
        assert final.read_text() == "old" and source.read_text() == "new"
        final.unlink()
        rename_noreplace(source, final)
        assert final.read_text() == "new" and not source.exists()


# ---- 4. CSV cells a spreadsheet would run ---------------------------------------------------------

RISKY = ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain", "a=b", "'quoted"]
CELLS = preset_text(
    {
        "cells": (
            60,
            {
                "text": '{ kind = "choice", values = ' + json.dumps(RISKY) + " }",
                "number": '{ kind = "uniform", min = -50, max = -1, dtype = "int" }',
            },
        )
    }
)


def _read(path: Path, delimiter: str) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_safe_prefixes_formula_starts_and_only_them(tmp_path, fmt):
    preset = write_preset(tmp_path, CELLS)
    for name, extra in (("raw", []), ("safe", ["--csv-safe"])):
        result = invoke("export", str(preset), "-o", f"{tmp_path / name}/", "--format", fmt, "-q", *extra)
        assert result.returncode == 0, result.stderr
    raw = _read(tmp_path / "raw" / f"cells.{fmt}", "\t" if fmt == "tsv" else ",")
    safe = _read(tmp_path / "safe" / f"cells.{fmt}", "\t" if fmt == "tsv" else ",")
    assert {r["text"] for r in raw} == set(RISKY)  # off by default: the data is what the preset says
    for r, s in zip(raw, safe, strict=True):
        assert s["text"] == ("'" + r["text"] if r["text"][0] in "=+-@\t\r" else r["text"])
        assert s["number"] == r["number"] and int(s["number"]) < 0  # numbers stay numbers
        assert s["id"] == r["id"]


def test_csv_safe_for_another_format_is_one_line(tmp_path):
    preset = write_preset(tmp_path, CELLS)
    result = invoke("export", str(preset), "-o", f"{tmp_path / 'out'}/", "--format", "parquet", "--csv-safe")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"designer: {tmp_path / 'out'}: --csv-safe applies to csv and tsv targets only"]
    assert not (tmp_path / "out").exists()


# ---- 5. the commit marker of a directory export ----------------------------------------------------


def test_a_directory_export_lists_its_files_in_the_marker(tmp_path):
    design = presets.loads(TWO)
    pipeline.export(design, resolve_target(f"{tmp_path}/out/", "parquet", "t", 2))
    marker = json.loads((tmp_path / "out" / MARKER).read_text())
    assert marker["state"] == "complete"
    files = {p.name: p for p in (tmp_path / "out").iterdir() if p.name != MARKER}
    assert marker["files"] == {
        name: {"size": p.stat().st_size, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()} for name, p in files.items()
    }
    assert sorted(files) == ["orders.parquet", "users.parquet"]


KILLED_AT_SECOND_RENAME = textwrap.dedent("""
    # A real SIGKILL of this process at its second rename of a table's file into place.
    import os, signal, sys
    from designer.writers import atomic
    real_replace, real_noreplace, renames = os.replace, atomic.rename_noreplace, []

    def counted(rename):
        def go(source, final):
            if str(final).endswith(".csv"):
                renames.append(final)
                if len(renames) == 2:
                    os.kill(os.getpid(), signal.SIGKILL)
            return rename(source, final)
        return go

    atomic.os.replace = counted(real_replace)  # atomic's os: the module object, patched for this process
    atomic.rename_noreplace = counted(real_noreplace)
    from designer.cli import main
    main(sys.argv[1:])
""")


def _killed_export(tmp_path, *args) -> subprocess.CompletedProcess:
    script = tmp_path / "killed.py"
    script.write_text(KILLED_AT_SECOND_RENAME)
    return subprocess.run(
        [sys.executable, str(script), "export", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )


def test_a_commit_killed_between_renames_is_found_and_repaired(tmp_path):
    preset = write_preset(tmp_path, TWO)
    out = f"{tmp_path / 'out'}/"
    assert invoke("export", str(preset), "-o", out, "--format", "csv", "-q", "--seed", "1").returncode == 0
    old = snapshot(tmp_path / "out")
    killed = _killed_export(tmp_path, str(preset), "-o", out, "--format", "csv", "-q", "--seed", "2", "--if-exists", "replace")
    assert killed.returncode == -9, killed.stderr
    now = snapshot(tmp_path / "out")
    mixed = [name for name in ("orders.csv", "users.csv") if now[name] != old[name]]
    assert len(mixed) == 1  # one table new, one old: what the marker must tell

    refused = invoke("export", str(preset), "-o", out, "--format", "csv", "-q", "--seed", "2")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"designer: {tmp_path / 'out'}: an earlier export was cut off during its "
        "commit (old and new files are mixed); pass --if-exists replace to write it again"
    ]

    repaired = invoke("export", str(preset), "-o", out, "--format", "csv", "--seed", "2", "--if-exists", "replace")
    assert repaired.returncode == 0, repaired.stderr
    assert (
        f"{tmp_path / 'out'}: an earlier export was cut off during its commit (old and new files are mixed); "
        "this export replaced them all"
    ) in " ".join(repaired.stderr.split())
    assert invoke("export", str(preset), "-o", f"{tmp_path / 'clean'}/", "--format", "csv", "-q", "--seed", "2").returncode == 0
    assert {k: v for k, v in snapshot(tmp_path / "out").items()} == snapshot(tmp_path / "clean")


def test_files_that_differ_from_the_marker_are_reported(tmp_path):
    preset = write_preset(tmp_path, TWO)
    out = f"{tmp_path / 'out'}/"
    assert invoke("export", str(preset), "-o", out, "--format", "csv", "-q").returncode == 0
    users = tmp_path / "out" / "users.csv"
    users.write_bytes(users.read_bytes().replace(b"1,", b"9,", 1))  # same size, other content
    refused = invoke("export", str(preset), "-o", out, "--format", "csv", "-q")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"designer: {tmp_path / 'out'}: users.csv differs from what {MARKER} lists "
        "(changed since that export); pass --if-exists replace to write it again"
    ]


def test_a_new_design_in_the_tui_gets_a_name_from_its_file_that_loads(tmp_path):
    """`designer edit my-shop.toml` starts a design named my_shop: the file stem made a name, so
    saving it passes the loader's name rule."""
    from designer.ui.app import DesignerApp

    app = DesignerApp.from_path(str(tmp_path / "my-shop.toml"))
    assert app.design.info.name == "my_shop"
    text = presets.dumps(app.design) + BASE
    assert presets.loads(text).info.name == "my_shop"
