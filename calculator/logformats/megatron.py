"""NVIDIA/Megatron-LM and Megatron-DeepSpeed ``training_log``: ``iteration 100/ 1000 | consumed samples: … |
elapsed time per iteration (ms): 1234.5 | … | number of skipped iterations: 0 | …``.

The elapsed time is an average over the log interval (``--log-interval`` iterations since the previous line), each
iteration an optimizer step of one global batch. Lines may carry a ``[YYYY-MM-DD HH:MM:SS]`` timestamp or a
``[host:rank]:`` prefix. Iterations skipped by the fp16 loss scaler (``number of skipped iterations: N``) still ran
forward and backward; an interval where every iteration was skipped (the first, while the loss scale settles) is
left out. ``validation loss at iteration N`` and ``saving checkpoint at iteration N`` mark the interval printed next
as carrying the evaluation or the save.

The model's shape and the run's layout are read from the argument dump Megatron prints at start-up (``print_args`` in
megatron/training/arguments.py, megatron/arguments.py in older versions and Megatron-DeepSpeed): between ``--------
arguments --------`` and ``---- end of arguments ----``, one ``  name ........ value`` line per argument, sorted by
name. num_layers, hidden_size, num_attention_heads, ffn_hidden_size, seq_length and padded_vocab_size give the shape;
num_query_groups gives the key/value heads where group_query_attention is on (Megatron-DeepSpeed:
num_key_value_heads); swiglu makes it a Llama-style model, else rope positions a GPT-NeoX-style one, else GPT-2's
(learned positions, add_bias_linear); untie_embeddings_and_output_weights unties the output layer. The parallel
degrees, micro_batch_size, global_batch_size and world_size (or data_parallel_size x the degrees) give the layout.
A mixture of experts (num_experts) states no shape: its FLOPs are not a dense model's. ``> padded vocab (size: 50257)
with 47 dummy tokens (new size: 50304)`` gives the vocabulary where the dump does not.
"""

from __future__ import annotations

import re

from ._base import (
    INTERVAL,
    NUM,
    Format,
    IterRecord,
    State,
    add_eval,
    flag,
    num,
    pos,
    state,
    state_batch,
    state_shape,
    w,
    whole,
)

FORMATS = (
    Format("megatron", "Megatron-LM, Megatron-DeepSpeed",
           "iteration      100/    1000 | consumed samples:         1600 | elapsed time per iteration (ms): 869.1 | "
           "learning rate: 9.892558E-05 | global batch size:    16 | lm loss: 7.514787E+00 | "
           "number of skipped iterations:   0 |",
           "one line per log interval; its time is the average over the interval's iterations (optimizer steps)",
           "median of the intervals left after the first interval of a run, the interval after each evaluation or "
           "checkpoint save, intervals of skipped iterations only, and spikes", intervals=True),
)

_ITER = re.compile(w("iteration") + r"\s{1,16}(\d{1,12})\s{0,4}/\s{0,16}(\d{1,12})\s{0,4}\|")
_ELAPSED = re.compile(r"elapsed time per iteration \(ms\):\s{0,8}" + NUM)
_LOSS = re.compile(r"lm loss:\s{0,8}" + NUM)
_SKIPPED = re.compile(r"skipped iterations:\s{0,8}(\d{1,12})")
_TFLOPS = re.compile(r"tflops:\s{0,8}" + NUM)
_VAL = re.compile(r"validation loss at iteration\s{1,8}(\d{1,12})\s{0,4}\|[^|]{0,80}?loss value:\s{0,8}" + NUM)
_CKPT = re.compile(r"saving checkpoint at iteration\s{1,8}(\d{1,12})")


_PADDED = re.compile(r"padded vocab \(size:\s{0,4}\d{1,12}\) with\s{0,4}\d{1,12} dummy tokens "
                     r"\(new size:\s{0,4}(\d{1,12})\)")
# the argument dump's names that say what the model and the run are
_ARGS = frozenset({
    "num_layers", "hidden_size", "num_attention_heads", "num_query_groups", "group_query_attention",
    "num_key_value_heads", "ffn_hidden_size", "seq_length", "padded_vocab_size", "vocab_size", "swiglu",
    "position_embedding_type", "add_bias_linear", "untie_embeddings_and_output_weights", "num_experts",
    "tensor_model_parallel_size", "pipeline_model_parallel_size", "context_parallel_size", "micro_batch_size",
    "global_batch_size", "world_size", "data_parallel_size"})


def _arg(low: str, st: State) -> bool:
    """One ``  name ........ value`` line of the argument dump with a name in _ARGS (others are left to the formats
    further down: DeepSpeed's configuration dump looks the same); True if it is one."""
    i = low.find(" ..")
    head = low[:i].rstrip()
    name = head[head.rfind(" ") + 1:]
    j = i + 1
    while j < len(low) and low[j] == ".":
        j += 1
    if j - i < 3 or j >= len(low) or low[j] != " " or name not in _ARGS:
        return False
    args = st.prev.setdefault("megatron-args", ({},))[0]
    args.setdefault(name, low[j + 1:].strip())
    return True


