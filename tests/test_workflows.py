"""The Pages workflow (.github/workflows/) passes zizmor's offline audit with zero findings, under its strictest
persona (auditor): actions pinned by full commit SHA, permissions per job, no persisted checkout credentials.

zizmor is pinned in requirements-dev.txt. --offline runs every audit that needs no GitHub API (the online ones look
up, for example, whether a pinned SHA is a known release; the pins' releases are in comments beside them)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def zizmor() -> list[str]:
    """The zizmor the wheel installs (a binary in the scripts folder, beside this Python's or on PATH)."""
    beside = Path(sys.executable).with_name("zizmor")
    exe = str(beside) if beside.exists() else shutil.which("zizmor")
    if not exe:
        pytest.skip("zizmor is not installed (pip install -r requirements-dev.txt)")
    return [exe]


def test_the_workflows_pass_zizmor_offline():
    p = subprocess.run([*zizmor(), "--offline", "--persona=auditor", "--format=json-v1", str(WORKFLOWS)],
                       capture_output=True, text=True, timeout=120)
    findings = json.loads(p.stdout or "null")
    assert findings == [], json.dumps(findings, indent=1)[:4000]
    assert p.returncode == 0, p.stderr


def test_every_action_is_pinned_with_its_release_beside_it():
    """zizmor checks the pin; the comment is for the reader who bumps it (the release the SHA is)."""
    uses = re.findall(r"uses: *(\S+)(.*)", "".join(p.read_text() for p in sorted(WORKFLOWS.glob("*.yml"))))
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r" # v\d+\.\d+\.\d+", rest), (action, rest)
