"""A misspelt kind of dirt is named with its key path and the nearest kind, as other unknown keys are."""

from __future__ import annotations

import pytest

from designer import presets
from designer.errors import PresetError

BASE = """
[design]
name = "d"
[entities.t]
rows = 10
fields.id = {{ kind = "sequence" }}
fields.name = {{ kind = "faker", provider = "first_name", dirty = {field} }}
{entity}
"""


@pytest.mark.parametrize(
    ("field", "entity", "path", "message"),
    [
        ("{ typoo = 0.1 }", "", "entities.t.fields.name.dirty.typoo", 'unknown kind of dirt "typoo"; did you mean "typo"?'),
        ("{ typo = 0.1 }", "[entities.t.dirty]\nduplicate = 0.1", "entities.t.dirty.duplicate", 'did you mean "duplicates"?'),
    ],
)
def test_an_unknown_kind_of_dirt_is_named(field, entity, path, message):
    with pytest.raises(PresetError) as caught:
        presets.loads(BASE.format(field=field, entity=entity))
    assert caught.value.path == path and message in str(caught.value)
