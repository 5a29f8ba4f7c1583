"""The built page in headless Chromium: Python loads in a worker, every live number equals calculator.estimate's,
links restore inputs, bad input never breaks the page, and the fallbacks say what happened.

Offline: the site is built with --vendor-pyodide and served on 127.0.0.1; a second local server with CORS headers
stands in for the CDN. Screenshots (light, dark, phone) go to test-artifacts/ for review, with the load timings.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

import browser_helpers as bh
from calculator import web
from said import estimate
from sitebuild import page_config

pytestmark = pytest.mark.browser


open_page = bh.open_page


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
            page.evaluate("() => new URL(document.querySelector('#share-url').value).search") == "" and \
            page.input_value("#gpu-name") == "":
        return
    bh.change(page, lambda: page.evaluate("""() => {
        for (const el of document.querySelectorAll('[data-field]')) {
            if (el.type === 'checkbox') el.checked = el.getAttribute('data-default') === 'true';
            else el.value = el.getAttribute('data-default');
        }
        document.querySelector('#gpu-name').value = '';
        document.querySelector('[name=n_layer]').dispatchEvent(new Event('input'));
    }"""))
    assert urlsplit(bh.settled_url(page)).query == ""


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
    bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
    bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-4090"))
    bh.change(page, lambda: page.select_option("[name=dtype]", "float16"))
    bh.change(page, lambda: page.uncheck("[name=compile]"))
    expected = estimate(n_layer=24, gpu="rtx-4090", dtype="float16", compile=False)
    assert bh.mismatches(page, expected) == []
    assert page.locator("[data-output=ms_per_iter]").first.text_content() == expected["text"]["ms_per_iter"]
    query = parse_qs(urlsplit(bh.settled_url(page)).query)
    assert query == {"n_layer": ["24"], "gpu": ["rtx-4090"], "dtype": ["float16"], "compile": ["false"]}
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
        assert (values["n_layer"], values["n_embd"], values["n_head"], values["batch_size"]) == \
            ("12", "768", "12", "12")
        assert (values["gpu"], values["max_iters"], values["checkpoint_seconds"]) == ("h100-sxm", "600000", "2.5")
        assert values["block_size"] == "1024" and values["compile"] == "true" and values["mfu"] == ""
        assert page.locator("#link-messages").is_hidden() and page.locator("#pending-note").is_hidden()
        watch.assert_clean()
    finally:
        context.close()


BAD_QUERY = ("batch_size=abc&foo=1&gpu=rtx-9999&n_layer=-3&max_iters=1e400&mfu=NaN"
             "&n_embd=%3Cscript%3Ealert(1)%3C%2Fscript%3E&%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E=1"
             "&eval_interval=javascript:alert(3)&dtype=float16&dtype=float32")


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
        assert bh.mismatches(page, estimate(dtype="float16")) == []
        assert page.evaluate("() => document.scripts.length") == scripts_before
        assert page.evaluate("() => document.querySelectorAll('img').length") == 0
        assert parse_qs(urlsplit(bh.settled_url(page)).query) == {"dtype": ["float16"]}  # the link is cleaned up
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
    """The cards keep the model's estimate; the claim box shows what the claim implies (estimate()'s reverse mode),
    and an impossible claim is also named among the warnings."""
    page, watch = live
    reset(page)
    verdict = page.locator("#claim-verdict")
    assert verdict.is_hidden()
    bh.change(page, lambda: page.fill("[name=observed_ms_per_iter]", "100"))
    full = estimate(observed_ms_per_iter=100)
    assert bh.mismatches(page, bh.page_result(observed_ms_per_iter=100)) == []
    # page_result: every card and number outside the claim box is estimate() without the claim fields.
    assert bh.mismatches(page, estimate(), prefix="ms_per_iter") == []
    assert page.locator("#results [data-output=ms_per_iter]").first.text_content() == estimate()["text"]["ms_per_iter"]
    assert verdict.is_visible() and page.get_attribute("#claim-verdict", "data-verdict") == "impossible"

    def claim(path):
        el = page.locator(f"#claim-verdict [data-output='claim.{path}']").first
        return json.loads(el.get_attribute("data-value")), el.text_content()

    assert claim("feasibility.message") == (full["feasibility"]["message"], full["feasibility"]["message"])
    assert claim("feasibility.verdict")[0] == "impossible"
    assert claim("mfu") == (pytest.approx(full["mfu"], rel=1e-12), full["text"]["mfu"])
    assert claim("ms_per_iter") == (pytest.approx(full["ms_per_iter"], rel=1e-12), full["text"]["ms_per_iter"])
    assert claim("achieved_tflops")[1] == full["text"]["achieved_tflops"]
    assert claim("nanogpt_printed_mfu")[1] == full["text"]["nanogpt_printed_mfu.log"]  # as nanoGPT's log line
    # Impossible: in the warnings too, with the same message.
    assert page.locator("#warnings").is_visible() and page.locator("#claim-warning").is_visible()
    assert full["feasibility"]["message"] in page.locator("#claim-warning").text_content()
    bh.change(page, lambda: page.fill("[name=observed_ms_per_iter]", ""))
    bh.change(page, lambda: page.fill("[name=reported_mfu]", "12"))
    full = estimate(reported_mfu=12)
    assert bh.mismatches(page, bh.page_result(reported_mfu=12)) == []
    assert page.get_attribute("#claim-verdict", "data-verdict") == "as expected"
    assert claim("feasibility.message")[0] == full["feasibility"]["message"]
    assert claim("mfu")[1] == full["text"]["mfu"] and claim("ms_per_iter")[1] == full["text"]["ms_per_iter"]
    assert page.locator("#warnings").is_hidden()  # a plausible claim is no warning
    bh.change(page, lambda: page.fill("[name=reported_mfu]", ""))
    assert verdict.is_hidden() and page.locator("#warnings").is_hidden()
    assert bh.mismatches(page, bh.page_result()) == []
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


def test_a_pasted_torch_device_name_picks_the_card(live):
    """What torch.cuda.get_device_name() prints goes to Python, which finds the card; the list follows, and a name
    it cannot place is named under the GPU field."""
    page, watch = live
    reset(page)
    bh.change(page, lambda: page.fill("#gpu-name", "NVIDIA A100-SXM4-80GB"))
    assert page.input_value("[name=gpu]") == "a100-80gb"
    assert bh.mismatches(page, estimate(gpu="a100-80gb")) == []
    assert parse_qs(urlsplit(bh.settled_url(page)).query) == {"gpu": ["a100-80gb"]}
    bh.change(page, lambda: page.fill("#gpu-name", "NVIDIA GeForce GTX 9999"))
    assert "unknown GPU" in page.locator("[data-error-for=gpu]").text_content()
    bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-4070"))
    assert page.input_value("#gpu-name") == ""
    assert bh.mismatches(page, estimate()) == []
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


# -- Paste your log --

QUERY_SHAKESPEARE = ("n_layer=6&n_head=6&n_embd=384&block_size=256&batch_size=64&gradient_accumulation_steps=1"
                     "&vocab_size=65&max_iters=5000&eval_interval=250&gpu=a100-40gb&dtype=bfloat16")


def clear_log(page) -> None:
    page.evaluate("() => document.getElementById('log-clear').click()")
    assert page.locator("#log-results").is_hidden()


def analyse(page, text: str) -> None:
    """Put `text` into the log box and press Analyse; wait for the analysis."""
    before = bh.log_calls(page)
    page.fill("#log-text", text)
    page.click("#log-analyse")
    bh.wait_log(page, before)


def native_analysis(text: str, query: str = "") -> dict:
    answer = json.loads(web.analyze_log(text, query))
    assert answer["ok"], answer
    return answer["analysis"]


LOG_FIXTURES = ["nanogpt.log", "llmc.log", "hf_trainer.log", "lightning.log", "plain.log", "tqdm_cr.log", "mixed.log"]


def test_a_log_that_states_its_run_is_judged_as_that_run_on_the_page(live):
    """A torchtitan log of Llama 3 8B on 8 GPUs: the page says which of the run's values came from the log (Python's
    words, as the CLI's report), and the cards name the log's tokens per step, not the form's."""
    page, watch = live
    reset(page)
    clear_log(page)
    bh.change(page, lambda: page.select_option("[name=gpu]", "h100-sxm"))  # the card the run was on
    text = (bh.LOGS / "trainers" / "torchtitan_llama3_8b.log").read_text(encoding="utf-8")
    analyse(page, text)
    native = native_analysis(text, "gpu=h100-sxm")
    assert native["log_run_fields"]["num_gpus"] == 8
    run = page.locator('#log-results [data-log="log_run"]')
    assert run.is_visible()
    assert run.text_content() == native["text"]["log_run"]
    assert run.text_content().startswith("the log's run: 8 GPUs instead of the scenario's 1 GPU")
    shown = {o["path"]: o["text"] for o in bh.log_outputs(page) if not o["hidden"]}
    assert shown["tokens_per_iter"] == "65,536" == native["text"]["tokens_per_iter"]
    assert shown["true_mfu"] == native["text"]["true_mfu"]
    assert page.get_attribute("#log-verdict", "data-verdict") == native["verdict"] not in ("impossible", "implausible")
    watch.assert_clean()


