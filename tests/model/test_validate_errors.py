"""Broken presets: one line on stderr naming the file and the key path, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from designer.cli import main

BASE = """\
format = 1
[design]
name = "shop"
seed = 1
[entities.users]
rows = 10
[entities.users.fields]
id = { kind = "sequence" }
first_name = { kind = "faker", provider = "first_name" }
age = { kind = "normal", mean = 35, std = 12, min = 18, max = 90, dtype = "int" }
role = { kind = "choice", values = ["user", "admin"], weights = [9, 1] }
[entities.orders]
parent = { entity = "users", count = { kind = "poisson", mean = 2 } }
[entities.orders.fields]
id = { kind = "sequence" }
user_id = { kind = "parent", field = "id" }
amount = { kind = "uniform", min = 1, max = 100, decimals = 2 }
"""


def edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


# (name, preset text, substrings the single error line must contain)
CASES = [
    ("toml-syntax", edit("rows = 10", "rows = = 10"), ["not valid TOML", "line 6, column"]),
    ("unknown-top-key", "formt = 2\n" + BASE, ['unknown key "formt"', 'did you mean "format"']),
    ("unknown-design-key", edit("seed = 1", "sed = 1"), ["design.sed", 'did you mean "seed"']),
    ("unknown-entity-key", edit("rows = 10", "rows = 10\nrow = 3"), ["entities.users.row", 'did you mean "rows"']),
    (
        "unknown-kind",
        edit('kind = "normal"', 'kind = "normall"'),
        ["entities.users.fields.age.kind", 'unknown kind "normall"', 'did you mean "normal"'],
    ),
    ("unknown-option", edit("mean = 35", "maen = 35"), ["entities.users.fields.age.maen", 'did you mean "mean"']),
    (
        "unknown-provider",
        edit('provider = "first_name"', 'provider = "frist_name"'),
        ["entities.users.fields.first_name.provider", 'unknown provider "frist_name"', 'did you mean "first_name"'],
    ),
    (
        "unknown-locale",
        edit("seed = 1", 'seed = 1\nlocale = "en_UX"'),
        ["design.locale", 'unknown locale "en_UX"', "did you mean"],
    ),
    (
        "template-unknown-field",
        BASE.replace("[entities.orders]", 'email = { kind = "template", template = "{frist_name}@x.com" }\n[entities.orders]'),
        ["entities.users.fields.email", '"frist_name"', 'did you mean "first_name"'],
    ),
    (
        "expression-unknown-field",
        BASE + 'tax = { kind = "expression", expr = "amont * 0.1" }\n',
        ["entities.orders.fields.tax", '"amont"', 'did you mean "amount"'],
    ),
    (
        "lookup-unknown-via",
        BASE + 'who = { kind = "lookup", via = "usr_id", field = "age" }\n',
        ["entities.orders.fields.who", '"usr_id"', 'did you mean "user_id"'],
    ),
    (
        "lookup-unknown-field",
        BASE + 'who = { kind = "lookup", via = "user_id", field = "agee" }\n',
        ["entities.orders.fields.who", '"agee"', "users", 'did you mean "age"'],
    ),
    (
        "aggregate-unknown-entity",
        BASE.replace(
            "[entities.orders]", 'spent = { kind = "aggregate", entity = "order", expr = "sum(amount)" }\n[entities.orders]'
        ),
        ["entities.users.fields.spent.entity", 'unknown entity "order"', 'did you mean "orders"'],
    ),
    (
        "aggregate-unknown-field",
        BASE.replace(
            "[entities.orders]", 'spent = { kind = "aggregate", entity = "orders", expr = "sum(amout)" }\n[entities.orders]'
        ),
        ["entities.users.fields.spent", '"amout"', 'did you mean "amount"'],
    ),
    (
        "reference-unknown-entity",
        BASE + 'ref = { kind = "reference", entity = "user" }\n',
        ["entities.orders.fields.ref.entity", 'unknown entity "user"', 'did you mean "users"'],
    ),
    (
        "parent-unknown-entity",
        edit('entity = "users"', 'entity = "usres"'),
        ["entities.orders.parent.entity", 'did you mean "users"'],
    ),
    (
        "field-circle",
        BASE + 'a = { kind = "expression", expr = "b + 1" }\nb = { kind = "expression", expr = "a + 1" }\n',
        ["entities.orders.fields.", "circle", "orders.a -> orders.b -> orders.a"],
    ),
    (
        "cross-entity-circle",
        BASE.replace(
            "[entities.orders]", 'spent = { kind = "aggregate", entity = "orders", expr = "sum(share)" }\n[entities.orders]'
        )
        + 'share = { kind = "parent", field = "spent" }\n',
        ["circle", "users.spent -> orders.share -> users.spent"],
    ),
    (
        "entity-parent-circle",
        BASE
        + '[entities.a]\nparent = { entity = "b", count = { kind = "const", value = 1 } }\n[entities.b]\nparent = { entity = "a", count = { kind = "const", value = 1 } }\n',
        ["entities.a.parent", "circle"],
    ),
    (
        "weights-mismatch",
        edit("weights = [9, 1]", "weights = [9, 1, 3]"),
        ["entities.users.fields.role", "weights has 3 entries but values has 2"],
    ),
    ("weights-not-positive", edit("weights = [9, 1]", "weights = [9, 0]"), ["entities.users.fields.role", "positive"]),
    ("min-above-max", edit("min = 18, max = 90", "min = 90, max = 18"), ["entities.users.fields.age", "min (90) > max (18)"]),
    ("probability-out-of-range", BASE + 'flag = { kind = "bool", p = 1.5 }\n', ["entities.orders.fields.flag.p", "1"]),
    (
        "unknown-provider-argument",
        edit('provider = "first_name"', 'provider = "random_int", args = { mni = 3 }'),
        ["entities.users.fields.first_name.args", 'random_int takes no argument "mni"', 'did you mean "min"'],
    ),
    (
        "provider-argument-faker-refuses",
        edit('provider = "first_name"', 'provider = "random_int", args = { min = 9, max = 1 }'),
        ["entities.users.fields.first_name.args", "random_int(min=9, max=1) fails: empty range"],
    ),
    (
        "date-range-that-ends-before-it-starts",
        edit('provider = "first_name"', 'provider = "date_time_between", args = { start_date = 2020-01-01, end_date = "-10y" }'),
        [
            "entities.users.fields.first_name.args",
            'date_time_between: the start (start_date = 2020-01-01) comes after the end (end_date = "-10y"); use an earlier start or a later end',
        ],
    ),
    (
        "date-range-against-a-default",
        edit('provider = "first_name"', 'provider = "past_datetime", args = { start_date = "+1d" }'),
        [
            "entities.users.fields.first_name.args",
            'past_datetime: the start (start_date = "+1d") comes after the end (the default "-1s")',
        ],
    ),
    (
        "provider-argument-of-a-variant",
        BASE
        + '[entities.users.variants.vip]\nweight = 0.1\nfields.code = { kind = "faker", provider = "bothify", args = { txt = "##" } }\n',
        ["entities.users.variants.vip.fields.code.args", 'bothify takes no argument "txt"', 'did you mean "text"'],
    ),
    (
        "null-rate-out-of-range",
        edit('provider = "first_name"', 'provider = "first_name", null_rate = 2'),
        ["entities.users.fields.first_name.null_rate"],
    ),
    ("negative-rows", edit("rows = 10", "rows = -5"), ["entities.users.rows", "greater than or equal to 0"]),
    (
        "parent-field-in-root",
        edit('id = { kind = "sequence" }\nfirst', 'id = { kind = "sequence" }\nboss = { kind = "parent", field = "id" }\nfirst'),
        ["entities.users.fields.boss", "no parent"],
    ),
    (
        "unique-domain-too-small",
        edit("weights = [9, 1] }", "weights = [9, 1], unique = true }"),
        ["entities.users.fields.role", "unique asks 10 values of a domain of 2"],
    ),
    (
        "primary-key-null-rate",
        edit('id = { kind = "sequence" }', 'id = { kind = "sequence", null_rate = 0.1 }'),
        ["entities.users.fields.id.null_rate", "a primary key cannot be null"],
    ),
    (
        "unique-reference-too-many",
        BASE + 'buddy = { kind = "reference", entity = "users", unique = true }\n',
        ["entities.orders.fields.buddy", "rows here, users has 10"],
    ),
    (
        "tree-to-another-entity",
        BASE + 'up = { kind = "reference", entity = "users", tree = true }\n',
        ["entities.orders.fields.up.tree", "tree needs a reference to this entity (orders)"],
    ),
    ("wrong-type", edit("mean = 35", 'mean = "abc"'), ["entities.users.fields.age.mean", "'abc'"]),
    ("format-too-new", edit("format = 1", "format = 7"), ["format", "newer"]),
    (
        "format-too-new-with-new-keys",
        edit("format = 1", "format = 7").replace("seed = 1", "seed = 1\nshards = 4"),
        ["format: format 7 is newer"],
    ),
    ("missing-rows", edit("rows = 10\n", ""), ["entities.users", "needs rows"]),
    (
        "lookup-via-plain-field",
        BASE + 'who = { kind = "lookup", via = "amount", field = "age" }\n',
        ["entities.orders.fields.who", "parent or reference"],
    ),
    (
        "field-not-a-table",
        edit('id = { kind = "sequence" }\nfirst', "id = 3\nfirst"),
        ["entities.users.fields.id", "must be a table"],
    ),
    (
        "no-kind",
        edit('id = { kind = "sequence" }\nfirst', "id = { start = 3 }\nfirst"),
        ["entities.users.fields.id", "needs a kind"],
    ),
    ("empty-file", "", ["empty"]),
    ("not-toml", "this is not a preset, just words\n", ["not valid TOML", "line 1"]),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", ["not a text file"]),
]


@pytest.mark.parametrize("text,needles", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_broken_preset_is_one_line_exit_2(write_preset, text, needles):
    path = write_preset(text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith(f"{path}: "), line
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in line, (needle, line)


def test_directory_and_missing_path(tmp_path):
    for target, needle in ((tmp_path, "is a directory"), (tmp_path / "nope.toml", "no such file")):
        result = CliRunner().invoke(main, ["validate", str(target)])
        assert result.exit_code == 2
        assert result.stderr.strip() == f"{target}: {needle}" or needle in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_real_process_gives_one_line_and_exit_2(write_preset):
    """The installed console script, not the in-process runner: no traceback reaches the user."""
    path = write_preset(edit('provider = "first_name"', 'provider = "emial"'))
    proc = subprocess.run([sys.executable, "-m", "designer", "validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f'{path}: entities.users.fields.first_name.provider: unknown provider "emial"; did you mean "email"?'
    ]
    assert proc.stdout == ""


def test_valid_preset_summary(write_preset):
    result = CliRunner().invoke(main, ["validate", str(write_preset(BASE))])
    assert result.exit_code == 0, result.output
    assert "users" in result.stdout and "orders" in result.stdout and "child of users" in result.stdout


def test_summary_names_the_faker_fields_that_run_per_row(write_preset):
    fast = CliRunner().invoke(main, ["validate", str(write_preset(BASE))])
    assert fast.exit_code == 0 and "per row" not in fast.stdout
    slow_design = BASE.replace("role = {", 'plate = { kind = "faker", provider = "vin" }\nrole = {')
    slow = CliRunner().invoke(main, ["validate", str(write_preset(slow_design, "slow.toml"))])
    assert slow.exit_code == 0, slow.output
    text = " ".join(slow.stdout.split())  # rich wraps long lines
    assert "Faker per row" in text and "users.plate (vin, en_US)" in text


def test_rows_for_an_unknown_entity_suggests_the_near_one(write_preset, tmp_path):
    target = tmp_path / "out.sqlite"
    result = CliRunner().invoke(main, ["export", str(write_preset(BASE)), "-o", str(target), "--rows", "userz=5"])
    assert result.exit_code == 2
    assert result.stderr.strip() == 'designer: --rows names unknown entity "userz"; did you mean "users"?'
    assert not target.exists()
