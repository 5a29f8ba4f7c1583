"""pytorch/torchtitan train.py: ``step: 22  loss:  6.2250  memory:  1.41GiB(1.79%)  tps: 193,831  tflops: 18.36
mfu: 1.86%``.

The line carries no time. It is logged every ``log_freq`` steps, prefixed with a millisecond timestamp
(``[rank0]:[titan] 2025-03-12 11:10:21,511 - root - INFO - step: 22 …``), so the time per step is the difference
of two consecutive lines' timestamps over the difference of their steps (an average over the log interval). Without
timestamps it is tokens per step over ``tps`` (tokens per second per GPU), tokens per step being the local batch
size times the sequence length that torchtitan prints at the start (``Training starts at step 1, with local batch
size 8, global batch size 64, sequence length 2048``). ``mfu`` is torchtitan's own, against its peak. ``tps`` is
per GPU of all: a rank's tokens over the interval's time × tp × pp × cp (components/metrics.py), so with a device
mesh that splits the model the tokens per step are divided by ``tps`` × those degrees.

The model's shape is read from the line torchtitan's train.py logs before it builds the model, ``Building llama3 8B
with ModelArgs(dim=4096, n_layers=32, n_heads=32, n_kv_heads=8, vocab_size=128256, multiple_of=1024,
ffn_dim_multiplier=1.3, norm_eps=1e-05, rope_theta=500000, max_seq_len=8192, …)`` (the dataclass's repr; the class
is ``TransformerModelArgs`` in later versions; vocab_size and max_seq_len are the tokenizer's and the training
sequence length, set before the line is logged), for the dense Llama models (``llama2``, ``llama3``). The SwiGLU width
is not printed: it follows torchtitan's (and Meta's) FeedForward rule from dim, multiple_of and ffn_dim_multiplier
(``ffn_width``). The output layer is never tied to the embedding. ``Model llama3 8B size: 8,030,261,248 total
parameters`` states the parameters, and ``Building 2-D device mesh with ['dp_shard', 'tp'], [4, 2]``
(parallel_dims.py) the GPUs (the product) and the tensor, pipeline and context degrees (``tp``, ``pp``, ``cp``).
The ``Training starts`` line states the sequence length, the global batch (tokens per optimizer step) and the local
batch: one rank's micro-batch (the schema's batch_size).
"""

from __future__ import annotations

import re

from ..facts import fact
from ._base import (
    INTERVAL,
    NUM,
    STEP,
    Format,
    IterRecord,
    State,
    integer,
    mfu,
    num,
    pos,
    state,
    state_shape,
    timestamp,
    w,
    whole,
)

FORMATS = (
    Format("torchtitan", "torchtitan (pytorch/torchtitan)",
           "[rank0]:[titan] 2025-03-12 11:10:21,511 - root - INFO - step: 22  loss:  6.2250  memory:  1.41GiB(1.79%)"
           "  tps: 193,831  tflops: 18.36  mfu: 1.86%",
           "one line every log_freq optimizer steps, without a time: the time per step is the timestamps' "
           "difference over the steps between lines (an interval average), else tokens per step ÷ tps",
           "median of the per-interval times left after the warm-up steps and spikes", intervals=True),
)

_STEP = re.compile(w("step") + r":\s{0,4}(\d{1,12})\s{1,8}loss:\s{0,4}" + NUM)
_TPS = re.compile(r"tps:\s{0,4}([0-9][0-9,]{0,20})")
_MFU = re.compile(r"mfu:\s{0,4}" + NUM + r"\s{0,2}%")
_SETUP = re.compile(r"local batch size\s{0,4}(\d{1,9}).{0,80}?sequence length\s{0,4}(\d{1,9})")
_GLOBAL = re.compile(r"global batch size\s{0,4}(\d{1,9})")
_BUILD = re.compile(r"building (llama[23])[a-z0-9_.-]{0,8} [^ ]{1,40} with [a-z0-9_]{0,40}modelargs\(")
_ARG = re.compile(r"([a-z_]{1,30})=([^,()]{1,40})")
_MESH = re.compile(r"device mesh with \[([a-z_', ]{1,120})\],\s{0,4}\[([0-9, ]{1,80})\]")
_MESH_DEGREES = {"tp": "tensor_parallel", "pp": "pipeline_parallel", "cp": "context_parallel"}
_SIZE = re.compile(r"size:\s{0,4}([0-9][0-9,]{0,24})\s{0,4}total parameters")
# ModelArgs' field -> the schema's name
_DIMS = {"dim": "n_embd", "n_layers": "n_layer", "n_heads": "n_head", "n_kv_heads": "n_kv_head",
         "vocab_size": "vocab_size", "max_seq_len": "block_size"}
MAX_MULTIPLIER = 64.0  # an ffn_dim_multiplier beyond this is not a model's (Llama 3 uses 1.3, 405B 1.2)


