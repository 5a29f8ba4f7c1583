"""Helpers for the browser tests (tests/test_browser.py, and later ones): finding Chromium, building and serving the
site, and reading the page's live numbers.

Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium (Playwright cannot download its own browser offline), else
Playwright's own browser (`python -m playwright install chromium`). Nothing else is downloaded: the site is built
with --vendor-pyodide and served on 127.0.0.1, and a second local server with CORS headers stands in for the CDN.

The page's CSP forbids eval, so these helpers never use page.wait_for_function (Playwright evaluates its predicate
with eval inside the page); they poll with page.evaluate, which runs outside the page's CSP.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any, Callable

from bench.run import chromium_path  # one rule for which Chromium to drive, shared with the benchmark
from sitebuild.live_values import python_text, resolve  # the page's own rules: a dotted path, and its Python text

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic", "--disable-dev-shm-usage"]
READY_TIMEOUT_MS = 90_000  # a cold Pyodide start takes ~3-9 s on a busy 2-core machine; this only bounds a hang


def launch(playwright) -> Any:
    """Launch headless Chromium; raises if neither a system Chromium nor Playwright's own is available."""
    path = chromium_path()
    if path:
        return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    return playwright.chromium.launch(args=CHROMIUM_ARGS)


class PageWatch:
    """Collects what must not happen on a page: uncaught errors, console errors, dialogs."""

    def __init__(self, page, allow_console: tuple[str, ...] = ()):
        self.page = page
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.allow = allow_console
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _console(self, msg) -> None:
        self.console.append(f"{msg.type}: {msg.text}")
        if msg.type == "error" and not any(a in msg.text for a in self.allow):
            self.console_errors.append(msg.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_clean(self) -> None:
        assert not self.errors, f"uncaught page errors: {self.errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.dialogs, f"dialogs: {self.dialogs}"


def poll(page, expression: str, predicate: Callable[[Any], bool] = bool, timeout_ms: float = 20_000,
         interval_s: float = 0.05) -> Any:
    """Evaluate `expression` in the page until predicate(value) holds; returns the value."""
    deadline = time.monotonic() + timeout_ms / 1000
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if predicate(value):
            return value
        time.sleep(interval_s)
    raise AssertionError(f"timed out after {timeout_ms:.0f} ms waiting on {expression!r}; last value {value!r}")


def state(page) -> str:
    return page.evaluate("() => document.documentElement.getAttribute('data-state')")


def wait_state(page, wanted: str = "ready", timeout_ms: float = READY_TIMEOUT_MS) -> str:
    """Wait until the page leaves 'loading'; assert it reached `wanted` (with the reason if it did not)."""
    got = poll(page, "() => document.documentElement.getAttribute('data-state')", lambda s: s != "loading",
               timeout_ms=timeout_ms, interval_s=0.1)
    if got != wanted:
        reason = page.evaluate("() => (window.__estimator || {}).failure")
        raise AssertionError(f"page state {got!r}, expected {wanted!r}; reason: {reason}")
    return got


def settle(page, calls_before: int, timeout_ms: float = 20_000) -> None:
    """Wait until the page has finished at least one recomputation since `calls_before` and has none in flight."""
    poll(page, "() => [window.__estimator.calls, window.__estimator.inflight]",
         lambda v: v[0] > calls_before and v[1] == 0, timeout_ms=timeout_ms)


def calls(page) -> int:
    return page.evaluate("() => window.__estimator.calls")


def change(page, action: Callable[[], None]) -> None:
    """Do something to the form (fill, select, check) and wait for the results it causes."""
    before = calls(page)
    action()
    settle(page, before)


def outputs(page) -> list[dict]:
    """Every live element: path, text key, JSON value, text, list items, hidden state."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-output]')).map(el => ({
        path: el.getAttribute('data-output'), textKey: el.getAttribute('data-text'),
        value: el.getAttribute('data-value'), text: el.textContent,
        items: el.getAttribute('data-render') === 'list' ? Array.from(el.children).map(li => li.textContent) : null,
    }))""")



