"""Which card to rent: the run's time and cost on every catalogue card, and the answers to the questions people ask
of them (the cheapest card within a deadline, the fastest within a budget, and whether 8 GPUs cost more than 1).

Every answer comes from compare.across_gpus (estimate() on each card) and the price table (cost.py). Only cards the
run fits on ("fits" or "tight") and that have a price count as choices; a card without a public rental price is
still timed, and the user's price_per_hour prices the chosen card.
"""

from __future__ import annotations

from . import cost, fmt
from .compare import across_gpus
from .errors import InputError
from .estimate import compute

MULTI_GPU = 8  # the DDP size compared with one GPU: one 8-GPU node, the common rental unit


def short_name(name: str) -> str:
    """'NVIDIA GeForce RTX 4070' -> 'RTX 4070', 'NVIDIA H100 SXM5 80GB' -> 'H100 SXM5 80GB'."""
    for word in ("NVIDIA ", "GeForce ", "Tesla ", "AMD ", "Instinct "):
        name = name.replace(word, "")
    return name


def with_article(name: str) -> str:
    """'an H100', 'an RTX 4070', 'a T4', 'a B200': by how the first letter or digit is read aloud."""
    return ("an " if name[:1].upper() in "AEFHILMNORSX8" else "a ") + name


def _priced(v: dict, rows: list[dict]) -> list[dict]:
    """Add price and cost to each timed row (in place); return the rows that count as choices."""
    choices = []
    for row in rows:
        if "total_seconds" not in row:
            continue
        price, origin = cost.price_for(row["gpu"], v["price_per_hour"] if row["gpu"] == v["gpu"] else None)
        row["price_per_hour"] = price
        row["cost"] = row["total_seconds"] / 3600 * v["num_gpus"] * price if price is not None else None
        row["marks"] = []
        row["text"]["price_per_hour"] = fmt.price_per_hour(price) if price is not None else cost.NO_PRICE
        row["text"]["price_source"] = cost.source_text(row["gpu"], origin)
        row["text"]["cost"] = fmt.money(row["cost"]) if row["cost"] is not None else cost.NO_PRICE
        if row["cost"] is not None and row["memory_verdict"] != "does not fit":
            choices.append(row)
    return choices


def _pick(rows: list[dict], key) -> dict | None:
    return min(rows, key=key) if rows else None


def _time_cost(row: dict) -> str:
    return f"{row['text']['total_seconds']} for about {row['text']['cost']}"


def _label(row: dict) -> str:
    return short_name(row["name"])


def multi_gpu(v: dict, gpu_id: str, price: float) -> dict:
    """The same run (same global batch: gradient_accumulation_steps is divided among the GPUs, as nanoGPT does) on
    one GPU and on MULTI_GPU GPUs of one kind, each timed by estimate() with its DDP all-reduce, at `price` per
    GPU-hour. {"ok": False, "reason"} when the run cannot be split that way."""
    base = {**v, "gpu": gpu_id, "mfu": None, "observed_ms_per_iter": None, "reported_mfu": None,
            "price_per_hour": price}
    if v["gradient_accumulation_steps"] % MULTI_GPU:
        return {"ok": False, "reason": f"gradient_accumulation_steps ({v['gradient_accumulation_steps']}) is not a "
                                       f"multiple of {MULTI_GPU}, so nanoGPT cannot split it over {MULTI_GPU} GPUs"}
    try:
        one = compute({**base, "num_gpus": 1})
        many = compute({**base, "num_gpus": MULTI_GPU})
    except InputError as e:
        return {"ok": False, "reason": e.message}
    ratio = many["cost"]["run_cost"] / one["cost"]["run_cost"]
    return {"ok": True, "gpu": gpu_id, "num_gpus": MULTI_GPU,
            "one": {"total_seconds": one["total_seconds"], "cost": one["cost"]["run_cost"]},
            "many": {"total_seconds": many["total_seconds"], "cost": many["cost"]["run_cost"]},
            "cost_ratio": ratio, "speedup": one["total_seconds"] / many["total_seconds"],
            "text": {"one_total": one["text"]["total_seconds"], "one_cost": one["cost"]["text"]["run_cost"],
                     "many_total": many["text"]["total_seconds"], "many_cost": many["cost"]["text"]["run_cost"],
                     "cost_ratio": fmt.times(ratio), "speedup": fmt.times(one["total_seconds"] /
                                                                           many["total_seconds"])}}


