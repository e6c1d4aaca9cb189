"""Every benchmark in tests/benchmarks/ keeps running (the convention is in tests/benchmarks/README.md).

Always: each file documents and accepts ``--small``. With RUN_BENCHMARKS=1 (the CI step after the
SQLite test run): each file is run as ``python tests/benchmarks/NAME.py --small`` in its own process and
must exit 0 within the time limit; its output is shown on failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).parent / "benchmarks"
FILES = sorted(BENCHMARKS.glob("*.py"))
LIMIT_SECONDS = 300  # a small run takes well under a minute; this catches a hang, not a slow machine


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_benchmark_accepts_small(path: Path):
    source = path.read_text(encoding="utf-8")
    assert source.startswith('"""'), f"{path.name}: a module docstring says what it measures and how to run it"
    docstring = source.split('"""', 2)[1]
    assert "--small" in docstring, f"{path.name}: the docstring must say what --small runs"
    assert '"--small"' in source, f"{path.name}: must accept --small"
    assert 'if __name__ == "__main__":' in source


@pytest.mark.skipif(os.environ.get("RUN_BENCHMARKS") != "1", reason="set RUN_BENCHMARKS=1 (CI) to run them")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_benchmark_runs_small(path: Path):
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, str(path), "--small"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=LIMIT_SECONDS)
    print(done.stdout)
    assert done.returncode == 0, f"{path.name} --small exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert done.stdout.strip(), f"{path.name} --small printed no figures"
