"""Fit the speed model's free constants on the measurements in shared/calibration (tools/calibration_data.py reads
them), and write calculator/data/speed_model.json with the values, what they were fitted on and how well the
model predicts what it was not fitted on.

    python -m tools.calibrate [--calibration ../shared/calibration] [--check]

Standard library only (a small Nelder-Mead), so the fit reruns anywhere. --check refits and fails if the committed
constants differ, so the JSON can't drift from the data.

What is fitted and what is not:
- bw_efficiency: the device-to-device copy rate measured on the H100 (~3.0 TB/s) over its datasheet 3.35 TB/s.
- logit_bytes: counted, not fitted. compile: logits written (2 B), read by the fused cross-entropy (2 B), gradient
  written (2 B) and read by the two backward matmuls (4 B) = 10 B per logit. eager: the same plus the fp32 upcast,
  log_softmax and its gradient materialised in fp32 (~28 B more) = 38 B.
- host time in eager mode: assumed 2x compile's per layer (more, unfused kernels); one eager run can't separate it.
- gemm_efficiency, the card's achievable tensor rate over its datasheet peak: for the Hopper class, measured (the
  `_gemm` line: an 8192^3 bf16 matmul over the H100 SXM peak); for the other classes, fitted together with the shared
  constants (least squares on log time): width_half, compile act_bytes, compile host_layer_s, eager act_bytes.
  Then each card with measurements of its own gets its own value (a one-dimensional fit on its points), and each
  class is checked by leaving one card out: the class value refitted without that card predicts it. Those errors
  are what a card without measurements can expect, and they set the ranges the page shows.
- held out (never fitted): calibration_data.HOLD_OUT, the H100 eval passes and the published points.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calculator.estimate import compute  # noqa: E402
from tools import calibration_data as cd  # noqa: E402

OUT = ROOT / "calculator" / "data" / "speed_model.json"
H100_SPEC_BF16_TFLOPS = 989.4  # H100 SXM datasheet, dense BF16 with FP32 accumulate
H100_SPEC_GBS = 3350.0  # H100 SXM datasheet, HBM3 bandwidth
H100_MEASURED_COPY_GBS = 3000.0  # a device-to-device copy on the calibration H100 moved ~3.0 TB/s (read + written)
FITTED_CLASSES = ("pro-ampere", "pro-ada", "a100")  # hopper and geforce: measured; the others: no evidence here
FITTED_CARDS = ("rtx-4070",)  # the GeForce card with runs in the fit (the RTX 4090 run is held out)
# GeForce: a bare bf16 matmul at the clock the card holds. The RTX 4070 SUPER (AD104, the RTX 4070's chip, 56 SMs)
# ran 8192^3-10240^3 bf16 matmuls at 74.3-74.5 TFLOPS (github.com/zzc0721/torch-performance-test-data/issues/54,
# PyTorch 2.5);
# at its sustained 2880 MHz (gpus.json _about.tensor_clock) its tensor rate is 56 x 2880 x 512 = 82.6 TFLOPS.
GEFORCE_GEMM_TFLOPS, GEFORCE_GEMM_AT_CLOCK_TFLOPS = 74.4, 56 * 2880 * 512 / 1e6
OLD_TORCH_POINT = "nanoGPT shakespeare_char, whole run on 1x A100 (about 3 minutes)"  # PyTorch 2.0, January 2023

BASE = {
    "optimizer_bytes_per_param": 40,  # fused AdamW: read p,g,m,v + write p,m,v (28 B) + clip_grad_norm (12 B)
    "iter_fixed_s": 0.002,  # zero_grad, loss.item() sync, GradScaler bookkeeping: estimate
    "allreduce_overlap": 0.5,  # share of DDP's all-reduce hidden behind the last backward: estimate
    "compile": {"logit_bytes": 10, "host_base_s": 0.0, "forward_share": 1 / 3},  # a forward is 2N of 6N FLOPs
    "eager": {"logit_bytes": 38, "host_base_s": 0.0, "forward_share": 1 / 3},  # refitted in fit_warmup
    "eager_host_ratio": 2.0,
    "ridge_ref": H100_SPEC_BF16_TFLOPS * 1e12 / (H100_SPEC_GBS * 1e9),  # FLOP per byte at which width_half holds
    "per_sm_ref": H100_SPEC_BF16_TFLOPS * 1e12 / 132,  # the H100 SXM's tensor rate per SM (132 SMs: datasheet)
    # L2 (speed.l2_hit): the largest activation of a layer is the MLP's hidden tensor, 4 x n_embd wide (nanoGPT
    # model.py MLP: c_fc is n_embd -> 4 n_embd); a layer's element-wise traffic stays in L2 as far as it fits
    "l2_tensor_widths": 4,
    # GPU Boost: a GeForce card runs above the boost clock its datasheet peak assumes while power and temperature
    # allow (NVIDIA: the rated boost clock is a typical, not a maximum, clock); reviews of the RTX 40 cards log
    # 2.7-2.8 GHz under load against rated 2.3-2.6 GHz. Datacenter and workstation cards hold at most their rating.
    "clock_headroom": {"consumer": 1.15},
    # A bare large matmul reaches about 90% of the tensor rate at the clock the card runs (cuBLAS on Ampere and Ada;
    # the H100 measured here reached 78% of its datasheet peak, which its power limit explains)
    "bare_gemm_share": 0.9,
    # PyTorch releases (speed.attention_cost, speed.micro_step_parts, estimate.resolve_dtype):
    "torch": {
        "flash_attention_2_from": "2.2",  # PyTorch 2.2 release notes: FlashAttention-2 in SDPA (~2x over FA1)
        "fa1_attention_cost": 2.0,  # Dao 2023 (FlashAttention-2): about 2x FlashAttention 1, forward + backward
        # float32: no autocast, so SDPA takes its memory-efficient kernel, whose fp32 path runs each product as three
        # TF32 ones (cutlass OpMultiplyAddFastF32, for accuracy), a third of the TF32 rate
        "fp32_attention_cost": 3.0,
        "inductor_from": "2.2",  # releases before this compile with the 2023 Inductor (old_inductor_factor, fitted)
        "bf16_emulation_from": "2.3",  # is_bf16_supported(including_emulation=True); 2.2 said False on a V100
    },
    # float32 (TF32) matmuls reach a smaller share of the TF32 peak than bf16 ones of the bf16 peak on Hopper: an H100
    # 80GB HBM3 ran 8192^3 matmuls at 372 TFLOPS TF32 (of 494.7) and 797.5 bf16 (of 989.4), PyTorch 2.7
    # (github.com/zzc0721/torch-performance-test-data/issues/79): (372 / 494.7) / (797.5 / 989.4) = 0.93. On Ada
    # the ratio is above 1 (RTX 4090, issues/78: 85.7 / 82.6 against 160.2 / 165.2): no correction there.
    "tf32_gemm_ratio": {"Hopper": round((372.05 / 494.7) / (797.51 / 989.4), 3)},
    # Many GPUs (calculator/parallel.py): the overlaps are refitted on the published multi-GPU rows
    # (tools/calibration_parallel.fit); these are where the fit starts and what the single-GPU fit runs with.
    "parallel": {
        "tp_overlap": 0.5,
        "fsdp_overlap": 0.9,
        # float8 (not fitted: no fp8 row in the shared data): an FP8 matmul reaches 0.75 of its 2x peak, so the
        # matmuls run 1.5x faster than in bf16 and a large model's step 1.3-1.4x, the end-to-end gains PyTorch
        # reports for float8 training with FSDP2 on Llama 3 8B to 405B ("Supercharging training using float8 and
        # FSDP2", PyTorch blog, 2024: 1.28-1.5x over bf16)
        "fp8_gemm_ratio": 0.75,
    },
}


def constants_from(p: list[float], gemm_eff: float, extra: dict) -> dict:
    """The model's constants from the fitted vector p = [width_half, act_c, host_c, act_e, l2_hit, g of the
    measured GeForce card (FITTED_CARDS), g per FITTED_CLASSES]. The GeForce class's g is measured (a bare matmul),
    so the GeForce card with runs of its own gets its own g in the fit, at most 1 at its real clock."""
    width_half, act_c, host_c, act_e, l2 = p[:5]
    c = json.loads(json.dumps(BASE))
    c.update(json.loads(json.dumps(extra)))
    c["l2_hit"] = min(l2, 1.0)
    n = len(FITTED_CARDS)
    cards = {k: min(g, 1.0) for k, g in zip(FITTED_CARDS, p[5:5 + n], strict=True)}
    classes = dict(zip(FITTED_CLASSES, p[5 + n:], strict=True))
    classes["hopper"] = gemm_eff
    classes["geforce"] = GEFORCE_GEMM_TFLOPS / GEFORCE_GEMM_AT_CLOCK_TFLOPS
    c["gemm_efficiency"] = {"classes": classes, "cards": cards,
                            "default": sorted(classes.values())[len(classes) // 2]}
    c["bw_efficiency"] = H100_MEASURED_COPY_GBS / H100_SPEC_GBS
    c["width_half"] = width_half
    c["compile"].update(act_bytes=act_c, host_layer_s=host_c)
    # eager runs move at least what compiled ones move (the same tensors, and the unfused intermediates on top)
    c["eager"].update(act_bytes=act_c * (1 + act_e), host_layer_s=host_c * c["eager_host_ratio"])
    return c


def nelder_mead(f, x0, steps, iters=4000, tol=1e-12):
    """Minimise f from x0 (Nelder & Mead 1965, standard coefficients)."""
    pts = [list(x0)] + [[x + (s if i == j else 0) for j, x in enumerate(x0)] for i, s in enumerate(steps)]
    vals = [f(p) for p in pts]
    for _ in range(iters):
        order = sorted(range(len(pts)), key=vals.__getitem__)
        pts, vals = [pts[i] for i in order], [vals[i] for i in order]
        if abs(vals[-1] - vals[0]) < tol:
            break
        n = len(x0)
        cen = [sum(p[j] for p in pts[:-1]) / n for j in range(n)]
        refl = [c + (c - w) for c, w in zip(cen, pts[-1], strict=True)]
        fr = f(refl)
        if fr < vals[0]:
            exp = [c + 2 * (c - w) for c, w in zip(cen, pts[-1], strict=True)]
            fe = f(exp)
            pts[-1], vals[-1] = (exp, fe) if fe < fr else (refl, fr)
        elif fr < vals[-2]:
            pts[-1], vals[-1] = refl, fr
        else:
            con = [c + 0.5 * (w - c) for c, w in zip(cen, pts[-1], strict=True)]
            fc = f(con)
            if fc < vals[-1]:
                pts[-1], vals[-1] = con, fc
            else:
                pts = [pts[0]] + [[b + 0.5 * (x - b) for b, x in zip(pts[0], p, strict=True)] for p in pts[1:]]
                vals = [vals[0]] + [f(p) for p in pts[1:]]
    best = min(range(len(pts)), key=vals.__getitem__)
    return pts[best], vals[best]


def fit_warmup(rows: list[dict], every: list[dict], c: dict) -> dict:
    """First-iteration constants. H100 server runs: the training compile (first_iter_s minus a steady step) of a
    6- and a 12-layer model, the eval-graph compile, a warm-cache recompile. RTX 4070 desktop logs (their iter 0
    holds the step-0 evaluation, 2 x eval_iters forward passes): the eager one gives the share of a training
    micro-step that an eval forward pass costs in eager mode, the compiled one what the compile costs on that
    machine relative to the H100 server (compile_scale)."""
    by = {r["name"]: r for r in rows if "cfg" in r}
    first = [by[n] for n in ("seed40m_bf16_compile", "gpt2_124m_bf16_compile")]
    pts = [(r["cfg"]["L"], r["first_iter_s"] - r["steady_ms"] / 1000) for r in first]
    (l1, t1), (l2, t2) = pts
    slope = (t2 - t1) / (l2 - l1)
    base = t1 - slope * l1
    startups = sorted(r["t_cuda_init_s"] + r["t_model_s"] for r in by.values())
    ev = by["seed40m_eval200"]["eval_both_splits_s"]
    cached = by["seed40m_fp16_compile"]
    eager = by["seed40m_bf16_eager"]
    w = {
        "startup_s": startups[len(startups) // 2],  # median: CUDA init + model build and .to(device)
        "compile_base_s": base,
        "compile_layer_s": slope,
        "eval_compile_ratio": (ev[0] - ev[1]) / t1,  # eval-graph compile over the 6-layer training compile
        "cached_ratio": (cached["first_iter_s"] - cached["steady_ms"] / 1000) / t1,
        "eager_first_step_extra_s": eager["first_iter_s"] - eager["steady_ms"] / 1000,
        "compile_scale": {},
        # the compile part's range: from a warm cache to a cold one on a slow machine ("varies a lot between
        # machines": 8 s to 27 s in llm.c's README, nanoGPT issue #178, modded-nanogpt issue #19); 1.6 x covers
        # the slowest published compile
        "range": [0.13, 1.6],
    }
    desk = {m["name"]: m for m in every if m["family"].startswith("RTX 4070") and not m["held_out"]}
    m = next(m for m in desk.values() if not m["inputs"]["compile"])
    full = {**c, "warmup": w, "eager": {**c["eager"], "forward_share": 1.0}}
    eval_full = compute(m["inputs"], full)["eval_each_seconds"]  # 2 x eval_iters whole micro-steps
    eager_share = (m["first_iter_s"] - m["steady_s"] - w["eager_first_step_extra_s"]) / eval_full
    m = next(m for m in desk.values() if m["inputs"]["compile"])
    cc = {**c, "warmup": w, "eager": {**c["eager"], "forward_share": eager_share}}
    r = compute(m["inputs"], cc)
    cold = (base + slope * m["inputs"]["n_layer"]) * (1 + w["eval_compile_ratio"])
    left = m["first_iter_s"] - m["steady_s"] - r["eval_each_seconds"]
    # never below a warm cache on the H100 server: a smaller remainder is within the evaluation's own error
    w["compile_scale"] = {"consumer": max(left / cold, w["cached_ratio"])}
    w["eager_forward_share"] = eager_share
    w["range"] = [round(w["cached_ratio"], 2), 1.6]
    return w


def rel_error_ab(p: float, m: float) -> float:
    return p / m - 1


def fit_memory(rows: list[dict]) -> dict:
    """Solve peak_mem - 16 B x params = tokens x (L x E x act + V x logit) on two compile runs; eager: one
    multiplier on both from the eager run. The 124M run is held out."""
    by = {r["name"]: r for r in rows if "cfg" in r}

    def terms(r):
        c = r["cfg"]
        tok = c["B"] * c["T"]
        rest = r["peak_mem_gib"] * 2**30 - 16 * r["params_total"]
        return tok * c["L"] * c["E"], tok * c["V"], rest

    (a1, b1, y1), (a2, b2, y2) = terms(by["seed40m_bf16_compile"]), terms(by["shakespeare_char_bf16_compile"])
    det = a1 * b2 - a2 * b1
    act = (y1 * b2 - y2 * b1) / det
    logit = (a1 * y2 - a2 * y1) / det
    ae, be, ye = terms(by["seed40m_bf16_eager"])
    k = ye / (ae * act + be * logit)
    out = {"compile": {"act_bytes": act, "logit_bytes": logit},
           "eager": {"act_bytes": act * k, "logit_bytes": logit * k}}
    errs = {}
    for name, r in by.items():
        if name.startswith("_"):
            continue
        a, b, y = terms(r)
        m = out["compile" if r["cfg"]["compile"] else "eager"]
        pred = 16 * r["params_total"] + a * m["act_bytes"] + b * m["logit_bytes"]
        errs[name] = rel_error_ab(pred, r["peak_mem_gib"] * 2**30)
    out["errors"] = errs
    out["held_out"] = ["gpt2_124m_bf16_compile", "seed40m_eval200"]
    return out


def _log_loss(points: list[dict], c: dict) -> float:
    return sum(math.log(cd.predict_step_s(m, c) / m["steady_s"]) ** 2 for m in points)


def _solve_1d(f, lo: float = 0.05, hi: float = 3.0) -> float:
    """The root of a function that rises with x, by bisection (f(lo) < 0 < f(hi) is assumed, else an end)."""
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
    return (lo + hi) / 2


def _with_card(c: dict, gpu_id: str, g: float) -> dict:
    """The constants with one card's gemm_efficiency set (and no other card's)."""
    return {**c, "gemm_efficiency": {**c["gemm_efficiency"], "cards": {gpu_id: g}}}


def _with_class(c: dict, cls: str, g: float) -> dict:
    """The constants with one class's gemm_efficiency set, and no per-card values."""
    ge = c["gemm_efficiency"]
    return {**c, "gemm_efficiency": {**ge, "cards": {}, "classes": {**ge["classes"], cls: g}}}


