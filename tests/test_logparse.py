"""calculator/logparse.py: per-format fixtures, the steady-state exclusions, noise, and fuzzing.

The fixture logs in tests/logs/ are synthetic, written by tests/logs/make_fixtures.py from the projects' print
format strings; the expected values here are recomputed from that script's formulas (nano_ms, llmc_ms, ...), never
copied from the parser's output.
"""

from __future__ import annotations

import importlib.util
import math
import statistics
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculator import logformats
from calculator.logparse import (
    REASON_EARLIER_RUN,
    REASON_EVAL,
    REASON_ITER0,
    REASON_RUNNING_AVG,
    REASON_SPIKE,
    REASON_WARMUP,
    REASON_WARMUP_BAR,
    REASON_WARMUP_NANOGPT,
    REASON_WHOLE_RUN,
    IterRecord,
    ParsedLog,
    parse_log,
    steady_state,
)

LOGS = Path(__file__).parent / "logs"

_spec = importlib.util.spec_from_file_location("make_fixtures", LOGS / "make_fixtures.py")
mf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mf)


def read(name: str) -> str:
    with open(LOGS / name, encoding="utf-8", newline="") as f:
        return f.read()


def r2(x: float) -> float:
    """As printed with %.2f."""
    return float(f"{x:.2f}")


def deciles(vals: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(vals, n=10, method="inclusive")
    return q[0], q[8]


def reasons(steady: dict) -> dict:
    return {(e["iteration"], e["line_no"]): e["reason"] for e in steady["excluded"]}


def by_iter(steady: dict) -> dict:
    return {e["iteration"]: e["reason"] for e in steady["excluded"]}


# ---------------------------------------------------------------------------------------------------------- fixtures


def test_fixtures_are_what_the_script_writes(tmp_path, monkeypatch):
    monkeypatch.setattr(mf, "HERE", str(tmp_path))
    for fn in (mf.nanogpt, mf.llmc, mf.llmc_old, mf.hf_trainer, mf.lightning, mf.tqdm_cr, mf.plain, mf.mixed):
        fn()
    for p in tmp_path.iterdir():
        assert p.read_bytes() == (LOGS / p.name).read_bytes(), f"tests/logs/{p.name} is stale: rerun make_fixtures.py"


def test_nanogpt_fixture():
    p = parse_log(read("nanogpt.log"))
    assert p.format == "nanogpt"
    assert [r.iteration for r in p.records] == list(range(60))
    assert [r.ms for r in p.records] == [r2(mf.nano_ms(i)) for i in range(60)]
    assert all(r.source == "nanogpt" for r in p.records)
    # mfu -100.00% (running_mfu = -1.0 until local_iter_num >= 5) is a placeholder
    assert [r.printed_mfu for r in p.records[:5]] == [None] * 5
    assert [r.printed_mfu for r in p.records[5:]] == [r2(mf.nano_mfu(i) * 100) for i in range(5, 60)]
    assert p.records[3].loss == pytest.approx(4.2 - 3 * 0.02)
    assert [(e["iteration"], e["train_loss"], e["val_loss"]) for e in p.evals] == [
        (i, r2(4.2 - i * 0.01) if i else 4.2, float(f"{4.25 - i * 0.01:.4f}")) for i in (0, 20, 40)]
    assert p.max_iters_hint == 60  # "Overriding: max_iters = 60"
    # 12 header lines (all but the max_iters override), 2 "saving checkpoint", 1 truncated "iter 60: loss 3.0"
    assert p.skipped_lines == 15
    assert p.total_lines == 79

    s = steady_state(p)
    ex = by_iter(s)
    warm = REASON_WARMUP_NANOGPT  # nanoGPT's own lines: the ones that print mfu -100.00%
    assert ex == {0: REASON_ITER0, 1: warm, 2: warm, 3: warm, 4: warm,
                  20: REASON_EVAL, 40: REASON_EVAL, mf.NANO_SPIKE_ITER: REASON_SPIKE}
    kept = [mf.nano_ms(i) for i in range(5, 60) if i % mf.NANO_EVAL_EVERY and i != mf.NANO_SPIKE_ITER]
    assert s["kept"] == len(kept) == 52
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(kept))
    lo, hi = deciles(kept)
    assert s["p10_ms"] == pytest.approx(lo) and s["p90_ms"] == pytest.approx(hi)
    assert s["last_iteration"] == 59
    mfus = [r2(mf.nano_mfu(i) * 100) for i in range(5, 60) if i % mf.NANO_EVAL_EVERY and i != mf.NANO_SPIKE_ITER]
    assert s["printed_mfu_median"] == pytest.approx(statistics.median(mfus))
    # the excluded entries carry the record's line and time
    e20 = next(e for e in s["excluded"] if e["iteration"] == 20)
    assert e20["ms"] == r2(mf.nano_ms(20))
    assert read("nanogpt.log").split("\n")[e20["line_no"] - 1].startswith("iter 20:")


