"""calculator/logformats/: the registry, and the variants people paste that the real logs in tests/logs/real/ do not
cover. Each log here is written from the trainer's print format with made-up numbers; the expected figure is
recomputed from those numbers, never copied from the parser's output."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from calculator import logformats, words
from calculator.logparse import (
    REASON_EVAL,
    REASON_RUNNING_AVG,
    REASON_SKIPPED,
    REASON_WARMUP,
    REASON_WARMUP_BAR,
    parse_log,
    steady_state,
)
from said import analyze


def steady(text: str) -> tuple:
    p = parse_log(text)
    return p, steady_state(p)


def reasons(s: dict) -> dict:
    return {e["iteration"]: e["reason"] for e in s["excluded"]}


# ---------------------------------------------------------------------------------------------------------- registry


def test_the_registry_names_each_format_once_with_an_example_and_its_semantics():
    names = [f.name for f in logformats.FORMATS]
    assert len(names) == len(set(names))
    for f in logformats.FORMATS:
        assert f.title and f.example and f.semantics and f.steady, f.name
    listed = logformats.listing()
    assert [d["name"] for d in listed] == names


@pytest.mark.parametrize("f", logformats.FORMATS, ids=[f.name for f in logformats.FORMATS])
def test_each_example_line_is_understood_and_read_as_its_format(f):
    p = parse_log(f.example)
    assert p.skipped_lines == 0, f.name
    if p.records:
        assert p.format == f.name


def test_nothing_found_lists_every_format_with_its_example():
    a = analyze("hello\nworld\nepoch 1 done")
    assert a["steady_ms_per_iter"] is None
    for f in logformats.FORMATS:
        assert f"{f.title}: {f.example}" in a["message"]


# ---------------------------------------------------------------------------------------------------------- torchtitan

TITAN = ("[rank0]:[titan] {stamp} - root - INFO - step: {s:2d}  loss:  6.2250  memory:  1.41GiB(1.79%)  "
         "tps: {tps:,}  tflops: 18.36  mfu: 1.86%")


def test_torchtitan_every_10_steps_from_second_timestamps():
    lines, t = [], 0
    for s in [1] + list(range(10, 101, 10)):
        t = 30 if s == 1 else 30 + 2 * (s - 1)  # start-up, then 2 s per step
        lines.append(TITAN.format(stamp=f"2025-03-12 11:{t // 60:02d}:{t % 60:02d},000", s=s, tps=8192))
    p, s = steady(lines and "\n".join(lines))
    assert p.format == "torchtitan" and "timestamps" in words.say(p.why)
    assert [r.span for r in p.records] == [9] + [10] * 9
    assert reasons(s) == {10: REASON_WARMUP}  # its interval (steps 2-10) reaches into the warm-up
    assert s["steady_ms_per_iter"] == pytest.approx(2000.0)


def test_torchtitan_without_timestamps_uses_tps_and_the_printed_batch():
    head = "Training starts at step 1, with local batch size 8, global batch size 64, sequence length 2048"
    lines = [head] + [TITAN.format(stamp="", s=s, tps=8192 + s).replace("[titan]  - root", "[titan] root")
                      for s in range(1, 31)]
    lines = [ln.replace("[rank0]:[titan] ", "") for ln in lines]
    p, s = steady("\n".join(lines))
    assert p.format == "torchtitan" and "tps" in words.say(p.why)
    kept = [8 * 2048 / (8192 + i) * 1000 for i in range(6, 31)]
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(kept))


# ------------------------------------------------------------------------------------------------------- Megatron

MEGA = ("[host-3:0]:  iteration {i:8d}/   10000 | consumed samples: {c:12d} | elapsed time per iteration (ms): "
        "{ms:.1f} | learning rate: 1.000000E-04 | global batch size:    16 |{loss} loss scale: 4096.0 | "
        "number of skipped iterations: {sk:3d} | number of nan iterations:   0 | samples per second: 16.0 | "
        "TFLOPs: 45.2 |")


def mega(i: int, ms: float, skipped: int = 0) -> str:
    return MEGA.format(i=i, c=i * 16, ms=ms, loss="" if skipped >= 10 else " lm loss: 7.5E+00 |", sk=skipped)


def test_megatron_deepspeed_with_rank_prefixes_skipped_intervals_eval_and_checkpoint():
    ms = {i: 1000.0 + i / 100 for i in range(10, 210, 10)}
    lines = []
    for i in range(10, 210, 10):
        lines.append(mega(i, 3000.0 if i == 110 else ms[i], 10 if i in (10, 20) else 0))
        if i == 100:
            lines += ["[host-3:0]: " + "-" * 40,
                      "[host-3:0]:  validation loss at iteration 100 | lm loss value: 7.4E+00 | lm loss PPL: 1.6E+03 |",
                      "[host-3:0]: saving checkpoint at iteration     100 to /ckpt"]
    p, s = steady("\n".join(lines))
    assert p.format == "megatron" and p.max_iters_hint == 10000
    r = reasons(s)
    assert r[10] == REASON_WARMUP and r[20] == REASON_SKIPPED and r[110] == REASON_EVAL
    kept = [ms[i] for i in range(30, 210, 10) if i != 110]
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(kept))


# ------------------------------------------------------------------------------------------------ NeMo, DeepSpeed


def test_nemo_progress_bar_postfix():
    lines = [f"Epoch 0: 100%|██████████| {i}/500 [00:{i // 10:02d}<00:10, 9.5it/s, v_num=0, reduced_train_loss=1.23, "
             f"global_step={i}.0, consumed_samples={i * 8}.0, train_step_timing in s=0.1{i % 3}]" for i in range(1, 40)]
    p, s = steady("\n".join(lines))
    assert p.format == "nemo"
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median([100 + 10 * (i % 3) for i in range(6, 40)]))


def test_deepspeed_pipeline_engine_interval_average():
    lines = [f"steps: {s} loss: 0.9123 iter time (s): {0.3 + s / 10000:.3f} samples/sec: 13.0"
             for s in range(10, 200, 10)]
    p, s = steady("\n".join(lines))
    assert p.format == "deepspeed" and reasons(s) == {10: REASON_WARMUP}
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(
        [round(0.3 + x / 10000, 3) * 1000 for x in range(20, 200, 10)]))


def test_deepspeed_throughput_timer_needs_the_batch_size():
    tput = [f"[INFO] [timer.py:260:stop] epoch=0/micro_step={s * 4}/global_step={s}, RunningAvgSamplesPerSec=60.0, "
            f"CurrSamplesPerSec={64 - s % 3}.0, MemAllocated=5.1GB, MaxMemAllocated=9.3GB" for s in range(10, 200, 10)]
    p, s = steady("\n".join(tput))
    assert p.records == [] and p.format == "deepspeed" and "train_batch_size" in words.say(p.why)
    message = analyze("\n".join(tput))["message"]
    assert "train_batch_size" in message and logformats.BY_NAME["nanogpt"].example in message
    p, s = steady("[INFO] [config.py:1000:print]   train_batch_size ............. 32\n" + "\n".join(tput))
    assert p.format == "deepspeed"
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(
        [32 / (64 - x % 3) * 1000 for x in range(10, 200, 10)]))


# ------------------------------------------------------------------------------------------------ litgpt, llama2.c


def test_litgpt_later_format_with_remaining_time():
    lines = [f"Epoch 1 | iter {i} step {i // 4} | loss train: 10.826, val: n/a | iter time: "
             f"{250 if i % 4 == 0 else 100:.2f} ms{' (step)' if i % 4 == 0 else ''} remaining time: 1:23:45"
             for i in range(1, 81)]
    p, s = steady("\n".join(lines))
    assert p.format == "litgpt" and p.micro_steps_per_step == 4
    assert s["steady_ms_per_iter"] == 100.0
    assert s["steady_ms_per_step"] == pytest.approx(100 * 3 + 250, rel=0.02)  # a step: 3 micro-steps + the update
    assert s["last_step"] == 20 and s["last_iteration"] == 80


def test_llama2c_placeholder_mfu_and_eval():
    lines = []
    for i in range(30):
        if i == 20:
            lines.append("step 20: train loss 5.1000, val loss 5.2000")
        lines.append(f"{i} | loss 5.{i:04d} | lr 4.900000e-05 | {8000 + i + (3000 if i == 20 else 0):.2f}ms | "
                     f"mfu {-100 if i < 5 else 0.21:.2f}%")
    p, s = steady("\n".join(lines))
    assert p.format == "llama2.c"
    assert p.records[3].printed_mfu is None and p.records[7].printed_mfu == 0.21
    assert reasons(s)[20] == REASON_EVAL
    assert s["steady_ms_per_iter"] == statistics.median([8000 + i for i in range(5, 30) if i != 20])


# ---------------------------------------------------------------------------------------------------- progress bars


def bar(n: int, total: int, elapsed: int, rate: float, unit: str = "it/s", desc: str = "", post: str = "") -> str:
    return (f"{desc}{int(100 * n / total):3d}%|███       | {n}/{total} [{elapsed // 60:02d}:{elapsed % 60:02d}<01:00, "
            f"{rate:5.2f}{unit}{post}]")


def test_a_lagging_smoothed_rate_gives_way_to_the_elapsed_column():
    # 2 s per step after an 8 s first step; tqdm's rate (an EMA) still remembers the start
    lines, rate = [], 8.0
    for n in range(1, 13):
        rate = 0.7 * rate + 0.3 * 2.0 if n > 1 else 8.0
        lines.append(bar(n, 100, 8 + 2 * (n - 1), rate, "s/it", "Epoch 0: ", ", loss=1.0, v_num=0"))
    p, s = steady("\n".join(lines))
    assert p.format == "lightning" and "elapsed column" in words.say(p.why)
    assert s["steady_ms_per_iter"] == pytest.approx(2000.0)


def test_a_settled_rate_is_kept_and_mixed_units_caret_m_eval_bars_and_repeats_are_handled():
    lines, el = [], 0.0
    for n in range(1, 200):
        ms = 900.0 if n < 100 else 1100.0
        el += ms / 1000
        it_s = 1000 / ms
        b = bar(n, 500, int(el), it_s if it_s >= 1 else 1 / it_s, "it/s" if it_s >= 1 else "s/it")
        lines.append(b + "^M" + b)  # a pager's ^M, the step printed twice
        if n % 50 == 0:
            lines.append("^M".join(bar(k, 20, k, 8.0, "it/s", "Evaluating: ") for k in range(1, 21)))
    p, s = steady("\n".join(lines))
    assert p.format == "tqdm" and [r.iteration for r in p.records] == list(range(1, 200))
    assert "elapsed" not in words.say(p.why)  # the rate agrees with the elapsed column
    assert s["steady_ms_per_iter"] == pytest.approx(1100.0, rel=0.01)


def test_two_runs_pasted_together_each_get_a_warm_up():
    first = [bar(n, 50, 3 * n, 3.0, "s/it", "Epoch 0: ") for n in range(1, 9)]
    second = [bar(n, 50, 5 + 3 * n, 3.0, "s/it", "Epoch 0: ") for n in range(1, 30)]
    p, s = steady("\n".join(first + ["Training: 0it [00:00, ?it/s]"] + second))
    ex = [(e["line_no"], e["reason"]) for e in s["excluded"] if e["reason"] == REASON_WARMUP_BAR]
    assert len(ex) == 10  # steps 1-5 of each run
    assert s["steady_ms_per_iter"] == pytest.approx(3000.0)
    assert any(e["reason"] == REASON_RUNNING_AVG for e in s["excluded"])


def test_predict_and_validation_bars_are_not_training():
    text = "\n".join(bar(n, 50, n, 1.0, "it/s", d) for d in ("Predicting DataLoader 0: ", "Validation: ")
                     for n in range(1, 30))
    p = parse_log(text)
    assert p.records == [] and p.skipped_lines == 0


# ------------------------------------------------------------------------------------- modded-nanogpt, stamps, quotes


def test_modded_nanogpt_validation_lines_only():
    lines = ["step:0/1000 val_loss:7.7 train_time:0ms step_avg:nanms"]
    tt = 0
    for s in range(100, 1001, 100):
        tt += (90 if s == 100 else 100) * (250 + s / 100)  # the first 10 steps are not timed
        lines.append(f"step:{s}/1000 val_loss:4.0 train_time:{tt:.0f}ms step_avg:{tt / (s - 10):.2f}ms")
    p, s = steady("\n".join(lines))
    assert p.format == "modded-nanogpt" and p.records[0].span == 90
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median([250 + x / 100 for x in range(100, 1001, 100)]),
                                                    rel=1e-3)


def test_timestamped_step_lines_without_a_time():
    lines = [f"2024-05-01 10:{(x * 3) // 60:02d}:{(x * 3) % 60:02d} INFO step {x} loss {3 - x / 1000:.3f}"
             for x in range(0, 100, 5)]
    p, s = steady("\n".join(lines))
    assert p.format == "generic" and "timestamps" in words.say(p.why)
    assert s["steady_ms_per_iter"] == pytest.approx(3000.0)


def test_quote_prefixes_and_annotations_appended():
    lines = [f"> iter {i}: loss 3.0, time {200 + i % 3:.2f}ms, mfu 30.00%   <-- {'slow?' if i == 20 else 'ok'}"
             for i in range(10, 40)]
    p, s = steady("\n>\n".join(lines))
    assert p.format == "nanogpt" and len(p.records) == 30 and p.skipped_lines == 0
    assert s["steady_ms_per_iter"] == statistics.median([200 + i % 3 for i in range(10, 40)])


def test_docs_list_every_format_with_its_example():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "logs.md").read_text(encoding="utf-8")
    for f in logformats.FORMATS:
        assert f"### `{f.name}`" in docs, f.name
        for line in f.example.split("^M"):
            assert line in docs, (f.name, line)


def test_every_rank_printing_each_step_is_counted_once_and_is_not_a_restart():
    lines = [f"[rank{k}]: iter {i}: loss 3.0, time {200 + k + i % 3:.2f}ms, mfu 30.00%" for i in range(20, 60)
             for k in range(2)]
    p, s = steady("\n".join(lines))
    assert len(p.records) == 40 and s["excluded"] == []  # mid-run, no warm-up, and no run restarted
    assert p.rank_copies == 2 and p.duplicates_dropped == 40 and "printed 2 times" in words.say(p.why)
    assert s["steady_ms_per_iter"] == statistics.median([200 + i % 3 for i in range(20, 60)])  # rank 0's copies
