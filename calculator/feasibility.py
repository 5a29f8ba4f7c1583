"""Is an observed or claimed speed physically possible on this GPU, and if not, by how much is it off?

The bound is simple physics: a step needs flops_per_iter FLOPs (nanoGPT's own count, per GPU), and no GPU does
more than its tensor cores at the highest clock it runs at: the datasheet peak, or a little more on GeForce cards,
which boost above the clock their datasheet peak assumes (speed.mfu_bounds). Above the rate a bare, large matmul
reaches on the card (78% of peak on the H100, measured; the fitted rate of the card's class elsewhere) no real
training step has been measured, so such a claim is implausible. Every measured run in the calibration data passes
both bounds (tests/test_calibration.py).
"""

from __future__ import annotations

from .facts import fact, joined, qty

SLOW_CAUSES = ("slow.shared", "slow.loader", "slow.compile", "slow.dtype", "slow.batch")  # keys of i18n's texts


def judge(r: dict, bounds: dict) -> dict:
    """Verdict on r["observed"] (from estimate.compute): impossible / implausible / optimistic / as expected / slow,
    against bounds (speed.mfu_bounds of the card) and the model's MFU range (r["model_mfu_low"/"_high"]); its
    message is a fact (calculator.facts), which calculator.words writes in a language."""
    obs = r["observed"]
    implied = obs["implied_mfu"]
    ms = r["ms_per_iter"]
    model_ms = r["model_ms_per_iter"]
    mfu_cap = bounds["implausible"]
    model_lo, model_hi = r["model_mfu_low"], r["model_mfu_high"]
    need_tflops = r["flops_per_iter_per_gpu"] / (ms / 1000) / 1e12
    model = qty("ms_per_iter", model_ms)
    kw = {"ms": qty("ms_per_iter", ms), "tflops": qty("tflops", need_tflops), "mfu": qty("percent", implied),
          "gpu": r["gpu"]["name"], "peak": qty("tflops", r["peak_tflops"])}
    what = fact("verdict.what", **kw)
    if obs.get("reported_mfu") is not None and obs.get("observed_ms_per_iter") is None:
        what = fact("verdict.what_printed", **kw, printed=qty("percent", obs["reported_mfu"] / 100, 6))
    if implied > bounds["impossible"]:
        verdict = "impossible"
        message = fact("verdict.impossible_message", what=what, model=model, times=qty("times", implied),
                       faster=qty("times", model_ms / ms))
    elif implied > mfu_cap:
        verdict = "implausible"
        message = fact("verdict.implausible_message", what=what, cap=qty("percent", mfu_cap), model=model)
    elif implied > model_hi:
        verdict = "optimistic"
        message = fact("verdict.optimistic_message", what=what, model=model, low=qty("percent", model_lo),
                       high=qty("percent", model_hi))
    elif implied >= model_lo:
        verdict = "as expected"
        message = fact("verdict.as_expected_message", what=what, model=model)
    else:
        verdict = "slow"
        message = fact("verdict.slow_message", what=what, model=model, slower=qty("percent", ms / model_ms - 1, 2),
                       causes=joined([fact(k) for k in SLOW_CAUSES], "; "))
    return {"verdict": verdict, "implied_mfu": implied,
            "ratio_to_model": model_ms / ms, "message": message}
