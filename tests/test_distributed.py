"""`export --cluster` on a real local Dask cluster (two worker processes): part files that, read
back in partition order, are the single-machine export row for row; a manifest written last;
a killed run leaves no manifest and no partial part, and the same command resumes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from designer import cluster, pipeline, presets
from designer.engine import BLOCK_ROWS
from designer.errors import Cancelled, ExportError
from designer.versions import data_versions
from designer.writers import resolve_target

from .conftest import PRESETS, ROOT

SHOP_ROWS = {"users": 3 * BLOCK_ROWS + 5, "products": 300}


def single(design, fmt: str, directory: Path, rows: dict) -> Path:
    pipeline.export(design, resolve_target(str(directory), fmt, "x", len(design.entities)), rows=rows)
    return directory


def manifest_of(out: Path) -> dict:
    return json.loads((out / "_manifest.json").read_text())


def assert_parts_equal_single(out: Path, one: Path, fmt: str) -> dict[str, pl.DataFrame]:
    """Every entity's parts, in partition order, against the single-machine file; the frames read."""
    frames = {}
    for entity in manifest_of(out)["entities"]:
        files = [out / p["file"] for p in entity["parts"]]
        assert [f.name for f in files] == [f"part-{n:05d}.{fmt}" for n in range(len(files))]
        whole = one / f"{entity['name']}.{fmt}"
        if fmt == "parquet":
            got = pl.concat([pl.read_parquet(f) for f in files])
            assert got.equals(pl.read_parquet(whole)), entity["name"]
            frames[entity["name"]] = got
        else:  # text: the single file's bytes are the parts' bytes, CSV headers once
            data = [f.read_bytes() for f in files]
            if fmt == "csv":
                data = data[:1] + [d.split(b"\n", 1)[1] for d in data[1:]]
            assert b"".join(data) == whole.read_bytes(), entity["name"]
        assert sum(p["rows"] for p in entity["parts"]) == entity["rows"]
        assert [p["bytes"] for p in entity["parts"]] == [f.stat().st_size for f in files]
    assert not (out / "_pending.json").exists()
    assert not list(out.glob("*/.part-*")), "temporary part files left"
    return frames


def _listening() -> list[str]:
    import psutil  # a dependency of distributed

    return [c.laddr.ip for c in psutil.Process().net_connections(kind="inet") if c.status == psutil.CONN_LISTEN]


def test_local_cluster_has_two_workers_listening_on_loopback_only_and_no_dashboard(client):
    info = client.scheduler_info()
    assert len(info["workers"]) == 2
    assert info["address"].startswith("tcp://127.0.0.1:")
    assert all(address.startswith("tcp://127.0.0.1:") for address in info["workers"])
    here, there = _listening(), client.run(_listening)  # scheduler (in this process), workers
    assert here and all(ip == "127.0.0.1" for ip in here)
    assert len(there) == 2 and all(ips and set(ips) == {"127.0.0.1"} for ips in there.values())
    assert client.cluster.scheduler_spec["options"]["dashboard"] is False


