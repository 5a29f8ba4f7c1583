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


# -- logs that print the model's shape (read into ParsedLog.stated under the schema's names; "shape" in the .json) --

def torchtitan_llama3_8b() -> None:
    def ms(i: int) -> int:
        return {1: 9000, 2: 2500}.get(i, 1000 + 10 * (i % 3))
    pre = "[rank0]:[titan] 2025-04-02 {} - root - INFO - "

    def stamp(t_ms: int) -> str:
        t_ms += 36_000_000  # 10:00:00.000
        h, rest = divmod(t_ms, 3_600_000)
        m, rest = divmod(rest, 60_000)
        sec, milli = divmod(rest, 1000)
        return f"{h:02d}:{m:02d}:{sec:02d},{milli:03d}"
    lines = [pre.format(stamp(0)) + "Starting job: Llama 3 8B training",
             pre.format(stamp(900)) + "Building 1-D device mesh with ['dp_shard'], [8]",
             pre.format(stamp(4100)) + "Building llama3 8B with ModelArgs(dim=4096, n_layers=32, n_heads=32, "
             "n_kv_heads=8, vocab_size=128256, multiple_of=1024, ffn_dim_multiplier=1.3, norm_eps=1e-05, "
             "rope_theta=500000, max_seq_len=8192, depth_init=True, norm_type='rmsnorm', use_flex_attn=False, "
             "attn_mask_type='causal', eos_id=0)",
             pre.format(stamp(4500)) + "\x1b[34mModel llama3 8B \x1b[31msize: 8,030,261,248 total parameters\x1b[39m",
             pre.format(stamp(9000)) + "Training starts at step 1, with local batch size 1, global batch size 8, "
             "sequence length 8192, total steps 40 (warmup 200)"]
    t = 10_000
    for i in range(1, 41):
        t += ms(i)
        lines.append(pre.format(stamp(t)) + f"step: {i:2d}  loss: {11.9 - i * 0.1:7.4f}  memory: 61.20GiB(77.30%)  "
                     f"tps: {round(8192 / ms(i) * 1000):,}  tflops: {8192 / ms(i) * 1000 * 57.9e9 / 1e12:.2f}  "
                     f"mfu: {8192 / ms(i) * 1000 * 57.9e9 / 989.4e12 * 100:.2f}%")
    kept = [ms(i) for i in range(7, 41)]
    write("torchtitan_llama3_8b", lines, "pytorch/torchtitan train.py (the 'Building {name} {flavor} with "
          "{model_args}' and 'size: N total parameters' lines, metrics.py's step line), 2025",
          statistics.median(kept), "median of the timestamp differences after the warm-up steps",
          format="torchtitan", params=8030261248, num_gpus=8, tokens_per_step=8 * 8192,
          shape={"model_type": "llama", "n_layer": 32, "n_head": 32, "n_embd": 4096, "n_kv_head": 8,
                 "intermediate_size": 14336, "vocab_size": 128256, "block_size": 8192,
                 "tie_word_embeddings": False})


MEGATRON_LLAMA_ARGS = {
    "add_bias_linear": "False", "adam_beta1": "0.9", "adam_beta2": "0.95", "bf16": "True",
    "context_parallel_size": "1", "data_parallel_size": "8", "eval_interval": "1000", "eval_iters": "10",
    "ffn_hidden_size": "14336", "fp16": "False", "global_batch_size": "128", "group_query_attention": "True",
    "hidden_dropout": "0.0", "hidden_size": "4096", "kv_channels": "128", "log_interval": "10", "lr": "0.0003",
    "make_vocab_size_divisible_by": "128", "max_position_embeddings": "8192", "micro_batch_size": "1",
    "normalization": "RMSNorm", "num_attention_heads": "32", "num_experts": "None", "num_layers": "32",
    "num_query_groups": "8", "padded_vocab_size": "128256", "pipeline_model_parallel_size": "1",
    "position_embedding_type": "rope", "seq_length": "8192", "sequence_parallel": "True", "swiglu": "True",
    "tensor_model_parallel_size": "2", "tokenizer_type": "HuggingFaceTokenizer", "train_iters": "500",
    "untie_embeddings_and_output_weights": "True", "use_distributed_optimizer": "True", "vocab_size": "None",
    "world_size": "16"}


