"""estimate(): every number the site shows, from one set of inputs.

Forward mode: from the scenario, the model's step time (speed.py) at its suggested MFU, or at the MFU the user
assumes. Reverse mode (observed_ms_per_iter and/or reported_mfu given): the MFU that the observation implies on the
chosen GPU, a feasibility verdict, and the time to finish at the observed speed.
"""

from __future__ import annotations

import math

from . import arch, cost, gpus, memory, nanogpt, parallel, schema, speed, warmup
from .errors import InputError
from .facts import fact, joined, qty
from .feasibility import judge


def estimate(**inputs) -> dict:
    """Validate inputs (nanoGPT config names, see schema.FIELDS) and return a JSON-serialisable dict of results: the
    numbers, and facts (calculator.facts) for the verdict and the warnings. calculator.words.estimate(result, lang)
    adds the texts."""
    return compute(schema.validate(inputs))


def resolve_dtype(gpu: dict, dtype: str, device: str, torch_version: str, c: dict) -> tuple[str, bool]:
    """The dtype nanoGPT runs, and whether its bf16 is emulated. nanoGPT's rule for "auto": 'bfloat16' if
    torch.cuda.is_bf16_supported() else 'float16'. That says yes on cards with BF16 tensor cores (compute capability
    8+), and, from PyTorch 2.3, also on older NVIDIA cards (T4, V100, P100, RTX 20), where bf16 is emulated on the
    FP32 units (pytorch/pytorch#124996: a V100 answered False on 2.2; PR #148322: True on a T4, emulated). On mps and
    cpu nanoGPT runs float32 whatever dtype says (its autocast context is CUDA only)."""
    if device != "cuda":
        return "float32", False
    native = gpus.has_bf16(gpu)
    emulates = gpu.get("vendor") == "NVIDIA" and speed.torch_tuple(torch_version) >= speed.torch_tuple(
        c["torch"]["bf16_emulation_from"])
    if dtype == "auto":
        dtype = "bfloat16" if (native or emulates) else "float16"
    return dtype, dtype == "bfloat16" and not native


def _device_entry(v: dict) -> dict:
    """The chip an mps or cpu run uses: the Apple chip named in gpu, or (cpu on anything else) the generic CPU."""
    gpu = gpus.get_gpu(v["gpu"], {k: v[k] for k in ("custom_tflops", "custom_memory_gb", "custom_bandwidth_gbs")})
    if gpu.get("segment") == "apple":
        return gpu
    if v["device"] == "mps":
        raise InputError("device", "device.mps_needs_apple", gpu=gpu["name"])
    return gpus.get_gpu(gpus.GENERIC_CPU)


