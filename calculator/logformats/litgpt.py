"""Lightning-AI/litgpt pretrain/finetune: ``iter N step M: loss L, iter time: T ms (optimizer.step)``.

``iter`` counts micro-steps (one micro-batch each) and ``step`` optimizer steps; with gradient accumulation a
line marked ``(optimizer.step)`` (``(step)`` in later versions) ends an optimizer step. Later versions print
``Epoch E | iter N step M | loss train: L, val: V | iter time: T ms (step) remaining time: 1:23:45``. Each line's
time is that micro-step's. The optimizer step's time is the sum of its micro-steps, so the ETA and the MFU use the
micro-steps' mean times the micro-steps per optimizer step (from the ``iter``/``step`` counters).

The model's shape is read from the config litgpt prints: lit-gpt's pretrain scripts ``Loading model with
{'name': 'tiny-llama-1.1b', …, 'n_layer': 22, 'n_head': 32, 'n_embd': 2048, …}`` (``config.__dict__``, one line) and
litgpt pretrain's ``pprint.pformat(hparams)`` of its setup arguments, where ``'model_config': {…}`` is the Config as a
dict, one key per line (litgpt/pretrain.py ``setup``; ``'train': {…}`` holds micro_batch_size, global_batch_size,
max_seq_length and tie_embeddings). n_layer, n_head, n_embd, n_query_groups, intermediate_size, padded_vocab_size
and block_size give the shape; the MLP class (``'mlp_class_name'``, ``'_mlp_class'`` in lit-gpt) the family:
LLaMAMLP a Llama-style model, GptNeoxMLP a GPT-NeoX one; the others (a mixture of experts, LLaMAMoE; Gemma, whose
head size is not n_embd / n_head) state no shape. litgpt ties the output layer only with tie_embeddings.
``Total parameters: 1,100,048,384`` states the parameters.
"""

from __future__ import annotations

import re

from ._base import (
    NUM,
    NUMU,
    Format,
    IterRecord,
    State,
    flag,
    num,
    pos,
    state,
    state_shape,
    w,
    whole,
)

FORMATS = (
    Format("litgpt", "litgpt (Lightning-AI/litgpt pretrain, finetune)",
           "iter 77 step 39: loss 10.8259, iter time: 214.40ms (optimizer.step)",
           "one line per micro-step (iter); step counts optimizer steps; the time is that micro-step's",
           "median of the micro-steps' times (the figure per iter); ETA and MFU use the mean micro-step time × "
           "micro-steps per optimizer step", micro_steps=True),
)

_LINE = re.compile(
    w("iter") + r"\s{1,8}(\d{1,12})\s{1,8}step\s{1,8}(\d{1,12})\s{0,4}[:|]"
)
_TIME = re.compile(r"iter time:\s{0,4}" + NUMU + r"\s{0,4}(ms|s)(?![a-z])")
_LOSS = re.compile(w("loss") + r"(?:\s{1,4}train)?\s{0,4}[:=]\s{0,4}" + NUM)
_VAL = re.compile(r"val:\s{0,4}" + NUM)


# the config's keys (single-quoted: a Python dict's repr) that say what the model and the run are
_KEYS = ("n_layer", "n_head", "n_embd", "n_query_groups", "intermediate_size", "padded_vocab_size", "block_size",
         "mlp_class_name", "_mlp_class", "bias", "micro_batch_size", "global_batch_size", "max_seq_length",
         "tie_embeddings", "devices")
_PAIR = re.compile(r"'(" + "|".join(_KEYS) + r")':\s{0,4}('[a-z0-9_.-]{0,40}'|[^,}\s]{1,40})")
_TOTAL = re.compile(r"total parameters:?\s{0,4}([0-9][0-9,]{0,24})(?![0-9,])")
_FAMILY = {"llamamlp": "llama", "gptneoxmlp": "gpt_neox"}


def _config(low: str, st: State) -> bool:
    cfg = st.prev.setdefault("litgpt-config", ({},))[0]
    found = False
    for m in _PAIR.finditer(low):
        cfg.setdefault(m.group(1), m.group(2).strip("'"))
        found = True
    return found


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "iter time" not in low:
        if "':" in low and _config(low, st):
            return True
        if "total parameters" in low:
            m = _TOTAL.search(low)
            if m is not None:
                v = whole(m.group(1))
                state(st, "params", float(v) if v else None)
                return True
        return None
    m = _LINE.search(low)
    if m is None:
        return None
    t = _TIME.search(low, m.end())
    if t is None:
        return None
    v = pos(t.group(1))
    if v is None:
        return False
    ms = v if t.group(2) == "ms" else v * 1000.0
    rest = low[m.end():]
    lm = _LOSS.search(rest) if "loss" in rest else None
    it, step = int(m.group(1)), int(m.group(2))
    st.records.append(IterRecord(it, ms, num(lm.group(1)) if lm else None, None, line_no, None, "litgpt",
                                 opt_step=step))
    return True


def finish(st: State) -> None:
    """The printed config (read pair by pair) as the shape and layout the log states."""
    got = st.prev.get("litgpt-config")
    cfg: dict[str, str] = got[0] if got else {}
    if not cfg:
        return
    x = {k: whole(cfg.get(k)) for k in ("n_layer", "n_head", "n_embd", "n_query_groups", "intermediate_size",
                                         "padded_vocab_size", "block_size", "micro_batch_size", "global_batch_size",
                                         "max_seq_length", "devices")}
    family = _FAMILY.get(cfg.get("mlp_class_name") or cfg.get("_mlp_class") or "")
    if family and x["n_layer"] and x["n_head"] and x["n_embd"]:
        state_shape(st, "model_type", family)
        for key, name in (("n_layer", "n_layer"), ("n_head", "n_head"), ("n_embd", "n_embd"),
                          ("n_kv_head", "n_query_groups"), ("intermediate_size", "intermediate_size"),
                          ("vocab_size", "padded_vocab_size")):
            state_shape(st, key, x[name])
        state_shape(st, "block_size", x["max_seq_length"] or x["block_size"])
        state_shape(st, "tie_word_embeddings", bool(flag(cfg.get("tie_embeddings"))))
    seq = x["max_seq_length"] or x["block_size"]
    state_shape(st, "batch_size", x["micro_batch_size"])
    glob = x["global_batch_size"]
    state(st, "global_batch", float(glob) if glob else None)
    if seq and glob:
        state(st, "seq_len", float(seq))
    state(st, "num_gpus", float(x["devices"]) if x["devices"] else None)