def _fit_g(points: list[dict], trial, hi: float = 1.0) -> float:
    """The g for which the model's mean log error on these points is zero, with trial(g) the constants to try
    (the other constants held; time falls as g rises). g is the rate at the clock the card holds, so never above 1
    (hi): a card that would need more is faster for a reason the model leaves out, and keeps the error."""
    return _solve_1d(lambda g: -sum(math.log(cd.predict_step_s(m, trial(g)) / m["steady_s"]) for m in points),
                     hi=hi)


def fit_old_torch(c: dict) -> None:
    """old_inductor_factor: what PyTorch 2.0-2.1's Inductor costs on the element-wise traffic and the launches of a
    compiled step, fitted on the one published 2023 run whose configuration is known (OLD_TORCH_POINT: nanoGPT's
    shakespeare_char on an A100, January 2023), after FlashAttention 1's cost (counted, not fitted)."""
    point = next(p for p in json.loads(cd.PUBLIC.read_text())["points"] if p["name"] == OLD_TORCH_POINT)
    v = cd.schema.validate(point["inputs"])

    def err(k):
        c["torch"]["old_inductor_factor"] = k
        return math.log(compute(v, c)[point["compare"]] / point["measured"])

    c["torch"]["old_inductor_factor"] = _solve_1d(err, 0.5, 5.0)


