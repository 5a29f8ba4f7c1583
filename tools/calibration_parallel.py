"""The published multi-GPU rows (calibration/multi-gpu-public.jsonl) as calculator inputs, and the model's error on
each: tokens/s per GPU predicted against published, per source.

Each row states its architecture, its GPUs and its layout; what a row leaves unstated is filled with its trainer's
default, named in ASSUMED below. Sources count MFU differently (the row's mfu_definition): the comparison is on
tokens/s per GPU, which needs no convention, and each row's MFU is also given in this calculator's convention (6 x
N_matmul + 12 L H Q T, calculator/arch.py) next to the source's, with the factor between them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from calculator import schema
from calculator.estimate import compute

from . import calibration_data as cd

FILE = "multi-gpu-public.jsonl"

GPU_IDS = {"A100 80GB": "a100-80gb", "A100 40GB": "a100-40gb", "H100 80GB": "h100-sxm"}

# What a row does not state, per source: the trainer's default or the setup its source describes elsewhere.
ASSUMED = {
    "torchtitan": {"sharding": "fsdp", "compile": False, "torch_version": "2.4",
                   "why": "FSDP2 full shard (the row's zero_equiv); compile off (the toml of the time); torch nightly "
                          "of April 2024 (2.4 development); network: a DGX A100's HDR InfiniBand (not stated)"},
    "llmfoundry": {"sharding": "fsdp", "compile": False, "torch_version": "2.0",
                   "why": "FSDP FULL_SHARD; no compile; PyTorch 1.13 (the docker image of the time) with its own "
                          "Triton flash attention from before FlashAttention-2 (July 2023): torch_version 2.0, the "
                          "oldest modelled, charges attention at FlashAttention-1's rate; the A100 rows' 1600 Gb/s "
                          "RoCE per node of 8 (roce-200, stated), the H100 rows' fabric not stated (auto: NDR)"},
    "megatron": {"sharding": "zero1", "compile": True, "torch_version": "2.4", "network": "ib-ndr",
                 "batch_size": 1, "activation_checkpointing": "none",
                 "why": "the distributed optimizer (ZeRO-1 class) and micro-batch 1 (Megatron's defaults for its "
                        "performance runs; not stated); Transformer Engine's fused kernels counted as compiled; "
                        "no recomputation (not stated); DGX H100 with NDR InfiniBand; gpt2-type blocks with biases, "
                        "4h FFN, tied embeddings"},
    "llmc": {"sharding": "zero1", "compile": True, "torch_version": "2.11",
             "why": "llm.c's CUDA kernels (fused, cuDNN flash attention) counted as a compiled PyTorch run"},
    "moddednanogpt": {"sharding": "ddp", "compile": True, "torch_version": "2.5",
                      "why": "DDP; Muon for the hidden matrices costs more than AdamW (not modelled): held out"},
}


def source_of(row: dict) -> str:
    return row["name"].split("_")[0]


def load(directory: Path | None = None) -> list[dict]:
    path = (directory or cd.default_dir()) / FILE
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _gpu(text: str) -> str:
    for k, v in GPU_IDS.items():
        if text.startswith(k):
            return v
    raise KeyError(text)


def _model_type(arch: dict) -> str:
    fam = arch["family"].split()[0]
    if fam == "llama":
        return "llama"
    if fam == "mpt":
        return "mpt"
    return "gpt2"


def _checkpointing(text) -> str:
    text = str(text).lower()
    if text.startswith("selective"):
        return "selective"
    if text.startswith("full"):
        return "full"
    return "none"


def inputs(row: dict) -> dict:
    """The calculator's inputs for a row."""
    a, s = row["arch"], row["setup"]
    src = source_of(row)
    assumed = ASSUMED[src]
    par = s["parallelism"]
    tp, pp, cp = par.get("tp", 1), par.get("pp", 1), par.get("cp", 1)
    n = s["num_gpus"]
    dp = n // (tp * pp * cp)
    mb = s["micro_batch_per_gpu"] if isinstance(s["micro_batch_per_gpu"], int) else assumed["batch_size"]
    gas = s["global_batch_seqs"] // mb  # nanoGPT's gradient_accumulation_steps: micro-steps summed over ranks
    v = {
        "model_type": _model_type(a), "n_layer": a["n_layer"], "n_head": a["n_heads"], "n_embd": a["d_model"],
        "vocab_size": a.get("vocab_padded", a["vocab"]), "block_size": a["seq_len"],
        "n_kv_head": a["n_kv_heads"], "intermediate_size": a["ffn_hidden"],
        "batch_size": mb, "gradient_accumulation_steps": gas,
        "gpu": _gpu(s["gpu"]), "num_gpus": n, "gpus_per_node": 8, "dtype": "bfloat16",
        "compile": assumed["compile"], "torch_version": assumed["torch_version"],
        "sharding": assumed["sharding"], "tensor_parallel": tp, "pipeline_parallel": pp, "context_parallel": cp,
        "activation_checkpointing": _checkpointing(s.get("activation_checkpointing", "none"))
        if "activation_checkpointing" not in assumed else assumed["activation_checkpointing"],
        "max_iters": 1000, "eval_interval": 1000, "eval_iters": 0,
    }
    if v["model_type"] == "gpt2":
        v["bias"] = a.get("bias") is not False  # gpt2 and Megatron's GPT keep biases (Megatron: add_bias_linear)
        if a["n_kv_heads"] == a["n_heads"]:
            v["n_kv_head"] = None
    if "network" in assumed:
        v["network"] = assumed["network"]
    elif "RoCE" in str(s.get("interconnect")) and "1600" in str(s.get("interconnect")):
        v["network"] = "roce-200"  # 1600 Gb/s per node of 8
    assert dp * mb * (gas // dp) == s["global_batch_seqs"], row["name"]
    return v


HELD_OUT_SOURCES = ("moddednanogpt",)  # Muon, not AdamW: its optimizer step is not the model's


def split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """Fit on part, check on the rest: every third row of each source is held out (and every row of a source whose
    step the model does not describe)."""
    fit, held = [], []
    seen: dict[str, int] = {}
    for r in rows:
        src = source_of(r)
        i = seen.get(src, 0)
        seen[src] = i + 1
        (held if src in HELD_OUT_SOURCES or i % 3 == 2 else fit).append(r)
    return fit, held


def predict(row: dict, constants: dict | None = None) -> dict:
    v = schema.validate(inputs(row))
    return compute(v, constants)


def error_of(row: dict, constants: dict | None = None) -> dict:
    r = predict(row, constants)
    measured = row["measured"]["tokens_per_s_per_gpu"]
    predicted = r["tokens_per_sec_per_gpu"]
    ours = r["flops_per_token"] * measured / (r["peak_tflops"] * 1e12)  # this calculator's MFU of the real speed
    pub = row["measured"].get("mfu_published")
    return {"name": row["name"], "source": source_of(row), "measured": measured, "predicted": predicted,
            "error": predicted / measured - 1, "bound": r["bound"],
            "mfu_ours": ours, "mfu_published": pub, "mfu_factor": (pub / ours) if pub else None,
            "model_mfu": r["model_mfu"]}


def log_loss(rows: list[dict], constants: dict) -> float:
    return sum(math.log(error_of(r, constants)["predicted"] / r["measured"]["tokens_per_s_per_gpu"]) ** 2
               for r in rows) / len(rows)


def _solve(f, lo: float, hi: float, steps: int = 40) -> float:
    """The x in [lo, hi] minimising f: a grid, then golden-section search around its best point."""
    grid = [lo + (hi - lo) * i / steps for i in range(steps + 1)]
    best = min(grid, key=f)
    a, b = max(lo, best - (hi - lo) / steps), min(hi, best + (hi - lo) / steps)
    g = (math.sqrt(5) - 1) / 2
    for _ in range(40):
        x1, x2 = b - g * (b - a), a + g * (b - a)
        if f(x1) < f(x2):
            b = x2
        else:
            a = x1
    return (a + b) / 2


def fit(c: dict, directory: Path | None = None) -> None:
    """Fit the overlaps of calculator/parallel.py on two thirds of the rows (split), in place in c["parallel"],
    and record every row's error, fitted or held out, with the error of a flat 40% MFU for comparison."""
    rows = load(directory)
    train, held = split(rows)
    p = c["parallel"]
    for _ in range(2):  # the two overlaps hardly interact (FSDP rows have no tensor parallelism): two rounds
        p["fsdp_overlap"] = _solve(lambda x: log_loss(train, _with(c, fsdp_overlap=x)), 0.0, 1.0)
        p["tp_overlap"] = _solve(lambda x: log_loss(train, _with(c, tp_overlap=x)), 0.0, 1.0)
    held_names = {r["name"] for r in held}
    table = []
    for r in rows:
        e = error_of(r, c)
        e["held_out"] = r["name"] in held_names
        e["flat40_error"] = flat_mfu_error(r, e, 0.40)
        table.append(e)
    sources = {}
    for src in dict.fromkeys(source_of(r) for r in rows):
        mine = [t for t in table if t["source"] == src]
        errs = sorted(abs(t["error"]) for t in mine)
        flat = sorted(abs(t["flat40_error"]) for t in mine)
        factors = [t["mfu_factor"] for t in mine if t["mfu_factor"]]
        definition = next((r["measured"].get("mfu_definition") for r in rows if source_of(r) == src), None)
        sources[src] = {"rows": len(mine), "held_out": sum(t["held_out"] for t in mine),
                        "median_abs_error": _median(errs), "max_abs_error": errs[-1],
                        "within_25": sum(x <= 0.25 for x in errs),
                        "held_out_errors": [t["error"] for t in mine if t["held_out"]],
                        "flat40_median_abs_error": _median(flat), "flat40_within_25": sum(x <= 0.25 for x in flat),
                        "mfu_factor": [min(factors), max(factors)] if factors else None,
                        "mfu_definition": definition or "none published: compared on tokens/s only"}
    p["fit"] = {"rows": table, "sources": sources, "fitted_on": [r["name"] for r in train],
                "held_out": sorted(held_names),
                "assumed": {k: v["why"] for k, v in ASSUMED.items()},
                "source": "calibration/multi-gpu-public.jsonl; refit with python -m tools.calibrate"}


def _with(c: dict, **kw) -> dict:
    return {**c, "parallel": {**c["parallel"], **kw}}


def flat_mfu_error(row: dict, e: dict, mfu: float) -> float:
    """The error of a calculator that assumes a flat MFU (what most of them do): tokens/s per GPU = MFU x peak /
    FLOPs per token, in the row's own convention (its published MFU over its tokens/s gives its FLOPs/token x
    1/peak)."""
    pub = row["measured"].get("mfu_published")
    if pub:
        return mfu / pub - 1
    return mfu / e["mfu_ours"] - 1


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