def megatron_llama_args() -> None:
    def ms(i: int) -> float:
        return 7450.0 if i == 10 else 5230.0 + (i % 40) * 0.5
    lines = ["using world size: 16, data-parallel size: 8, context-parallel size: 1, tensor-model-parallel size: 2, "
             "pipeline-model-parallel size: 1",
             "------------------------ arguments ------------------------"]
    lines += [f"  {k} {'.' * (48 - len(k))} {v}" for k, v in sorted(MEGATRON_LLAMA_ARGS.items())]
    lines += ["-------------------- end of arguments ---------------------",
              "> padded vocab (size: 128000) with 256 dummy tokens (new size: 128256)"]
    for i in range(10, 210, 10):
        lines.append(f" [2025-02-11 09:{i // 10:02d}:00] iteration {i:8d}/     500 | consumed samples: {i * 128:12d} | "
                     f"elapsed time per iteration (ms): {ms(i):.1f} | throughput per GPU (TFLOP/s/GPU): 402.1 | "
                     f"learning rate: 3.000000E-04 | global batch size:   128 | lm loss: {9.1 - i / 100:.6E} | "
                     "loss scale: 1.0 | grad norm: 1.234 | number of skipped iterations:   0 | "
                     "number of nan iterations:   0 |")
    kept = [ms(i) for i in range(20, 210, 10)]
    write("megatron_llama_args", lines, "NVIDIA/Megatron-LM megatron/training/arguments.py print_args (the "
          "'  name ..... value' dump), training.py training_log and the padded-vocab line (core_r0.9-r0.12)",
          statistics.median(kept), "median of the intervals after the first", format="megatron",
          tokens_per_step=128 * 8192, num_gpus=16,
          shape={"model_type": "llama", "n_layer": 32, "n_head": 32, "n_embd": 4096, "n_kv_head": 8,
                 "intermediate_size": 14336, "vocab_size": 128256, "block_size": 8192,
                 "tie_word_embeddings": False, "tensor_parallel": 2, "pipeline_parallel": 1, "context_parallel": 1,
                 "batch_size": 1, "gradient_accumulation_steps": 128})


def litgpt_config() -> None:
    def ms(i: int) -> float:
        return 4000.0 if i == 1 else 201.5 + (i % 2) * 14.0 + (i % 5) * 0.25
    lines = ["{'data': {'batch_size': 1, 'num_workers': 8, 'seed': 42},",
             " 'devices': 8,",
             " 'eval': {'interval': 1000, 'max_iters': 100, 'max_new_tokens': None},",
             " 'logger_name': 'tensorboard',",
             " 'model_config': {'attention_logit_softcapping': None,",
             "                  'bias': False,",
             "                  'block_size': 2048,",
             "                  'gelu_approximate': 'none',",
             "                  'head_size': 64,",
             "                  'hf_config': {'name': 'TinyLlama-1.1B-intermediate-step-1431k-3T',",
             "                                'org': 'TinyLlama'},",
             "                  'intermediate_size': 5632,",
             "                  'lm_head_bias': False,",
             "                  'mlp_class_name': 'LLaMAMLP',",
             "                  'n_embd': 2048,",
             "                  'n_expert': 0,",
             "                  'n_expert_per_token': 0,",
             "                  'n_head': 32,",
             "                  'n_layer': 22,",
             "                  'n_query_groups': 4,",
             "                  'name': 'tiny-llama-1.1b',",
             "                  'norm_class_name': 'RMSNorm',",
             "                  'norm_eps': 1e-05,",
             "                  'padded_vocab_size': 32000,",
             "                  'padding_multiple': 64,",
             "                  'parallel_residual': False,",
             "                  'rope_base': 10000,",
             "                  'vocab_size': 32000},",
             " 'model_name': 'tiny-llama-1.1b',",
             " 'train': {'global_batch_size': 128,",
             "           'gradient_accumulation_iters': None,",
             "           'log_interval': 1,",
             "           'max_seq_length': None,",
             "           'max_tokens': 3000000000000,",
             "           'micro_batch_size': 8,",
             "           'tie_embeddings': False}}",
             "Time to instantiate model: 0.31 seconds.",
             "Total parameters: 1,100,048,384"]
    for i in range(1, 41):
        step = i // 2
        lines.append(f"Epoch 1 | iter {i} step {step} | loss train: {10.9 - i * 0.01:.3f}, val: n/a | "
                     f"iter time: {ms(i):.2f} ms{' (step)' if i % 2 == 0 else ''} remaining time: 41 days, 3:12:09")
    kept = [round(ms(i), 2) for i in range(6, 41)]
    write("litgpt_config", lines, "Lightning-AI/litgpt litgpt/pretrain.py setup (fabric.print(pprint.pformat(hparams)) "
          "with the Config as a dict), main ('Total parameters: N') and fit's iter line (2024-2025)",
          statistics.median(kept), "median of the micro-steps' times after the warm-up", format="litgpt",
          params=1100048384, num_gpus=8,
          shape={"model_type": "llama", "n_layer": 22, "n_head": 32, "n_embd": 2048, "n_kv_head": 4,
                 "intermediate_size": 5632, "vocab_size": 32000, "block_size": 2048, "tie_word_embeddings": False,
                 "batch_size": 8})


