"""PostgreSQL targets that never surprise, against the real server: a replace that would drop other
objects refuses (and says what it dropped when asked to), passwords never shown, a server that does
not answer (at connect, or frozen mid-load with SIGSTOP) ends in one line or at Ctrl-C."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import uuid
from contextlib import contextmanager

import psycopg
import pytest

from designer import pipeline, presets
from designer.errors import ExportError
from designer.writers import resolve_target
from designer.writers.pgurl import said, shown

from .helpers import designer_command, invoke, preset_text

SHOP = preset_text(
    {
        "users": (20, {"age": '{ kind = "uniform", min = 18, max = 90, dtype = "int" }'}),
        "orders": (30, {"total": '{ kind = "uniform", min = 1, max = 100 }'}),
    }
)


def write_preset(directory, text: str):
    path = directory / "p.toml"
    path.write_text(text, encoding="utf-8")
    return path


def exported(url: str, if_exists: str = "fail"):
    design = presets.loads(SHOP)
    return pipeline.export(design, resolve_target(url, None, "t", 2, if_exists))


# ---- replace and what depends on the tables ---------------------------------------------------------


def test_replace_refuses_when_a_view_or_another_tables_key_depends_on_a_table(pg_url, tmp_path):
    exported(pg_url)
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("CREATE VIEW adults AS SELECT id FROM users WHERE age >= 21")
        conn.execute("CREATE TABLE audit (user_id bigint CONSTRAINT audit_user_fkey REFERENCES users (id))")
        before = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    preset = write_preset(tmp_path, SHOP)
    result = invoke("export", str(preset), "-o", pg_url, "--if-exists", "replace")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"designer: {shown(pg_url)}: other objects depend on the tables to replace (constraint audit_user_fkey on table "
        "audit, view adults); drop them first, or pass --if-exists replace-cascade to drop them too"
    ]
    with psycopg.connect(pg_url) as conn:  # the view, the key and the rows are all still there
        assert conn.execute("SELECT count(*) FROM adults").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM pg_constraint WHERE conname = 'audit_user_fkey'").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == before

    result = invoke("export", str(preset), "-o", pg_url, "--if-exists", "replace-cascade")
    assert result.returncode == 0, result.stderr
    assert (
        f"{shown(pg_url)}: --if-exists replace-cascade dropped constraint audit_user_fkey on table audit, view adults"
    ) in " ".join(result.stderr.split())
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('adults')").fetchone()[0] is None
        assert conn.execute("SELECT count(*) FROM audit").fetchone()[0] == 0  # the other table stays, without its key


def test_replace_of_tables_that_only_reference_each_other_needs_no_cascade(pg_url):
    exported(pg_url)
    exported(pg_url, "replace")  # orders -> users keys are the export's own


def test_replace_cascade_is_for_postgresql_only(tmp_path):
    with pytest.raises(ExportError, match="replace-cascade is for PostgreSQL targets; use replace"):
        resolve_target(str(tmp_path / "x.sqlite"), None, "t", 1, "replace-cascade")


# ---- passwords ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "seen"),
    [
        ("postgresql://qa:s3cret@db/test", "postgresql://qa:***@db/test"),
        ("postgresql://qa@db/test?password=s3cret&sslmode=disable", "postgresql://qa@db/test?password=***&sslmode=disable"),
        ("postgres://qa:p%40ss@db:5432/test?sslpassword=k3y", "postgres://qa:***@db:5432/test?sslpassword=***"),
        ("postgresql://db/test?options=-c%20x%3D1&PASSWORD=s3cret", "postgresql://db/test?options=-c%20x%3D1&PASSWORD=***"),
    ],
)
def test_shown_hides_every_password(url, seen):
    assert shown(url) == seen
    assert said(f"bad value in {url} ({url.replace('%40', '@')})", url).count("***") >= 2


def test_no_message_shows_a_password(pg_url, tmp_path):
    """The server trusts local connections, so the passwords are taken and ignored: the export
    runs, fails, and is refused with them in its URL, and none of its output holds them."""
    url = pg_url.replace("postgres@", "postgres:Secret1Word@", 1) + "&password=Secret2Word"
    assert "Secret1Word" in url and "Secret2Word" in url
    preset = write_preset(tmp_path, SHOP)
    runs = [
        invoke("export", str(preset), "-o", url),  # the summary and its progress
        invoke("export", str(preset), "-o", url),  # table exists
        invoke("export", str(preset), "-o", url, "--format", "csv"),
        invoke("export", str(preset), "-o", url, "--csv-safe"),
        invoke("export", str(preset), "-o", url.replace("127.0.0.1:54329", "127.0.0.1:1"), "--connect-timeout", "2"),
    ]
    assert [r.returncode for r in runs] == [0, 2, 2, 2, 2]
    for run in runs:
        assert "Secret1Word" not in run.stdout + run.stderr and "Secret2Word" not in run.stdout + run.stderr
    assert "table users exists" in runs[1].stderr and "cannot connect" in runs[4].stderr


# ---- servers that do not answer ---------------------------------------------------------------------


@pytest.fixture
def silent_server():
    """A loopback TCP server that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    ready = threading.Event()

    def serve():
        try:
            while True:
                accepted.append(listener.accept()[0])
                ready.set()
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()[1], ready
    listener.close()
    for conn in accepted:
        conn.close()


