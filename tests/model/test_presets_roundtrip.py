"""Saving: round trips, and a hand-written file keeps its comments and layout."""

from __future__ import annotations

import difflib

import pytest

from designer import presets
from designer.errors import PresetError
from designer.model import Variant, edit

from ..conftest import PRESETS

SHIPPED = sorted(PRESETS.glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_unchanged_design_saves_byte_identical(path):
    text = path.read_text()
    assert presets.dumps(presets.loads(text), text) == text


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_fresh_document_round_trips(path):
    design = presets.load(path)
    assert presets.loads(presets.dumps(design)) == design


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_changing_one_field_changes_only_its_line(tmp_path):
    target = tmp_path / "ecommerce.toml"
    original = (PRESETS / "ecommerce.toml").read_text()
    target.write_text(original)
    design = presets.load(target)
    age = design.entities["users"].fields["age"]
    changed = edit.set_field(design, "users", "age", age.model_copy(update={"mean": 41}))
    presets.save(changed, target)
    after = target.read_text()
    diff = _changed_lines(original, after)
    assert len(diff) == 2, diff
    assert diff[0].startswith("-age") and diff[1].startswith("+age") and "mean = 41" in diff[1]
    assert presets.load(target) == changed
    # every comment of the hand-written file is still there
    comments = [line.split("#", 1)[1] for line in original.splitlines() if "#" in line]
    assert comments and all(c in after for c in comments)


def test_add_remove_and_reorder_fields_keep_comments(tmp_path):
    target = tmp_path / "ecommerce.toml"
    original = (PRESETS / "ecommerce.toml").read_text()
    target.write_text(original)
    design = presets.load(target)
    design = edit.set_field(design, "users", "nickname", edit.make_field({"kind": "faker", "provider": "user_name"}))
    design = edit.remove_field(design, "products", "stock")
    design = edit.move_field(design, "users", "role", -3)
    presets.save(design, target)
    after = target.read_text()
    assert presets.load(target) == design
    assert list(presets.load(target).entities["users"].fields)[:4] == ["id", "first_name", "last_name", "role"]
    assert "# orders per user" in after and "# a trait: 5% of users take these overrides" in after
    diff = _changed_lines(original, after)
    assert any("nickname" in line and line.startswith("+") for line in diff)
    assert any(line.startswith("-stock") for line in diff)


def test_a_new_variant_gets_its_own_table_and_touches_nothing_else(tmp_path):
    target = tmp_path / "ecommerce.toml"
    original = (PRESETS / "ecommerce.toml").read_text()
    target.write_text(original)
    design = presets.load(target)
    role = design.entities["users"].fields["role"]
    design = edit.set_override(edit.set_variant(design, "users", "gold", Variant(weight=0.1)), "users", "gold", "role", role)
    presets.save(design, target)
    after = target.read_text()
    assert presets.load(target) == design
    assert [line for line in _changed_lines(original, after) if line.startswith("-")] == []  # only additions
    assert after.count("# a trait: 5% of users take these overrides") == 1
    assert "\n[entities.users.variants.gold]\nweight = 0.1\n" in after
    assert after.index("[entities.users.variants.gold]") < after.index("[entities.products]")
    assert "\n\n[entities.products]" in after  # tables stay separated by a blank line


def test_broken_design_is_never_saved(tmp_path):
    target = tmp_path / "ecommerce.toml"
    original = (PRESETS / "ecommerce.toml").read_text()
    target.write_text(original)
    design = presets.load(target)
    broken = edit.set_field(design, "users", "email", edit.make_field({"kind": "template", "template": "{nope}"}))
    with pytest.raises(PresetError, match=r"entities\.users\.fields\.email: template names unknown field \"nope\""):
        presets.save(broken, target)
    assert target.read_text() == original
    assert [p.name for p in tmp_path.iterdir()] == ["ecommerce.toml"]  # no temp file left behind


def test_save_creates_a_new_file_that_loads(tmp_path):
    design = presets.load(PRESETS / "ecommerce.toml")
    target = tmp_path / "sub" / "new.toml"
    presets.save(design, target)
    assert presets.load(target) == design
