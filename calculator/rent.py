"""Which card to rent: the run's time and cost on every catalogue card, and the answers to the questions people ask
of them (the cheapest card within a deadline, the fastest within a budget, and whether 8 GPUs cost more than 1).

Every answer comes from compare.across_gpus (estimate() on each card) and the price table (cost.py). Only cards the
run fits on ("fits" or "tight") and that have a price count as choices; a card without a public rental price is
still timed, and the user's price_per_hour prices the chosen card.
"""

from __future__ import annotations

from . import cost, fmt, i18n
from .compare import across_gpus
from .errors import InputError
from .estimate import compute

MULTI_GPU = 8  # the DDP size compared with one GPU: one 8-GPU node, the common rental unit


def short_name(name: str) -> str:
    """'NVIDIA GeForce RTX 4070' -> 'RTX 4070', 'NVIDIA H100 SXM5 80GB' -> 'H100 SXM5 80GB'."""
    for word in ("NVIDIA ", "GeForce ", "Tesla ", "AMD ", "Instinct "):
        name = name.replace(word, "")
    return name


def with_article(name: str, lang: str = i18n.DEFAULT) -> str:
    """'an H100', 'an RTX 4070', 'a T4', 'a B200': by how the first letter or digit is read aloud ('una H100')."""
    if lang != "en":
        return i18n.t("rent.a", lang, name=name)
    return ("an " if name[:1].upper() in "AEFHILMNORSX8" else "a ") + name


def _priced(v: dict, rows: list[dict], lang: str = i18n.DEFAULT) -> list[dict]:
    """Add price and cost to each timed row (in place); return the rows that count as choices."""
    choices = []
    for row in rows:
        if "total_seconds" not in row:
            continue
        price, origin = cost.price_for(row["gpu"], v["price_per_hour"] if row["gpu"] == v["gpu"] else None)
        row["price_per_hour"] = price
        row["cost"] = row["total_seconds"] / 3600 * v["num_gpus"] * price if price is not None else None
        row["marks"] = []
        none = cost.no_price(lang)
        row["text"]["price_per_hour"] = fmt.price_per_hour(price, lang) if price is not None else none
        row["text"]["price_source"] = cost.source_text(row["gpu"], origin, lang)
        row["text"]["cost"] = fmt.money(row["cost"], lang) if row["cost"] is not None else none
        if row["cost"] is not None and row["memory_verdict"] != "does not fit":
            choices.append(row)
    return choices


def _pick(rows: list[dict], key) -> dict | None:
    return min(rows, key=key) if rows else None


def _time_cost(row: dict, lang: str = i18n.DEFAULT) -> str:
    return i18n.t("rent.time_cost", lang, time=row["text"]["total_seconds"], cost=row["text"]["cost"])


def _label(row: dict) -> str:
    return short_name(row["name"])


def multi_gpu(v: dict, gpu_id: str, price: float | None, lang: str = i18n.DEFAULT) -> dict:
    """The same run (same global batch: gradient_accumulation_steps is divided among the GPUs, as nanoGPT does) on
    one GPU and on MULTI_GPU GPUs of one kind, each timed by estimate() with its DDP all-reduce, at `price` per
    GPU-hour. {"ok": False, "reason"} when the run cannot be split that way."""
    base = {**v, "gpu": gpu_id, "mfu": None, "observed_ms_per_iter": None, "reported_mfu": None,
            "price_per_hour": price}
    if v["gradient_accumulation_steps"] % MULTI_GPU:
        return {"ok": False, "reason": i18n.t("rent.no_split", lang, gas=v["gradient_accumulation_steps"],
                                              n=MULTI_GPU)}
    try:
        one = compute({**base, "num_gpus": 1}, lang=lang)
        many = compute({**base, "num_gpus": MULTI_GPU}, lang=lang)
    except InputError as e:
        return {"ok": False, "reason": i18n.message(e.message, lang)}
    ratio = many["cost"]["run_cost"] / one["cost"]["run_cost"]
    return {"ok": True, "gpu": gpu_id, "num_gpus": MULTI_GPU,
            "one": {"total_seconds": one["total_seconds"], "cost": one["cost"]["run_cost"]},
            "many": {"total_seconds": many["total_seconds"], "cost": many["cost"]["run_cost"]},
            "cost_ratio": ratio, "speedup": one["total_seconds"] / many["total_seconds"],
            "text": {"one_total": one["text"]["total_seconds"], "one_cost": one["cost"]["text"]["run_cost"],
                     "many_total": many["text"]["total_seconds"], "many_cost": many["cost"]["text"]["run_cost"],
                     "cost_ratio": fmt.times(ratio, lang), "speedup": fmt.times(one["total_seconds"] /
                                                                                 many["total_seconds"], lang)}}


