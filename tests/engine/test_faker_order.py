"""Same preset + seed = same bytes in any process: Faker's data in an order that does not follow
the interpreter's hash seed (Faker builds `it_IT` cities from a set)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

CITY = """
format = 1
[design]
name = "city"
locale = "it_IT"
[entities.t]
rows = 200
fields.id = { kind = "sequence" }
fields.c = { kind = "faker", provider = "city" }
"""

SCAN = r"""
import hashlib, importlib, json, pkgutil, sys
import faker.providers as fp
from designer.model.fakerdata import fix_order
fix_order()
out = {}
for mod in pkgutil.walk_packages(fp.__path__, "faker.providers."):
    try:
        m = importlib.import_module(mod.name)
    except Exception:
        continue
    provider = getattr(m, "Provider", None)
    for name, value in vars(provider or object).items():
        if isinstance(value, (list, tuple, dict, set, frozenset)):
            out[f"{mod.name}.{name}"] = hashlib.md5(repr(list(value)).encode()).hexdigest()
json.dump(out, sys.stdout)
"""


def _run(args: list[str], seed: int, stdin: str | None = None) -> str:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_per_row_faker_field_gives_the_same_rows_for_any_hash_seed(tmp_path):
    preset = tmp_path / "city.toml"
    preset.write_text(CITY)
    args = [sys.executable, "-m", "designer", "export", str(preset), "-o", "-", "--format", "csv", "-q"]
    outputs = {_run(args, seed) for seed in (1, 2, 3)}
    assert len(outputs) == 1 and len(next(iter(outputs)).splitlines()) == 201


def test_no_faker_data_follows_the_hash_seed_once_designer_fixed_the_order():
    """Every Faker provider's lists and tables, in two processes of different hash seeds: a Faker
    release that builds another list from a set fails here, naming it (add it to HASH_ORDERED)."""
    one, two = (json.loads(_run([sys.executable, "-c", SCAN], seed)) for seed in (1, 2))
    assert len(one) > 1000
    assert sorted(k for k in one if one[k] != two.get(k)) == []
