"""nanoGPT's arithmetic, checked against an independent count and against real nanoGPT runs (calibration data)."""

import pytest

from calculator import nanogpt
from said import estimate
from tools import calibration_data as cd


def shapes_of_nanogpt(n_layer, n_embd, vocab, block, bias):
    """Every parameter tensor nanoGPT's GPT builds, as shapes (model.py __init__), independent of nanogpt.py."""
    e = n_embd
    shapes = {"wte": (vocab, e), "wpe": (block, e), "ln_f.w": (e,)}
    if bias:
        shapes["ln_f.b"] = (e,)
    for i in range(n_layer):
        for name, shp in (("ln_1", (e,)), ("ln_2", (e,))):
            shapes[f"h{i}.{name}.w"] = shp
            if bias:
                shapes[f"h{i}.{name}.b"] = shp
        for name, (fan_in, fan_out) in (("attn.c_attn", (e, 3 * e)), ("attn.c_proj", (e, e)),
                                        ("mlp.c_fc", (e, 4 * e)), ("mlp.c_proj", (4 * e, e))):
            shapes[f"h{i}.{name}.w"] = (fan_out, fan_in)
            if bias:
                shapes[f"h{i}.{name}.b"] = (fan_out,)
    # lm_head.weight is wte.weight (weight tying): not a separate parameter.
    return shapes


def numel(shapes, skip=()):
    total = 0
    for name, shp in shapes.items():
        if name in skip:
            continue
        n = 1
        for d in shp:
            n *= d
        total += n
    return total


@pytest.mark.parametrize("L,E,V,T,bias", [(12, 768, 50304, 1024, False), (6, 512, 50304, 1024, False),
                                          (6, 384, 65, 256, True), (1, 8, 3, 4, True), (24, 1024, 50257, 1024, True)])
def test_params_match_an_independent_count(L, E, V, T, bias):
    shapes = shapes_of_nanogpt(L, E, V, T, bias)
    assert nanogpt.num_params(L, E, V, T, bias) == numel(shapes, skip={"wpe"})
    assert nanogpt.num_params(L, E, V, T, bias, non_embedding=False) == numel(shapes)


def test_gpt2_124m_non_embedding_params():
    # The reference figure for GPT-2 124M with vocab 50304 and bias False.
    assert estimate(n_layer=12, n_head=12, n_embd=768, vocab_size=50304, block_size=1024, bias=False)["params"] \
        == 123_587_328


def test_default_scenario_flops_by_hand():
    r = estimate()
    n = r["params"]
    per_token = 6 * n + 12 * 12 * 12 * (384 // 12) * 1024  # PaLM appendix B, as estimate_mfu writes it
    assert r["flops_per_token"] == per_token
    assert r["tokens_per_iter"] == 16 * 32 * 1024
    assert r["flops_per_iter"] == per_token * 16 * 32 * 1024
    assert 1.5e14 < r["flops_per_iter"] < 1.7e14  # "1.6e14 FLOPs per iteration"


def test_calibration_configs_match_real_nanogpt():
    """params and flops_per_iter that real nanoGPT printed for each measured config."""
    rows = [r for r in cd.load_rows() if "cfg" in r]
    assert rows
    for row in rows:
        r = estimate(**{k: v for k, v in cd.inputs_of(row).items()})
        assert r["params"] == row["params_nanogpt"], row["name"]
        assert r["params_total"] == row["params_total"], row["name"]
        assert r["flops_per_iter"] == row["flops_per_iter"], row["name"]
        assert r["tokens_per_iter"] == row["tokens_per_iter"], row["name"]


def test_ddp_divides_accumulation_and_mfu_is_per_gpu():
    one = estimate(gradient_accumulation_steps=40, mfu=0.3)
    eight = estimate(gradient_accumulation_steps=40, num_gpus=8, mfu=0.3)
    assert eight["tokens_per_iter"] == one["tokens_per_iter"]
    assert eight["micro_steps_per_gpu"] == 5
    assert eight["flops_per_iter_per_gpu"] * 8 == eight["flops_per_iter"]
    assert eight["ms_per_iter"] == pytest.approx(one["ms_per_iter"] / 8)


def test_printed_mfu_is_against_312_tflops():
    r = estimate(gpu="h100-sxm", dtype="bfloat16")
    assert r["nanogpt_printed_mfu"] == pytest.approx(r["achieved_tflops"] / 312)
    assert r["nanogpt_printed_mfu"] == pytest.approx(r["mfu"] * r["peak_tflops"] / 312)
