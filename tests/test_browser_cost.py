"""Cost and energy on the built page in headless Chromium: the default run shows its cost card and the sentence
about renting, a share link with custom prices restores them with numbers equal to calculator.estimate's and the
comparison's, and a bad price is named with its range."""

from __future__ import annotations

import pytest

import browser_helpers as bh
import said
from calculator import cost, gpus, schema
from said import estimate

pytestmark = pytest.mark.browser

COST_FIELDS = ("price_per_hour", "power_watts", "kwh_price", "deadline_hours", "budget_usd")


def compare_texts(page) -> dict[str, dict]:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('[data-compare]')).map(
        el => [el.getAttribute('data-compare'), {text: el.textContent, hidden: el.hidden}]))""")


def test_default_page_shows_cost_energy_and_the_rent_sentence(chromium, vendored_site):
    context, page, watch = bh.open_page(chromium, vendored_site[0])
    try:
        bh.wait_state(page, "ready")
        expected = estimate()
        assert bh.mismatches(page, expected, prefix="cost.") == []
        card = page.locator("#card-cost").text_content()
        assert expected["cost"]["text"]["energy_kwh"] in card and expected["cost"]["text"]["run_cost"] in card
        assert expected["cost"]["energy_kwh"] > 0
        for name in COST_FIELDS:
            assert page.locator(f"fieldset.group-cost [name={name}]").count() == 1
        summary = said.compare(schema.validate({}))["summary"]["text"]
        texts = compare_texts(page)
        assert texts["summary.text.rent"] == {"text": summary["rent"], "hidden": False}
        assert texts["summary.text.deadline"]["hidden"] and texts["summary.text.budget"]["hidden"]
        assert page.locator("#rent-summary").text_content().startswith(summary["rent"])
        # The price table lists every entry with its date and its source.
        rows = page.locator("#price-table tbody tr")
        assert rows.count() == len(cost.PRICES)
        for p in cost.PRICES.values():
            row = page.locator(f"#price-table tr[data-price-gpu='{p['gpu']}']")
            assert p["date"] in row.text_content() and row.locator(f"a[href='{p['source']}']").count() == 1
        watch.assert_clean()
    finally:
        context.close()


def test_a_link_with_custom_prices_restores_them_and_the_numbers(chromium, vendored_site):
    inputs = {"gpu": "rtx-4090", "price_per_hour": 0.55, "kwh_price": 0.25, "power_watts": 320,
              "deadline_hours": 5, "budget_usd": 2.5}
    query = "gpu=rtx-4090&price_per_hour=0.55&kwh_price=0.25&power_watts=320&deadline_hours=5&budget_usd=2.5"
    context, page, watch = bh.open_page(chromium, vendored_site[0] + "?" + query)
    try:
        bh.wait_state(page, "ready")
        expected = estimate(**inputs)
        assert bh.mismatches(page, expected) == []
        assert expected["cost"]["run_cost"] == pytest.approx(expected["total_seconds"] / 3600 * 0.55, rel=1e-12)
        assert page.locator("[data-output='cost.text.run_cost']").first.text_content() == \
            expected["cost"]["text"]["run_cost"]
        assert page.locator("[data-output='cost.text.energy_cost']").first.text_content() == \
            expected["cost"]["text"]["energy_cost"]
        values = bh.field_values(page)
        assert (values["price_per_hour"], values["kwh_price"], values["power_watts"]) == ("0.55", "0.25", "320")
        assert (values["deadline_hours"], values["budget_usd"]) == ("5", "2.5")
        # The comparison (charts.js asks Python once the result is shown) answers the deadline and the budget.
        bh.poll(page, "() => window.__estimator.charts.settled()")
        summary = said.compare(schema.validate(inputs))["summary"]["text"]
        texts = compare_texts(page)
        for key in ("rent", "deadline", "budget", "multi_gpu", "prices"):
            assert texts[f"summary.text.{key}"] == {"text": summary[key], "hidden": False}, key
        mine = page.locator("#gpu-compare-rows tr[data-gpu='rtx-4090']").text_content()
        assert expected["cost"]["text"]["run_cost"] in mine and "your price" in mine
        marked = page.evaluate("""() => Array.from(document.querySelectorAll('#gpu-compare-rows [data-marks]'))
            .map(td => [td.parentElement.getAttribute('data-gpu'), td.getAttribute('data-marks')])""")
        answer = said.compare(schema.validate(inputs))["summary"]
        want = {}
        for mark in ("fastest", "cheapest"):
            want.setdefault(answer[mark], []).append(mark)
        assert {g: m.split() for g, m in marked} == want
        assert set(want) <= set(gpus.CATALOGUE)
        watch.assert_clean()
    finally:
        context.close()


def test_a_bad_price_is_named_with_its_range(chromium, vendored_site):
    context, page, watch = bh.open_page(chromium, vendored_site[0])
    try:
        bh.wait_state(page, "ready")
        bh.change(page, lambda: page.fill("[name=price_per_hour]", "-5"))
        error = page.locator("[data-error-for=price_per_hour]")
        assert error.is_visible()
        assert error.text_content().startswith("price_per_hour: must be a number with 0 <= price_per_hour <= 1000")
        bh.change(page, lambda: page.fill("[name=price_per_hour]", "0.4"))
        assert error.is_hidden()
        assert bh.mismatches(page, estimate(price_per_hour=0.4), prefix="cost.") == []
        watch.assert_clean()
    finally:
        context.close()
