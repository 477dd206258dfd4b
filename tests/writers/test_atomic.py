"""Temporary names: beside the target, stamped with host and pid; those of dead processes are swept
by the next export to the same place, those of live ones and of other hosts are left alone."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from designer.errors import ExportError
from designer.writers.atomic import _HOST, Staging, remove_stale, temp_path
from designer.writers.base import Target


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_temp_name_is_hidden_beside_the_target_and_names_this_process(tmp_path):
    temp = temp_path(tmp_path / "users.csv")
    assert temp.parent == tmp_path
    assert temp.name.startswith(f".users.csv.{os.getpid()}@{_HOST}.") and temp.name.endswith(".part")
    assert temp_path(tmp_path / "users.csv") != temp


def test_only_temporaries_of_dead_processes_on_this_host_are_swept(tmp_path):
    final = tmp_path / "users.csv"
    dead = tmp_path / f".users.csv.{dead_pid()}@{_HOST}.0123abcd.part"
    alive = tmp_path / f".users.csv.{os.getpid()}@{_HOST}.0123abcd.part"
    elsewhere = tmp_path / f".users.csv.{dead_pid()}@other-host.0123abcd.part"
    other_file = tmp_path / f".orders.csv.{dead_pid()}@{_HOST}.0123abcd.part"
    for path in (dead, alive, elsewhere, other_file):
        path.write_text("partial")
    remove_stale(final)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (alive, elsewhere, other_file))


def test_abort_removes_temporaries_and_the_directories_it_made(tmp_path):
    target = Target("csv", str(tmp_path / "a" / "b"))
    finals = {"users": tmp_path / "a" / "b" / "users.csv"}
    staging = Staging(target, finals, tmp_path / "a" / "b")
    assert staging.created == tmp_path / "a"
    staging.temps["users"].write_text("partial")
    staging.abort()
    assert list(tmp_path.iterdir()) == []


def test_abort_keeps_a_directory_that_holds_other_files(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    staging = Staging(Target("csv", str(tmp_path / "out")), {"users": tmp_path / "out" / "users.csv"}, tmp_path / "out")
    assert staging.created is None
    staging.abort()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]


def test_commit_renames_every_file_into_place(tmp_path):
    finals = {name: tmp_path / f"{name}.csv" for name in ("users", "orders")}
    (tmp_path / "users.csv").write_text("old")  # before the export starts: after, it would be refused
    staging = Staging(Target("csv", str(tmp_path), "replace"), finals, tmp_path)
    for name, temp in staging.temps.items():
        temp.write_text(name)
    staging.commit()
    staging.abort()  # after a commit, an abort has nothing left to remove
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {"users.csv": "users", "orders.csv": "orders"}


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: (d / "users.csv").write_text("x"), r"users\.csv: exists; pass --if-exists replace"),
        (lambda d: (d / "users.csv").mkdir(), r"users\.csv: is a directory"),
        (lambda d: None, r"--if-exists append works for databases only"),
    ],
    ids=["exists", "directory", "append"],
)
def test_refusals_come_before_anything_is_created(tmp_path, setup, message):
    setup(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    if_exists = "append" if "append" in message else "fail"
    with pytest.raises(ExportError, match=message):
        Staging(Target("csv", str(tmp_path), if_exists), {"users": tmp_path / "users.csv"}, tmp_path)
    assert sorted(tmp_path.rglob("*")) == before


def test_a_regular_file_where_the_directory_should_be(tmp_path):
    (tmp_path / "file").write_text("x")
    directory = tmp_path / "file" / "sub"
    with pytest.raises(ExportError, match="cannot create"):
        Staging(Target("csv", str(directory)), {"users": directory / "users.csv"}, directory)
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


def test_staging_paths_are_relative_when_the_target_is(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    staging = Staging(Target("sqlite", "shop.sqlite"), {"db": Path("shop.sqlite")}, Path("."))
    assert staging.temps["db"].parent == Path(".")
    staging.abort()