def test_nanogpt_eval_lands_in_the_iteration_printed_after_it():
    # eval_interval not a multiple of log_interval: the eval fell in an unprinted iteration -> nothing to exclude
    lines = []
    for i in range(0, 200, 10):
        lines.append(f"iter {i}: loss 3.0, time 100.00ms, mfu 20.00%")
        if i == 70:
            lines.append("step 75: train loss 3.0000, val loss 3.1000")  # iter 75 was not printed
    s = steady_state(parse_log("\n".join(lines)))
    assert REASON_EVAL not in by_iter(s).values()
    # the matching one is excluded even when it is not slow
    lines = ["iter %d: loss 3.0, time 100.00ms, mfu 20.00%%" % i for i in range(0, 100, 10)]
    lines.insert(5, "step 50: train loss 3.0000, val loss 3.1000")
    s = steady_state(parse_log("\n".join(lines)))
    assert by_iter(s)[50] == REASON_EVAL


def test_llmc_fixture():
    p = parse_log(read("llmc.log"))
    assert p.format == "llm.c"
    n = mf.LLMC_STEPS
    assert [r.iteration for r in p.records] == list(range(1, n + 1))  # llm.c prints step + 1
    assert [r.ms for r in p.records] == [r2(mf.llmc_ms(s)) for s in range(1, n + 1)]
    assert [r.printed_mfu for r in p.records] == [float(f"{mf.llmc_mfu(s):.1f}") for s in range(1, n + 1)]
    assert [r.tokens_per_sec for r in p.records] == [float(f"{4096 / mf.llmc_ms(s) * 1000:.0f}")
                                                     for s in range(1, n + 1)]
    assert p.records[0].loss == pytest.approx(4.4)
    assert p.max_iters_hint == n  # "/40"; the table's "max_steps | -1" is ignored
    assert [e["val_loss"] for e in p.evals] == [float(f"{4.5 - s * 0.01:f}") for s in range(0, n + 1, 10)]

    s = steady_state(p)
    # llm.c's CUDA events time only the training section: the step after "val loss" is NOT excluded
    assert by_iter(s) == {1: REASON_WARMUP, 2: REASON_WARMUP, 3: REASON_WARMUP, 4: REASON_WARMUP,
                          5: REASON_WARMUP, mf.LLMC_SPIKE: REASON_SPIKE}
    kept = [mf.llmc_ms(st_) for st_ in range(6, n + 1) if st_ != mf.LLMC_SPIKE]
    assert s["kept"] == len(kept)
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(kept))
    assert s["printed_mfu_median"] == pytest.approx(
        statistics.median([float(f"{mf.llmc_mfu(st_):.1f}") for st_ in range(6, n + 1) if st_ != mf.LLMC_SPIKE]))


def test_llmc_old_format():
    p = parse_log(read("llmc_old.log"))
    assert p.format == "llm.c"
    assert [r.iteration for r in p.records] == list(range(1, mf.LLMC_OLD_STEPS + 1))
    assert [r.ms for r in p.records] == [mf.llmc_old_ms(s) for s in range(1, mf.LLMC_OLD_STEPS + 1)]
    assert p.records[1].tokens_per_sec == int(4096 / mf.llmc_old_ms(2) * 1000)
    assert p.max_iters_hint == mf.LLMC_OLD_STEPS
    s = steady_state(p)
    assert s["steady_ms_per_iter"] == pytest.approx(
        statistics.median([mf.llmc_old_ms(x) for x in range(6, mf.LLMC_OLD_STEPS + 1)]))


