"""Bugs the type checker found (issue #18): each test failed before its fix."""

from __future__ import annotations

import pytest

import designer
from designer.errors import ExportError
from designer.model import Design

SMALL = Design.model_validate({"entities": {"users": {"rows": 3, "fields": {"id": {"kind": "sequence"}}}}})


def test_an_unknown_if_exists_is_refused_not_taken_as_replace(tmp_path):
    # the API passes if_exists unchecked (the CLI's click.Choice checks its own): a typo replaced the file
    target = tmp_path / "shop.sqlite"
    target.write_bytes(b"not to be lost")
    with pytest.raises(ExportError, match='unknown if_exists "replce"; use one of fail, replace, replace-cascade, append'):
        designer.Dataset(SMALL).export(target, if_exists="replce")  # type: ignore[arg-type]
    assert target.read_bytes() == b"not to be lost"