def same(a: Any, b: Any) -> bool:
    """Equal, with floats to 1e-12 relative (the browser runs CPython 3.14 on wasm; they are expected identical)."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and math.isclose(a, b, rel_tol=1e-12,
                                                                                            abs_tol=0.0)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


CLAIM_FIELDS = ("observed_ms_per_iter", "reported_mfu")


def page_result(lang: str = "en", **inputs) -> dict:
    """What the page shows for `inputs`, built from calculator.estimate alone: the cards and the prose are the
    model's estimate without the claim fields, and result["claim"] holds what the claim implies (estimate()'s
    reverse mode for all the inputs), or None when no claim is entered. Texts in `lang` (the page's language)."""
    from said import estimate

    result = estimate(lang=lang, **{k: v for k, v in inputs.items() if k not in CLAIM_FIELDS})
    result["claim"] = None
    if any(inputs.get(k) is not None for k in CLAIM_FIELDS):
        full = estimate(lang=lang, **inputs)
        keys = ("feasibility", "mfu", "ms_per_iter", "tokens_per_sec", "achieved_tflops", "nanogpt_printed_mfu",
                "total_seconds")
        result["claim"] = {k: full[k] for k in keys}
        result["claim"]["text"] = {k: t for k, t in full["text"].items() if k.split(".")[0] in keys}
    return result


def mismatches(page, result: dict, prefix: str | None = None) -> list[str]:
    """Live elements whose value or text differ from `result` (calculator.estimate's dict, or page_result()'s);
    only those whose path starts with `prefix` when given. estimate() alone has no "claim" key: its "claim.*"
    values are None, as the page's are while no claim is entered."""
    bad = []
    for o in outputs(page):
        if prefix is not None and not o["path"].startswith(prefix):
            continue
        expected = resolve(result, o["path"])
        got = json.loads(o["value"])
        if not same(got, expected):
            bad.append(f"{o['path']}: data-value {got!r} != {expected!r}")
            continue
        if o["items"] is not None:
            if o["items"] != list(expected or []):
                bad.append(f"{o['path']}: items {o['items']!r} != {expected!r}")
            continue
        key = o["textKey"] or o["path"]
        if expected is None:
            want = ""
        elif python_text(result, key) is not None:
            want = python_text(result, key)
        elif isinstance(expected, bool):
            want = "true" if expected else "false"
        else:
            want = str(expected)
        if o["text"] != want:
            bad.append(f"{o['path']}: text {o['text']!r} != {want!r}")
    return bad


def field_values(page) -> dict[str, str]:
    return page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll('[data-field]')).map(
        el => [el.name, el.type === 'checkbox' ? String(el.checked) : el.value]))""")


def save_artifact(name: str, data: Any) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_text(json.dumps(data, indent=1) if not isinstance(data, str) else data, encoding="utf-8")
    return path


# -- "Paste your log" and the charts --

LOGS = ROOT / "tests" / "logs"


def log_outputs(page) -> list[dict]:
    """Every [data-log] element of the log section: path, text key, value (JSON or a list's count), text."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('[data-log]')).map(el => ({
        path: el.getAttribute('data-log'), textKey: el.getAttribute('data-text'), value: el.getAttribute('data-value'),
        count: el.getAttribute('data-count'), text: el.textContent, hidden: !!el.closest('[hidden]'),
    }))""")


def log_mismatches(page, analysis: dict) -> list[str]:
    """[data-log] elements whose value or text differ from calculator.web.analyze_log's analysis."""
    bad = []
    for o in log_outputs(page):
        expected = resolve(analysis, o["path"])
        if isinstance(expected, list):
            if o["count"] != str(len(expected)):
                bad.append(f"{o['path']}: count {o['count']!r} != {len(expected)}")
            expected = len(expected)
        elif not same(json.loads(o["value"]), expected):
            bad.append(f"{o['path']}: data-value {o['value']!r} != {expected!r}")
            continue
        key = o["textKey"] or o["path"]
        if expected is None:
            want = ""
        elif key in analysis["text"]:
            want = analysis["text"][key]
        else:
            want = expected if isinstance(expected, str) else str(expected)
        if o["text"] != want:
            bad.append(f"{o['path']}: text {o['text']!r} != {want!r}")
    return bad


def log_calls(page) -> int:
    return page.evaluate("() => window.__estimator.log.calls")


def wait_log(page, calls_before: int, timeout_ms: float = 60_000) -> None:
    """Wait until the page has shown at least one analysis since `calls_before`, with none in flight."""
    poll(page, "() => [window.__estimator.log.calls, window.__estimator.log.inflight, window.__estimator.log.state]",
         lambda v: v[0] > calls_before and v[1] == 0 and v[2] == "done", timeout_ms=timeout_ms)


def chart_pixels(page, name: str) -> dict:
    """The size of a chart's canvas and how many of its pixels are painted (a sample grid)."""
    return page.evaluate("""(name) => {
        const c = document.querySelector('#chart-' + name + ' canvas');
        if (!c) return {width: 0, height: 0, painted: 0};
        const ctx = c.getContext('2d');
        const data = ctx.getImageData(0, 0, c.width, c.height).data;
        let painted = 0;
        for (let i = 3; i < data.length; i += 4 * 97) if (data[i] > 0) painted++;
        return {width: c.width, height: c.height, painted, draws: window.__estimator.charts.draws[name]};
    }""", name)


def chart_ready(page, name: str, timeout_ms: float = 20_000) -> dict:
    """Scroll a chart into view and wait until its canvas is there and painted; returns chart_pixels()."""
    page.evaluate("(name) => document.getElementById('chart-' + name).scrollIntoView({block: 'center'})", name)
    poll(page, f"() => !!window.__estimator.charts.instances[{json.dumps(name)}]", timeout_ms=timeout_ms)
    return poll(page, "() => 0", lambda _: chart_pixels(page, name)["painted"] > 0, timeout_ms=timeout_ms) or \
        chart_pixels(page, name)


def settled_url(page) -> str:
    """The address once the page has written the current inputs into it (the page debounces replaceState)."""
    page.wait_for_function("() => location.href === document.querySelector('#share-url').value", timeout=5000)
    return page.url


def open_page(browser, url: str, **context_kw):
    """A fresh context and page at `url`, with a watch on page errors and dialogs."""
    context = browser.new_context(**context_kw)
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(url)
    return context, page, watch
