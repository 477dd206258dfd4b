"""The full differential sweep: every vectorized Faker provider in every Faker locale against Faker.

    python bench/fidelity.py [--n 20000] [--m 4000] [--provider NAME ...] [--locale CODE ...]

Ten times the samples `make test` uses (tests/engine/test_faker_fidelity.py); prints the pairs
checked, how many run a column at a time, how many go per row, and every pair unlike Faker with
its reasons. Exits 1 if any vectorized pair is unlike Faker. Faker's samples are cached per Faker
version (tests/engine/fidelity.py), so a second run compares designer's values only.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.engine import fidelity  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000, help="designer values a pair")
    parser.add_argument("--m", type=int, default=4_000, help="Faker values a pair, for each of two seeds")
    parser.add_argument("--provider", action="append", help="only these providers")
    parser.add_argument("--locale", action="append", help="only these locales")
    options = parser.parse_args()
    started = time.perf_counter()
    sweep = fidelity.sweep(options.n, options.m, options.provider, options.locale)
    print(f"Faker {fidelity.faker_version()}: {sweep.summary()} ({time.perf_counter() - started:.0f} s)")
    for verdict in sweep.unlike:
        print(f"unlike: {verdict.provider} {' '.join(verdict.locales)}: {'; '.join(verdict.reasons)}")
    sys.exit(1 if sweep.unlike else 0)


if __name__ == "__main__":
    main()
