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

per_gpu computes this for one GPU of any layout (one GPU with DDP: the whole of it); the sharded parts are there.

torch.cuda.max_memory_allocated() (what the calibration measured) counts neither the CUDA context (~0.5 GB on
recent drivers, an estimate) nor the caching allocator's fragmentation, so both are added before the verdict.
"""

from __future__ import annotations

GIB = 2**30

CUDA_CONTEXT_GIB = 0.5  # estimate: context + cuBLAS/cuDNN workspaces, not seen by max_memory_allocated()
FRAGMENTATION = 0.10  # estimate: caching-allocator slack on top of the peak allocation
TIGHT_SHARE = 0.90  # above this share of the card, out-of-memory becomes likely with any other process around


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


RECOMPUTE = {"none": 0.0, "selective": 0.5, "full": 1.0}  # share of the forward run again (speed.Workload.recompute)


def per_gpu(params_total: int, layout, n_layer: int, n_embd: int, vocab_size: int, layer_params: int,
            tokens_per_micro: int, act_scale: float, dtype: str, compile_: bool, checkpointing: str,
            constants: dict) -> dict:
    """Memory of one GPU of a parallel layout (calculator.parallel.Layout), in GiB.

    S = params_total / (tensor x pipeline) parameters live on a GPU before data-parallel sharding. Each sharding
    keeps, in bytes per parameter (mixed precision as PyTorch does it: fp32 weights, fp32 gradients, AdamW's two fp32
    moments; Rajbhandari et al. 2020, "ZeRO", section 5):

        ddp   4 S weights, 4 S gradients, 8 S optimizer states
        zero1 optimizer states / dp;  zero2 and gradients / dp;  fsdp and weights / dp (ZeRO stage 3), plus the
              bf16 copies of the layers being gathered (two layers: the one computing and the one prefetched;
              under pipeline parallelism the whole stage, kept gathered for the iteration)
        hsdp  as fsdp, sharded over the GPUs of a node only

    Activations: a GPU keeps n_layer / pipeline layers of tokens_per_micro / context tokens, / tensor (sequence
    parallel), x act_scale (calculator.arch); the first pipeline stage holds min(stages, micro-steps) micro-batches in
    flight (1F1B). Checkpointing keeps a layer's bf16 input instead of its activations (full: every layer, plus one
    layer's whole set while it is recomputed; selective: every second layer, torchtitan's default). The logits sit
    on the last stage, split by tensor (vocabulary parallel) and context."""
    m = constants["memory"]["compile" if compile_ else "eager"]
    width = 2.0 if dtype == "float32" else 1.0
    lay = layout
    s = params_total / (lay.tp * lay.pp)
    dp = lay.dp
    shard = dp
    if lay.sharding == "hsdp":
        shard = max(1, min(dp, lay.gpus_per_node // (lay.tp * lay.cp)))
    weights, grads, optim = 4 * s, 4 * s, 8 * s
    gathered = 0.0
    if lay.sharding in ("zero1", "zero2", "fsdp", "hsdp"):
        optim /= shard
    if lay.sharding in ("zero2", "fsdp", "hsdp"):
        grads /= shard
    if lay.sharding in ("fsdp", "hsdp") and shard > 1:
        weights /= shard
        # two layers' weights in bf16 while gathered; under pipeline parallelism the stage's, for the iteration
        gathered = 2 * s if lay.pp > 1 else 2 * 2 * layer_params / lay.tp
    tokens = tokens_per_micro / lay.cp
    layers = n_layer / lay.pp
    in_flight = min(lay.pp, lay.micro_steps) if lay.pp > 1 else 1
    per_layer = tokens * n_embd * m["act_bytes"] * act_scale * width / lay.tp
    checkpoint = tokens * n_embd * 2 / lay.tp  # a layer's bf16 input
    kept = RECOMPUTE.get(checkpointing, 0.0)
    act_layers = in_flight * layers * (kept * checkpoint + (1 - kept) * per_layer) + (per_layer if kept else 0.0)
    logits = tokens * vocab_size * m["logit_bytes"] * width / lay.tp
    peak = weights + grads + optim + gathered + act_layers + logits
    return {
        "weights_gib": weights / GIB,
        "gradients_gib": grads / GIB,
        "optimizer_gib": optim / GIB,
        "gathered_gib": gathered / GIB,
        "activations_gib": act_layers / GIB,
        "logits_gib": logits / GIB,
        "peak_allocated_gib": peak / GIB,
    }
