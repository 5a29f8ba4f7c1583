"""The Python memory snapshot (sitebuild/snapshot.py): the build makes it and the page boots from it; whatever goes
wrong with it, the page boots as it would without one; and a snapshot-booted worker gives the native answers.

The differential test sends random valid scenarios (every field, every card, share links and form bodies) through
the worker of a page that booted from the snapshot and compares each answer with calculator.web run here natively
(values and English texts). SNAPSHOT_DIFF=N sets how many scenarios (default 100; 1000 for a full run),
SNAPSHOT_DIFF_SEED=S replays a run (the seed is printed either way).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import random
import re
import shutil
from urllib.parse import urlencode

import pytest

import browser_helpers as bh
import build
from calculator import gpus, presets, schema, web
from sitebuild import bundle, devserver, snapshot
from test_browser_hardening import js_rounded_int

CONFIG = re.compile(r'(<script type="application/json" id="estimator-config">)(.*?)(</script>)', re.S)
DIFF_N = int(os.environ.get("SNAPSHOT_DIFF", "100"))
BOOT = "() => [document.documentElement.getAttribute('data-state'), (window.__estimator.timings || {}).boot, " \
       "(window.__estimator.timings || {}).snapshotFailure]"


def page_config(html: str) -> dict:
    return json.loads(CONFIG.search(html).group(2))


def with_config(html: str, change) -> str:
    cfg = page_config(html)
    change(cfg)
    return CONFIG.sub(lambda m: m.group(1) + json.dumps(cfg).replace("<", "\\u003c") + m.group(3), html, count=1)


# -- the build ----------------------------------------------------------------------------------------------------

def test_a_vendored_build_carries_the_snapshot_and_its_hash(vendored_site):
    _, out = vendored_site
    (snap,) = (out / build.SNAPSHOT_DIR).glob("*.snapshot.gz")
    (package,) = (out / build.SNAPSHOT_DIR).glob("calculator-*.zip")
    gz = snap.read_bytes()
    assert len(gzip.decompress(gz)) > 10_000_000  # Python's whole memory (about 31 MB with Pyodide 314)
    digest = "sha384-" + base64.b64encode(hashlib.sha384(gz).digest()).decode()
    assert package.read_bytes() == bundle.package_zip()
    html = (out / "index.html").read_text(encoding="utf-8")
    en = page_config(html)
    es = page_config((out / "es" / "index.html").read_text(encoding="utf-8"))
    assert en["snapshot"] == {"url": f"snapshot/{snap.name}", "integrity": digest}
    assert es["snapshot"] == {"url": f"../snapshot/{snap.name}", "integrity": digest}
    pkg = {"integrity": bundle.sri(package.read_bytes())}
    assert en["package"] == {**pkg, "url": f"snapshot/{package.name}"}
    assert es["package"] == {**pkg, "url": f"../snapshot/{package.name}"}
    assert 'id="calculator-package"' not in html  # the package is in the snapshot, and beside it for the fallback
    assert en["pyodide"]["files"]["pyodide.asm.wasm"] == bundle.sri((out / "pyodide" / "pyodide.asm.wasm").read_bytes())


def test_builds_without_a_snapshot(tmp_path):
    res = build.build(tmp_path / "cdn")  # Pyodide from a CDN: a snapshot fits one build, so none by default
    assert res.snapshot is None and not (tmp_path / "cdn" / build.SNAPSHOT_DIR).exists()
    html = (tmp_path / "cdn" / "index.html").read_text(encoding="utf-8")
    assert "snapshot" not in page_config(html) and "package" not in page_config(html)
    assert 'id="calculator-package"' in html  # the page carries the package itself
    assert build.main(["--vendor-pyodide", "--no-snapshot", "--out", str(tmp_path / "v")]) == 0
    assert not (tmp_path / "v" / build.SNAPSHOT_DIR).exists()
    assert "snapshot" not in page_config((tmp_path / "v" / "index.html").read_text(encoding="utf-8"))


def test_the_cache_key_follows_every_input():
    pkg = bundle.package_zip()
    key = snapshot.inputs_key(pkg, ["en", "es"])
    assert snapshot.inputs_key(pkg, ["en", "es"]) == key
    assert snapshot.inputs_key(pkg + b"\0", ["en", "es"]) != key  # another package
    assert snapshot.inputs_key(pkg, ["en"]) != key  # other languages
    cached = snapshot.snapshot(pkg, ["en", "es"])  # the build's own, cached
    assert cached.key == key and cached.name == f"python-{key[:16]}.snapshot.gz"
    assert len(gzip.decompress(cached.gz)) == cached.raw_size


# -- the page boots from it ---------------------------------------------------------------------------------------

def boot_state(browser, url: str, **kw):
    context, page, watch = bh.open_page(browser, url, **kw)
    bh.poll(page, "() => document.documentElement.getAttribute('data-state')", lambda s: s != "loading",
            timeout_ms=bh.READY_TIMEOUT_MS, interval_s=0.1)
    return context, page, watch, page.evaluate(BOOT)


def worker_fetches(page) -> list[str]:
    """What the page's worker fetched (Resource Timing)."""
    return page.workers[0].evaluate("() => performance.getEntriesByType('resource').map((e) => e.name)")