def compare(v: dict, lang: str = i18n.DEFAULT) -> dict:
    """Rows (compare.across_gpus plus price, cost and marks) and a summary with its sentences in `lang`, for
    validated v."""
    def t(key: str, **kw) -> str:
        return i18n.t(f"rent.{key}", lang, **kw)

    def tc(row: dict) -> str:
        return _time_cost(row, lang)

    rows = across_gpus(v, lang)
    choices = _priced(v, rows, lang)
    fastest = _pick(choices, lambda r: (r["total_seconds"], r["cost"]))
    cheapest = _pick(choices, lambda r: (r["cost"], r["total_seconds"]))
    for row, mark in ((fastest, "fastest"), (cheapest, "cheapest")):
        if row is not None:
            row["marks"].append(mark)
    for row in rows:
        if row.get("marks"):
            row["text"]["marks"] = t("and").join(t(f"mark.{m}") for m in row["marks"])
    s: dict = {"fastest": fastest and fastest["gpu"], "cheapest": cheapest and cheapest["gpu"],
               "choices": len(choices), "within_deadline": None, "within_budget": None, "multi_gpu": None}
    texts: dict = {}

    # -- renting, against the chosen card --
    main = compute({**v, "observed_ms_per_iter": None, "reported_mfu": None}, lang=lang)
    mine = short_name(main["gpu"]["name"])
    n = v["num_gpus"]
    cards = f"{n} × {mine}" if n > 1 else mine
    energy = ""
    if main["cost"]["energy_kwh"] is not None:
        energy = t("energy", kwh=main["cost"]["text"]["energy_kwh"])
        if main["cost"]["energy_cost"] is not None:
            energy += t("energy_cost", cost=main["cost"]["text"]["energy_cost"],
                        price=main["cost"]["text"]["kwh_price"])
    own = t("own", cards=cards, time=main["text"]["total_seconds"]) + (t("and_about", what=energy) if energy else "")
    if fastest is None:
        texts["rent"] = t("none_fits", own=own)
    elif fastest["gpu"] == main["gpu"]["id"]:
        texts["rent"] = t("yours_fastest", cards=cards, time_cost=tc(fastest)) + (
            t("yours_fastest_energy", energy=energy) if energy else "") + "."
    else:
        many = f"{n} × {_label(fastest)}" if n > 1 else with_article(_label(fastest), lang)
        texts["rent"] = t("renting", many=many, time_cost=tc(fastest), own=own)
        if cheapest is not None and cheapest is not fastest:
            texts["rent"] += " " + t("cheapest", card=_label(cheapest), time_cost=tc(cheapest))
    # -- the cheapest card within a deadline --
    if v["deadline_hours"] is not None:
        limit = v["deadline_hours"] * 3600
        ok = [r for r in choices if r["total_seconds"] <= limit]
        pick = _pick(ok, lambda r: (r["cost"], r["total_seconds"]))
        s["within_deadline"] = pick and pick["gpu"]
        wanted = fmt.duration(limit, lang)
        if pick:
            texts["deadline"] = t("deadline_pick", wanted=wanted, card=_label(pick), time_cost=tc(pick))
        elif fastest:
            texts["deadline"] = t("deadline_none", wanted=wanted, card=_label(fastest),
                                  time=fastest["text"]["total_seconds"])
        else:
            texts["deadline"] = t("deadline_nothing", wanted=wanted)
    # -- the fastest run within a budget --
    if v["budget_usd"] is not None:
        ok = [r for r in choices if r["cost"] <= v["budget_usd"]]
        pick = _pick(ok, lambda r: (r["total_seconds"], r["cost"]))
        s["within_budget"] = pick and pick["gpu"]
        wanted = fmt.money(v["budget_usd"], lang)
        if pick:
            texts["budget"] = t("budget_pick", wanted=wanted, card=_label(pick), time_cost=tc(pick))
        elif cheapest:
            texts["budget"] = t("budget_none", wanted=wanted, card=_label(cheapest), cost=cheapest["text"]["cost"])
        else:
            texts["budget"] = t("budget_nothing", wanted=wanted)
    # -- 8 GPUs or 1: on the fastest rented card --
    if fastest is not None:
        m = multi_gpu(v, fastest["gpu"], fastest["price_per_hour"], lang)
        s["multi_gpu"] = m
        name = _label(fastest)
        if m["ok"]:
            mt = m["text"]
            verdict = ("more" if m["cost_ratio"] > 1.005 else "less" if m["cost_ratio"] < 0.995 else "same")
            texts["multi_gpu"] = t("multi", n=MULTI_GPU, name=name, many_total=mt["many_total"],
                                   many_cost=mt["many_cost"], one_total=mt["one_total"], one_cost=mt["one_cost"],
                                   speedup=mt["speedup"], verdict=t(f"costs_{verdict}"), ratio=mt["cost_ratio"]) + (
                t("multi_why") if verdict == "more" else ".")
        else:
            texts["multi_gpu"] = t("multi_cannot", n=MULTI_GPU, name=name, reason=m["reason"])
    oldest, newest = cost.price_dates()
    texts["prices"] = t("prices", oldest=oldest, newest=newest)
    s["text"] = texts
    return {"rows": rows, "summary": s}


def compare_for(**inputs) -> dict:
    from . import schema

    return compare(schema.validate(inputs))


def table(answer: dict, current: str, lang: str = i18n.DEFAULT) -> str:
    """The comparison as a text table for the CLI (--compare): time and cost on every card, marks and sources; the
    words in `lang` (the same language as `answer`)."""
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
            marks += "  (" + i18n.t("compare.emulated", lang, ms=t["ms_per_iter"].split(" (")[0],
                                     fp16=fmt.ms_per_iter(row["float16_ms_per_iter"], lang)) + ")"
        src = t["price_source"] if row["price_per_hour"] is not None else ""
        verdict = t.get("memory_verdict", row["memory_verdict"])
        out.append(f"{name:<{w}}{t['total_seconds']:>14}{money:>12}{price:>12}  {verdict:<14}{src}{marks}")
    out.append(t_("note"))
    s = answer["summary"]["text"]
    out += ["", s["rent"]] + [s[k] for k in ("deadline", "budget", "multi_gpu") if k in s] + [s["prices"]]
    return "\n".join(out)
