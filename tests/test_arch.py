"""calculator/arch.py: parameters and FLOPs per token, against published counts and against an independent count
written out here from each family's layers (not from arch.py's own helpers)."""

from __future__ import annotations

import random

import pytest

from calculator import arch, estimate, nanogpt
from calculator.arch import Arch

# Published parameter counts (what the model's own code counts, sum(p.numel() for p in model.parameters())):
#   Llama 3.1 8B   8,030,261,248  (meta-llama/Llama-3.1-8B, the model card's safetensors total)
#   MPT-7B         6,649,286,656  (mosaicml/mpt-7b: d_model 4096, 32 layers and heads, vocab 50432, no biases)
#   Pythia-160M      162,322,944  (EleutherAI/pythia-160m: GPT-NeoX, 768 wide, 12 layers, vocab 50304, untied)
PUBLISHED = [
    (Arch("llama", 32, 32, 4096, 128256, 8192, n_kv_head=8, intermediate_size=14336), 8_030_261_248),
    (Arch("mpt", 32, 32, 4096, 50432, 2048), 6_649_286_656),
    (Arch("gpt_neox", 12, 12, 768, 50304, 2048), 162_322_944),
]


@pytest.mark.parametrize("a, total", PUBLISHED, ids=["llama-3.1-8b", "mpt-7b", "pythia-160m"])
def test_published_parameter_counts(a, total):
    assert arch.params(a)["total"] == total


def test_the_llama_preset_and_the_estimate_count_llama_3_1_8b():
    r = estimate(model="llama-3.1-8b")
    assert r["params"] == r["params_total"] == 8_030_261_248
    assert r["arch"]["n_kv_head"] == 8 and r["arch"]["intermediate_size"] == 14336 and r["arch"]["tied"] is False


def llama_count(n_layer, e, heads, kv_heads, ffn, vocab, tied, qkv_bias=False):
    """A Llama-family model counted from HF's LlamaForCausalLM modules: embed_tokens, per layer q/k/v/o_proj,
    gate/up/down_proj and two RMSNorm weights, the final norm, and lm_head unless tied."""
    q = e // heads
    attn = e * heads * q + 2 * e * kv_heads * q + heads * q * e + (heads * q + 2 * kv_heads * q if qkv_bias else 0)
    layer = attn + 3 * e * ffn + 2 * e
    embed = vocab * e
    return {"total": embed + n_layer * layer + e + (0 if tied else vocab * e),
            "matmul": n_layer * layer + e + vocab * e}  # 6N: the output matmul counts, the embedding lookup not


@pytest.mark.parametrize("seed", range(40))
def test_llama_params_and_flops_per_token_equal_an_independent_count(seed):
    rng = random.Random(seed)
    kv = rng.choice([1, 2, 4, 8])
    heads = kv * rng.choice([1, 2, 4, 8])
    head_dim = rng.choice([16, 64, 128])
    e, layers, ffn = heads * head_dim, rng.randint(1, 80), rng.randint(1, 60_000)
    vocab, t, tied = rng.randint(1, 200_000), rng.choice([128, 2048, 8192, 131072]), rng.random() < 0.5
    mt = rng.choice(["llama", "mistral", "qwen2"])
    a = Arch(mt, layers, heads, e, vocab, t, n_kv_head=kv, intermediate_size=ffn, tie_word_embeddings=tied)
    want = llama_count(layers, e, heads, kv, ffn, vocab, tied, qkv_bias=mt == "qwen2")
    assert arch.params(a)["total"] == want["total"]
    # 6 N_matmul + 12 L H Q T (PaLM appendix B; nanoGPT's estimate_mfu), written out here
    assert arch.flops_per_token(a) == 6 * want["matmul"] + 12 * layers * heads * head_dim * t


def test_the_llama_ffn_default_is_metas_rule():
    # Llama 2 7B: n_embd 4096 and no intermediate_size -> 11008 (int(2 * 4 * 4096 / 3) = 10922, up to 256)
    assert Arch("llama", 32, 32, 4096, 32000, 4096).ffn == 11008
    assert arch.params(Arch("llama", 32, 32, 4096, 32000, 4096))["total"] == 6_738_415_616  # Llama 2 7B


@pytest.mark.parametrize("seed", range(60))
def test_the_gpt2_path_is_nanogpt_for_random_sizes(seed):
    rng = random.Random(1000 + seed)
    heads = rng.randint(1, 32)
    e, layers = heads * rng.randint(1, 96), rng.randint(1, 96)
    vocab, t, bias = rng.randint(1, 100_000), rng.randint(1, 16384), rng.random() < 0.5
    a = Arch("gpt2", layers, heads, e, vocab, t, bias=bias)
    n = nanogpt.num_params(layers, e, vocab, t, bias)  # get_num_params(): without the position embedding
    counts = arch.params(a)
    assert counts["total"] - counts["position"] == n and counts["position"] == t * e
    assert arch.flops_per_token(a) == nanogpt.flops_per_token(n, layers, heads, e, t)
    r = estimate(n_layer=layers, n_head=heads, n_embd=e, vocab_size=vocab, block_size=t, bias=bias, batch_size=1,
                 gradient_accumulation_steps=1)
    assert r["params"] == n and r["flops_per_token"] == nanogpt.flops_per_token(n, layers, heads, e, t)


def test_grouped_query_attention_has_fewer_parameters_and_the_same_attention_flops():
    mha = Arch("llama", 16, 32, 4096, 32000, 4096, n_kv_head=32, intermediate_size=11008)
    gqa = Arch("llama", 16, 32, 4096, 32000, 4096, n_kv_head=8, intermediate_size=11008)
    # k and v shrink from 32 to 8 heads of 128: 2 x 4096 x (32 - 8) x 128 fewer per layer
    assert arch.params(mha)["total"] - arch.params(gqa)["total"] == 16 * 2 * 4096 * 24 * 128
    assert arch.attention_flops_per_token(mha) == arch.attention_flops_per_token(gqa)


def test_tying_removes_the_output_layer_and_keeps_the_matmul_count():
    untied = Arch("llama", 4, 8, 512, 1000, 256, tie_word_embeddings=False)
    tied = Arch("llama", 4, 8, 512, 1000, 256, tie_word_embeddings=True)
    assert arch.params(untied)["total"] - arch.params(tied)["total"] == 1000 * 512
    assert arch.params(untied)["matmul"] == arch.params(tied)["matmul"]  # one vocab x E matmul either way


def test_act_scale_is_one_for_gpt2_and_larger_for_swiglu():
    assert arch.act_scale(Arch("gpt2", 12, 12, 768, 50304, 1024)) == 1.0
    llama = Arch("llama", 32, 32, 4096, 128256, 8192, n_kv_head=8, intermediate_size=14336)
    # 15 + 19 x (14336 / 16384 x 1.5) over 34 (Korthikanti et al.'s 34 per layer, SwiGLU's three hidden tensors)
    assert arch.act_scale(llama) == pytest.approx((15 + 19 * 14336 / 16384 * 1.5) / 34)
