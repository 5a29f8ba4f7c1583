"""The model's architecture: parameters and FLOPs per token for nanoGPT's GPT-2 and the families people train now.

Two families share one counting, layer by layer:

- **gpt** (model_type gpt2, gpt_neox, mpt): LayerNorm, a GELU MLP of two matrices (E -> F -> E, F = 4E unless
  given), multi-head attention. gpt2 is nanoGPT's model.py exactly (learned position embedding wpe, tied wte/lm_head,
  biases in Linear and LayerNorm when bias=True). gpt_neox (Pythia; HF GPTNeoXForCausalLM): rotary positions,
  biases everywhere, an untied output layer (embed_out). mpt (MosaicML MPT; HF MPTForCausalLM with no_bias=True):
  ALiBi positions, no biases, LayerNorm without bias, tied embeddings.
- **llama** (model_type llama, mistral, qwen2; HF LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM): RMSNorm,
  a SwiGLU MLP of three matrices (gate and up E -> F, down F -> E), grouped-query attention (n_kv_head key/value
  heads shared by n_head query heads), rotary positions, no biases except Qwen2's on q, k and v, tied or untied
  embeddings (tie_word_embeddings).

FLOPs per token (forward + backward) are the PaLM paper's (Chowdhery et al. 2022, appendix B), as nanoGPT's
estimate_mfu counts them:

    6 x N_matmul + 12 x n_layer x n_head x head_dim x block_size

N_matmul is every parameter but the position embedding (nanoGPT's get_num_params) and, where the output layer is
not tied to it, the input embedding (a lookup, no FLOPs). The attention term counts the whole T x T score matrix
(full, non-causal attention: nanoGPT, torchtitan, llm-foundry and Megatron all count it so) although a causal
kernel computes half of it; with grouped-query attention it is still n_head query heads. For model_type gpt2 this is
nanoGPT's number to the FLOP, so nanoGPT's printed MFU can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import nanogpt

GPT = ("gpt2", "gpt_neox", "mpt")
LLAMA = ("llama", "mistral", "qwen2")
MODEL_TYPES = GPT + LLAMA


@dataclass(frozen=True)
class Arch:
    model_type: str
    n_layer: int
    n_head: int
    n_embd: int
    vocab_size: int
    block_size: int
    bias: bool = False  # gpt2 only (nanoGPT's bias); the other types fix their biases
    n_kv_head: int | None = None  # None: n_head (multi-head attention)
    intermediate_size: int | None = None  # None: the family's default (ffn_default)
    tie_word_embeddings: bool | None = None  # None: the type's default (tied_default)

    @property
    def family(self) -> str:
        return "llama" if self.model_type in LLAMA else "gpt"

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head

    @property
    def kv_heads(self) -> int:
        return self.n_kv_head or self.n_head

    @property
    def ffn(self) -> int:
        return self.intermediate_size or ffn_default(self.model_type, self.n_embd)

    @property
    def tied(self) -> bool:
        return tied_default(self.model_type) if self.tie_word_embeddings is None else self.tie_word_embeddings

    @property
    def mlp_matrices(self) -> int:
        return 3 if self.family == "llama" else 2


def ffn_default(model_type: str, n_embd: int) -> int:
    """The MLP width when none is given: 4E for the GPT family; for the Llama family Meta's rule (llama model.py:
    hidden = int(2 x 4E / 3), rounded up to a multiple of 256), which gives Llama 2 7B's 11008."""
    if model_type in LLAMA:
        hidden = int(2 * 4 * n_embd / 3)
        return 256 * ((hidden + 255) // 256)
    return 4 * n_embd


def tied_default(model_type: str) -> bool:
    """Tied input and output embeddings: nanoGPT and MPT tie them; Pythia (gpt_neox), Llama, Mistral and Qwen2's
    larger models do not (HF PretrainedConfig's tie_word_embeddings default is True, but LlamaConfig, MistralConfig
    and GPTNeoXConfig set False; Qwen2Config sets False, and the small Qwen2.5 configs say true)."""
    return model_type in ("gpt2", "mpt")


def block_params(a: Arch) -> int:
    """Parameters of one transformer block."""
    e, q, f = a.n_embd, a.head_dim, a.ffn
    if a.model_type == "gpt2" and a.intermediate_size in (None, 4 * e) and a.kv_heads == a.n_head:
        return nanogpt.block_params(e, a.bias)
    attn = e * a.n_head * q + 2 * e * a.kv_heads * q + a.n_head * q * e  # q, k, v, o
    mlp = a.mlp_matrices * e * f
    if a.family == "llama":
        norms = 2 * e  # RMSNorm: a weight, no bias
        biases = (a.n_head * q + 2 * a.kv_heads * q) if a.model_type == "qwen2" else 0
    elif a.model_type == "mpt":
        norms, biases = 2 * e, 0  # MPT: no_bias=True drops Linear and LayerNorm biases
    elif a.model_type == "gpt_neox":
        norms = 4 * e  # LayerNorm weight and bias, twice
        biases = (a.n_head * q + 2 * a.kv_heads * q) + e + f + e
    else:  # gpt2 with a given FFN width or grouped-query attention
        norms = 4 * e if a.bias else 2 * e
        biases = ((a.n_head * q + 2 * a.kv_heads * q) + e + f + e) if a.bias else 0
    return attn + mlp + norms + biases


def final_norm_params(a: Arch) -> int:
    if a.family == "llama" or a.model_type == "mpt":
        return a.n_embd
    if a.model_type == "gpt_neox":
        return 2 * a.n_embd
    return a.n_embd + (a.n_embd if a.bias else 0)


def position_params(a: Arch) -> int:
    """Only nanoGPT's GPT-2 learns a position embedding (wpe, block_size x E); the others use RoPE or ALiBi."""
    return a.block_size * a.n_embd if a.model_type == "gpt2" else 0


def params(a: Arch) -> dict:
    """Parameter counts: total (every tensor, as model.parameters() counts them once), embedding (the input token
    embedding), output (the untied output layer, 0 when tied), position (wpe), blocks, and matmul (N in 6N: all
    but the position embedding and an untied input embedding)."""
    embedding = a.vocab_size * a.n_embd
    output = 0 if a.tied else a.vocab_size * a.n_embd
    blocks = a.n_layer * block_params(a)
    position = position_params(a)
    total = embedding + output + position + blocks + final_norm_params(a)
    matmul = total - position - (0 if a.tied else embedding)
    return {"total": total, "embedding": embedding, "output": output, "position": position, "blocks": blocks,
            "matmul": matmul, "non_embedding": total - position - embedding - output}


def attention_flops_per_token(a: Arch) -> int:
    """12 x L x H x Q x T: QK^T and AV over the full T x T matrix, forward and backward (nanoGPT, PaLM)."""
    return 12 * a.n_layer * a.n_head * a.head_dim * a.block_size


def flops_per_token(a: Arch) -> int:
    """Training FLOPs per token, forward + backward: 6 N_matmul + 12 L H Q T (see the module's docstring)."""
    if a.model_type == "gpt2" and block_params(a) == nanogpt.block_params(a.n_embd, a.bias):
        n = nanogpt.num_params(a.n_layer, a.n_embd, a.vocab_size, a.block_size, a.bias)
        return nanogpt.flops_per_token(n, a.n_layer, a.n_head, a.n_embd, a.block_size)
    return 6 * params(a)["matmul"] + attention_flops_per_token(a)


def from_inputs(v: dict) -> Arch:
    """The architecture of validated inputs (schema field names)."""
    return Arch(v.get("model_type", "gpt2"), v["n_layer"], v["n_head"], v["n_embd"], v["vocab_size"],
                v["block_size"], v.get("bias", False), v.get("n_kv_head"), v.get("intermediate_size"),
                v.get("tie_word_embeddings"))


def act_scale(a: Arch) -> float:
    """A layer's activations (and element-wise traffic) over a GPT-2 layer's of the same width. Korthikanti et al.
    2022 ("Reducing Activation Recomputation in Large Transformer Models", section 4.1) count 34 x s x b x h bytes a
    layer without the attention scores: 15 for the LayerNorms and attention, 19 for the MLP with its 4h hidden width
    (two 4h tensors kept for the backward, GELU's input and output). The MLP part scales with the hidden width, and
    SwiGLU keeps three hidden tensors (gate, up, their product) instead of two."""
    mlp = a.ffn / (4 * a.n_embd) * (1.5 if a.family == "llama" else 1.0)
    return (15 + 19 * mlp) / 34