def fit_devices(c: dict, points: list[dict]) -> None:
    """mps and cpu: nanoGPT runs them eager in float32. mps: its g (the achievable share of the GPU's FP32 peak) is
    fitted on the M3 Max run, which the arithmetic bounds, and its launch cost per layer on the M2 Max run (a
    4-layer, 64-wide model that the launches bound). cpu: g fitted on the M3 Max's CPU run; no launch term (ops run
    synchronously, inside the arithmetic)."""
    d = c["devices"]
    d["mps"] = {"host_layer_s": c["eager"]["host_layer_s"]}
    d["cpu"] = {"host_layer_s": 0.0}
    by = {m["name"]: m for m in points}
    m3 = [m for m in points if m["inputs"]["device"] == "mps" and "M3" in m["name"]]
    m2 = [m for m in points if m["inputs"]["device"] == "mps" and "M2" in m["name"]]
    cpu = [m for m in points if m["inputs"]["device"] == "cpu"]
    del by

    def with_g(device, g):
        return {**c, "devices": {**d, "gemm_efficiency": {**d["gemm_efficiency"], device: g}}}

    def with_host(h):
        return {**c, "devices": {**d, "mps": {"host_layer_s": h}}}

    for _ in range(4):  # the two mps constants bound different runs; a few rounds settle them
        d["gemm_efficiency"]["mps"] = _fit_g(m3, lambda g: with_g("mps", g))
        d["mps"] = {"host_layer_s": _solve_1d(lambda h: sum(math.log(cd.predict_step_s(m, with_host(h)) /
                                                                      m["steady_s"]) for m in m2), 1e-5, 0.1)}
    d["gemm_efficiency"]["cpu"] = _fit_g(cpu, lambda g: with_g("cpu", g))