def _sigint_ignored_with_polars_loaded() -> bool:
    """What the kernel does with SIGINT here (Python's getsignal only knows its own handlers)."""
    with open("/proc/self/status") as status:
        ignored = next(line for line in status if line.startswith("SigIgn:"))
    return "polars" in sys.modules and bool(int(ignored.split()[1], 16) & (1 << (signal.SIGINT - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the signal mask from Linux's /proc")
def test_local_workers_ignore_ctrl_c_even_after_polars_installed_its_handler(client):
    """Importing polars installs a SIGINT handler of its own over the ignored one the workers
    inherit; a terminal's Ctrl-C would then raise KeyboardInterrupt in the middle of a write."""
    assert client.run(_sigint_ignored_with_polars_loaded) == dict.fromkeys(client.scheduler_info()["workers"], True)


def _cached_runs() -> list[list[str]]:
    from designer.cluster import dispatch

    return [sorted(run._materialized) for run in dispatch._RUNS.values()]


@pytest.mark.parametrize("fmt", ["parquet", "csv", "ndjson"])
def test_ecommerce_parts_are_the_single_machine_export(client, tmp_path, fmt):
    design = presets.load(PRESETS / "ecommerce.toml")
    seen = []
    result = cluster.export(
        design, str(tmp_path / "out"), fmt, client, rows=SHOP_ROWS, preset_sha256="abc", on_progress=seen.append
    )
    frames = assert_parts_equal_single(tmp_path / "out", single(design, fmt, tmp_path / "one", SHOP_ROWS), fmt)
    manifest = manifest_of(tmp_path / "out")
    assert manifest["complete"] and manifest["seed"] == 42 and manifest["preset_sha256"] == "abc"
    assert manifest["versions"] == data_versions() and set(data_versions()) == {
        "designer",
        "faker",
        "numpy",
        "scipy",
        "polars",
        "pyarrow",
        "anyascii",
    }
    assert manifest["format"] == fmt and manifest["rows"] == SHOP_ROWS
    assert [e["name"] for e in manifest["entities"]] == ["products", "users", "orders", "order_items"]
    assert len(manifest["entities"][1]["parts"]) == 4 and result.parts == 5 and result.skipped == 0
    last = {p.entity: p for p in seen}
    assert all(p.done == p.total == result.rows[e] for e, p in last.items())
    runs = client.run(_cached_runs)  # per worker: the export's run, with products materialized once
    assert all(len(r) <= 2 for r in runs.values()) and any(["products"] in r for r in runs.values())
    if fmt == "parquet":  # references resolve across partitions; uniqueness holds across them
        users, orders, items = frames["users"], frames["orders"], frames["order_items"]
        assert users["email"].n_unique() == users.height
        assert orders["user_id"].is_in(users["id"].implode()).all()
        assert items["order_id"].is_in(orders["id"].implode()).all()
        assert items["product_id"].is_in(frames["products"]["id"].implode()).all()


def test_iot_sensors_parts_are_the_single_machine_export(client, tmp_path):
    design = presets.load(PRESETS / "iot_sensors.toml")
    rows = {"sensors": BLOCK_ROWS + 60}  # two blocks of sensors, 720 readings each
    cluster.export(design, str(tmp_path / "out"), "parquet", client, rows=rows)
    frames = assert_parts_equal_single(tmp_path / "out", single(design, "parquet", tmp_path / "one", rows), "parquet")
    sensors, readings = frames["sensors"], frames["readings"]
    assert readings["sensor_id"].is_in(sensors["id"].implode()).all()
    assert (readings.group_by("sensor_id").len()["len"] == 720).all()
    second = pl.read_parquet(tmp_path / "out" / "readings" / "part-00001.parquet")
    assert set(second["sensor_id"]) == set(pl.read_parquet(tmp_path / "out" / "sensors" / "part-00001.parquet")["id"])


def test_an_object_store_url_is_written_by_polars(client, tmp_path):
    design = presets.load(PRESETS / "ecommerce.toml")
    url = f"file://{tmp_path}/store"
    cluster.export(design, url, "ndjson", client, rows=SHOP_ROWS)
    out = tmp_path / "store"
    manifest = manifest_of(out)  # written by polars as a one-line JSON document
    assert manifest["complete"] and all(p["bytes"] is None for e in manifest["entities"] for p in e["parts"])
    one = single(design, "ndjson", tmp_path / "one", SHOP_ROWS)
    for entity in manifest["entities"]:
        parts = b"".join((out / p["file"]).read_bytes() for p in entity["parts"])
        assert parts == (one / f"{entity['name']}.ndjson").read_bytes(), entity["name"]
    with pytest.raises(ExportError, match="holds a complete export"):
        cluster.export(design, url, "ndjson", client, rows=SHOP_ROWS)


def test_resume_keeps_whole_parts_rewrites_broken_ones_and_refuses_another_runs(client, tmp_path):
    design = presets.load(PRESETS / "ecommerce.toml")
    out = tmp_path / "out"
    first = cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS)
    with pytest.raises(ExportError, match="holds a complete export; pass --if-exists replace"):
        cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS)
    (out / "_manifest.json").rename(out / "_pending.json")  # as if the run had stopped before its manifest
    broken = out / "orders" / "part-00001.csv"
    broken.write_bytes(broken.read_bytes()[:1000])  # a file that is not what this run writes there
    resumed = cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS)
    assert (resumed.parts, resumed.skipped) == (first.parts, first.parts - 1)
    assert_parts_equal_single(out, single(design, "csv", tmp_path / "one", SHOP_ROWS), "csv")

    (out / "_manifest.json").rename(out / "_pending.json")
    with pytest.raises(ExportError, match="holds an unfinished export of another design, rows, seed, format or library versions"):
        cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS, seed=5)
    (out / "_pending.json").unlink()
    with pytest.raises(ExportError, match="holds part files but no manifest"):
        cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS, seed=5)
    cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS, seed=5, if_exists="replace")
    five = tmp_path / "five"
    pipeline.export(design, resolve_target(str(five), "csv", "x", 4), rows=SHOP_ROWS, seed=5)
    assert_parts_equal_single(out, five, "csv")
    assert manifest_of(out)["seed"] == 5


