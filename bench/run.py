"""python -m bench [--runs N] [--changes N] [--json PATH] [--quiet-wait S]   (also: python -m bench.run ...)

What it measures, and how (docs/benchmark.md has the figures of a run):

* The site is built with --vendor-pyodide into a temporary folder and served on 127.0.0.1 by
  sitebuild.devserver.serve_in_thread with gzip on for text types (HTML, JavaScript, JSON, CSS), as GitHub Pages serves
  them; the wasm binary and the standard-library zip go uncompressed. Three pages are loaded from that one server:
    ours         index.html, the calculator page;
    bare-worker  bench/bare-worker.html: a module worker that imports ../pyodide/pyodide.mjs and awaits loadPyodide(),
                 then the page sets data-state="ready". Our page loads Pyodide in a module worker too, so this is the
                 like-for-like reference the ratio target is judged against;
    bare-main    bench/bare-main.html: loadPyodide() in a module script on the main thread, the usual way; shown for
                 comparison (its "ready" is about the same, its blocking time is not).
* Cold loads: every load starts a fresh Chromium process (a fresh temporary profile), so neither the HTTP cache nor
  V8's compiled-code or wasm cache carries over between loads. Each run loads the three pages in a rotating order,
  so slow spells of a noisy machine hit all of them; each figure is the median over the runs (default 5).
* First contentful paint: the 'first-contentful-paint' paint-timing entry (ms after navigation start).
* Time to interactive: when <html data-state> becomes "ready" (a MutationObserver installed before any page script,
  ms after navigation start). The ratio is the median of the per-run ratios ours / bare-worker.
* Total blocking time: main-thread long tasks (PerformanceObserver 'longtask', buffered, installed before any page
  script) that start before ready: the sum of (duration - 50 ms).
* Input latency: in one more cold load of our page, after ready, N changes (default 200) to n_layer, batch_size and
  gpu, one at a time: from just before the input/change event is dispatched to the moment a MutationObserver on the
  [data-output=ms_per_iter] element sees the new result (the whole synchronous DOM update is done by then; painting is
  not included). p50 and p95.
* Bytes: Resource Timing of the page and of its workers (transferSize: what came over the wire, gzip included,
  with headers; decodedBodySize: after decompression). "Beyond Pyodide" is everything not under pyodide/; the target
  applies to the transferred bytes.
* python build.py: the wall time of the whole process (interpreter start, imports, rendering, writing), without
  --vendor-pyodide, into a temporary folder; one unrecorded warm-up, then the median of --runs runs. build() itself
  (in-process, as BuildResult.seconds reports it) is shown beside it.
* calculator.estimate(): native calls per second for the default scenario (and calculator.web.from_form, the call
  the page makes, as the reference).
* The log reader: parse_log + steady_state of a 5 MB nanoGPT paste, natively, median of 3 runs after a warm-up (and
  of a 5 MB paste of the newer trainers' formats beside it); see bench/logparse.py (python -m bench.logparse).
* Many GPUs (bench/parallel.py, also alone as python -m bench.parallel): one estimate() of Llama 3.1 405B on 512
  H100s (tensor 8, pipeline 8 interleaved, FSDP over the rest), natively, median and p95 of 1,000 calls; and the
  input latency above once more on a 64-GPU Llama page (?bench.parallel.PARALLEL_QUERY: Llama 3.1 8B, 8 nodes, DDP).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from sitebuild import bundle, devserver  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
READY_TIMEOUT_S = 120.0
LONG_TASK_MS = 50.0

TARGETS = {
    "fcp_ms": 300.0,           # first contentful paint, ms
    "ready_ratio": 0.5,        # ours (booted from the Python snapshot) / bare loadPyodide() in a worker
    "tbt_ms": 200.0,           # total blocking time during load, ms
    "latency_p95_ms": 16.0,    # input change -> results in the DOM, ms
    "page_kb": 150.0,          # the page's own bytes (beyond Pyodide and the snapshot), transferred (gzip), KB
    "build_s": 1.0,            # python build.py, process wall time, s
    "log_parse_s": 0.5,        # parse_log + steady_state of a 5 MB nanoGPT paste, native, s
    "estimate_405b_ms": 5.0,   # one estimate() of Llama 3.1 405B on 512 GPUs (bench/parallel.py), native, p95, ms
    "latency_parallel_p95_ms": 16.0,  # input change -> results on a 64-GPU Llama page (bench/parallel.py), ms
}

# Installed before any script of the page (Page.addScriptToEvaluateOnNewDocument, which the page's CSP does not
# govern): the long-task observer and the data-state watch, identical for our page and the references.
INIT_SCRIPT = r"""
(() => {
  const b = window.__bench = { longTasks: [], readyAt: null, state: null };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { b.noLongTasks = String(e); }
  const check = () => {
    const root = document.documentElement;
    const s = root && root.getAttribute("data-state");
    if (s && s !== "loading" && b.readyAt === null) { b.readyAt = performance.now(); b.state = s; }
  };
  new MutationObserver(check).observe(document, { attributes: true, attributeFilter: ["data-state"], subtree: true });
})();
"""

RESOURCES_JS = r"""() => {
  const pick = (e) => ({ name: e.name, type: e.entryType, transfer: e.transferSize, encoded: e.encodedBodySize,
                         decoded: e.decodedBodySize });
  return performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).map(pick);
}"""

COLLECT_JS = r"""() => {
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const b = window.__bench;
  return { fcp: fcp ? fcp.startTime : null, readyAt: b.readyAt, state: b.state, longTasks: b.longTasks,
           noLongTasks: b.noLongTasks || null, est: window.__estimator ? {
             readyMs: window.__estimator.readyMs, timings: window.__estimator.timings } : null };
}"""

# One change at a time, each made when the page is idle (the previous change's frame has been drawn): timed from just
# before the input/change event is dispatched until a MutationObserver on the ms_per_iter output sees the new result
# (render() writes every output in one synchronous pass, and the rest of the update runs in that same task, so the
# observer's callback runs once the whole DOM update is done). "Next frame" goes on to the first task after the next
# animation frame, i.e. once style, layout and paint of the update have run on the main thread.
LATENCY_JS = r"""async (n) => {
  const q = (s) => document.querySelector(s);
  const out = q("[data-output='ms_per_iter']");
  const nLayer = q("[name=n_layer]"), batch = q("[name=batch_size]"), gpu = q("[name=gpu]");
  const gpus = Array.from(gpu.options).map((o) => o.value).filter((v) => v !== "custom");
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const samples = [], nextFrame = [], missed = [];
  // the link's inputs the form has no field for: the first change would drop them (the form sends only its fields)
  const absent = Array.from(new URLSearchParams(location.search).keys())
    .filter((k) => !document.querySelector("form [name='" + CSS.escape(k) + "']"));
  // float16: a dtype every catalogue card has (bfloat16, the default, is refused on a T4, a V100 or a 2080 Ti)
  const dtype = q("[name=dtype]");
  dtype.value = "float16";
  dtype.dispatchEvent(new Event("change", { bubbles: true }));
  while (window.__estimator.inflight > 0) await new Promise((r) => setTimeout(r, 1));
  const calls0 = window.__estimator.calls;
  await frame();
  for (let i = 0; i < n; i++) {
    let el, type;
    if (i % 4 === 3) { el = gpu; el.value = gpus[(i >> 2) % gpus.length]; type = "change"; }
    else if (i % 2) { el = nLayer; el.value = String(1 + (i % 24)); type = "input"; }
    else { el = batch; el.value = String(1 + (i % 32)); type = "input"; }
    const seen = new Promise((resolve) => {
      const mo = new MutationObserver(() => { mo.disconnect(); resolve(performance.now()); });
      mo.observe(out, { childList: true, characterData: true, subtree: true, attributes: true });
      setTimeout(() => { mo.disconnect(); resolve(null); }, 5000);
    });
    const t0 = performance.now();
    el.dispatchEvent(new Event(type, { bubbles: true }));
    const t1 = await seen;
    if (t1 === null) { missed.push(el.name + "=" + el.value); continue; }
    samples.push(t1 - t0);
    await frame();
    nextFrame.push(performance.now() - t0);
    while (window.__estimator.inflight > 0) await new Promise((r) => setTimeout(r, 1));
    await frame();
  }
  return { samples, nextFrame, missed, absent, calls: window.__estimator.calls - calls0 };
}"""

BARE_STYLE = "body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:40rem;padding:0 1rem}"

BARE_WORKER_HTML = f"""<!doctype html>
<html lang="en" data-state="loading">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reference: loadPyodide() in a module worker</title>
<style>{BARE_STYLE}</style>
<script>
  // Started in <head>, as the calculator page starts its worker.
  const worker = new Worker("bare-worker.mjs", {{ type: "module" }});
  worker.onmessage = (e) => document.documentElement.setAttribute("data-state", e.data.ok ? "ready" : "unavailable");
  worker.onerror = () => document.documentElement.setAttribute("data-state", "unavailable");