@pytest.mark.parametrize("name", LOG_FIXTURES)
def test_a_pasted_log_shows_the_native_analysis(live, name):
    page, watch = live
    reset(page)
    clear_log(page)
    text = (bh.LOGS / name).read_text(encoding="utf-8")
    analyse(page, text)
    native = native_analysis(text)
    assert native["steady_ms_per_iter"] is not None, name
    assert bh.log_mismatches(page, native) == []
    values = {o["path"]: o["value"] for o in bh.log_outputs(page) if o["value"] is not None}
    for key in ("steady_ms_per_iter", "iterations_seen", "eta_seconds", "tokens_per_sec", "true_mfu"):
        assert bh.same(json.loads(values[key]), native[key]), key
    assert page.locator("#log-results").is_visible()
    assert page.get_attribute("#log-verdict", "data-verdict") == native["verdict"]
    # The exclusions, grouped by reason, as text.
    items = page.locator("#log-excluded li").all_text_contents()
    reasons = list(dict.fromkeys(e["reason"] for e in native["excluded"]))
    assert len(items) == max(1, len(reasons))
    for reason, item in zip(reasons, items, strict=False):  # with no exclusions, the one item says "none"
        assert item.startswith(reason)
    # The chart is drawn on a canvas, and its text alternative is filled from the same analysis.
    pixels = bh.chart_ready(page, "log")
    assert pixels["width"] > 200 and pixels["height"] > 100 and pixels["painted"] > 20, pixels
    legend = page.locator("#chart-log .u-legend").text_content()
    assert f"kept (steady state) ({native['kept']})" in legend, legend
    rows = page.locator("#log-series-rows tr").all_text_contents()
    assert rows and rows[0].startswith("kept (steady state)" + str(native["kept"]))
    assert len(rows) == 1 + len({page_config.log_reason_kinds().get(e["reason"], "other") for e in native["excluded"]})
    assert page.get_attribute("#chart-log .chart-canvas", "aria-label")
    watch.assert_clean()


