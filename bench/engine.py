"""Generate the users table in memory with designer and with the plain Faker loop; print rows/s and the ratio.

    python bench/engine.py [--rows 1000000] [--faker-rows 20000] [--workers 1]

Both clocks start after the modules are imported (faker and designer's engine with what it loads
lazily) and include everything else: Faker's own set-up, reading its locale data, the rows.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyarrow.compute  # noqa: E402, F401  (polars imports it at its first from_arrow)

import designer.engine.fields  # noqa: E402, F401  (imported by the first block otherwise)
from bench.common import USERS_PRESET, faker_rate  # noqa: E402
from designer import presets  # noqa: E402
from designer.engine import Run, make_plan  # noqa: E402
from designer.pipeline import entity_blocks  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--faker-rows", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()

    started = time.perf_counter()
    design = presets.load(USERS_PRESET)
    loaded = time.perf_counter()
    run = Run(make_plan(design, rows={"users": args.rows}))
    rows = sum(frame.height for _, frame in entity_blocks(run, workers=args.workers))
    elapsed = time.perf_counter() - started
    ours = rows / elapsed
    theirs = faker_rate(args.faker_rows)
    # the load (imports, checks) is a fixed cost: shown apart so a change to it is not read as a slower row rate
    print(
        f"designer  : {rows:>10,} rows in {elapsed:6.2f}s = {ours:12,.0f} rows/s (workers={args.workers}; "
        f"load {loaded - started:.2f}s, then {rows / (elapsed - (loaded - started)):,.0f} rows/s)"
    )
    print(f"faker loop: {args.faker_rows:>10,} rows            = {theirs:12,.0f} rows/s")
    print(f"ratio     : {ours / theirs:,.0f}x")


if __name__ == "__main__":
    main()
