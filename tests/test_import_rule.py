"""Headless code never loads the front ends' toolkits: `designer export` must not even import Textual."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT

HEADLESS = ["designer.model", "designer.presets", "designer.engine", "designer.writers", "designer.pipeline", "designer.api"]


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_import_loads_no_toolkit(module):
    code = (
        f"import sys, {module}\n"
        "print(','.join(sorted(m for m in ('textual', 'rich', 'click', 'designer.ui', 'designer.cli') if m in sys.modules)))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_import_linter_contract_holds():
    lint = ROOT / ".venv" / "bin" / "lint-imports"
    exe = str(lint) if lint.exists() else "lint-imports"
    proc = subprocess.run([exe], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "KEPT" in proc.stdout