</script>
</head>
<body>
<h1>Reference: loadPyodide() in a module worker</h1>
<p>This page only starts Pyodide from the same vendored files as the calculator page, for the benchmark's ratio.</p>
</body>
</html>
"""

BARE_WORKER_MJS = """import { loadPyodide } from "../pyodide/pyodide.mjs";

try {
  const pyodide = await loadPyodide();
  pyodide.runPython("1 + 1");
  postMessage({ ok: true });
} catch (err) {
  postMessage({ ok: false, error: String(err) });
}
"""

BARE_MAIN_HTML = f"""<!doctype html>
<html lang="en" data-state="loading">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reference: loadPyodide() on the main thread</title>
<style>{BARE_STYLE}</style>
<script type="module">
  import {{ loadPyodide }} from "../pyodide/pyodide.mjs";
  try {{
    const pyodide = await loadPyodide();
    pyodide.runPython("1 + 1");
    document.documentElement.setAttribute("data-state", "ready");
  }} catch (err) {{
    document.documentElement.setAttribute("data-state", "unavailable");
  }}
</script>
</head>
<body>
<h1>Reference: loadPyodide() on the main thread</h1>
<p>This page only starts Pyodide from the same vendored files as the calculator page, for the benchmark's ratio.</p>
</body>
</html>
"""

# The pages loaded cold in every run, in rotating order: ours (served, booting from the Python snapshot), ours built
# without a snapshot (served from plain/, the way the page booted before, and what it falls back to), the standalone
# file (file://), and the two references. None: the standalone file's file:// URL.
PAGES = {"ours": "", "ours-plain": "plain/", "standalone": None, "bare-worker": "bench/bare-worker.html",
         "bare-main": "bench/bare-main.html"}
# Loaded warm too (a second visit in the same browser, the HTTP cache filled by the first; GitHub Pages' max-age).
WARM_PAGES = ("ours", "bare-worker")
# In Firefox (bench/firefox.py), cold, and ours warm.
FIREFOX_PAGES = ("ours", "standalone", "bare-worker")
PAGES_MAX_AGE = 600  # GitHub Pages' Cache-Control: max-age=600 on every file


# ---------------------------------------------------------------------------------------------------------------
# The machine
# ---------------------------------------------------------------------------------------------------------------

def chromium_path() -> str | None:
    env = os.environ.get("CHROMIUM_PATH")
    if env:
        return env
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def machine(chromium_version: str) -> dict:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    mem = memory_gib()
    return {"cpu": cpu_model(), "cores": cores, "memory_gib": round(mem, 1) if mem else None,
            "chromium": chromium_version, "chromium_path": chromium_path() or "playwright's own",
            "python": platform.python_version(), "pyodide": bundle.pyodide_version(), "os": platform.platform()}


# ---------------------------------------------------------------------------------------------------------------
# Native figures
# ---------------------------------------------------------------------------------------------------------------

def build_times(runs: int, tmp: Path) -> dict:
    """python build.py (no vendoring) as a process, into a temporary folder: one warm-up, then `runs` timed runs."""
    out = tmp / "build-timing"
    process, inproc = [], []
    for i in range(runs + 1):
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "build.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                           timeout=120)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            raise RuntimeError(f"python build.py failed: {p.stderr.strip()}")
        m = re.search(r" in ([0-9.]+) s;", p.stdout)
        if i:  # the first run warms the file cache and the .pyc files
            process.append(wall)
            if m:
                inproc.append(float(m.group(1)))
    return {"process_s": process, "build_fn_s": inproc}


def call_rate(fn, seconds: float = 1.0) -> float:
    fn()
    n, t0 = 0, time.perf_counter()
    while True:
        for _ in range(50):
            fn()
        n += 50
        elapsed = time.perf_counter() - t0
        if elapsed >= seconds:
            return n / elapsed


def native_rates() -> dict:
    from calculator import estimate, web

    form = json.dumps({"n_layer": "6", "batch_size": "16", "gpu": "rtx-4070"})
    from bench.logparse import log_parse_figures

    logs = log_parse_figures(5.0, runs=3)
    from bench.parallel import estimate_405b

    big = estimate_405b(1000)
    return {"estimate_per_s": call_rate(lambda: estimate()), "from_form_per_s": call_rate(lambda: web.from_form(form)),
            "log_parse_s": logs["nanogpt_parse_s"], "log_parse_trainers_s": logs["trainers_parse_s"],
            "estimate_405b_median_ms": big["median_ms"], "estimate_405b_p95_ms": big["p95_ms"]}


# ---------------------------------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------------------------------

def launch(pw) -> Any:
    path = chromium_path()
    kw = {"executable_path": path} if path else {}
    return pw.chromium.launch(args=CHROMIUM_ARGS, **kw)


def wait_ready(page, timeout_s: float = READY_TIMEOUT_S) -> dict:
    """Wait until data-state leaves "loading" (the init script timestamps it), then let the last long-task entries
    arrive. Polls from outside the page (page.evaluate is not subject to the page's CSP) every 100 ms."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = page.evaluate("() => window.__bench && window.__bench.readyAt !== null ? window.__bench.state : null")
        if got:
            if got != "ready":
                reason = page.evaluate("() => (window.__estimator || {}).failure || null")
                raise RuntimeError(f"{page.url}: data-state {got!r} ({reason})")
            page.wait_for_timeout(300)
            return page.evaluate(COLLECT_JS)
        time.sleep(0.1)
    raise RuntimeError(f"{page.url}: not ready after {timeout_s:.0f} s")


def resources(page) -> list[dict]:
    entries = page.evaluate(RESOURCES_JS)
    for w in page.workers:
        try:
            entries += w.evaluate(RESOURCES_JS)
        except Exception:  # a worker that has gone away
            pass
    return [e for e in entries if e["name"].startswith(("http://", "https://"))]


def kind_of(url: str) -> str:
    """Whose bytes a URL's are: Pyodide's (under pyodide/), the Python snapshot's, or the page's own."""
    if "/pyodide/" in url:
        return "pyodide"
    return "snapshot" if url.endswith(".snapshot.gz") else "page"


def byte_counts(entries: list[dict]) -> dict:
    def total(which: str, kind: str) -> int:
        return sum(e[which] for e in entries if kind_of(e["name"]) == kind)

    return {"page_transfer": total("transfer", "page"), "page_decoded": total("decoded", "page"),
            "pyodide_transfer": total("transfer", "pyodide"), "pyodide_decoded": total("decoded", "pyodide"),
            "snapshot_transfer": total("transfer", "snapshot"), "snapshot_decoded": total("decoded", "snapshot"),
            "files": [{k: e[k] for k in ("name", "transfer", "decoded")} for e in entries]}


def tbt(long_tasks: list, until: float) -> tuple[float, float]:
    """Total blocking time and the longest task, over the long tasks that start before `until`."""
    tasks = [(s, d) for s, d in long_tasks if s <= until]
    return sum(max(0.0, d - LONG_TASK_MS) for _, d in tasks), max((d for _, d in tasks), default=0.0)


def cold_load(pw, url: str, warm: bool = False) -> dict:
    """One load of `url` in a fresh Chromium process. warm: in a fresh profile on disk (a persistent context, so the
    HTTP cache is the disk cache a reader has; an incognito-like context keeps too little to hold the 9 MB wasm),
    load it once, then measure a second visit in a new tab (HTTP cache, and V8's code and wasm caches, filled)."""
    if not warm:
        browser = launch(pw)
        try:
            return _load(browser.new_context(viewport={"width": 1280, "height": 900}), url)
        finally:
            browser.close()
    path = chromium_path()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
        context = pw.chromium.launch_persistent_context(profile, args=CHROMIUM_ARGS, viewport={"width": 1280,
                                                        "height": 900}, **({"executable_path": path} if path else {}))
        try:
            context.add_init_script(INIT_SCRIPT)
            first = context.pages[0] if context.pages else context.new_page()
            first.goto(url, wait_until="commit")
            wait_ready(first)
            first.goto("about:blank")
            return _load(context, url, init=False)
        finally:
            context.close()


def _load(context, url: str, init: bool = True) -> dict:
    if init:
        context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    got = wait_ready(page)
    wall = time.perf_counter() - t0
    blocking, longest = tbt(got["longTasks"], got["readyAt"])
    res = {"fcp_ms": got["fcp"], "ready_ms": got["readyAt"], "tbt_ms": blocking, "longest_task_ms": longest,
           "long_tasks": got["longTasks"], "wall_s": wall, "estimator": got["est"], "errors": errors,
           "long_tasks_unsupported": got["noLongTasks"]}
    res.update(byte_counts(resources(page)))
    return res


FIREFOX_COLLECT = ("(() => { const f = performance.getEntriesByName('first-contentful-paint')[0]; "
                   "const b = window.__bench; const e = window.__estimator || {}; "
                   "return { fcp: f ? f.startTime : null, readyAt: b.readyAt, state: b.state, "
                   "timings: e.timings || null }; })()")


def firefox_load(url: str, profile: Path, warm: bool = False) -> dict:
    """One load of `url` in a fresh headless Firefox (bench/firefox.py), the same init script as in Chromium (a
    BiDi preload script). warm: a first visit fills the caches, then a second visit in the same browser is measured.
    Firefox has no Long Tasks API, so no blocking time; its bytes are not read (Chromium's are the figures)."""
    from bench.firefox import firefox

    with firefox(profile, preload=INIT_SCRIPT) as (bidi, context):
        for visit in range(2 if warm else 1):
            if visit:
                bidi.call("browsingContext.navigate", {"context": context, "url": "about:blank", "wait": "complete"})
            bidi.call("browsingContext.navigate", {"context": context, "url": url, "wait": "none"})
            deadline = time.monotonic() + READY_TIMEOUT_S
            got = None
            while time.monotonic() < deadline:
                got = bidi.evaluate_json(context, "window.__bench && window.__bench.readyAt !== null ? "
                                                  "window.__bench.state : null")
                if got:
                    break
                time.sleep(0.1)
            if got != "ready":
                raise RuntimeError(f"Firefox {url}: data-state {got!r}")
        time.sleep(0.3)
        got = bidi.evaluate_json(context, FIREFOX_COLLECT)
    return {"fcp_ms": got["fcp"], "ready_ms": got["readyAt"], "estimator": {"timings": got["timings"]}}


def input_latency(pw, url: str, changes: int) -> dict:
    browser = launch(pw)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(INIT_SCRIPT)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        wait_ready(page)
        got = page.evaluate(LATENCY_JS, changes)
        return got
    finally:
        browser.close()


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def median(values: list) -> float | None:
    vals = [v for v in values if v is not None]
    return statistics.median(vals) if vals else None


# ---------------------------------------------------------------------------------------------------------------
# Running it all
# ---------------------------------------------------------------------------------------------------------------

def write_reference_pages(out: Path) -> None:
    d = out / "bench"
    d.mkdir(exist_ok=True)
    (d / "bare-worker.html").write_text(BARE_WORKER_HTML, encoding="utf-8")
    (d / "bare-worker.mjs").write_text(BARE_WORKER_MJS, encoding="utf-8")
    (d / "bare-main.html").write_text(BARE_MAIN_HTML, encoding="utf-8")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def wait_for_quiet(max_wait_s: float, threshold: float) -> float | None:
    """Wait (up to max_wait_s) until the 1-minute load average is under threshold: other work on a 2-core machine
    moves every browser figure by seconds. Returns the load average when measuring starts."""
    deadline = time.monotonic() + max_wait_s
    load = load_average()
    while load is not None and load >= threshold and time.monotonic() < deadline:
        log(f"bench: load average {load:.2f} >= {threshold:.2f}; waiting for the machine to quiet down ...")
        time.sleep(15)
        load = load_average()
    return load


def measure(runs: int, changes: int, with_firefox: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    from bench import firefox

    data: dict[str, Any] = {"runs": runs, "changes": changes, "targets": TARGETS, "load_start": load_average()}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmpdir:
        tmp = Path(tmpdir)
        log(f"bench: timing python build.py ({runs} runs + 1 warm-up) and calculator.estimate ...")
        data["build"] = build_times(runs, tmp)
        data["native"] = native_rates()

        site = tmp / "site"
        res = build.build(site, vendor=True)
        build.build(site / "plain", vendor=True, with_snapshot=False)
        alone = build.build_standalone(tmp / "estimator.html")
        write_reference_pages(site)
        raw = alone.read_bytes()
        data["files"] = {"standalone_raw": len(raw), "standalone_gzip": len(gzip.compress(raw, 6, mtime=0)),
                         "snapshot_gz": len(res.snapshot.gz) if res.snapshot else 0,
                         "snapshot_raw": res.snapshot.raw_size if res.snapshot else 0}
        server, base = devserver.serve_in_thread(site, gzip=True, max_age=PAGES_MAX_AGE)
        url = {name: (alone.as_uri() if path is None else base + path) for name, path in PAGES.items()}
        try:
            with sync_playwright() as pw:
                probe = launch(pw)
                data["machine"] = machine(probe.version)
                probe.close()
                loads: dict[str, list[dict]] = {name: [] for name in PAGES}
                loads.update({name + "-warm": [] for name in WARM_PAGES})
                names = list(PAGES)
                for r in range(runs):
                    order = names[r % len(names):] + names[:r % len(names)]
                    for name in order:
                        loads[name].append(cold_load(pw, url[name]))
                    for name in WARM_PAGES:
                        loads[name + "-warm"].append(cold_load(pw, url[name], warm=True))
                    for name in (*order, *(n + "-warm" for n in WARM_PAGES)):
                        x = loads[name][-1]
                        log(f"bench: run {r + 1}/{runs} {name:16s} fcp {x['fcp_ms'] or 0:7.1f} ms  ready "
                            f"{x['ready_ms']:7.0f} ms  tbt {x['tbt_ms']:6.0f} ms  page {x['page_transfer'] / 1024:6.1f}"
                            f" KB  snapshot {x['snapshot_transfer'] / 1024:6.0f} KB  pyodide "
                            f"{x['pyodide_transfer'] / 1024:7.0f} KB")
                data["loads"] = loads
                log(f"bench: {changes} input changes in a fresh load of the page ...")
                data["latency"] = input_latency(pw, base, changes)
                from bench.parallel import PARALLEL_QUERY

                log(f"bench: {changes} input changes on a 64-GPU Llama page ...")
                data["latency_parallel"] = input_latency(pw, base + "?" + PARALLEL_QUERY, changes)
            data["firefox"] = None
            if with_firefox and firefox.FIREFOX:
                data["firefox_version"] = firefox.version()
                ff: dict[str, list[dict]] = {name: [] for name in FIREFOX_PAGES}
                ff["ours-warm"] = []
                for r in range(runs):
                    order = FIREFOX_PAGES[r % 3:] + FIREFOX_PAGES[:r % 3]
                    for name in order:
                        ff[name].append(firefox_load(url[name], tmp / "firefox-profile"))
                    ff["ours-warm"].append(firefox_load(url["ours"], tmp / "firefox-profile", warm=True))
                    log(f"bench: Firefox run {r + 1}/{runs} " + "  ".join(
                        f"{n} {ff[n][-1]['ready_ms']:.0f} ms" for n in ff))
                data["firefox"] = ff
        finally:
            server.shutdown()
    data["load_end"] = load_average()
    return data


def paired_ratio(loads: dict, name: str, ref: str) -> float | None:
    """The median of the per-run ratios name / ref (run r of each page pairs with run r of the other)."""
    if not loads.get(name) or not loads.get(ref):
        return None
    return median([o["ready_ms"] / w["ready_ms"] for o, w in zip(loads[name], loads[ref], strict=True)])


def summarise(data: dict) -> dict:
    loads = data["loads"]
    med = lambda name, key: median([x[key] for x in loads[name]]) if loads.get(name) else None  # noqa: E731
    lat = data["latency"]["samples"]
    fig = {
        "fcp_ms": med("ours", "fcp_ms"),
        "fcp_ms_standalone": med("standalone", "fcp_ms"),
        "fcp_ms_bare_worker": med("bare-worker", "fcp_ms"),
        "fcp_ms_bare_main": med("bare-main", "fcp_ms"),
        "ready_ms": med("ours", "ready_ms"),
        "ready_ms_plain": med("ours-plain", "ready_ms"),
        "ready_ms_standalone": med("standalone", "ready_ms"),
        "ready_ms_bare_worker": med("bare-worker", "ready_ms"),
        "ready_ms_bare_main": med("bare-main", "ready_ms"),
        "ready_ratio": paired_ratio(loads, "ours", "bare-worker"),
        "ready_ratio_plain": paired_ratio(loads, "ours-plain", "bare-worker"),
        "ready_ratio_standalone": paired_ratio(loads, "standalone", "bare-worker"),
        "ready_ratio_vs_main": paired_ratio(loads, "ours", "bare-main"),
        "ready_ms_warm": med("ours-warm", "ready_ms"),
        "ready_ms_bare_worker_warm": med("bare-worker-warm", "ready_ms"),
        "ready_ratio_warm": paired_ratio(loads, "ours-warm", "bare-worker-warm"),
        "tbt_ms": med("ours", "tbt_ms"),
        "tbt_ms_standalone": med("standalone", "tbt_ms"),
        "tbt_ms_bare_worker": med("bare-worker", "tbt_ms"),
        "tbt_ms_bare_main": med("bare-main", "tbt_ms"),
        "longest_task_ms": med("ours", "longest_task_ms"),
        "longest_task_ms_standalone": med("standalone", "longest_task_ms"),
        "longest_task_ms_bare_main": med("bare-main", "longest_task_ms"),
        "latency_p50_ms": percentile(lat, 50) if lat else None,
        "latency_p95_ms": percentile(lat, 95) if lat else None,
        "latency_max_ms": max(lat) if lat else None,
        "next_frame_p50_ms": percentile(data["latency"]["nextFrame"], 50) if lat else None,
        "next_frame_p95_ms": percentile(data["latency"]["nextFrame"], 95) if lat else None,
        "latency_missed": len(data["latency"]["missed"]),
        **parallel_figures(data),
        "page_kb": med("ours", "page_transfer") / 1024,
        "page_kb_decoded": med("ours", "page_decoded") / 1024,
        "page_kb_plain": med("ours-plain", "page_transfer") / 1024,
        "snapshot_kb": med("ours", "snapshot_transfer") / 1024,
        "pyodide_kb": med("ours", "pyodide_transfer") / 1024,
        "pyodide_kb_decoded": med("ours", "pyodide_decoded") / 1024,
        "pyodide_kb_bare_worker": med("bare-worker", "pyodide_transfer") / 1024,
        "pyodide_kb_bare_worker_decoded": med("bare-worker", "pyodide_decoded") / 1024,
        "warm_kb": median([x["page_transfer"] + x["snapshot_transfer"] + x["pyodide_transfer"]
                           for x in loads["ours-warm"]]) / 1024 if loads.get("ours-warm") else None,
        "build_s": median(data["build"]["process_s"]),
        "build_fn_s": median(data["build"]["build_fn_s"]),
        "estimate_per_s": data["native"]["estimate_per_s"],
        "from_form_per_s": data["native"]["from_form_per_s"],
        "files": data.get("files", {}),
        "log_parse_s": data["native"].get("log_parse_s"),
        "log_parse_trainers_s": data["native"].get("log_parse_trainers_s"),
    }
    boots = {}
    for name in ("ours", "ours-plain", "standalone", "ours-warm"):
        got = [((x.get("estimator") or {}).get("timings") or {}).get("boot") for x in loads.get(name, [])]
        boots[name] = {b: got.count(b) for b in set(got)}
    fig["boots"] = boots
    timings = [x["estimator"]["timings"] for x in loads["ours"] if x.get("estimator") and x["estimator"]["timings"]]
    if timings:
        fig["worker_timings_ms"] = {k: median([t[k] for t in timings]) for k in ("fetchMs", "pyodideMs", "readyMs")}
    errors = {name: [e for x in loads[name] for e in x["errors"]] for name in loads}
    fig["page_errors"] = {k: v for k, v in errors.items() if v}
    ff = data.get("firefox")
    if ff:
        fmed = lambda name, key: median([x[key] for x in ff[name]])  # noqa: E731
        fig["firefox"] = {
            "ready_ms": fmed("ours", "ready_ms"), "ready_ms_standalone": fmed("standalone", "ready_ms"),
            "ready_ms_bare_worker": fmed("bare-worker", "ready_ms"), "ready_ms_warm": fmed("ours-warm", "ready_ms"),
            "fcp_ms": fmed("ours", "fcp_ms"), "fcp_ms_standalone": fmed("standalone", "fcp_ms"),
            "ready_ratio": paired_ratio(ff, "ours", "bare-worker"),
            "ready_ratio_standalone": paired_ratio(ff, "standalone", "bare-worker"),
            "boots": [((x.get("estimator") or {}).get("timings") or {}).get("boot") for x in ff["ours"]],
        }
    return fig


def parallel_figures(data: dict) -> dict:
    """The many-GPU figures (bench/parallel.py), None where a run did not measure them (an older --json file)."""
    lat = (data.get("latency_parallel") or {}).get("samples") or []
    native = data.get("native", {})
    return {"estimate_405b_median_ms": native.get("estimate_405b_median_ms"),
            "estimate_405b_p95_ms": native.get("estimate_405b_p95_ms"),
            "latency_parallel_p50_ms": percentile(lat, 50) if lat else None,
            "latency_parallel_p95_ms": percentile(lat, 95) if lat else None,
            "latency_parallel_changes": len(lat),
            "latency_parallel_missed": len((data.get("latency_parallel") or {}).get("missed") or [])}


def table(fig: dict, data: dict) -> tuple[str, list[str]]:
    """The printed table and the names of the missed targets."""
    missed: list[str] = []

    def verdict(key: str, value: float | None, ok: bool | None = None) -> str:
        if key not in TARGETS:
            return ""
        good = ok if ok is not None else (value is not None and value <= TARGETS[key])
        if not good:
            missed.append(key)
        return "pass" if good else "FAIL"

    def ms(v):
        return "n/a" if v is None else f"{v:,.0f} ms" if v >= 100 else f"{v:.1f} ms"

    def ratio(v):
        return "n/a" if v is None else f"{v:.3f}"

    files = fig.get("files") or {}
    rows = [
        ("First contentful paint", ms(fig["fcp_ms"]),
         f"{ms(fig['fcp_ms_bare_worker'])} worker / {ms(fig['fcp_ms_bare_main'])} main", "< 300 ms",
         verdict("fcp_ms", fig["fcp_ms"])),
        ("Ready (data-state=ready), served, cold", ms(fig["ready_ms"]),
         f"{ms(fig['ready_ms_bare_worker'])} worker / {ms(fig['ready_ms_bare_main'])} main", "", ""),
        ("  ratio to bare loadPyodide() in a worker", ratio(fig["ready_ratio"]), "1.000", "<= 0.5",
         verdict("ready_ratio", fig["ready_ratio"])),
        ("  ratio to bare loadPyodide() on the main thread", ratio(fig["ready_ratio_vs_main"]), "1.000",
         "(info)", ""),
        ("  without the snapshot (the fallback), and ratio", f"{ms(fig['ready_ms_plain'])}",
         f"ratio {ratio(fig['ready_ratio_plain'])}", "(info)", ""),
        ("Ready, standalone file (file://), cold, and ratio", ms(fig["ready_ms_standalone"]),
         f"ratio {ratio(fig['ready_ratio_standalone'])}", "(info)", ""),
        ("  its first paint / blocking time / longest task",
         f"{ms(fig['fcp_ms_standalone'])} / {ms(fig['tbt_ms_standalone'])} / "
         f"{ms(fig['longest_task_ms_standalone'])}", "", "(info)", ""),
        ("Ready, served, warm cache (second visit), and ratio", ms(fig["ready_ms_warm"]),
         f"{ms(fig['ready_ms_bare_worker_warm'])} worker, ratio {ratio(fig['ready_ratio_warm'])}", "(info)", ""),
        ("Total blocking time during load", ms(fig["tbt_ms"]),
         f"{ms(fig['tbt_ms_bare_worker'])} worker / {ms(fig['tbt_ms_bare_main'])} main", "< 200 ms",
         verdict("tbt_ms", fig["tbt_ms"])),
        ("  longest main-thread task", ms(fig["longest_task_ms"]), f"{ms(fig['longest_task_ms_bare_main'])} main",
         "(info)", ""),
        (f"Input change -> results, p50 ({len(data['latency']['samples'])} changes)", ms(fig["latency_p50_ms"]),
         f"{1000 / fig['from_form_per_s']:.2f} ms native", "(info)", ""),
        ("Input change -> results, p95", ms(fig["latency_p95_ms"]), f"max {ms(fig['latency_max_ms'])}", "< 16 ms",
         verdict("latency_p95_ms", fig["latency_p95_ms"], ok=(fig["latency_p95_ms"] is not None and
                                                             fig["latency_p95_ms"] < TARGETS["latency_p95_ms"]
                                                             and fig["latency_missed"] == 0))),
        ("  ... to the next frame drawn, p50 / p95", f"{ms(fig['next_frame_p50_ms'])} / {ms(fig['next_frame_p95_ms'])}",
         "", "(info)", ""),
        ("Page's own bytes (beyond Pyodide and snapshot), transferred", f"{fig['page_kb']:.1f} KB",
         f"{fig['page_kb_plain']:.1f} KB without snapshot", "< 150 KB", verdict("page_kb", fig["page_kb"])),
        ("Page's own bytes, decoded", f"{fig['page_kb_decoded']:.1f} KB", "", "(info)", ""),
        ("Python snapshot, transferred (served .gz, as Pages sends it)", f"{fig['snapshot_kb']:,.0f} KB",
         f"{files.get('snapshot_raw', 0) / 1024:,.0f} KB decompressed", "(info)", ""),
        ("Pyodide bytes, transferred", f"{fig['pyodide_kb']:,.0f} KB", f"{fig['pyodide_kb_bare_worker']:,.0f} KB",
         "(info)", ""),
        ("Pyodide bytes, decoded", f"{fig['pyodide_kb_decoded']:,.0f} KB",
         f"{fig['pyodide_kb_bare_worker_decoded']:,.0f} KB", "(info)", ""),
        ("All bytes transferred on a warm second visit", "n/a" if fig["warm_kb"] is None else
         f"{fig['warm_kb']:,.1f} KB", "", "(info)", ""),
        ("Standalone file, raw / gzipped", f"{files.get('standalone_raw', 0) / 1e6:.1f} MB",
         f"{files.get('standalone_gzip', 0) / 1e6:.1f} MB gzipped", "(info)", ""),
        ("python build.py wall time (process, no vendoring)", f"{fig['build_s']:.2f} s",
         f"{fig['build_fn_s']:.2f} s build()" if fig["build_fn_s"] else "", "< 1 s",
         verdict("build_s", fig["build_s"])),
        ("calculator.estimate() native rate", f"{fig['estimate_per_s']:,.0f} /s",
         f"{fig['from_form_per_s']:,.0f} /s from_form", "(info)", ""),
    ]
    ff = fig.get("firefox")
    if ff:
        rows += [
            ("Firefox: ready, served, cold, and ratio", ms(ff["ready_ms"]),
             f"{ms(ff['ready_ms_bare_worker'])} worker, ratio {ratio(ff['ready_ratio'])}", "(info)", ""),
            ("Firefox: ready, standalone file, cold, and ratio", ms(ff["ready_ms_standalone"]),
             f"ratio {ratio(ff['ready_ratio_standalone'])}", "(info)", ""),
            ("Firefox: ready, served, warm cache", ms(ff["ready_ms_warm"]), "", "(info)", ""),
            ("Firefox: first contentful paint, served / standalone", ms(ff["fcp_ms"]), ms(ff["fcp_ms_standalone"]),
             "(info)", ""),
        ]
    if fig.get("estimate_405b_p95_ms") is not None:
        rows.append(("estimate() of Llama 3.1 405B on 512 GPUs, p95 (native)", ms(fig["estimate_405b_p95_ms"]),
                     f"median {ms(fig['estimate_405b_median_ms'])}", "< 5 ms",
                     verdict("estimate_405b_ms", fig["estimate_405b_p95_ms"], ok=fig["estimate_405b_p95_ms"] <
                             TARGETS["estimate_405b_ms"])))
    if data.get("latency_parallel") is not None:
        p95 = fig["latency_parallel_p95_ms"]
        rows.append((f"Input change -> results, p95, 64-GPU Llama page ({fig['latency_parallel_changes']} changes)",
                     ms(p95), f"p50 {ms(fig['latency_parallel_p50_ms'])}", "< 16 ms",
                     verdict("latency_parallel_p95_ms", p95, ok=(p95 is not None and p95 <
                                                                 TARGETS["latency_parallel_p95_ms"] and
                                                                 fig["latency_parallel_missed"] == 0))))
    if fig.get("log_parse_s") is not None:
        rows.append(("Log reader, 5 MB nanoGPT paste (native)", f"{fig['log_parse_s']:.2f} s",
                     f"{fig['log_parse_trainers_s']:.2f} s newer trainers", "< 0.5 s",
                     verdict("log_parse_s", fig["log_parse_s"])))
    head = ("figure", "ours", "reference", "target", "result")
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(5)]
    line = lambda r: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)  # noqa: E731
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip()
    out = [line(head), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]
    return "\n".join(out), missed


