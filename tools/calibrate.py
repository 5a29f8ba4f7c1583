"""Fit the speed model's free constants on the H100 measurements in shared/calibration, and write
calculator/data/speed_model.json with the values, what they were fitted on and how well held-out data is predicted.

    python -m tools.calibrate [--calibration ../shared/calibration] [--check]

Standard library only (a small Nelder-Mead), so the fit reruns anywhere. --check refits and fails if the committed
constants differ, so the JSON can't drift from the data.

What is fitted and what is not:
- gemm_efficiency: measured, not fitted: the `_gemm` line (8192^3 bf16 matmul, TFLOP/s) over the H100 SXM spec peak.
- bw_efficiency: the device-to-device copy rate measured on the same H100 (~3.0 TB/s, gpu-peaks.md) over 3.35 TB/s.
- logit_bytes: counted, not fitted. compile: logits written (2 B), read by the fused cross-entropy (2 B), gradient
  written (2 B) and read by the two backward matmuls (4 B) = 10 B per logit. eager: the same plus the fp32 upcast,
  log_softmax and its gradient materialised in fp32 (~28 B more) = 38 B.
- host time in eager mode: assumed 2x compile's per layer (more, unfused kernels); one eager run can't separate it.
- fitted (least squares on log time): width_half, compile act_bytes, compile host_layer_s, eager act_bytes.
Held out: the A=1 training run (seed40m_eval200, steady step), its eval forward passes, and two published points.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calculator import speed  # noqa: E402
from tools import calibration_data as cd  # noqa: E402

OUT = ROOT / "calculator" / "data" / "speed_model.json"
FIT_ON = ["seed40m_bf16_compile", "gpt2_124m_bf16_compile", "shakespeare_char_bf16_compile", "seed40m_bf16_eager"]
H100_SPEC_BF16_TFLOPS = 989.4  # H100 SXM datasheet, dense BF16 (shared/reference/gpu-peaks.md)
H100_SPEC_GBS = 3350.0  # H100 SXM datasheet HBM3 bandwidth
H100_MEASURED_COPY_GBS = 3000.0  # gpu-peaks.md: "a device-to-device copy moved ~3.0 TB/s"

BASE = {
    "optimizer_bytes_per_param": 40,  # fused AdamW: read p,g,m,v + write p,m,v (28 B) + clip_grad_norm (12 B)
    "iter_fixed_s": 0.002,  # zero_grad, loss.item() sync, GradScaler bookkeeping: estimate
    "allreduce_overlap": 0.5,  # share of DDP's all-reduce hidden behind the last backward: estimate
    "compile": {"logit_bytes": 10, "host_base_s": 0.0},
    "eager": {"logit_bytes": 38, "host_base_s": 0.0},
    "eager_host_ratio": 2.0,
}


def constants_from(p: list[float], gemm_eff: float, extra: dict) -> dict:
    width_half, act_c, host_c, act_e = p
    c = json.loads(json.dumps(BASE))
    c.update(json.loads(json.dumps(extra)))
    c["gemm_efficiency"] = gemm_eff
    c["bw_efficiency"] = H100_MEASURED_COPY_GBS / H100_SPEC_GBS
    c["width_half"] = width_half
    c["compile"].update(act_bytes=act_c, host_layer_s=host_c)
    c["eager"].update(act_bytes=act_e, host_layer_s=host_c * c["eager_host_ratio"])
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
        refl = [c + (c - w) for c, w in zip(cen, pts[-1])]
        fr = f(refl)
        if fr < vals[0]:
            exp = [c + 2 * (c - w) for c, w in zip(cen, pts[-1])]
            fe = f(exp)
            pts[-1], vals[-1] = (exp, fe) if fe < fr else (refl, fr)
        elif fr < vals[-2]:
            pts[-1], vals[-1] = refl, fr
        else:
            con = [c + 0.5 * (w - c) for c, w in zip(cen, pts[-1])]
            fc = f(con)
            if fc < vals[-1]:
                pts[-1], vals[-1] = con, fc
            else:
                pts = [pts[0]] + [[b + 0.5 * (x - b) for b, x in zip(pts[0], p)] for p in pts[1:]]
                vals = [vals[0]] + [f(p) for p in pts[1:]]
    best = min(range(len(pts)), key=vals.__getitem__)
    return pts[best], vals[best]


def fit_warmup(rows: list[dict]) -> dict:
    """First-iteration constants from the compile runs (first_iter_s minus a steady step)."""
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
    return {
        "startup_s": startups[len(startups) // 2],  # median: CUDA init + model build and .to(device)
        "compile_base_s": base,
        "compile_layer_s": slope,
        "eval_compile_ratio": (ev[0] - ev[1]) / t1,  # eval-graph compile over the 6-layer training compile
        "cached_ratio": (cached["first_iter_s"] - cached["steady_ms"] / 1000) / t1,
        "eager_first_step_extra_s": eager["first_iter_s"] - eager["steady_ms"] / 1000,
        # compile time "varies a lot" between machines (public-points.md row 12: 8 s to 27 s): a wide range
        "range": [0.5, 1.6],
        "held_out": {"shakespeare_char compile (6 layers, dropout)": rel_error_ab(
            base + slope * 6, by["shakespeare_char_bf16_compile"]["first_iter_s"]
            - by["shakespeare_char_bf16_compile"]["steady_ms"] / 1000)},
    }


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


def fit(rows: list[dict]) -> dict:
    gemm = next(r for r in rows if r["name"] == "_gemm")["bf16_8192_tflops"]
    gemm_eff = gemm / H100_SPEC_BF16_TFLOPS
    train = [r for r in rows if r.get("name") in FIT_ON]
    extra = {"warmup": fit_warmup(rows), "memory": fit_memory(rows), "mfu_range": [1.0, 1.0]}

    def loss(logp):
        if any(abs(v) > 30 for v in logp):
            return 1e9
        c = constants_from([math.exp(v) for v in logp], gemm_eff, extra)
        return sum(math.log(cd.predict_step_s(r, c) / (r["steady_ms"] / 1000)) ** 2 for r in train)

    x0 = [math.log(v) for v in (200.0, 100.0, 1e-3, 300.0)]
    best, _ = nelder_mead(loss, x0, [0.5] * 4)
    best, _ = nelder_mead(loss, best, [0.1] * 4)  # restart: Nelder-Mead can stall on a flat simplex
    c = constants_from([math.exp(v) for v in best], gemm_eff, extra)
    c["fit"] = {
        "fitted_on": {r["name"]: cd.rel_error(cd.predict_step_s(r, c), r["steady_ms"] / 1000) for r in train},
        "held_out": cd.held_out_errors(rows, c),
        "source": "shared/calibration/h100-nanogpt.jsonl and public-points.md; refit with python -m tools.calibrate",
    }
    errs = [abs(e["error"]) for e in c["fit"]["held_out"]]
    # The MFU range: wide enough to cover every point, fitted or held out, that the model mispredicts, rounded
    # out by 0.05. error = predicted/measured time - 1, so the real MFU is the model's x (1 + error).
    every = list(c["fit"]["fitted_on"].values()) + [e["error"] for e in c["fit"]["held_out"]]
    c["mfu_range"] = [round(1 + min(every) - 0.05, 2), round(1 + max(every) + 0.05, 2)]
    c["fit"]["held_out_mean_abs_error"] = sum(errs) / len(errs)
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
        return len(a) == len(b) and all(_close(x, y, rel) for x, y in zip(a, b))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=rel, abs_tol=1e-9)
    return a == b


if __name__ == "__main__":
    raise SystemExit(main())
