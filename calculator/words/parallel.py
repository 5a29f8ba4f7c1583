"""The "Many GPUs" section's sentences: an estimate() result's layout, sharding, communication, bubble and
recomputation, written with the reader's numbers in the reader's language.

    sentences(r, lang) -> {"many.layout": "...", "many.sharding": "...", ...}

Each sentence is picked from the result's facts (one GPU or many, the sharding, a pipeline or none) and filled with
numbers calculator.fmt writes; the page shows each as the text of a live value (out("parallel.sharding",
text="many.sharding")), so it follows the form. Nothing is computed here that the result does not hold, except sizes
derived from its counts (a model's weights in bf16: 2 bytes a parameter).
"""

from __future__ import annotations

from .. import fmt, i18n


def bandwidth(gbs: float, lang: str = i18n.DEFAULT) -> str:
    """A bus bandwidth per GPU in GB/s: '45 GB/s', '360 GB/s' (three significant figures)."""
    return f"{fmt.number(float(f'{gbs:.3g}'), lang)} GB/s"


def _over(p: dict, group: str, lang: str) -> str:
    """'over the node's link (nvlink4), 360 GB/s per GPU' or 'over the network (ib-ndr), 45 GB/s per GPU'."""
    gbs = p["bandwidths_gbs"][group]
    across = p["nodes"] > 1 and gbs == p["bandwidths_gbs"]["inter"] and gbs != p["bandwidths_gbs"]["intra"]
    key = "many.over_network" if across else "many.over_link"
    return i18n.t(key, lang, bw=bandwidth(gbs, lang), name=p["network"] if across else p["link"])


def _layout(r: dict, lang: str) -> str:
    p, v = r["parallel"], r["inputs"]
    if p["num_gpus"] == 1:
        return i18n.t("many.layout_single", lang)
    where = i18n.t("many.nodes_one", lang, per_node=fmt.exact(p["gpus_per_node"], lang)) if p["nodes"] == 1 else \
        i18n.t("many.nodes", lang, nodes=fmt.exact(p["nodes"], lang), per_node=fmt.exact(p["gpus_per_node"], lang))
    mp = p["tp"] * p["pp"] * p["cp"]
    split = "" if mp == 1 else i18n.t("many.model_split", lang, mp=fmt.exact(mp, lang))
    return i18n.t("many.layout", lang, n=fmt.exact(p["num_gpus"], lang), where=where, dp=fmt.exact(p["dp"], lang),
                  tp=fmt.exact(p["tp"], lang), pp=fmt.exact(p["pp"], lang), cp=fmt.exact(p["cp"], lang),
                  micro=fmt.exact(p["micro_steps"], lang), batch=fmt.exact(v["batch_size"], lang),
                  tokens=fmt.exact(v["block_size"] // p["cp"], lang), split=split)


def _sharding(r: dict, lang: str) -> str:
    p, m = r["parallel"], r["memory"]
    sizes = {"w": fmt.gib(m["weights_gib"], lang), "g": fmt.gib(m["gradients_gib"], lang),
             "o": fmt.gib(m["optimizer_gib"], lang), "gathered": fmt.gib(m["gathered_gib"], lang),
             "dp": fmt.exact(p["dp"], lang)}
    if p["dp"] == 1:
        return i18n.t("many.sharding_single", lang, **sizes)
    shard = p["dp"] if p["sharding"] != "hsdp" else max(1, min(p["dp"], p["gpus_per_node"] // (p["tp"] * p["cp"])))
    return i18n.t(f"many.sharding.{p['sharding']}", lang, shard=fmt.exact(shard, lang), **sizes)


def _weights_size(r: dict) -> float:
    """One model-parallel group's weights in bf16, GiB: what an all-gather of FSDP moves for a whole pass."""
    p = r["parallel"]
    return r["arch"]["counts"]["total"] / (p["tp"] * p["pp"]) * 2 / 2**30


def _comm(r: dict, lang: str) -> str:
    p = r["parallel"]
    if p["num_gpus"] == 1:
        return i18n.t("many.comm_single", lang)
    c = p["comm_seconds"]
    parts = []
    if p["tp"] > 1:
        parts.append(i18n.t("many.comm.tensor", lang, t=fmt.duration(c["tensor_s"], lang), over=_over(p, "tp", lang)))
    if p["cp"] > 1:
        parts.append(i18n.t("many.comm.context", lang, t=fmt.duration(c["context_s"], lang),
                            over=_over(p, "cp", lang)))
    if p["pp"] > 1:
        parts.append(i18n.t("many.comm.pipeline", lang, t=fmt.duration(c["pipeline_s"], lang),
                            over=_over(p, "pp", lang)))
    if p["dp"] > 1:
        parts.append(i18n.t(f"many.comm.data.{p['sharding']}", lang, t=fmt.duration(c["data_s"], lang),
                            over=_over(p, "dp", lang), size=fmt.gib(_weights_size(r), lang)))
    head = i18n.t("many.comm", lang, compute=fmt.duration(p["compute_seconds"], lang),
                  comm=fmt.duration(p["comm_total_seconds"], lang), share=fmt.percent(p["comm_share"], lang=lang),
                  step=fmt.ms_per_iter(r["ms_per_iter"], lang))
    return head + " " + i18n.t("list.semicolon", lang).join(parts) + "."


def _bubble(r: dict, lang: str) -> str:
    p = r["parallel"]
    if p["pp"] == 1:
        return i18n.t("many.bubble_none", lang)
    return i18n.t("many.bubble", lang, pp=fmt.exact(p["pp"], lang), v=fmt.exact(p["interleave"], lang),
                  t=fmt.duration(p["bubble_seconds"], lang), share=fmt.percent(p["bubble_share"], lang=lang),
                  micro=fmt.exact(p["micro_steps"], lang))


def _recompute(r: dict, lang: str) -> str:
    p, m = r["parallel"], r["memory"]
    act = fmt.gib(m["activations_gib"], lang)
    if p["activation_checkpointing"] == "none":
        return i18n.t("many.recompute_none", lang, act=act, mfu=fmt.percent(r["mfu"], lang=lang))
    return i18n.t(f"many.recompute.{p['activation_checkpointing']}", lang, act=act,
                  mfu=fmt.percent(r["mfu"], lang=lang), hfu=fmt.percent(r["hfu"], lang=lang))


def _bound(r: dict, lang: str) -> str:
    key = "many.bound_communication" if r["bound"] == "communication" else "many.bound"
    return i18n.t(key, lang, bound=i18n.word("bound", r["bound"], lang))


SENTENCES = {"layout": _layout, "sharding": _sharding, "comm": _comm, "bubble": _bubble, "recompute": _recompute,
             "bound": _bound}


def sentences(r: dict, lang: str = i18n.DEFAULT) -> dict:
    """Every sentence of the section, keyed "many.<name>"."""
    return {f"many.{name}": write(r, lang) for name, write in SENTENCES.items()}

