"""Memory per GPU under each sharding and parallel layout (memory.per_gpu through estimate()): properties that follow
from what each ZeRO stage shards (Rajbhandari et al. 2020) and from checkpointing, whatever the fitted constants."""

from __future__ import annotations

import pytest

from calculator import estimate, memory

GIB = 2**30
LLAMA_8B = 8_030_261_248


def run(**kw):
    base = dict(model="llama-3.1-8b", gpu="h100-sxm", block_size=4096, batch_size=1)
    n = kw.get("num_gpus", 1)
    base["gradient_accumulation_steps"] = n * 4
    return estimate(**{**base, **kw})


def static(r) -> float:
    m = r["memory"]
    return m["weights_gib"] + m["gradients_gib"] + m["optimizer_gib"]


@pytest.mark.parametrize("dp", [2, 4, 8, 16, 64, 512])
def test_fsdp_static_memory_falls_as_one_over_dp(dp):
    r = run(num_gpus=dp, sharding="fsdp")
    # 16 bytes per parameter (fp32 weights, gradients and two Adam moments), all three sharded over dp
    assert static(r) * dp == pytest.approx(16 * LLAMA_8B / GIB, rel=1e-12)
    assert r["memory"]["gathered_gib"] == run(num_gpus=2, sharding="fsdp")["memory"]["gathered_gib"] > 0


@pytest.mark.parametrize("dp", [2, 8, 64])
def test_each_zero_stage_shards_what_it_names(dp):
    got = {s: run(num_gpus=dp, sharding=s)["memory"] for s in ("ddp", "zero1", "zero2", "fsdp")}
    p = LLAMA_8B / GIB
    assert (got["ddp"]["weights_gib"], got["ddp"]["gradients_gib"], got["ddp"]["optimizer_gib"]) == pytest.approx(
        (4 * p, 4 * p, 8 * p))
    assert got["zero1"]["optimizer_gib"] == pytest.approx(8 * p / dp) and got["zero1"]["gradients_gib"] == 4 * p
    assert got["zero2"]["gradients_gib"] == pytest.approx(4 * p / dp) and got["zero2"]["weights_gib"] == 4 * p
    assert got["fsdp"]["weights_gib"] == pytest.approx(4 * p / dp)
    # the activations do not depend on the sharding
    assert len({round(m["activations_gib"], 12) for m in got.values()}) == 1


@pytest.mark.parametrize("dp", [2, 8, 64])
def test_static_memory_falls_with_each_zero_stage(dp):
    s = {name: static(run(num_gpus=dp, sharding=name)) for name in ("ddp", "zero1", "zero2", "fsdp")}
    assert s["ddp"] > s["zero1"] > s["zero2"] > s["fsdp"]


def test_on_one_gpu_every_sharding_is_ddp():
    ddp = run(sharding="ddp")
    for name in ("zero1", "zero2", "fsdp", "hsdp"):
        r = run(sharding=name)
        assert r["memory"] == ddp["memory"] and r["ms_per_iter"] == ddp["ms_per_iter"], name


def test_hsdp_shards_within_a_node_only():
    hsdp = run(num_gpus=64, gpus_per_node=8, sharding="hsdp")
    fsdp_node = run(num_gpus=8, gpus_per_node=8, sharding="fsdp")
    fsdp_all = run(num_gpus=64, gpus_per_node=8, sharding="fsdp")
    assert static(hsdp) == pytest.approx(static(fsdp_node)) and static(hsdp) > static(fsdp_all)


def test_checkpointing_keeps_less_activation_memory_full_less_than_selective_less_than_none():
    for kw in (dict(), dict(num_gpus=8, sharding="fsdp"), dict(num_gpus=16, tensor_parallel=2, pipeline_parallel=2),
               dict(batch_size=4, block_size=8192)):
        act = {c: run(activation_checkpointing=c, **kw)["memory"] for c in ("none", "selective", "full")}
        assert act["full"]["activations_gib"] < act["selective"]["activations_gib"] < act["none"]["activations_gib"]
        assert act["full"]["logits_gib"] == act["none"]["logits_gib"]  # the logits are not checkpointed
        assert static(run(activation_checkpointing="full", **kw)) == static(run(**kw))


def test_tensor_and_pipeline_split_the_static_memory_and_context_splits_the_activations():
    one = run(num_gpus=8)
    assert static(run(num_gpus=8, tensor_parallel=2)) * 2 == pytest.approx(static(one))
    assert static(run(num_gpus=8, pipeline_parallel=4)) * 4 == pytest.approx(static(one))
    cp = run(num_gpus=8, context_parallel=4)
    assert cp["memory"]["activations_gib"] * 4 == pytest.approx(one["memory"]["activations_gib"])
    assert static(cp) == pytest.approx(static(one))


def test_activations_grow_linearly_with_the_micro_batch():
    a1, a4 = (run(batch_size=b, num_gpus=8, sharding="fsdp")["memory"] for b in (1, 4))
    assert a4["activations_gib"] == pytest.approx(4 * a1["activations_gib"])
    assert a4["logits_gib"] == pytest.approx(4 * a1["logits_gib"])


def test_the_verdict_adds_fragmentation_and_the_cuda_context():
    r = run(num_gpus=8, sharding="fsdp")
    assert r["memory_need_gib"] == pytest.approx(r["memory_gib"] * (1 + memory.FRAGMENTATION) +
                                                 memory.CUDA_CONTEXT_GIB)


def test_every_suggested_fix_makes_the_run_fit():
    base = dict(model="llama-3.1-8b", gpu="a100-40gb", num_gpus=8, gradient_accumulation_steps=32, batch_size=4,
                block_size=8192)
    r = estimate(**base)
    assert r["memory_verdict"] == "does not fit" and r["memory_fixes"]
    for fix in r["memory_fixes"]:
        fixed = estimate(**{**base, **fix})
        assert fixed["memory_verdict"] != "does not fit", fix
        assert fixed["tokens_per_iter"] == r["tokens_per_iter"], fix  # the same run, laid out differently


def test_a_run_no_change_can_fit_says_so():
    # Llama 3.1 8B's 16 bytes a parameter (120 GiB) on one 24 GB card: no sharding or split helps one GPU
    r = estimate(model="llama-3.1-8b", gpu="rtx-4090", batch_size=1, gradient_accumulation_steps=1)
    assert r["memory_verdict"] == "does not fit" and r["memory_fixes"] == []
    assert [w["key"] for w in r["warnings"]][:1] == ["warn.no_fit_static"]