REAL_LOGS = sorted((bh.LOGS / "real").glob("*.log"))


@pytest.mark.parametrize("log", REAL_LOGS, ids=[p.stem for p in REAL_LOGS])
def test_a_real_log_pasted_gives_its_hand_counted_figure(live, log):
    """The real logs people posted (tests/logs/real/, see tests/test_real_logs.py for the CLI): pasted, each shows
    its hand-counted steady ms/iter and the right format, the same as the native analysis."""
    from test_real_logs import FORMAT_OF, expected

    page, watch = live
    reset(page)
    clear_log(page)
    text = log.read_text(encoding="utf-8")
    analyse(page, text)
    native = native_analysis(text)
    assert bh.log_mismatches(page, native) == []
    values = {o["path"]: o["value"] for o in bh.log_outputs(page) if o["value"] is not None}
    want, tol = expected(log)
    assert json.loads(values["steady_ms_per_iter"]) == pytest.approx(want, rel=tol)
    assert json.loads(values["format"]) == FORMAT_OF[log.stem]
    assert page.locator("#log-results .log-why").is_visible()
    watch.assert_clean()


def test_the_log_follows_the_scenario_and_a_real_paste_analyses_at_once(chromium, vendored_site):
    """A paste from the clipboard (Ctrl+V) is analysed without pressing anything; changing the calculator's inputs
    analyses the same log again for the new scenario (the text crosses to the worker only once)."""
    context, page, watch = open_page(chromium, vendored_site[0], permissions=["clipboard-read", "clipboard-write"])
    try:
        bh.wait_state(page, "ready")
        text = (bh.LOGS / "nanogpt.log").read_text(encoding="utf-8")
        page.evaluate("(t) => navigator.clipboard.writeText(t)", text)
        page.focus("#log-text")
        page.keyboard.press("Control+V")
        bh.wait_log(page, 0)
        assert page.input_value("#log-text") == text
        assert bh.log_mismatches(page, native_analysis(text)) == []
        page.evaluate("""() => {
            const w = window.__estimator.worker;
            const post = w.postMessage.bind(w);
            window.__stores = 0;
            w.postMessage = (m, ...r) => { if (m.type === 'store') window.__stores++; post(m, ...r); };
        }""")
        before = bh.log_calls(page)
        bh.change(page, lambda: page.select_option("[name=gpu]", "a100-40gb"))
        bh.wait_log(page, before)
        assert bh.log_mismatches(page, native_analysis(text, "gpu=a100-40gb")) == []
        assert page.evaluate("() => window.__stores") == 0  # the log was not sent again
        # The prose's live numbers (GPU, tokens per iteration) follow the scenario too.
        assert page.locator("#log-results [data-output='gpu.name']").first.text_content() == "NVIDIA A100 SXM4 40GB"
        watch.assert_clean()
    finally:
        context.close()


