"""The run a log states (its GPUs, tensor/pipeline/context parallel degrees, sequence length and tokens per optimizer
step) is the scenario the log analysis judges, as the model it states is (loganalysis.log_run): where it states
them, the true MFU, the verdict and the ETA are the log's run's, not the form's batch on one GPU.

Fixtures: tests/logs/trainers/{torchtitan_llama3_8b,megatron_llama_args,nemo_config,litgpt_config,fairseq}.log
(synthetic, see tests/logs/trainers/README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calculator import arch, gpus, loganalysis, schema, words
from calculator.logparse import parse_log
from said import analyze

TRAINERS = Path(__file__).parent / "logs" / "trainers"
LOGS = Path(__file__).parent / "logs"
BAD = ("impossible", "implausible")


def text(name: str) -> str:
    return (TRAINERS / f"{name}.log").read_text(encoding="utf-8")


def llama3_8b(block: int) -> float:
    """Llama 3 8B's training FLOPs per token (arch.py) at a sequence length: the model the fixtures print."""
    return arch.flops_per_token(arch.Arch("llama", 32, 32, 4096, 128256, block, False, 8, 14336, False))


def test_torchtitan_8b_on_h100_is_judged_as_the_logs_run_on_8_gpus():
    a = analyze(text("torchtitan_llama3_8b"), gpu="h100-sxm")
    # the log: a 1-D mesh of 8, global batch 8 of 8,192 tokens, no micro-batch printed -> 1 sequence per micro-step
    assert a["log_run_fields"] == {"num_gpus": 8, "block_size": 8192, "batch_size": 1,
                                   "gradient_accumulation_steps": 8}
    assert a["tokens_per_iter"] == 65_536 == a["tokens_per_step_from_log"]
    assert a["true_mfu"] == pytest.approx(a["stated_mfu"], rel=1e-9)
    # by hand: the log's model at the log's length, its tokens per step over the step's time, 8 H100s' peak
    peak = gpus.peak_tflops(gpus.get_gpu("h100-sxm"), "bfloat16")[0] * 1e12
    by_hand = llama3_8b(8192) * 65_536 / (a["steady_ms_per_step"] / 1000) / (8 * peak)
    assert a["true_mfu"] == pytest.approx(by_hand, rel=1e-9)
    assert 0.40 < a["true_mfu"] < 0.55  # torchtitan printed about 47% itself
    assert a["verdict"] not in BAD
    assert "The analysis uses the log's run: 8 GPUs instead of the scenario's 1 GPU; sequence 8,192" in a["report"]
    assert "65,536 tokens per step (batch_size 1 × gradient_accumulation_steps 8 × block_size 8,192)" in a["report"]
    assert a["text"]["log_run"].startswith("the log's run: 8 GPUs")


def test_the_log_wins_over_values_the_reader_set_and_the_report_names_them():
    log = text("torchtitan_llama3_8b")
    plain = analyze(log, gpu="h100-sxm")
    mine = analyze(log, gpu="h100-sxm", num_gpus=4, batch_size=2, block_size=2048, gradient_accumulation_steps=64)
    assert mine["log_run_fields"] == plain["log_run_fields"]
    assert mine["true_mfu"] == plain["true_mfu"] and mine["verdict"] == plain["verdict"]
    assert "8 GPUs instead of the scenario's 4 GPUs; sequence 8,192 instead of the scenario's sequence 2,048" \
        in mine["report"]
    assert "instead of the scenario's 262,144 tokens per step (batch_size 2 × gradient_accumulation_steps 64" \
        in mine["report"]
    # a value the reader set that the log agrees with is used, and not said to be replaced
    same = analyze(log, gpu="h100-sxm", num_gpus=8)
    assert "; 8 GPUs instead" not in same["report"] and "log's run: 8 GPUs; sequence" in same["report"]


