"""The trainer families added to the log reader (calculator/logformats/: maxtext, nanotron, olmo, mlx, keras,
tf-estimator, fairseq, tinygrad, DeepSpeed's throughput timer, the HF Trainer's final summary), each on a synthetic
fixture in tests/logs/trainers/ written from the trainer's own print format (its .json names the source and the
expected figure, computed by tests/logs/make_trainer_fixtures.py from the made-up numbers), and the traps real pastes
hold: every rank printing each step, two runs in one paste, epoch lines only, steps that include an evaluation, a
restart from a checkpoint."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from calculator import logformats, words
from calculator.logparse import REASON_EARLIER_RUN, REASON_EVAL, REASON_WARMUP, parse_log, steady_state
from said import analyze

TRAINERS = Path(__file__).parent / "logs" / "trainers"
LOGS = sorted(TRAINERS.glob("*.log"))


def steady(text: str) -> tuple:
    p = parse_log(text)
    return p, steady_state(p)


def reasons(s: dict) -> dict:
    return {e["iteration"]: e["reason"] for e in s["excluded"]}


def test_every_new_family_has_a_fixture():
    names = {json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["expected"]["format"] for p in LOGS}
    assert {"maxtext", "nanotron", "olmo", "mlx", "keras", "tf-estimator", "fairseq", "tinygrad",
            "hf-trainer"} <= names
    assert names <= set(logformats.BY_NAME)


@pytest.mark.parametrize("log", LOGS, ids=[p.stem for p in LOGS])
def test_fixture_reads_as_its_trainer_with_the_expected_figure(log):
    meta = json.loads(log.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["source"] and meta["synthetic"]
    exp = meta["expected"]
    p, s = steady(log.read_text(encoding="utf-8"))
    assert p.format == exp["format"] and words.say(p.why)
    assert s["steady_ms_per_iter"] == pytest.approx(exp["steady_ms_per_iter"], rel=1e-6)
    for key in ("tokens_per_step", "params", "num_gpus"):
        if key in exp:
            assert p.stated[key] == pytest.approx(exp[key], rel=0.01), key


def test_maxtext_excludes_compile_async_artefact_eval_and_checkpoint_and_uses_what_the_log_states():
    text = (TRAINERS / "maxtext.log").read_text(encoding="utf-8")
    p, s = steady(text)
    r = reasons(s)
    assert r[1] == REASON_WARMUP  # the 0.3 s "step" right after the compile
    assert r[21] == REASON_EVAL and r[31] == REASON_EVAL  # after "eval metrics after step: 20" and the save
    assert p.max_iters_hint == 40
    a = analyze(text, gpu="h100-sxm", max_iters=40)
    step_s = a["steady_ms_per_step"] / 1000
    assert a["tokens_per_step_from_log"] == 4 * 8 * 2048
    assert a["log_tokens_per_sec"] == pytest.approx(4 * 8 * 2048 / step_s)
    # the scenario judged is the log's run: its 8 devices, its 2,048-token sequences and its 65,536 tokens per step
    # (32 sequences; maxtext states no micro-batch, so 1 sequence per micro-step)
    assert a["log_run_fields"] == {"num_gpus": 8, "block_size": 2048, "batch_size": 1,
                                   "gradient_accumulation_steps": 32}
    assert a["tokens_per_sec"] == a["log_tokens_per_sec"]
    # 6 FLOPs per parameter and token, over 8 devices at the H100's peak
    peak = a["log_tokens_per_sec"] * 6 * 1.104e9 / 8 / a["stated_mfu"]
    assert peak == pytest.approx(989.4e12, rel=0.05)
    assert "65,536 tokens per optimizer step" in a["report"] and "1,104,000,000 parameters" in a["report"]


def test_nanotron_k_suffixed_lines_are_not_a_tqdm_bar():
    p, s = steady((TRAINERS / "nanotron.log").read_text(encoding="utf-8"))
    assert p.format == "nanotron" and all(r.source == "nanotron" for r in p.records)
    assert min(r.ms for r in p.records) > 10_000  # 12.3K ms, never 0.4 ms
    # the older versions print plain numbers and 1.6E floats
    line = ("iteration: {i} / 100 | consumed_samples: {c:12d} | elapsed_time_per_iteration_ms: {ms:.1f} | "
            "tokens_per_sec: 8.520000E+04 | tokens_per_sec_per_gpu: 1.065000E+04 | global_batch_size:   512 | "
            "lm_loss: 7.412000E+00 | lr: 3.000E-04 | model_tflops_per_gpu: 45.20 | hardware_tflops_per_gpu: 45.20")
    p, s = steady("\n".join(line.format(i=i, c=i * 512, ms=12345.6 + i) for i in range(5, 100, 5)))
    assert p.format == "nanotron" and p.stated["num_gpus"] == 8
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median([12345.6 + i for i in range(10, 100, 5)]))


def test_keras_epoch_lines_without_a_per_step_time_divide_by_the_steps_stated():
    lines = []
    for e, sec in enumerate([160, 134, 133, 135], start=1):
        lines += [f"Epoch {e}/4", f"1563/1563 - {sec}s - loss: 0.52 - accuracy: 0.81"]
    p, s = steady("\n".join(lines))
    assert p.format == "keras" and [r.span for r in p.records] == [1563] * 4
    assert reasons(s) == {1563: REASON_WARMUP}  # the first epoch carries the compile
    assert s["steady_ms_per_iter"] == pytest.approx(134 * 1000 / 1563)
    assert p.max_iters_hint == 4 * 1563


def test_keras_3_progress_bar_uses_the_finished_epoch_only():
    bar = "━" * 20
    lines = []
    for e in range(1, 4):
        lines.append(f"Epoch {e}/3")
        lines.append("\r".join(f"{n}/100 {bar} {9 - n // 12}s 3{n % 10}0ms/step - accuracy: 0.5 - loss: 1.2"
                               for n in range(1, 100, 7)) + f"\r100/100 {bar} 35s {340 + e}ms/step - accuracy: 0.8 - "
                                                            "loss: 0.9 - val_accuracy: 0.8 - val_loss: 0.9")
    p, s = steady("\n".join(lines))
    assert p.format == "keras" and [r.ms for r in p.records] == [341, 342, 343]
    assert "val_loss" in words.say(p.why)  # its epochs include their validation, and the result says so


def test_keras_2_2_epochs_without_steps_say_what_is_missing():
    a = analyze("Epoch 1/3\n - 134s - loss: 0.52 - acc: 0.81\nEpoch 2/3\n - 130s - loss: 0.50 - acc: 0.82")
    assert a["steady_ms_per_iter"] is None and a["format"] == "keras" and "steps" in a["message"]


def test_fairseq_legacy_lines_without_ups_and_epoch_summaries_only():
    legacy = [f"| epoch 001:   {n} / 1101 loss=9.2, nll_loss=8.9, ppl=477.5, wps=20000, wpb=4000, bsz=130, "
              f"num_updates={n}, lr=1e-05, gnorm=1.1, clip=0, oom=0, wall={n // 5}, train_wall={n // 5}"
              for n in range(100, 1100, 100)]
    p, s = steady("\n".join(legacy))
    assert p.format == "fairseq" and s["steady_ms_per_iter"] == pytest.approx(200.0)
    summaries = [f"| epoch {e:03d} | loss 9.0 | nll_loss 8.7 | ppl 416 | wps {20000 + e * 10} | ups 5 | wpb 4000 | "
                 f"bsz 130 | num_updates {e * 1101} | lr 1e-05 | gnorm 1.1 | clip 0 | oom 0 | wall {e * 220} | "
                 f"train_wall {e * 210}" for e in range(1, 9)]
    p, s = steady("\n".join(summaries))
    assert p.format == "fairseq" and "epoch summaries only" in words.say(p.why)
    assert [r.span for r in p.records][1:] == [1101] * 7
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median([4000 / (20000 + e * 10) * 1000
                                                                       for e in range(2, 9)]))
    # with interval lines as well, the summaries are not counted again
    p, s = steady("\n".join(legacy + summaries[:1]))
    assert len(p.records) == len(legacy)


def test_fairseq_interval_after_validation_is_left_out():
    p, s = steady((TRAINERS / "fairseq.log").read_text(encoding="utf-8"))
    assert reasons(s)[900] == REASON_EVAL and p.evals[0]["val_loss"] == 8.5 and p.max_iters_hint == 1500


def test_deepspeed_rates_take_the_batch_from_a_launch_line_anywhere_in_the_paste():
    tput = [f"[INFO] [timer.py:260:stop] epoch=0/micro_step={s * 4}/global_step={s}, RunningAvgSamplesPerSec=60.0, "
            f"CurrSamplesPerSec={64 - s % 3}.0, MemAllocated=5.1GB, MaxMemAllocated=9.3GB" for s in range(10, 200, 10)]
    launch = "deepspeed --num_gpus 8 train.py --deepspeed ds_config.json --train_batch_size 128 --seq_len 1024"
    for text in ("\n".join(tput + [launch]), '  json = {\n    "train_batch_size": 128,\n' + "\n".join(tput)):
        p, s = steady(text)
        assert p.format == "deepspeed" and p.stated["global_batch"] == 128
        assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(
            [128 / (64 - x % 3) * 1000 for x in range(20, 200, 10)]))
    a = analyze("\n".join(tput))  # no batch anywhere: it says which input is missing, and guesses nothing
    assert a["steady_ms_per_iter"] is None and "--train_batch_size" in a["message"]


def test_tf_estimator_bracketed_seconds_alone():
    lines = ["INFO:tensorflow:loss = 2.3, step = 0"] + [
        f"INFO:tensorflow:loss = 2.1, step = {k * 100} ({30 + k % 3:.3f} sec)" for k in range(1, 15)]
    p, s = steady("\n".join(lines))
    assert p.format == "tf-estimator" and all(r.span == 100 for r in p.records)
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median([(30 + k % 3) * 10 for k in range(2, 15)]))


def test_hf_trainer_summary_dict_alone():
    text = ("  Total optimization steps = 300\n{'train_runtime': 101.2, 'train_samples_per_second': 47.43, "
            "'train_steps_per_second': 2.964, 'train_loss': 2.6, 'epoch': 1.0}")
    p, s = steady(text)
    assert p.format == "hf-trainer" and s["steady_ms_per_iter"] == pytest.approx(101.2 * 1000 / 300)
    # steps that do not agree with the rounded rate (a run stopped early): the rate is used
    p, s = steady(text.replace("= 300", "= 900"))
    assert s["steady_ms_per_iter"] == pytest.approx(1000 / 2.964)


# ------------------------------------------------------------------------------------------------------------ traps


def test_eight_ranks_printing_every_step_count_once_even_out_of_order():
    lines = []
    for i in range(1, 41):
        order = list(range(8)) if i % 3 else [0, 1, 2, 3, 5, 4, 6, 7]
        for k in order:
            lines.append(f"[host{k}] completed step: {i}, seconds: {1.2 + (i % 4) / 100 + k / 1000:.3f}, "
                         f"TFLOP/s/device: 70.0, loss: 3.0")
        if i % 5 == 0 and i < 40:  # a slow host printing the step after the next one already started
            lines.insert(len(lines) - 3, f"[host7] completed step: {i + 1}, seconds: 1.230, TFLOP/s/device: 70.0, "
                                         "loss: 3.0")
    p, s = steady("\n".join(lines))
    assert [r.iteration for r in p.records] == list(range(1, 41)) and p.rank_copies >= 8
    assert s["runs"] == [] and "printed" in words.say(p.why)


def test_two_runs_in_one_paste_report_the_last_and_list_the_earlier():
    first = [f"Iter {i}: Train loss 3.0, It/sec {0.5:.3f}, Tokens/sec 180.0" for i in range(10, 110, 10)]
    second = [f"Iter {i}: Train loss 3.0, It/sec {0.25 + (i % 20) / 1000:.3f}, Tokens/sec 90.0"
              for i in range(10, 210, 10)]
    text = "\n".join(first + ["Loading pretrained model", "Starting training..., iters: 200"] + second)
    p, s = steady(text)
    assert len(s["runs"]) == 2 and s["runs"][1]["reported"] and not s["runs"][0]["reported"]
    assert s["runs"][0]["steady_ms_per_iter"] == pytest.approx(2000.0)
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(
        [1000 / (0.25 + (i % 20) / 1000) for i in range(20, 210, 10)]))
    assert sum(1 for e in s["excluded"] if e["reason"] == REASON_EARLIER_RUN) == 9
    a = analyze(text, max_iters=200)
    assert "2 training runs" in a["report"] and a["eta_from_iteration"] == 200 and len(a["runs"]) == 2
    assert a["reported_run"] == 2 and a["earlier_runs"] == 1
    assert a["text"]["earlier_runs"] == "run 1 (lines 1-10) at 2 s/iter"


def test_a_restart_from_a_checkpoint_is_the_same_run_with_its_own_warm_up():
    def line(i: int, ms: float) -> str:
        return (f"iteration: {i} / 400 | consumed_tokens: 1M | elapsed_time_per_iteration_ms: {ms:.1f} | "
                f"tokens_per_sec: 85.2K | tokens_per_sec_per_gpu: 10.7K | global_batch_size: 512 | lm_loss: 3.4")
    before = [line(i, 900.0 if i == 10 else 500.0 + i / 10) for i in range(10, 210, 10)]
    after = [line(i, 800.0 if i == 160 else 500.0 + i / 10) for i in range(160, 410, 10)]  # resumed at step 150
    p, s = steady("\n".join(before + ["Loading checkpoint from step 150"] + after))
    assert s["runs"] == []  # one run, restarted
    warm = [e["line_no"] for e in s["excluded"] if e["reason"] == REASON_WARMUP]
    assert warm == [1, len(before) + 2]  # the first interval of the run and of the restart
    kept = [500.0 + i / 10 for i in range(20, 210, 10)] + [500.0 + i / 10 for i in range(170, 410, 10)]
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(kept))
    assert s["last_iteration"] == 400


def test_epoch_level_lines_only_still_give_a_time_per_step():
    a = analyze((TRAINERS / "keras.log").read_text(encoding="utf-8"), max_iters=6 * 391)
    assert a["format"] == "keras" and a["steady_ms_per_iter"] == pytest.approx(342)
    assert a["eta_from_iteration"] == 6 * 391 and a["remaining_steps"] == 0


def test_nothing_found_lists_the_new_formats_with_their_example_lines():
    message = analyze("nothing here\nat all")["message"]
    for name in ("maxtext", "nanotron", "olmo", "mlx", "keras", "tf-estimator", "fairseq", "tinygrad"):
        assert logformats.BY_NAME[name].example in message, name


def test_olmo_records_behind_a_launchers_rank_prefix():
    lines = []
    for i in range(10, 210, 10):
        lines += [f"[default0]:2024-02-01 10:00:00.000 node-0:0 olmo.train:1024 INFO [step={i}/200]",
                  "[default0]:    train/CrossEntropyLoss=7.412",
                  f"[default0]:    throughput/device/batches_per_second={0.5 + (i % 30) / 1000:.4f}",
                  f"[default1]:2024-02-01 10:00:00.000 node-0:1 olmo.train:1024 INFO [step={i}/200]"]
    p, s = steady("\n".join(lines))
    assert p.format == "olmo" and p.skipped_lines == 0 and [r.iteration for r in p.records] == list(range(10, 210, 10))
    assert p.records[0].loss == 7.412 and p.max_iters_hint == 200
    rates = [1000 / round(0.5 + (i % 30) / 1000, 4) for i in range(10, 210, 10)]
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median(rates[len(rates) // 2:]))


def test_epochs_whose_bar_count_restarts_are_one_run():
    """NeMo's bar counts batches per epoch; its postfix's global_step does not restart, so three epochs are one run
    (not three runs pasted together)."""
    lines, g = [], 0
    for e in range(3):
        for i in range(1, 40):
            g += 1
            lines.append(f"Epoch {e}: 100%|██████████| {i}/39 [00:{i // 10:02d}<00:10, 9.5it/s, v_num=0, "
                         f"reduced_train_loss=1.23, global_step={g}.0, train_step_timing in s=0.1{i % 3}]")
    p, s = steady("\n".join(lines))
    assert p.format == "nemo" and s["runs"] == [] and s["kept"] == 3 * 39 - 5


def test_tf_estimator_rates_between_sparser_loss_lines_are_not_taken_for_rank_copies():
    lines = ["INFO:tensorflow:loss = 2.3, step = 0"]
    for k in range(1, 31):
        lines.append(f"INFO:tensorflow:global_step/sec: {3.2 + k % 3 / 100:g}")
        if k % 10 == 0:  # the loss every 1000 steps, the rate every 100
            lines.append(f"INFO:tensorflow:loss = 2.1, step = {k * 100} (300.0 sec)")
    p, s = steady("\n".join(lines))
    assert len(p.records) == 30 and p.duplicates_dropped == 0
    assert s["steady_ms_per_iter"] == pytest.approx(statistics.median([1000 / (3.2 + k % 3 / 100)
                                                                       for k in range(2, 31)]), rel=1e-3)
