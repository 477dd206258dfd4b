"""Every `sh` and `python` example in the README and the user guide runs as written."""

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
BLOCK = re.compile(r"^```(sh|python)\n(.*?)^```", re.S | re.M)


def examples() -> list[tuple[str, str, str]]:
    found = []
    for doc in DOCS:
        for n, match in enumerate(BLOCK.finditer(doc.read_text())):
            found.append((f"{doc.name}#{n}-{match.group(1)}", match.group(1), match.group(2)))
    return found


@pytest.fixture
def workdir(tmp_path):
    shutil.copytree(PRESETS, tmp_path / "presets")
    return tmp_path


def _env() -> dict:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.mark.parametrize("lang,code", [e[1:] for e in examples()], ids=[e[0] for e in examples()])
def test_example_runs(lang, code, workdir):
    if lang == "sh":
        proc = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=workdir, env=_env(),
                              capture_output=True, text=True, timeout=300)
    else:
        proc = subprocess.run([sys.executable, "-c", code], cwd=workdir, env=_env(),
                              capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"{code}\n--- stdout\n{proc.stdout[-2000:]}\n--- stderr\n{proc.stderr[-2000:]}"


def test_the_docs_have_examples():
    kinds = {lang for _, lang, _ in examples()}
    assert kinds == {"sh", "python"} and len(examples()) >= 8