def compare(v: dict) -> dict:
    """Rows (compare.across_gpus plus price, cost and marks) and a summary with its sentences, for validated v."""
    rows = across_gpus(v)
    choices = _priced(v, rows)
    fastest = _pick(choices, lambda r: (r["total_seconds"], r["cost"]))
    cheapest = _pick(choices, lambda r: (r["cost"], r["total_seconds"]))
    for row, mark in ((fastest, "fastest"), (cheapest, "cheapest")):
        if row is not None:
            row["marks"].append(mark)
    for row in rows:
        if row.get("marks"):
            row["text"]["marks"] = " and ".join(row["marks"])
    s: dict = {"fastest": fastest and fastest["gpu"], "cheapest": cheapest and cheapest["gpu"],
               "choices": len(choices), "within_deadline": None, "within_budget": None, "multi_gpu": None}
    t: dict = {}

    # -- renting, against the chosen card --
    main = compute({**v, "observed_ms_per_iter": None, "reported_mfu": None})
    mine = short_name(main["gpu"]["name"])
    n = v["num_gpus"]
    cards = f"{n} × {mine}" if n > 1 else mine
    own = f"your {cards} takes {main['text']['total_seconds']}"
    if main["cost"]["energy_kwh"] is not None:
        own += f" and about {main['cost']['text']['energy_kwh']}"
        if main["cost"]["energy_cost"] is not None:
            own += f" ({main['cost']['text']['energy_cost']} of electricity at {main['cost']['text']['kwh_price']})"
    if fastest is None:
        t["rent"] = f"No card with a listed price fits this run; {own}."
    elif fastest["gpu"] == main["gpu"]["id"]:
        energy = own.partition(" and ")[2]
        t["rent"] = (f"Your {cards} is the fastest listed card: {_time_cost(fastest)} rented"
                     + (f", and {energy} on your own" if energy else "") + ".")
    else:
        many = f"{n} × {_label(fastest)}" if n > 1 else with_article(_label(fastest))
        t["rent"] = f"Renting {many} would finish in {_time_cost(fastest)}; {own}."
        if cheapest is not None and cheapest is not fastest:
            t["rent"] += f" The cheapest listed card for this run is the {_label(cheapest)}: {_time_cost(cheapest)}."
    # -- the cheapest card within a deadline --
    if v["deadline_hours"] is not None:
        limit = v["deadline_hours"] * 3600
        ok = [r for r in choices if r["total_seconds"] <= limit]
        pick = _pick(ok, lambda r: (r["cost"], r["total_seconds"]))
        s["within_deadline"] = pick and pick["gpu"]
        wanted = fmt.duration(limit)
        if pick:
            t["deadline"] = (f"The cheapest listed card that finishes within {wanted} is the {_label(pick)}: "
                             f"{_time_cost(pick)}.")
        elif fastest:
            t["deadline"] = (f"No listed card finishes within {wanted}; the fastest, the {_label(fastest)}, takes "
                             f"{fastest['text']['total_seconds']}.")
        else:
            t["deadline"] = f"No card with a listed price fits this run, so none finishes within {wanted}."
    # -- the fastest run within a budget --
    if v["budget_usd"] is not None:
        ok = [r for r in choices if r["cost"] <= v["budget_usd"]]
        pick = _pick(ok, lambda r: (r["total_seconds"], r["cost"]))
        s["within_budget"] = pick and pick["gpu"]
        wanted = fmt.money(v["budget_usd"])
        if pick:
            t["budget"] = f"The fastest listed card within {wanted} is the {_label(pick)}: {_time_cost(pick)}."
        elif cheapest:
            t["budget"] = (f"No listed card finishes this run for {wanted} or less; the cheapest, the "
                           f"{_label(cheapest)}, costs about {cheapest['text']['cost']}.")
        else:
            t["budget"] = f"No card with a listed price fits this run, so none finishes it for {wanted}."
    # -- 8 GPUs or 1: on the fastest rented card --
    if fastest is not None:
        m = multi_gpu(v, fastest["gpu"], fastest["price_per_hour"])
        s["multi_gpu"] = m
        name = _label(fastest)
        if m["ok"]:
            mt = m["text"]
            verdict = ("costs more" if m["cost_ratio"] > 1.005 else "costs less" if m["cost_ratio"] < 0.995
                       else "costs the same")
            t["multi_gpu"] = (f"On {MULTI_GPU} × {name} the same run takes {mt['many_total']} for about "
                              f"{mt['many_cost']}, against {mt['one_total']} for about {mt['one_cost']} on one: "
                              f"{mt['speedup']} faster, and it {verdict} ({mt['cost_ratio']} the cost)"
                              + (", since the gradient all-reduce and the warm-up are paid on every GPU."
                                 if verdict == "costs more" else "."))
        else:
            t["multi_gpu"] = f"{MULTI_GPU} × {name} cannot run the same run: {m['reason']}."
    oldest, newest = cost.price_dates()
    t["prices"] = (f"Prices are public on-demand rates per GPU-hour read between {oldest} and {newest}; they change, "
                   "so check the provider's page, or enter your own price.")
    s["text"] = t
    return {"rows": rows, "summary": s}


def compare_for(**inputs) -> dict:
    from . import schema

    return compare(schema.validate(inputs))


def table(answer: dict, current: str) -> str:
    """The comparison as a text table for the CLI (--compare): time and cost on every card, marks and sources."""
    rows = answer["rows"]
    names = [short_name(row["name"]) + (" *" if row["gpu"] == current else "") for row in rows]
    w = max([22, *(len(n) + 2 for n in names)])  # the longest card name sets the first column
    head = f"{'GPU':<{w}}{'total time':>14}{'cost':>12}{'$/GPU-hour':>12}  memory        price from"
    out = [head, "-" * len(head)]
    for name, row in zip(names, rows, strict=True):
        if "error" in row:
            out.append(f"{name:<{w}}  cannot run: {row['error']}")
            continue
        t = row["text"]
        price = fmt.price_per_hour(row["price_per_hour"]).removesuffix("/GPU-hour") \
            if row["price_per_hour"] is not None else "-"
        money = t["cost"] if row["cost"] is not None else "-"
        marks = f"  <- {t['marks']}" if t.get("marks") else ""
        src = t["price_source"] if row["price_per_hour"] is not None else ""
        out.append(f"{name:<{w}}{t['total_seconds']:>14}{money:>12}{price:>12}  {row['memory_verdict']:<14}{src}"
                   f"{marks}")
    out.append("* your GPU. Cost = total time x num_gpus x price per GPU-hour; '-': no public rental price.")
    s = answer["summary"]["text"]
    out += ["", s["rent"]] + [s[k] for k in ("deadline", "budget", "multi_gpu") if k in s] + [s["prices"]]
    return "\n".join(out)
