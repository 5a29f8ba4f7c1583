"""The linter, as part of the test command: ruff (pinned in requirements-dev.txt, rules in pyproject.toml) finds
nothing in the repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, f"ruff check . (exit {run.returncode}):\n{run.stdout}{run.stderr}"
