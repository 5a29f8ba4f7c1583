"""Many GPUs: how a run is laid out over them, what they send each other, and what one iteration costs on each.

Layout (Megatron's order, innermost first: tensor, context, data, pipeline). num_gpus = tensor_parallel x
context_parallel x data-parallel ranks x pipeline_parallel; nodes of gpus_per_node GPUs. A group whose ranks all
sit in one node talks over the node's link (NVLink, Infinity Fabric or PCIe: data/interconnect.json, per card), one
that spans nodes over the network (an input, with a default per card family), each at the bus bandwidth a ring
collective reaches (nccl-tests' busbw: the link's rate x its efficiency).

What each GPU sends, per micro-step or per iteration (S = parameters on the GPU: all of them / (tensor x pipeline);
ring collectives move (n - 1) / n of the data per GPU, an all-reduce twice that):

    ddp     all-reduce of fp32 gradients once an iteration: 2 (n-1)/n x 4 S bytes, bucketed, overlapped with the
            last backward (allreduce_overlap of it hidden)
    zero1   reduce-scatter of the gradients and all-gather of the updated weights once an iteration: the same bytes
    zero2   the reduce-scatter every micro-step (the gradients are never whole), the all-gather once an iteration
    fsdp    every micro-step: all-gather of bf16 weights for the forward and again for the backward, reduce-scatter of
            fp32 gradients: (n-1)/n x (2 + 2 + 4) S bytes; prefetched a layer ahead, so hidden behind the compute
            up to fsdp_overlap of it, except the first layer's gather. Under pipeline parallelism the stage's
            weights stay gathered for the iteration: one gather and one reduce-scatter an iteration
    hsdp    fsdp inside a node, and an all-reduce of the node's gradient shard across nodes once an iteration
    tensor  with sequence parallelism, per layer and micro-step, 4 all-gathers and 4 reduce-scatters of the
            B x T x E activations in bf16 (Korthikanti et al. 2022, section 4.2.2), on the critical path except
            tp_overlap of them (Megatron's --tp-comm-overlap); recomputation adds the forward's half again
    context ring attention passes K and V around the ring (forward) and K, V and their gradients (backward), hidden
            behind the attention it feeds where it is shorter
    pipeline each micro-step sends its activations forward and their gradients back at every stage boundary (x the
            virtual stages); the 1F1B schedule leaves (stages - 1) / virtual stages micro-steps of bubble

Each collective also pays a latency (collective_latency_s x log2 ranks). The constants named here are in
data/speed_model.json ("parallel"), fitted on the published multi-GPU rows by tools/calibrate_parallel.py.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from . import speed

_NET = json.loads((Path(__file__).with_name("data") / "interconnect.json").read_text(encoding="utf-8"))
LINKS: dict = _NET["links"]
NETWORKS: dict = _NET["networks"]
FP8: dict = _NET["fp8"]

GRAD_BYTES = 4  # gradients reduced in fp32 (PyTorch DDP under autocast; FSDP's and torchtitan's reduce_dtype)
PARAM_BYTES = 2  # weights gathered in bf16 (FSDP MixedPrecision param_dtype)
ACT_BYTES = 2  # activations sent in bf16


@dataclass(frozen=True)
class Layout:
    num_gpus: int
    gpus_per_node: int
    dp: int
    tp: int
    pp: int
    cp: int
    interleave: int
    sharding: str
    micro_steps: int  # per data-parallel rank and iteration

    @property
    def nodes(self) -> int:
        return math.ceil(self.num_gpus / self.gpus_per_node)


def layout(v: dict) -> Layout:
    tp, pp, cp = v.get("tensor_parallel", 1), v.get("pipeline_parallel", 1), v.get("context_parallel", 1)
    n = v["num_gpus"]
    dp = n // (tp * pp * cp)
    return Layout(n, min(v.get("gpus_per_node", 8), n), dp, tp, pp, cp, v.get("pipeline_interleave", 1),
                  v.get("sharding", "ddp"), -(-v["gradient_accumulation_steps"] // dp))  # whole micro-steps a rank


def link_of(gpu: dict) -> tuple[str, float]:
    """The card's link inside a node and its bus bandwidth in bytes/s."""
    name = _NET["cards"].get(gpu.get("id"), _NET["cards"]["default"])
    entry = LINKS[name]
    return name, entry["gbs"] * entry["efficiency"] * 1e9


