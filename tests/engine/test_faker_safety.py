"""Faker through the catalog: hostile presets refused at load, every provider either exports or is
refused, the same bytes under any PYTHONHASHSEED, lists and dicts as JSON text."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import pytest

import designer
from designer.errors import PresetError
from designer.model.catalog import ALLOWED, MAX_POOL, REFUSED

ROOT = Path(__file__).resolve().parents[2]
HEAD = (
    'format = 1\n[design]\nname = "h"\nreference_time = 2025-06-01T00:00:00\n[entities.t]\nrows = {rows}\n[entities.t.fields]\n'
)


def preset(fields: dict[str, str], rows: int = 5) -> str:
    return HEAD.format(rows=rows) + "".join(f"{name} = {spec}\n" for name, spec in fields.items())


def run(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


# (name, the field's spec, the key path the error names, words the message must hold)
HOSTILE = [
    (
        "dunder-tokens",
        '{ kind = "faker", provider = "pystr_format", args = { string_format = "{{__init__}}{{__class__}}{{random_int}}" } }',
        "args.string_format",
        ['"{{__init__}}"', "private"],
    ),
    (
        "reseed-token",
        '{ kind = "faker", provider = "pystr_format", args = { string_format = "A{{seed_instance}}" } }',
        "args.string_format",
        ["seed_instance", "state"],
    ),
    (
        "dsv-token",
        '{ kind = "faker", provider = "dsv", args = { data_columns = ["{{name}}", "{{set_formatter}}"] } }',
        "args.data_columns.1",
        ["set_formatter"],
    ),
    (
        "json-column",
        '{ kind = "faker", provider = "json", args = { data_columns = { a = "name", b = "seed_instance" } } }',
        "args.data_columns.b",
        ["seed_instance"],
    ),
    (
        "value-type",
        '{ kind = "faker", provider = "pylist", args = { value_types = ["str", "seed_instance"] } }',
        "args.value_types.1",
        ["seed_instance"],
    ),
    ("provider-plumbing", '{ kind = "faker", provider = "seed_instance" }', "provider", ["refused", "state"]),
    ("provider-dunder", '{ kind = "faker", provider = "__class__" }', "provider", ["refused", "private"]),
    ("enum", '{ kind = "faker", provider = "enum" }', "provider", ["refused", "Enum class"]),
    ("image", '{ kind = "faker", provider = "image" }', "provider", ["refused", "image"]),
    ("xml", '{ kind = "faker", provider = "xml" }', "provider", ["refused", "xmltodict"]),
    ("pool", '{ kind = "faker", provider = "catch_phrase", pool = 2147483648 }', "pool", [str(MAX_POOL)]),
    ("size-arg", '{ kind = "faker", provider = "sentence", args = { nb_words = 1000000000 } }', "args.nb_words", ["10000"]),
    ("long-text", '{ kind = "faker", provider = "bothify", args = { text = "' + "#" * 10_001 + '" } }', "args.text", ["10000"]),
    (
        "deep-args",
        '{ kind = "faker", provider = "json", args = { data_columns = [[[["name"]]]] } }',
        "args.data_columns.0.0.0",
        ["nest"],
    ),
    ("huge-int", '{ kind = "faker", provider = "random_number", args = { digits = 30, fix_len = true } }', "args", ["64-bit"]),
]


@pytest.mark.parametrize("command", ["validate", "export"])
@pytest.mark.parametrize("name,spec,key,words", HOSTILE, ids=[case[0] for case in HOSTILE])
def test_hostile_faker_field_is_refused_at_load(tmp_path, command, name, spec, key, words):
    (tmp_path / "presets").mkdir()
    (tmp_path / "presets" / "x.toml").write_text(preset({"id": '{ kind = "sequence" }', "f": spec}))
    args = ["-m", "designer", command, "presets/x.toml"] + (["-o", "out.sqlite"] if command == "export" else [])
    result = run(*args, cwd=tmp_path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert lines[0].startswith(f"presets/x.toml: entities.t.fields.f.{key}: "), lines[0]
    assert all(word in lines[0] for word in words), lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["presets"]  # nothing written


def test_the_generators_look_up_only_the_catalog():
    """The net under the load-time checks: a name that reached Faker anyway is not looked up."""
    from faker import Faker

    from designer.model.providers import guarded

    fake = guarded(Faker("en_US"))
    fake.seed_instance(1)
    before = fake.random.getstate()
    with pytest.raises(ValueError, match="seed_instance"):
        fake.pystr_format("{{seed_instance}}")
    assert fake.random.getstate() == before  # nothing was reseeded
    assert fake.pystr_format("{{first_name}}-##")  # the catalog's names still work


def _public_names(locale: str) -> set[str]:
    from faker import Faker

    generator = Faker(locale).factories[0]
    return {n for n in dir(generator) if not n.startswith("_") and callable(getattr(generator, n, None))}


def test_the_catalog_has_vetted_every_public_faker_name():
    """A Faker upgrade that adds or drops a public name fails here, so it is vetted before use."""
    from faker.config import AVAILABLE_LOCALES

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated locales say so
        names = set().union(*(_public_names(locale) for locale in AVAILABLE_LOCALES))
    assert not ALLOWED & set(REFUSED)
    assert names == ALLOWED | (set(REFUSED) & names)
    assert set(REFUSED) - names == {"random", "seed_locale"}  # not methods, but names a preset might try


def _sweep_locales() -> dict[str, list[str]]:
    """en_US's providers, and each other catalog provider in the first locale that has it."""
    from faker.config import AVAILABLE_LOCALES

    plan = {"en_US": sorted(_public_names("en_US"))}
    seen = set(plan["en_US"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for locale in sorted(AVAILABLE_LOCALES):
            extra = sorted((_public_names(locale) & ALLOWED) - seen)
            if extra:
                plan[locale] = extra
                seen |= set(extra)
    return plan


def test_every_provider_with_default_args_exports_or_is_refused_at_load(tmp_path):
    """No provider passes validate and then fails at export: each of Faker's public names, with its
    default args, is refused when the preset loads or exports 40 rows to every file format (en_US), or
    5 rows to SQLite, the strictest about types and NOT NULL (the other locales' own providers)."""
    plan = _sweep_locales()
    refused_in_en_us = []
    for locale, names in plan.items():
        kept = []
        for name in names:
            try:
                designer.loads(preset({name: f'{{ kind = "faker", provider = "{name}", locale = "{locale}" }}'}))
                kept.append(name)
            except PresetError as error:  # a refused name, or one whose every call needs an argument
                assert error.path in (f"entities.t.fields.{name}.provider", f"entities.t.fields.{name}.args"), str(error)
                if locale == "en_US":
                    refused_in_en_us.append(name)
        dataset = designer.loads(
            preset(
                {n: f'{{ kind = "faker", provider = "{n}", locale = "{locale}" }}' for n in kept},
                rows=40 if locale == "en_US" else 5,
            )
        )
        formats = ["sqlite", "csv", "parquet", "ndjson", "json"] if locale == "en_US" else ["sqlite"]
        for fmt in formats:
            out = tmp_path / locale / fmt
            dataset.export(str(out / "t.sqlite") if fmt == "sqlite" else f"{out}/", format=fmt)
    assert set(refused_in_en_us) == set(REFUSED) & _public_names("en_US")


HASHED = {
    "s": '{ kind = "faker", provider = "pyset" }',
    "i": '{ kind = "faker", provider = "pyiterable" }',
    "d": '{ kind = "faker", provider = "pydict" }',
    "p": '{ kind = "faker", provider = "profile" }',
    "t": '{ kind = "faker", provider = "time_series" }',
    "u": '{ kind = "faker", provider = "pystruct" }',
}


def test_the_same_bytes_under_any_hash_seed(tmp_path):
    """Sets (pyset, pyiterable's sets) iterate in an order PYTHONHASHSEED picks, and time_series is a
    generator whose repr holds an address: exported in two processes they must still agree."""
    (tmp_path / "h.toml").write_text(preset(HASHED, rows=60))
    script = (
        "import sys, designer; ds = designer.load(sys.argv[1]); out = sys.argv[2]\n"
        "for fmt in ('csv', 'ndjson'): ds.export(out + '/' + fmt + '/', format=fmt)\n"
        "ds.export(out + '/t.sqlite', format='sqlite')\n"
    )
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"out{hash_seed}"
        result = run("-c", script, str(tmp_path / "h.toml"), str(out), env={"PYTHONHASHSEED": hash_seed})
        assert result.returncode == 0, result.stderr
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert len(outputs[0]) == 5 and outputs[0] == outputs[1]  # csv, ndjson, their commit markers, sqlite
    with sqlite3.connect(tmp_path / "out1" / "t.sqlite") as db:
        for (value,) in db.execute("SELECT s FROM t"):
            raw = type("Raw", (str,), {})  # a number kept as the text it was written as
            items = [
                v if isinstance(v, raw) else json.dumps(v, ensure_ascii=False)
                for v in json.loads(value, parse_float=raw, parse_int=raw)
            ]
            assert len(items) > 1 and items == sorted(items)  # a set, as a list sorted by its items' JSON


JSONISH = {
    "profile": '{ kind = "faker", provider = "profile" }',
    "simple": '{ kind = "faker", provider = "simple_profile" }',
    "plist": '{ kind = "faker", provider = "pylist" }',
    "pdict": '{ kind = "faker", provider = "pydict" }',
    "struct": '{ kind = "faker", provider = "pystruct" }',
    "ptuple": '{ kind = "faker", provider = "pytuple" }',
    "latlng": '{ kind = "faker", provider = "latlng" }',
    "series": '{ kind = "faker", provider = "time_series" }',
    "words": '{ kind = "faker", provider = "words" }',
}


def _cells(tmp_path) -> dict[str, list[dict]]:
    (tmp_path / "j.toml").write_text(preset(JSONISH, rows=30))
    dataset = designer.load(tmp_path / "j.toml")
    dataset.export(str(tmp_path / "j.sqlite"), format="sqlite")
    dataset.export(f"{tmp_path}/csv/", format="csv")
    with sqlite3.connect(tmp_path / "j.sqlite") as db:
        db.row_factory = sqlite3.Row
        from_sqlite = [dict(row) for row in db.execute("SELECT * FROM t")]
    with open(tmp_path / "csv" / "t.csv", newline="", encoding="utf-8") as handle:
        from_csv = list(csv.DictReader(handle))
    return {"sqlite": from_sqlite, "csv": from_csv}


def test_lists_and_dicts_are_json_text_in_sqlite_and_csv(tmp_path):
    import datetime as dt

    for where, rows in _cells(tmp_path).items():
        assert len(rows) == 30
        for row in rows:
            values = {name: json.loads(row[name], parse_float=Decimal) for name in JSONISH}
            profile = values["profile"]
            assert isinstance(profile, dict) and dt.date.fromisoformat(profile["birthdate"]), where
            lat, lng = profile["current_location"]
            assert isinstance(lat, Decimal) and -90 <= lat <= 90 and -180 <= lng <= 180  # numbers, not Decimal('..')
            assert dt.date.fromisoformat(values["simple"]["birthdate"])
            assert isinstance(values["plist"], list) and isinstance(values["pdict"], dict)
            assert isinstance(values["struct"], list) and len(values["struct"]) == 3  # (list, dict, dict)
            assert all(isinstance(v, Decimal) for v in values["latlng"]) and len(values["latlng"]) == 2
            assert all(dt.datetime.fromisoformat(t) and isinstance(v, Decimal) for t, v in values["series"])
            assert len(values["words"]) == 3 and all(isinstance(w, str) for w in values["words"])


def test_json_text_of_python_values():
    import datetime as dt

    from designer.model.jsontext import json_text

    value = {
        "n": Decimal("12.3400"),
        "d": dt.date(2020, 2, 29),
        "t": dt.datetime(2020, 1, 1, 8, 30),
        "s": {3, 1, 2},
        "l": (1, "é", None, True),
        "g": (x for x in range(2)),
    }
    assert (
        json_text(value) == '{"n":12.3400,"d":"2020-02-29","t":"2020-01-01T08:30:00","s":[1,2,3],"l":[1,"é",null,true],"g":[0,1]}'
    )


def test_mixed_values_are_text_and_null_boolean_is_nullable(tmp_path):
    """random_digit_or_empty gives 3 or "": one text column; null_boolean's None needs no NOT NULL."""
    fields = {"e": '{ kind = "faker", provider = "random_digit_or_empty" }', "b": '{ kind = "faker", provider = "null_boolean" }'}
    (tmp_path / "m.toml").write_text(preset(fields, rows=200))
    designer.load(tmp_path / "m.toml").export(str(tmp_path / "m.sqlite"), format="sqlite")
    with sqlite3.connect(tmp_path / "m.sqlite") as db:
        digits = {value for (value,) in db.execute("SELECT e FROM t")}
        flags = {value for (value,) in db.execute("SELECT b FROM t")}
    assert digits == {"", *map(str, range(10))}
    assert flags == {None, 0, 1}


def test_a_pool_at_the_limit_loads():
    assert designer.loads(preset({"c": f'{{ kind = "faker", provider = "catch_phrase", pool = {MAX_POOL} }}'}))


def test_validate_still_names_the_per_row_fields(tmp_path):
    (tmp_path / "v.toml").write_text(
        preset({"p": '{ kind = "faker", provider = "profile" }', "n": '{ kind = "faker", provider = "first_name" }'})
    )
    result = run("-m", "designer", "validate", str(tmp_path / "v.toml"), env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert "t.p (profile, en_US)" in result.stdout and "t.n" not in result.stdout