def test_a_log_given_before_python_loads_is_analysed_once_it_has(chromium, vendored_site):
    context, page, watch = open_page(chromium, vendored_site[0] + "?gpu=rtx-4090")
    try:
        text = (bh.LOGS / "plain.log").read_text(encoding="utf-8")
        page.fill("#log-text", text)
        page.click("#log-analyse")
        if bh.state(page) == "loading":
            assert "as soon as the calculator has loaded" in page.locator("#log-status").text_content()
        bh.wait_state(page, "ready")
        bh.wait_log(page, 0)
        assert bh.log_mismatches(page, native_analysis(text, "gpu=rtx-4090")) == []
        watch.assert_clean()
    finally:
        context.close()


def test_dropping_a_log_file_reads_it_locally(live):
    page, watch = live
    reset(page)
    clear_log(page)
    text = (bh.LOGS / "llmc.log").read_text(encoding="utf-8")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    before = bh.log_calls(page)
    page.evaluate("""(text) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], 'train.log', {type: 'text/plain'}));
        const zone = document.getElementById('log-drop');
        for (const type of ['dragenter', 'dragover', 'drop']) {
            zone.dispatchEvent(new DragEvent(type, {dataTransfer: dt, bubbles: true, cancelable: true}));
        }
    }""", text)
    bh.wait_log(page, before)
    assert page.input_value("#log-text") == text
    assert bh.log_mismatches(page, native_analysis(text)) == []
    assert requests == [], f"the log caused network requests: {requests}"
    clear_log(page)
    watch.assert_clean()


HOSTILE_LOG = """<img src=x onerror="window.__pwned=1">
<script>window.__pwned=2</script>
iter 0: loss 10.9, time 41234.56ms, mfu -100.00% <img src=x onerror="window.__pwned=3">
""" + "".join(f"iter {i}: loss 3.{i:02d}, time {250 + i % 3}.5ms, mfu 30.00%<b>{i}</b>\n" for i in range(1, 40)) + \
    "step 20: train loss <svg onload=window.__pwned=4>, val loss 1.2\n</textarea><iframe src=javascript:alert(1)>\n"


