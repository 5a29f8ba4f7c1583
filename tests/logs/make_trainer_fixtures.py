"""Writes the synthetic trainer logs in tests/logs/trainers/ (python3 tests/logs/make_trainer_fixtures.py), one per
trainer family, each with a .json naming the trainer's source the print format was taken from and the expected steady
figure, computed here from the made-up numbers (never from the parser's output).

Every log is synthetic: the lines follow the format strings of the trainer's own code (cited in each module of
calculator/logformats/ and in the .json), the numbers are invented.
"""

from __future__ import annotations

import json
import os
import statistics

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "trainers")


def write(name: str, lines: list[str], source: str, steady: float, how: str, **extra) -> None:
    os.makedirs(HERE, exist_ok=True)
    with open(os.path.join(HERE, name + ".log"), "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines) + "\n")
    meta = {"synthetic": "written from the trainer's print format with made-up numbers", "source": source,
            "expected": {"format": extra.pop("format", name), "steady_ms_per_iter": steady, "how": how, **extra}}
    with open(os.path.join(HERE, name + ".json"), "w", encoding="utf-8") as f:
        f.write(json.dumps(meta, indent=1, ensure_ascii=False) + "\n")


def maxtext() -> None:
    def sec(i: int) -> float:
        return {0: 45.2, 1: 0.3, 2: 2.1, 3: 1.6, 4: 1.3}.get(i, 1.2 + (i % 5) * 0.01) + (5.0 if i == 21 else 0) \
            + (3.0 if i == 31 else 0)
    lines = ["Config param max_target_length: 2048", "Config param per_device_batch_size: 4.0",
             "Config param steps: 40", "Num_devices: 8, shape (1, 1, 8, 1, 1, 1, 1, 1)",
             "number parameters: 1.104 billion"]
    for i in range(41):
        if i == 21:
            lines.append("eval metrics after step: 20, loss=3.412, total_weights=65536.0")
        if i == 31:
            lines.append("saved a checkpoint at step 30")
        lines.append(f"completed step: {i}, seconds: {sec(i):.3f}, TFLOP/s/device: {70.0 / sec(i):.3f}, "
                     f"Tokens/s/device: {8192 / sec(i):.3f}, total_weights: 65536, loss: {7.0 - i / 20:.3f}")
    kept = [round(sec(i), 3) * 1000 for i in range(5, 41) if i not in (21, 31)]
    write("maxtext", lines, "AI-Hypercomputer/maxtext MaxText/metric_logger.py log_metrics (2025); pyconfig "
          "'Config param' lines; max_utils 'Num_devices'", statistics.median(kept),
          "median of steps 5-40 without step 21 (after the eval) and 31 (after the checkpoint)",
          tokens_per_step=4 * 8 * 2048, params=1.104e9)


def nanotron() -> None:
    def ms(i: int) -> float:
        return 15400.0 if i == 10 else 12300.0 + (i % 30) * 10  # human_format: 3 significant digits

    def h(x: float) -> str:
        for suffix, div in (("G", 1e9), ("M", 1e6), ("K", 1e3)):
            if abs(x) >= div:
                return f"{float(f'{x / div:.3g}'):g}{suffix}"
        return f"{float(f'{x:.3g}'):g}"
    lines = ["[default0]:12/04/2024 09:59:00 [INFO|DP=0|PP=0|TP=0|lm-node-1]: Loading dataset: "
             "100%|██████████| 12.3K/12.3K [00:02<00:00, 5.41Kit/s]"]
    for i in range(10, 210, 10):
        v = float(h(ms(i))[:-1]) * 1000
        lines.append(f"[default0]:12/04/2024 10:{i // 10:02d}:00 [INFO|DP=0|PP=0|TP=0|lm-node-1]: iteration: {i} / 200 "
                     f"| consumed_tokens: {h(i * 512 * 2048)} | elapsed_time_per_iteration_ms: {h(ms(i))} | "
                     f"tokens_per_sec: {h(512 * 2048 / v * 1000)} | tokens_per_sec_per_gpu: "
                     f"{h(512 * 2048 / v * 1000 / 64)} | global_batch_size: {h(512)} | lm_loss: {h(9 - i / 100)} | "
                     f"lr: 0.0003 | model_tflops_per_gpu: 180 | hardware_tflops_per_gpu: 180 | grad_norm: 0.312")
    kept = [float(h(ms(i))[:-1]) * 1000 for i in range(20, 210, 10)]
    write("nanotron", lines, "huggingface/nanotron src/nanotron/trainer.py train_step_logs and logging.py "
          "human_format (2024-2025)", statistics.median(kept),
          "median of the intervals after the first (K-suffixed: 12.3K ms = 12 300 ms)", num_gpus=64)


def olmo() -> None:
    def bps(i: int) -> float:
        return 0.31 if i <= 20 else 0.5 + (i % 40) / 1000
    lines = []
    for i in range(20, 420, 20):
        for rank in range(1, 4):
            lines.append(f"2024-02-01 10:00:00.000\tnode-{rank}:{rank}\tolmo.train:1024\tINFO\t[step={i}/739328]")
        lines += [f"2024-02-01 10:00:00.000\tnode-0:0\tolmo.train:1024\tINFO\t[step={i}/739328]",
                  f"    train/CrossEntropyLoss={7.5 - i / 1000:.3f}", f"    train/Perplexity={1800 - i:,d}",
                  f"    throughput/total_tokens={i * 4_194_304:,d}",
                  f"    throughput/device/tokens_per_second={round(bps(i) * 4096 * 4):,d}",
                  f"    throughput/device/batches_per_second={bps(i):.4f}",
                  "    System/Peak GPU Memory (MB)=61,034"]
    rates = [1000 / round(bps(i), 4) for i in range(20, 420, 20)]
    write("olmo", lines, "allenai/OLMo olmo/train.py Trainer.fit and log_metrics_to_console (v0.3-v0.6)",
          statistics.median(rates[len(rates) // 2:]),
          "the later half of the moving averages (batches_per_second), 1000 / rate")


def mlx() -> None:
    def rate(i: int) -> float:
        return 0.2 if i == 10 else 0.415 + (i % 30) / 1000
    lines = ["Loading pretrained model", "Starting training..., iters: 200"]
    for i in range(10, 210, 10):
        lines.append(f"Iter {i}: Train loss {3.6 - i / 200:.3f}, Learning Rate 1.000e-05, It/sec {rate(i):.3f}, "
                     f"Tokens/sec {rate(i) * 367:.3f}, Trained Tokens {i * 367}, Peak mem 7.100 GB")
        if i % 50 == 0:
            lines.append(f"Iter {i}: Val loss {3.5 - i / 200:.3f}, Val took 12.345s")
    kept = [1000 / round(rate(i), 3) for i in range(20, 210, 10)]
    write("mlx", lines, "ml-explore/mlx-lm mlx_lm/tuner/trainer.py train (2024-2025); mlx-examples lora/lora.py",
          statistics.median(kept), "median of 1000 / It/sec of the intervals after the first")


def keras() -> None:
    secs = {1: 160, 2: 134, 3: 133, 4: 135, 5: 134, 6: 136}
    lines = []
    for e in range(1, 7):
        lines += [f"Epoch {e}/6", f"391/391 - {secs[e]}s - loss: {1.5 - e / 10:.4f} - accuracy: {0.4 + e / 20:.4f} - "
                  f"val_loss: {1.4 - e / 10:.4f} - val_accuracy: {0.45 + e / 20:.4f} - {secs[e]}s/epoch - "
                  f"{secs[e] * 1000 // 391}ms/step"]
    kept = [secs[e] * 1000 // 391 for e in range(2, 7)]
    write("keras", lines, "keras-team/keras keras/utils/generic_utils.py Progbar.update, verbose=2 (Keras 2.9-2.15)",
          statistics.median(kept), "median of the printed ms/step of epochs 2-6 (epoch 1 carries the compile)")


def tf_estimator() -> None:
    def rate(k: int) -> float:
        return 2.0 if k == 1 else 3.25 + (k % 7) / 100 - (1.0 if k == 11 else 0)
    lines = ["INFO:tensorflow:Calling model_fn.", "INFO:tensorflow:loss = 2.3025851, step = 0"]
    for k in range(1, 21):
        step = k * 100
        if k == 10:
            lines.append(f"INFO:tensorflow:Saving checkpoints for {step} into /tmp/model/model.ckpt.")
        lines.append(f"INFO:tensorflow:global_step/sec: {rate(k):g}")
        lines.append(f"INFO:tensorflow:loss = {2.3 - k / 50:.7f}, step = {step} ({100 / rate(k):.3f} sec)")
    kept = [1000 / rate(k) for k in range(2, 21) if k != 11]
    write("tf_estimator", lines, "tensorflow/tensorflow python/training/basic_session_run_hooks.py StepCounterHook, "
          "LoggingTensorHook (TF 1.15)", statistics.median(kept),
          "median of 1000 / global_step/sec after the first interval and the one after the checkpoint save",
          format="tf-estimator")


def fairseq() -> None:
    def wps(k: int) -> float:
        return 12000.0 if k == 1 else 21000.0 + (k % 9) * 10
    lines = ["2021-03-04 12:00:00 | INFO | fairseq_cli.train | Namespace(arch='transformer', max_update=1500, "
             "max_tokens=4096)"]
    for k in range(1, 16):
        n = k * 100
        lines.append(f"2021-03-04 12:{k:02d}:00 | INFO | train_inner | epoch 001:    {n} / 1101 "
                     f"loss={9.2 - k / 10:.3f}, ppl=602.7, wps={wps(k):.1f}, ups={wps(k) / 4093.2:.2f}, wpb=4093.2, "
                     f"bsz=137.5, num_updates={n}, "
                     f"lr=1.25e-05, gnorm=1.2, train_wall=19, gb_free=10.2, wall={k * 20}")
        if k == 8:
            lines.append("2021-03-04 12:08:30 | INFO | valid | epoch 001 | valid on 'valid' subset | loss 8.5 | "
                         "nll_loss 8.1 | ppl 274.4 | wps 51234.1 | wpb 3912.3 | bsz 130.1 | num_updates 800")
    kept = [4093.2 / wps(k) * 1000 for k in range(2, 16) if k != 9]
    write("fairseq", lines, "facebookresearch/fairseq fairseq/trainer.py _reduce_and_log_stats, fairseq_cli/train.py, "
          "fairseq/logging/progress_bar.py (v0.10-v0.12)", statistics.median(kept),
          "median of wpb / wps after the first interval and the interval after the validation",
          tokens_per_step=4093.2)


def tinygrad() -> None:
    def ms(i: int) -> float:
        return {0: 9000.0, 1: 3000.0}.get(i, 123.45 + (i % 7))
    lines = []
    for i in range(40):
        if i and i % 20 == 0:
            lines.append(f"eval     9812/10000 98.12%,    0.07 val_loss STEP={i}")
        lines.append(f"{i:3d} {ms(i):7.2f} ms run, {ms(i) * 0.8:7.2f} ms python, {ms(i) * 0.2:7.2f} ms CL, "
                     f"{2.3 - i / 40:7.2f} loss, 4.56 GB used, {1234.56:9.2f} GFLOPS")
    kept = [ms(i) for i in range(5, 40)]
    write("tinygrad", lines, "tinygrad/tinygrad examples/hlb_cifar10.py train loop print (2023-2025)",
          statistics.median(kept), "median of 'ms run' after the first five steps")


def hf_summary() -> None:
    lines = ["***** Running training *****", "  Num examples = 25,000", "  Num Epochs = 1",
             "  Total optimization steps = 3,125", "***** train metrics *****",
             "  epoch                    =        1.0",
             "  total_flos               = 12345678GF", "  train_loss               =     3.0482",
             "  train_runtime            = 3:32:36.61", "  train_samples            =      25000",
             "  train_samples_per_second =      1.958", "  train_steps_per_second   =      0.245"]
    runtime = 3 * 3600 + 32 * 60 + 36.61
    write("hf_summary", lines, "huggingface/transformers trainer_utils.py speed_metrics and Trainer.log_metrics "
          "(v4.30-v4.57)", runtime * 1000 / 3125, "train_runtime / the 3,125 optimization steps (0.245 steps/s "
          "rounded)", format="hf-trainer")


if __name__ == "__main__":
    for make in (maxtext, nanotron, olmo, mlx, keras, tf_estimator, fairseq, tinygrad, hf_summary):
        make()
