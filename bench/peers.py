"""The users table through designer and through its peers, in the same run, to Parquet and SQLite:
rows/s of each and designer's ratio to it.

    python bench/peers.py [--rows 1000000] [--peer-rows 20000] [--peers faker mimesis factory_boy]

Peers: the plain Faker loop (bench/common.py), Mimesis through its fastest API (a Fieldset: a
column of values per call) and factory_boy (Faker declarations, build_batch) when installed
(`pip install -e '.[bench]'`). A peer makes Python rows, written with pyarrow (Parquet) or
sqlite3 executemany into a table with the same keys (SQLite). Designer runs as `designer export`
does, in a process of its own; the peers are slower, so they make fewer rows (--peer-rows).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from bench.common import USERS_PRESET, faker_users  # noqa: E402

DESIGNER = """
import json, sys, time
from designer import pipeline, presets
from designer.writers import resolve_target
rows, fmt, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
started = time.perf_counter()
pipeline.export(presets.load(sys.argv[4]), resolve_target(out, fmt, "users", 1, "replace"), rows={"users": rows})
print(json.dumps({"seconds": time.perf_counter() - started}))
"""

COLUMNS = """id TEXT NOT NULL PRIMARY KEY, first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL UNIQUE,
phone TEXT NOT NULL, date_of_birth TEXT NOT NULL, age INTEGER NOT NULL, city TEXT NOT NULL, state TEXT NOT NULL,
role TEXT NOT NULL, is_active INTEGER NOT NULL, created_at TEXT NOT NULL, price REAL NOT NULL"""


def mimesis_users(n: int, seed: int = 1) -> list[dict]:
    """Mimesis's fastest way: a Fieldset gives a whole column per call."""
    from mimesis import Fieldset, Locale

    fields = Fieldset(Locale.EN, seed=seed, i=n)
    first, last = fields("first_name"), fields("last_name")
    seen: set[str] = set()
    emails = []
    for f, la in zip(first, last, strict=True):
        email, k = f"{f}.{la}@example.com".lower(), 1
        while email in seen:
            k += 1
            email = f"{f}.{la}{k}@example.com".lower()
        seen.add(email)
        emails.append(email)
    columns = {
        "id": fields("uuid"),
        "first_name": first,
        "last_name": last,
        "email": emails,
        "phone": fields("telephone"),
        "date_of_birth": fields("date", start=1946, end=2008),
        "age": fields("integer_number", start=18, end=90),
        "city": fields("city"),
        "state": fields("state"),
        "role": fields("choice", items=["user", "premium", "admin"]),
        "is_active": fields("boolean"),
        "created_at": fields("datetime", start=2024, end=2026),
        "price": fields("price", minimum=9.99, maximum=999.99),
    }
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def factory_boy_users(n: int, seed: int = 1) -> list[dict]:
    import factory
    import factory.random

    factory.random.reseed_random(seed)

    class User(factory.DictFactory):
        id = factory.Faker("uuid4")
        first_name = factory.Faker("first_name")
        last_name = factory.Faker("last_name")
        email = factory.Sequence(lambda i: f"user{i}@example.com")  # unique without a lookup
        phone = factory.Faker("phone_number")
        date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=80)
        age = factory.Faker("pyint", min_value=18, max_value=90)
        city = factory.Faker("city")
        state = factory.Faker("state")
        role = factory.Faker("random_element", elements=["user", "premium", "admin"])
        is_active = factory.Faker("pybool")
        created_at = factory.Faker("date_time_between", start_date="-2y", end_date="now")
        price = factory.Faker("pyfloat", min_value=9.99, max_value=999.99, right_digits=2)

    return User.build_batch(n)


PEERS: dict[str, Callable[[int], list[dict]]] = {"faker": faker_users, "mimesis": mimesis_users, "factory_boy": factory_boy_users}


def write_parquet(rows: list[dict], path: Path) -> None:
    pq.write_table(pa.Table.from_pylist(rows), path, compression="zstd")


def write_sqlite(rows: list[dict], path: Path) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(f"CREATE TABLE users ({COLUMNS})")
        names = list(rows[0])
        db.executemany(
            f"INSERT INTO users ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
            ([str(v) if hasattr(v, "isoformat") else v for v in row.values()] for row in rows),
        )


WRITERS = {"parquet": write_parquet, "sqlite": write_sqlite}


def peer_rate(make: Callable[[int], list[dict]], n: int, fmt: str, scratch: Path) -> float:
    started = time.perf_counter()
    WRITERS[fmt](make(n), scratch / f"peer.{fmt}")
    elapsed = time.perf_counter() - started
    (scratch / f"peer.{fmt}").unlink()
    return n / elapsed


def designer_rate(n: int, fmt: str, scratch: Path) -> float:
    out = scratch / ("users.sqlite" if fmt == "sqlite" else "users.parquet")
    proc = subprocess.run(
        [sys.executable, "-c", DESIGNER, str(n), fmt, str(out), str(USERS_PRESET)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    out.unlink()
    return n / json.loads(proc.stdout.strip().splitlines()[-1])["seconds"]


def installed(peer: str) -> bool:
    try:
        __import__({"factory_boy": "factory"}.get(peer, peer))
    except ImportError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000, help="designer's rows")
    parser.add_argument("--peer-rows", type=int, default=20_000)
    parser.add_argument("--peers", nargs="+", choices=list(PEERS), default=list(PEERS))
    parser.add_argument("--formats", nargs="+", choices=list(WRITERS), default=list(WRITERS))
    args = parser.parse_args()
    print(f"{'format':<8} {'who':<12} {'rows':>10} {'rows/s':>12} {'designer is':>12}")
    with tempfile.TemporaryDirectory() as scratch:
        for fmt in args.formats:
            ours = designer_rate(args.rows, fmt, Path(scratch))
            print(f"{fmt:<8} {'designer':<12} {args.rows:>10,} {ours:>12,.0f}", flush=True)
            for peer in args.peers:
                if not installed(peer):
                    print(f"{fmt:<8} {peer:<12} not installed (pip install -e '.[bench]')")
                    continue
                theirs = peer_rate(PEERS[peer], args.peer_rows, fmt, Path(scratch))
                print(f"{fmt:<8} {peer:<12} {args.peer_rows:>10,} {theirs:>12,.0f} {ours / theirs:>11,.1f}x", flush=True)


if __name__ == "__main__":
    main()