def test_megatron_dump_gives_world_size_tp_pp_and_micro_and_global_batch():
    a = analyze(text("megatron_llama_args"), gpu="h100-sxm")
    # world_size 16, TP 2, PP 1, CP 1; micro_batch_size 1, global_batch_size 128 of seq_length 8192
    assert a["log_run_fields"] == {"num_gpus": 16, "tensor_parallel": 2, "pipeline_parallel": 1,
                                   "context_parallel": 1, "block_size": 8192, "batch_size": 1,
                                   "gradient_accumulation_steps": 128}
    v = schema.validate({**a["log_model"], **a["log_run_fields"], "gpu": "h100-sxm"})
    assert schema.data_parallel(v) == 8  # the dump's own "data-parallel size: 8"
    assert a["tokens_per_iter"] == 128 * 8192 == a["tokens_per_step_from_log"]
    assert a["true_mfu"] == pytest.approx(a["stated_mfu"], rel=1e-9)
    peak = gpus.peak_tflops(gpus.get_gpu("h100-sxm"), "bfloat16")[0] * 1e12
    by_hand = llama3_8b(8192) * 128 * 8192 / (a["steady_ms_per_step"] / 1000) / (16 * peak)
    assert a["true_mfu"] == pytest.approx(by_hand, rel=1e-9)
    assert a["verdict"] not in BAD
    assert "tensor parallelism of 2 instead of the scenario's tensor parallelism of 1" in a["report"]


def test_a_stated_micro_batch_is_the_schemas_batch_size():
    nemo = loganalysis.analyze(text("nemo_config"), gpu="h100-sxm")  # micro 2, global 64, 16 GPUs, TP 2
    assert nemo["log_run_fields"]["batch_size"] == 2
    assert nemo["log_run_fields"]["gradient_accumulation_steps"] == 32  # 64 sequences / 2 per micro-step
    litgpt = loganalysis.analyze(text("litgpt_config"), gpu="h100-sxm")  # micro 8, global 128, 8 devices
    assert (litgpt["log_run_fields"]["batch_size"], litgpt["log_run_fields"]["gradient_accumulation_steps"]) \
        == (8, 16)
    # 16 micro-steps over 8 data-parallel ranks: the 2 per optimizer step litgpt's log counts
    assert litgpt["micro_steps_per_step"] == 16 / 8


def test_a_micro_batch_that_does_not_divide_the_step_is_said_and_one_sequence_is_used():
    log = text("litgpt_config").replace("'micro_batch_size': 8", "'micro_batch_size': 48")
    assert "'micro_batch_size': 48" in log
    a = analyze(log, gpu="h100-sxm")
    assert a["log_run_fields"]["batch_size"] == 1 and a["log_run_fields"]["gradient_accumulation_steps"] == 128
    assert "micro-batch of 48 is not used: it does not divide the 128 sequences" in a["report"]


def test_a_stated_value_the_schema_refuses_is_left_out_and_named():
    # a mesh with tensor parallelism 3: 32 heads do not split 3 ways; 24 GPUs with the global batch of 8 do not
    # make whole micro-steps per data-parallel rank either
    log = text("torchtitan_llama3_8b").replace("Building 1-D device mesh with ['dp_shard'], [8]",
                                               "Building 2-D device mesh with ['dp_shard', 'tp'], [8, 3]")
    a = analyze(log, gpu="h100-sxm")
    assert "tensor_parallel" not in a["log_run_fields"] and a["log_run_fields"]["num_gpus"] == 24
    assert a["log_run_fields"]["block_size"] == 8192
    assert "tensor parallelism of 3 is not used (tensor_parallel:" in a["report"]
    assert "batch_size" not in a["log_run_fields"]  # the scenario's batch kept, and why
    assert "not used (gradient_accumulation_steps:" in a["report"]
    assert a["true_mfu"] is not None and a["verdict"] is not None


def test_tokens_that_are_no_whole_number_of_sequences_are_not_used():
    a = analyze(text("fairseq"), gpu="h100-sxm")  # fairseq's wpb is an average: 4093.2 tokens
    assert a["log_run_fields"] == {}
    assert a["report"].count("The scenario stays the form's: the log's 4093.2 tokens per step are not used") == 1


