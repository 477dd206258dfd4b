"""Every `sh` and `python` example in the README and the user guide runs as written, the guide's
error messages are what the program prints, and its pictures and links exist.

A `python` block whose first line is `# file: PATH` is a file the reader saves, not a script: it
is written at PATH in the working directory of every example of its document (a later `sh`
block runs it, with pytest for instance)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PRESETS, ROOT

DOCS = [ROOT / "README.md", ROOT / "docs" / "guide.md"]
GUIDE = ROOT / "docs" / "guide.md"
BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.S | re.M)
FILE = re.compile(r"\A# file: (\S+)\n")


def _blocks(doc: Path) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(doc.read_text())]


def files(doc: Path) -> dict[str, str]:
    """The `# file: PATH` blocks of a document: PATH -> content."""
    return {FILE.match(code).group(1): code for lang, code in _blocks(doc) if lang == "python" and FILE.match(code)}


def examples() -> list[tuple[str, str, str, Path]]:
    found = []
    for doc in DOCS:
        for n, (lang, code) in enumerate(_blocks(doc)):
            if lang == "python" and FILE.match(code):
                continue
            found.append((f"{doc.name}#{n}-{lang}", lang, code, doc))
    return found


@pytest.fixture
def workdir(tmp_path):
    shutil.copytree(PRESETS, tmp_path / "presets")
    return tmp_path


def _env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.parametrize("lang,code,doc", [e[1:] for e in examples()], ids=[e[0] for e in examples()])
def test_example_runs(lang, code, doc, workdir):
    for path, content in files(doc).items():
        (workdir / path).parent.mkdir(parents=True, exist_ok=True)
        (workdir / path).write_text(content)
    if lang == "sh":
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", code], cwd=workdir, env=_env(), capture_output=True, text=True, timeout=300
        )
    else:
        proc = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{code}\n--- stdout\n{proc.stdout[-2000:]}\n--- stderr\n{proc.stderr[-2000:]}"


def test_the_docs_have_examples():
    kinds = {lang for _, lang, _, _ in examples()}
    assert kinds == {"sh", "python"} and len(examples()) >= 8


def test_the_pytest_example_files_are_run():
    saved = files(GUIDE)
    assert {"tests/conftest.py", "tests/test_orders.py"} <= set(saved)
    runs = [code for _, lang, code, doc in examples() if lang == "sh" and doc == GUIDE]
    assert any("pytest" in code and "tests/test_orders.py" in code for code in runs)


def test_the_guides_pictures_and_links_exist():
    text = GUIDE.read_text()
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if not re.match(r"[a-z]+://", t)]
    assert local, "the guide links no files"
    for target in local:
        assert (GUIDE.parent / target).exists(), target
    anchors = {re.sub(r"[^a-z0-9 -]", "", h.lower()).replace(" ", "-") for h in re.findall(r"^#+ (.+)$", text, re.M)}
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in anchors, anchor


# ---- section 8: the guide's error messages, each reproduced with the real CLI ----------------

ECOMMERCE = (PRESETS / "ecommerce.toml").read_text()
_SHOP = ["presets/shop.toml"]

# message in the guide -> (edits to presets/ecommerce.toml saved as presets/shop.toml,
#                          commands run before, the command that must fail)
ERRORS: dict[str, tuple[list[tuple[str, str]], list[list[str]], list[str]]] = {
    "presets/shop.toml: not valid TOML: line 12, column 8: invalid value": (
        [("rows = 1000\n", "rows = = 1000\n")],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.products.fields.stock.kind: unknown kind "poison"; did you mean "poisson"?': (
        [('"poisson", mean = 40', '"poison", mean = 40')],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.users.fields.age.sd: unknown option "sd" for normal; did you mean "std"?': (
        [("std = 12", "sd = 12")],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.users.fields.phone.provider: unknown provider "phone_numbr"; did you mean "phone_number"?': (
        [('"phone_number"', '"phone_numbr"')],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.products.fields.name.args: catch_phrase takes no argument "nb_words"': (
        [('provider = "catch_phrase" }', 'provider = "catch_phrase", args = { nb_words = 4 } }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.products.fields.stock.args: random_int(min=50, max=5) fails: empty range for randrange() (50, 6, -44)": (
        [('{ kind = "poisson", mean = 40 }', '{ kind = "faker", provider = "random_int", args = { min = 50, max = 5 } }')],
        [],
        ["preview", *_SHOP, "--entity", "products"],
    ),
    'presets/shop.toml: entities.users.fields.created_at.args: date_time_between: the start (start_date = "-2y") comes after the end (end_date = 2020-01-01); use an earlier start or a later end': (
        [
            (
                '{ kind = "datetime", start = "-2y", end = "now" }',
                '{ kind = "faker", provider = "date_time_between", args = { start_date = "-2y", end_date = 2020-01-01 } }',
            )
        ],
        [],
        ["validate", *_SHOP],
    ),
    # faker fields reach only the catalog's providers (designer/model/catalog.py)
    "presets/shop.toml: entities.products.fields.name.provider: provider \"seed_instance\" is refused: Faker's own machinery, not a provider: it reads or changes the generator's state": (
        [('provider = "catch_phrase" }', 'provider = "seed_instance" }')],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.products.fields.name.provider: provider "enum" is refused: needs a Python Enum class, which a preset cannot give; use kind = "choice"': (
        [('provider = "catch_phrase" }', 'provider = "enum" }')],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.products.fields.name.args.string_format: "{{seed_instance}}" names "seed_instance": Faker\'s own machinery, not a provider: it reads or changes the generator\'s state': (
        [('provider = "catch_phrase" }', 'provider = "pystr_format", args = { string_format = "{{seed_instance}}-####" } }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.products.fields.name.args.nb_words: 1000000000 is more than one value may hold (nb_words at most 10000)": (
        [('provider = "catch_phrase" }', 'provider = "sentence", args = { nb_words = 1000000000 } }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.products.fields.name.args: is_leap_year needs args = { year = ... }": (
        [('provider = "catch_phrase" }', 'provider = "is_leap_year", locale = "it_IT" }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.products.fields.name.pool: input should be less than or equal to 100000, not 2147483648": (
        [('provider = "catch_phrase" }', 'provider = "catch_phrase", pool = 2147483648 }')],
        [],
        ["export", *_SHOP, "-o", "shop.sqlite", "--quiet"],
    ),
    "designer: shop.sqlite: append: table users has no column vip": (
        [
            (
                'is_active  = { kind = "bool", p = 0.9 }\n',
                'is_active  = { kind = "bool", p = 0.9 }\nvip = { kind = "bool", p = 0.1 }\n',
            )
        ],
        [["export", "presets/ecommerce.toml", "-o", "shop.sqlite", "--quiet", "--rows", "users=20", "--rows", "products=5"]],
        ["export", *_SHOP, "-o", "shop.sqlite", "--if-exists", "append", "--quiet"],
    ),
    "presets/shop.toml: entities.products.table: entities users and products would both write table Users (entity users writes users: table names are compared without case)": (
        [("[entities.products]\nrows = 200\n", '[entities.products]\nrows = 200\ntable = "Users"\n')],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: design.locale: unknown locale "en_UX"; did you mean "en_US"?': (
        [('locale = "en_US"', 'locale = "en_UX"')],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.users.fields.email: template names unknown field "lastname"; did you mean "last_name"?': (
        [(".{last_name}@", ".{lastname}@")],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.users.fields.email.template: template "{first_name.{last_name}@example.com" has an unmatched "{" at character 1; write a field as {name} (letters, digits, _)': (
        [("{first_name}.{last_name}@", "{first_name.{last_name}@")],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.orders.fields.total: expression names unknown field "subtotl"; did you mean "subtotal"?': (
        [("round(subtotal + tax", "round(subtotl + tax")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.orders.fields.tax.expr: expression uses read_csv(), which designer does not allow; allowed: the functions listed in the guide (section 4)": (
        [
            (
                "round(subtotal * 0.08, 2)",
                "CASE WHEN status IN (SELECT column_1 FROM read_csv('/etc/passwd')) THEN 0 ELSE round(subtotal * 0.08, 2) END",
            )
        ],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.created_at.expr: expression uses current_timestamp, which reads the machine's clock (the rows would change from day to day); use a datetime field, whose start and end count from reference_time": (
        [('{ kind = "datetime", start = "-2y", end = "now" }', '{ kind = "expression", expr = "CURRENT_TIMESTAMP" }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.products.fields.slug.expr: expression uses lpad() with length 100,000,000, above designer's limit of 10,000 characters": (
        [
            (
                '{ kind = "template", template = "{name}", transform = "slug" }',
                """{ kind = "expression", expr = "lpad(name, 100000000, 'x')" }""",
            )
        ],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.orders.fields.tax: fields depend on each other in a circle: orders.tax -> orders.total -> orders.tax": (
        [("round(subtotal * 0.08", "round(total * 0.08")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.role: weights has 2 entries but values has 3": (
        [("weights = [70, 20, 10]", "weights = [70, 20]")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.age: min (90) > max (18)": (
        [("min = 18, max = 90", "min = 90, max = 18")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.age: normal(mean=35, std=12) has a probability of 10^-482.6 in [600, 700] (at least 1e-300 is needed to draw values there); widen min/max or move the distribution": (
        [("min = 18, max = 90", "min = 600, max = 700")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.is_active.p: input should be less than or equal to 1, not 1.9": (
        [("p = 0.9", "p = 1.9")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.rows: input should be greater than or equal to 0, not -5": (
        [("rows = 1000\n", "rows = -5\n")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.boss: a parent field needs a child entity (this entity has no parent)": (
        [("last_name  =", 'boss = { kind = "parent", field = "id" }\nlast_name  =')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.role: unique asks 1000 values of a domain of 3": (
        [("weights = [70, 20, 10] }", "weights = [70, 20, 10], unique = true }")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.color: unique ran dry: faker color_name gave only 140 distinct values for 1000 rows after 30 redraws": (
        [("role       =", 'color = { kind = "faker", provider = "color_name", unique = true }\nrole       =')],
        [],
        ["export", *_SHOP, "-o", "shop.sqlite", "--quiet"],
    ),
    "presets/shop.toml: entities.order_items.fields.product_id: a unique reference points at a different row of products in each row: 60000 rows here, products has 200": (
        [('entity = "products", distribution = "zipf", exponent = 1.2 }', 'entity = "products", unique = true }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.id.null_rate: a primary key cannot be null; remove null_rate": (
        [('{ kind = "sequence", start = 1 }', '{ kind = "sequence", start = 1, null_rate = 0.01 }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.id.edge_rate: edge_rate would repeat its edge values in the primary key; put the edge cases on a field that is not unique": (
        [('{ kind = "sequence", start = 1 }', '{ kind = "sequence", start = 1, edge_rate = 0.01 }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.order_items.fields.product_id.tree: tree needs a reference to this entity (order_items), not to products": (
        [('entity = "products", distribution = "zipf", exponent = 1.2 }', 'entity = "products", tree = true }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.order_items.fields.product_id: references products, which has no rows": (
        [],
        [],
        ["export", *_SHOP, "-o", "shop.sqlite", "--rows", "products=0", "--quiet"],
    ),
    # the limits (designer/model/limits.py)
    "presets/shop.toml: entities.products.fields.price.max: input should be a finite number, not nan": (
        [("max = 999.99", "max = nan")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.age.max: must be a number, not true": (
        [("min = 18, max = 90", "min = 18, max = true")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.rows: 100,000,000,000 rows is more than the limit of 10,000,000,000 rows per entity": (
        [("rows = 1000\n", "rows = 100000000000\n")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.orders.parent.count: 20,000,000,000 rows (1,000 parent rows × about 20,000,000 each) is more than the limit of 10,000,000,000 rows per entity": (
        [('count = { kind = "poisson", mean = 2, max = 12 }', 'count = { kind = "poisson", mean = 20000000 }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.order_items.parent.count: a const count must be a whole number ≥ 0, not 2.5": (
        [('count = { kind = "uniform", min = 1, max = 5 }', 'count = { kind = "const", value = 2.5 }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.order_items.parent.count: a choice count must choose among whole numbers ≥ 0, not 2.5": (
        [('count = { kind = "uniform", min = 1, max = 5 }', 'count = { kind = "choice", values = [1, 2.5] }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.order_items.parent.count.field: orders.status is a choice field, not a number: a count reads a numeric field": (
        [('count = { kind = "uniform", min = 1, max = 5 }', 'count = { field = "status" }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.order_items.parent.count.field: orders.total is made from order_items rows through orders.subtotal: a count cannot read a field made from the rows it counts": (
        [('count = { kind = "uniform", min = 1, max = 5 }', 'count = { field = "total" }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: entities.users.fields.id.step: 1,000 rows of step 1 from 9223372036854775807 reach 9.22e+18, beyond 64-bit integers": (
        [('{ kind = "sequence", start = 1 }', '{ kind = "sequence", start = 9223372036854775807 }')],
        [],
        ["validate", *_SHOP],
    ),
    'presets/shop.toml: entities.users.fields.created_at.start: "-99999y" from 2026-01-01 is beyond the dates a datetime can hold (years 1 to 9999)': (
        [('{ kind = "datetime", start = "-2y", end = "now" }', '{ kind = "datetime", start = "-99999y", end = "now" }')],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shop.toml: tables and arrays are nested more than 32 levels deep; a preset needs a handful": (
        [("rows = 200\n", "rows = 200\ntags = " + "[" * 40 + "]" * 40 + "\n")],
        [],
        ["validate", *_SHOP],
    ),
    'designer: --rows "users=100000000000": at most 10,000,000,000 rows per entity': (
        [],
        [],
        ["export", *_SHOP, "--rows", "users=100000000000", "--quiet"],
    ),
    'designer: --scale "inf": give a finite number ≥ 0': ([], [], ["export", *_SHOP, "--scale", "inf", "--quiet"]),
    "presets/shop.toml: format: format 3 is newer than this designer understands (1); upgrade designer": (
        [("format = 1\n", "format = 3\n")],
        [],
        ["validate", *_SHOP],
    ),
    "presets/shpo.toml: no such file": ([], [], ["validate", "presets/shpo.toml"]),
    "designer: shop.sqlite: exists; pass --if-exists replace to overwrite it": (
        [],
        [["export", *_SHOP, "-o", "shop.sqlite", "--rows", "5", "--quiet"]],
        ["export", *_SHOP, "-o", "shop.sqlite", "--rows", "5", "--quiet"],
    ),
    "designer: out.xyz: cannot tell the format; add --format (csv, tsv, parquet, ndjson, json) or an extension": (
        [],
        [],
        ["export", *_SHOP, "-o", "out.xyz", "--quiet"],
    ),
    "designer: shop.parquet: one file holds one entity; give a directory (out/) or --entity NAME": (
        [],
        [],
        ["export", *_SHOP, "-o", "shop.parquet", "--quiet"],
    ),
    'presets/shop.toml: design.name: "../ecommerce" is not a name: use letters, digits and _, not starting with a digit': (
        [('name = "ecommerce"\n', 'name = "../ecommerce"\n')],
        [],
        ["export", *_SHOP, "--quiet"],
    ),
    "designer: shop.sqlite: --if-exists replace-cascade is for PostgreSQL targets; use replace": (
        [],
        [],
        ["export", *_SHOP, "-o", "shop.sqlite", "--if-exists", "replace-cascade", "--quiet"],
    ),
    "designer: out: --csv-safe applies to csv and tsv targets only": (
        [],
        [],
        ["export", *_SHOP, "-o", "out/", "--format", "parquet", "--csv-safe", "--quiet"],
    ),
    'designer: --entity names unknown entity "user"; did you mean "users"?': (
        [],
        [],
        ["export", *_SHOP, "--entity", "user", "--quiet"],
    ),
    'designer: --rows "users=abc": give N or ENTITY=N with N a whole number': (
        [],
        [],
        ["export", *_SHOP, "--rows", "users=abc", "--quiet"],
    ),
}


def documented_errors() -> list[str]:
    """The messages in the table of the guide's section 8."""
    section = GUIDE.read_text().split("## 8. Errors you may meet", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| [^|]+ \| `(.+)` \|$", section, re.M)


def test_every_documented_error_has_a_reproduction():
    documented = documented_errors()
    assert len(documented) >= 15
    assert set(documented) == set(ERRORS), set(documented) ^ set(ERRORS)


@pytest.mark.parametrize("message", list(ERRORS))
def test_documented_error_is_what_designer_prints(message, workdir):
    edits, before, command = ERRORS[message]
    text = ECOMMERCE
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (workdir / "presets" / "shop.toml").write_text(text)
    designer = [str(Path(sys.executable).with_name("designer"))]
    for step in before:
        assert subprocess.run(designer + step, cwd=workdir, env=_env(), capture_output=True).returncode == 0
    existing = {p: p.stat().st_mtime_ns for p in workdir.iterdir() if p.is_file()}
    proc = subprocess.run(designer + command, cwd=workdir, env=_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == message
    assert proc.stdout == ""
    after = {p: p.stat().st_mtime_ns for p in workdir.iterdir() if p.is_file()}
    assert after == existing  # nothing written, nothing touched