def nemo_config() -> None:
    def s(i: int) -> float:
        return {0: 9.1, 1: 2.2}.get(i, 0.8123 + (i % 4) * 0.001)
    yaml = """name: megatron_llama
trainer:
  devices: 8
  num_nodes: 2
  precision: bf16-mixed
  max_steps: 300
model:
  mcore_gpt: true
  micro_batch_size: 2
  global_batch_size: 64
  tensor_model_parallel_size: 2
  pipeline_model_parallel_size: 1
  context_parallel_size: 1
  encoder_seq_length: 4096
  max_position_embeddings: 4096
  num_layers: 16
  hidden_size: 2048
  ffn_hidden_size: 8192
  num_attention_heads: 32
  num_query_groups: 8
  init_method_std: 0.02
  normalization: rmsnorm
  activation: fast-swiglu
  bias: false
  share_embeddings_and_output_weights: false
  position_embedding_type: rope
  tokenizer:
    library: huggingface
    type: meta-llama/Llama-3.2-1B""".split("\n")
    lines = ["[NeMo I 2024-10-02 08:00:01 megatron_gpt_pretraining:36] ", "    ",
             "    ************** Experiment configuration ***********",
             "[NeMo I 2024-10-02 08:00:01 megatron_gpt_pretraining:37] "] + ["    " + y for y in yaml]
    lines.append("[NeMo I 2024-10-02 08:00:09 megatron_init:314] Padded vocab_size: 128256, original vocab_size: "
                 "128256, dummy tokens: 0.")
    for i in range(40):
        lines.append(f"Epoch 0: :  {i * 100 // 300:2d}%|  | {i + 1}/300 [00:{i:02d}<04:00, "
                     f"reduced_train_loss={9.2 - i / 50:.3f}, global_step={i}.0, "
                     f"consumed_samples={(i + 1) * 64}.0, train_step_timing in s={s(i)}]")
    kept = [s(i) * 1000 for i in range(6, 40)]
    write("nemo_config", lines, "NVIDIA/NeMo examples/nlp/language_modeling/megatron_gpt_pretraining.py (the "
          "experiment configuration as OmegaConf YAML), megatron_base_model._vocab_size_with_padding and the "
          "Lightning bar's train_step_timing (NeMo 1.2x)", statistics.median(kept),
          "median of train_step_timing after the warm-up steps", format="nemo", tokens_per_step=64 * 4096,
          num_gpus=16,
          shape={"model_type": "llama", "n_layer": 16, "n_head": 32, "n_embd": 2048, "n_kv_head": 8,
                 "intermediate_size": 8192, "vocab_size": 128256, "block_size": 4096, "tie_word_embeddings": False,
                 "tensor_parallel": 2, "pipeline_parallel": 1, "context_parallel": 1, "batch_size": 2,
                 "gradient_accumulation_steps": 32})


def hf_config() -> None:
    config = """{
  "_name_or_path": "Qwen/Qwen2.5-0.5B",
  "architectures": [
    "Qwen2ForCausalLM"
  ],
  "attention_dropout": 0.0,
  "bos_token_id": 151643,
  "eos_token_id": 151643,
  "hidden_act": "silu",
  "hidden_size": 896,
  "initializer_range": 0.02,
  "intermediate_size": 4864,
  "max_position_embeddings": 32768,
  "max_window_layers": 24,
  "model_type": "qwen2",
  "num_attention_heads": 14,
  "num_hidden_layers": 24,
  "num_key_value_heads": 2,
  "rms_norm_eps": 1e-06,
  "rope_scaling": null,
  "rope_theta": 1000000.0,
  "sliding_window": null,
  "tie_word_embeddings": true,
  "torch_dtype": "bfloat16",
  "transformers_version": "4.46.0",
  "use_cache": true,
  "use_sliding_window": false,
  "vocab_size": 151936
}""".split("\n")
    lines = ["[INFO|configuration_utils.py:679] 2024-11-05 14:02:11,402 >> loading configuration file config.json "
             "from cache at /root/.cache/huggingface/hub/models--Qwen--Qwen2.5-0.5B/snapshots/abc/config.json",
             "[INFO|configuration_utils.py:746] 2024-11-05 14:02:11,404 >> Model config Qwen2Config " + config[0]]
    lines += config[1:]
    lines += ["[INFO|trainer.py:2314] 2024-11-05 14:02:20,001 >> ***** Running training *****",
              "[INFO|trainer.py:2315] 2024-11-05 14:02:20,001 >>   Num examples = 40,000",
              "[INFO|trainer.py:2319] 2024-11-05 14:02:20,001 >>   Total optimization steps = 1,250",
              "***** train metrics *****", "  epoch                    =        1.0",
              "  train_loss               =     2.4811", "  train_runtime            = 0:41:40.00",
              "  train_samples_per_second =     16.0", "  train_steps_per_second   =        0.5"]
    write("hf_config", lines, "huggingface/transformers configuration_utils.py PretrainedConfig.from_dict ('Model "
          "config {config}' at INFO, the config's JSON) and trainer_utils.py speed_metrics (v4.46)",
          2500 * 1000 / 1250, "train_runtime / the 1,250 optimization steps", format="hf-trainer",
          shape={"model_type": "qwen2", "n_layer": 24, "n_head": 14, "n_embd": 896, "n_kv_head": 2,
                 "intermediate_size": 4864, "vocab_size": 151936, "tie_word_embeddings": True})


if __name__ == "__main__":
    for make in (maxtext, nanotron, olmo, mlx, keras, tf_estimator, fairseq, tinygrad, hf_summary,
                 torchtitan_llama3_8b, megatron_llama_args, litgpt_config, nemo_config, hf_config):
        make()
