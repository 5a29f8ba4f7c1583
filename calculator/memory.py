"""GPU memory of a nanoGPT training run, per GPU, against the card's capacity.

    static      = 16 bytes x all parameters: fp32 weights (4) + fp32 gradients (4) + AdamW's two fp32 moments (8)
                  (mixed precision as nanoGPT does it: autocast keeps the master weights in fp32)
    activations = tokens per micro-step x (n_layer x n_embd x act_bytes + vocab_size x logit_bytes) x width
                  the form of Korthikanti et al. 2022 ("Reducing Activation Recomputation in Large Transformer
                  Models", eq. 1: s*b*h*(34 + 5*a*s/h) bytes per layer), with the 5as/h attention-score term gone
                  (PyTorch's scaled_dot_product_attention uses flash attention, which never stores the T x T
                  scores), plus the logits and the cross-entropy's copies of them, which dominate small GPTs with
                  GPT-2's 50k vocabulary. act_bytes and logit_bytes are fitted on the H100 peak_mem_gib measurements
                  (tools/calibrate.py); width = 2 for float32 (no autocast), 1 otherwise.
    need        = (static + activations) x (1 + fragmentation) + CUDA context, compared with the card's memory.

torch.cuda.max_memory_allocated() (what the calibration measured) counts neither the CUDA context (~0.5 GB on
recent drivers, an estimate) nor the caching allocator's fragmentation, so both are added before the verdict.
"""

from __future__ import annotations

GIB = 2**30

STATIC_BYTES_PER_PARAM = 16
CUDA_CONTEXT_GIB = 0.5  # estimate: context + cuBLAS/cuDNN workspaces, not seen by max_memory_allocated()
FRAGMENTATION = 0.10  # estimate: caching-allocator slack on top of the peak allocation
TIGHT_SHARE = 0.90  # above this share of the card, out-of-memory becomes likely with any other process around


def training_memory(params_total: int, n_layer: int, n_embd: int, vocab_size: int, tokens_per_micro: int,
                    dtype: str, compile_: bool, constants: dict) -> dict:
    m = constants["memory"]["compile" if compile_ else "eager"]
    width = 2.0 if dtype == "float32" else 1.0
    static = params_total * STATIC_BYTES_PER_PARAM
    act_layers = tokens_per_micro * n_layer * n_embd * m["act_bytes"] * width
    logits = tokens_per_micro * vocab_size * m["logit_bytes"] * width
    peak = static + act_layers + logits
    return {
        "weights_gib": params_total * 4 / GIB,
        "gradients_gib": params_total * 4 / GIB,
        "optimizer_gib": params_total * 8 / GIB,
        "activations_gib": act_layers / GIB,
        "logits_gib": logits / GIB,
        "peak_allocated_gib": peak / GIB,
    }


def verdict(peak_allocated_gib: float, capacity_gb: float) -> dict:
    """fits / tight / does not fit, on the card's memory (datasheets give GB; GiB = 1.074 GB)."""
    capacity_gib = capacity_gb * 1e9 / GIB
    need = peak_allocated_gib * (1 + FRAGMENTATION) + CUDA_CONTEXT_GIB
    share = need / capacity_gib
    if share <= TIGHT_SHARE:
        word = "fits"
    elif share <= 1.0:
        word = "tight"
    else:
        word = "does not fit"
    return {"memory_need_gib": need, "memory_capacity_gib": capacity_gib, "memory_share": share,
            "memory_verdict": word, "fits_in_memory": word != "does not fit"}