def workload(v: dict, c: dict) -> dict:
    """The scenario as the speed model sees it: the GPU entry, its peak for the dtype, the model's counts
    (calculator.arch), its layout over the GPUs, and the parts of one iteration (parallel.iteration_parts)."""
    device = v.get("device", "cuda")
    torch_version = v.get("torch_version") or speed.DEFAULT_TORCH
    if device == "cuda":
        gpu = gpus.get_gpu(v["gpu"], {k: v[k] for k in ("custom_tflops", "custom_memory_gb", "custom_bandwidth_gbs")})
        if gpu.get("segment") == "apple":
            raise InputError("gpu", "device.apple_needs_mps", gpu=gpu["name"])
    else:
        gpu = _device_entry(v)
        gpu = {**gpu, "kind": device}
    dtype, emulated = resolve_dtype(gpu, v.get("dtype", "auto"), device, torch_version, c)
    if device != "cuda":
        peak_tflops, peak_label = gpus.device_peak(gpu, device)
    elif emulated:
        if not gpu["tflops"].get("fp32"):
            raise InputError("dtype", "error.no_bf16_no_fp32", gpu=gpu["name"])
        peak_tflops, peak_label = float(gpu["tflops"]["fp32"]), "BF16 emulated (FP32 units)"
    else:  # float8: the matmuls at the FP8 rate, MFU against the BF16 peak (as torchtitan and Megatron report it)
        peak_tflops, peak_label = gpus.peak_tflops(gpu, "bfloat16" if dtype == "float8" else dtype)
    n_gpu = v["num_gpus"]
    lay = parallel.layout(v)
    micro_steps = lay.micro_steps  # nanoGPT: gradient_accumulation_steps //= world size (data-parallel ranks)
    # -- the model's arithmetic (arch.py: nanoGPT's model.py get_num_params and estimate_mfu for gpt2) --
    a = arch.from_inputs(v)
    counts = arch.params(a)
    params_total = counts["total"]
    # nanoGPT prints get_num_params() (no wpe); for the other models the total, as their model cards quote it
    params = counts["total"] - counts["position"] if a.model_type == "gpt2" else params_total
    f_token = arch.flops_per_token(a)
    matmul_speedup = 1.0
    if dtype == "float8":
        if gpu.get("arch") not in parallel.FP8["archs"] or device != "cuda":
            raise InputError("dtype", "error.no_fp8", gpu=gpu["name"], archs=", ".join(parallel.FP8["archs"]))
        matmul_speedup = parallel.FP8["ratio"] * c["parallel"]["fp8_gemm_ratio"]
    recompute = memory.RECOMPUTE[v.get("activation_checkpointing", "none")]
    w = speed.Workload(v["n_layer"], v["n_embd"], v["vocab_size"], v["block_size"], v["batch_size"], micro_steps,
                       f_token, params_total, dtype, v["compile"], n_gpu, torch_version, device, gpu.get("l2_mb"),
                       gpu.get("sm_count") if device == "cuda" else None, lay.tp, lay.pp, lay.cp,
                       arch.attention_flops_per_token(a), arch.act_scale(a), matmul_speedup, recompute)
    gemm_eff, gemm_basis = speed.gemm_efficiency(gpu, c)
    if peak_label == "TF32 tensor":  # float32 on TF32 tensor cores: the share a TF32 matmul reaches on this arch
        gemm_eff *= c.get("tf32_gemm_ratio", {}).get(gpu.get("arch"), 1.0)
    peak, bandwidth = peak_tflops * 1e12, gpu["bandwidth_gbs"] * 1e9
    network = parallel.network_of(gpu, v.get("network", "auto"))
    parts = parallel.iteration_parts(w, peak, bandwidth, gpu, lay, network, params_total, a.kv_heads * a.head_dim,
                                     c, gemm_eff)
    return {"gpu": gpu, "peak_tflops": peak_tflops, "peak_label": peak_label, "peak": peak, "bandwidth": bandwidth,
            "params": params, "params_total": params_total, "f_token": f_token, "micro_steps": micro_steps,
            "w": w, "gemm_eff": gemm_eff, "gemm_basis": gemm_basis, "parts": parts, "dtype": dtype,
            "emulated_bf16": emulated, "device": device, "torch_version": torch_version, "arch": a,
            "counts": counts, "layout": lay, "network": network, "recompute": recompute}