def test_the_served_page_boots_from_the_snapshot(chromium, vendored_site):
    url, _ = vendored_site
    context, page, watch, got = boot_state(chromium, url + "?n_layer=8&gpu=h100-sxm")
    try:
        assert got == ["ready", "snapshot", None], got
        fetched = worker_fetches(page)
        assert any(u.endswith(".snapshot.gz") for u in fetched) and not any(u.endswith(".zip") and "calculator-" in u
                                                                           for u in fetched), fetched
        assert bh.mismatches(page, web.evaluate_url("n_layer=8&gpu=h100-sxm")["result"]) == []
        bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
        assert bh.mismatches(page, web.evaluate_url("n_layer=24&gpu=h100-sxm")["result"]) == []
        watch.assert_clean()
    finally:
        context.close()


def test_the_spanish_page_boots_from_the_snapshot(chromium, vendored_site):
    url, _ = vendored_site
    context, page, watch, got = boot_state(chromium, url + "es/?n_layer=8")
    try:
        assert got == ["ready", "snapshot", None], got
        assert bh.mismatches(page, web.evaluate_url("n_layer=8", "es")["result"]) == []
        watch.assert_clean()
    finally:
        context.close()


def test_the_standalone_file_boots_from_its_snapshot(chromium, standalone_file):
    html = standalone_file.read_text(encoding="utf-8")
    cfg = page_config(html)
    assert cfg["snapshot"]["inline"] and cfg["snapshot"]["integrity"].startswith("sha384-")
    context = chromium.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://") else r.abort())
    page = context.new_page()
    try:
        page.goto(standalone_file.as_uri() + "?n_layer=8")
        bh.wait_state(page, "ready")
        assert page.evaluate(BOOT) == ["ready", "snapshot", None]
        assert bh.mismatches(page, web.evaluate_url("n_layer=8")["result"]) == []
    finally:
        context.close()


# -- the fallback: a missing, damaged or refused snapshot boots the page as before -------------------------------

def _missing(site):
    for path in (site / build.SNAPSHOT_DIR).glob("*.snapshot.gz"):
        path.unlink()


def _damaged(site):
    (path,) = (site / build.SNAPSHOT_DIR).glob("*.snapshot.gz")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _refused(site):
    """Another Pyodide's snapshot, with a hash that matches it: the build id in its header differs (Pyodide keeps
    it in the 32 bytes after the header's first four words), so Pyodide refuses to restore it."""
    (path,) = (site / build.SNAPSHOT_DIR).glob("*.snapshot.gz")
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[16:48] = bytes(b ^ 0x5A for b in raw[16:48])
    gz = gzip.compress(bytes(raw), compresslevel=1, mtime=0)
    path.write_bytes(gz)
    for page in (site / "index.html", site / "es" / "index.html"):
        html = page.read_text(encoding="utf-8")
        page.write_text(with_config(html, lambda c: c["snapshot"].update(integrity=bundle.sri(gz))), encoding="utf-8")


FAILURES = {"missing": (_missing, "network"), "damaged": (_damaged, "integrity"), "refused": (_refused, "refused")}


@pytest.fixture(scope="module", params=list(FAILURES))
def broken_site(request, vendored_site, tmp_path_factory):
    """A copy of the vendored site whose snapshot is missing, damaged, or refused by Pyodide; served."""
    _, out = vendored_site
    site = tmp_path_factory.mktemp(f"site-snapshot-{request.param}")
    for item in out.iterdir():  # Pyodide's files linked, not copied; the pages and the snapshot copied
        if item.name == "pyodide":
            (site / item.name).symlink_to(item, target_is_directory=True)
        elif item.is_dir():
            shutil.copytree(item, site / item.name)
        else:
            shutil.copyfile(item, site / item.name)
    FAILURES[request.param][0](site)
    server, url = devserver.serve_in_thread(site, gzip=True)
    yield request.param, url
    server.shutdown()


def test_a_broken_snapshot_boots_the_page_as_before_quietly(chromium, broken_site):
    name, url = broken_site
    # a 404 for the missing snapshot is the one console line a reader's browser prints by itself
    context = chromium.new_context()
    page = context.new_page()
    watch = bh.PageWatch(page, allow_console=("404",) if name == "missing" else ())
    try:
        page.goto(url + "?n_layer=8")
        bh.wait_state(page, "ready")
        state, boot, failure = page.evaluate(BOOT)
        assert boot == "plain", (name, boot, failure)
        assert failure and failure.startswith(FAILURES[name][1]), (name, failure)
        assert any("/snapshot/calculator-" in u for u in worker_fetches(page))  # the package, fetched now
        assert bh.mismatches(page, web.evaluate_url("n_layer=8")["result"]) == []
        assert page.locator("#unavailable").is_hidden()
        bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
        assert bh.mismatches(page, web.evaluate_url("n_layer=24")["result"]) == []
        watch.assert_clean()
    finally:
        context.close()


# -- the same answers, whichever way it booted --------------------------------------------------------------------

