"""`designer fmt`: one layout, comments and meaning kept, idempotent, never writes a broken preset."""

from __future__ import annotations

import tomllib

import pytest

from designer.presets.layout import formatted

from ..conftest import PRESETS
from ..writers.helpers import invoke

MESSY = """#:schema ../designer/preset.schema.json
# a shop


format = 1
[design]
name   =  "shop"      # aligned by hand
  seed = 3{TRAILING}
[entities.users]
rows =  20
# the columns
[entities.users.fields]
id = { kind = "sequence" }
tags = { kind = "choice", values = [
  "a",
  "b",
] }
note = { kind = "const", value = \"\"\"first

  third\"\"\" }   # a multi-line string keeps its blank line and indentation


""".replace("{TRAILING}", "   ")  # trailing spaces, written so the linter leaves them

TIDY = """#:schema ../designer/preset.schema.json
# a shop

format = 1

[design]
name   = "shop"      # aligned by hand
seed = 3

[entities.users]
rows = 20

# the columns
[entities.users.fields]
id = { kind = "sequence" }
tags = { kind = "choice", values = [
  "a",
  "b",
] }
note = { kind = "const", value = \"\"\"first

  third\"\"\" }   # a multi-line string keeps its blank line and indentation
"""


def test_fmt_lays_out_by_the_rules_and_keeps_comments_and_meaning():
    assert formatted(MESSY) == TIDY
    assert tomllib.loads(TIDY) == tomllib.loads(MESSY)  # tomllib, not our loader, says the data is the same
    comments = [line[line.index("#") :] for line in MESSY.splitlines() if "#" in line]
    assert [line[line.index("#") :] for line in TIDY.splitlines() if "#" in line] == comments


def test_fmt_is_idempotent():
    assert formatted(TIDY) == TIDY


@pytest.mark.parametrize("path", sorted(PRESETS.glob("*.toml")), ids=lambda p: p.name)
def test_shipped_presets_are_formatted(path):
    assert invoke("fmt", "--check", str(path)).returncode == 0


def test_fmt_writes_the_file_and_check_says_so_first(tmp_path):
    path = tmp_path / "shop.toml"
    path.write_text(MESSY)
    checked = invoke("fmt", "--check", str(path))
    assert checked.returncode == 1 and "not formatted" in checked.stderr and path.read_text() == MESSY
    assert invoke("fmt", str(path)).returncode == 0 and path.read_text() == TIDY
    assert invoke("fmt", "--check", str(path)).returncode == 0
    assert [p.name for p in tmp_path.iterdir()] == ["shop.toml"]  # no temporary left beside it


@pytest.mark.parametrize(
    "text,message",
    [
        ("x = [\n", "not valid TOML"),
        ('[entities.users]\nrows = 3\n[entities.users.fields]\nid = { kind = "nope" }\n', "entities.users.fields.id"),
    ],
)
def test_fmt_refuses_a_broken_preset_and_writes_nothing(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text + "   \n\n\n")  # badly laid out too: still not touched
    result = invoke("fmt", str(path))
    assert result.returncode == 2 and message in result.stderr and str(path) in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert path.read_text() == text + "   \n\n\n"


def test_fmt_takes_several_files_and_writes_none_when_one_is_broken(tmp_path):
    good, bad = tmp_path / "good.toml", tmp_path / "bad.toml"
    good.write_text(MESSY)
    bad.write_text("x = [\n")
    result = invoke("fmt", str(good), str(bad))
    assert result.returncode == 2 and str(bad) in result.stderr and good.read_text() == MESSY
    bad.write_text(TIDY)
    assert invoke("fmt", "--check", str(good), str(bad)).stderr.count("not formatted") == 1


def test_a_windows_file_keeps_its_line_ends():
    crlf = MESSY.replace("\n", "\r\n")
    assert formatted(crlf) == TIDY.replace("\n", "\r\n")
