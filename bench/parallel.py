"""python -m bench.parallel [--runs N] [--changes N] [--no-browser]: the many-GPU figures on their own.

  estimate  calculator.estimate() of a Llama 3.1 405B run on 512 H100s (tensor 8 x pipeline 8, two virtual stages,
            FSDP over the 8 data-parallel ranks, selective checkpointing), natively, in this process: N calls (default
            1,000) after 20 warm-up calls, each timed alone (time.perf_counter), median and p95 in ms. Target: the
            p95 under 5 ms. The scenario is written out in the schema's names (SCENARIO_405B), so it does not depend
            on a preset.
  latency   the page's input-latency figure (bench/run.py's LATENCY_JS: N changes to n_layer, batch_size and gpu,
            one at a time) on a many-GPU Llama page: the site is built with --vendor-pyodide, served as
            `python -m bench` serves it, and opened in headless Chromium at ?PARALLEL_QUERY (Llama 3.1 8B on 64
            GPUs, 8 nodes, DDP). Target: p95 under 16 ms. Needs Chromium and node_modules/pyodide;
            --no-browser skips it.

`python -m bench` measures both as well, with every other figure (docs/benchmark.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_ESTIMATE_MS = 5.0  # p95 of one estimate() of SCENARIO_405B, native
TARGET_LATENCY_MS = 16.0  # p95 of input change -> result on the PARALLEL_QUERY page

# Llama 3.1 405B's config.json (meta-llama/Llama-3.1-405B: 126 layers, 128 heads, 16,384 wide, 8 KV heads, SwiGLU
# 53,248, vocabulary 128,256, untied), trained as Meta's paper describes its 405B stage-one layout in spirit
# (Llama Team 2024, "The Llama 3 Herd of Models", section 3.3: tensor 8 inside a node, pipeline across nodes,
# FSDP-style data parallelism over the rest, 8,192-token sequences): 512 H100s = 8 tensor x 8 pipeline x 8 data.
SCENARIO_405B = dict(
    model_type="llama", n_layer=126, n_head=128, n_embd=16384, n_kv_head=8, intermediate_size=53248,
    vocab_size=128256, tie_word_embeddings=False, block_size=8192, batch_size=1, gradient_accumulation_steps=512,
    gpu="h100-sxm", dtype="bfloat16", num_gpus=512, gpus_per_node=8, tensor_parallel=8, pipeline_parallel=8,
    pipeline_interleave=2, sharding="fsdp", activation_checkpointing="full", max_iters=1000)

# The page's input-latency scenario with many GPUs and a Llama model: Llama 3.1 8B's sizes written out (the latency
# script edits n_layer, which would leave a preset's name beside other sizes), on 64 GPUs (8 nodes of 8) with FSDP
# and selective checkpointing. Only fields the page's form has: one it lacks is dropped by the first edit (the run
# warns of any). Every n_layer 1-24, batch_size 1-32 and catalogue card the latency script sets keeps it valid.
PARALLEL_QUERY = ("model_type=llama&n_layer=32&n_head=32&n_embd=4096&n_kv_head=8&intermediate_size=14336"
                  "&vocab_size=128256&tie_word_embeddings=false&block_size=8192&batch_size=1&num_gpus=64"
                  "&gradient_accumulation_steps=64&gpu=h100-sxm&sharding=fsdp&activation_checkpointing=selective")


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (bench.run.percentile's rule)."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(-(-p * len(s) // 100)) - 1))
    return s[k]


def estimate_405b(runs: int = 1000, warmup: int = 20) -> dict:
    """Median and p95 (ms) of `runs` estimate() calls of SCENARIO_405B, each timed alone, after `warmup` calls."""
    from calculator import estimate

    for _ in range(warmup):
        r = estimate(**SCENARIO_405B)
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        estimate(**SCENARIO_405B)
        samples.append((time.perf_counter() - t0) * 1000)
    return {"runs": runs, "median_ms": percentile(samples, 50), "p95_ms": percentile(samples, 95),
            "max_ms": max(samples), "samples_ms": samples,
            "scenario": {"params_total": r["params_total"], "ms_per_iter": r["ms_per_iter"], "mfu": r["mfu"],
                         "memory_verdict": r["memory_verdict"], "bound": r["bound"],
                         "layout": {k: r["parallel"][k] for k in ("dp", "tp", "pp", "interleave", "nodes",
                                                                  "micro_steps", "sharding", "network")}}}


def latency_on_parallel_page(changes: int = 200) -> dict:
    """The page's input latency (bench.run.LATENCY_JS) at ?PARALLEL_QUERY, in one cold Chromium load."""
    from playwright.sync_api import sync_playwright

    import build
    from bench import run
    from sitebuild import devserver

    with tempfile.TemporaryDirectory(prefix="bench-parallel-") as tmp:
        site = Path(tmp) / "site"
        build.build(site, vendor=True)
        server, base = devserver.serve_in_thread(site, gzip=True, max_age=run.PAGES_MAX_AGE)
        try:
            with sync_playwright() as pw:
                got = run.input_latency(pw, base + "?" + PARALLEL_QUERY, changes)
        finally:
            server.shutdown()
    return got


def summary(est: dict | None, lat: dict | None) -> tuple[str, list[str]]:
    lines, missed = [], []
    if est is not None:
        s = est["scenario"]
        ok = est["p95_ms"] < TARGET_ESTIMATE_MS
        missed += [] if ok else ["estimate_405b_ms"]
        lines += [f"estimate() of Llama 3.1 405B on 512 H100s ({s['layout']}): {s['params_total']:,} parameters, "
                  f"{s['ms_per_iter']:,.0f} ms/iter, MFU {100 * s['mfu']:.1f}%, memory {s['memory_verdict']}, "
                  f"bound: {s['bound']}",
                  f"  {est['runs']} calls: median {est['median_ms']:.2f} ms, p95 {est['p95_ms']:.2f} ms, "
                  f"max {est['max_ms']:.2f} ms; target p95 < {TARGET_ESTIMATE_MS:g} ms: {'pass' if ok else 'FAIL'}"]
    if lat is not None:
        samples = lat["samples"]
        p50 = percentile(samples, 50) if samples else None
        p95 = percentile(samples, 95) if samples else None
        ok = p95 is not None and p95 < TARGET_LATENCY_MS and not lat["missed"]
        missed += [] if ok else ["latency_parallel_p95_ms"]
        shown = "n/a" if p95 is None else f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(samples):.1f} ms"
        if lat.get("absent"):
            lines.append(f"WARNING: the link names inputs the form has no field for: {lat['absent']}")
        lines += [f"Input change -> results on ?{PARALLEL_QUERY}",
                  f"  {len(samples)} changes ({len(lat['missed'])} without an update): {shown}; target p95 < "
                  f"{TARGET_LATENCY_MS:g} ms: {'pass' if ok else 'FAIL'}"]
    return "\n".join(lines), missed


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.parallel", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=1000, help="estimate() calls timed (default 1000)")
    p.add_argument("--changes", type=int, default=200, help="input changes timed on the page (default 200)")
    p.add_argument("--no-browser", action="store_true", help="only the native estimate() figure")
    a = p.parse_args(argv)
    if a.runs < 1 or a.changes < 1:
        p.error("--runs and --changes must be at least 1")
    est = estimate_405b(a.runs)
    lat = None if a.no_browser else latency_on_parallel_page(a.changes)
    text, missed = summary(est, lat)
    print(text)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