@pytest.mark.parametrize("line, it, ms, loss, mfu, toks", [
    # later train_gpt2.cu: tok/s then MFU
    ("step   12/100 | loss 3.250000 | norm 1.2000 | lr 6.00e-04 | 150.25 ms | 27000 tok/s | MFU 41.50%",
     12, 150.25, 3.25, 41.5, 27000.0),
    # no MFU at all, z-scores
    ("step    7/50 | loss 4.100000 (+0.12z)| norm 0.5000 (-1.00z)| lr 3.00e-04 | 99.50 ms | 41000 tok/s",
     7, 99.5, 4.1, None, 41000.0),
    # llm.c prints -100% when it does not know the GPU's peak
    ("step    9/50 | loss 4.000000 (+0.00z)| norm 0.5000 (+0.00z)| lr 3.00e-04 | 98.00 ms | -100.0% bf16 MFU | 4 tok/s",
     9, 98.0, 4.0, None, 4.0),
    # train_gpt2.c (CPU)
    ("step 3: train loss 4.500000 (took 1234.500000 ms)", 3, 1234.5, 4.5, None, None),
])
def test_llmc_variants(line, it, ms, loss, mfu, toks):
    p = parse_log(line)
    assert p.format == "llm.c"
    (r,) = p.records
    assert (r.iteration, r.ms, r.loss, r.printed_mfu, r.tokens_per_sec) == (it, ms, loss, mfu, toks)


def test_hf_trainer_fixture():
    p = parse_log(read("hf_trainer.log"))
    assert p.format == "hf-trainer"
    assert p.max_iters_hint == mf.HF_TOTAL  # "Total optimization steps = 300"
    bars = [r for r in p.records if r.source == "tqdm"]
    # one record per physical line: the last rewrite of the training bar; the 25-step eval bar is dropped
    ends = list(range(mf.HF_CHUNK, mf.HF_TOTAL + 1, mf.HF_CHUNK))
    assert [r.iteration for r in bars] == ends
    assert [r.ms for r in bars] == [pytest.approx(1000 / r2(mf.hf_rate(n))) for n in ends]
    (summary,) = [r for r in p.records if r.source == "hf-trainer"]
    # train_runtime over the stated 300 steps (101.2 s / 300 = 2.9644 steps/s, which rounds to the printed 2.964):
    # more precise than 1 / 2.964
    assert summary.iteration is None and summary.ms == pytest.approx(101.2 * 1000 / mf.HF_TOTAL) and summary.loss == 2.6
    # log dicts: losses only
    assert [e["train_loss"] for e in p.evals if e["train_loss"] is not None] == [
        float(f"{3.0 - n * 0.003:.4f}") for n in ends]
    assert [e["val_loss"] for e in p.evals if e["val_loss"] is not None] == [2.4567]
    assert p.skipped_lines == 4  # three logger lines and the coloured warning

    s = steady_state(p)
    ex = reasons(s)
    assert list(ex.values()).count(REASON_RUNNING_AVG) == 3
    assert ex[(None, summary.line_no)] == REASON_WHOLE_RUN
    later = [1000 / r2(mf.hf_rate(n)) for n in ends[3:]]
    assert s["kept"] == 3 and s["steady_ms_per_iter"] == pytest.approx(statistics.median(later))
    assert s["last_iteration"] == mf.HF_TOTAL


def test_hf_summary_alone_is_used():
    p = parse_log("{'train_runtime': 50.0, 'train_samples_per_second': 64.0, 'train_steps_per_second': 4.0, "
                  "'train_loss': 2.1, 'epoch': 1.0}\n")
    assert p.format == "hf-trainer"
    s = steady_state(p)
    assert s["steady_ms_per_iter"] == pytest.approx(250.0) and s["kept"] == 1


def test_hf_dicts_without_timing_give_losses_only():
    text = "\n".join(f'{{"loss": {2 - i / 10}, "grad_norm": 1.0, "learning_rate": "5e-05", "epoch": {i / 10}}}'
                     for i in range(5))
    p = parse_log(text + "\n{'eval_loss': '1.75', 'eval_runtime': 3.1, 'epoch': 0.5}")
    assert p.format == "hf-trainer" and p.records == []
    assert [e["train_loss"] for e in p.evals[:5]] == [2 - i / 10 for i in range(5)]
    assert p.evals[5]["val_loss"] == 1.75
    s = steady_state(p)
    assert s["steady_ms_per_iter"] is None and s["kept"] == 0 and s["excluded"] == []