def fmt_load(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def report(data: dict, fig: dict) -> tuple[str, list[str]]:
    m = data["machine"]
    text, missed = table(fig, data)
    mem = f", {m['memory_gib']} GiB" if m["memory_gib"] else ""
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores{mem}; Chromium {m['chromium']} ({m['chromium_path']}), headless; "
        f"Python {m['python']}; Pyodide {m['pyodide']}; {m['os']}",
        f"Firefox: {data.get('firefox_version') or 'not run'} (headless, WebDriver BiDi).",
        f"Each browser figure: median of {data['runs']} cold loads, each in a fresh browser process (no HTTP, V8 or "
        f"wasm cache carried over), pages interleaved in rotating order; warm: a second visit in the same browser. "
        f"Served by sitebuild.devserver.serve_in_thread on 127.0.0.1 as GitHub Pages serves: gzip for text types "
        f"only (the .gz snapshot, the wasm and the zips go as they are), Cache-Control max-age={PAGES_MAX_AGE}. "
        f"Load average (1 min) at the start {fmt_load(data.get('load_start'))}, "
        f"at the end {fmt_load(data.get('load_end'))} (the benchmark's own browsers load the machine too).",
        "",
        text,
        "",
        "Reference pages (same server, same vendored Pyodide, same run): 'worker' = bench/bare-worker.html, a module "
        "worker that only awaits loadPyodide(); 'main' = bench/bare-main.html, loadPyodide() on the main thread. The "
        "calculator page loads Pyodide in a module worker, so the ratio target is judged against the worker page "
        "(median of the per-run ratios); the main-thread page shows what the worker saves in blocking time.",
        "Ours boots from the Python snapshot (snapshot/*.snapshot.gz, made by build.py); 'without the snapshot' is "
        "the same page built with --no-snapshot (plain/), as it booted before and as it falls back.",
        "Time to interactive: ms after navigation start until <html data-state=\"ready\">. Blocking time: sum of "
        "(duration - 50 ms) over main-thread long tasks that start before ready.",
        "Input latency: input/change event dispatched -> new result in the DOM (MutationObserver on "
        "[data-output=ms_per_iter]), one change at a time with the page idle in between, painting not included "
        "(the 'next frame' row adds the style, layout and paint of the update); reference: native "
        "calculator.web.from_form per call.",
        "Bytes: Resource Timing of the page and its workers; transferred = over the wire (gzip, headers included), "
        "decoded = after decompression. The 150 KB target applies to the page's own transferred bytes: beyond "
        "Pyodide's files and the Python snapshot, which have rows of their own (what a reader downloads from GitHub "
        "Pages, which gzips text); the wasm, the stdlib zip and the .gz snapshot are not compressed by the server.",
    ]
    if "worker_timings_ms" in fig:
        t = fig["worker_timings_ms"]
        lines.append("Inside our worker (median, ms after it got the init message): files fetched and verified "
                     f"{t['fetchMs']:.0f}, Pyodide loaded {t['pyodideMs']:.0f}, calculator imported and first result "
                     f"{t['readyMs']:.0f}.")
    boots = fig.get("boots", {})
    lines.append("How Python started: " + "; ".join(f"{name}: {counts}" for name, counts in boots.items() if counts)
                 + (f"; Firefox served: {fig['firefox']['boots']}" if fig.get("firefox") else ""))
    if fig["latency_missed"]:
        lines.append(f"WARNING: {fig['latency_missed']} input changes produced no update: "
                     f"{data['latency']['missed'][:5]}")
    absent = (data.get("latency_parallel") or {}).get("absent")
    if absent:
        lines.append(f"WARNING: the 64-GPU Llama page's link names inputs the form has no field for: {absent}")
    if fig.get("latency_parallel_missed"):
        lines.append(f"WARNING: {fig['latency_parallel_missed']} input changes on the 64-GPU Llama page produced no "
                     f"update: {data['latency_parallel']['missed'][:5]}")
    if fig["page_errors"]:
        lines.append(f"WARNING: page errors: {fig['page_errors']}")
    busy = data.get("load_start")  # (the load at the end is mostly the benchmark's own browsers)
    if busy is not None and busy >= 0.5 * m["cores"]:
        lines.append(f"WARNING: the machine was busy when the benchmark started (load average {busy:.2f} on "
                     f"{m['cores']} cores): the browser figures are contended; rerun on a quiet machine "
                     "(--quiet-wait S) before trusting them.")
    if data["runs"] < 5:
        lines.append(f"NOTE: only {data['runs']} runs; the targets are meant for the median of at least 5.")
    lines.append("")
    lines.append("All targets met." if not missed else f"Missed targets: {', '.join(missed)}.")
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="cold loads per page and build runs (default 5)")
    p.add_argument("--changes", type=int, default=200, help="input changes timed for the latency (default 200)")
    p.add_argument("--json", metavar="PATH", help="also write every figure and every raw sample to PATH")
    p.add_argument("--no-firefox", action="store_true", help="skip the Firefox loads")
    p.add_argument("--quiet-wait", type=float, default=0, metavar="S",
                   help="first wait up to S seconds for the 1-minute load average to drop under half the cores")
    a = p.parse_args(argv)
    if a.runs < 1 or a.changes < 1:
        p.error("--runs and --changes must be at least 1")
    if not (bundle.PYODIDE_DIR / "pyodide.asm.wasm").exists():
        print("bench: node_modules/pyodide is missing: run `npm ci`", file=sys.stderr)
        return 2
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("bench: python playwright is not installed (pip install -r requirements-dev.txt)", file=sys.stderr)
        return 2
    if a.quiet_wait > 0:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        wait_for_quiet(a.quiet_wait, 0.5 * cores)
    data = measure(a.runs, a.changes, with_firefox=not a.no_firefox)
    fig = summarise(data)
    text, missed = report(data, fig)
    print(text)
    if a.json:
        Path(a.json).write_text(json.dumps({"figures": fig, "missed": missed, **data}, indent=1), encoding="utf-8")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
