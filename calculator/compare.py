"""The same scenario on every GPU of the catalogue: "would a 4090 or a rented H100 be worth it?" in one glance."""

from __future__ import annotations

from . import gpus
from .errors import InputError
from .estimate import compute


def across_gpus(v: dict) -> list[dict]:
    """One row per catalogue GPU for validated inputs `v` (num_gpus and everything else kept), fastest first.
    dtype "auto" runs each card in what nanoGPT would pick on it (bfloat16, emulated on T4, V100, P100 and RTX 20
    cards from PyTorch 2.3, where the row carries what float16 would take). A GPU the scenario cannot run on gets its
    reason (a fact) instead of numbers; calculator.words writes the rows' texts."""
    rows = []
    for g in gpus.list_gpus():
        try:
            r = compute({**v, "gpu": g["id"], "mfu": None, "observed_ms_per_iter": None, "reported_mfu": None})
        except InputError as e:
            rows.append({"gpu": g["id"], "name": g["name"], "error": e.fact})
            continue
        rows.append({"gpu": g["id"], "name": g["name"], "total_seconds": r["total_seconds"],
                     "ms_per_iter": r["ms_per_iter"], "mfu": r["mfu"], "memory_verdict": r["memory_verdict"],
                     "dtype": r["dtype"], "emulated_bf16": r["emulated_bf16"],
                     "float16_ms_per_iter": r["float16_ms_per_iter"]})
    rows.sort(key=lambda x: x.get("total_seconds", float("inf")))
    return rows