def test_lightning_fixture():
    p = parse_log(read("lightning.log"))
    assert p.format == "lightning"
    assert p.max_iters_hint is None  # the bar total is per epoch
    assert len(p.records) == mf.LIGHTNING_EPOCHS
    assert [r.iteration for r in p.records] == [mf.LIGHTNING_BATCHES] * mf.LIGHTNING_EPOCHS
    ms = [1000 / r2(mf.lightning_rate(e, mf.LIGHTNING_BATCHES)) for e in range(mf.LIGHTNING_EPOCHS)]
    assert [r.ms for r in p.records] == [pytest.approx(x) for x in ms]
    assert [r.loss for r in p.records] == [2.0] * mf.LIGHTNING_EPOCHS  # train_loss=, not val_loss=
    assert p.skipped_lines == 7  # banner, model summary table, "Trainer.fit stopped"
    s = steady_state(p)
    assert s["kept"] == 2 and s["steady_ms_per_iter"] == pytest.approx(statistics.median(ms[1:]))


def test_tqdm_carriage_returns_fixture():
    p = parse_log(read("tqdm_cr.log"))
    assert p.format == "tqdm"
    (r,) = p.records  # one physical line: its last complete rewrite (the truncated one is ignored)
    assert r.iteration == mf.TQDM_LAST
    assert r.ms == pytest.approx(1000 * r2(1 / mf.tqdm_rate(mf.TQDM_LAST)))  # printed as s/it
    assert r.loss == pytest.approx(3 - mf.TQDM_LAST * 0.005)
    assert p.max_iters_hint == mf.TQDM_TOTAL
    assert p.skipped_lines == 1  # datasets' "Map: ... examples/s" is not a training bar
    s = steady_state(p)
    assert s["steady_ms_per_iter"] == pytest.approx(r.ms) and s["kept"] == 1


