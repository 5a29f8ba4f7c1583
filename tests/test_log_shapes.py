"""The model a log trains, read from the log where the trainer prints its shape (torchtitan's ModelArgs, Megatron's
argument dump, litgpt's config, NeMo's experiment configuration, the Hugging Face config transformers logs), and the
true MFU counted with that model's FLOPs (calculator.arch), else with the scenario's model.

The fixtures are tests/logs/trainers/{torchtitan_llama3_8b,megatron_llama_args,litgpt_config,nemo_config,hf_config}
.log: synthetic, written by tests/logs/make_trainer_fixtures.py from each trainer's print format with made-up numbers
(their .json names the source and the shape the log prints). No real log in ../shared/calibration/real-logs prints a
shape (the torchtitan, litgpt, NeMo and HF excerpts start past it; the Megatron one prints only its parameter count in
billions).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calculator import arch, loganalysis, nanogpt, schema
from calculator.estimate import compute
from calculator.logformats.torchtitan import ffn_width
from calculator.logparse import parse_log
from said import analyze

TRAINERS = Path(__file__).parent / "logs" / "trainers"
SHAPED = sorted(p for p in TRAINERS.glob("*.log")
                if "shape" in json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["expected"])
REAL = Path(__file__).resolve().parents[2] / "shared" / "calibration" / "real-logs"


def text(name: str) -> str:
    return (TRAINERS / f"{name}.log").read_text(encoding="utf-8")


def test_each_format_that_prints_a_shape_has_a_fixture():
    formats = {json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))["expected"]["format"] for p in SHAPED}
    assert formats == {"torchtitan", "megatron", "litgpt", "nemo", "hf-trainer"}


@pytest.mark.parametrize("log", SHAPED, ids=[p.stem for p in SHAPED])
def test_the_shape_is_read_from_the_log(log):
    meta = json.loads(log.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["synthetic"] and meta["source"]
    stated = parse_log(log.read_text(encoding="utf-8")).stated
    assert {k: stated.get(k) for k in meta["expected"]["shape"]} == meta["expected"]["shape"]


def test_torchtitan_ffn_width_follows_its_feedforward_rule():
    # torchtitan/models/llama: Llama 3 8B (1.3, 1024), 70B (1.3, 4096), 405B (1.2, 4096); Llama 2 7B (none, 256)
    assert ffn_width(4096, 1024, 1.3) == 14336
    assert ffn_width(8192, 4096, 1.3) == 28672
    assert ffn_width(16384, 4096, 1.2) == 53248
    assert ffn_width(4096, 256, None) == 11008 == arch.ffn_default("llama", 4096)


def test_llama3_8b_torchtitan_log_gives_llama_flops_as_torchtitan_counts_them():
    a = analyze(text("torchtitan_llama3_8b"), gpu="h100-sxm", num_gpus=8, batch_size=1, block_size=8192,
                gradient_accumulation_steps=8)  # the form's model is the default GPT-2: the log's model wins
    assert a["flops_source"] == "log"
    n_all = 8_030_261_248  # the log's "size: 8,030,261,248 total parameters"
    assert a["stated_params"] == n_all
    layers, heads, head_dim, seq, vocab, dim = 32, 32, 128, 8192, 128256, 4096
    # torchtitan's get_num_flop_per_token: 6 N + 12 L H Q T. With N all parameters (its first versions) it counts
    # the input embedding, a lookup; arch.py (and torchtitan since exclude_embedding=True) leaves it out.
    torchtitan_all = 6 * n_all + 12 * layers * heads * head_dim * seq
    assert a["flops_per_token"] == torchtitan_all - 6 * vocab * dim
    assert torchtitan_all / a["flops_per_token"] == pytest.approx(1.0544, abs=1e-4)  # +5.4% with the embedding
    # the true MFU is those FLOPs per token at the observed speed, per GPU, over the H100's peak
    est = compute(schema.validate({"gpu": "h100-sxm", "num_gpus": 8, "batch_size": 1, "block_size": 8192,
                                   "gradient_accumulation_steps": 8, **a["log_model"],
                                   "observed_ms_per_iter": a["steady_ms_per_step"]}))
    tokens_per_gpu = 8 * 8192 / 8
    expected = a["flops_per_token"] * tokens_per_gpu / (a["steady_ms_per_step"] / 1000) / (est["peak_tflops"] * 1e12)
    assert a["true_mfu"] == pytest.approx(expected, rel=1e-12)
    # the log's own statements (8 GPUs from the device mesh, 8 x 8192 tokens per step) describe the same run
    assert a["stated_gpus"] == 8 and a["tokens_per_step_from_log"] == 8 * 8192
    assert a["stated_mfu"] == pytest.approx(a["true_mfu"], rel=1e-9)
    gpt2 = analyze(text("torchtitan_llama3_8b").split("Building llama3")[0], gpu="h100-sxm")
    assert gpt2["flops_source"] == "form"


def test_without_a_shape_in_the_log_the_scenarios_model_counts():
    log = text("torchtitan_llama3_8b")
    bare = "\n".join(line for line in log.splitlines() if "ModelArgs" not in line)
    a = analyze(bare, model="llama-3.1-8b", gpu="h100-sxm", num_gpus=8, batch_size=1, block_size=8192,
                gradient_accumulation_steps=8)
    assert a["flops_source"] == "form" and a["log_model"] is None
    v = schema.validate({"model": "llama-3.1-8b", "block_size": 8192})
    assert a["flops_per_token"] == arch.flops_per_token(arch.from_inputs(v))
    shaped = analyze(log, model="llama-3.1-8b", gpu="h100-sxm", num_gpus=8, batch_size=1, block_size=8192,
                     gradient_accumulation_steps=8)
    assert shaped["flops_source"] == "log" and shaped["flops_per_token"] == a["flops_per_token"]  # the same model
    assert shaped["true_mfu"] == pytest.approx(a["true_mfu"], rel=1e-12)


def test_the_log_wins_over_the_forms_model_fields():
    a = analyze(text("megatron_llama_args"), model_type="mpt", n_layer=24, n_head=16, n_embd=2048, gpu="h100-sxm",
                num_gpus=16, batch_size=1, block_size=8192, gradient_accumulation_steps=128)
    assert a["flops_source"] == "log" and a["log_model"]["n_layer"] == 32 and a["log_model"]["n_kv_head"] == 8
    assert a["flops_per_token"] == arch.flops_per_token(arch.Arch("llama", 32, 32, 4096, 128256, 8192, False, 8,
                                                                  14336, False))
    # stated_mfu: the log's own tokens per step (128 x 8192) and GPUs (world_size 16) with that model's FLOPs
    est_peak = a["log_tokens_per_sec"] * a["flops_per_token"] / 16 / a["stated_mfu"]
    assert est_peak == pytest.approx(989.4e12, rel=0.01)


def test_nanogpt_logs_are_counted_exactly_as_before():
    log = "\n".join(f"iter {i}: loss 4.2, time {100 + i % 3:.2f}ms, mfu 12.00%" for i in range(60))
    a = analyze(log, gpu="a100-40gb")
    assert a["flops_source"] == "form"
    v = schema.validate({"gpu": "a100-40gb"})
    n = nanogpt.num_params(v["n_layer"], v["n_embd"], v["vocab_size"], v["block_size"], v["bias"])
    assert a["flops_per_token"] == nanogpt.flops_per_token(n, v["n_layer"], v["n_head"], v["n_embd"],
                                                           v["block_size"])
    est = compute({**v, "observed_ms_per_iter": a["steady_ms_per_step"]})
    assert a["true_mfu"] == est["mfu"]  # to the last bit


def test_megatron_gpt2_dump_is_nanogpts_model():
    dump = ["------------------------ arguments ------------------------"] + [
        f"  {k} {'.' * (48 - len(k))} {v}" for k, v in sorted({
            "add_bias_linear": "True", "ffn_hidden_size": "3072", "global_batch_size": "16", "hidden_size": "768",
            "micro_batch_size": "1", "num_attention_heads": "12", "num_layers": "12", "padded_vocab_size": "50304",
            "position_embedding_type": "learned_absolute", "seq_length": "512", "swiglu": "False",
            "untie_embeddings_and_output_weights": "False", "world_size": "1"}.items())]
    real = (REAL / "megatron-zh-notes-gpt2-small-1gpu-fp16.log").read_text(encoding="utf-8")
    a = analyze("\n".join(dump) + "\n" + real, gpu="rtx-4090")
    assert a["flops_source"] == "log"
    assert a["log_model"] == {"model_type": "gpt2", "vocab_size": 50304, "block_size": 512, "n_layer": 12,
                              "n_head": 12, "n_embd": 768, "intermediate_size": 3072, "tie_word_embeddings": True,
                              "bias": True, "n_kv_head": None}
    n = nanogpt.num_params(12, 768, 50304, 512, True)
    assert a["flops_per_token"] == nanogpt.flops_per_token(n, 12, 12, 768, 512)
    assert a["stated"]["gradient_accumulation_steps"] == 16 and a["stated"]["num_gpus"] == 1
    # a Llama preset on the form leaves nothing of itself in the log's model (its 8 KV heads, its MLP width)
    llama_form = analyze("\n".join(dump) + "\n" + real, model="llama-3.1-8b", gpu="rtx-4090")
    assert llama_form["log_model"] == a["log_model"]
    assert llama_form["flops_per_token"] == a["flops_per_token"]
    assert llama_form["estimate_ms_per_iter"] == a["estimate_ms_per_iter"]


def test_deepspeeds_dump_is_still_deepspeeds():
    p = parse_log("  train_batch_size ............. 16\n  world_size ................... 8\n"
                  "epoch=0/micro_step=20/global_step=10, RunningAvgSamplesPerSec=12.3, CurrSamplesPerSec=16.0, "
                  "MemAllocated=1.2GB, MaxMemAllocated=3.4GB")
    assert p.stated["global_batch"] == 16 and p.records[0].ms == pytest.approx(1000.0)


def test_the_spanish_analysis_says_which_model_the_flops_came_from():
    es = analyze(text("litgpt_config"), "es", gpu="h100-sxm", num_gpus=8, batch_size=8,
                 gradient_accumulation_steps=16, block_size=2048)
    assert "FLOP contados para el modelo que indica el log (llama, 22 capas, ancho 2048, 32 cabezas (4 de " \
           "clave/valor), MLP 5632" in es["report"]
    assert es["text"]["flops_model"].startswith("FLOP contados para el modelo que indica el log")
    assert "FLOPs counted" not in es["report"] and "parameters" not in es["text"]["flops_model"]
    form = analyze("iter 10: loss 4.2, time 100.00ms, mfu 12.00%\n" * 3, "es")
    assert form["text"]["flops_model"].startswith("FLOP contados para el modelo del escenario (gpt2, 12 capas")


@pytest.mark.parametrize("args, field", [
    ("dim=4096, n_layers=32, n_heads=7, n_kv_heads=8", "n_head"),  # 7 heads do not divide 4096
    ("dim=4096, n_layers=32, n_heads=32, n_kv_heads=5", "n_kv_head"),
    ("dim=4096, n_layers=99999999, n_heads=32", "n_layer"),  # beyond the schema's 1000 layers
])
def test_a_shape_the_schema_refuses_is_not_used_and_the_reason_is_said(args, field):
    log = text("torchtitan_llama3_8b").replace(
        "dim=4096, n_layers=32, n_heads=32, n_kv_heads=8", args)
    a = analyze(log, gpu="h100-sxm")
    assert a["flops_source"] == "form" and a["log_model"] is None
    assert a["flops_model"]["key"] == "log.flops_rejected"
    assert a["flops_model"]["params"]["rejected"]["params"]["field"] == field
    assert "cannot be used (" + field in a["text"]["flops_model"]
    assert a["true_mfu"] is not None and math.isfinite(a["true_mfu"])


@pytest.mark.parametrize("args", ["dim=-4096, n_layers=32, n_heads=32", "dim=4096.5, n_layers=32, n_heads=32",
                                  "dim=nan, n_layers=32, n_heads=32", "dim=1e308, n_layers=32, n_heads=32",
                                  "dim=0x1000, n_layers=32, n_heads=32"])
def test_a_number_that_is_no_size_states_no_shape(args):
    log = text("torchtitan_llama3_8b").replace("dim=4096, n_layers=32, n_heads=32", args)
    p = parse_log(log)
    assert "n_embd" not in p.stated and "model_type" not in p.stated
    assert analyze(log)["flops_source"] == "form"


SIZES = st.one_of(st.sampled_from(["8", "32", "4096"]),  # often a shape the schema takes, so both paths are walked
                  st.sampled_from(["0", "-1", "1", "7", "64", "131072", "1e308", "nan", "inf", "4096.0", "1,024",
                                   "99999999999999999999", "None", "", "True"]),
                  st.integers(1, 5000).map(str))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SIZES, min_size=8, max_size=8), st.sampled_from(["torchtitan", "megatron", "hf"]))
@example(["4096", "32", "32", "8", "1.3", "128256", "8192", "1024"], "torchtitan")
@example(["4096", "32", "32", "8", "14336", "128256", "8192", "8"], "megatron")
@example(["4096", "32", "32", "8", "14336", "128256", "8192", "8"], "hf")
def test_hostile_numbers_in_a_printed_shape_never_break_the_analysis(sizes, trainer):
    d, layers, h, kv, ffn, vocab, seq, tp = sizes
    if trainer == "torchtitan":
        head = (f"Building llama3 8B with ModelArgs(dim={d}, n_layers={layers}, n_heads={h}, n_kv_heads={kv}, "
                f"vocab_size={vocab}, multiple_of={tp}, ffn_dim_multiplier={ffn}, max_seq_len={seq})")
    elif trainer == "megatron":
        head = "\n".join(f"  {k} {'.' * (48 - len(k))} {v}" for k, v in (
            ("ffn_hidden_size", ffn), ("group_query_attention", "True"), ("hidden_size", d),
            ("num_attention_heads", h), ("num_layers", layers), ("num_query_groups", kv), ("padded_vocab_size", vocab),
            ("seq_length", seq), ("swiglu", "True"), ("tensor_model_parallel_size", tp)))
    else:
        head = "Model config LlamaConfig {\n" + "\n".join(f'  "{k}": {v},' for k, v in (
            ("hidden_size", d), ("intermediate_size", ffn), ("model_type", '"llama"'), ("num_attention_heads", h),
            ("num_hidden_layers", layers), ("num_key_value_heads", kv))) + f'\n  "vocab_size": {vocab}\n}}'
    log = head + "\n" + "\n".join(f"iter {i}: loss 4.2, time 100.00ms, mfu 12.00%" for i in range(12))
    a = loganalysis.analyze(log, gpu="h100-sxm")
    json.dumps(a, allow_nan=False)
    assert a["flops_per_token"] > 0 and a["true_mfu"] is not None and math.isfinite(a["true_mfu"])
    if a["flops_source"] == "log":  # a shape the schema accepts, counted as it is
        checked = schema.validate(a["log_model"])
        assert a["flops_per_token"] == arch.flops_per_token(arch.from_inputs(checked))
    else:
        assert a["log_model"] is None


@pytest.mark.parametrize("name", ["torchtitan_llama3_8b", "litgpt_config"])
def test_the_shape_read_gives_the_parameters_the_log_prints(name):
    # Llama 3 8B's 8,030,261,248 and TinyLlama 1.1B's 1,100,048,384, as torchtitan and litgpt count model.parameters()
    a = analyze(text(name), gpu="h100-sxm")
    assert a["flops_source"] == "log"
    assert arch.params(arch.from_inputs(schema.validate(a["log_model"])))["total"] == a["stated_params"]


def test_torchtitan_tps_is_per_gpu_of_all_so_a_model_split_over_gpus_divides_it():
    # metrics.py: tps = a rank's tokens / (time x tp x pp x cp); a rank's tokens per step = local batch x length
    lines = ["[rank0]: Training starts at step 1, with local batch size 2, global batch size 8, sequence length 4096"]
    lines += [f"[rank0]: step: {i}  loss:  6.2250  memory:  1.41GiB(1.79%)  tps: 2,048  tflops: 18.36  mfu: 1.86%"
              for i in range(1, 20)]
    alone = parse_log("\n".join(lines))
    split = parse_log("[rank0]: Building 3-D device mesh with ['dp_shard', 'cp', 'tp'], [2, 2, 4]\n"
                      + "\n".join(lines))
    assert alone.records[-1].ms == pytest.approx(2 * 4096 / 2048 * 1000)
    assert split.records[-1].ms == pytest.approx(2 * 4096 / (2048 * 2 * 4) * 1000)
    assert split.stated["num_gpus"] == 16 and split.stated["tensor_parallel"] == 4
    assert split.stated["context_parallel"] == 2 and "pipeline_parallel" not in split.stated