def test_a_stop_flagged_while_the_last_part_is_written_leaves_no_manifest(client, tmp_path):
    """`cancelled()` is asked between parts and before the manifest (the CLI's signal handler
    records what a finalizer may have swallowed), and the run resumes from its parts."""
    design, out = presets.load(PRESETS / "ecommerce.toml"), tmp_path / "out"
    seen: dict[str, int] = {}

    def on_progress(p) -> None:
        seen[p.entity] = p.done if p.done == p.total else -1

    with pytest.raises(Cancelled):
        cluster.export(
            design,
            str(out),
            "csv",
            client,
            rows=SHOP_ROWS,
            on_progress=on_progress,
            cancelled=lambda: bool(seen) and all(n >= 0 for n in seen.values()),
        )
    assert not (out / "_manifest.json").exists() and (out / "_pending.json").exists()
    resumed = cluster.export(design, str(out), "csv", client, rows=SHOP_ROWS)
    assert resumed.skipped == resumed.parts
    assert_parts_equal_single(out, single(design, "csv", tmp_path / "one", SHOP_ROWS), "csv")


def _cli(out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "designer",
        "export",
        str(PRESETS / "ecommerce.toml"),
        "-o",
        str(out),
        "--format",
        "csv",
        "--cluster",
        "local:2",
        *extra,
    ]


def test_a_killed_run_leaves_no_manifest_nor_partial_part_and_resumes(tmp_path):
    out, rows = tmp_path / "out", 16 * BLOCK_ROWS
    proc = subprocess.Popen(
        _cli(out, "--rows", f"users={rows}", "-q"),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("users/part-*.csv")):
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "no part file appeared"
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its scheduler and both worker processes
    proc.wait()
    while _group_alive(proc.pid):
        time.sleep(0.05)
    assert not (out / "_manifest.json").exists()
    finals = sorted(out.glob("*/part-*.csv"))
    assert len(list(out.glob("users/part-*.csv"))) < 16, "the run finished before it was killed"
    for path in finals:  # whatever carries a final name is complete
        assert pl.read_csv(path, infer_schema=False).height > 0
    # complete: a part whose files are in place and hashed (its record written after them)
    kept = {
        p: p.stat().st_mtime_ns
        for p in [*out.glob("products/part-*.csv"), *out.glob("users/part-*.csv")]
        if (out / "_parts" / f"{p.parent.name}-{p.stem.split('-')[1]}.json").exists()
    }

    resumed = subprocess.run(_cli(out, "--rows", f"users={rows}"), cwd=ROOT, capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"resumed: {len(kept)} of 17 parts were complete and kept" in resumed.stderr  # 16 of users, 1 of products
    assert all(p.stat().st_mtime_ns == t for p, t in kept.items())  # skipped, not rewritten
    design = presets.load(PRESETS / "ecommerce.toml")
    assert_parts_equal_single(out, single(design, "csv", tmp_path / "one", {"users": rows}), "csv")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_cli_failure_is_one_line_and_leaves_no_manifest(tmp_path):
    preset = tmp_path / "dry.toml"
    preset.write_text("""format = 1
[design]
name = "dry"
[entities.a]
rows = 40000
[entities.a.fields]
id = { kind = "sequence" }
[entities.b]
rows = 20
[entities.b.fields]
month = { kind = "faker", provider = "month_name", unique = true }
""")
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "designer",
            "export",
            str(preset),
            "-o",
            str(out),
            "--format",
            "csv",
            "--cluster",
            "local:2",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"{preset}: entities.b.fields.month: unique ran dry: faker month_name gave only 12 distinct values "
        "for 20 rows after 30 redraws"
    ]
    assert not (out / "_manifest.json").exists()
    for path in out.glob("a/part-*.csv"):
        assert pl.read_csv(path).height in (BLOCK_ROWS, 40000 - 2 * BLOCK_ROWS)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "json"], "use --format parquet, csv, tsv or ndjson, not json"),
        ([], "--cluster needs --format parquet, csv, tsv or ndjson"),
        (["--format", "csv", "--workers", "2"], "--workers and --cluster do not mix"),
        (["--format", "csv", "--if-exists", "append"], "append works for databases only"),
    ],
)
def test_cli_refuses_what_cannot_be_parts_before_starting_a_cluster(tmp_path, args, message):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "designer",
            "export",
            str(PRESETS / "ecommerce.toml"),
            "-o",
            str(tmp_path / "out"),
            "--cluster",
            "local:2",
            *args,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and message in proc.stderr
    assert not (tmp_path / "out").exists()