def ffn_width(dim: int, multiple_of: int, multiplier: float | None) -> int:
    """The SwiGLU hidden width of torchtitan's FeedForward (torchtitan/models/llama/model.py, the rule of Meta's
    llama model.py): 2/3 of 4 x dim, times ffn_dim_multiplier if given, rounded up to a multiple of multiple_of.
    Llama 3 8B: dim 4096, 1.3, 1024 -> 14336."""
    hidden = int(2 * (4 * dim) / 3)
    if multiplier is not None:
        hidden = int(multiplier * hidden)
    return multiple_of * ((hidden + multiple_of - 1) // multiple_of)


def _model_args(low: str, m: re.Match, st: State) -> None:
    args: dict[str, str] = {}
    for a in _ARG.finditer(low, m.end()):
        args.setdefault(a.group(1), a.group(2).strip())
    dims = {key: whole(args.get(field)) for field, key in _DIMS.items()}
    if not (dims["n_embd"] and dims["n_layer"] and dims["n_head"]):
        return
    state_shape(st, "model_type", "llama")
    for key, v in dims.items():
        state_shape(st, key, v)
    multiple_of = whole(args.get("multiple_of")) or 256  # ModelArgs' default
    mult = pos(args.get("ffn_dim_multiplier")) if args.get("ffn_dim_multiplier") not in (None, "none") else None
    if mult is None or mult <= MAX_MULTIPLIER:
        state_shape(st, "intermediate_size", ffn_width(dims["n_embd"], multiple_of, mult))
    state_shape(st, "tie_word_embeddings", False)  # torchtitan's Llama: a separate output Linear
    if dims["block_size"]:
        state(st, "seq_len", float(dims["block_size"]))


def _mesh(m: re.Match, st: State) -> None:
    names = [n.strip(" '") for n in m.group(1).split(",")]
    dims = [whole(d) for d in m.group(2).split(",")]
    if len(names) != len(dims) or not all(dims):
        return
    gpus = replica = 1
    for name, d in zip(names, dims, strict=True):
        gpus *= d  # type: ignore[operator]
        if name in _MESH_DEGREES:
            state_shape(st, _MESH_DEGREES[name], d)
            replica *= d  # type: ignore[operator]
    if gpus <= 10 ** 7:
        state(st, "num_gpus", float(gpus))
        st.extra.setdefault("torchtitan_non_dp", float(replica))


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "step:" not in low or "loss:" not in low:
        if "local batch size" in low and "sequence length" in low:
            m = _SETUP.search(low)
            if m is not None:
                st.extra["torchtitan_tokens_per_step"] = float(int(m.group(1)) * int(m.group(2)))
                state(st, "seq_len", float(m.group(2)))
                # the local batch is the dataloader's batch of one data-parallel rank, per forward (micro-step):
                # train.py divides the global batch by local batch x data-parallel degree for its accumulation steps
                state_shape(st, "batch_size", whole(m.group(1)))
                g = _GLOBAL.search(low)
                if g is not None:
                    state(st, "global_batch", float(g.group(1)))
                    state(st, "tokens_per_step", float(int(g.group(1)) * int(m.group(2))))
                return True
        if "modelargs(" in low and "building" in low:
            m = _BUILD.search(low)
            if m is not None:
                _model_args(low, m, st)
                return True
        if "device mesh with" in low:
            m = _MESH.search(low)
            if m is not None:
                _mesh(m, st)
                return True
        if "total parameters" in low and "size:" in low:
            m = _SIZE.search(low)
            if m is not None:
                v = whole(m.group(1))
                state(st, "params", float(v) if v else None)
                return True
        return None
    m = _STEP.search(low)
    if m is None:
        return None
    tm = _TPS.search(low, m.end())
    if tm is None and "tflops" not in low and "memory" not in low:
        return None
    step = int(m.group(1))
    tps = integer(tm.group(1)) if tm is not None else None
    mm = _MFU.search(low, m.end())
    mfu_v = mfu(mm.group(1)) if mm is not None else None
    ts = timestamp(low)
    prev = st.prev.get("torchtitan")
    st.prev["torchtitan"] = (step, ts)
    ms = None
    span = 1
    if ts is not None and prev is not None and prev[1] is not None and step > prev[0] and ts > prev[1]:
        span = step - prev[0]
        ms = (ts - prev[1]) * 1000.0 / span
        st.notes.setdefault("torchtitan", fact("lognote.timestamps"))
    elif ts is None and tps:
        tok = st.extra.get("torchtitan_tokens_per_step")
        if tok:
            # tps is a rank's tokens over (time x tp x pp x cp): per GPU of all, not per data-parallel rank
            # (torchtitan/components/metrics.py: ntokens / (time_delta * parallel_dims.non_data_parallel_size))
            replica = st.extra.get("torchtitan_non_dp", 1.0)
            ms = tok / (tps * replica) * 1000.0
            st.notes.setdefault("torchtitan", fact("lognote.torchtitan_tps_mesh", n=int(replica)) if replica > 1
                                else fact("lognote.torchtitan_tps"))
    if ms is None:
        if ts is None and not st.extra.get("torchtitan_tokens_per_step"):
            st.notes.setdefault("torchtitan", fact("lognote.torchtitan_no_time"))
        return True
    st.records.append(IterRecord(step, ms, num(m.group(2)), mfu_v, line_no, float(tps) if tps else None,
                                 "torchtitan", STEP if span == 1 else INTERVAL, span))
    return True
