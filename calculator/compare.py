"""The same scenario on every GPU of the catalogue: "would a 4090 or a rented H100 be worth it?" in one glance."""

from __future__ import annotations

from . import gpus
from .errors import InputError
from .estimate import compute


def across_gpus(v: dict) -> list[dict]:
    """One row per catalogue GPU for validated inputs `v` (num_gpus and everything else kept), fastest first.
    A GPU the scenario cannot run on (e.g. bfloat16 on a T4) gets its reason (a fact) instead of numbers;
    calculator.words writes the rows' texts."""
    rows = []
    for g in gpus.list_gpus():
        try:
            r = compute({**v, "gpu": g["id"], "mfu": None, "observed_ms_per_iter": None, "reported_mfu": None})
        except InputError as e:
            rows.append({"gpu": g["id"], "name": g["name"], "error": e.fact})
            continue
        rows.append({"gpu": g["id"], "name": g["name"], "total_seconds": r["total_seconds"],
                     "ms_per_iter": r["ms_per_iter"], "mfu": r["mfu"], "memory_verdict": r["memory_verdict"]})
    rows.sort(key=lambda x: x.get("total_seconds", float("inf")))
    return rows
