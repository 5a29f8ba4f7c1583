"""The Spanish page in headless Chromium: it reaches ready, asks Python for Spanish text, follows input changes,
restores a shared link in Spanish, and its language switch carries the inputs both ways. Every live value equals
calculator.estimate's (data-value), and every text equals Python's Spanish text for it.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

import browser_helpers as bh
from calculator import web
from said import estimate

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def es_live(chromium, vendored_site):
    context, page, watch = bh.open_page(chromium, vendored_site[0] + "es/")
    bh.wait_state(page, "ready")
    yield page, watch
    context.close()


def test_the_spanish_page_reaches_ready_with_spanish_text(es_live):
    page, watch = es_live
    assert page.evaluate("() => document.documentElement.lang") == "es"
    assert page.locator("#status").text_content() == "En vivo"
    assert bh.mismatches(page, estimate(lang="es")) == []
    shown = page.locator("[data-output=ms_per_iter]").first.text_content()
    assert shown == estimate(lang="es")["text"]["ms_per_iter"] and "," in shown  # "4,2 s/iter"
    watch.assert_clean()


def test_the_spanish_page_follows_input_changes(es_live):
    page, watch = es_live
    bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
    bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-4090"))
    bh.change(page, lambda: page.fill("[name=observed_ms_per_iter]", "100"))
    assert bh.mismatches(page, bh.page_result(lang="es", n_layer=24, gpu="rtx-4090", observed_ms_per_iter=100)) == []
    assert page.locator("#claim-verdict .verdict-word").text_content() == "imposible"
    url = urlsplit(bh.settled_url(page))
    assert url.path.endswith("/es/")
    assert parse_qs(url.query) == {"n_layer": ["24"], "gpu": ["rtx-4090"], "observed_ms_per_iter": ["100"]}
    # the language switch keeps the inputs
    switch = page.locator("a[data-lang-switch=en]")
    assert switch.get_attribute("hreflang") == "en"
    assert urlsplit(page.evaluate("() => document.querySelector('a[data-lang-switch=en]').href")).query == url.query
    # the GPU comparison's sentences are Python's Spanish ones for the same inputs
    answer = json.loads(web.compare_gpus(url.query, "es"))
    bh.poll(page, "() => document.querySelector('[data-compare=\"summary.text.rent\"]').textContent",
            lambda t: t == answer["summary"]["text"]["rent"])
    bh.change(page, lambda: page.fill("[name=n_layer]", "abc"))
    error = page.locator("#e-n_layer").text_content()
    assert error.startswith("n_layer: debe ser un número entero"), error
    bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
    watch.assert_clean()


def test_a_shared_spanish_link_opens_in_spanish(chromium, vendored_site):
    query = "n_layer=12&n_embd=768&n_head=12&batch_size=12&gpu=h100-sxm&max_iters=600000&checkpoint_seconds=2.5"
    context, page, watch = bh.open_page(chromium, vendored_site[0] + "es/?" + query)
    try:
        bh.wait_state(page, "ready")
        expected = estimate(lang="es", n_layer=12, n_embd=768, n_head=12, batch_size=12, gpu="h100-sxm",
                            max_iters=600000, checkpoint_seconds=2.5)
        assert bh.mismatches(page, expected) == []
        values = bh.field_values(page)
        assert (values["gpu"], values["max_iters"], values["checkpoint_seconds"]) == ("h100-sxm", "600000", "2.5")
        shared = urlsplit(bh.settled_url(page))  # the canonical link: still the Spanish page, defaults left out
        assert shared.path.endswith("/es/")
        assert parse_qs(shared.query) == {k: v for k, v in parse_qs(query).items() if k not in ("n_layer", "n_head")}
        watch.assert_clean()
    finally:
        context.close()


def test_switching_language_keeps_the_inputs(chromium, vendored_site):
    context, page, watch = bh.open_page(chromium, vendored_site[0])
    try:
        bh.wait_state(page, "ready")
        bh.change(page, lambda: page.fill("[name=batch_size]", "8"))
        bh.settled_url(page)
        page.click("a[data-lang-switch=es]")
        page.wait_for_url("**/es/?batch_size=8")
        bh.wait_state(page, "ready")
        assert bh.field_values(page)["batch_size"] == "8"
        assert bh.mismatches(page, estimate(lang="es", batch_size=8)) == []
        page.click("a[data-lang-switch=en]")
        page.wait_for_url("**/?batch_size=8")
        bh.wait_state(page, "ready")
        assert urlsplit(page.url).path.endswith("/") and not urlsplit(page.url).path.endswith("/es/")
        assert bh.mismatches(page, estimate(batch_size=8)) == []
        watch.assert_clean()
    finally:
        context.close()


def test_a_pasted_log_is_analysed_in_spanish(es_live):
    page, watch = es_live
    text = (bh.LOGS / "nanogpt.log").read_text(encoding="utf-8")
    before = bh.log_calls(page)
    page.fill("#log-text", text)
    page.click("#log-analyse")
    bh.wait_log(page, before)
    query = urlsplit(bh.settled_url(page)).query
    answer = json.loads(web.analyze_log(text, query, "es"))
    assert answer["ok"]
    assert bh.log_mismatches(page, answer["analysis"]) == []
    assert page.locator("[data-log=verdict]").text_content() == answer["analysis"]["text"]["verdict"]
    excluded = page.locator("#log-excluded").text_content()
    assert any(reason in excluded for reason in answer["analysis"]["reason_text"].values())
    watch.assert_clean()
