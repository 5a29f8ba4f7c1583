"""Steady-state time per iteration, and the MFU it implies: a small roofline model of one nanoGPT training step,
charged per operation.

One micro-step (forward + backward of batch_size sequences on one GPU) costs the longer of two things:

    GPU time  = (matmul FLOPs + attention FLOPs x (a - 1)) / (peak x eta(E))  +  traffic / (bandwidth x bw_eff)
    host time = host_layer_s x n_layer + host_base_s        (Python + kernel launches, which run ahead of the GPU)

    eta(E)    = g x clock ratio x E / (E + width_half x s)   tensor-core efficiency falls for narrow models: a matmul
                whose inner dimension is the width runs a short loop per output tile, and the tile's fixed cost is
                worth more FLOPs on an SM that does more per clock (s = the card's tensor rate per SM over the
                H100's; the ridge, peak / bandwidth, where the catalogue gives no SM count)
    g         = the share of the tensor rate a card reaches at the clock it really holds (never above 1)
    clock ratio = that clock over the rated one its datasheet peak assumes (gpus.tensor_clock_mhz: power per SM)
    a         = attention's cost per FLOP: 1 with FlashAttention 2; 3 in float32 (SDPA's fp32 kernel); x 2 before
                PyTorch 2.2 (FlashAttention 1)
    traffic   = tokens x (n_layer x n_embd x act_bytes x (1 - L2 share) + vocab_size x logit_bytes) x (2 if float32)
                act_bytes: elementwise ops per layer (LayerNorm, GELU, residuals, attention I/O), forward + backward,
                less what stays in the card's L2 (l2_hit); logit_bytes: the B x T x V logits, the cross-entropy and
                their gradient; x old_inductor_factor (with the launches) on PyTorch 2.0-2.1 compiled runs.

mps and cpu run eager in float32 with their own g and launch cost (devices). An iteration on one GPU is its
micro-steps plus the optimizer step (fused AdamW and gradient clipping stream ~40 bytes per parameter; Loshchilov &
Hutter 2019 for AdamW's two moments) and a fixed per-iteration cost (zero_grad, loss.item() sync, GradScaler).
With several GPUs, calculator/parallel.py adds what they send each other (DDP's all-reduce among it) and the bubble.

The constants come from tools/calibrate.py (data/speed_model.json holds the values, the measurements they were
fitted on and the error on measurements held out): real nanoGPT runs on an H100 measured for this project, real
RTX 4070 logs, a public GPT-2 124M sweep over eleven GPU configurations and public Apple runs; the 2x RTX 4090 run is
held out. GeForce and Hopper g are measured (bare matmuls); the other classes are fitted, and refined per card where
a card has runs of its own. bw_efficiency is the measured device-to-device copy rate over the H100's datasheet
bandwidth (~3.0 / 3.35 TB/s).
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



# nanoGPT needs PyTorch 2.0 (torch.compile); the choices of the torch_version input, oldest first. The default is
# the release the calibration H100 runs used (2.11), the current stable release when they were measured.
TORCH_VERSIONS = ("2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11")
DEFAULT_TORCH = "2.11"

# The forward pass is 2N of a training step's 6N FLOPs per token, the backward 4N (Kaplan et al. 2020, "Scaling Laws
# for Neural Language Models", section 2.1): what activation checkpointing runs again.
FORWARD_FLOPS_SHARE = 1 / 3


def torch_tuple(version: str) -> tuple[int, int]:
    major, minor = str(version).split(".")[:2]
    return int(major), int(minor)


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
    torch_version: str = DEFAULT_TORCH
    device: str = "cuda"  # cuda | mps | cpu
    l2_mb: float | None = None  # the card's L2 cache (None: no L2 term)
    sm_count: int | None = None  # the card's SMs (None: the narrow-width penalty scales with the ridge instead)
    # -- beyond one GPU's whole model (calculator/parallel.py): the share of a micro-step one GPU does --
    tensor_parallel: int = 1  # each layer's matmuls, element-wise work (sequence parallel) and logits split
    pipeline_parallel: int = 1  # n_layer / pipeline_parallel layers on each GPU
    context_parallel: int = 1  # block_size / context_parallel tokens of each sequence on each GPU
    attn_flops_per_token: float | None = None  # None: nanoGPT's 12 x L x E x T
    act_scale: float = 1.0  # a layer's element-wise traffic over a GPT-2 layer's of the same width (arch.act_scale)
    matmul_speedup: float = 1.0  # the matmuls' peak over the dtype's (2 for float8 on cards that have it)
    recompute: float = 0.0  # share of the forward recomputed in the backward (activation checkpointing: 0, 0.5, 1)


def _mode(w: Workload, c: dict) -> dict:
    """The constants of the kind of run: compiled or eager on CUDA; mps and cpu run eager (see device_parts)."""
    if w.device != "cuda":
        return {**c["eager"], **c["devices"][w.device]}
    return c["compile"] if w.compile else c["eager"]


def gemm_efficiency(gpu: dict, c: dict = CONSTANTS) -> tuple[float, str]:
    """The card's achievable tensor rate over its datasheet peak, and its basis: "card" (fitted on this card's own
    measurements), "class" (fitted on the other cards of its perf_class) or "default" (no evidence for its class:
    the median of the classes). The fitted values are the rate at the clock the card really holds under tensor load
    (never above 1); the clock ratio (gpus.clock_ratio: the sustained clock over the rated one) turns them into a
    share of the datasheet peak."""
    from .gpus import clock_ratio

    g = c["gemm_efficiency"]
    if gpu.get("segment") == "apple" or gpu.get("segment") == "cpu":
        return c["devices"]["gemm_efficiency"][gpu.get("kind", "mps")], "device"
    if gpu.get("id") in g["cards"]:
        real, basis = g["cards"][gpu["id"]], "card"
    elif gpu.get("perf_class") in g["classes"]:
        real, basis = g["classes"][gpu["perf_class"]], "class"
    else:
        real, basis = g["default"], "default"
    return real * clock_ratio(gpu), basis


def gemm_efficiency_at_clock(gpu: dict, c: dict = CONSTANTS) -> float:
    """g at the clock the card really runs (what the fit constrains to at most 1)."""
    from .gpus import clock_ratio

    g, _ = gemm_efficiency(gpu, c)
    return g / clock_ratio(gpu) if gpu.get("segment") not in ("apple", "cpu") else g


def mfu_range(gpu: dict, c: dict = CONSTANTS) -> tuple[float, float]:
    """Factors on the model's MFU that cover what the evidence says about cards like this one (see tools/calibrate)."""
    _, basis = gemm_efficiency(gpu, c)
    r = c["mfu_range"]
    if basis == "device":
        return tuple(r["devices"].get(gpu.get("id"), r["devices"]["default"]))
    return tuple(r["classes"].get(gpu.get("perf_class"), r["default"]) if basis == "class" else r[basis])


