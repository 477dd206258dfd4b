"""Expressions and aggregates are data, not code: what polars SQL would read (files, URLs, FIFOs, the
environment, the clock) or blow up (lpad to 10^8) is refused at load, in one line, before polars sees it."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading

import polars as pl
import pytest

from designer.errors import PresetError
from designer.model import sqlsafe
from designer.model.deps import expression_names
from tests.conftest import ROOT

MARKER = "designer-secret-7f3a9c"
PRESET = """\
format = 1
[design]
name = "t"
seed = 1
[entities.users]
rows = 5
[entities.users.fields]
id = {{ kind = "sequence" }}
name = {{ kind = "faker", provider = "first_name" }}
{field}
[entities.orders]
parent = {{ entity = "users", count = {{ kind = "const", value = 2 }} }}
[entities.orders.fields]
amount = {{ kind = "uniform", min = 1, max = 9 }}
"""


def expression(expr: str) -> str:
    return PRESET.format(field=f'x = {{ kind = "expression", expr = {_toml(expr)} }}')


def aggregate(expr: str) -> str:
    return PRESET.format(field=f'x = {{ kind = "aggregate", entity = "orders", expr = {_toml(expr)} }}')


def _toml(text: str) -> str:
    return "'''" + text + "'''"  # literal string: the SQL's quotes and backslashes stay as written


def run(args: list[str]) -> subprocess.CompletedProcess:
    """designer in a real process; the timeout only guards against a hang (a FIFO opened for reading)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "DESIGNER_TEST_MARKER": MARKER,
    }  # what /proc/self/environ would show
    return subprocess.run(
        [sys.executable, "-m", "designer", *args], capture_output=True, text=True, timeout=120, env=env, stdin=subprocess.DEVNULL
    )


def assert_refused(path, out, needles):
    for args in (["validate", str(path)], ["export", str(path), "-o", str(out), "--if-exists", "replace"]):
        proc = run(args)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith(f"{path}: entities.users.fields.x"), lines[0]
        assert "Traceback" not in proc.stderr + proc.stdout
        assert MARKER not in proc.stderr + proc.stdout
        for needle in needles:
            assert needle in lines[0], (needle, lines[0])
        assert not out.exists() and not list(out.parent.glob(f"{out.name}*"))


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text(f"{MARKER}\n{MARKER}\n")
    return path


def test_read_csv_of_a_file_in_a_subquery(write_preset, tmp_path, secret):
    path = write_preset(expression(f"id IN (SELECT column_1 FROM read_csv('{secret}'))"))
    assert_refused(path, tmp_path / "out.csv", ["read_csv()", "does not allow"])


def test_read_csv_in_an_aggregate(write_preset, tmp_path, secret):
    path = write_preset(aggregate(f"sum(amount) + (SELECT count(*) FROM read_csv('{secret}'))"))
    assert_refused(path, tmp_path / "out.sqlite", ["aggregate uses read_csv()"])


@pytest.mark.parametrize("reader", ["read_parquet", "read_json", "read_ipc", "read_csv"])
def test_every_table_function_is_refused(write_preset, tmp_path, secret, reader):
    path = write_preset(expression(f"(SELECT * FROM {reader}('{secret}')) IS NULL"))
    assert_refused(path, tmp_path / "out.csv", [f"{reader}()"])


def test_the_environment_is_not_read(write_preset, tmp_path):
    path = write_preset(expression("name IN (SELECT column_1 FROM read_csv('/proc/self/environ'))"))
    assert_refused(path, tmp_path / "out.csv", ["read_csv()"])


def test_no_http_request_is_made(write_preset, tmp_path):
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append(self.path)
            body = f"column_1\n{MARKER}\n".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/x.csv"
        path = write_preset(expression(f"name IN (SELECT column_1 FROM read_csv('{url}'))"))
        assert_refused(path, tmp_path / "out.csv", ["read_csv()"])
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []


