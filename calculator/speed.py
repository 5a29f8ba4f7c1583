"""Steady-state time per iteration, and the MFU it implies: a small roofline model of one nanoGPT training step.

One micro-step (forward + backward of batch_size sequences on one GPU) costs the longer of two things:

    GPU time  = matmul FLOPs / (peak x eta(E))  +  memory traffic / (bandwidth x bw_eff)
    host time = host_layer_s x n_layer + host_base_s        (Python + kernel launches, which run ahead of the GPU)

    eta(E)    = gemm_efficiency x E / (E + width_half)   tensor-core efficiency falls for narrow models, whose
                matmuls have a small inner dimension (few FLOPs per byte moved, short kernels)
    traffic   = tokens x (n_layer x n_embd x act_bytes + vocab_size x logit_bytes) x (2 if float32 else 1)
                act_bytes: elementwise ops per layer (LayerNorm, GELU, residuals, attention I/O), forward + backward;
                logit_bytes: the B x T x V logits, the cross-entropy and their gradient.

An iteration is gradient_accumulation_steps / num_gpus micro-steps plus the optimizer step (fused AdamW and
gradient clipping stream ~40 bytes per parameter; Loshchilov & Hutter 2019 for AdamW's two moments), a fixed
per-iteration cost (zero_grad, loss.item() sync, GradScaler) and, with several GPUs, DDP's all-reduce of fp32
gradients (ring all-reduce moves 2 (n-1)/n x 4 bytes per parameter; half of it assumed hidden behind backward).

Constants marked "fitted" come from tools/calibrate.py on the H100 measurements in shared/calibration (see
data/speed_model.json for the values, the data they were fitted on and the held-out error). gemm_efficiency is the
measured 8192^3 bf16 matmul rate over the H100's spec-sheet peak (776 / 989.4); bw_efficiency is the measured
device-to-device copy rate over spec (~3.0 / 3.35 TB/s), both in shared/reference/gpu-peaks.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

_DATA = Path(__file__).with_name("data") / "speed_model.json"


def load_constants(path: Path = _DATA) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


CONSTANTS = load_constants()

# Interconnect bandwidth for the gradient all-reduce, GB/s of bus bandwidth per GPU. Estimates, not measurements:
# NVLink 3 (A100) is 600 GB/s bidirectional and NVLink 4 (H100) 900 GB/s (NVIDIA datasheets), of which NCCL ring
# all-reduce reaches roughly half as bus bandwidth; consumer cards talk over PCIe 4.0 x16 (~25 GB/s usable).
LINK_GBS = {"consumer": 20.0, "datacenter": 200.0, "custom": 50.0}


@dataclass(frozen=True)
class Workload:
    n_layer: int
    n_embd: int
    vocab_size: int
    block_size: int
    batch_size: int
    micro_steps: int  # per GPU per iteration
    flops_per_token: float
    params_total: int
    dtype: str
    compile: bool
    num_gpus: int = 1


def _mode(compile_: bool, c: dict) -> dict:
    return c["compile"] if compile_ else c["eager"]


def micro_step_parts(w: Workload, peak_flops: float, bandwidth_bps: float, c: dict = CONSTANTS,
                     forward_only: bool = False) -> dict:
    """Seconds of one micro-step on one GPU, split into math, memory and host time."""
    m = _mode(w.compile, c)
    tokens = w.batch_size * w.block_size
    eta = c["gemm_efficiency"] * w.n_embd / (w.n_embd + c["width_half"])
    flops = w.flops_per_token * tokens
    width = 2.0 if w.dtype == "float32" else 1.0
    traffic = tokens * (w.n_layer * w.n_embd * m["act_bytes"] + w.vocab_size * m["logit_bytes"]) * width
    host = m["host_layer_s"] * w.n_layer + m["host_base_s"]
    if forward_only:  # a forward pass is a third of the FLOPs (2N of 6N) and roughly a third of the traffic
        flops, traffic, host = flops / 3, traffic / 3, host / 3
    t_math = flops / (peak_flops * eta)
    t_mem = traffic / (bandwidth_bps * c["bw_efficiency"])
    return {"math_s": t_math, "memory_s": t_mem, "host_s": host, "total_s": max(t_math + t_mem, host)}


def iteration_parts(w: Workload, peak_flops: float, bandwidth_bps: float, segment: str = "datacenter",
                    c: dict = CONSTANTS) -> dict:
    """Seconds of one training iteration on each GPU (all GPUs step in lockstep)."""
    micro = micro_step_parts(w, peak_flops, bandwidth_bps, c)
    optimizer = w.params_total * c["optimizer_bytes_per_param"] / (bandwidth_bps * c["bw_efficiency"])
    fixed = c["iter_fixed_s"]
    allreduce = 0.0
    if w.num_gpus > 1:
        link = LINK_GBS.get(segment, LINK_GBS["custom"]) * 1e9
        allreduce = (1 - c["allreduce_overlap"]) * 2 * (w.num_gpus - 1) / w.num_gpus * 4 * w.params_total / link
    steps = w.micro_steps * micro["total_s"]
    return {
        "micro_step_s": micro["total_s"],
        "micro_math_s": micro["math_s"],
        "micro_memory_s": micro["memory_s"],
        "micro_host_s": micro["host_s"],
        "micro_steps_s": steps,
        "optimizer_s": optimizer,
        "fixed_s": fixed,
        "allreduce_s": allreduce,
        "iteration_s": steps + optimizer + fixed + allreduce,
        "bound": "host (launch/Python overhead)" if micro["host_s"] > micro["math_s"] + micro["memory_s"]
        else ("memory bandwidth" if micro["memory_s"] > micro["math_s"] else "tensor-core math"),
    }