def mfu_bounds(gpu: dict, c: dict = CONSTANTS) -> dict:
    """Above `impossible` an MFU needs more than the card's tensor cores can do at the highest clock it runs at;
    above `implausible` more than a bare, large matmul reaches on it (the card's g, and at most bare_gemm_share of
    the highest clock), so no real training step gets there."""
    from .gpus import clock_ratio

    headroom = max(c["clock_headroom"].get(gpu.get("segment"), 1.0), clock_ratio(gpu))
    g, _ = gemm_efficiency(gpu, c)
    return {"impossible": headroom, "implausible": min(max(g, c["bare_gemm_share"] * clock_ratio(gpu)),
                                                       headroom * c["bare_gemm_share"])}


def attention_cost(w: Workload, c: dict = CONSTANTS) -> float:
    """How many times longer the attention FLOPs (nanoGPT's 12 x L x E x T per token) take than the same FLOPs in a
    large matmul: float32 runs SDPA's memory-efficient kernel, whose fp32 path does each product as three TF32 ones
    (cutlass OpMultiplyAddFastF32), since FlashAttention takes only fp16/bf16; before PyTorch 2.2 SDPA's flash kernel
    was FlashAttention 1, about half as fast as FlashAttention 2 (Dao 2023; PyTorch 2.2 release notes)."""
    t = c["torch"]
    cost = t["fp32_attention_cost"] if (w.dtype == "float32" and w.device == "cuda") else 1.0
    if torch_tuple(w.torch_version) < torch_tuple(t["flash_attention_2_from"]) and w.device == "cuda":
        cost *= t["fa1_attention_cost"]
    return cost


def width_scale(w: Workload, peak_flops: float, bandwidth_bps: float, c: dict = CONSTANTS) -> float:
    """How much a narrow model's matmuls lose on this card, relative to the H100: in proportion to the tensor rate
    of one SM. A matmul whose inner dimension is the model width runs a short loop over it per output tile, and the
    tile's fixed cost (loading the first operands, writing the result: memory latency, the same on every card) is
    worth more FLOPs on an SM that does more per clock (an H100 SM 4096 bf16 FLOP per clock, a GeForce Ada SM 512
    with FP32 accumulate). Where the catalogue gives no SM count: the card's ridge (peak / bandwidth) instead."""
    if w.sm_count and c.get("per_sm_ref"):
        return (peak_flops / w.sm_count) / c["per_sm_ref"]
    return (peak_flops / bandwidth_bps) / c["ridge_ref"]