def test_nanogpt_logs_state_no_run_and_change_nothing():
    log = (LOGS / "nanogpt.log").read_text(encoding="utf-8")
    a = loganalysis.analyze(log, gpu="a100-40gb")
    assert a["log_run"] is None and a["log_run_fields"] == {}
    assert a["tokens_per_iter"] == 16 * 1024 * 32  # the form's defaults
    assert "log's run" not in analyze(log, gpu="a100-40gb")["report"]


def test_the_spanish_report_says_the_logs_run_in_spanish():
    es = analyze(text("torchtitan_llama3_8b"), lang="es", gpu="h100-sxm")
    assert "El análisis usa la ejecución del log: 8 GPU en lugar de 1 GPU del escenario; secuencia de 8192" \
        in es["report"]
    assert es["text"]["log_run"].startswith("la ejecución del log: 8 GPU")
    assert "instead of" not in es["report"] and "the log's run" not in es["report"]
    mega = analyze(text("megatron_llama_args"), lang="es", gpu="h100-sxm")
    assert "paralelismo de tensores de 2 en lugar de paralelismo de tensores de 1 del escenario" in mega["report"]


def test_torchtitans_local_batch_is_the_micro_batch():
    log = text("torchtitan_llama3_8b").replace("local batch size 1, global batch size 8,",
                                               "local batch size 2, global batch size 32,")
    a = loganalysis.analyze(log, gpu="h100-sxm")
    # 32 sequences a step, 2 per forward on each of 8 ranks: 16 micro-steps in all, 2 per rank
    assert (a["log_run_fields"]["batch_size"], a["log_run_fields"]["gradient_accumulation_steps"]) == (2, 16)
    assert a["tokens_per_iter"] == 32 * 8192


sizes = st.one_of(st.integers(1, 64), st.integers(1, 10 ** 9), st.sampled_from([0, 3, 7, 9999, 10 ** 12 + 1]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dims=st.lists(sizes, min_size=4, max_size=4), local=sizes, glob=sizes, seq=sizes)
@example(dims=[8, 3, 1, 1], local=1, glob=8, seq=8192)  # tp 3 does not divide 32 heads
@example(dims=[2, 2, 40, 1], local=1, glob=8, seq=8192)  # 40 pipeline stages for 32 layers
@example(dims=[1, 1, 1, 3], local=1, glob=8, seq=8192)  # cp 3 does not divide the sequence
@example(dims=[8, 1, 1, 1], local=3, glob=8, seq=8192)  # a micro-batch that does not divide the step
def test_any_stated_run_gives_a_scenario_that_validates_and_says_what_it_did_not_use(dims, local, glob, seq):
    names = ["dp_shard", "tp", "pp", "cp"]
    log = text("torchtitan_llama3_8b").replace(
        "Building 1-D device mesh with ['dp_shard'], [8]",
        f"Building 4-D device mesh with {names}, [{', '.join(map(str, dims))}]").replace(
        "local batch size 1, global batch size 8, sequence length 8192",
        f"local batch size {local}, global batch size {glob}, sequence length {seq}")
    a = loganalysis.analyze(log, gpu="h100-sxm")
    schema.validate({**(a["log_model"] or {}), **a["log_run_fields"], "gpu": "h100-sxm"})  # never an invalid run
    for lang in ("en", "es"):
        said = words.analysis(a, lang)
        assert "{" not in said["report"] and "None" not in said["report"]
    if a["log_run"] is not None:
        assert a["log_run_fields"] or a["report"][-1]  # something was said about it
    stated = parse_log(log).stated
    left_out = {r["params"]["item"]["key"] for r in facts(a["log_run"]) if r["key"] == "log.run_rejected"}
    for key, item in loganalysis.RUN_DEGREES:
        if key in stated and key not in a["log_run_fields"]:  # left out: the analysis says so
            assert item in left_out, key


def facts(x) -> list[dict]:
    """Every fact in a fact's tree (its parameters, joined lists)."""
    if isinstance(x, dict):
        found = [x] if "key" in x else []
        return found + [f for v in x.values() for f in facts(v)]
    if isinstance(x, list):
        return [f for v in x for f in facts(v)]
    return []
