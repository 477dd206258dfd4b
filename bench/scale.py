"""Scaling of `export --cluster`: rows/s of the single-process export and of local Dask clusters of
1 and 2 worker processes, for the same preset, at 1M, 10M and 50M rows, in one run. Each
measurement runs in its own process; cluster start-up is timed apart from the export. `CPU s` is
the CPU time of all the measurement's processes, start-up included: on a machine shared with
other work it tells overhead apart from waiting for a core.

    python bench/scale.py [--rows 1000000 10000000 50000000] [--modes single local:1 local:2]
                          [--format parquet] [--preset bench/users.toml] [--no-unique]

`--no-unique` drops `unique = true` from the preset: the export then needs no sequential pass
(see docs/cluster.md), which shows what the partitions alone scale to.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import USERS_PRESET  # noqa: E402

CHILD = """
import json, resource, sys, time
from designer import cluster, pipeline, presets
from designer.writers import resolve_target
rows, fmt, out, mode, preset = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
design = presets.load(preset)
root = next(n for n, e in design.entities.items() if e.parent is None)
startup = 0.0
if mode == "single":
    started = time.perf_counter()
    result = pipeline.export(design, resolve_target(out, fmt, root, len(design.entities)), rows={root: rows})
    size = sum(w.bytes or 0 for w in result.written)
else:
    begun = time.perf_counter()
    with cluster.connect(mode) as client:
        client.run(lambda: bool(__import__("designer.cluster")))  # workers up, the program imported
        startup = time.perf_counter() - begun
        started = time.perf_counter()
        result = cluster.export(design, out, fmt, client, rows={root: rows})
        elapsed = time.perf_counter() - started
    size = sum(p["bytes"] or 0 for e in result.manifest["entities"] for p in e["parts"])
if mode == "single":
    elapsed = time.perf_counter() - started
total = sum(result.rows.values())
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime  # workers are children: reaped by now
print(json.dumps({"seconds": elapsed, "startup": startup, "rows": total, "bytes": size, "cpu": cpu,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "workers_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measure(rows: int, fmt: str, mode: str, preset: Path, scratch: str) -> dict | str:
    out = str(Path(scratch) / f"{mode.replace(':', '-')}-{rows}")
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(rows), fmt, out, mode, str(preset)], capture_output=True, text=True, cwd=ROOT
    )
    subprocess.run(["rm", "-rf", out])
    if proc.returncode:
        return (proc.stderr.strip().splitlines() or ["?"])[-1]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000, 50_000_000])
    parser.add_argument("--modes", nargs="+", default=["single", "local:1", "local:2"])
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv", "ndjson"])
    parser.add_argument("--preset", type=Path, default=USERS_PRESET)
    parser.add_argument("--no-unique", action="store_true", help="drop unique = true from the preset")
    args = parser.parse_args()
    print(
        f"{os.cpu_count()} cores (shared with whatever else runs: see the load average); "
        f"load average now {os.getloadavg()[0]:.1f}; format {args.format}; preset {args.preset.name}"
        f"{' without unique' if args.no_unique else ''}"
    )
    print(
        f"{'rows':>12} {'mode':<8} {'seconds':>8} {'rows/s':>11} {'vs single':>9} {'start-up':>8} "
        f"{'CPU s':>7} {'client RSS':>10} {'worker RSS':>10} {'size':>9}"
    )
    rates: dict[tuple[int, str], float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        preset = args.preset
        if args.no_unique:
            preset = Path(scratch) / preset.name
            preset.write_text(args.preset.read_text().replace(", unique = true", ""))
        for rows in args.rows:
            for mode in args.modes:
                r = measure(rows, args.format, mode, preset, scratch)
                if isinstance(r, str):
                    print(f"{rows:>12,} {mode:<8} failed: {r}")
                    continue
                rate = rates[(rows, mode)] = r["rows"] / r["seconds"]
                ratio = f"{rate / rates[(rows, 'single')]:.2f}x" if (rows, "single") in rates else "-"
                print(
                    f"{rows:>12,} {mode:<8} {r['seconds']:>8.1f} {rate:>11,.0f} {ratio:>9} {r['startup']:>7.1f}s "
                    f"{r['cpu']:>7.1f} {r['rss_mib']:>6,.0f} MiB {r['workers_rss_mib']:>6,.0f} MiB"
                    f" {r['bytes'] / 2**20:>5,.0f} MiB",
                    flush=True,
                )
    print("\nratios")
    for mode in args.modes:
        if mode != "local:1" and all((n, mode) in rates and (n, "local:1") in rates for n in args.rows[:1]):
            print(
                f"  {mode} / local:1: "
                + ", ".join(
                    f"{rates[(n, mode)] / rates[(n, 'local:1')]:.2f}x at {n:,}"
                    for n in args.rows
                    if (n, mode) in rates and (n, "local:1") in rates
                )
            )
    first = args.rows[0]
    for mode in args.modes:
        growth = [
            f"{n // first}x rows: {(n / rates[(n, mode)]) / (first / rates[(first, mode)]):.1f}x time"
            for n in args.rows[1:]
            if (n, mode) in rates and (first, mode) in rates
        ]
        if growth:
            print(f"  {mode} time vs {first:,} rows: " + ", ".join(growth))


if __name__ == "__main__":
    main()
