"""Nothing is lost: a bad target, an existing file, Ctrl-C, SIGTERM, SIGKILL or a full disk leave no
partial file and an existing target byte for byte as it was, with one line on stderr and exit 2
(or 128 + the signal). Signals and a full disk need the real `designer export` in a subprocess."""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path

import pytest

from .helpers import ECOMMERCE, designer_command, invoke, preset_text, run_cli, snapshot, temporaries

BIG = ["--rows", "users=1000000"]  # minutes of work: it is always stopped long before the end
SMALL = ["--rows", "users=30", "--rows", "products=10"]
CODES = {"code": '{ kind = "faker", provider = "sha256", unique = true }'}
BIG_UNIQUE = preset_text({"t": (1_500_000, CODES)})  # its unique index takes about 1.5 s to build, after the rows are in


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip("\n").split("\n")
    assert len(lines) == 1, stderr
    return lines[0]


def existing_target(tmp_path: Path, kind: str) -> list[str]:
    """A finished small export at the target, so a later run could overwrite it; returns `-o ...`."""
    args = ["-o", str(tmp_path / "shop.sqlite")] if kind == "sqlite" else ["-o", f"{tmp_path / 'out'}/", "--format", kind]
    assert invoke("export", str(ECOMMERCE), *args, *SMALL, "--quiet").returncode == 0
    return args


def start(args: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        designer_command("export", str(ECOMMERCE), *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
    )


def wait_for_temporaries(proc: subprocess.Popen, directory: Path) -> list[Path]:
    """Until the run has its temporary files open (it is writing), then a little longer."""
    deadline = time.monotonic() + 120
    while not temporaries(directory):
        assert proc.poll() is None, f"export ended early: {proc.communicate()}"
        assert time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.05)
    time.sleep(0.5)
    return temporaries(directory)