def test_tqdm_updates_on_separate_lines_use_the_later_half():
    rate = lambda n: 1.0 + n / 100  # noqa: E731
    text = "\n".join(mf.tqdm_bar(n, 100, rate(n) if n else None) for n in range(0, 101))
    p = parse_log(text)
    assert p.format == "tqdm" and [r.iteration for r in p.records] == list(range(1, 101))
    s = steady_state(p, warmup_iters=5)
    after_warmup = list(range(6, 101))
    later = after_warmup[len(after_warmup) // 2:]
    assert s["kept"] == len(later)
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median([1000 / r2(rate(n)) for n in later]))
    ex = by_iter(s)
    assert all(ex[n] == REASON_WARMUP_BAR for n in range(1, 6))
    assert all(ex[n] == REASON_RUNNING_AVG for n in after_warmup[: len(after_warmup) // 2])


def test_plain_build_nanogpt_fixture():
    p = parse_log(read("plain.log"))
    assert p.format == "build-nanogpt"
    assert [r.iteration for r in p.records] == list(range(mf.PLAIN_STEPS))
    assert [r.ms for r in p.records] == [r2(mf.plain_ms(s)) for s in range(mf.PLAIN_STEPS)]
    assert p.records[7].tokens_per_sec == r2(524288 / mf.plain_ms(7) * 1000)
    assert p.records[7].loss == pytest.approx(10.9 - 7 * 0.02)
    assert [e["val_loss"] for e in p.evals] == [float(f"{10.9 - s * 0.01:.4f}") for s in (0, 25)]
    s = steady_state(p)
    assert by_iter(s) == {0: REASON_ITER0, 1: REASON_WARMUP, 2: REASON_WARMUP, 3: REASON_WARMUP,
                          4: REASON_WARMUP, mf.PLAIN_EVAL: REASON_EVAL}
    kept = [mf.plain_ms(x) for x in range(5, mf.PLAIN_STEPS) if x != mf.PLAIN_EVAL]
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(kept))


@pytest.mark.parametrize("line, it, ms", [
    ("123.4 ms/iter", None, 123.4),
    ("epoch 2 step 10 loss 2.5 250ms/it", 10, 250.0),
    ("it 40: 1.5 s/it", 40, 1500.0),
    ("step=7 speed 4.0 it/s", 7, 250.0),
    ("iter 12 | loss 2.0 | time 0.25s", 12, 250.0),
    ("step 5, iteration time: 321.5 ms", 5, 321.5),
    ("[rank0]: step 3 time/iter=80ms", 3, 80.0),
    ("Step 8: dt 12.5ms", 8, 12.5),
])
def test_plain_variants(line, it, ms):
    p = parse_log(line)
    assert p.format == "generic", line
    (r,) = p.records
    assert (r.iteration, r.ms) == (it, pytest.approx(ms))


def test_plain_needs_a_rate_or_an_iteration():
    p = parse_log("data loading took 5ms\nwarmup time 300ms\ncheckpoint saved in 2.5s\nruntime 12s")
    assert p.records == [] and p.skipped_lines == 4


def test_modded_nanogpt():
    lines = ["step:0/20 val_loss:10.8258 train_time:0ms step_avg:nanms"]
    tt = 0.0
    for s in range(1, 21):
        tt += 100.0 + s
        lines.append(f"step:{s}/20 train_time:{tt:.0f}ms step_avg:{tt / s:.2f}ms")
    p = parse_log("\n".join(lines))
    assert p.format == "modded-nanogpt" and p.max_iters_hint == 20
    assert [r.ms for r in p.records] == [100.0 + s for s in range(1, 21)]  # train_time differences
    assert p.evals[0]["iteration"] == 0 and p.evals[0]["val_loss"] == 10.8258


def test_mixed_fixture():
    p = parse_log(read("mixed.log"))  # CRLF line ends, ANSI, a traceback, binary junk, two formats
    assert p.format == "mixed"
    nano = [r for r in p.records if r.source == "nanogpt"]
    plain = [r for r in p.records if r.source == "generic"]
    assert [r.iteration for r in nano] == list(range(12))
    assert [r.iteration for r in plain] == [k * 10 for k in range(1, 13)]
    assert [r.ms for r in plain] == [180.0 + k for k in range(1, 13)]
    assert p.total_lines == 32
    # the banner, the 4 traceback lines, the junk line, the second banner
    assert p.skipped_lines == 7
    assert p.evals[-1]["train_loss"] == 3.1  # an HF dict line: loss only
    s = steady_state(p)
    # each run has its own warm-up; the plain run counts it by iteration number (step 10 is its first)
    ex = by_iter(s)
    assert ex[0] == REASON_ITER0 and all(ex[i] in (REASON_WARMUP, REASON_WARMUP_NANOGPT) for i in (1, 2, 3, 4, 10))
    # two runs in one paste: the last is reported, the first is listed with its own figure
    earlier = [e["iteration"] for e in s["excluded"] if e["reason"] == REASON_EARLIER_RUN]
    assert earlier == list(range(5, 12))
    kept = [180.0 + k for k in range(2, 13)]
    assert s["kept"] == len(kept) and s["steady_ms_per_iter"] == pytest.approx(statistics.median(kept))
    first, last = s["runs"]
    assert not first["reported"] and last["reported"]
    assert first["steady_ms_per_iter"] == statistics.median([200.0 + i for i in range(5, 12)])
    assert (first["first_iteration"], first["last_iteration"], last["first_iteration"]) == (0, 11, 10)


# ---------------------------------------------------------------------------------------------------------- noise


def nano_lines(n: int, start: int = 0) -> list[str]:
    return [f"iter {i}: loss 3.0000, time {100 + i % 3:.2f}ms, mfu {-100 if i < 5 else 30:.2f}%"
            for i in range(start, start + n)]


def test_ansi_and_prefixes_do_not_matter():
    clean = nano_lines(30)
    noisy = [f"\x1b[32m[rank0]:\x1b[0m \x1b[1m{ln}\x1b[0m\x1b[K" for ln in clean]
    noisy.insert(3, "\x1b]0;training - tmux\x07\x1b[?25l")  # window title + hide cursor: a non-empty junk line
    a, b = parse_log("\n".join(clean)), parse_log("\n".join(noisy))
    assert [(r.iteration, r.ms, r.loss, r.printed_mfu) for r in a.records] == \
           [(r.iteration, r.ms, r.loss, r.printed_mfu) for r in b.records]
    assert steady_state(a)["steady_ms_per_iter"] == steady_state(b)["steady_ms_per_iter"]


def test_carriage_return_segments():
    bar = " 10%|#         | 10/100 [00:01<00:09, 10.00it/s]"
    # a print() landing after a progress bar's \r on the same physical line is still read
    text = "\r".join([bar, "iter 5: loss 2.0000, time 123.00ms, mfu 10.00%"]) + "\n"
    p = parse_log(text)
    assert [(r.iteration, r.ms, r.source) for r in p.records] == [(5, 123.0, "nanogpt")]
    # bare \r (old Mac line ends) inside a nanoGPT log: every segment is a record
    p = parse_log("\r".join(nano_lines(10)))
    assert [r.iteration for r in p.records] == list(range(10)) and p.total_lines == 1


def test_truncated_last_line():
    text = "\n".join(nano_lines(10)) + "\niter 10: loss 2.9000, time 10"
    p = parse_log(text)
    assert len(p.records) == 10 and p.skipped_lines == 1 and p.total_lines == 11


def test_bad_times_are_ignored():
    text = "\n".join([
        "iter 1: loss 3.0, time nanms, mfu 1.00%",
        "iter 2: loss 3.0, time -5.00ms, mfu 1.00%",
        "iter 3: loss 3.0, time 0.00ms, mfu 1.00%",
        "iter 4: loss nan, time 100.00ms, mfu 1.00%",
        "iter 5: loss 3.0, time 1e999ms, mfu 1.00%",
        "step 6 | loss 3.0 | dt: infms",
        "x 0 ms/iter",
        "2.0e400 it/s",
    ])
    p = parse_log(text)
    assert [(r.iteration, r.ms, r.loss) for r in p.records] == [(4, 100.0, None)]
    assert all(math.isfinite(r.ms) and r.ms > 0 for r in p.records)


def test_no_timing_at_all():
    for text in ("", "hello\nworld", "step 0: train loss 4.0000, val loss 4.1000", "\n\n\n", "\x00\x01\x02"):
        p = parse_log(text)
        s = steady_state(p)
        assert s["steady_ms_per_iter"] is None and s["kept"] == 0
        assert s["p10_ms"] is None and s["printed_mfu_median"] is None
    assert parse_log("").format == "unknown" and parse_log("").total_lines == 0
    assert parse_log("a\nb\n").total_lines == 2 and parse_log("a\nb").total_lines == 2
    assert parse_log("step 0: train loss 4.0000, val loss 4.1000").format == "nanogpt"


def test_warmup_parameter_and_resumed_runs():
    text = "\n".join(nano_lines(20) + nano_lines(20, start=10))  # resumed from iteration 10
    p = parse_log(text)
    s = steady_state(p, warmup_iters=5)
    warm = [(e["iteration"], e["line_no"]) for e in s["excluded"] if e["reason"] == REASON_WARMUP_NANOGPT]
    # iterations 1-4 of the first run and 10-14 of the second
    assert [w[0] for w in warm] == [1, 2, 3, 4, 10, 11, 12, 13, 14]
    s0 = steady_state(p, warmup_iters=0)
    assert [e["reason"] for e in s0["excluded"]] == [REASON_ITER0]
    assert s0["last_iteration"] == 29


def test_log_interval_counts_warmup_by_iteration_number():
    # log_interval=10: iteration 10 is already past nanoGPT's 5 warm-up iterations
    lines = [f"iter {i}: loss 3.0, time {100 if i else 9000:.2f}ms, mfu 20.00%" for i in range(0, 200, 10)]
    s = steady_state(parse_log("\n".join(lines)))
    assert by_iter(s) == {0: REASON_ITER0}


def test_spike_rule():
    base = [100.0, 101.0, 99.0, 100.5, 99.5, 100.2, 100.1, 99.9, 100.0, 100.3]
    recs = [IterRecord(i + 10, ms, None, None, i + 1, None, "plain") for i, ms in enumerate(base + [301.0, 299.0])]
    p = ParsedLog("plain", recs, [], 0, len(recs), None)
    s = steady_state(p, warmup_iters=0)
    assert [(e["iteration"], e["reason"]) for e in s["excluded"]] == [(20, REASON_SPIKE)]
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(base + [299.0]))
    # one spike cannot hide behind itself: the median is taken over the *other* times
    two = ParsedLog("plain", [IterRecord(None, 100.0, None, None, 1, None, "plain"),
                              IterRecord(None, 100.0, None, None, 2, None, "plain"),
                              IterRecord(None, 1000.0, None, None, 3, None, "plain")], [], 0, 3, None)
    assert [e["line_no"] for e in steady_state(two, 0)["excluded"]] == [3]


