"""How many hostile inputs the fuzz tests tried, per entry point; printed at the end of the pytest run (conftest.py).

FUZZ_SCALE=N multiplies every generated count (the edge literals' mutated copies, hypothesis's examples, the
browser's burst); the edge literals themselves are always all tried.
"""

from __future__ import annotations

import os
from collections import Counter

SCALE = max(1, int(os.environ.get("FUZZ_SCALE", "1")))
COUNTS: Counter[str] = Counter()


def add(entry_point: str, n: int = 1) -> None:
    COUNTS[entry_point] += n


def summary() -> str:
    if not COUNTS:
        return ""
    parts = ", ".join(f"{k} {v:,}" for k, v in COUNTS.most_common())
    return f"hostile inputs tried (FUZZ_SCALE={SCALE}): {sum(COUNTS.values()):,} in all: {parts}"