def network_of(gpu: dict, choice: str = "auto") -> str:
    if choice and choice != "auto":
        return choice
    link, _ = link_of(gpu)
    return _NET["default_network"].get(link, _NET["default_network"]["default"])


def network_bw(name: str, gpus_per_node: int) -> float:
    """Bus bandwidth per GPU across nodes, bytes/s: one port per GPU, or (Ethernet) one per node shared."""
    net = NETWORKS[name]
    per_gpu = net["gbit"] / 8 * net["efficiency"] * 1e9
    return per_gpu / gpus_per_node if name in _NET["shared_per_node"] else per_gpu


def _latency(ranks: int) -> float:
    return _NET["collective_latency_s"] * max(1.0, math.log2(ranks)) if ranks > 1 else 0.0


def bandwidths(lay: Layout, gpu: dict, network: str) -> dict:
    """Bus bandwidth of each group: inside a node over the link, else over the network (never above the link)."""
    _, intra = link_of(gpu)
    inter = min(intra, network_bw(network, lay.gpus_per_node))
    g = lay.gpus_per_node

    def bw(extent: int) -> float:  # a group whose ranks span `extent` consecutive GPUs
        return intra if extent <= g else inter

    return {"tp": bw(lay.tp), "cp": bw(lay.tp * lay.cp), "dp": bw(lay.tp * lay.cp * lay.dp),
            "pp": bw(lay.num_gpus) if lay.pp > 1 else intra, "intra": intra, "inter": inter,
            "shard": intra}  # hsdp's shard group stays in the node