def test_an_unwritable_target_is_one_line_from_the_worker(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    out = tmp_path / "file" / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "designer",
            "export",
            str(PRESETS / "ecommerce.toml"),
            "-o",
            str(out),
            "--format",
            "csv",
            "--cluster",
            "local:1",
            "-q",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"designer: {out}: cannot write: Not a directory"


def test_cluster_spec_errors_are_one_line(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "designer",
            "export",
            str(PRESETS / "ecommerce.toml"),
            "-o",
            str(tmp_path / "out"),
            "--format",
            "csv",
            "--cluster",
            "local:0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2 and proc.stderr.strip() == (
        'designer: --cluster "local:0": use local, local:N with N a whole number >= 1, or a scheduler address'
    )


def test_importing_the_module_loads_neither_dask_nor_a_toolkit():
    code = (
        "import sys, designer.cluster\n"
        "print(sorted(m for m in ('dask', 'distributed', 'click', 'rich', 'textual') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == "[]", proc.stderr


def test_without_dask_the_cli_says_what_to_install(tmp_path):
    code = "import sys; sys.modules['dask'] = None; sys.argv[0] = 'designer'; from designer.cli import main; main()"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "export",
            str(PRESETS / "ecommerce.toml"),
            "-o",
            str(tmp_path),
            "--format",
            "csv",
            "--cluster",
            "local:1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "designer: --cluster needs Dask: pip install 'designer[dask]'"


@pytest.mark.parametrize("how", ["SIGTERM to the command", "Ctrl-C to its process group"])
def test_a_cancelled_run_says_so_in_one_line_and_leaves_no_manifest(tmp_path, how):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        _cli(out, "--rows", f"users={16 * BLOCK_ROWS}", "-q"),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("users/part-*.csv")):
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read() if proc.poll() else "slow"
        time.sleep(0.01)
    if how.startswith("SIGTERM"):
        proc.send_signal(signal.SIGTERM)
    else:  # what a terminal does: every process of the group, the cluster's workers too
        os.killpg(proc.pid, signal.SIGINT)
    code = 128 + (signal.SIGTERM if how.startswith("SIGTERM") else signal.SIGINT)
    returned, stderr = proc.wait(timeout=60), proc.stderr.read()
    assert (returned, stderr.strip()) == (code, "designer: export cancelled; no manifest written; the same command resumes it")
    assert not (out / "_manifest.json").exists() and (out / "_pending.json").exists()
    assert not list(out.glob("*/.part-*")), "a cancelled run left temporary files"
