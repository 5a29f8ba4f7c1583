"""nanoGPT's own arithmetic: parameter counts and FLOPs, exactly as karpathy/nanoGPT model.py computes them.

References (karpathy/nanoGPT, model.py):
- GPT.get_num_params(non_embedding=True): all parameters, minus the position embedding (wpe); the token embedding
  (wte) is counted once because it is tied to lm_head (`self.transformer.wte.weight = self.lm_head.weight`).
- GPT.estimate_mfu(fwdbwd_per_iter, dt): "see PaLM paper Appendix B" (Chowdhery et al. 2022):
      flops_per_token = 6*N + 12*L*H*Q*T,   N = get_num_params(), Q = n_embd // n_head, T = block_size
      flops_per_fwdbwd = flops_per_token * T
      flops_per_iter = flops_per_fwdbwd * fwdbwd_per_iter
  and train.py calls it with fwdbwd_per_iter = batch_size * gradient_accumulation_steps, where
  gradient_accumulation_steps has already been divided by the DDP world size: the printed MFU is per GPU.
"""

from __future__ import annotations


def block_params(n_embd: int, bias: bool) -> int:
    """One transformer Block: ln_1, attn (c_attn E->3E, c_proj E->E), ln_2, mlp (c_fc E->4E, c_proj 4E->E)."""
    e = n_embd
    weights = e * 3 * e + e * e + e * 4 * e + 4 * e * e  # = 12 E^2
    layernorm = 2 * e  # ln_1.weight, ln_2.weight
    biases = (3 * e + e + 4 * e + e + e + e) if bias else 0  # c_attn, attn.c_proj, c_fc, mlp.c_proj, ln_1, ln_2
    return weights + layernorm + biases


def num_params(n_layer: int, n_embd: int, vocab_size: int, block_size: int, bias: bool,
               non_embedding: bool = True) -> int:
    """GPT.get_num_params(): wte (tied with lm_head) + blocks + ln_f (+ wpe unless non_embedding)."""
    wte = vocab_size * n_embd
    wpe = block_size * n_embd
    ln_f = n_embd + (n_embd if bias else 0)
    total = wte + wpe + n_layer * block_params(n_embd, bias) + ln_f
    return total - wpe if non_embedding else total


def flops_per_token(n_params: int, n_layer: int, n_head: int, n_embd: int, block_size: int) -> int:
    """estimate_mfu's per-token training FLOPs (forward + backward): 6N + 12*L*H*Q*T."""
    q = n_embd // n_head
    return 6 * n_params + 12 * n_layer * n_head * q * block_size


def flops_per_iter(flops_token: int, block_size: int, batch_size: int, micro_steps: int) -> int:
    """estimate_mfu's flops_per_iter = flops_per_token * T * fwdbwd_per_iter (fwdbwd_per_iter = B * micro_steps)."""
    return flops_token * block_size * batch_size * micro_steps


# nanoGPT model.py estimate_mfu: `flops_promised = 312e12 # A100 GPU bfloat16 peak flops is 312 TFLOPS`.
# nanoGPT divides by this whatever GPU the run is on.
NANOGPT_PROMISED_FLOPS = 312e12

# nanoGPT train.py: `running_mfu = -1.0`, updated only `if local_iter_num >= 5`, and printed as mfu*100:
# so the first five logged iterations show "mfu -100.00%".
NANOGPT_MFU_PLACEHOLDER_ITERS = 5
