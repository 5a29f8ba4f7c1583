"""Reading the calibration data (shared/calibration) as one list of measurements, and scoring the model on them;
used by tools/calibrate.py, tools/docs.py and tests/test_calibration.py. Not shipped in the page.

Three sources, each read from the files as they are (nothing here restates a measured number):
- h100-nanogpt.jsonl: nanoGPT runs on one H100 SXM measured for this project (steady step, iteration 0, eval passes);
- rtx4070/*.log: real nanoGPT train.py logs from one RTX 4070 (steady ms/iter = median of the iterations that hold no
  evaluation, iteration 0 as printed); which config each ran is in calibration_runs.json;
- public-sweep.jsonl: the same GPT-2 124M script on eleven GPU configurations (one logged step after compile).
"""

from __future__ import annotations

import json
import os
import re
import statistics
from pathlib import Path

from calculator import gpus, schema, speed
from calculator.estimate import compute, workload

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = Path(__file__).with_name("public_points.json")
RUNS = json.loads(Path(__file__).with_name("calibration_runs.json").read_text())

# Never used by any fit: the model is judged on these (besides the per-class leave-one-card-out check).
HOLD_OUT = {
    "seed40m_eval200",  # H100, gradient_accumulation_steps=1: a different share of optimizer and fixed costs
    "seed40m_fp16_compile",  # H100, float16 with GradScaler, and a compile from a warm cache
    "RTX 4070: GPT-2 124M, 4 x 8, eager (smoke test)",
    "sweep: A100 SXM 80GB x 2",  # data-parallel runs: the all-reduce model is tested, not fitted
    "sweep: A100 SXM 80GB x 8",
    # the GeForce physics (sustained clock, L2) is fitted on the RTX 4070 alone and judged on the RTX 4090s
    "consumer: 2x RTX 4090, GPT-2 124M, 32 x 8, compile (llm.c train_gpt2.py, PyTorch 2.5)",
}

# consumer-public.jsonl: which catalogue entry each run ran on, and its PyTorch release (from the row's notes)
CONSUMER = {
    "m3max_mps_shakespeare_char_nocompile": ("consumer: Apple M3 Max, mps, shakespeare_char (PyTorch nightly 2025-09)",
                                             "apple-m3-max", "2.9"),
    "m3max_cpu_shakespeare_char": ("consumer: Apple M3 Max, cpu, shakespeare_char", "apple-m3-max", "2.9"),
    "m2max_mps_tiny_bpe_shakespeare_2023": (
        "consumer: Apple M2 Max, mps, 4/4/64 tiny BPE model (nanoGPT of Feb 2023, PyTorch 2.0)", "apple-m2-max", "2.0"),
    "2x_rtx4090_llmc_pytorch_train_gpt2_124M_B32_GA8_compile": (
        "consumer: 2x RTX 4090, GPT-2 124M, 32 x 8, compile (llm.c train_gpt2.py, PyTorch 2.5)", "rtx-4090", "2.5"),
}


def default_dir() -> Path:
    """shared/calibration: $CALIBRATION_DIR, or ../shared beside the checkout (as CI lays it), or ./shared."""
    if os.environ.get("CALIBRATION_DIR"):
        return Path(os.environ["CALIBRATION_DIR"])
    for base in (ROOT.parent / "shared", ROOT / "shared"):
        if (base / "calibration").is_dir():
            return base / "calibration"
    return ROOT.parent / "shared" / "calibration"


def load_rows(directory: Path | None = None) -> list[dict]:
    path = Path(directory or default_dir()) / "h100-nanogpt.jsonl"
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def inputs_of(row: dict, gpu: str = "h100-sxm") -> dict:
    c = row["cfg"]
    return schema.validate(n_layer=c["L"], n_head=c["H"], n_embd=c["E"], vocab_size=c["V"], block_size=c["T"],
                           batch_size=c["B"], gradient_accumulation_steps=c["A"], dtype=c["dtype"],
                           compile=c["compile"], gpu=gpu, bias=False, max_iters=0,
                           eval_iters=c.get("eval_iters", 0))


_ITER = re.compile(r"^iter (\d+): loss [-\d.naif]+, time ([\d.]+)ms")


def read_nanogpt_log(path: Path) -> dict:
    """Iteration 0 and the steady time per iteration of a nanoGPT train.py log: the median over iterations > 0
    that hold no evaluation (nanoGPT prints "step N: train loss ..." before the iteration that carries it)."""
    first = None
    steady = []
    after_eval = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("step ") or line.startswith("saving checkpoint"):
            after_eval = True
            continue
        m = _ITER.match(line)
        if not m:
            continue
        it, ms = int(m.group(1)), float(m.group(2))
        if it == 0:
            first = ms / 1000
        elif not after_eval:
            steady.append(ms / 1000)
        after_eval = False
    return {"first_iter_s": first, "steady_s": statistics.median(steady), "count": len(steady)}