def l2_hit(w: Workload, c: dict = CONSTANTS) -> float:
    """The share of the element-wise traffic served from L2 instead of DRAM: l2_hit x the share of the largest
    activation of a layer (the MLP's B x T x 4E hidden tensor) that fits in the card's L2."""
    if not w.l2_mb or w.device != "cuda":
        return 0.0
    width = 4 if w.dtype == "float32" else 2
    working_set = w.batch_size * w.block_size * c["l2_tensor_widths"] * w.n_embd * width
    return c["l2_hit"] * min(1.0, w.l2_mb * 1e6 / working_set)


def micro_step_parts(w: Workload, peak_flops: float, bandwidth_bps: float, c: dict = CONSTANTS,
                     forward_only: bool = False, gemm_eff: float | None = None) -> dict:
    """Seconds of one micro-step on one GPU, split into math, memory and host time. Each operation is charged at
    its own roofline: the matmuls at the tensor rate, attention at its kernel's rate (attention_cost), the
    element-wise traffic at DRAM bandwidth less what stays in L2, the logits at DRAM bandwidth."""
    m = _mode(w, c)
    tokens = w.batch_size * w.block_size
    g = c["gemm_efficiency"]["default"] if gemm_eff is None else gemm_eff
    width_half = c["width_half"] * width_scale(w, peak_flops, bandwidth_bps, c)
    eta = g * w.n_embd / (w.n_embd + width_half)
    # one GPU's share: tensor parallel splits every layer, pipeline parallel the layers, context parallel the tokens
    split = w.tensor_parallel * w.pipeline_parallel * w.context_parallel
    flops = w.flops_per_token * tokens / split
    attn_token = w.attn_flops_per_token if w.attn_flops_per_token is not None else \
        12 * w.n_layer * w.n_embd * w.block_size  # nanoGPT's attention term (estimate_mfu)
    attn = attn_token * tokens / split
    width = 2.0 if (w.dtype == "float32" or w.device != "cuda") else 1.0  # mps and cpu run float32
    layers = w.n_layer / w.pipeline_parallel
    shard = w.tensor_parallel * w.context_parallel  # sequence parallelism splits the element-wise work too
    act = tokens * layers * w.n_embd * m["act_bytes"] * w.act_scale * width * (1 - l2_hit(w, c)) / shard
    traffic = act + tokens * w.vocab_size * m["logit_bytes"] * width / (shard * w.pipeline_parallel)
    host = m["host_layer_s"] * layers + m["host_base_s"]
    if w.compile and w.device == "cuda" and torch_tuple(w.torch_version) < torch_tuple(c["torch"]["inductor_from"]):
        k = c["torch"]["old_inductor_factor"]  # a younger Inductor fused less and launched more (tools/calibrate)
        traffic, host = traffic * k, host * k
    if forward_only:  # evaluation: a forward pass under no_grad, forward_share of a training micro-step
        share = m["forward_share"]
        flops, attn, traffic, host = flops * share, attn * share, traffic * share, host * share
    elif w.recompute:  # activation checkpointing runs (part of) the forward again in the backward: the forward is
        more = 1 + w.recompute * FORWARD_FLOPS_SHARE  # a third of a training step's FLOPs
        flops, attn, traffic, host = flops * more, attn * more, traffic * more, host * more
    # the matmuls at their peak (x matmul_speedup for float8), attention at its kernel's rate
    t_math = ((flops - attn) / w.matmul_speedup + attn * attention_cost(w, c)) / (peak_flops * eta)
    t_mem = traffic / (bandwidth_bps * c["bw_efficiency"])
    return {"math_s": t_math, "memory_s": t_mem, "host_s": host, "total_s": max(t_math + t_mem, host)}


def iteration_parts(w: Workload, peak_flops: float, bandwidth_bps: float, c: dict = CONSTANTS,
                    gemm_eff: float | None = None) -> dict:
    """Seconds of one training iteration on one GPU that holds the whole model and talks to no other (several GPUs:
    calculator.parallel.iteration_parts, which gives the same numbers for a layout of one)."""
    micro = micro_step_parts(w, peak_flops, bandwidth_bps, c, gemm_eff=gemm_eff)
    optimizer = w.params_total * c["optimizer_bytes_per_param"] / (bandwidth_bps * c["bw_efficiency"])
    fixed = c["iter_fixed_s"]
    steps = w.micro_steps * micro["total_s"]
    return {
        "micro_step_s": micro["total_s"],
        "micro_math_s": micro["math_s"],
        "micro_memory_s": micro["memory_s"],
        "micro_host_s": micro["host_s"],
        "micro_steps_s": steps,
        "optimizer_s": optimizer,
        "fixed_s": fixed,
        "allreduce_s": 0.0,
        "iteration_s": steps + optimizer + fixed,
        "bound": "host (launch/Python overhead)" if micro["host_s"] > micro["math_s"] + micro["memory_s"]
        else ("memory bandwidth" if micro["memory_s"] > micro["math_s"] else "tensor-core math"),
    }
