"""Cost and energy: the price table (every entry dated and sourced), the cost of a run rented and on your own card,
the comparison across cards (cheapest, fastest, within a deadline or a budget, 8 GPUs against 1), bad input, and the
CLI. Expectations are computed from estimate() and the price table, never copied from the output."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

import said
from calculator import cost, fmt, gpus, rent, schema, web
from calculator.errors import InputError
from said import estimate

ROOT = Path(__file__).resolve().parent.parent

DATE = re.compile(r"^20\d\d-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")


def close(a: float, b: float, rel: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=rel)


# -- the price table --

def test_every_price_has_a_source_a_date_and_a_provider():
    raw = json.loads((ROOT / "calculator" / "data" / "prices.json").read_text(encoding="utf-8"))
    assert raw["_about"]["currency"] == "USD"
    assert raw["prices"], "the price table is empty"
    seen = set()
    for p in raw["prices"]:
        assert p["gpu"] not in seen, f"{p['gpu']}: two prices"
        seen.add(p["gpu"])
        assert isinstance(p["usd_per_gpu_hour"], (int, float)) and 0 < p["usd_per_gpu_hour"] < 100, p
        assert DATE.match(p.get("date", "")), f"{p['gpu']}: no date (YYYY-MM-DD or YYYY-MM), got {p.get('date')!r}"
        assert p.get("source", "").startswith("https://"), f"{p['gpu']}: no source URL"
        assert p.get("via", "").startswith("https://"), f"{p['gpu']}: no URL of the page the price was read from"
        assert p.get("provider", "").strip(), f"{p['gpu']}: no provider"


def test_price_ids_are_catalogue_cards():
    for gpu_id in cost.PRICES:
        assert gpu_id in gpus.CATALOGUE, f"prices.json names {gpu_id!r}, which is not a catalogue id"


def test_the_listed_price_of_every_priced_card_is_the_one_used():
    for gpu_id in cost.PRICES:
        r = estimate(gpu=gpu_id, dtype="float16")  # float16: the T4 and the V100 have no bfloat16
        c = r["cost"]
        assert c["price_per_hour"] == cost.PRICES[gpu_id]["usd_per_gpu_hour"]
        assert c["price_origin"] == "listed"
        assert close(c["run_cost"], r["total_seconds"] / 3600 * c["price_per_hour"])
        assert cost.PRICES[gpu_id]["date"] in c["text"]["price_source"]
        assert cost.PRICES[gpu_id]["provider"] in c["text"]["price_source"]


def test_price_dates_span_the_table():
    oldest, newest = cost.price_dates()
    dates = [p["date"] for p in cost.PRICES.values()]
    assert oldest == min(dates) and newest == max(dates)
    assert oldest in said.compare(schema.validate(dict()))["summary"]["text"]["prices"]


# -- the cost of one run --

def test_run_cost_is_gpu_hours_times_price_times_gpus():
    r = estimate(gpu="h100-sxm", num_gpus=4, price_per_hour=3.5)
    c = r["cost"]
    assert c["price_origin"] == "given" and c["text"]["price_source"] == "your price"
    assert close(c["gpu_hours"], r["total_seconds"] / 3600 * 4)
    assert close(c["run_cost"], r["total_seconds"] / 3600 * 4 * 3.5)
    assert c["text"]["run_cost"] == fmt.money(c["run_cost"])


def test_energy_uses_board_power_unless_a_draw_is_given():
    r = estimate(gpu="rtx-4070", kwh_price=0.3)
    c = r["cost"]
    board = gpus.CATALOGUE["rtx-4070"]["tdp_w"]
    assert c["power_watts"] == board and c["power_origin"] == "board power"
    assert close(c["energy_kwh"], r["total_seconds"] / 3600 * board / 1000)
    assert close(c["energy_cost"], c["energy_kwh"] * 0.3)
    mine = estimate(gpu="rtx-4070", kwh_price=0.3, power_watts=150, num_gpus=2)
    assert close(mine["cost"]["energy_kwh"], mine["total_seconds"] / 3600 * 2 * 150 / 1000)
    assert mine["cost"]["text"]["energy_kwh"] == fmt.energy(mine["cost"]["energy_kwh"])


def test_missing_price_draw_or_tariff_say_so_and_never_make_nan():
    r = estimate(gpu="rtx-4070")
    assert "rtx-4070" not in cost.PRICES
    assert r["cost"]["run_cost"] is None and r["cost"]["text"]["run_cost"] == "no public rental price"
    assert r["cost"]["energy_cost"] is None and r["cost"]["energy_kwh"] > 0
    custom = estimate(gpu="custom")
    assert custom["cost"]["energy_kwh"] is None and "power_watts" in custom["cost"]["text"]["energy_kwh"]
    free = estimate(gpu="custom", price_per_hour=0, power_watts=100, kwh_price=0)
    assert free["cost"]["run_cost"] == 0 and free["cost"]["energy_cost"] == 0


@pytest.mark.parametrize("field,value", [
    ("price_per_hour", -1), ("price_per_hour", 1e6), ("price_per_hour", "nan"), ("price_per_hour", "cheap"),
    ("kwh_price", -0.1), ("kwh_price", 11), ("power_watts", 0), ("power_watts", 1e5),
    ("deadline_hours", 0), ("deadline_hours", -2), ("budget_usd", 0), ("budget_usd", 1e12),
])
def test_bad_cost_input_names_the_field_and_its_range(field, value):
    with pytest.raises(InputError) as e:
        estimate(**{field: value})
    f = schema.BY_NAME[field]
    assert e.value.field == field
    assert f.range_text() in str(e.value) and str(e.value).startswith(field)


def test_a_share_link_carries_custom_prices_and_bad_ones_fall_back():
    inputs = schema.validate({"gpu": "rtx-4090", "price_per_hour": 0.55, "kwh_price": 0.25, "power_watts": 320,
                              "deadline_hours": 5, "budget_usd": 3})
    query = schema.to_query(inputs)
    state = web.evaluate_url(query)
    assert not state["errors"]
    for k in ("price_per_hour", "kwh_price", "power_watts", "deadline_hours", "budget_usd"):
        assert state["inputs"][k] == inputs[k]
    assert close(state["result"]["cost"]["run_cost"], estimate(**inputs)["cost"]["run_cost"])
    bad = web.evaluate_url("price_per_hour=-3&kwh_price=0.2")
    assert bad["inputs"]["price_per_hour"] is None and bad["inputs"]["kwh_price"] == 0.2
    assert [e["field"] for e in bad["errors"]] == ["price_per_hour"]
    assert "0 <= price_per_hour <= 1000" in bad["errors"][0]["message"]


# -- which card to rent --

def _fits(row: dict) -> bool:
    return "total_seconds" in row and row["memory_verdict"] != "does not fit"


def test_comparison_rows_carry_cost_and_mark_the_fastest_and_the_cheapest():
    v = schema.validate({"num_gpus": 2})
    answer = said.compare(v)
    rows = answer["rows"]
    choices = []
    for row in rows:
        if "total_seconds" not in row:
            continue
        listed = cost.PRICES.get(row["gpu"])
        if listed is None:
            assert row["cost"] is None and row["text"]["cost"] == "no public rental price"
            continue
        assert close(row["cost"], row["total_seconds"] / 3600 * 2 * listed["usd_per_gpu_hour"])
        if _fits(row):
            choices.append(row)
    assert choices
    fastest = min(choices, key=lambda r: r["total_seconds"])
    cheapest = min(choices, key=lambda r: r["cost"])
    assert answer["summary"]["fastest"] == fastest["gpu"] and "fastest" in fastest["marks"]
    assert answer["summary"]["cheapest"] == cheapest["gpu"] and "cheapest" in cheapest["marks"]
    assert sum("fastest" in r.get("marks", []) for r in rows) == 1
    assert sum("cheapest" in r.get("marks", []) for r in rows) == 1


def test_the_rent_sentence_uses_the_fastest_card_and_your_own():
    answer = said.compare(schema.validate(dict()))
    main = estimate()
    fastest = next(r for r in answer["rows"] if r["gpu"] == answer["summary"]["fastest"])
    text = answer["summary"]["text"]["rent"]
    assert text.startswith("Renting ")
    assert fastest["text"]["total_seconds"] in text and fastest["text"]["cost"] in text
    assert main["text"]["total_seconds"] in text and main["cost"]["text"]["energy_kwh"] in text
    assert rent.short_name(main["gpu"]["name"]) in text


def test_your_price_prices_your_card_in_the_comparison():
    answer = said.compare(schema.validate(dict(gpu="rtx-4070", price_per_hour=0.01)))
    mine = next(r for r in answer["rows"] if r["gpu"] == "rtx-4070")
    assert close(mine["cost"], mine["total_seconds"] / 3600 * 0.01)
    assert mine["text"]["price_source"] == "your price"
    assert answer["summary"]["cheapest"] == "rtx-4070"  # a cent an hour undercuts every listed price


def test_cheapest_within_a_deadline_and_fastest_within_a_budget():
    base = said.compare(schema.validate(dict()))
    choices = [r for r in base["rows"] if _fits(r) and r["cost"] is not None]
    times = sorted(r["total_seconds"] for r in choices)
    deadline_h = (times[len(times) // 2]) / 3600  # the median card's time: some cards make it, some don't
    costs = sorted(r["cost"] for r in choices)
    budget = costs[len(costs) // 2]
    answer = said.compare(schema.validate(dict(deadline_hours=deadline_h, budget_usd=budget)))
    s = answer["summary"]
    rows = {r["gpu"]: r for r in answer["rows"]}
    in_time = [r for r in choices if r["total_seconds"] <= deadline_h * 3600]
    assert s["within_deadline"] == min(in_time, key=lambda r: (r["cost"], r["total_seconds"]))["gpu"]
    assert rows[s["within_deadline"]]["text"]["cost"] in s["text"]["deadline"]
    in_budget = [r for r in choices if r["cost"] <= budget]
    assert s["within_budget"] == min(in_budget, key=lambda r: (r["total_seconds"], r["cost"]))["gpu"]
    assert rows[s["within_budget"]]["text"]["total_seconds"] in s["text"]["budget"]


def test_impossible_deadline_and_budget_say_so():
    s = said.compare(schema.validate(dict(deadline_hours=1e-6, budget_usd=1e-6)))["summary"]
    assert s["within_deadline"] is None and s["text"]["deadline"].startswith("No listed card finishes within")
    assert s["within_budget"] is None and s["text"]["budget"].startswith("No listed card finishes this run for")


def test_eight_gpus_against_one_uses_the_ddp_estimate():
    s = said.compare(schema.validate(dict()))["summary"]
    m = s["multi_gpu"]
    assert m["ok"] and m["gpu"] == s["fastest"] and m["num_gpus"] == rent.MULTI_GPU
    price = cost.PRICES[m["gpu"]]["usd_per_gpu_hour"]
    one = estimate(gpu=m["gpu"], num_gpus=1)
    many = estimate(gpu=m["gpu"], num_gpus=rent.MULTI_GPU)
    assert close(m["one"]["cost"], one["total_seconds"] / 3600 * price)
    assert close(m["many"]["cost"], many["total_seconds"] / 3600 * rent.MULTI_GPU * price)
    assert close(m["cost_ratio"], m["many"]["cost"] / m["one"]["cost"])
    word = "costs more" if m["cost_ratio"] > 1.005 else "costs less" if m["cost_ratio"] < 0.995 else "costs the same"
    assert word in s["text"]["multi_gpu"]


def test_eight_gpus_need_a_divisible_accumulation():
    m = said.compare(schema.validate(dict(gradient_accumulation_steps=12)))["summary"]["multi_gpu"]
    assert not m["ok"] and "gradient_accumulation_steps" in m["reason"]


def test_compare_gpus_json_for_the_page():
    answer = json.loads(web.compare_gpus("gpu=rtx-4090&deadline_hours=3"))
    assert answer["summary"]["text"]["deadline"] and answer["summary"]["text"]["rent"]
    assert all("cost" in r["text"] for r in answer["rows"] if "total_seconds" in r)


# -- formatting --

@pytest.mark.parametrize("usd,text", [(2.2, "$2.20"), (0.5, "$0.50"), (1234.4, "$1,234"), (0, "$0"),
                                      (0.004, "$0.004")])
def test_money(usd, text):
    assert fmt.money(usd) == text


@pytest.mark.parametrize("usd,text", [(2.69, "$2.69/GPU-hour"), (0.865, "$0.865/GPU-hour"),
                                      (0.18, "$0.18/GPU-hour"), (1.9512, "$1.95/GPU-hour")])
def test_price_per_hour_keeps_the_price_lists_figures(usd, text):
    assert fmt.price_per_hour(usd) == text


def test_money_keeps_three_figures_or_cents():
    for x in (0.0123, 0.37, 2.195, 19.99, 512.3, 9876.5, 123456.0, 4.2e7):
        text = fmt.money(x)
        assert text.startswith("$")
        back = text[1:].replace(",", "")
        scale = {"M": 1e6, "B": 1e9}.get(back[-1], 1)
        value = float(back.rstrip("MB")) * scale
        assert abs(value - x) <= max(0.005, x * 0.005), (x, text)


# -- the command line --

def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calculator", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_cli_prints_cost_and_energy_with_your_prices():
    p = cli("--gpu", "rtx-4090", "--price-per-hour", "0.5", "--kwh-price", "0.3")
    assert p.returncode == 0, p.stderr
    r = estimate(gpu="rtx-4090", price_per_hour=0.5, kwh_price=0.3)
    assert r["cost"]["text"]["run_cost"] in p.stdout
    assert r["cost"]["text"]["energy_kwh"] in p.stdout and r["cost"]["text"]["energy_cost"] in p.stdout


def test_cli_bad_price_exits_2_naming_the_field():
    p = cli("--price-per-hour", "-1")
    assert p.returncode == 2
    assert "price_per_hour" in p.stderr and "0 <= price_per_hour <= 1000" in p.stderr


def test_cli_compare_prints_every_card_and_the_answers():
    p = cli("--compare", "--deadline-hours", "2")
    assert p.returncode == 0, p.stderr
    answer = said.compare(schema.validate(dict(deadline_hours=2)))
    for row in answer["rows"]:
        assert rent.short_name(row["name"]) in p.stdout
    assert "fastest" in p.stdout and "cheapest" in p.stdout
    assert answer["summary"]["text"]["deadline"] in p.stdout
    assert answer["summary"]["text"]["multi_gpu"] in p.stdout


def test_cli_json_carries_cost_and_compare_json_the_rows():
    p = cli("--json", "--price_per_hour=2")
    r = json.loads(p.stdout)
    assert close(r["cost"]["run_cost"], r["total_seconds"] / 3600 * 2)
    q = json.loads(cli("--compare", "--json").stdout)
    assert {"rows", "summary"} <= set(q) and q["summary"]["fastest"]


def test_docs_list_every_price_with_its_date_and_source():
    text = (ROOT / "docs" / "cost.md").read_text(encoding="utf-8")
    for p in cost.PRICES.values():
        line = next((ln for ln in text.splitlines() if ln.startswith(f"| `{p['gpu']}` |")), None)
        assert line is not None, f"docs/cost.md lacks {p['gpu']}"
        assert p["date"] in line and p["source"] in line and p["provider"] in line
        assert fmt.price_per_hour(p["usd_per_gpu_hour"]).removesuffix("/GPU-hour") in line


def test_comparison_runs_every_card_in_what_nanogpt_would_pick():
    """dtype auto: the T4, V100, P100 and RTX 2080 Ti get times (emulated bf16 on current PyTorch, float16 on 2.2),
    and an emulated row says what float16 would take."""
    from calculator import compare, schema

    rows = {r["gpu"]: r for r in compare.across_gpus(schema.validate({}))}
    for gpu in ("t4", "v100", "p100", "rtx-2080-ti"):
        r = rows[gpu]
        assert "error" not in r and r["ms_per_iter"] > 0, r
        assert r["emulated_bf16"] and r["float16_ms_per_iter"] < r["ms_per_iter"]
    assert rows["rtx-4090"]["dtype"] == "bfloat16" and not rows["rtx-4090"]["emulated_bf16"]
    old = {r["gpu"]: r for r in compare.across_gpus(schema.validate({"torch_version": "2.2"}))}
    assert old["t4"]["dtype"] == "float16" and "error" not in old["t4"]