def compute(v: dict, constants: dict | None = None) -> dict:
    """The estimate for already-validated inputs `v`; constants default to data/speed_model.json."""
    c = constants or speed.CONSTANTS
    work = workload(v, c)
    gpu, peak, parts, micro_steps, w = work["gpu"], work["peak"], work["parts"], work["micro_steps"], work["w"]
    params, params_total, f_token = work["params"], work["params_total"], work["f_token"]
    v = {**v, "gpu": gpu["id"]}  # the canonical id ("RTX 4090" -> "rtx-4090"), so share links stay stable
    n_gpu = v["num_gpus"]
    lay = work["layout"]
    tokens_micro = v["batch_size"] * v["block_size"]
    tokens_iter = tokens_micro * micro_steps * lay.dp  # all GPUs together (gradient_accumulation_steps, rounded
    # up to whole micro-steps on each data-parallel rank where the default does not divide: warn.gas_rounded)
    flops_iter = f_token * tokens_iter
    # one GPU's share: nanoGPT's flops_per_iter on a data-parallel rank, split over its tensor, pipeline and
    # context-parallel GPUs
    flops_iter_gpu = nanogpt.flops_per_iter(f_token, v["block_size"], v["batch_size"], micro_steps) / (
        lay.tp * lay.pp * lay.cp)

    model_step = parts["iteration_s"]
    model_mfu = flops_iter_gpu / (model_step * peak)
    lo_f, hi_f = speed.mfu_range(gpu, c)
    bounds = speed.mfu_bounds(gpu, c)
    mfu_cap = bounds["implausible"]  # no training step beats a bare large matmul on the same card

    # the range the evidence covers for cards like this one, never above what a bare matmul reaches
    model_mfu_low, model_mfu_high = model_mfu * lo_f, min(model_mfu * hi_f, max(model_mfu, mfu_cap))
    if v["mfu"] is not None:
        mfu, mfu_source = v["mfu"], "given"
        mfu_low, mfu_high = mfu, mfu
    else:
        mfu, mfu_source = model_mfu, "model"
        mfu_low, mfu_high = model_mfu_low, model_mfu_high

    # -- reverse mode: what an observation implies --
    observed = None
    if v["observed_ms_per_iter"] is not None or v["reported_mfu"] is not None:
        observed = _observed(v, flops_iter_gpu, peak)
        mfu, mfu_source = observed["implied_mfu"], "observed"
        mfu_low = mfu_high = mfu

    step = flops_iter_gpu / (peak * mfu)
    step_fast = flops_iter_gpu / (peak * mfu_high)
    step_slow = flops_iter_gpu / (peak * mfu_low)
    scale = step / model_step  # the eval passes run at the same efficiency as training steps

    # -- evaluations: estimate_loss() on the master process, 2 x eval_iters forward passes at batch_size --
    fwd = speed.micro_step_parts(w, peak, work["bandwidth"], c, forward_only=True, gemm_eff=work["gemm_eff"])["total_s"]
    eval_each = 2 * v["eval_iters"] * fwd * scale
    evals_later = v["max_iters"] // v["eval_interval"]  # nanoGPT evaluates when iter_num % eval_interval == 0
    checkpoints = evals_later if v["checkpoint_seconds"] > 0 else 0  # saved at evals after iteration 0

    first = warmup.first_iteration(v["n_layer"], v["compile"], step, eval_each, c, gpu.get("segment"))
    warmup_s = first["first_iter_seconds"] - step  # everything iteration 0 costs beyond a normal step
    steps_total = v["max_iters"] + 1  # `if iter_num > max_iters: break` after the step: max_iters + 1 steps

    def total(step_s: float, warm_s: float) -> float:
        return warm_s + steps_total * step_s + evals_later * eval_each * step_s / step + \
            checkpoints * v["checkpoint_seconds"]

    # the compile part's range: from a warm cache to a cold one on a slow server, whatever the estimate assumed
    scale = warmup.compile_scale(c, gpu.get("segment"))
    wl = (c["warmup"]["range"][0], c["warmup"]["range"][1] / scale)
    compile_part = first["compile_seconds"] + first["eval_compile_seconds"]
    total_s = total(step, warmup_s)
    total_low = total(step_fast, warmup_s + compile_part * (wl[0] - 1))
    total_high = total(step_slow, warmup_s + compile_part * (wl[1] - 1))

    mem = _memory(v, work, c)
    fit = memory.verdict(mem["peak_allocated_gib"], gpu["memory_gb"])
    fixes = _fixes(v, work, c) if not fit["fits_in_memory"] else []

    achieved = flops_iter_gpu / step
    r = {
        "inputs": v,
        "dtype": work["dtype"],  # what nanoGPT runs: "auto" resolved, float32 on mps and cpu
        "emulated_bf16": work["emulated_bf16"],
        "device": work["device"],
        "torch_version": work["torch_version"],
        "float16_ms_per_iter": _float16_step(v, c) * 1000 if work["emulated_bf16"] else None,
        "gpu": {"id": gpu["id"], "name": gpu["name"], "segment": gpu.get("segment"), "peak_label": work["peak_label"],
                "memory_gb": gpu["memory_gb"], "bandwidth_gbs": gpu["bandwidth_gbs"],
                "unverified": list(gpu.get("unverified", [])), "source": gpu.get("sources", {}).get("tflops", ""),
                "perf_class": gpu.get("perf_class"), "gemm_efficiency": work["gemm_eff"],
                "gemm_basis": work["gemm_basis"], "mfu_bounds": bounds},
        "params": params,
        "params_total": params_total,
        "tokens_per_micro_step": tokens_micro,
        "micro_steps_per_gpu": micro_steps,
        "micro_steps_total": micro_steps * lay.dp,  # gradient_accumulation_steps as run (warn.gas_rounded)
        "tokens_per_iter": tokens_iter,
        "flops_per_token": f_token,
        "flops_per_iter": flops_iter,
        "flops_per_iter_per_gpu": flops_iter_gpu,
        "peak_tflops": work["peak_tflops"],
        "mfu": mfu,
        "mfu_low": mfu_low,
        "mfu_high": mfu_high,
        "mfu_source": mfu_source,
        "model_mfu": model_mfu,
        "model_mfu_low": model_mfu_low,
        "model_mfu_high": model_mfu_high,
        "model_ms_per_iter": model_step * 1000,
        "bound": parts["bound"],
        "allreduce_seconds": parts["allreduce_s"],
        "one_gpu_ms_per_iter": _one_gpu_step(w, peak, work["bandwidth"], gpu, c) * 1000
        if n_gpu > 1 and lay.dp == n_gpu and lay.sharding == "ddp" else model_step * 1000,
        "hfu": mfu * (1 + work["recompute"] * speed.FORWARD_FLOPS_SHARE),  # the recompute counted too
        "arch": _arch(work),
        "parallel": _parallel(work, parts),
        "ms_per_iter": step * 1000,
        "ms_per_iter_at_peak": flops_iter_gpu / peak * 1000,  # 100% MFU: the floor no run goes below
        "ms_per_iter_low": step_fast * 1000,
        "ms_per_iter_high": step_slow * 1000,
        "tokens_per_sec": tokens_iter / step,
        "tokens_per_sec_per_gpu": tokens_iter / step / n_gpu,
        "achieved_tflops": achieved / 1e12,
        "nanogpt_printed_mfu": achieved / nanogpt.NANOGPT_PROMISED_FLOPS,
        "eval_count": evals_later,
        "eval_each_seconds": eval_each,
        "eval_seconds": evals_later * eval_each,
        "checkpoint_count": checkpoints,
        "checkpoint_total_seconds": checkpoints * v["checkpoint_seconds"],
        "steps": steps_total,
        "training_seconds": steps_total * step,
        "warmup_seconds": warmup_s,
        **first,
        "total_seconds": total_s,
        "total_seconds_low": total_low,
        "total_seconds_high": total_high,
        "memory_gib": mem["peak_allocated_gib"],
        "memory": mem,
        **fit,
        "memory_fixes": fixes,
        "observed": observed,
    }
    r["physics"] = _physics(work, c)  # the clock and L2 terms of the reader's card (words/estimate.py writes them)
    r["cost"] = cost.of_run(r)  # rental cost and energy of the whole run (cost.py)
    r["feasibility"] = judge(r, bounds) if observed else None
    r["warnings"] = _warnings(r)
    _check_finite(r)
    return r


