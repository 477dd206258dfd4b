"""A cluster export writes part files under the design's names: a design that maps an entity to
a `table` or a field to a `column` is refused there in one line, before any cluster is asked."""

from __future__ import annotations

import pytest

from designer import cluster, presets
from designer.errors import ExportError

BASE = 'format = 1\n[entities.users]\nrows = 3\nfields.id = { kind = "sequence" }\n'


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (BASE.replace("rows = 3", 'rows = 3\ntable = "User"'), "entities.users.table"),
        (BASE + 'fields.n = { kind = "const", value = 1, column = "N" }\n', "entities.users.fields.n.column"),
    ],
)
def test_cluster_exports_refuse_renamed_tables_and_columns(tmp_path, text, key):
    with pytest.raises(ExportError, match=rf"^--cluster writes the design's names: {key} is not supported there"):
        cluster.export(presets.loads(text), str(tmp_path / "out"), "csv", client=None)
    assert not (tmp_path / "out").exists()