def _number(f: schema.Field, rng: random.Random) -> str:
    lo = f.min if f.min is not None else 0.0
    hi = f.max if f.max is not None else 1e6
    near = f.default if isinstance(f.default, (int, float)) and f.default else None
    if near and rng.random() < 0.7:  # mostly around the default, sometimes anywhere in the range
        value = near * 2 ** rng.uniform(-3, 3)
    elif lo > 0:
        value = lo * (hi / lo) ** rng.random()
    else:
        value = hi * rng.random() ** 4
    value = min(max(value, lo), hi)
    if f.kind == "int":
        value = min(max(round(value), int(lo) + (1 if f.exclusive_min else 0)), int(hi))
        return str(value)
    if f.exclusive_min and value <= lo:
        value = lo + (hi - lo) * 1e-6
    return repr(float(f"{value:.6g}"))


def scenarios(n: int, seed: int) -> list[dict[str, str]]:
    """n random valid inputs, as the form and a link carry them (text): every field now and then, every card in
    turn (and the custom one)."""
    rng = random.Random(seed)
    cards = [g["id"] for g in gpus.list_gpus()] + ["custom"]
    fields = [f for f in schema.FIELDS if not f.cli_only]
    out = []
    for i in range(n):
        inputs = {"gpu": cards[i % len(cards)]}
        for f in fields:
            if f.name == "gpu" or rng.random() < 0.6:
                continue
            if f.kind == "model":
                inputs[f.name] = rng.choice(list(presets.PRESETS))
            elif f.kind == "bool":
                inputs[f.name] = rng.choice(["true", "false"])
            elif f.kind == "choice":
                inputs[f.name] = rng.choice(f.choices)
            else:
                inputs[f.name] = _number(f, rng)
        # mostly coherent, as a reader's run is: whole heads, whole micro-steps per GPU, a CUDA device
        head = int(inputs.get("n_head", 12))
        if rng.random() < 0.9:
            inputs["n_embd"] = str(head * max(1, round(int(inputs.get("n_embd", 384)) / head)))
        if rng.random() < 0.9:  # key/value heads that divide the heads, and a layout that divides the GPUs
            inputs.pop("n_kv_head", None)
            for name in ("tensor_parallel", "pipeline_parallel", "pipeline_interleave", "context_parallel"):
                inputs.pop(name, None)
        gpus_n = int(inputs.get("num_gpus", 1))
        if rng.random() < 0.9:
            inputs["gradient_accumulation_steps"] = str(gpus_n * max(1, round(int(inputs.get(
                "gradient_accumulation_steps", 32)) / gpus_n)))
        if rng.random() < 0.9:
            inputs.pop("device", None)
        out.append(inputs)
    return out


CALLS_JS = """async ([fn, args]) => {
  const settled = await Promise.allSettled(args.map((a) => window.__estimator.call(fn, a)));
  return settled.map((s) => s.status === "fulfilled" ? s.value : "REJECTED: " + String(s.reason));
}"""


def test_the_snapshot_booted_worker_gives_the_native_answers(chromium, vendored_site):
    seed = int(os.environ.get("SNAPSHOT_DIFF_SEED") or random.SystemRandom().randrange(10**9))
    print(f"\nsnapshot differential: {DIFF_N} scenarios, seed {seed} (replay: SNAPSHOT_DIFF={DIFF_N} "
          f"SNAPSHOT_DIFF_SEED={seed})")
    cases = scenarios(DIFF_N, seed)
    queries = [urlencode(c) for c in cases]
    forms = [json.dumps(c) for c in cases]
    url, _ = vendored_site
    # a few of them as share links opened in the page, the rest sent to the same worker without reloading
    for q in queries[:3]:
        context, page, watch, got = boot_state(chromium, url + "?" + q)
        try:
            assert got[:2] == ["ready", "snapshot"], (got, q, seed)
            expected = web.evaluate_url(q)["result"]
            # whole numbers above 2**53 read back from data-value as JavaScript's nearest double (docs/security.md)
            assert [m for m in bh.mismatches(page, expected) if not js_rounded_int(m)] == [], (q, seed)
            watch.assert_clean()
        finally:
            context.close()
    context, page, watch, got = boot_state(chromium, url)
    try:
        assert got[:2] == ["ready", "snapshot"], got
        bad = []
        for fn, args, native in (("from_url", queries, web.from_url), ("from_form", forms, web.from_form)):
            answers = page.evaluate(CALLS_JS, [fn, args])
            for arg, answer in zip(args, answers, strict=True):
                if answer.startswith("REJECTED"):
                    bad.append((fn, arg, answer))
                elif not bh.same(json.loads(answer), json.loads(native(arg))):
                    bad.append((fn, arg))
        clean = sum(1 for q in queries if not web.evaluate_url(q)["errors"])
        print(f"snapshot differential: {len(queries)} links and {len(forms)} forms compared, {clean} links with no "
              "message at all (the others name an input, e.g. a dtype the card lacks, and compute the rest)")
        assert bad == [], f"seed {seed}: {len(bad)} differ, first {bad[:3]}"
        assert clean > len(queries) // 3  # valid one by one, most must also be valid together
        watch.assert_clean()
    finally:
        context.close()