def parse(low: str, line_no: int, st: State) -> bool | None:
    if " .." in low and "iteration" not in low:
        if _arg(low, st):
            return True
    if "padded vocab" in low:
        m = _PADDED.search(low)
        if m is not None:
            st.extra["megatron_padded_vocab"] = float(m.group(1))
            return True
    if "iteration" not in low:
        if "arguments ----" in low:
            return True
        if "(min, max) time across ranks" in low:
            return True
        return None
    if "elapsed time per iteration" in low:
        m = _ITER.search(low)
        if m is None:
            return None
        it, total = int(m.group(1)), int(m.group(2))
        if total > 0:
            st.hint_steps = total
        e = _ELAPSED.search(low, m.end())
        ms = pos(e.group(1)) if e is not None else None
        if ms is None:
            return False
        prev = st.prev.get("megatron")
        span = it - prev[0] if prev is not None and it > prev[0] else 0
        st.prev["megatron"] = (it,)
        sk = _SKIPPED.search(low, m.end()) if "skipped" in low else None
        skipped = int(sk.group(1)) if sk is not None else 0
        lm = _LOSS.search(low, m.end()) if "lm loss" in low else None
        rec = IterRecord(it, ms, num(lm.group(1)) if lm else None, None, line_no, None, "megatron", INTERVAL,
                         span or 0)
        if skipped and (span and skipped >= span or lm is None):
            st.skipped_intervals.append(line_no)
        st.records.append(rec)
        return True
    if "validation loss at iteration" in low:
        m = _VAL.search(low)
        if m is not None:
            add_eval(st, "megatron", int(m.group(1)), line_no, None, num(m.group(2)))
            return True
    if "checkpoint" in low and "saving checkpoint at iteration" in low:
        m = _CKPT.search(low)
        if m is not None:
            st.checkpoints.append({"iteration": int(m.group(1)), "line_no": line_no})
            return True
    if "successfully saved checkpoint" in low:
        return True
    return None


def finish(st: State) -> None:
    """The argument dump (read line by line) as the shape and layout the log states."""
    got = st.prev.get("megatron-args")
    args: dict[str, str] = got[0] if got else {}
    x = {k: whole(args.get(k)) for k in ("num_layers", "hidden_size", "num_attention_heads", "num_query_groups",
                                         "num_key_value_heads", "ffn_hidden_size", "seq_length", "padded_vocab_size",
                                         "vocab_size", "tensor_model_parallel_size", "pipeline_model_parallel_size",
                                         "context_parallel_size", "micro_batch_size", "global_batch_size",
                                         "world_size", "data_parallel_size", "num_experts")}
    padded = st.extra.get("megatron_padded_vocab")
    vocab = x["padded_vocab_size"] or (int(padded) if padded else None) or x["vocab_size"]
    if x["num_layers"] and x["hidden_size"] and x["num_attention_heads"] and not (x["num_experts"] or 0) > 1:
        swiglu = flag(args.get("swiglu"))
        rope = (args.get("position_embedding_type") or "").strip("'\"") == "rope"
        model_type = "llama" if swiglu else "gpt_neox" if rope else "gpt2"
        state_shape(st, "model_type", model_type)
        state_shape(st, "n_layer", x["num_layers"])
        state_shape(st, "n_embd", x["hidden_size"])
        state_shape(st, "n_head", x["num_attention_heads"])
        kv = x["num_query_groups"] if flag(args.get("group_query_attention")) else x["num_key_value_heads"]
        state_shape(st, "n_kv_head", kv)
        state_shape(st, "intermediate_size", x["ffn_hidden_size"])
        state_shape(st, "vocab_size", vocab)
        state_shape(st, "block_size", x["seq_length"])
        untie = flag(args.get("untie_embeddings_and_output_weights"))
        state_shape(st, "tie_word_embeddings", None if untie is None else not untie)
        if model_type == "gpt2":
            state_shape(st, "bias", flag(args.get("add_bias_linear")))
    elif vocab and st.stated.get("vocab_size") is None and st.stated.get("n_layer"):
        state_shape(st, "vocab_size", vocab)
    if not args:
        return
    tp, pp, cp = (x[k] for k in ("tensor_model_parallel_size", "pipeline_model_parallel_size",
                                 "context_parallel_size"))
    state_shape(st, "tensor_parallel", tp)
    state_shape(st, "pipeline_parallel", pp)
    state_shape(st, "context_parallel", cp)
    gpus = x["world_size"] or (x["data_parallel_size"] * (tp or 1) * (pp or 1) * (cp or 1)
                               if x["data_parallel_size"] else None)
    state(st, "num_gpus", float(gpus) if gpus else None)
    state_batch(st, x["micro_batch_size"], x["global_batch_size"], x["seq_length"])
