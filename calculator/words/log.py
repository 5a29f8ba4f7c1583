"""loganalysis.analyze()'s result with its words: the format's title, the exclusion reasons, the message, the
terminal report and result["text"], in a language."""

from __future__ import annotations

from .. import fmt, i18n


def title(name: str, lang: str = i18n.DEFAULT) -> str:
    """A log format's title (the registry's, translated), or "several formats" / "no known format"."""
    key = f"logformat.{name}.title"
    return i18n.t(key, lang) if key in i18n.texts(i18n.DEFAULT) else i18n.word("log.format", name, lang)


def formats(lang: str = i18n.DEFAULT) -> list[dict]:
    """The log formats' registry (calculator.logformats.listing) with its words in `lang`; the example lines stay
    as trainers print them."""
    from .. import logformats

    return [{**f, **{part: i18n.t(f"logformat.{f['name']}.{part}", lang) for part in ("title", "semantics", "steady")}}
            for f in logformats.listing()]


def analysis(out: dict, lang: str = i18n.DEFAULT) -> dict:
    """A copy of analyze()'s result with its words in `lang`: format_title, reason_text, message, report, text."""
    from . import say

    lang = i18n.lang_of(lang)
    res: dict = {}
    for key, value in out.items():
        res[key] = value
        if key == "format":
            res["format_title"] = title(value, lang)
        elif key == "excluded_total":
            res["reason_text"] = {e["reason"]: i18n.word("reason", e["reason"], lang) for e in out["excluded"]}
    res["why"] = say(out["why"], lang) if out["why"] else ""
    res["message"] = say(out["message"], lang)
    res["report"] = "\n".join(say(line, lang) for line in out["report"])
    res["text"] = text(res, lang)
    return res


def text(out: dict, lang: str = i18n.DEFAULT) -> dict:
    def exact(n: int) -> str:
        return fmt.exact(n, lang)

    na = i18n.t("fmt.n_a", lang)
    t = {k: exact(out[k]) for k in ("iterations_seen", "skipped_lines", "excluded_total", "kept", "total_lines")}
    t["excluded"] = t["excluded_total"]
    for k in ("remaining_steps", "eta_from_iteration", "remaining_evals"):
        if out.get(k) is not None:
            t[k] = exact(out[k])
    ms = out["steady_ms_per_iter"]
    t["steady_ms_per_iter"] = fmt.ms_per_iter(ms, lang) if ms else na
    per_step = out.get("steady_ms_per_step")
    t["steady_ms_per_step"] = fmt.ms_per_iter(per_step, lang) if per_step else na
    micro = out.get("micro_steps_per_step")
    t["micro_steps_per_step"] = fmt.local(f"{micro:.3g}", lang) if micro else na
    t["spread"] = (i18n.t("log.spread", lang, low=fmt.ms_per_iter(out["p10_ms"], lang),
                          high=fmt.ms_per_iter(out["p90_ms"], lang)) if out["p10_ms"] is not None else na)
    if out.get("tokens_per_iter"):
        t["tokens_per_iter"] = exact(round(out["tokens_per_iter"]))
    t["tokens_per_sec"] = fmt.rate(out["tokens_per_sec"], lang) if out["tokens_per_sec"] else na
    t["true_mfu"] = fmt.percent(out["true_mfu"], lang=lang) if out["true_mfu"] is not None else na
    t["true_mfu_from_printed"] = (fmt.percent(out["true_mfu_from_printed"], lang=lang)
                                  if out["true_mfu_from_printed"] is not None else na)
    t["printed_mfu"] = fmt.percent_fixed(out["printed_mfu"], lang) if out["printed_mfu"] is not None else na
    t["eta_seconds"] = fmt.duration(out["eta_seconds"], lang) if out["eta_seconds"] is not None else na
    t["estimate_ms_per_iter"] = fmt.ms_per_iter(out["estimate_ms_per_iter"], lang)
    if out.get("verdict"):
        t["verdict"] = i18n.word("verdict", out["verdict"], lang)
    if out.get("tokens_per_step_from_log"):
        t["tokens_per_step_from_log"] = fmt.exact(round(out["tokens_per_step_from_log"]), lang)
    if out.get("log_tokens_per_sec"):
        t["log_tokens_per_sec"] = fmt.rate(out["log_tokens_per_sec"], lang)
    if out.get("stated_mfu") is not None:
        t["stated_mfu"] = fmt.percent(out["stated_mfu"], lang=lang)
    for k in ("stated_params", "stated_gpus", "run_count"):
        if out.get(k):
            t[k] = fmt.exact(round(out[k]), lang)
    from ..loganalysis import run_fact
    from . import say

    for k in ("flops_model", "stated_mfu_basis", "log_run"):  # which model the FLOPs per token were counted for
        if out.get(k):
            t[k] = say(out[k], lang)

    reported = run_fact(out, reported=True)
    if reported:
        t["reported_run"] = say(reported[0], lang)
    earlier = run_fact(out, reported=False)
    if earlier:
        t["earlier_runs"] = "; ".join(say(r, lang) for r in earlier)
    t["format_title"] = out["format_title"]
    return t
