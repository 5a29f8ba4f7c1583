"""Reading the calibration data (shared/calibration) and scoring the model on it; used by tools/calibrate.py and
tests/test_calibration.py. Not shipped in the page."""

from __future__ import annotations

import json
import os
from pathlib import Path

from calculator.estimate import compute
from calculator import schema

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = Path(__file__).with_name("public_points.json")

# The held-out checks: never used by the fit.
HOLD_OUT_STEP = ["seed40m_eval200", "seed40m_fp16_compile"]


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
                           eval_iters=c.get("eval_iters", 200))


def predict_step_s(row: dict, constants: dict) -> float:
    return compute(inputs_of(row), constants)["model_ms_per_iter"] / 1000


def rel_error(predicted: float, measured: float) -> float:
    """predicted / measured - 1 on a time: negative = the model is too fast (optimistic)."""
    return predicted / measured - 1


def held_out_errors(rows: list[dict], constants: dict) -> list[dict]:
    out = []
    by_name = {r["name"]: r for r in rows}
    for name in HOLD_OUT_STEP:
        r = by_name.get(name)
        if r:
            p = predict_step_s(r, constants)
            out.append({"name": f"{name}: steady step", "measured_s": r["steady_ms"] / 1000, "predicted_s": p,
                        "error": rel_error(p, r["steady_ms"] / 1000)})
        if r and r.get("eval_both_splits_s"):
            res = compute(inputs_of(r), constants)
            p = res["eval_each_seconds"] * res["ms_per_iter"] / res["model_ms_per_iter"]
            m = r["eval_both_splits_s"][1]  # the second call: the eval graph already compiled
            out.append({"name": f"{name}: 2 x {r['cfg']['eval_iters']} eval forward passes", "measured_s": m,
                        "predicted_s": p, "error": rel_error(p, m)})
    for point in json.loads(PUBLIC.read_text())["points"]:
        res = compute(schema.validate(point["inputs"]), constants)
        p = res[point["compare"]] / (1000 if point["compare"].startswith("ms_") else 1)
        m = point["measured"]
        out.append({"name": point["name"], "measured_s": m, "predicted_s": p, "error": rel_error(p, m),
                    "source": point["source"]})
    return out