@pytest.mark.parametrize("kind", ["sqlite", "csv"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_export_leaves_no_trace(tmp_path, kind, signum):
    args = existing_target(tmp_path, kind)
    before = snapshot(tmp_path)
    proc = start([*args, *BIG, "--if-exists", "replace", "--quiet"])
    wait_for_temporaries(proc, tmp_path)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert one_line(stderr) == "designer: export cancelled; nothing was written"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stopped_export_with_workers_is_one_line_too(tmp_path, signum):
    """Ctrl-C in a terminal signals the whole process group, worker processes included: only the
    parent may answer, or each worker prints a traceback of its own."""
    args = existing_target(tmp_path, "csv")
    before = snapshot(tmp_path)
    proc = start([*args, *BIG, "--if-exists", "replace", "--quiet", "--workers", "2"], start_new_session=True)
    wait_for_temporaries(proc, tmp_path)
    os.killpg(proc.pid, signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert one_line(stderr) == "designer: export cancelled; nothing was written"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["sqlite", "parquet"])
def test_a_stop_flagged_during_the_last_block_still_writes_nothing(tmp_path, kind):
    """The CLI's signal handler records the signal as well as raising KeyboardInterrupt, because
    Python drops an exception raised while a finalizer runs; the export asks again before commit."""
    from designer import pipeline, presets
    from designer.errors import Cancelled
    from designer.writers import resolve_target

    args = existing_target(tmp_path, kind)
    before = snapshot(tmp_path)
    design = presets.load(ECOMMERCE)
    target = resolve_target(args[1], kind, "shop", len(design.entities), "replace")
    finished: set[str] = set()

    def on_progress(p) -> None:
        if p.total and p.done == p.total:
            finished.add(p.entity)

    with pytest.raises(Cancelled):  # the flag is up only once every entity's last block is written
        pipeline.export(
            design,
            target,
            rows={"users": 40, "products": 10},
            on_progress=on_progress,
            cancelled=lambda: finished == set(design.entities),
        )
    assert finished == set(design.entities)
    assert snapshot(tmp_path) == before


def test_ctrl_c_while_the_unique_index_is_built_stops_it(tmp_path):
    """The last phase of a SQLite export builds the unique indexes (1.5 s here, seconds at 10M
    rows): a Ctrl-C then interrupts the build rather than waiting for it, and nothing is written.
    Had the commit run on, the database would be there when the interrupt surfaced."""
    import threading

    from designer import pipeline, presets
    from designer.writers import resolve_target

    design = presets.loads(BIG_UNIQUE)
    target = resolve_target(str(tmp_path / "t.sqlite"), "sqlite", "t", 1, "fail")
    sent: list[float] = []

    def on_progress(p) -> None:  # every row handed over: the commit comes next
        if p.done == p.total and not sent:
            sent.append(0.0)
            threading.Timer(0.1, lambda: (sent.append(time.monotonic()), os.kill(os.getpid(), signal.SIGINT))).start()

    with pytest.raises(KeyboardInterrupt):
        pipeline.export(design, target, on_progress=on_progress)
    stopped = time.monotonic()
    assert (
        len(sent) == 2 and stopped - sent[1] < 3.0
    )  # generous for a slow machine: the missing file is what shows the build was cut short
    assert list(tmp_path.iterdir()) == []


def test_cancel_while_the_unique_index_is_built_stops_it(tmp_path):
    """The TUI's Cancel (the `cancelled` predicate) is heard during the commit too."""
    import threading

    from designer import pipeline, presets
    from designer.errors import Cancelled
    from designer.writers import resolve_target

    design = presets.loads(BIG_UNIQUE)
    target = resolve_target(str(tmp_path / "t.sqlite"), "sqlite", "t", 1, "fail")
    stop = threading.Event()
    asked: list[float] = []

    def on_progress(p) -> None:
        if p.done == p.total and not asked:
            asked.append(0.0)
            threading.Timer(0.1, lambda: (asked.append(time.monotonic()), stop.set())).start()

    with pytest.raises(Cancelled):
        pipeline.export(design, target, on_progress=on_progress, cancelled=stop.is_set)
    assert len(asked) == 2 and time.monotonic() - asked[1] < 3.0
    assert list(tmp_path.iterdir()) == []


def test_a_stop_that_comes_after_the_commit_could_be_undone_reports_the_export(tmp_path):
    """A stop asked for once the database has been renamed into place cannot undo it: the export
    is finished, and said to be, rather than 'nothing was written' over a replaced target."""
    import threading

    from designer import pipeline, presets
    from designer.writers import resolve_target

    final = tmp_path / "t.sqlite"
    target = resolve_target(str(final), "sqlite", "t", 1, "fail")
    armed, calls = threading.Event(), []

    def on_progress(p) -> None:
        if p.done == p.total:
            armed.set()

    def cancelled() -> bool:  # asked before the commit (no), then while it runs: yes, once it is done
        if not armed.is_set():
            return False
        calls.append(1)
        if len(calls) == 1:
            return False
        deadline = time.monotonic() + 30
        while not final.exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        return True

    result = pipeline.export(presets.loads(BIG_UNIQUE), target, on_progress=on_progress, cancelled=cancelled)
    assert len(calls) >= 2 and result.rows == {"t": 1_500_000}
    with closing(sqlite3.connect(final)) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone() == (1_500_000,)


def test_an_interrupt_between_statements_is_not_forgotten(tmp_path):
    """SQLite drops an interrupt that finds no statement running; the writer remembers it, so
    the commit that follows stops instead of building the indexes and renaming the file."""
    from designer import presets
    from designer.engine import Run
    from designer.errors import ExportError
    from designer.pipeline import column_shapes, plan_for
    from designer.schema import table_specs
    from designer.writers import open_writer, resolve_target

    design = presets.loads(preset_text({"t": (1000, CODES)}))
    plan = plan_for(design)
    writer = open_writer(
        resolve_target(str(tmp_path / "t.sqlite"), "sqlite", "t", 1, "fail"), table_specs(plan, column_shapes(plan), ["t"])
    )
    writer.write("t", Run(plan).frames(Run(plan).family_block("t", 0))["t"])
    writer.interrupt()  # nothing runs now
    with pytest.raises(ExportError, match="interrupted"):
        writer.commit()
    writer.abort()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["sqlite", "parquet"])
def test_after_a_kill_the_next_export_sweeps_the_leftovers(tmp_path, kind):
    """SIGKILL allows no clean-up: the temporary files stay, named by the dead pid, until the next run."""
    args = existing_target(tmp_path, kind)
    proc = start([*args, *BIG, "--if-exists", "replace", "--quiet"])
    left = wait_for_temporaries(proc, tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    assert temporaries(tmp_path) == left and all(f".{proc.pid}@" in p.name for p in left)
    again = run_cli("export", str(ECOMMERCE), *args, *SMALL, "--seed", "3", "--if-exists", "replace", "--quiet")
    assert again.returncode == 0, again.stderr
    assert temporaries(tmp_path) == []


def limit_file_size() -> None:
    """A disk that fills up: writes past 256 KiB fail with EFBIG (as root, read-only modes do not stop writes)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))


@pytest.mark.parametrize("kind", ["sqlite", "csv", "tsv", "parquet", "ndjson", "json"])
def test_a_full_disk_is_one_line_and_keeps_the_old_export(tmp_path, kind):
    args = existing_target(tmp_path, kind)
    before = snapshot(tmp_path)
    proc = run_cli(
        "export", str(ECOMMERCE), *args, "--rows", "users=20000", "--if-exists", "replace", "--quiet", preexec_fn=limit_file_size
    )
    assert proc.returncode == 2
    line = one_line(proc.stderr)
    where = "shop.sqlite" if kind == "sqlite" else "out"
    assert line.startswith(f"designer: {tmp_path / where}")
    assert line.endswith("disk I/O error" if kind == "sqlite" else "cannot write: File too large")
    assert snapshot(tmp_path) == before


def test_a_failed_export_removes_the_directories_it_made(tmp_path):
    proc = run_cli(
        "export",
        str(ECOMMERCE),
        "-o",
        f"{tmp_path / 'new' / 'deeper'}/",
        "--format",
        "ndjson",
        "--rows",
        "users=20000",
        "--quiet",
        preexec_fn=limit_file_size,
    )
    assert proc.returncode == 2
    assert one_line(proc.stderr) == f"designer: {tmp_path / 'new' / 'deeper'}: cannot write: File too large"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/file/users.csv", "--entity", "users"], "{tmp}/file/users.csv: {tmp}/file is not a directory"),
        (["-o", "{tmp}/file/sub/shop.sqlite"], "{tmp}/file/sub/shop.sqlite: cannot create {tmp}/file/sub"),
        (["-o", "{tmp}/shop.xlsx"], "{tmp}/shop.xlsx: cannot tell the format"),
        (["-o", "{tmp}/out/", "--format", "xlsx"], '--format "xlsx": unknown format'),
        (["-o", "{tmp}/users.csv"], "{tmp}/users.csv: one file holds one entity"),
        (["-o", "{tmp}/users.csv", "--format", "parquet"], "{tmp}/users.csv: the extension says csv but --format says parquet"),
        (["-o", "{tmp}/out/", "--format", "postgres"], "{tmp}/out/: --format postgres needs a postgresql:// URL"),
        (["-o", "-", "--entity", "users"], "-o - (stdout) needs a text --format"),
        (
            ["-o", "{tmp}/out/", "--format", "csv", "--entity", "user"],
            '--entity names unknown entity "user"; did you mean "users"?',
        ),
    ],
    ids=[
        "under-a-file",
        "create-under-a-file",
        "unknown-extension",
        "unknown-format",
        "many-entities-one-file",
        "extension-and-format-disagree",
        "postgres-without-url",
        "stdout-without-format",
        "unknown-entity",
    ],
)
def test_a_bad_target_is_one_line_and_creates_nothing(tmp_path, args, message):
    (tmp_path / "file").write_text("a regular file")
    before = snapshot(tmp_path)
    proc = invoke("export", str(ECOMMERCE), *[a.format(tmp=tmp_path) for a in args])
    assert proc.returncode == 2 and proc.stdout == ""
    line = one_line(proc.stderr)
    assert line.startswith("designer: ") and message.format(tmp=tmp_path) in line
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("kind", ["sqlite", "csv", "users.ndjson"])
def test_if_exists_fail_names_the_file_and_leaves_it_alone(tmp_path, kind):
    if kind == "users.ndjson":
        args = ["-o", str(tmp_path / kind), "--entity", "users"]
        assert invoke("export", str(ECOMMERCE), *args, *SMALL, "--quiet").returncode == 0
        existing = tmp_path / kind
    else:
        args = existing_target(tmp_path, kind)
        existing = tmp_path / ("shop.sqlite" if kind == "sqlite" else "out/products.csv")  # the first in load order
    before = snapshot(tmp_path)
    proc = invoke("export", str(ECOMMERCE), *args, *SMALL, "--seed", "9")
    assert proc.returncode == 2
    assert one_line(proc.stderr) == f"designer: {existing}: exists; pass --if-exists replace to overwrite it"
    assert snapshot(tmp_path) == before
