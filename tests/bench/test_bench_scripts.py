"""The benchmark scripts run end to end at a tiny row count (their figures are not judged here: a
test on a shared machine cannot time anything fairly)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _rate(line: str) -> float:
    return float(re.search(r"([\d,]+) rows/s", line).group(1).replace(",", ""))


@pytest.mark.process
def test_limits_measures_each_writer():
    out = _run("limits.py", "--rows", "3000")
    lines = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert sorted(lines) == sorted(["sqlite3", "adbc", "adbc-nokeys", "csv", "parquet"])
    assert all(_rate(line) > 0 for line in lines.values())


@pytest.mark.process
def test_peers_runs_designer_and_each_installed_peer_to_both_targets():
    out = _run("peers.py", "--rows", "2000", "--peer-rows", "200")
    rows = [line.split() for line in out.splitlines()[1:]]
    assert {(r[0], r[1]) for r in rows} == {
        (f, w) for f in ("parquet", "sqlite") for w in ("designer", "faker", "mimesis", "factory_boy")
    }
    for r in rows:
        assert r[2] in ("2,000", "200") or r[2:4] == ["not", "installed"], r
