"""Is an observed or claimed speed physically possible on this GPU, and if not, by how much is it off?

The bound is simple physics: a step needs flops_per_iter FLOPs (nanoGPT's own count, per GPU), and no GPU does
more than its tensor cores at the highest clock it runs at: the datasheet peak, or a little more on GeForce cards,
which boost above the clock their datasheet peak assumes (speed.mfu_bounds). Above the rate a bare, large matmul
reaches on the card (78% of peak on the H100, measured; the fitted rate of the card's class elsewhere) no real
training step has been measured, so such a claim is implausible. Every measured run in the calibration data passes
both bounds (tests/test_calibration.py).
"""

from __future__ import annotations

from . import fmt, i18n

SLOW_CAUSES = ("slow.shared", "slow.loader", "slow.compile", "slow.dtype", "slow.batch")  # keys of i18n's texts


def judge(r: dict, bounds: dict, lang: str = i18n.DEFAULT) -> dict:
    """Verdict on r["observed"] (from estimate.compute): impossible / implausible / optimistic / as expected / slow,
    against bounds (speed.mfu_bounds of the card) and the model's MFU range (r["model_mfu_low"/"_high"]); the
    message in `lang`."""
    obs = r["observed"]
    implied = obs["implied_mfu"]
    ms = r["ms_per_iter"]
    model_ms = r["model_ms_per_iter"]
    mfu_cap = bounds["implausible"]
    model_lo, model_hi = r["model_mfu_low"], r["model_mfu_high"]
    need_tflops = r["flops_per_iter_per_gpu"] / (ms / 1000) / 1e12
    kw = {"ms": fmt.ms_per_iter(ms, lang), "tflops": fmt.tflops(need_tflops, lang),
          "mfu": fmt.percent(implied, lang=lang), "gpu": r["gpu"]["name"],
          "peak": fmt.tflops(r["peak_tflops"], lang), "model": fmt.ms_per_iter(model_ms, lang)}
    what = i18n.t("verdict.what", lang, **kw)
    if obs.get("reported_mfu") is not None and obs.get("observed_ms_per_iter") is None:
        what = i18n.t("verdict.what_printed", lang, **kw, printed=fmt.percent(obs["reported_mfu"] / 100, 6, lang))
    if implied > bounds["impossible"]:
        verdict = "impossible"
        message = i18n.t("verdict.impossible_message", lang, what=what, model=kw["model"],
                         times=fmt.times(implied, lang), faster=fmt.times(model_ms / ms, lang))
    elif implied > mfu_cap:
        verdict = "implausible"
        message = i18n.t("verdict.implausible_message", lang, what=what, cap=fmt.percent(mfu_cap, lang=lang),
                         model=kw["model"])
    elif implied > model_hi:
        verdict = "optimistic"
        message = i18n.t("verdict.optimistic_message", lang, what=what, model=kw["model"],
                         low=fmt.percent(model_lo, lang=lang), high=fmt.percent(model_hi, lang=lang))
    elif implied >= model_lo:
        verdict = "as expected"
        message = i18n.t("verdict.as_expected_message", lang, what=what, model=kw["model"])
    else:
        verdict = "slow"
        message = i18n.t("verdict.slow_message", lang, what=what, model=kw["model"],
                         slower=fmt.percent(ms / model_ms - 1, 2, lang),
                         causes="; ".join(i18n.t(k, lang) for k in SLOW_CAUSES))
    return {"verdict": verdict, "implied_mfu": implied,
            "ratio_to_model": model_ms / ms, "message": message}
