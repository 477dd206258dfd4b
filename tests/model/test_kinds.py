"""A kind is a unit: a model in model/kinds/<family>.py and a drawer in engine/kinds/<family>.py.

These tests hold the two registries to each other and keep the code around the kinds from
switching on kind names again (it did in 14 files, 68 times, before the kinds had methods).
"""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest

import designer
from designer.engine.kinds import KINDS
from designer.engine.kinds.registry import DRAWERS
from designer.errors import PresetError
from designer.model import COUNT_KINDS, KIND_MODELS
from designer.model.base import FieldBase
from designer.model.kinds import AnyField

PACKAGE = Path(designer.__file__).parent
# A kind's own family modules may tell their models apart; nothing else compares `kind` to a name.
OWN_HOMES = {PACKAGE / "model" / "kinds", PACKAGE / "engine" / "kinds"}


def test_every_model_has_a_drawer_and_every_drawer_a_model():
    models = set(KIND_MODELS.values())
    assert set(DRAWERS) - models == set(), "a drawer for a model that is not in the field union"
    assert models - set(DRAWERS) == set(), "a kind without a drawer"
    assert set(KINDS) == set(KIND_MODELS)


def test_the_union_a_checker_reads_is_the_union_the_loader_uses():
    members = set(typing.get_args(AnyField))
    assert members == set(KIND_MODELS.values())
    assert all(issubclass(m, FieldBase) for m in members)
    assert list(KIND_MODELS) == [m.kind_name() for m in KIND_MODELS.values()]


def test_the_kinds_that_count_are_the_ones_that_say_so():
    assert set(COUNT_KINDS) == {name for name, model in KIND_MODELS.items() if model.counts}
    for name in COUNT_KINDS:
        assert KIND_MODELS[name].count_starter, f"{name} counts but gives the TUI no count to start from"


@pytest.mark.parametrize("name", list(KIND_MODELS))
def test_every_kinds_starter_loads_where_the_kind_fits(name):
    """The TUI's first options of each kind make a valid field in a design with a bit of everything."""
    from designer import presets
    from designer.model import check_design

    base = presets.loads(DESIGN)
    model = KIND_MODELS[name]
    options = {"kind": name, **model.first_options(base, "orders")}
    spec = model.model_validate(options)
    fields = {**base.entities["orders"].fields, "new": spec}
    design = base.model_copy(
        update={"entities": {**base.entities, "orders": base.entities["orders"].model_copy(update={"fields": fields})}}
    )
    left_to_choose = {  # what the user still picks, and how the check says so
        "aggregate": "not a child|unknown entity",  # orders has no children
        "lookup": 'field names unknown field ""',  # which field of the row pointed at
    }
    if name in left_to_choose:
        with pytest.raises(PresetError, match=left_to_choose[name]):
            check_design(design)
        return
    check_design(design)


DESIGN = """
format = 1
[design]
name = "kinds"
[entities.users]
rows = 5
fields.id = { kind = "sequence" }
fields.signup = { kind = "datetime" }
[entities.orders]
parent = { entity = "users", count = { kind = "const", value = 2 } }
fields.id = { kind = "sequence" }
fields.user_id = { kind = "parent", field = "id" }
fields.at = { kind = "datetime" }
fields.level = { kind = "timeseries", time = "at" }
"""


def _kind_comparisons(path: Path) -> list[str]:
    """`x.kind == "name"`, `kind in ("a", "b")` and the like: a switch on kind names."""
    found = []
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        names_kind = any(
            (isinstance(s, ast.Attribute) and s.attr == "kind") or (isinstance(s, ast.Name) and s.id == "kind") for s in sides
        )
        strings = any(
            (isinstance(s, ast.Constant) and isinstance(s.value, str))
            or (isinstance(s, (ast.Tuple, ast.Set, ast.List)) and any(isinstance(e, ast.Constant) for e in s.elts))
            for s in sides
        )
        if names_kind and strings:
            found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_module_outside_the_kinds_switches_on_kind_names():
    """What differs between kinds is asked of the kind (a method or a flag of its model); the
    cluster's task kinds ("draw", "write", "local") are not field kinds and are left alone."""
    not_field_kinds = {PACKAGE / "cluster"}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if any(home in path.parents for home in OWN_HOMES | not_field_kinds):
            continue
        found += _kind_comparisons(path)
    assert found == []


def test_the_scan_finds_a_switch(tmp_path):
    """The scan above can fail: it sees the shapes of switch it is there to forbid."""
    sample = tmp_path / "switch.py"
    sample.write_text('def f(spec, kind):\n    return spec.kind == "zipf" or kind in ("a", "b") or spec.kind != x\n')
    assert len(_kind_comparisons(sample)) == 2
