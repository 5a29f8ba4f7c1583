"""The built page in headless Chromium: Python loads in a worker, every live number equals calculator.estimate's,
links restore inputs, bad input never breaks the page, and the fallbacks say what happened.

Offline: the site is built with --vendor-pyodide and served on 127.0.0.1; a second local server with CORS headers
stands in for the CDN. Screenshots (light, dark, phone) go to test-artifacts/ for review, with the load timings.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

import browser_helpers as bh
from calculator import estimate, schema

pytestmark = pytest.mark.browser


def open_page(browser, url: str, **context_kw):
    context = browser.new_context(**context_kw)
    page = context.new_page()
    watch = bh.PageWatch(page)
    page.goto(url)
    return context, page, watch


@pytest.fixture(scope="module")
def live(chromium, vendored_site):
    """One page that reached 'ready', shared by the tests that drive the form (each resets it first)."""
    context, page, watch = open_page(chromium, vendored_site[0])
    bh.wait_state(page, "ready")
    yield page, watch
    context.close()


def reset(page) -> None:
    """Put every field back to its default text and wait for the results."""
    if page.evaluate("() => document.querySelectorAll('[aria-invalid]').length") == 0 and \
            page.evaluate("() => location.search") == "":
        return
    bh.change(page, lambda: page.evaluate("""() => {
        for (const el of document.querySelectorAll('[data-field]')) {
            if (el.type === 'checkbox') el.checked = el.getAttribute('data-default') === 'true';
            else el.value = el.getAttribute('data-default');
        }
        document.querySelector('[name=n_layer]').dispatchEvent(new Event('input'));
    }"""))
    assert page.evaluate("() => location.search") == ""


# -- loading --

def test_page_reaches_ready_with_the_native_numbers(live):
    page, watch = live
    assert bh.state(page) == "ready"
    assert bh.mismatches(page, estimate()) == []
    est = page.evaluate("() => ({mode: __estimator.mode, readyMs: __estimator.readyMs, timings: __estimator.timings,"
                        " longTasks: __estimator.longTasks})")
    assert est["mode"] == "worker" and est["readyMs"] > 0
    # The worker keeps Python's start-up off the main thread: no long task anywhere near Pyodide's seconds.
    assert all(t["duration"] < 1500 for t in est["longTasks"]), est["longTasks"]
    bh.save_artifact("load-timings.json", est)
    assert page.locator("#status").text_content() == "Live"
    assert page.locator("fieldset[data-calc][disabled]").count() == 0
    watch.assert_clean()


# -- the form --

def test_changing_inputs_updates_results_and_url(live):
    page, watch = live
    reset(page)
    bh.change(page, lambda: page.fill("[name=n_layer]", "12"))
    bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-4090"))
    bh.change(page, lambda: page.select_option("[name=dtype]", "bfloat16"))
    bh.change(page, lambda: page.uncheck("[name=compile]"))
    expected = estimate(n_layer=12, gpu="rtx-4090", dtype="bfloat16", compile=False)
    assert bh.mismatches(page, expected) == []
    assert page.locator("[data-output=ms_per_iter]").first.text_content() == expected["text"]["ms_per_iter"]
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"n_layer": ["12"], "gpu": ["rtx-4090"], "dtype": ["bfloat16"], "compile": ["false"]}
    assert page.input_value("#share-url") == page.url
    watch.assert_clean()


def test_a_link_restores_inputs_and_results_in_a_fresh_context(chromium, vendored_site):
    url = vendored_site[0] + "?n_layer=12&n_embd=768&n_head=12&batch_size=12&gpu=h100-sxm&max_iters=600000" \
                             "&checkpoint_seconds=2.5"
    context, page, watch = open_page(chromium, url)
    try:
        bh.wait_state(page, "ready")
        expected = estimate(n_layer=12, n_embd=768, n_head=12, batch_size=12, gpu="h100-sxm", max_iters=600000,
                            checkpoint_seconds=2.5)
        assert bh.mismatches(page, expected) == []
        values = bh.field_values(page)
        assert (values["n_layer"], values["n_embd"], values["n_head"], values["batch_size"]) == ("12", "768", "12", "12")
        assert (values["gpu"], values["max_iters"], values["checkpoint_seconds"]) == ("h100-sxm", "600000", "2.5")
        assert values["block_size"] == "1024" and values["compile"] == "true" and values["mfu"] == ""
        assert page.locator("#link-messages").is_hidden() and page.locator("#pending-note").is_hidden()
        watch.assert_clean()
    finally:
        context.close()


BAD_QUERY = ("batch_size=abc&foo=1&gpu=rtx-9999&n_layer=-3&max_iters=1e400&mfu=NaN"
             "&n_embd=%3Cscript%3Ealert(1)%3C%2Fscript%3E&%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E=1"
             "&eval_interval=javascript:alert(3)&dtype=bfloat16&dtype=float32")


def test_bad_parameters_show_messages_and_never_break_the_page(chromium, vendored_site):
    context, page, watch = open_page(chromium, vendored_site[0] + "?" + BAD_QUERY)
    try:
        scripts_before = page.evaluate("() => document.scripts.length")
        bh.wait_state(page, "ready")
        box = page.locator("#link-messages")
        assert box.is_visible()
        messages = page.locator("#link-messages-list li").all_text_contents()
        for name in ("batch_size", "foo", "gpu", "n_layer", "max_iters", "mfu", "n_embd", "eval_interval"):
            assert any(m.startswith(name + ":") for m in messages), (name, messages)
        assert any("<img src=x onerror=alert(2)>" in m for m in messages)  # shown as text
        # The bad fields fell back to their defaults; the good one (the first dtype) was kept.
        assert bh.mismatches(page, estimate(dtype="bfloat16")) == []
        assert page.evaluate("() => document.scripts.length") == scripts_before
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        assert parse_qs(urlsplit(page.url).query) == {"dtype": ["bfloat16"]}  # the link is cleaned up
        watch.assert_clean()
    finally:
        context.close()


def test_an_invalid_field_is_named_and_the_last_results_stay(live):
    page, watch = live
    reset(page)
    bh.change(page, lambda: page.fill("[name=batch_size]", "lots"))
    error = page.locator("[data-error-for=batch_size]")
    assert error.is_visible() and error.text_content().startswith("batch_size: must be a whole number")
    assert page.get_attribute("[name=batch_size]", "aria-invalid") == "true"
    assert page.locator("#results.stale").count() == 1 and page.locator("#stale-note").is_visible()
    assert bh.mismatches(page, estimate()) == []  # the last valid results stay, marked stale
    bh.change(page, lambda: page.fill("[name=n_head]", "7"))  # two problems at once: both named
    assert page.locator("[data-error-for=batch_size]").is_visible()
    bh.change(page, lambda: page.fill("[name=batch_size]", "8"))
    bh.change(page, lambda: page.fill("[name=n_head]", "8"))
    assert error.is_hidden() and page.locator("#results.stale").count() == 0
    assert bh.mismatches(page, estimate(batch_size=8)) == []
    watch.assert_clean()


def test_check_a_claim_shows_the_verdict(live):
    page, watch = live
    reset(page)
    verdict = page.locator(".verdict")
    assert verdict.is_hidden()
    bh.change(page, lambda: page.fill("[name=observed_ms_per_iter]", "100"))
    expected = estimate(observed_ms_per_iter=100)
    assert verdict.is_visible() and page.get_attribute(".verdict", "data-verdict") == "impossible"
    assert page.locator("[data-output='feasibility.message']").text_content() == expected["feasibility"]["message"]
    assert page.locator("#warnings").is_visible()
    assert page.locator("#warnings li").first.text_content() == expected["warnings"][0]
    assert bh.mismatches(page, expected) == []
    bh.change(page, lambda: page.fill("[name=observed_ms_per_iter]", ""))
    bh.change(page, lambda: page.fill("[name=reported_mfu]", "8.5"))
    assert bh.mismatches(page, estimate(reported_mfu=8.5)) == []
    assert page.get_attribute(".verdict", "data-verdict") == "as expected"
    bh.change(page, lambda: page.fill("[name=reported_mfu]", ""))
    assert verdict.is_hidden() and page.locator("#warnings").is_hidden()
    watch.assert_clean()


def test_custom_gpu_reveals_its_fields(live):
    page, watch = live
    reset(page)
    assert page.locator("[name=custom_tflops]").is_hidden()
    bh.change(page, lambda: page.select_option("[name=gpu]", "custom"))
    assert page.locator("[name=custom_tflops]").is_visible()
    bh.change(page, lambda: page.fill("[name=custom_tflops]", "250"))
    bh.change(page, lambda: page.fill("[name=custom_memory_gb]", "8"))
    expected = estimate(gpu="custom", custom_tflops=250, custom_memory_gb=8)
    assert expected["memory_verdict"] == "does not fit"
    assert bh.mismatches(page, expected) == []
    assert page.get_attribute(".card-memory", "data-verdict") == "does not fit"
    assert page.locator("#warnings").is_visible()
    bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-4070"))
    assert page.locator("[name=custom_tflops]").is_hidden()
    watch.assert_clean()


def test_copy_link_puts_the_share_url_on_the_clipboard(chromium, vendored_site):
    context, page, watch = open_page(chromium, vendored_site[0] + "?gpu=a100-80gb",
                                     permissions=["clipboard-read", "clipboard-write"])
    try:
        bh.wait_state(page, "ready")
        page.click("#copy-link")
        bh.poll(page, "() => document.getElementById('copy-status').textContent", bool)
        assert page.evaluate("() => navigator.clipboard.readText()") == page.url
        assert page.url.endswith("?gpu=a100-80gb")
        watch.assert_clean()
    finally:
        context.close()


# -- other ways to open the page --

def test_file_page_with_pyodide_from_another_origin_works(chromium, file_site):
    context, page, watch = open_page(chromium, file_site + "?n_layer=8")
    try:
        bh.wait_state(page, "ready")
        assert bh.mismatches(page, estimate(n_layer=8)) == []
        bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-3090"))
        assert bh.mismatches(page, estimate(n_layer=8, gpu="rtx-3090")) == []
        assert page.url.startswith("file://") and page.url.endswith("?n_layer=8&gpu=rtx-3090")
        assert page.input_value("#share-url") == page.url
        watch.assert_clean()
    finally:
        context.close()


def test_file_page_with_vendored_pyodide_says_why_it_cannot_run(chromium, vendored_site):
    context, page, watch = open_page(chromium, (vendored_site[1] / "index.html").as_uri())
    try:
        bh.wait_state(page, "unavailable", timeout_ms=10_000)
        reason = page.locator("#unavailable-reason").text_content()
        assert "opened from disk" in reason and "python -m http.server" in reason
        assert bh.mismatches(page, estimate()) == []  # the pre-rendered numbers stay
        watch.assert_clean()
    finally:
        context.close()


def test_unreachable_pyodide_shows_the_fallback_and_keeps_the_numbers(chromium, vendored_site):
    context = chromium.new_context()
    context.route("**/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    watch = bh.PageWatch(page, allow_console=("Failed to load resource", "net::ERR_FAILED"))
    try:
        page.goto(vendored_site[0] + "?batch_size=8&gpu=rtx-4090")
        bh.wait_state(page, "unavailable", timeout_ms=20_000)
        assert page.locator("#unavailable").is_visible()
        assert "could not be fetched" in page.locator("#unavailable-reason").text_content()
        assert page.locator("#cli-command").text_content() == \
            "python -m calculator --batch_size=8 --gpu=rtx-4090"
        assert page.locator("#status").text_content() == "Static numbers"
        assert bh.mismatches(page, estimate()) == []
        assert page.locator("#pending-note").is_visible()  # says the numbers are the defaults, not the link's
        watch.assert_clean()
    finally:
        context.close()


def test_tampered_pyodide_is_refused(chromium, vendored_site):
    context = chromium.new_context()

    def tamper(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.body() + b"\n// changed\n")

    context.route("**/pyodide/pyodide.mjs", tamper)
    page = context.new_page()
    watch = bh.PageWatch(page, allow_console=("integrity", "Failed to load resource"))
    try:
        page.goto(vendored_site[0])
        bh.wait_state(page, "unavailable", timeout_ms=20_000)
        assert "do not match the checksums" in page.locator("#unavailable-reason").text_content()
        watch.assert_clean()
    finally:
        context.close()


def test_a_hanging_loader_hits_the_time_limit(chromium, short_timeout_site):
    """A wrong MIME type for the wasm makes Pyodide's loader hang; the page gives up after its time limit."""
    context = chromium.new_context()

    def wrong_mime(route):
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-type": "text/plain"})

    context.route("**/pyodide/pyodide.asm.wasm", wrong_mime)
    page = context.new_page()
    watch = bh.PageWatch(page, allow_console=("wasm", "WebAssembly", "MIME"))
    try:
        page.goto(short_timeout_site[0] + "?n_layer=4")
        bh.wait_state(page, "unavailable", timeout_ms=30_000)
        assert "did not start within 4 seconds" in page.locator("#unavailable-reason").text_content()
        assert page.locator("#cli-command").text_content() == "python -m calculator --n_layer=4"
        assert bh.mismatches(page, estimate()) == []
        watch.assert_clean()
    finally:
        context.close()


