"""Hard limits: each extreme preset is refused at load with one line naming the file and key path,
exit 2, and nothing written (these all crashed, ran out of memory or hung before)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from designer.cli import main

HEAD = """\
format = 1
[design]
name = "x"
[entities.users]
rows = 5
[entities.users.fields]
id = { kind = "sequence" }
"""
CHILD = '[entities.orders]\nparent = {{ entity = "users", count = {count} }}\n[entities.orders.fields]\nid = {{ kind = "sequence" }}\n'


def field(spec: str) -> str:
    return HEAD + f"c = {spec}\n"


def child(count: str) -> str:
    return HEAD + CHILD.format(count=count)


# (name, preset text, key path, words the line must contain)
CASES = [
    ("toml-nested-2000-deep", HEAD + "a = " + "[" * 2000 + "]" * 2000 + "\n", None, ["nested more than 32 levels"]),
    ("inline-tables-nested", HEAD + "a = " + "{b=" * 600 + "1" + "}" * 600 + "\n", None, ["nested more than 32 levels"]),
    (
        "nested-just-over",
        field('{ kind = "faker", provider = "pystr", args = ' + "{b=" * 40 + "1" + "}" * 40 + " }"),
        None,
        ["nested"],
    ),
    (
        "offset-before-year-1",
        field('{ kind = "datetime", start = "-99999999d" }'),
        "entities.users.fields.c.start",
        ["years 1 to 9999"],
    ),
    ("date-offset-after-9999", field('{ kind = "date", end = "+99999y" }'), "entities.users.fields.c.end", ["years 1 to 9999"]),
    (
        "series-step-too-long",
        field('{ kind = "series", start = "now", step = "99999999999d" }'),
        "entities.users.fields.c.step",
        ["years 1 to 9999"],
    ),
    (
        "series-step-months",
        field('{ kind = "series", start = "now", step = "99999999999y" }'),
        "entities.users.fields.c.step",
        ["years 1 to 9999"],
    ),
    (
        "series-runs-past-9999",
        HEAD.replace("rows = 5", "rows = 10000") + 'c = { kind = "series", start = "now", step = "1y" }\n',
        "entities.users.fields.c.step",
        ["past the year 9999"],
    ),
    (
        "series-start-offset",
        field('{ kind = "series", start = "-99999999d", step = "1d" }'),
        "entities.users.fields.c.start",
        ["years 1 to 9999"],
    ),
    (
        "const-beyond-int64",
        field('{ kind = "const", value = 18446744073709551616 }'),
        "entities.users.fields.c.value",
        ["64-bit"],
    ),
    ("const-nan", field('{ kind = "const", value = nan }'), "entities.users.fields.c.value", ["finite"]),
    ("uniform-nan-bound", field('{ kind = "uniform", min = 0, max = nan }'), "entities.users.fields.c.max", ["finite", "nan"]),
    (
        "uniform-range-overflows",
        field('{ kind = "uniform", min = -1e308, max = 1e308 }'),
        "entities.users.fields.c",
        ["largest float"],
    ),
    (
        "uniform-int-at-int64-max",
        field('{ kind = "uniform", min = 0, max = 9223372036854775807, dtype = "int" }'),
        "entities.users.fields.c",
        ["2^63-1"],
    ),
    ("normal-inf-mean", field('{ kind = "normal", mean = inf }'), "entities.users.fields.c.mean", ["finite"]),
    (
        "normal-draws-overflow",
        field('{ kind = "normal", mean = 1e308, std = 1e308 }'),
        "entities.users.fields.c",
        ["largest float"],
    ),
    (
        "normal-int-beyond-int64",
        field('{ kind = "normal", mean = 1e19, std = 1, dtype = "int" }'),
        "entities.users.fields.c",
        ["64-bit"],
    ),
    ("lognormal-overflows", field('{ kind = "lognormal", mean = 700, sigma = 2 }'), "entities.users.fields.c", ["largest float"]),
    (
        "bounds-hold-no-draws",
        field('{ kind = "normal", mean = 0, std = 1, min = 50, max = 60 }'),
        "entities.users.fields.c",
        ["has a probability of 10^-545.0 in [50, 60]"],
    ),
    (
        "bounds-below-the-draws",
        field('{ kind = "poisson", mean = 1e12, max = 12 }'),
        "entities.users.fields.c",
        ["poisson(mean=1e+12) has a probability of 10^-"],
    ),
    (
        "poisson-mean-too-large",
        field('{ kind = "poisson", mean = 18446744073709551616 }'),
        "entities.users.fields.c.mean",
        ["less than or equal to 10000000000000"],
    ),
    ("zipf-ranks-too-many", field('{ kind = "zipf", max = 9223372036854775807 }'), "entities.users.fields.c.max", ["10000000"]),
    (
        "bool-for-a-number",
        field('{ kind = "uniform", min = 0, max = true }'),
        "entities.users.fields.c.max",
        ["must be a number, not true"],
    ),
    ("bool-for-rows", HEAD.replace("rows = 5", "rows = true"), "entities.users.rows", ["not true"]),
    (
        "sequence-leaves-int64",
        field('{ kind = "sequence", start = 9223372036854775807 }'),
        "entities.users.fields.c.step",
        ["64-bit"],
    ),
    ("sequence-float-overflows", field('{ kind = "sequence", step = 1e308 }'), "entities.users.fields.c.step", ["largest float"]),
    (
        "rows-over-ceiling",
        HEAD.replace("rows = 5", "rows = 1000000000000000"),
        "entities.users.rows",
        ["10,000,000,000 rows per entity"],
    ),
    ("count-const-negative", child('{ kind = "const", value = -5 }'), "entities.orders.parent.count", ["whole number ≥ 0"]),
    ("count-const-fraction", child('{ kind = "const", value = 2.7 }'), "entities.orders.parent.count", ["whole number ≥ 0"]),
    ("count-const-bool", child('{ kind = "const", value = true }'), "entities.orders.parent.count", ["whole number ≥ 0"]),
    (
        "count-const-beyond-int64",
        child('{ kind = "const", value = 18446744073709551616 }'),
        "entities.orders.parent.count.value",
        ["64-bit"],
    ),
    (
        "count-max-2^53",
        child('{ kind = "uniform", min = 0, max = 9007199254740993 }'),
        "entities.orders.parent.count",
        ["children", "10,000,000,000"],
    ),
    ("count-max-inf", child('{ kind = "uniform", min = 0, max = inf }'), "entities.orders.parent.count.max", ["finite"]),
    ("count-max-nan", child('{ kind = "poisson", mean = 2, max = nan }'), "entities.orders.parent.count.max", ["finite"]),
    ("count-mean-huge", child('{ kind = "poisson", mean = 1e12 }'), "entities.orders.parent.count", ["10,000,000,000"]),
    (
        "children-over-ceiling",
        HEAD.replace("rows = 5", "rows = 100000000") + CHILD.format(count='{ kind = "const", value = 1000 }'),
        "entities.orders.parent.count",
        ["100,000,000,000 rows (100,000,000 parent rows × about 1,000 each)", "10,000,000,000"],
    ),
]


@pytest.mark.parametrize("command", ["validate", "preview", "export"])
@pytest.mark.parametrize("text,path,needles", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_extreme_preset_is_one_line(write_preset, tmp_path, command, text, path, needles):
    preset = write_preset(text)
    out = tmp_path / "out.sqlite"
    args = {"validate": [], "preview": ["--rows", "2"], "export": ["-o", str(out)]}[command]
    result = CliRunner().invoke(main, [command, str(preset), *args])
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"{preset}: " + (f"{path}: " if path else "")), lines[0]
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    assert not out.exists()


def test_offsets_count_from_reference_time(write_preset):
    """The same offset is inside the calendar from one reference_time and outside from another."""
    text = (
        HEAD.replace('name = "x"', 'name = "x"\nreference_time = 2026-01-01T00:00:00')
        + 'c = { kind = "date", start = "-2020y" }\n'
    )
    assert CliRunner().invoke(main, ["validate", str(write_preset(text))]).exit_code == 0
    early = write_preset(text.replace("2026-01-01", "2010-01-01"), "early.toml")
    result = CliRunner().invoke(main, ["validate", str(early)])
    assert result.exit_code == 2 and "from 2010-01-01 is beyond" in result.stderr


def test_values_near_the_limits_still_load(write_preset):
    text = (
        HEAD
        + "\n".join(
            [
                'a = { kind = "uniform", min = -9223372036854775808, max = 9223372036854775806, dtype = "int" }',
                'b = { kind = "poisson", mean = 10000000000000 }',
                'z = { kind = "zipf", max = 10000000 }',
                'd = { kind = "date", start = "-2024y", end = "+7974y" }',
                'l = { kind = "lognormal", mean = 3.4, sigma = 1.0, min = 0.5, max = 25000 }',
            ]
        )
        + "\n"
        + CHILD.format(count='{ kind = "poisson", mean = 1000000 }')
    )
    result = CliRunner().invoke(main, ["validate", str(write_preset(text))])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "option,needle",
    [
        (["--rows", "users=1000000000000"], '--rows "users=1000000000000": at most 10,000,000,000 rows per entity'),
        (["--scale", "inf"], '--scale "inf": give a finite number ≥ 0'),
        (["--scale", "nan"], '--scale "nan": give a finite number ≥ 0'),
    ],
)
def test_row_options_beyond_the_ceiling(write_preset, tmp_path, option, needle):
    preset = write_preset(HEAD + CHILD.format(count='{ kind = "const", value = 2 }'))
    out = tmp_path / "out.sqlite"
    result = CliRunner().invoke(main, ["export", str(preset), "-o", str(out), *option])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"designer: {needle}"
    assert not out.exists()


def test_scale_that_overflows_the_ceiling_names_the_entity(write_preset, tmp_path):
    preset = write_preset(HEAD)
    out = tmp_path / "out.sqlite"
    result = CliRunner().invoke(main, ["export", str(preset), "-o", str(out), "--scale", "1e300"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"{preset}: entities.users.rows: ")
    assert "10,000,000,000 rows per entity" in result.stderr and not out.exists()


def test_library_reason_on_several_lines_is_printed_on_one():
    from designer.errors import GenerationError

    error = GenerationError("series failed: cannot advance\n\nThis error occurred with:\n  x", path="entities.a.fields.b")
    assert str(error) == "entities.a.fields.b: series failed: cannot advance This error occurred with: x"


def test_a_per_parent_series_under_a_zipf_count_validates(write_preset):
    """The largest zipf count is its max: the series check asked zipf for a `reach` it does not
    have and crashed with a traceback."""
    text = """[design]
name = "z"
[entities.p]
rows = 5
fields.id = { kind = "sequence" }
[entities.c]
parent = { entity = "p", count = { kind = "zipf", exponent = 1.5, max = 20 } }
fields.t = { kind = "series", start = 2024-01-01T00:00:00, step = "1h", per_parent = true }
"""
    result = CliRunner().invoke(main, ["validate", str(write_preset(text))])
    assert result.exit_code == 0, result.output
