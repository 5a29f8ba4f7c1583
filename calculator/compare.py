"""The same scenario on every GPU of the catalogue: "would a 4090 or a rented H100 be worth it?" in one glance."""

from __future__ import annotations

from . import gpus, schema
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


NODE_COUNTS = (1, 2, 4, 8)


def across_nodes(v: dict) -> dict:
    """The same run (the same tokens per iteration, layout and sharding) on 1, 2, 4 and 8 whole nodes of the chosen
    card: {"rows": {"1": row, ...}, "gpus_per_node"}. A row holds the numbers (tokens/s, total time, cost, MFU, the
    share of the iteration spent waiting on communication), its speed-up over the first node count that runs and its
    scaling efficiency (the speed-up over the ratio of GPUs), and "current" where it is the reader's run; a node count
    the run cannot be split over gets its reason (a fact) instead."""
    per_node = v["gpus_per_node"]
    rows: dict[str, dict] = {}
    base = None
    for nodes in NODE_COUNTS:
        n = nodes * per_node
        row: dict = {"nodes": nodes, "num_gpus": n, "current": n == v["num_gpus"]}
        try:
            trial = schema.validate({**v, "num_gpus": n, "mfu": None, "observed_ms_per_iter": None,
                                     "reported_mfu": None})  # the layout's checks: the degrees must divide
            r = compute(trial)
        except InputError as e:
            rows[str(nodes)] = {**row, "error": e.fact, "field": e.field}
            continue
        row.update(tokens_per_sec=r["tokens_per_sec"], total_seconds=r["total_seconds"], ms_per_iter=r["ms_per_iter"],
                   mfu=r["mfu"], comm_share=r["parallel"]["comm_share"], bound=r["bound"],
                   memory_verdict=r["memory_verdict"], cost=r["cost"]["run_cost"])
        if base is None:
            base = row
        row["speedup"] = row["tokens_per_sec"] / base["tokens_per_sec"]
        row["efficiency"] = row["speedup"] / (n / base["num_gpus"])
        rows[str(nodes)] = row
    return {"rows": rows, "gpus_per_node": per_node}
