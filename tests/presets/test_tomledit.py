"""Saving keeps the user's layout: changed inline tables in their key order with single spaces,
Save as keeps comments, new files get the umask's mode."""

from __future__ import annotations

import difflib
import os
import stat
import tomllib

from designer import presets
from designer.model import ParentLink, edit

from ..conftest import PRESETS

ORIGINAL = (PRESETS / "ecommerce.toml").read_text()


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]


def _edited():
    design = presets.loads(ORIGINAL)
    age = presets.field_dict(design.entities["users"].fields["age"])
    design = edit.set_field(design, "users", "age", edit.make_field({**age, "min": 21, "null_rate": 0.1}))
    orders = design.entities["orders"]
    link = ParentLink.model_validate({"entity": "users", "count": {"kind": "poisson", "mean": 3, "max": 12}})
    return edit.set_entity(design, "orders", orders.model_copy(update={"parent": link}))


def test_a_changed_inline_table_keeps_the_users_key_order_and_single_spaces():
    text = presets.dumps(_edited(), ORIGINAL)
    assert _changed_lines(ORIGINAL, text) == [
        '- age        = { kind = "normal", mean = 35, std = 12, min = 18, max = 90, dtype = "int" }',
        '+ age        = { kind = "normal", mean = 35, std = 12, min = 21, max = 90, dtype = "int", null_rate = 0.1 }',
        '- parent = { entity = "users", count = { kind = "poisson", mean = 2, max = 12 } }   # orders per user',
        '+ parent = { entity = "users", count = { kind = "poisson", mean = 3, max = 12 } }   # orders per user',
    ]
    assert tomllib.loads(text)["entities"]["users"]["fields"]["age"]["min"] == 21  # a reader not ours


def test_save_as_writes_the_comment_keeping_text_to_the_new_path(tmp_path):
    source = tmp_path / "shop.toml"
    source.write_text(ORIGINAL)
    target = tmp_path / "copy" / "shop2.toml"
    design = _edited()
    presets.save(design, target, layout_from=source)
    assert target.read_text() == presets.dumps(design, ORIGINAL)
    assert source.read_text() == ORIGINAL


def test_new_files_get_the_umasks_mode_and_replaced_files_keep_theirs(tmp_path):
    design = presets.loads(ORIGINAL)
    old = os.umask(0o022)
    try:
        presets.save(design, tmp_path / "a.toml")
        os.umask(0o077)
        presets.save(design, tmp_path / "b.toml")
        os.umask(0o022)
        (tmp_path / "b.toml").chmod(0o640)
        presets.save(design, tmp_path / "b.toml")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.toml").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.toml").stat().st_mode) == 0o640