def test_records_without_iteration_numbers():
    text = "\n".join(f"{200 + (i % 4)} ms/iter" for i in range(12))
    p = parse_log(text)
    s = steady_state(p)
    assert s["last_iteration"] is None
    assert [e["line_no"] for e in s["excluded"]] == [1, 2, 3, 4, 5]  # first 5 by position
    assert s["steady_ms_per_iter"] == statistics.median([200 + (i % 4) for i in range(5, 12)])


def test_percentiles_need_five():
    p = parse_log("\n".join(nano_lines(8)))  # 0 and 1-4 excluded: 3 kept
    s = steady_state(p)
    assert s["kept"] == 3 and s["p10_ms"] is None and s["p90_ms"] is None


# ---------------------------------------------------------------------------------------------------------- robustness

_settings = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    p = parse_log(text)
    assert p.format in set(logformats.BY_NAME) | {"mixed", "unknown"}
    assert 0 <= p.skipped_lines <= p.total_lines
    for r in p.records:
        assert math.isfinite(r.ms) and r.ms > 0
        assert 1 <= r.line_no <= p.total_lines
    for w in (0, 5, 50):
        s = steady_state(p, warmup_iters=w)
        assert s["kept"] + len(s["excluded"]) == len(p.records)
        if s["kept"]:
            assert math.isfinite(s["steady_ms_per_iter"])


