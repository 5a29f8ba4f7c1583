"""python -m bench.logparse [--runs N] [--megabytes M]: how long the log reader takes, natively, on a large paste.

Two pastes of M MB (default 5, the size the page's browser test pastes):
  nanogpt  nanoGPT's ``iter N: loss L, time T ms, mfu M%`` lines with an eval every 500 iterations (as
           tests/test_browser.py's 5 MB paste);
  trainers the newer families one after the other, each a run of its own: MaxText printed by eight hosts (eight
           copies of every step, the rank de-duplication's worst case), nanotron's K-suffixed lines, OLMo's records
           spread over six lines, fairseq's interval lines and Keras epochs.
Each figure is the median of N runs (default 5) of parse_log + steady_state, and of loganalysis.analyze (the whole
analysis the page asks for), in this process, after one warm-up run. The target (docs/benchmark.md) is under 0.5 s
for the 5 MB nanoGPT paste's parse_log + steady_state.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_S = 0.5  # parse_log + steady_state of a 5 MB nanoGPT paste, native


def nanogpt_paste(megabytes: float) -> str:
    lines, size, i = [], 0, 0
    while size < megabytes * 1_000_000:
        line = (f"iter {i}: loss {3 + (i * 7919 % 1000) / 1000:.4f}, time {250 + (i * 37 % 17) * 0.5:.2f}ms, "
                f"mfu {30 + (i % 5) / 10:.2f}%\n")
        if i % 500 == 0:
            line = f"step {i}: train loss 3.1000, val loss 3.2000\n" + line.replace("time 2", "time 32")
        lines.append(line)
        size += len(line)
        i += 1
    return "".join(lines)


def trainers_paste(megabytes: float) -> str:
    block: list[str] = []
    for i in range(1, 201):
        for host in range(8):
            block.append(f"[host{host}] completed step: {i}, seconds: {1.2 + (i % 5) / 100:.3f}, TFLOP/s/device: "
                         f"180.512, Tokens/s/device: 6640.214, total_weights: 65536, loss: {6.5 - i / 1000:.3f}")
    for i in range(10, 2010, 10):
        block.append(f"[default0]:12/04/2024 10:00:00 [INFO|DP=0|PP=0|TP=0|lm-node-1]: iteration: {i} / 2000 | "
                     f"consumed_tokens: 262M | elapsed_time_per_iteration_ms: 12.{i % 7}K | tokens_per_sec: 85.2K | "
                     "tokens_per_sec_per_gpu: 10.7K | global_batch_size: 512 | lm_loss: 3.41 | lr: 0.00028")
    for i in range(10, 2010, 10):
        block += [f"[step={i}/739328]", "    train/CrossEntropyLoss=7.412", "    train/Perplexity=1,656",
                  "    throughput/total_tokens=41,943,040", "    throughput/device/tokens_per_second=9,873",
                  f"    throughput/device/batches_per_second=0.60{i % 9}"]
    for k in range(1, 201):
        block.append(f"2021-03-04 12:00:00 | INFO | train_inner | epoch 001:    {k * 100} / 20001 loss=9.233, "
                     f"ppl=602.7, wps={21000 + k % 9}.5, ups=5.13, wpb=4093.2, bsz=137.5, num_updates={k * 100}, "
                     "lr=1.25e-05, gnorm=1.2, train_wall=19, gb_free=10.2, wall=20")
    for e in range(1, 51):
        block += [f"Epoch {e}/50", "391/391 - 134s - loss: 1.2034 - accuracy: 0.5712 - val_loss: 1.1032 - "
                                   "134s/epoch - 343ms/step"]
    text = "\n".join(block) + "\n"
    return text * max(1, round(megabytes * 1_000_000 / len(text)))


def timed(fn, runs: int) -> float:
    fn()  # warm-up: imports, regex compilation, the page's first call
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def log_parse_figures(megabytes: float = 5.0, runs: int = 5) -> dict:
    from calculator.loganalysis import analyze
    from calculator.logparse import parse_log, steady_state

    out: dict = {}
    for name, text in (("nanogpt", nanogpt_paste(megabytes)), ("trainers", trainers_paste(megabytes))):
        out[f"{name}_bytes"] = len(text.encode("utf-8"))
        out[f"{name}_lines"] = text.count("\n")
        out[f"{name}_parse_s"] = timed(lambda t=text: steady_state(parse_log(t)), runs)
        out[f"{name}_analyze_s"] = timed(lambda t=text: analyze(t), runs)
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.logparse", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="timed runs of each (default 5)")
    p.add_argument("--megabytes", type=float, default=5.0, help="size of each paste (default 5)")
    a = p.parse_args(argv)
    if a.runs < 1 or a.megabytes <= 0:
        p.error("--runs must be at least 1 and --megabytes positive")
    f = log_parse_figures(a.megabytes, a.runs)
    print(f"Python {sys.version.split()[0]}; median of {a.runs} runs after a warm-up")
    print(f"{'paste':<10} {'bytes':>11} {'lines':>9} {'parse_log+steady_state':>23} {'analyze':>9}")
    for name in ("nanogpt", "trainers"):
        print(f"{name:<10} {f[name + '_bytes']:>11,} {f[name + '_lines']:>9,} {f[name + '_parse_s']:>21.3f} s "
              f"{f[name + '_analyze_s']:>7.3f} s")
    ok = f["nanogpt_parse_s"] < TARGET_S
    print(f"target: the {a.megabytes:g} MB nanoGPT paste parsed in under {TARGET_S} s: {'pass' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
