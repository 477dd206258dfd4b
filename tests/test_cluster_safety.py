"""`export --cluster` can be stopped at any moment and tells the truth about what it left:
a Ctrl-C while the local cluster starts cancels the run, a stop that comes once the manifest is
written reports the finished export, a part edited since it was written is redone on resume,
and a part that kills every worker running it is one line naming it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil  # a dependency of distributed
import pytest

from designer import cluster, presets
from designer.engine import BLOCK_ROWS

from .conftest import PRESETS, ROOT
from .test_distributed import SHOP_ROWS, _cli, assert_parts_equal_single, manifest_of, single

CANCELLED = "designer: export cancelled; no manifest written; the same command resumes it"
WAIT = 120  # seconds: the bound of every wait below, never a margin the test relies on


def _wait_for(what: str, ready, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT
    while not ready():
        assert proc.poll() is None, f"exited ({proc.returncode}) before {what}: {proc.stderr.read()}"
        assert time.monotonic() < deadline, f"no {what} within {WAIT} s"
        time.sleep(0.005)


def _worker_started(pid: int) -> bool:
    """A worker process of the local cluster exists: the cluster is starting."""
    try:
        return any("spawn_main" in " ".join(c.cmdline()) for c in psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return False


@pytest.mark.parametrize("attempt", range(3))  # it was a race: several tries
def test_ctrl_c_while_the_local_cluster_starts_cancels_the_run(tmp_path, attempt):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _cli(out, "--rows", f"users={4 * BLOCK_ROWS}", "-q"),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for("worker process", lambda: _worker_started(proc.pid), proc)
        os.killpg(proc.pid, signal.SIGINT)  # what a terminal does: every process of the group
        returned, stderr = proc.wait(timeout=WAIT), proc.stderr.read()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert (returned, stderr.strip()) == (128 + signal.SIGINT, CANCELLED)
    assert not (out / "_manifest.json").exists()
    assert not list(out.glob("*/part-*")), "parts were written after the Ctrl-C"


def test_a_stop_while_the_manifest_is_written_reports_the_finished_export(client, tmp_path, monkeypatch):
    """Ctrl-C once the manifest's task is under way cannot undo it: the export is complete, and
    returned as such (the CLI prints its summary), not raised as 'no manifest written'."""
    design, out = presets.load(PRESETS / "ecommerce.toml"), tmp_path / "out"
    submit = client.submit

    class StoppedWhileWaiting:  # the manifest's future, with a Ctrl-C arriving while it is waited on
        def __init__(self, future):
            self.future, self.waits = future, 0

        def result(self, timeout=None):
            self.waits += 1
            if self.waits == 1:
                signal.raise_signal(signal.SIGINT)  # Python's handler: KeyboardInterrupt, here
            return self.future.result(timeout)

        def __getattr__(self, name):
            return getattr(self.future, name)

    def submit_and_stop(*args, key=None, **kwargs):
        future = submit(*args, key=key, **kwargs)
        return StoppedWhileWaiting(future) if key.endswith("-manifest") else future

    monkeypatch.setattr(client, "submit", submit_and_stop)
    try:
        result = cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS)
    except KeyboardInterrupt:
        pytest.fail(f"raised as a stop; the manifest exists: {(out / '_manifest.json').exists()}")
    assert manifest_of(out)["complete"] and result.manifest == manifest_of(out)
    assert_parts_equal_single(out, single(design, "csv", tmp_path / "one", SHOP_ROWS), "csv")


def test_a_stop_after_the_manifest_says_the_export_finished(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _cli(out, "--rows", f"users={2 * BLOCK_ROWS}"),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for("manifest", (out / "_manifest.json").exists, proc)
        proc.send_signal(signal.SIGTERM)  # while the cluster closes, or the manifest's task is waited on
        returned, stderr = proc.wait(timeout=WAIT), proc.stderr.read()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert returned == 0 and "cancelled" not in stderr and f"manifest: {out}/_manifest.json" in stderr, stderr
    assert manifest_of(out)["complete"]


def _same_length_edit(path: Path) -> None:
    """One digit of one value changed: the same bytes count, the same rows, other content."""
    data = bytearray(path.read_bytes())
    at = data.index(b"\n") + 1  # the first row, after the header
    while not chr(data[at]).isdigit():
        at += 1
    data[at] = ord("7") if data[at] != ord("7") else ord("3")
    path.write_bytes(bytes(data))


def test_a_part_edited_since_it_was_written_is_redone_on_resume(client, tmp_path):
    """Resume checks each part's SHA-256, recorded by the worker that wrote it, not only its rows."""
    import hashlib

    import polars as pl

    design, out = presets.load(PRESETS / "ecommerce.toml"), tmp_path / "out"
    first = cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS)
    for entity in manifest_of(out)["entities"]:  # the manifest's hashes are those of the bytes on disk
        for part in entity["parts"]:
            assert part["sha256"] == hashlib.sha256((out / part["file"]).read_bytes()).hexdigest()
    (out / "_manifest.json").rename(out / "_pending.json")  # as if the run had stopped before its manifest
    edited = out / "orders" / "part-00001.csv"
    before = edited.read_bytes()
    _same_length_edit(edited)
    assert len(edited.read_bytes()) == len(before) and edited.read_bytes() != before
    assert pl.read_csv(edited).height == pl.read_csv(before).height

    resumed = subprocess.run(
        _cli(out, "--rows", f"users={SHOP_ROWS['users']}", "--rows", "products=300"), cwd=ROOT, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed: {first.parts - 1} of {first.parts} parts were complete and kept" in resumed.stderr
    assert "redone: orders/part-00001.csv changed since written (SHA-256 differs)" in resumed.stderr
    assert edited.read_bytes() == before
    assert_parts_equal_single(out, single(design, "csv", tmp_path / "one", SHOP_ROWS), "csv")


def test_a_part_that_kills_every_worker_running_it_is_one_line(tmp_path):
    out = tmp_path / "out"
    env = {
        **os.environ,
        "DASK_DISTRIBUTED__WORKER__PRELOAD": f'["{Path(__file__).with_name("cluster_kill_preload.py")}"]',
        "DESIGNER_TEST_KILL_TASK": "-write-users-1",
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
    }
    proc = subprocess.run(
        _cli(out, "--rows", f"users={3 * BLOCK_ROWS}", "-q"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=WAIT * 3
    )
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "designer: --cluster: part 1 of users (users/part-00001.csv and its descendants' part files): every worker "
        "that ran it died (2 tries; out of memory, or killed): see the workers' logs and memory, then run the same "
        "command again to resume from the parts written"
    ]
    assert not (out / "_manifest.json").exists()
    assert not list(out.glob("*/.part-*.part")), "temporary files left"