@_settings
@given(st.text())
def test_fuzz_text(text):
    _check(text)


@_settings
@given(st.binary())
def test_fuzz_binary(data):
    _check(data.decode("utf-8", errors="replace"))


_TOKENS = ["iter ", "step ", "loss ", "time ", "ms", "mfu ", "%", " | ", ": ", "/", "[", "]", "<", ", ", "it/s",
           "s/it", " tok/s", "{", "}", "'loss': ", "'train_steps_per_second': ", "val loss ", "dt: ", "\r", "\n",
           "\x1b[31m", "\x1b", "nan", "inf", "-1", "0", "7", "2.5", "1e-05", "-100.00", "9" * 30, "Epoch 0: ",
           "Validation: ", "max_iters = ", "step:", "train_time:", "took ", "(", ")", " ", "\u0130", "\x00"]


@_settings
@given(st.lists(st.sampled_from(_TOKENS), max_size=300))
def test_fuzz_log_like(tokens):
    _check("".join(tokens))


def test_big_inputs():
    n = 10**6
    text = "\n".join(f"iter {i}: loss 3.1234, time {250 + i % 7:.2f}ms, mfu 31.20%" for i in range(n))
    p = parse_log(text)
    assert len(p.records) == n and p.total_lines == n and p.skipped_lines == 0
    assert p.records[-1].iteration == n - 1
    s = steady_state(p)
    assert s["kept"] == n - 5 and s["steady_ms_per_iter"] == 253.0
    # a 1 MB single line, a 1 MB line of \r, a long run of digits, escape spam
    for text in ("x" * 10**6, "\r" * 10**6, "1" * 10**6 + " ms/iter", "\x1b[" * 300_000,
                 "iter 1: loss 1, time " * 50_000, "1/2 [" * 200_000 + "it/s"):
        _check(text)
    # only the first MAX_SEGMENT_CHARS of a line are matched
    p = parse_log("x" * 5000 + " 100 ms/iter")
    assert p.records == [] and p.skipped_lines == 1


def test_the_warm_up_reason_is_said_per_format():
    """Only nanoGPT prints mfu -100% for its warm-up steps; another trainer's warm-up is not said to."""
    nano = steady_state(parse_log("\n".join(nano_lines(20))))
    megatron = steady_state(parse_log("\n".join(
        f" iteration {i}/ 100 | consumed samples: {8 * i} | elapsed time per iteration (ms): 250.0 | loss: 3.0 |"
        for i in range(1, 21))))
    nano_reasons = {e["reason"] for e in nano["excluded"] if e["reason"].startswith("warm-up")}
    other = {e["reason"] for e in megatron["excluded"] if e["reason"].startswith("warm-up")}
    assert nano_reasons == {REASON_WARMUP_NANOGPT} and "-100%" in REASON_WARMUP_NANOGPT
    assert other == {REASON_WARMUP} and "nanoGPT" not in REASON_WARMUP