def test_a_hostile_log_injects_nothing(live):
    page, watch = live
    reset(page)
    clear_log(page)
    counts = ("() => [document.scripts.length, document.images.length,"
              " document.querySelectorAll('iframe, svg:not([aria-hidden]) *').length]")
    before = page.evaluate(counts)
    analyse(page, HOSTILE_LOG)
    assert bh.log_mismatches(page, native_analysis(HOSTILE_LOG)) == []
    assert page.evaluate(counts) == before
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#log-results img, #log-results script, #log-box b").count() == 0
    # Text without a single iteration time: the analysis says so, and no card or chart pretends otherwise.
    nothing = "<b>hello</b>\nno timings here\n"
    analyse(page, nothing)
    assert bh.log_mismatches(page, native_analysis(nothing)) == []
    assert page.locator("#log-verdict .verdict-message").text_content() == native_analysis(nothing)["message"]
    assert page.locator(".log-cards").is_hidden() and page.locator("#chart-log").is_hidden()
    # A large hostile paste: its first lines are shown as text, never as HTML.
    big = HOSTILE_LOG * (page_config.LOG_SHOWN_BYTES // len(HOSTILE_LOG) + 2)
    calls = bh.log_calls(page)
    paste_event(page, big)
    bh.wait_log(page, calls)
    assert page.locator("#log-large").is_visible() and page.input_value("#log-text") == ""
    assert "<img src=x" in page.locator("#log-head").text_content()
    assert page.evaluate(counts) == before and page.evaluate("() => window.__pwned") is None
    clear_log(page)
    watch.assert_clean()


def paste_event(page, text: str, *, stash: bool = True) -> None:
    """Dispatch a paste of `text` onto the log box (the text goes to the page first, then the event is fired)."""
    if stash:
        page.evaluate("(t) => { window.__pasteText = t; }", text)
    page.evaluate("""() => {
        const dt = new DataTransfer();
        dt.setData('text/plain', window.__pasteText);
        window.__pasteText = null;
        window.__pasteAt = performance.now();
        const area = document.getElementById('log-text');
        area.focus();
        area.dispatchEvent(new ClipboardEvent('paste', {clipboardData: dt, bubbles: true, cancelable: true}));
    }""")


def big_nanogpt_log(megabytes: float = 5.0) -> str:
    """The benchmark's nanoGPT paste (bench/logparse.py), so the page is tested on what the figure measures."""
    from bench.logparse import nanogpt_paste

    return nanogpt_paste(megabytes)


def test_a_5_mb_paste_stays_responsive(chromium, vendored_site):
    """A 5 MB paste is held by the page (not put into the text box), sent to the worker once and analysed there;
    the main thread has no long task worth the name meanwhile. The timings go to test-artifacts/."""
    text = big_nanogpt_log(5.0)
    context, page, watch = open_page(chromium, vendored_site[0], viewport={"width": 1280, "height": 900})
    try:
        bh.wait_state(page, "ready")
        page.evaluate("() => document.getElementById('log').scrollIntoView()")
        page.evaluate("(t) => { window.__pasteText = t; }", text)
        page.wait_for_timeout(300)
        tasks_before = page.evaluate("() => window.__estimator.longTasks.length")
        paste_event(page, text, stash=False)
        bh.wait_log(page, 0, timeout_ms=120_000)
        page.evaluate("() => document.getElementById('chart-log').scrollIntoView()")
        bh.poll(page, "() => window.__estimator.charts.draws.log", lambda n: n > 0)
        page.wait_for_timeout(300)
        m = page.evaluate("""(n) => ({
            pasteAt: window.__pasteAt, analysisMs: window.__estimator.log.lastMs,
            takeMs: window.__estimator.log.takeMs, storeMs: window.__estimator.log.storeMs,
            showMs: window.__estimator.log.showMs, chartMs: window.__estimator.charts.drawMs.log,
            uplotMs: window.__estimator.charts.libraryMs,
            longTasks: window.__estimator.longTasks.slice(n).filter(t => t.start >= window.__pasteAt - 5),
        })""", tasks_before)
        native = native_analysis(text)
        assert bh.log_mismatches(page, native) == []
        assert page.input_value("#log-text") == "" and page.locator("#log-large").is_visible()
        # The legend counts the analysis' kept iterations, not the thinned series' points.
        assert f"kept (steady state) ({native['kept']})" in page.locator("#chart-log .u-legend").text_content()
        longest = max([t["duration"] for t in m["longTasks"]], default=0)
        bh.save_artifact("log-5mb-timings.json", {"bytes": len(text), "iterations": native["iterations_seen"],
                                                  "paste_to_results_ms": round(m["analysisMs"]),
                                                  "main_thread_ms": {k: m[k] and round(m[k], 1) for k in (
                                                      "takeMs", "storeMs", "showMs", "chartMs", "uplotMs")},
                                                  "long_tasks_after_paste": m["longTasks"], "longest_ms": longest})
        assert longest < 250, m["longTasks"]
        watch.assert_clean()
    finally:
        context.close()


# -- the charts --

def test_charts_are_lazy_and_follow_the_inputs(chromium, vendored_site):
    context, page, watch = open_page(chromium, vendored_site[0], viewport={"width": 1280, "height": 900})
    try:
        bh.wait_state(page, "ready")
        # Far below the fold, nothing is drawn yet: the page's start pays for no chart.
        assert page.evaluate("() => window.__estimator.charts.draws") == {"breakdown": 0, "gpus": 0, "log": 0}
        assert page.evaluate("() => window.__estimator.charts.libraryMs") is None  # uPlot has not even run
        pixels = bh.chart_ready(page, "breakdown")
        assert pixels["width"] > 200 and pixels["height"] > 100 and pixels["painted"] > 20, pixels
        bh.save_artifact("chart-timings.json", {"uplot_first_run_ms": page.evaluate(
            "() => window.__estimator.charts.libraryMs")})
        pixels = bh.chart_ready(page, "gpus")
        assert pixels["width"] > 200 and pixels["height"] > 300 and pixels["painted"] > 20, pixels
        # The pre-rendered table is compare_gpus for the defaults.
        assert gpu_table(page) == expected_gpu_table("")
        draws = page.evaluate("() => window.__estimator.charts.draws.gpus")
        bh.change(page, lambda: page.select_option("[name=gpu]", "h100-sxm"))
        bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
        bh.poll(page, "() => window.__estimator.charts.settled()")
        assert page.evaluate("() => window.__estimator.charts.compareQuery") == "n_layer=24&gpu=h100-sxm"
        assert gpu_table(page) == expected_gpu_table("n_layer=24&gpu=h100-sxm")
        assert page.get_attribute("#gpu-compare-rows tr[aria-current]", "data-gpu") == "h100-sxm"
        # Out of view while the form was edited, the chart waited; back in view it is drawn with the new rows.
        assert page.evaluate("() => window.__estimator.charts.instances.gpus") is None
        bh.chart_ready(page, "gpus")
        assert page.evaluate("() => window.__estimator.charts.draws.gpus") > draws
        # Chart (b) follows every result; its table is live outputs (checked against estimate()).
        assert bh.mismatches(page, estimate(gpu="h100-sxm", n_layer=24)) == []
        before = page.evaluate("() => window.__estimator.charts.draws")
        # The charts are re-created in the other theme's colours (clicked in place: the header is scrolled away).
        page.evaluate("() => document.getElementById('theme-toggle').click()")
        bh.poll(page, "() => window.__estimator.charts.draws",
                lambda after: after["gpus"] > before["gpus"] and after["breakdown"] > before["breakdown"])
        watch.assert_clean()
    finally:
        context.close()


def gpu_table(page) -> list[list[str]]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('#gpu-compare-rows tr')).map(
        tr => [tr.getAttribute('data-gpu'), ...Array.from(tr.children).slice(1).map(td => td.textContent)])""")


def expected_gpu_table(query: str) -> list[list[str]]:
    rows = json.loads(web.compare_gpus(query))["rows"]
    return [[r["gpu"], "cannot run: " + r["error"]] if "error" in r else
            [r["gpu"], r["text"]["total_seconds"], r["text"]["ms_per_iter"], r["text"]["mfu"], r["memory_verdict"],
             r["text"]["cost"] + (f" ({r['text']['marks']})" if r["marks"] else ""),
             r["text"]["price_per_hour"] + (f" ({r['text']['price_source']})" if r["price_per_hour"] is not None
                                            else "")]
            for r in rows]


# -- other ways to open the page --

def test_file_page_with_pyodide_from_another_origin_works(chromium, file_site):
    context, page, watch = open_page(chromium, file_site + "?n_layer=8")
    try:
        bh.wait_state(page, "ready")
        assert bh.mismatches(page, estimate(n_layer=8)) == []
        bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-3090"))
        assert bh.mismatches(page, estimate(n_layer=8, gpu="rtx-3090")) == []
        assert bh.settled_url(page).startswith("file://") and page.url.endswith("?n_layer=8&gpu=rtx-3090")
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
        # The charts of the pre-rendered scenario still draw (uPlot is inlined); a log says why it cannot be read.
        assert bh.chart_ready(page, "gpus")["painted"] > 20
        page.fill("#log-text", "iter 1: loss 3.0, time 250.0ms, mfu 30.0%")
        page.click("#log-analyse")
        assert "python -m calculator --log" in page.locator("#log-message").text_content()
        assert page.locator("#log-results").is_hidden()
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
    """A wasm binary that never arrives (the request hangs) keeps Python from starting; the page gives up after its
    time limit. (A wrong MIME type for the wasm used to hang Pyodide's loader; the worker now hands the loader the
    verified bytes as application/wasm itself, so that no longer matters.)"""
    context = chromium.new_context()
    hanging = []
    context.route("**/pyodide/pyodide.asm.wasm", lambda route: hanging.append(route))  # never answered
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
        # Two notes: the form's (the numbers are the defaults) and the log section's (how to analyse a log).
        assert page.locator("noscript").count() == 2 and page.locator("#status").is_hidden()
        assert page.locator(".log-actions").is_hidden() and page.locator("#log-results").is_hidden()
        assert page.locator("#chart-gpus .chart-canvas").is_hidden()
        assert page.locator("#gpu-compare-rows tr").count() > 20
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
        # The log section and the charts fit the phone's width too.
        analyse(page, (bh.LOGS / "nanogpt.log").read_text(encoding="utf-8"))
        for name in ("log", "breakdown", "gpus"):
            bh.chart_ready(page, name)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= 390, f"the page scrolls sideways on a phone with chart {name} ({width}px)"
            page.locator(f"#chart-{name}").screenshot(path=str(bh.ARTIFACTS / f"chart-{name}-phone.png"))
        page.evaluate("() => { document.getElementById('log-results').scrollIntoView(); scrollBy(0, -20); }")
        page.screenshot(path=str(bh.ARTIFACTS / "log-phone.png"), full_page=False)
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_log_and_chart_screenshots_for_review(chromium, vendored_site, scheme):
    """The log section with nanogpt.log against a scenario like the log's (shakespeare_char on an A100), and the
    three charts, in both themes."""
    context, page, watch = open_page(chromium, vendored_site[0] + "?" + QUERY_SHAKESPEARE, color_scheme=scheme,
                                     viewport={"width": 1280, "height": 900})
    try:
        bh.wait_state(page, "ready")
        analyse(page, (bh.LOGS / "nanogpt.log").read_text(encoding="utf-8"))
        for name in ("log", "breakdown", "gpus"):
            pixels = bh.chart_ready(page, name)
            assert pixels["painted"] > 20, (name, pixels)
            page.locator(f"#chart-{name}").screenshot(path=str(bh.ARTIFACTS / f"chart-{name}-{scheme}.png"))
        page.locator("#log").screenshot(path=str(bh.ARTIFACTS / f"log-{scheme}.png"))
        watch.assert_clean()
    finally:
        context.close()
