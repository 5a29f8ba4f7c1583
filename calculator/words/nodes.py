"""compare.across_nodes()'s rows with their texts: the "on more nodes" table of the page."""

from __future__ import annotations

from .. import fmt, i18n


def _row(row: dict, per_node: int, lang: str) -> dict:
    from . import say

    t = {"nodes": i18n.t("nodes.nodes", lang, nodes=fmt.exact(row["nodes"], lang), per_node=fmt.exact(per_node, lang)),
         "current": i18n.t("nodes.current", lang) if row["current"] else ""}
    if "error" in row:
        na = i18n.t("fmt.n_a", lang)
        reason = f"{row['field']}: {say(row['error'], lang)}"
        t.update(tokens_per_sec=na, total_seconds=na, cost=na, comm_share=na, speedup=reason)
        return {**row, "error": say(row["error"], lang), "text": t}
    t.update(tokens_per_sec=fmt.rate(row["tokens_per_sec"], lang),
             total_seconds=fmt.duration(row["total_seconds"], lang),
             cost=fmt.money(row["cost"], lang) if row["cost"] is not None else i18n.t("cost.no_price", lang),
             comm_share=fmt.percent(row["comm_share"], lang=lang),
             speedup=i18n.t("nodes.speedup", lang, speedup=fmt.times(row["speedup"], lang),
                            efficiency=fmt.percent(row["efficiency"], lang=lang)),
             memory_verdict=i18n.word("memory_verdict", row["memory_verdict"], lang))
    return {**row, "text": t}


def nodes(answer: dict, lang: str = i18n.DEFAULT) -> dict:
    """across_nodes()'s answer with each row's texts in `lang`."""
    lang = i18n.lang_of(lang)
    per_node = answer["gpus_per_node"]
    return {**answer, "rows": {k: _row(row, per_node, lang) for k, row in answer["rows"].items()}}