def test_the_cli_command_quotes_hostile_values(chromium, vendored_site):
    context = chromium.new_context()
    context.route("**/pyodide/**", lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto(vendored_site[0] + "?gpu=%24(touch%20x)%27&n_layer=2&unknown=1")
        bh.wait_state(page, "unavailable", timeout_ms=20_000)
        assert page.locator("#cli-command").text_content() == \
            "python -m calculator --gpu='$(touch x)'\\''' --n_layer=2"
    finally:
        context.close()


def test_without_javascript_the_page_reads_correctly(chromium, vendored_site):
    context, page, watch = open_page(chromium, vendored_site[0], java_script_enabled=False)
    try:
        assert bh.state(page) == "loading"
        assert page.locator("noscript").count() == 1 and page.locator("#status").is_hidden()
        assert page.locator("[data-output=ms_per_iter]").first.text_content() == estimate()["text"]["ms_per_iter"]
        assert page.locator("[data-output=total_seconds]").first.is_visible()
        watch.assert_clean()
    finally:
        context.close()


# -- looks --

def test_theme_toggle_is_remembered_without_a_flash(chromium, vendored_site):
    context, page, watch = open_page(chromium, vendored_site[0], color_scheme="light")
    try:
        assert page.get_attribute("html", "data-theme") is None
        page.click("#theme-toggle")
        assert page.get_attribute("html", "data-theme") == "dark"
        assert page.evaluate("() => localStorage.getItem('estimator-theme')") == "dark"
        # On the next load the head script applies it before the first paint: the first style the body gets is dark.
        page.goto(vendored_site[0], wait_until="commit")
        page.wait_for_selector("body", state="attached")
        assert page.get_attribute("html", "data-theme") == "dark"
        bg = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert bg == "rgb(15, 18, 22)", bg
        bh.wait_state(page, "ready")
        page.click("#theme-toggle")
        assert page.get_attribute("html", "data-theme") == "light"
        watch.assert_clean()
    finally:
        context.close()


def test_phone_layout_collapses_the_contents(chromium, vendored_site):
    context, page, watch = open_page(chromium, vendored_site[0], viewport={"width": 390, "height": 844},
                                     device_scale_factor=2, is_mobile=True, has_touch=True)
    try:
        bh.wait_state(page, "ready")
        assert page.evaluate("() => document.getElementById('toc').open") is False
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
        page.screenshot(path=str(bh.ARTIFACTS / "page-phone.png"), full_page=False)
        page.evaluate("() => { document.getElementById('results').scrollIntoView(); scrollBy(0, -40); }")
        page.screenshot(path=str(bh.ARTIFACTS / "page-phone-results.png"), full_page=False)
        watch.assert_clean()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_for_review(chromium, vendored_site, scheme):
    bh.ARTIFACTS.mkdir(exist_ok=True)
    context, page, watch = open_page(chromium, vendored_site[0] + "?observed_ms_per_iter=100", color_scheme=scheme,
                                     viewport={"width": 1280, "height": 900})
    try:
        bh.wait_state(page, "ready")
        page.screenshot(path=str(bh.ARTIFACTS / f"page-{scheme}.png"), full_page=False)
        page.evaluate("() => { document.getElementById('gpu-peak').scrollIntoView(); scrollBy(0, -60); }")
        page.screenshot(path=str(bh.ARTIFACTS / f"page-{scheme}-results.png"), full_page=False)
        page.screenshot(path=str(bh.ARTIFACTS / f"page-{scheme}-full.png"), full_page=True)
        watch.assert_clean()
    finally:
        context.close()
