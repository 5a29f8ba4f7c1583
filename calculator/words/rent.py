"""rent.compare()'s answer with its words: each row's texts, the summary's sentences, and the CLI's table."""

from __future__ import annotations

from .. import fmt, i18n
from ..rent import short_name
from .estimate import price_source


def _row(row: dict, lang: str) -> dict:
    from . import say

    if "error" in row:
        return {**row, "error": say(row["error"], lang)}
    none = i18n.t("cost.no_price", lang)
    price = row.get("price_per_hour")
    ms = fmt.ms_per_iter(row["ms_per_iter"], lang)
    if row.get("emulated_bf16"):  # what nanoGPT picks there (bf16 on the FP32 units), and what float16 would take
        ms = i18n.t("compare.emulated", lang, ms=ms, fp16=fmt.ms_per_iter(row["float16_ms_per_iter"], lang))
    text = {"total_seconds": fmt.duration(row["total_seconds"], lang), "ms_per_iter": ms,
            "mfu": fmt.percent(row["mfu"], lang=lang),
            "memory_verdict": i18n.word("memory_verdict", row["memory_verdict"], lang)}
    if "price_per_hour" not in row:
        return {**row, "text": text}
    text["price_per_hour"] = fmt.price_per_hour(price, lang) if price is not None else none
    text["price_source"] = price_source(row["gpu"], row["price_origin"], lang)
    text["cost"] = fmt.money(row["cost"], lang) if row["cost"] is not None else none
    if row["marks"]:
        text["marks"] = i18n.t("rent.and", lang).join(i18n.t(f"rent.mark.{m}", lang) for m in row["marks"])
    out = {k: v for k, v in row.items() if k not in ("price_per_hour", "price_origin", "cost", "marks")}
    return {**out, "text": text, "price_per_hour": price, "cost": row["cost"], "marks": row["marks"]}


def _multi(m: dict | None, lang: str) -> dict | None:
    from . import say

    if m is None:
        return None
    if not m["ok"]:
        return {**m, "reason": say(m["reason"], lang)}
    return {**m, "text": {"one_total": fmt.duration(m["one"]["total_seconds"], lang),
                          "one_cost": fmt.money(m["one"]["cost"], lang),
                          "many_total": fmt.duration(m["many"]["total_seconds"], lang),
                          "many_cost": fmt.money(m["many"]["cost"], lang),
                          "cost_ratio": fmt.times(m["cost_ratio"], lang), "speedup": fmt.times(m["speedup"], lang)}}


def comparison(answer: dict, lang: str = i18n.DEFAULT) -> dict:
    """rent.compare()'s {"rows", "summary"} with the rows' texts and the summary's sentences in `lang`."""
    from . import say

    lang = i18n.lang_of(lang)
    s = answer["summary"]
    summary = {**s, "multi_gpu": _multi(s["multi_gpu"], lang), "text": {k: say(f, lang) for k, f in s["text"].items()}}
    return {"rows": [_row(r, lang) for r in answer["rows"]], "summary": summary}


def table(answer: dict, current: str, lang: str = i18n.DEFAULT) -> str:
    """The comparison (already written in `lang` by comparison()) as a text table for the CLI (--compare): time and
    cost on every card, marks and sources."""
    def t_(key: str) -> str:
        return i18n.t(f"rent.table.{key}", lang)

    rows = answer["rows"]
    per_hour = "/" + i18n.t("fmt.gpu_hour", lang)
    names = [short_name(row["name"]) + (" *" if row["gpu"] == current else "") for row in rows]
    w = max([22, *(len(n) + 2 for n in names)])  # the longest card name sets the first column
    head = (f"{'GPU':<{w}}{t_('total'):>14}{t_('cost'):>12}{t_('per_hour'):>12}  {t_('memory'):<14}"
            f"{t_('source')}")
    out = [head, "-" * len(head)]
    for name, row in zip(names, rows, strict=True):
        if "error" in row:
            out.append(f"{name:<{w}}  {t_('cannot')}: {row['error']}")
            continue
        t = row["text"]
        price = fmt.price_per_hour(row["price_per_hour"], lang).removesuffix(per_hour) \
            if row["price_per_hour"] is not None else "-"
        money = t["cost"] if row["cost"] is not None else "-"
        marks = f"  <- {t['marks']}" if t.get("marks") else ""
        if row.get("emulated_bf16"):  # what nanoGPT would pick there: bf16 on the FP32 units, and what fp16 takes
            marks += "  (" + i18n.t("compare.emulated", lang, ms=fmt.ms_per_iter(row["ms_per_iter"], lang),
                                     fp16=fmt.ms_per_iter(row["float16_ms_per_iter"], lang)) + ")"
        src = t["price_source"] if row["price_per_hour"] is not None else ""
        verdict = t.get("memory_verdict", row["memory_verdict"])
        out.append(f"{name:<{w}}{t['total_seconds']:>14}{money:>12}{price:>12}  {verdict:<14}{src}{marks}")
    out.append(t_("note"))
    s = answer["summary"]["text"]
    out += ["", s["rent"]] + [s[k] for k in ("deadline", "budget", "multi_gpu") if k in s] + [s["prices"]]
    return "\n".join(out)
