"""An estimate() result with its texts: every number as the reader's language writes it (result["text"]), the
warnings and the verdict's message as sentences, and the cost's texts (result["cost"]["text"])."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from .. import cost, fmt, i18n
from .parallel import bandwidth, sentences


def _duration_or_none(seconds: float, lang: str = i18n.DEFAULT) -> str:
    # no checkpoint is saved, so no time goes to saving one
    return fmt.duration(seconds, lang) if seconds else i18n.t("fmt.none", lang)


def _word(kind: str) -> Callable[..., str]:
    """The formatter of a value that is a fixed word ("fits", "tensor-core math"): the word in the reader's
    language."""
    return lambda value, lang=i18n.DEFAULT: i18n.word(kind, value, lang)


# The text of every displayed number, formatted in Python (fmt.py) for the CLI and both versions of the page: each
# key of the result -> the formatter of its value (called with lang=), or (another key, formatter) for a second text
# of one value. A new output is one line here.
TEXT: dict[str, Callable[..., str] | tuple[str, Callable[..., str]]] = {
    "params": fmt.count,
    "params_exact": ("params", fmt.exact),
    "params_total": fmt.count,
    "tokens_per_iter": fmt.exact,
    "tokens_per_micro_step": fmt.exact,
    "micro_steps_per_gpu": fmt.exact,
    "flops_per_token": fmt.flops,
    "flops_per_iter": fmt.flops,
    "flops_per_iter_per_gpu": fmt.flops,
    "peak_tflops": fmt.tflops,
    "mfu": fmt.percent,
    "mfu_low": fmt.percent,
    "mfu_high": fmt.percent,
    "model_mfu": fmt.percent,
    "model_ms_per_iter": fmt.ms_per_iter,
    "ms_per_iter": fmt.ms_per_iter,
    "ms_per_iter_low": fmt.ms_per_iter,
    "ms_per_iter_high": fmt.ms_per_iter,
    "ms_per_iter_at_peak": fmt.ms_per_iter,
    "tokens_per_sec": fmt.rate,
    "tokens_per_sec_per_gpu": fmt.rate,
    "achieved_tflops": fmt.tflops,
    "nanogpt_printed_mfu": lambda x, lang=i18n.DEFAULT: fmt.percent(x, 4, lang),
    "nanogpt_printed_mfu.log": ("nanogpt_printed_mfu", fmt.printed_mfu),  # as the log line prints it
    "eval_each_seconds": fmt.duration,
    "eval_seconds": fmt.duration,
    "eval_count": fmt.exact,
    "checkpoint_total_seconds": _duration_or_none,
    "steps": fmt.exact,
    "training_seconds": fmt.duration,
    "warmup_seconds": fmt.duration,
    "startup_seconds": fmt.duration,
    "compile_seconds": fmt.duration,
    "compile_cached_seconds": fmt.duration,
    "eval_compile_seconds": fmt.duration,
    "step0_eval_seconds": fmt.duration,
    "first_step_seconds": fmt.duration,
    "first_iter_logged_seconds": fmt.duration,
    "first_iter_seconds": fmt.duration,
    "total_seconds": fmt.duration,
    "total_seconds_low": fmt.duration,
    "total_seconds_high": fmt.duration,
    "memory_gib": fmt.gib,
    "memory_need_gib": fmt.gib,
    "memory_capacity_gib": fmt.gib,
    "memory_verdict": _word("memory_verdict"),
    "bound": _word("bound"),
    "mfu_source": _word("mfu_source"),
    "gpu.peak_label": _word("peak_label"),
    "dtype": _word("dtype"),
    # many GPUs (calculator/parallel.py; the "Many GPUs" section, words/parallel.py)
    "hfu": fmt.percent,
    "memory.weights_gib": fmt.gib,
    "memory.gradients_gib": fmt.gib,
    "memory.optimizer_gib": fmt.gib,
    "memory.gathered_gib": fmt.gib,
    "memory.activations_gib": fmt.gib,
    "memory.logits_gib": fmt.gib,
    "memory.peak_allocated_gib": fmt.gib,
    "parallel.compute_seconds": fmt.duration,
    "parallel.comm_total_seconds": fmt.duration,
    "parallel.comm_share": fmt.percent,
    "parallel.bubble_seconds": fmt.duration,
    "parallel.bubble_share": fmt.percent,
    "parallel.optimizer_seconds": fmt.duration,
    "parallel.comm_seconds.tensor_s": fmt.duration,
    "parallel.comm_seconds.context_s": fmt.duration,
    "parallel.comm_seconds.pipeline_s": fmt.duration,
    "parallel.comm_seconds.data_s": fmt.duration,
    "parallel.bandwidths_gbs.intra": bandwidth,
    "parallel.bandwidths_gbs.inter": bandwidth,
    "parallel.nodes": fmt.exact,
}


def estimate(r: dict, lang: str = i18n.DEFAULT) -> dict:
    """A copy of the estimate() result `r` with its words in `lang`: result["text"], the warnings and the
    feasibility message as sentences, result["cost"]["text"]. The values are untouched."""
    from . import say

    lang = i18n.lang_of(lang)
    out = copy.copy(r)
    if r.get("feasibility"):
        out["feasibility"] = {**r["feasibility"], "message": say(r["feasibility"]["message"], lang)}
    out["warnings"] = [say(w, lang) for w in r["warnings"]]
    out["cost"] = {**r["cost"], "text": cost_text(r, lang)}
    out["text"] = {**text(out, lang), **physics_text(r["physics"], lang), **sentences(r, lang)}
    return out


def physics_text(p: dict, lang: str = i18n.DEFAULT) -> dict:
    """The card's clock and L2 terms as text ("physics.clock_mhz": "2,880 MHz"), for the Method section."""
    t = {"clock_ratio": fmt.number(round(p["clock_ratio"], 2), lang), "l2_share": fmt.percent(p["l2_share"], 2, lang),
         "g_at_clock": fmt.number(round(p["g_at_clock"], 2), lang)}
    if p["clock_mhz"]:
        t.update(clock_mhz=f"{fmt.exact(p['clock_mhz'], lang)} MHz",
                 rated_clock_mhz=f"{fmt.exact(p['rated_clock_mhz'], lang)} MHz",
                 watts_per_sm=f"{fmt.number(round(p['watts_per_sm'], 1), lang)} W")
    if p["l2_mb"]:
        t["l2_mb"] = f"{fmt.number(p['l2_mb'], lang)} MB"
    return {f"physics.{k}": v for k, v in t.items()}