def _arch(work: dict) -> dict:
    """The architecture as the calculation counted it (calculator/arch.py)."""
    a = work["arch"]
    return {"model_type": a.model_type, "family": a.family, "n_kv_head": a.kv_heads, "head_dim": a.head_dim,
            "intermediate_size": a.ffn, "tied": a.tied, "counts": work["counts"],
            "attention_flops_per_token": arch.attention_flops_per_token(a), "act_scale": arch.act_scale(a)}


def _parallel(work: dict, parts: dict) -> dict:
    """The layout and what the GPUs send each other, per iteration (calculator/parallel.py)."""
    lay = work["layout"]
    link, _ = parallel.link_of(work["gpu"])
    step = parts["iteration_s"]
    return {"num_gpus": lay.num_gpus, "gpus_per_node": lay.gpus_per_node, "nodes": lay.nodes, "dp": lay.dp,
            "tp": lay.tp, "pp": lay.pp, "cp": lay.cp, "interleave": lay.interleave, "sharding": lay.sharding,
            "micro_steps": lay.micro_steps, "network": work["network"], "link": link,
            "activation_checkpointing": {0.0: "none", 0.5: "selective", 1.0: "full"}[work["recompute"]],
            "bandwidths_gbs": {k: b / 1e9 for k, b in parts["bandwidths"].items()},
            "comm_seconds": parts["comm"], "comm_total_seconds": parts["comm_s"], "bubble_seconds": parts["bubble_s"],
            "bubble_share": parts["bubble_s"] / step, "comm_share": parts["comm_s"] / step,
            "compute_seconds": parts["micro_steps_s"], "optimizer_seconds": parts["optimizer_s"]}