def test_a_server_that_never_answers_the_connect_is_one_line(silent_server, tmp_path):
    port, _ = silent_server
    preset = write_preset(tmp_path, SHOP)
    result = invoke("export", str(preset), "-o", f"postgresql://qa@127.0.0.1:{port}/db", "--connect-timeout", "2")
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"designer: postgresql://qa@127.0.0.1:{port}/db: cannot connect: ") and "timeout" in line


def test_ctrl_c_stops_a_connect_that_waits(silent_server, tmp_path):
    port, accepted = silent_server
    preset = write_preset(tmp_path, SHOP)
    proc = subprocess.Popen(
        designer_command("export", str(preset), "-o", f"postgresql://qa@127.0.0.1:{port}/db", "--connect-timeout", "3600"),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert accepted.wait(120)  # the connect is under way
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)  # an hour's connect timeout: ending at all is the point
    finally:
        proc.kill()
    assert proc.returncode == 130 and stderr.splitlines()[-1] == "designer: export cancelled; nothing was written"


BIG = preset_text({"events": (50_000_000, {"v": '{ kind = "uniform", min = 1, max = 100 }'})})


@contextmanager
def _frozen_load(pg_url, tmp_path, *options):
    """An export in a subprocess whose server backend is stopped (SIGSTOP) in the middle of a COPY.
    Yields the process; the backend is continued (SIGCONT) whatever happens."""
    app = f"designer_frozen_{uuid.uuid4().hex[:8]}"
    preset = write_preset(tmp_path, BIG)
    proc = subprocess.Popen(
        designer_command("export", str(preset), "-o", f"{pg_url}&application_name={app}", "-q", *options),
        stderr=subprocess.PIPE,
        text=True,
    )
    backend = None
    try:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            while backend is None and proc.poll() is None:  # polled until the load's COPY runs
                row = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND state = 'active' AND query LIKE 'COPY%%'",
                    (app,),
                ).fetchone()
                backend = row[0] if row else None
        assert backend is not None, proc.communicate()[1]
        os.kill(backend, signal.SIGSTOP)
        yield proc
    finally:
        if backend is not None:
            os.kill(backend, signal.SIGCONT)
        proc.kill()
        proc.wait()


def _tables(pg_url) -> list[str]:
    with psycopg.connect(pg_url) as conn:
        return [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            ).fetchall()
        ]


def test_ctrl_c_stops_a_load_on_a_frozen_server(pg_url, tmp_path):
    with _frozen_load(pg_url, tmp_path) as proc:
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=120)  # the default statement timeout is 300 s: this is the Ctrl-C
        assert proc.returncode == 130 and stderr.splitlines()[-1] == "designer: export cancelled; nothing was written"
    assert _tables(pg_url) == []


def test_a_server_that_stops_answering_mid_load_is_one_line(pg_url, tmp_path):
    with _frozen_load(pg_url, tmp_path, "--statement-timeout", "3") as proc:
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 2
        (line,) = stderr.splitlines()
        assert line.startswith("designer: ") and line.endswith(
            "events: the server did not answer within 8 s (--statement-timeout); nothing was written"
        )
    assert _tables(pg_url) == []
