"""Export the users table to Parquet, CSV and SQLite at 1M and 10M rows; rows/s, peak RSS, and the
Faker row loop in the same run for the ratio. Each export runs in its own process so that its
peak RSS is its own.

    python bench/export.py [--rows 1000000 10000000] [--formats parquet csv sqlite] [--workers 1]
                           [--postgres postgresql://postgres@127.0.0.1:54329/designer_test]
                           [--mysql mysql://designer@127.0.0.1:33069/designer_test]

With --postgres (--mysql), the same table is loaded into that server too (`scripts/pg-start`,
`scripts/mysql-start` start one).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import USERS_PRESET, faker_rate  # noqa: E402

CHILD = """
import json, resource, sys, time
from designer import presets, pipeline
from designer.writers import resolve_target
rows, fmt, out, workers = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
design = presets.load(sys.argv[5])
target = resolve_target(out, fmt, "users", 1, "replace")
started = time.perf_counter()
result = pipeline.export(design, target, rows={"users": rows}, workers=workers)
elapsed = time.perf_counter() - started
size = sum(w.bytes or 0 for w in result.written)  # a server's: not known, 0
print(json.dumps({"seconds": elapsed, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "bytes": size}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--formats", nargs="*", default=["parquet", "csv", "sqlite"])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--faker-rows", type=int, default=20_000)
    parser.add_argument("--postgres", metavar="URL", help="also load a PostgreSQL server (its users table is replaced)")
    parser.add_argument("--mysql", metavar="URL", help="also load a MySQL or MariaDB server (its users table is replaced)")
    args = parser.parse_args()
    formats = args.formats + (["postgres"] if args.postgres else []) + (["mysql"] if args.mysql else [])
    servers = {"postgres": args.postgres, "mysql": args.mysql}
    theirs = faker_rate(args.faker_rows)
    print(f"faker loop: {theirs:,.0f} rows/s ({args.faker_rows:,} rows, in memory, no writing)")
    print(f"{'format':<8} {'rows':>12} {'seconds':>8} {'rows/s':>12} {'vs faker':>9} {'peak RSS':>10} {'size':>10}")
    with tempfile.TemporaryDirectory() as scratch:
        for rows in args.rows:
            for fmt in formats:
                out = servers.get(fmt) or str(Path(scratch) / ("users.sqlite" if fmt == "sqlite" else f"users.{fmt}"))
                proc = subprocess.run(
                    [sys.executable, "-c", CHILD, str(rows), fmt, out, str(args.workers), str(USERS_PRESET)],
                    capture_output=True,
                    text=True,
                    cwd=ROOT,
                )
                if proc.returncode:
                    print(f"{fmt:<8} {rows:>12,} failed: {proc.stderr.strip().splitlines()[-1]}")
                    continue
                r = json.loads(proc.stdout.strip().splitlines()[-1])
                rate = rows / r["seconds"]
                print(
                    f"{fmt:<8} {rows:>12,} {r['seconds']:>8.1f} {rate:>12,.0f} {rate / theirs:>8,.0f}x "
                    f"{r['rss_mib']:>7,.0f} MiB {r['bytes'] / 2**20:>6,.0f} MiB"
                )
                if fmt not in servers:
                    Path(out).unlink(missing_ok=True)
    time.sleep(0)


if __name__ == "__main__":
    main()