def text(r: dict, lang: str = i18n.DEFAULT) -> dict:
    """result["text"]: TEXT applied to the result, the feasibility verdict and its message, and each whole-number
    input with thousands separators (for the prose: "inputs.max_iters"), all in `lang`. `r` has its facts already
    written (estimate() above)."""
    t = {}
    for key, how in TEXT.items():
        source, formatter = how if isinstance(how, tuple) else (key, how)
        value: Any = r
        for part in source.split("."):
            value = value[part]
        t[key] = formatter(value, lang=lang)
    if r["feasibility"]:
        t["feasibility"] = r["feasibility"]["message"]
        t["feasibility.verdict"] = i18n.word("verdict", r["feasibility"]["verdict"], lang)
        t["feasibility.message"] = r["feasibility"]["message"]
    for name, value in r["inputs"].items():
        if isinstance(value, int) and not isinstance(value, bool):
            t[f"inputs.{name}"] = fmt.exact(value, lang)
    return t


def price_source(gpu_id: str, origin: str, lang: str = i18n.DEFAULT) -> str:
    """'RunPod Community Cloud, 2026-11-09' (the source's words), 'your price' or what to enter, in `lang`."""
    from . import say

    source = cost.price_source(gpu_id, origin)
    return source if isinstance(source, str) else say(source, lang)


def cost_text(r: dict, lang: str = i18n.DEFAULT) -> dict:
    """result["cost"]["text"]: each cost figure as text, or what is missing to compute it."""
    c = r["cost"]

    def t(key: str) -> str:
        return i18n.t(key, lang)

    none = t("cost.no_price")
    price, draw, kwh = c["price_per_hour"], c["power_watts"], c["energy_kwh"]
    return {
        "gpu_hours": fmt.hours(c["gpu_hours"], lang),
        "price_per_hour": fmt.price_per_hour(price, lang) if price is not None else none,
        "price_source": price_source(r["gpu"]["id"], c["price_origin"], lang),
        "run_cost": fmt.money(c["run_cost"], lang) if c["run_cost"] is not None else none,
        "power_watts": (fmt.watts(draw, lang) + ("" if c["power_origin"] == "given" else t("cost.board_power")))
        if draw else t("cost.unknown_draw"),
        "energy_kwh": fmt.energy(kwh, lang) if kwh is not None else t("cost.unknown_energy"),
        "energy_cost": fmt.money(c["energy_cost"], lang) if c["energy_cost"] is not None else
        t("cost.no_kwh_price" if kwh is not None else "cost.unknown"),
        "kwh_price": fmt.kwh_price(c["kwh_price"], lang) if c["kwh_price"] is not None else t("cost.not_given"),
    }
