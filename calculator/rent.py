"""Which card to rent: the run's time and cost on every catalogue card, and the answers to the questions people ask
of them (the cheapest card within a deadline, the fastest within a budget, and whether 8 GPUs cost more than 1).

Every answer comes from compare.across_gpus (estimate() on each card) and the price table (cost.py). Only cards the
run fits on ("fits" or "tight") and that have a price count as choices; a card without a public rental price is
still timed, and the user's price_per_hour prices the chosen card.
"""

from __future__ import annotations

from . import cost, schema
from .compare import across_gpus
from .errors import InputError
from .estimate import compute
from .facts import fact, qty

MULTI_GPU = 8  # the DDP size compared with one GPU: one 8-GPU node, the common rental unit


def short_name(name: str) -> str:
    """'NVIDIA GeForce RTX 4070' -> 'RTX 4070', 'NVIDIA H100 SXM5 80GB' -> 'H100 SXM5 80GB'."""
    for word in ("NVIDIA ", "GeForce ", "Tesla ", "AMD ", "Instinct "):
        name = name.replace(word, "")
    return name


def with_article(name: str) -> dict:
    """'an H100', 'an RTX 4070', 'a T4', 'a B200': English picks the article by how the first letter or digit is
    read aloud, so the fact names which ("rent.an" or "rent.a"); another language's template may ignore it."""
    return fact("rent.an" if name[:1].upper() in "AEFHILMNORSX8" else "rent.a", name=name)


def _priced(v: dict, rows: list[dict]) -> list[dict]:
    """Add price and cost to each timed row (in place); return the rows that count as choices."""
    choices = []
    for row in rows:
        if "total_seconds" not in row:
            continue
        price, origin = cost.price_for(row["gpu"], v["price_per_hour"] if row["gpu"] == v["gpu"] else None)
        row["price_per_hour"] = price
        row["price_origin"] = origin
        row["cost"] = row["total_seconds"] / 3600 * v["num_gpus"] * price if price is not None else None
        row["marks"] = []
        if row["cost"] is not None and row["memory_verdict"] != "does not fit":
            choices.append(row)
    return choices


def _pick(rows: list[dict], key) -> dict | None:
    return min(rows, key=key) if rows else None


def _time_cost(row: dict) -> dict:
    return fact("rent.time_cost", time=qty("duration", row["total_seconds"]), cost=qty("money", row["cost"]))


def _label(row: dict) -> str:
    return short_name(row["name"])


def multi_gpu(v: dict, gpu_id: str, price: float | None) -> dict:
    """The same run (same global batch: gradient_accumulation_steps is divided among the GPUs, as nanoGPT does) on
    one GPU and on MULTI_GPU GPUs of one kind, each timed by estimate() with its DDP all-reduce, at `price` per
    GPU-hour. {"ok": False, "reason": a fact} when the run cannot be split that way."""
    base = {**v, "gpu": gpu_id, "mfu": None, "observed_ms_per_iter": None, "reported_mfu": None,
            "price_per_hour": price}
    if v["gradient_accumulation_steps"] % MULTI_GPU:
        return {"ok": False, "reason": fact("rent.no_split", gas=v["gradient_accumulation_steps"], n=MULTI_GPU)}
    try:
        one_v, many_v = {**base, "num_gpus": 1}, {**base, "num_gpus": MULTI_GPU}
        for trial in (one_v, many_v):  # a tensor, pipeline or context split of the run may not fit 1 or 8 GPUs
            schema._cross_checks(trial)
        one = compute(one_v)
        many = compute(many_v)
    except InputError as e:
        return {"ok": False, "reason": e.fact}
    ratio = many["cost"]["run_cost"] / one["cost"]["run_cost"]
    return {"ok": True, "gpu": gpu_id, "num_gpus": MULTI_GPU,
            "one": {"total_seconds": one["total_seconds"], "cost": one["cost"]["run_cost"]},
            "many": {"total_seconds": many["total_seconds"], "cost": many["cost"]["run_cost"]},
            "cost_ratio": ratio, "speedup": one["total_seconds"] / many["total_seconds"]}


