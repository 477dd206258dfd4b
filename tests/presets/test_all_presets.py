"""Every shipped preset validates and previews with the real CLI, and has its own domain test."""

from __future__ import annotations

from pathlib import Path

import pytest

import designer
from designer import presets

from ..conftest import PRESETS
from .helpers import cli

SHIPPED = sorted(p.stem for p in PRESETS.glob("*.toml"))


def test_the_presets_of_the_issue_are_shipped():
    assert set(SHIPPED) >= {"ecommerce", "blog", "iot_sensors", "banking", "saas_events", "hr"}


@pytest.mark.parametrize("preset", SHIPPED)
def test_every_preset_has_a_domain_test(preset):
    assert (Path(__file__).parent / f"test_{preset}.py").exists()


@pytest.mark.parametrize("preset", SHIPPED)
def test_validate_summarizes_every_entity(preset):
    design = presets.load(PRESETS / f"{preset}.toml")
    out = cli("validate", str(PRESETS / f"{preset}.toml")).stdout
    assert out.splitlines()[0].startswith(f"{design.info.name}: valid (seed {design.info.seed})")
    for entity in design.entities:
        assert f" {entity} " in out, entity


@pytest.mark.parametrize("preset", SHIPPED)
def test_preview_shows_the_first_rows_of_every_entity(preset):
    design = presets.load(PRESETS / f"{preset}.toml")
    out = cli("preview", str(PRESETS / f"{preset}.toml"), "--rows", "3").stdout
    for entity in design.entities:
        assert f"{entity} (first 3 rows)" in out, entity


@pytest.mark.parametrize("preset", SHIPPED)
def test_same_seed_same_bytes_another_seed_other_rows(preset, tmp_path):
    """The CLI and the Python API write the same bytes for the same seed; another seed, other rows."""
    path = str(PRESETS / f"{preset}.toml")
    cli("export", path, "-o", f"{tmp_path / 'cli'}/", "--format", "csv", "--scale", "0.1", "--quiet")
    dataset = designer.load(path)
    dataset.export(f"{tmp_path / 'api'}/", format="csv", scale=0.1)
    dataset.export(f"{tmp_path / 'other'}/", format="csv", scale=0.1, seed=dataset.design.info.seed + 1)
    runs = {name: {f.name: f.read_bytes() for f in sorted((tmp_path / name).iterdir())} for name in ("cli", "api", "other")}
    # the commit marker too: it depends on the data only
    assert set(runs["cli"]) == {".designer-export.json", *(f"{e}.csv" for e in dataset.entities)}
    assert runs["cli"] == runs["api"]
    assert all(runs["cli"][f] != runs["other"][f] for f in runs["cli"])