def _perf_class(gpu_id: str) -> str:
    from calculator import gpus

    return gpus.get_gpu(gpu_id)["perf_class"]


def fit(rows: list[dict], directory: Path | None = None) -> dict:
    gemm = next(r for r in rows if r["name"] == "_gemm")["bf16_8192_tflops"]
    gemm_eff = gemm / H100_SPEC_BF16_TFLOPS
    every = cd.measurements(directory)
    train = [m for m in every if not m["held_out"] and m["inputs"]["device"] == "cuda"]
    extra = {"warmup": {}, "memory": fit_memory(rows),
             "mfu_range": {"card": [1, 1], "classes": {}, "default": [1, 1], "devices": {"default": [1, 1]}},
             "devices": {"mps": {}, "cpu": {}, "gemm_efficiency": {"mps": 0.5, "cpu": 0.5}}}

    def loss(logp):
        if any(abs(v) > 30 for v in logp):
            return 1e9
        return _log_loss(train, constants_from([math.exp(v) for v in logp], gemm_eff, extra))

    x0 = [math.log(v) for v in (150.0, 230.0, 1.4e-3, 0.1, 0.5, 0.95, 0.9, 0.6, 0.9)]
    best, _ = nelder_mead(loss, x0, [0.3] * len(x0))
    best, _ = nelder_mead(loss, best, [0.05] * len(x0))  # restart: Nelder-Mead can stall on a flat simplex
    c = constants_from([math.exp(v) for v in best], gemm_eff, extra)
    c["torch"]["old_inductor_factor"] = 1.0

    # leave one card out: each class value refitted without a card predicts that card
    loco = []
    by_card: dict[str, list[dict]] = {}
    for m in train:
        by_card.setdefault(m["gpu"], []).append(m)  # cuda runs only (mps and cpu: fit_devices)
    for gpu_id, points in by_card.items():
        cls = _perf_class(gpu_id)
        others = [m for g, pts in by_card.items() if g != gpu_id and _perf_class(g) == cls for m in pts]
        if not others or cls not in FITTED_CLASSES:
            continue
        trial = _with_class(c, cls, _fit_g(others, lambda g, cls=cls: _with_class(c, cls, g)))
        for m in points:
            loco.append({"name": m["name"], "class": cls, "error": cd.rel_error(cd.predict_step_s(m, trial),
                                                                                  m["steady_s"])})
    # each measured card gets its own value
    # (the H100 SXM keeps the measured bare-matmul rate: the class value is that card's own measurement)
    c["gemm_efficiency"]["cards"] = {
        gpu_id: _fit_g(points, lambda g, gpu_id=gpu_id: _with_card(c, gpu_id, g))
        for gpu_id, points in by_card.items() if gpu_id != "h100-sxm"}
    c["warmup"] = fit_warmup(rows, every, c)
    c["eager"]["forward_share"] = c["warmup"].pop("eager_forward_share")
    fit_old_torch(c)
    fit_devices(c, [m for m in every if not m["held_out"] and m["inputs"]["device"] != "cuda"])

    table = cd.error_table(c, directory)
    held = cd.held_out_errors(rows, c)
    old_torch = [h for h in held if h["name"] == OLD_TORCH_POINT]  # fitted: old_inductor_factor (fit_old_torch)
    held = [h for h in held if h["name"] != OLD_TORCH_POINT]
    families: dict[str, list[float]] = {}
    for t in table:
        families.setdefault(t["family"], []).append(abs(t["error"]))
    c["fit"] = {
        "measurements": table,  # every shared measurement: steady step, and iteration 0 where measured
        "fitted_on": {t["name"]: t["error"] for t in table if not t["held_out"]},
        "held_out": [{k: t[k] for k in ("name", "measured_s", "predicted_s", "error")} for t in table
                     if t["held_out"]] + held,
        "leave_one_card_out": loco,
        "old_torch_point": old_torch[0] if old_torch else None,  # the PyTorch 2.0 run old_inductor_factor is fitted on
        "families": {f: {"points": len(e), "mean_abs_error": sum(e) / len(e), "max_abs_error": max(e)}
                     for f, e in families.items()},
        "source": "the H100 runs measured for this project, the RTX 4070 logs and the public GPT-2 124M sweep "
                  "(calibration data), published runs (tools/public_points.json); refit with python -m tools.calibrate",
    }
    # The MFU ranges: real MFU = the model's x (predicted / measured time) = x (1 + error); each covers its evidence,
    # rounded out by 0.05. "card": cards with their own measurements (every fitted and held-out error of those);
    # per class: its leave-one-card-out errors; "default" (classes with one card or none): all of those together.
    transfer = [x["error"] for x in loco] + [h["error"] for h in held if not h.get("superseded_by")]

    def span(errors):
        return [round(1 + min(min(errors), 0) - 0.05, 2), round(1 + max(max(errors), 0) + 0.05, 2)]

    by_class: dict[str, list[float]] = {}
    for x in loco:
        by_class.setdefault(x["class"], []).append(x["error"])
    cuda_own = [t["error"] for t in table if ":" not in t["gpu"]] + [h["error"] for h in held if "source" not in h]
    dev = [t["error"] for t in table if ":" in t["gpu"]]
    classes = {k: span(v) for k, v in by_class.items() if len(v) >= 2}
    # GeForce: g is measured (a bare matmul), not fitted on the class, so its check is the GeForce run held out of
    # every fit (the 2x RTX 4090) with the RTX 4070's own errors; one card predicted, so twice its margin
    gf = [t["error"] for t in table if ":" not in t["gpu"] and _perf_class(t["gpu"]) == "geforce"]
    classes["geforce"] = [round(x, 2) for x in (span(gf)[0] - 0.05, span(gf)[1] + 0.05)]
    c["mfu_range"] = {"card": span(cuda_own), "classes": classes,
                      "default": span(transfer + cuda_own),
                      # mps and cpu: the Apple runs' errors, fitted and held out, and (assumed, one chip measured per
                      # device) 25% more either way for a chip with no run of its own
                      "devices": {"default": [round(x, 2) for x in (span(dev)[0] - 0.25, span(dev)[1] + 0.25)]}}
    errs = [abs(e["error"]) for e in c["fit"]["held_out"] if not e.get("superseded_by")]
    c["fit"]["held_out_mean_abs_error"] = sum(errs) / len(errs)
    from . import calibration_parallel  # many GPUs: fitted last, on the single-GPU constants

    calibration_parallel.fit(c, directory)
    return _rounded(c)


def _rounded(obj):
    if isinstance(obj, float):
        return float(f"{obj:.6g}")
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    return obj


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibration", type=Path, default=cd.default_dir())
    ap.add_argument("--check", action="store_true", help="fail if the committed constants differ from a refit")
    args = ap.parse_args(argv)
    rows = cd.load_rows(args.calibration)
    c = fit(rows)
    text = json.dumps(c, indent=2) + "\n"
    if args.check:
        old = json.loads(OUT.read_text())
        same = _close(old, c)
        print("speed_model.json matches a refit" if same else "speed_model.json differs from a refit")
        return 0 if same else 1
    OUT.write_text(text)
    print(text)
    return 0


def _close(a, b, rel=1e-3) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], rel) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_close(x, y, rel) for x, y in zip(a, b, strict=True))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)
    return a == b


if __name__ == "__main__":
    raise SystemExit(main())