def compare(v: dict) -> dict:
    """Rows (compare.across_gpus plus price, cost and marks) and a summary for validated v: the picks, and what to
    say of them as facts (summary["text"]), which calculator.words.comparison writes in a language."""
    rows = across_gpus(v)
    choices = _priced(v, rows)
    fastest = _pick(choices, lambda r: (r["total_seconds"], r["cost"]))
    cheapest = _pick(choices, lambda r: (r["cost"], r["total_seconds"]))
    for row, mark in ((fastest, "fastest"), (cheapest, "cheapest")):
        if row is not None:
            row["marks"].append(mark)
    s: dict = {"fastest": fastest and fastest["gpu"], "cheapest": cheapest and cheapest["gpu"],
               "choices": len(choices), "within_deadline": None, "within_budget": None, "multi_gpu": None}
    says: dict = {}

    # -- renting, against the chosen card --
    main = compute({**v, "observed_ms_per_iter": None, "reported_mfu": None})
    mine = short_name(main["gpu"]["name"])
    n = v["num_gpus"]
    cards = f"{n} × {mine}" if n > 1 else mine
    c = main["cost"]
    energy = None
    if c["energy_kwh"] is not None:
        energy = fact("rent.energy", kwh=qty("energy", c["energy_kwh"]))
        if c["energy_cost"] is not None:
            energy = fact("rent.energy_priced", energy=energy, cost=qty("money", c["energy_cost"]),
                          price=qty("kwh_price", c["kwh_price"]))
    own = fact("rent.own", cards=cards, time=qty("duration", main["total_seconds"]))
    if energy:
        own = fact("rent.own_energy", own=own, energy=energy)
    if fastest is None:
        says["rent"] = fact("rent.none_fits", own=own)
    elif fastest["gpu"] == main["gpu"]["id"]:
        says["rent"] = fact("rent.yours_fastest_energy" if energy else "rent.yours_fastest", cards=cards,
                            time_cost=_time_cost(fastest), energy=energy)
    else:
        many = f"{n} × {_label(fastest)}" if n > 1 else with_article(_label(fastest))
        says["rent"] = fact("rent.renting", many=many, time_cost=_time_cost(fastest), own=own)
        if cheapest is not None and cheapest is not fastest:
            says["rent"] = fact("rent.renting_cheapest", renting=says["rent"], card=_label(cheapest),
                                time_cost=_time_cost(cheapest))
    # -- the cheapest card within a deadline --
    if v["deadline_hours"] is not None:
        limit = v["deadline_hours"] * 3600
        ok = [r for r in choices if r["total_seconds"] <= limit]
        pick = _pick(ok, lambda r: (r["cost"], r["total_seconds"]))
        s["within_deadline"] = pick and pick["gpu"]
        wanted = qty("duration", limit)
        if pick:
            says["deadline"] = fact("rent.deadline_pick", wanted=wanted, card=_label(pick), time_cost=_time_cost(pick))
        elif fastest:
            says["deadline"] = fact("rent.deadline_none", wanted=wanted, card=_label(fastest),
                                    time=qty("duration", fastest["total_seconds"]))
        else:
            says["deadline"] = fact("rent.deadline_nothing", wanted=wanted)
    # -- the fastest run within a budget --
    if v["budget_usd"] is not None:
        ok = [r for r in choices if r["cost"] <= v["budget_usd"]]
        pick = _pick(ok, lambda r: (r["total_seconds"], r["cost"]))
        s["within_budget"] = pick and pick["gpu"]
        wanted = qty("money", v["budget_usd"])
        if pick:
            says["budget"] = fact("rent.budget_pick", wanted=wanted, card=_label(pick), time_cost=_time_cost(pick))
        elif cheapest:
            says["budget"] = fact("rent.budget_none", wanted=wanted, card=_label(cheapest),
                                  cost=qty("money", cheapest["cost"]))
        else:
            says["budget"] = fact("rent.budget_nothing", wanted=wanted)
    # -- 8 GPUs or 1: on the fastest rented card --
    if fastest is not None:
        m = multi_gpu(v, fastest["gpu"], fastest["price_per_hour"])
        s["multi_gpu"] = m
        name = _label(fastest)
        if m["ok"]:
            verdict = ("more" if m["cost_ratio"] > 1.005 else "less" if m["cost_ratio"] < 0.995 else "same")
            says["multi_gpu"] = fact("rent.multi_why" if verdict == "more" else "rent.multi", n=MULTI_GPU, name=name,
                                     many_total=qty("duration", m["many"]["total_seconds"]),
                                     many_cost=qty("money", m["many"]["cost"]),
                                     one_total=qty("duration", m["one"]["total_seconds"]),
                                     one_cost=qty("money", m["one"]["cost"]), speedup=qty("times", m["speedup"]),
                                     verdict=fact(f"rent.costs_{verdict}"), ratio=qty("times", m["cost_ratio"]))
        else:
            says["multi_gpu"] = fact("rent.multi_cannot", n=MULTI_GPU, name=name, reason=m["reason"])
    oldest, newest = cost.price_dates()
    says["prices"] = fact("rent.prices", oldest=oldest, newest=newest)
    s["text"] = says
    return {"rows": rows, "summary": s}


def compare_for(**inputs) -> dict:
    from . import schema

    return compare(schema.validate(inputs))
