"""Is an observed or claimed speed physically possible on this GPU, and if not, by how much is it off?

The bound is simple physics: a step needs flops_per_iter FLOPs (nanoGPT's own count, per GPU), and no GPU does
more than its tensor cores at the highest clock it runs at: the datasheet peak, or a little more on GeForce cards,
which boost above the clock their datasheet peak assumes (speed.mfu_bounds). Above the rate a bare, large matmul
reaches on the card (78% of peak on the H100, measured; the fitted rate of the card's class elsewhere) no real
training step has been measured, so such a claim is implausible. Every measured run in the calibration data passes
both bounds (tests/test_calibration.py).
"""

from __future__ import annotations

from . import fmt

SLOW_CAUSES = (
    "the GPU is shared or thermally/power throttled",
    "the data loader or CPU cannot keep up (check GPU utilisation in nvidia-smi)",
    "torch.compile is off or recompiling (look for recompilation warnings)",
    "a slower dtype than you think (float32, or bfloat16 emulated on a GPU without BF16 tensor cores)",
    "batch_size too small to fill the GPU",
)


def judge(r: dict, bounds: dict) -> dict:
    """Verdict on r["observed"] (from estimate.compute): impossible / implausible / optimistic / as expected / slow,
    against bounds (speed.mfu_bounds of the card) and the model's MFU range (r["model_mfu_low"/"_high"])."""
    obs = r["observed"]
    implied = obs["implied_mfu"]
    ms = r["ms_per_iter"]
    model_ms = r["model_ms_per_iter"]
    mfu_cap = bounds["implausible"]
    model_lo, model_hi = r["model_mfu_low"], r["model_mfu_high"]
    gpu = r["gpu"]["name"]
    need_tflops = r["flops_per_iter_per_gpu"] / (ms / 1000) / 1e12
    what = (f"{fmt.ms_per_iter(ms)} means {fmt.tflops(need_tflops)} per GPU, an MFU of {fmt.percent(implied)} "
            f"on the {gpu} (peak {fmt.tflops(r['peak_tflops'])})")
    if obs.get("reported_mfu") is not None and obs.get("observed_ms_per_iter") is None:
        what = (f"nanoGPT's printed mfu {obs['reported_mfu']:g}% is against an A100's 312 TFLOPS: "
                f"{fmt.tflops(need_tflops)}, a true MFU of {fmt.percent(implied)} on the {gpu}")
    if implied > bounds["impossible"]:
        verdict = "impossible"
        message = (f"Impossible: {what}. That is {fmt.times(implied)} the card's peak; the model expects "
                   f"{fmt.ms_per_iter(model_ms)}, so the claim is {fmt.times(model_ms / ms)} too fast.")
    elif implied > mfu_cap:
        verdict = "implausible"
        message = (f"Implausible: {what}, above the {fmt.percent(mfu_cap)} that a bare large matmul reaches; "
                   f"no real training step gets there. The model expects {fmt.ms_per_iter(model_ms)}.")
    elif implied > model_hi:
        verdict = "optimistic"
        message = (f"Faster than expected but possible: {what}; the model expects {fmt.ms_per_iter(model_ms)} "
                   f"({fmt.percent(model_lo)} to {fmt.percent(model_hi)} MFU).")
    elif implied >= model_lo:
        verdict = "as expected"
        message = f"As expected: {what}; the model expects {fmt.ms_per_iter(model_ms)}."
    else:
        verdict = "slow"
        message = (f"Slower than expected: {what}; the model expects {fmt.ms_per_iter(model_ms)}, so this run is "
                   f"{fmt.percent(ms / model_ms - 1, 2)} slower. Likely causes: " + "; ".join(SLOW_CAUSES) + ".")
    return {"verdict": verdict, "implied_mfu": implied,
            "ratio_to_model": model_ms / ms, "message": message}