def measurements(directory: Path | None = None) -> list[dict]:
    """Every measurement as {name, source, family, gpu, inputs (validated), steady_s, first_iter_s or None,
    cache ('cold' | 'warm' | 'unknown'), held_out}."""
    base = Path(directory or default_dir())
    out = []
    for r in load_rows(base):
        if "cfg" not in r:
            continue
        warm = r["name"] in ("seed40m_fp16_compile", "seed40m_eval200")  # the same graph compiled just before
        out.append({"name": r["name"], "source": "H100 SXM runs measured for this project (h100-nanogpt.jsonl)",
                    "family": "H100 SXM (own runs)", "gpu": "h100-sxm", "inputs": inputs_of(r),
                    "steady_s": r["steady_ms"] / 1000, "first_iter_s": r["first_iter_s"],
                    "cache": "warm" if warm else "cold", "eval_s": (r.get("eval_both_splits_s") or [None, None])[1]})
    for run in RUNS["rtx4070"]:
        got = read_nanogpt_log(base / "rtx4070" / run["file"])
        out.append({"name": run["name"], "source": f"real RTX 4070 nanoGPT log (rtx4070/{run['file']})",
                    "family": "RTX 4070 (real logs)", "gpu": "rtx-4070",
                    "inputs": schema.validate({**run["inputs"], "max_iters": 0}),
                    "steady_s": got["steady_s"], "first_iter_s": got["first_iter_s"], "cache": "unknown"})
    with open(base / "public-sweep.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            d = json.loads(line)
            gpu = gpus.get_gpu(d["gpu"])["id"]  # the catalogue reads the rental listing's names
            inputs = schema.validate(
                n_layer=d["n_layer"], n_head=d["n_head"], n_embd=d["n_embd"], vocab_size=d["vocab_size"],
                block_size=d["block_size"], bias=d["bias"], batch_size=d["batch_size"],
                gradient_accumulation_steps=d["gradient_accumulation_steps"], num_gpus=d["num_gpus"],
                dtype=d["dtype"], compile=d["compile"], gpu=gpu, max_iters=0, eval_iters=0)
            out.append({"name": f"sweep: {d['gpu'].split(' (')[0]} x {d['num_gpus']}",
                        "source": d["source"], "family": "public GPT-2 124M sweep", "gpu": gpu, "inputs": inputs,
                        "steady_s": d["ms_per_iter"] / 1000, "first_iter_s": None, "cache": "unknown"})
    path = base / "consumer-public.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            d = json.loads(line)
            name, gpu, torch_version = CONSUMER[d["name"]]
            inputs = schema.validate({**d["inputs"], "num_gpus": d["num_gpus"], "device": d["device"], "gpu": gpu,
                                      "torch_version": torch_version, "max_iters": 0, "eval_iters": 0})
            out.append({"name": name, "source": d["source_url"].split(" ")[0], "family": "consumer public runs",
                        "gpu": gpu if d["device"] == "cuda" else f"{gpu}:{d['device']}", "inputs": inputs,
                        "steady_s": d["ms_per_iter"] / 1000, "first_iter_s": None, "cache": "unknown"})
    for m in out:
        m["held_out"] = m["name"] in HOLD_OUT
    return out


def predict_step_s(m: dict, constants: dict) -> float:
    return workload(m["inputs"], constants)["parts"]["iteration_s"]


def rel_error(predicted: float, measured: float) -> float:
    """predicted / measured - 1 on a time: negative = the model is too fast (optimistic)."""
    return predicted / measured - 1


def first_iter_prediction(m: dict, constants: dict) -> float:
    """What nanoGPT would print for iteration 0 (H100 runs: measured without the step-0 evaluation)."""
    from calculator import warmup

    r = compute(m["inputs"], constants)
    step = r["model_ms_per_iter"] / 1000
    eval_s = r["eval_each_seconds"] if m["family"].startswith("RTX 4070") else 0.0
    return warmup.first_iteration(m["inputs"]["n_layer"], m["inputs"]["compile"], step, eval_s, constants,
                                  r["gpu"]["segment"], cached=m["cache"] == "warm")["first_iter_logged_seconds"]


def error_table(constants: dict, directory: Path | None = None) -> list[dict]:
    """The model against every measurement: steady step, and iteration 0 where measured."""
    rows = []
    for m in measurements(directory):
        p = predict_step_s(m, constants)
        row = {"name": m["name"], "family": m["family"], "gpu": m["gpu"], "held_out": m["held_out"],
               "measured_s": m["steady_s"], "predicted_s": p, "error": rel_error(p, m["steady_s"])}
        if m["first_iter_s"] is not None:
            p0 = first_iter_prediction(m, constants)
            row.update(first_measured_s=m["first_iter_s"], first_predicted_s=p0,
                       first_error=rel_error(p0, m["first_iter_s"]))
        rows.append(row)
    return rows


def held_out_errors(rows: list[dict], constants: dict) -> list[dict]:
    """The H100 eval passes and the published points (steady steps of held-out runs are in error_table)."""
    out = []
    by_name = {r["name"]: r for r in rows}
    r = by_name.get("seed40m_eval200")
    if r and r.get("eval_both_splits_s"):
        res = compute(inputs_of(r), constants)
        p = res["eval_each_seconds"] * res["ms_per_iter"] / res["model_ms_per_iter"]
        m = r["eval_both_splits_s"][1]  # the second call: the eval graph already compiled
        out.append({"name": f"seed40m_eval200: 2 x {r['cfg']['eval_iters']} eval forward passes", "measured_s": m,
                    "predicted_s": p, "error": rel_error(p, m)})
    for point in json.loads(PUBLIC.read_text())["points"]:
        res = compute(schema.validate(point["inputs"]), constants)
        p = res[point["compare"]] / (1000 if point["compare"].startswith("ms_") else 1)
        m = point["measured"]
        out.append({"name": point["name"], "measured_s": m, "predicted_s": p, "error": rel_error(p, m),
                    "source": point["source"], "superseded_by": point.get("superseded_by")})
    return out


def implied_mfu(m: dict) -> float:
    """The MFU a measured run reached on its card (nanoGPT's FLOPs count over the card's peak)."""
    r = compute({**m["inputs"], "observed_ms_per_iter": m["steady_s"] * 1000}, speed.CONSTANTS)
    return r["observed"]["implied_mfu"]