def test_a_fifo_does_not_hang_the_load(write_preset, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    path = write_preset(expression(f"id IN (SELECT column_1 FROM read_csv('{fifo}'))"))
    assert_refused(path, tmp_path / "out.csv", ["read_csv()"])  # run()'s timeout fails a hang


@pytest.mark.parametrize(
    "expr,needles",
    [
        ("lpad(name, 100000000, 'y')", ["lpad()", "100,000,000", "10,000"]),
        ("rpad(name, 10001)", ["rpad()", "10,001"]),
        ("lpad(name, id, 'y')", ["lpad()", "not a number"]),
        ("replace(replace(replace(name, 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa'), 'a', 'aaaaaaaaaa')", ["1,000 times"]),
        ("replace(name, '', 'zz')", ["replace()", "not empty"]),
        ("repeat(name, 100000000)", ["repeat()", "does not allow"]),
    ],
)
def test_text_that_would_fill_the_memory(write_preset, tmp_path, expr, needles):
    assert_refused(write_preset(expression(expr)), tmp_path / "out.csv", needles)


@pytest.mark.parametrize(
    "expr,shown",
    [
        ("CURRENT_DATE", "current_date"),
        ("NOW()", "now()"),
        ("CURRENT_TIMESTAMP", "current_timestamp"),
        ("current_time", "current_time"),
        ("localtimestamp", "localtimestamp"),
        ("localtime", "localtime"),
        ("current_date()", "current_date"),
        ("CURRENT_TIMESTAMP()", "current_timestamp"),
        ("id + extract(year from now())", "now()"),
    ],
)
def test_the_clock_is_refused(write_preset, tmp_path, expr, shown):
    assert_refused(write_preset(expression(expr)), tmp_path / "out.csv", [f"uses {shown},", "clock", "reference_time"])


def test_random_is_refused_with_the_same_check(write_preset, tmp_path):
    assert_refused(write_preset(expression("id * random()")), tmp_path / "out.csv", ["random()", "not seeded"])


@pytest.mark.parametrize(
    "expr,needle",
    [
        ("id -- a comment", "comment"),
        ("id /* a comment */", "comment"),
        ("$$x$$ || name", "$$-quoted"),
        ("E'x' || name", "E''"),
        ("id; SELECT 1", "second statement"),
        ("users.id + 1", "qualified name"),
        ("id IN (id, 2)", "list of values"),
        ("sum(id)", "aggregate field"),
        ("sum(id) OVER ()", "sum()"),
        ("id::int[]", "casts to"),
        ("(SELECT 1) IS NULL", "subquery"),
        ("lenght(name)", 'did you mean "length"'),
        ("EXISTS (SELECT 1)", "EXISTS"),
        ('"read_csv"(name)', "quoted name"),
        ("'a' || (SELECT 'b')", "subquery"),
    ],
)
def test_other_constructs_are_refused_in_one_line(write_preset, tmp_path, expr, needle):
    proc = run(["validate", str(write_preset(expression(expr)))])
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "entities.users.fields.x" in proc.stderr and needle in proc.stderr, proc.stderr


def test_a_design_built_around_the_model_is_checked_where_names_are_read(secret):
    """deps reads an expression's columns with polars: it checks the text first, whoever built the design."""
    with pytest.raises(PresetError, match=r"read_csv\(\)"):
        expression_names(f"id IN (SELECT column_1 FROM read_csv('{secret}'))")


# Every function the guide allows, in a call polars runs: the oracle is polars evaluating it.
EXAMPLES = {
    "bit_length": "bit_length(s)",
    "char_length": "char_length(s)",
    "character_length": "character_length(s)",
    "concat": "concat(s, '!')",
    "concat_ws": "concat_ws('-', s, s)",
    "ends_with": "ends_with(s, 'c')",
    "initcap": "initcap(s)",
    "left": "left(s, 1)",
    "length": "length(s)",
    "lower": "lower(s)",
    "lpad": "lpad(s, 6, '*')",
    "ltrim": "ltrim(s)",
    "normalize": "normalize(s)",
    "octet_length": "octet_length(s)",
    "position": "position('b' in s)",
    "regexp_like": "regexp_like(s, 'a')",
    "replace": "replace(s, 'a', 'b')",
    "reverse": "reverse(s)",
    "right": "right(s, 1)",
    "rpad": "rpad(s, 6)",
    "rtrim": "rtrim(s, 'c')",
    "split_part": "split_part(s, ',', 1)",
    "starts_with": "starts_with(s, 'a')",
    "strpos": "strpos(s, 'b')",
    "substr": "substr(s, 1, 2)",
    "substring": "substring(s, 1, 2)",
    "trim": "trim(s)",
    "upper": "upper(s)",
    "abs": "abs(x)",
    "cbrt": "cbrt(x)",
    "ceil": "ceil(x)",
    "ceiling": "ceiling(x)",
    "degrees": "degrees(x)",
    "exp": "exp(x)",
    "floor": "floor(x)",
    "greatest": "greatest(x, 1)",
    "least": "least(x, 1)",
    "ln": "ln(x)",
    "log10": "log10(x)",
    "log1p": "log1p(x)",
    "log2": "log2(x)",
    "mod": "mod(x, 2)",
    "pi": "pi()",
    "pow": "pow(x, 2)",
    "power": "power(x, 2)",
    "radians": "radians(x)",
    "round": "round(x, 1)",
    "sign": "sign(x)",
    "sqrt": "sqrt(x)",
    "trunc": "trunc(x)",
    "acos": "acos(x / 3)",
    "asin": "asin(x / 3)",
    "atan": "atan(x)",
    "atan2": "atan2(x, 1)",
    "cos": "cos(x)",
    "cot": "cot(x)",
    "sin": "sin(x)",
    "tan": "tan(x)",
    "date": "date('2020-01-01')",
    "date_part": "date_part('year', d)",
    "extract": "extract(month from d)",
    "strftime": "strftime(d, '%Y')",
    "strptime": "strptime('2020-01-01', '%Y-%m-%d')",
    "timestamp": "timestamp('2020-01-01 10:00:00')",
    "coalesce": "coalesce(x, 1)",
    "if": "if(x > 1, 1, 2)",
    "ifnull": "ifnull(x, 1)",
    "nullif": "nullif(x, 1)",
    "cast": "cast(x AS int)",
    "try_cast": "try_cast(s AS int)",
}
AGGREGATES = {
    "avg": "avg(x)",
    "corr": "corr(x, x)",
    "count": "count(*) + count(x) + count(DISTINCT x)",
    "covar": "covar(x, x)",
    "covar_pop": "covar_pop(x, x)",
    "covar_samp": "covar_samp(x, x)",
    "first": "first(x)",
    "last": "last(x)",
    "max": "max(x)",
    "median": "median(x)",
    "min": "min(x)",
    "quantile_cont": "quantile_cont(x, 0.5)",
    "quantile_disc": "quantile_disc(x, 0.5)",
    "stddev": "stddev(x)",
    "stddev_samp": "stddev_samp(x)",
    "stdev": "stdev(x)",
    "string_agg": "string_agg(s, ',')",
    "sum": "sum(x)",
    "var": "var(x)",
    "var_samp": "var_samp(x)",
    "variance": "variance(x)",
}
FRAME = pl.DataFrame({"x": [1.5, 2.0], "s": ["ab c", "d,e"], "d": pl.Series([19000, 19400]).cast(pl.Date)})


def test_the_examples_cover_exactly_the_allowed_functions():
    assert set(EXAMPLES) == sqlsafe.allowed_names(aggregate=False)
    assert set(EXAMPLES) | set(AGGREGATES) == sqlsafe.allowed_names(aggregate=True)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_each_allowed_function_passes_and_polars_runs_it(name):
    expr = EXAMPLES[name]
    assert sqlsafe.refusal(expr) is None
    assert FRAME.select(pl.sql_expr(expr).alias("v")).height >= 1


@pytest.mark.parametrize("name", sorted(AGGREGATES))
def test_each_allowed_aggregate_passes_and_polars_runs_it(name):
    expr = AGGREGATES[name]
    assert sqlsafe.refusal(expr, aggregate=True) is None
    assert sqlsafe.refusal(expr, aggregate=False) is not None  # a per-row value never sums a block
    assert FRAME.with_columns(g=1).group_by("g").agg(pl.sql_expr(expr).alias("v")).height == 1


@pytest.mark.parametrize(
    "expr",
    [
        "round(quantity * unit_price, 2)",
        "CASE WHEN a IS NULL THEN 'x' ELSE 'y' END",
        "COALESCE(a, b) + h * INTERVAL '1 hour'",
        "a BETWEEN 1 AND 2",
        "a NOT IN (1, -2, 'x', NULL)",
        "a::int + CAST(b AS DOUBLE) + b::decimal(10, 2)",
        "NOT (a > 1 OR b <= 2) AND c <> 3",
        "a LIKE 'x%' OR a ILIKE 'y%'",
        "a IS NOT NULL",
        "a IS DISTINCT FROM 1",
        "a || '-' || b",
        "a % 3 - -b / 2",
        "DATE '2020-01-01' + INTERVAL '3 days'",
        "CASE a WHEN 1 THEN 'one' ELSE 'many' END",
        "'it''s' || a",
        '"quoted name" + 1',
        "regexp_like(a, '\\d+')",
    ],
)
def test_the_syntax_the_guide_shows_is_allowed(expr):
    assert sqlsafe.refusal(expr) is None


def test_the_guide_lists_exactly_the_allowed_functions():
    guide = (ROOT / "docs" / "guide.md").read_text()
    section = guide.split("### Expressions and aggregates", 1)[1].split("\n#", 1)[0]
    groups = {
        m.group(1): set(re.findall(r"`([a-z_0-9]+)", m.group(2)))
        for m in re.finditer(r"^- \*\*(.+?)\*\*[^:]*:(.*)$", section, re.M)
    }
    module = {group: set(names.split()) for group, names in {**sqlsafe.SCALAR, **sqlsafe.AGGREGATE}.items()}
    assert groups == module


def test_a_window_in_an_aggregate_is_refused():
    assert "window (OVER)" in sqlsafe.refusal("sum(amount) OVER (PARTITION BY id)", aggregate=True)
