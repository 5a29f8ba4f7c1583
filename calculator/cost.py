"""What a run costs: rented by the GPU-hour, and in energy on your own card.

The prices are public on-demand rates per GPU-hour in data/prices.json, one per catalogue card where one was found,
each with its provider, the date it was read and its source; a card without one has "no public rental price" and the
user can enter their own (price_per_hour). The energy is the card's draw (power_watts, else its board power from the
catalogue, gpus.json tdp_w) times the run's GPU-hours; its cost needs the user's electricity price (kwh_price).

Cost and energy cover the whole run as estimate() times it: warm-up, training steps, evaluations and checkpoints,
on every GPU (GPU-hours = total time x num_gpus).
"""

from __future__ import annotations

import json
from pathlib import Path

from . import gpus
from .facts import fact

_DATA = json.loads((Path(__file__).with_name("data") / "prices.json").read_text(encoding="utf-8"))
ABOUT: dict = _DATA["_about"]
PRICES: dict[str, dict] = {p["gpu"]: p for p in _DATA["prices"]}
def listed_price(gpu_id: str) -> dict | None:
    """The price table's entry for a catalogue id, or None."""
    return PRICES.get(gpu_id)


def price_dates() -> tuple[str, str]:
    """The oldest and the newest date in the price table ("2026-05-07", "2026-11-09")."""
    dates = sorted(p["date"] for p in PRICES.values())
    return dates[0], dates[-1]


def price_table() -> list[dict]:
    """The price table in catalogue order, for the page and the docs: one row per entry, with the card's name."""
    order = {g["id"]: i for i, g in enumerate(gpus.list_gpus())}
    rows = sorted(PRICES.values(), key=lambda p: (order.get(p["gpu"], len(order)), p["gpu"]))
    return [{**p, "name": gpus.CATALOGUE[p["gpu"]]["name"] if p["gpu"] in gpus.CATALOGUE else p["gpu"]}
            for p in rows]


def price_for(gpu_id: str, given: float | None) -> tuple[float | None, str]:
    """The price per GPU-hour a run on `gpu_id` is costed at, and where it comes from ("given", "listed", "none")."""
    if given is not None:
        return given, "given"
    entry = listed_price(gpu_id)
    if entry is not None:
        return entry["usd_per_gpu_hour"], "listed"
    return None, "none"


def price_source(gpu_id: str, origin: str) -> str | dict:
    """Where a price comes from: the listed entry's provider and date ('RunPod Community Cloud, 2026-11-09', in
    the source's own words), or a fact ("cost.your_price", "cost.enter_price")."""
    if origin == "given":
        return fact("cost.your_price")
    if origin == "listed":
        entry = PRICES[gpu_id]
        return f"{entry['provider']}, {entry['date']}"
    return fact("cost.enter_price")


def of_run(r: dict) -> dict:
    """result["cost"] for an estimate() result `r`: the run's GPU-hours, its rental cost and its energy.

    Values are None where an input is missing (no price for the card, no board power for a custom card, no
    electricity price); calculator.words writes each as text, which then says what is missing."""
    v = r["inputs"]
    gpu_id = r["gpu"]["id"]
    gpu_hours = r["total_seconds"] / 3600 * v["num_gpus"]
    price, origin = price_for(gpu_id, v["price_per_hour"])
    run_cost = gpu_hours * price if price is not None else None
    board = gpus.CATALOGUE.get(gpu_id, {}).get("tdp_w")
    draw = v["power_watts"] if v["power_watts"] is not None else board
    power_origin = "given" if v["power_watts"] is not None else ("board power" if board else "none")
    energy_kwh = gpu_hours * draw / 1000 if draw else None
    energy_cost = energy_kwh * v["kwh_price"] if energy_kwh is not None and v["kwh_price"] is not None else None
    out = {
        "gpu_hours": gpu_hours,
        "price_per_hour": price,
        "price_origin": origin,
        "run_cost": run_cost,
        "power_watts": draw,
        "power_origin": power_origin,
        "energy_kwh": energy_kwh,
        "kwh_price": v["kwh_price"],
        "energy_cost": energy_cost,
    }
    return out
