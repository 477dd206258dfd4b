"""The versions that decide the values: printed by `designer --version`, recorded in a cluster
export's manifest and fingerprint, and compared with every worker's before a cluster writes."""

from __future__ import annotations

import subprocess
import sys

import anyascii
import faker
import numpy
import polars
import pyarrow
import scipy

from designer import __version__
from designer.versions import data_versions, mismatch

from .conftest import ROOT


def test_version_names_the_libraries_the_values_come_from():
    proc = subprocess.run([sys.executable, "-m", "designer", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (
        f"designer {__version__} (faker {faker.VERSION}, numpy {numpy.__version__}, scipy {scipy.__version__}, "
        f"polars {polars.__version__}, pyarrow {pyarrow.__version__}, anyascii {anyascii.__version__})\n"
    )


def test_a_worker_with_other_versions_is_named_with_both_numbers():
    here = data_versions()
    assert mismatch(here, {"tcp://10.0.0.7:4000": dict(here), "tcp://10.0.0.8:4000": dict(here)}) is None
    older = {**here, "faker": "30.0.0"}
    assert mismatch(here, {"tcp://10.0.0.7:4000": dict(here), "tcp://10.0.0.8:4000": older}) == (
        f"worker tcp://10.0.0.8:4000 has faker 30.0.0 and this machine faker {faker.VERSION}: "
        "its parts would hold other values; install the same versions on both"
    )
    without = {k: v for k, v in here.items() if k != "polars"}
    assert mismatch(here, {"tcp://10.0.0.9:4000": without}).startswith("worker tcp://10.0.0.9:4000 has polars missing")
