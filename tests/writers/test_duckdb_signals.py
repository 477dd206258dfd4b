"""A DuckDB export stopped by Ctrl-C or SIGTERM leaves nothing and the database it would replace or
append to byte for byte as it was; one killed with SIGKILL leaves its temporary database (and
DuckDB's log beside it), which the next export sweeps. The real `designer export`, in a subprocess."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from .helpers import ECOMMERCE, designer_command, invoke, run_cli, snapshot, temporaries
from .test_nothing_lost import BIG, BIG_UNIQUE, SMALL, one_line, start, wait_for_temporaries

pytestmark = pytest.mark.process


def _existing(tmp_path: Path) -> Path:
    path = tmp_path / "shop.duckdb"
    assert invoke("export", str(ECOMMERCE), "-o", str(path), *SMALL, "--quiet").returncode == 0
    return path


def _leftovers(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_replace_leaves_no_trace(tmp_path, signum):
    path = _existing(tmp_path)
    before = snapshot(tmp_path)
    proc = start(["-o", str(path), *BIG, "--if-exists", "replace", "--quiet"])
    wait_for_temporaries(proc, tmp_path)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert one_line(stderr) == "designer: export cancelled; nothing was written"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_append_adds_no_row(tmp_path, signum):
    """An append loads into the database itself, in a transaction that a stop rolls back (keys of
    sequences and SHA-256 codes: nothing the second run writes clashes with the first's)."""
    preset = tmp_path / "codes.toml"
    preset.write_text(BIG_UNIQUE)
    path = tmp_path / "codes.duckdb"
    assert invoke("export", str(preset), "-o", str(path), "--rows", "30", "--quiet").returncode == 0
    proc = subprocess.Popen(
        designer_command("export", str(preset), "-o", str(path), "--seed", "5", "--if-exists", "append", "--quiet"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)  # started, and loading (1.5M rows take far longer)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert one_line(stderr) == "designer: export cancelled; nothing was written"
    # DuckDB may have grown the file with blocks it never committed: the rows are what counts
    assert _leftovers(tmp_path) == []
    with duckdb.connect(str(path), read_only=True) as db:
        assert db.execute("SELECT count(*), max(id) FROM t").fetchone() == (30, 30)


def test_after_a_kill_the_next_export_sweeps_the_leftovers(tmp_path):
    path = _existing(tmp_path)
    proc = start(["-o", str(path), *BIG, "--if-exists", "replace", "--quiet"])
    left = wait_for_temporaries(proc, tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    assert left and all(f".{proc.pid}@" in p.name for p in left)
    again = run_cli("export", str(ECOMMERCE), "-o", str(path), *SMALL, "--seed", "3", "--if-exists", "replace", "--quiet")
    assert again.returncode == 0, again.stderr
    assert temporaries(tmp_path) == [] and _leftovers(tmp_path) == []