def _fixes(v: dict, work: dict, c: dict) -> list[dict]:
    """What would make a run that does not fit fit, each a change of inputs tried alone, then together: shard
    everything (fsdp), recompute the activations (full checkpointing), split the layers (tensor_parallel up to a
    node), one sequence per micro-step. An empty list: none of these does; more GPUs, or a larger card."""
    lay = work["layout"]
    a = work["arch"]
    tries: list[dict] = []
    if lay.dp > 1 and v["sharding"] != "fsdp":
        tries.append({"sharding": "fsdp"})
    if v["activation_checkpointing"] != "full":
        tries.append({"activation_checkpointing": "full"})
    tp = max((t for t in range(lay.tp + 1, lay.gpus_per_node + 1)
              if a.n_head % t == 0 and a.kv_heads % t == 0 and v["num_gpus"] % (t * lay.pp * lay.cp) == 0
              and v["gradient_accumulation_steps"] % (v["num_gpus"] // (t * lay.pp * lay.cp)) == 0), default=None)
    if tp:
        tries.append({"tensor_parallel": tp})
    if v["batch_size"] > 1:
        tries.append({"batch_size": 1, "gradient_accumulation_steps": v["gradient_accumulation_steps"] *
                      v["batch_size"]})
    pairs = [{**x, **y} for i, x in enumerate(tries) for y in tries[i + 1:]]
    found = []
    for change in tries + pairs + ([{k: x for t in tries for k, x in t.items()}] if len(tries) > 2 else []):
        if any(all(change.get(k) == x for k, x in f.items()) for f in found):
            continue  # a fix already found, with more changed
        trial = {**v, **change}
        trial_work = {**work, "layout": parallel.layout(trial)}
        if memory.verdict(_memory(trial, trial_work, c)["peak_allocated_gib"],
                          work["gpu"]["memory_gb"])["fits_in_memory"]:
            found.append(change)
            if len(found) == 3:
                break
    return found


def _memory(v: dict, work: dict, c: dict) -> dict:
    """Memory per GPU under the run's layout and sharding (memory.per_gpu)."""
    a = work["arch"]
    return memory.per_gpu(work["params_total"], work["layout"], v["n_layer"], v["n_embd"], v["vocab_size"],
                          arch.block_params(a), v["batch_size"] * v["block_size"], arch.act_scale(a), work["dtype"],
                          v["compile"], v.get("activation_checkpointing", "none"), c)


def _physics(work: dict, c: dict) -> dict:
    """The card's terms in the speed model, for the Method section: the clock it holds under tensor load against its
    rated clock, its L2 and the share of the element-wise traffic that stays there, its g at its real clock."""
    gpu = work["gpu"]
    clock = gpus.tensor_clock_mhz(gpu)
    return {"clock_mhz": round(clock) if clock else None, "rated_clock_mhz": gpu.get("boost_clock_mhz"),
            "clock_ratio": gpus.clock_ratio(gpu) if work["device"] == "cuda" else 1.0,
            "watts_per_sm": gpu["tdp_w"] / gpu["sm_count"] if clock else None,
            "l2_mb": gpu.get("l2_mb") if work["device"] == "cuda" else None, "l2_share": speed.l2_hit(work["w"], c),
            "g_at_clock": speed.gemm_efficiency_at_clock(gpu, c)}


def _float16_step(v: dict, c: dict) -> float:
    """The same run in float16 (on a card whose bf16 is emulated): what the emulation costs."""
    return workload({**v, "dtype": "float16"}, c)["parts"]["iteration_s"]


def _one_gpu_step(w: speed.Workload, peak: float, bandwidth: float, gpu: dict, c: dict) -> float:
    """The same global batch on one GPU: all micro-steps, no all-reduce (to flag DDP that slows a step down)."""
    one = speed.Workload(**{**w.__dict__, "micro_steps": w.micro_steps * w.num_gpus, "num_gpus": 1})
    g, _ = speed.gemm_efficiency(gpu, c)
    return speed.iteration_parts(one, peak, bandwidth, c, g)["iteration_s"]


def _observed(v: dict, flops_iter_gpu: float, peak: float) -> dict:
    out: dict = {"observed_ms_per_iter": v["observed_ms_per_iter"], "reported_mfu": v["reported_mfu"]}
    if v["reported_mfu"] is not None:
        # nanoGPT prints 100 x flops_per_iter / dt / 312e12 (estimate_mfu), whatever the GPU.
        achieved = v["reported_mfu"] / 100 * nanogpt.NANOGPT_PROMISED_FLOPS
        out["true_mfu_from_reported"] = achieved / peak
        out["ms_per_iter_from_reported"] = flops_iter_gpu / achieved * 1000
    if v["observed_ms_per_iter"] is not None:
        out["implied_mfu"] = flops_iter_gpu / (v["observed_ms_per_iter"] / 1000) / peak
    else:
        out["implied_mfu"] = out["true_mfu_from_reported"]
    return out


def _warnings(r: dict) -> list[dict]:
    """What the reader should know about this scenario, as facts (calculator.facts)."""
    w = []
    f = r["feasibility"]
    if f and f["verdict"] in ("impossible", "implausible"):
        w.append(f["message"])
    capacity = qty("gib", r["memory_capacity_gib"])
    if r["memory_verdict"] == "does not fit":
        m = r["memory"]
        static = m["weights_gib"] + m["gradients_gib"] + m["optimizer_gib"]
        if memory.verdict(static, r["gpu"]["memory_gb"])["memory_verdict"] == "does not fit":
            w.append(fact("warn.no_fit_static", static=qty("gib", static), capacity=capacity))
        else:
            w.append(fact("warn.no_fit", need=qty("gib", r["memory_need_gib"]), capacity=capacity,
                          activations=qty("gib", m["activations_gib"] + m["logits_gib"])))
        if r["memory_fixes"]:
            w.append(fact("warn.fit_with", fixes=joined(
                [joined([f"{k}={x}" for k, x in fix.items()], " + ") for fix in r["memory_fixes"]], fact("list.or"))))
        elif r["inputs"]["num_gpus"] > 1 or r["parallel"]["tp"] > 1:
            w.append(fact("warn.fit_none"))
    elif r["memory_verdict"] == "tight":
        w.append(fact("warn.tight", need=qty("gib", r["memory_need_gib"]), capacity=capacity))
    if r["inputs"]["num_gpus"] > 1 and r["model_ms_per_iter"] > r["one_gpu_ms_per_iter"]:
        w.append(fact("warn.ddp_slower", allreduce=qty("duration", r["allreduce_seconds"]),
                      one=qty("ms_per_iter", r["one_gpu_ms_per_iter"])))
    v = r["inputs"]
    p = r["parallel"]
    if v["gradient_accumulation_steps"] % p["dp"]:
        w.append(fact("warn.gas_rounded", gas=v["gradient_accumulation_steps"], dp=p["dp"], micro=p["micro_steps"],
                      total=p["micro_steps"] * p["dp"]))
    if r["device"] != "cuda" and v["dtype"] not in ("auto", "float32"):
        w.append(fact("warn.device_float32", device=r["device"], dtype=v["dtype"]))
    if r["device"] == "mps" and v["compile"]:
        w.append(fact("warn.mps_compile"))
    if r["emulated_bf16"]:
        w.append(fact("warn.bf16_emulated", gpu=r["gpu"]["name"], fp16=qty("ms_per_iter", r["float16_ms_per_iter"]),
                      times=qty("times", r["ms_per_iter"] / r["float16_ms_per_iter"])))
    if r["gpu"]["unverified"]:
        w.append(fact("warn.unverified", gpu=r["gpu"]["name"], what=joined(r["gpu"]["unverified"])))
    return w


def _check_finite(obj, path: str = "result") -> None:
    """Guarantee: no NaN or infinity ever leaves the calculator."""
    if isinstance(obj, float) and not math.isfinite(obj):
        raise InputError(path.split(".")[1] if "." in path else "inputs", "error.too_large")
    if isinstance(obj, dict):
        for k, val in obj.items():
            _check_finite(val, f"{path}.{k}")
    elif isinstance(obj, list):
        for val in obj:
            _check_finite(val, path)