def iteration_parts(w: speed.Workload, peak: float, bandwidth: float, gpu: dict, lay: Layout, network: str,
                    params_total: int, kv_dim: int, c: dict = speed.CONSTANTS, gemm_eff: float | None = None) -> dict:
    """Seconds of one training iteration on each GPU, split into compute, exposed communication and bubble."""
    p = c["parallel"]
    micro = speed.micro_step_parts(w, peak, bandwidth, c, gemm_eff=gemm_eff)
    t_micro = micro["total_s"]
    bw = bandwidths(lay, gpu, network)
    tokens = w.batch_size * w.block_size / lay.cp  # tokens of one micro-step on one GPU
    layers = w.n_layer / lay.pp
    comm = {"tensor_s": 0.0, "context_s": 0.0, "pipeline_s": 0.0, "data_s": 0.0}

    # -- per micro-step, on the critical path --
    if lay.tp > 1:
        size = tokens * w.n_embd * ACT_BYTES
        n_coll = layers * 8 * (1 + w.recompute / 2)
        t = n_coll * ((lay.tp - 1) / lay.tp * size / bw["tp"] + _latency(lay.tp))
        comm["tensor_s"] = t * (1 - p["tp_overlap"])
    if lay.cp > 1:
        kv = tokens * 2 * kv_dim * ACT_BYTES / lay.tp  # K and V of this GPU's chunk
        t = layers * 3 * (lay.cp - 1) * (kv / bw["cp"] + _latency(2))
        attn_s = micro["math_s"] * _attention_share(w)
        comm["context_s"] = max(0.0, t - attn_s)
    if lay.pp > 1:
        size = tokens * w.n_embd * ACT_BYTES / lay.tp
        comm["pipeline_s"] = 2 * lay.interleave * (size / bw["pp"] + _latency(2))
    per_micro_extra = comm["tensor_s"] + comm["context_s"] + comm["pipeline_s"]

    # -- data parallel --
    s = params_total / (lay.tp * lay.pp)  # parameters on one GPU before data-parallel sharding
    dp, sh = lay.dp, lay.sharding
    fsdp_micro = 0.0
    data_iter = 0.0
    opt_params = s
    if dp > 1:
        ring = (dp - 1) / dp
        if sh == "ddp":
            t = 2 * ring * GRAD_BYTES * s / bw["dp"] + _latency(dp)
            data_iter = (1 - c["allreduce_overlap"]) * t
        elif sh in ("zero1", "zero2"):
            rs = ring * GRAD_BYTES * s / bw["dp"] + _latency(dp)
            ag = ring * 4 * s / bw["dp"] + _latency(dp)  # the updated fp32 weights
            opt_params = s / dp
            if sh == "zero1":
                data_iter = (1 - c["allreduce_overlap"]) * (rs + ag)
            else:
                fsdp_micro = (1 - c["allreduce_overlap"]) * rs
                data_iter = (1 - c["allreduce_overlap"]) * ag
        else:  # fsdp, hsdp
            shard = dp if sh == "fsdp" else max(1, min(dp, lay.gpus_per_node // (lay.tp * lay.cp)))
            replicas = dp // shard
            link = bw["dp"] if sh == "fsdp" or shard == dp else bw["shard"]
            if shard > 1 and lay.pp > 1:
                # with a pipeline, the stage's weights stay gathered over the schedule's micro-steps
                # (torchtitan: reshard_after_forward is off under pipeline parallelism): one gather and one
                # reduce-scatter an iteration, the scatter half hidden like DDP's all-reduce
                t = (shard - 1) / shard * (PARAM_BYTES + GRAD_BYTES) * s / link + 2 * layers * _latency(shard)
                data_iter += (1 - c["allreduce_overlap"]) * t
            elif shard > 1:  # a layer's recompute runs inside its backward gather: no third gather
                t = (shard - 1) / shard * (2 * PARAM_BYTES + GRAD_BYTES) * s / link + 3 * layers * _latency(shard)
                hidden = p["fsdp_overlap"] * t_micro
                first = t / max(layers, 1)  # the first layer's gather waits
                fsdp_micro = max(0.0, t - hidden) + first
            if replicas > 1:
                t = 2 * (replicas - 1) / replicas * GRAD_BYTES * s / shard / bw["inter"] + _latency(replicas)
                data_iter += (1 - c["allreduce_overlap"]) * t
            opt_params = s / shard
    comm["data_s"] = lay.micro_steps * fsdp_micro + data_iter

    step_micro = t_micro + per_micro_extra + fsdp_micro
    compute = lay.micro_steps * step_micro
    bubble = (lay.pp - 1) / lay.interleave * step_micro if lay.pp > 1 else 0.0
    optimizer = opt_params * c["optimizer_bytes_per_param"] / (bandwidth * c["bw_efficiency"])
    fixed = c["iter_fixed_s"]
    comm_total = lay.micro_steps * per_micro_extra + comm["data_s"]
    iteration = lay.micro_steps * (t_micro + per_micro_extra + fsdp_micro) + data_iter + bubble + optimizer + fixed
    math_s, mem_s, host_s = (lay.micro_steps * micro[k] for k in ("math_s", "memory_s", "host_s"))
    if host_s > math_s + mem_s and host_s >= comm_total:
        bound = "host (launch/Python overhead)"
    elif comm_total > max(math_s, mem_s):
        bound = "communication"
    else:
        bound = "memory bandwidth" if mem_s > math_s else "tensor-core math"
    return {
        "micro_step_s": t_micro,
        "micro_math_s": micro["math_s"],
        "micro_memory_s": micro["memory_s"],
        "micro_host_s": micro["host_s"],
        "micro_steps_s": lay.micro_steps * t_micro,
        "optimizer_s": optimizer,
        "fixed_s": fixed,
        "allreduce_s": data_iter,
        "comm_s": comm_total,
        "comm": {k: (lay.micro_steps * v if k != "data_s" else v) for k, v in comm.items()},
        "bubble_s": bubble,
        "iteration_s": iteration,
        "bound": bound,
        "compute_s": compute,
        "bandwidths": {k: bw[k] for k in ("tp", "cp", "dp", "pp", "intra", "inter")},
    }


def _attention_share(w: speed.Workload) -> float:
    """The attention's share of a micro-step's FLOPs (what ring attention's sends hide behind)."""
    attn = w.attn_flops_per_token if w.attn_flops_per_token is not None else 12 * w.n_layer * w.n_embd * w.block_size
    return min(1.0, attn / w.flops_per_token)
