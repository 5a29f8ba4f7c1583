"""NVIDIA NeMo (and NeMo 2 / Megatron-Bridge recipes): ``train_step_timing in s``.

NeMo's progress line ``Training epoch 0, iteration 120/149 | lr: 3e-05 | … | global_step: 120 |
reduced_train_loss: 1.233 | train_step_timing in s: 0.03146 | val_loss: 4.106`` and its Lightning bar postfix
``…, reduced_train_loss=1.23, global_step=120.0, train_step_timing in s=0.0315]`` give one optimizer step's time in
seconds (NeMo's timer around the training step). ``val_loss`` repeats the last validation's value on every line, so
it is not an evaluation event.

The model's shape is read from the experiment configuration NeMo's training scripts log at start-up
(``************** Experiment configuration ***********`` then ``OmegaConf.to_yaml(cfg)``, one ``key: value`` per
line, e.g. examples/nlp/language_modeling/megatron_gpt_pretraining.py): under ``model:`` num_layers, hidden_size,
ffn_hidden_size, num_attention_heads, num_query_groups, encoder_seq_length, activation (a SwiGLU makes it a
Llama-style model, else rope positions a GPT-NeoX-style one, else GPT-2's), share_embeddings_and_output_weights,
bias, the parallel degrees, micro_batch_size and global_batch_size; under ``trainer:`` devices x num_nodes the GPUs.
The vocabulary comes from NeMo's ``Padded vocab_size: 50304, original vocab_size: 50257, dummy tokens: 47.`` (NeMo
and NeMo 2). A mixture of experts (num_moe_experts) states no shape.
"""

from __future__ import annotations

import re

from ._base import NUM, Format, IterRecord, State, flag, num, pos, state, state_batch, state_shape, w, whole

FORMATS = (
    Format("nemo", "NeMo (NVIDIA NeMo, NeMo 2 recipes)",
           "Training epoch 0, iteration 120/149 | lr: 3e-05 | global_step: 120 | reduced_train_loss: 1.233 | "
           "train_step_timing in s: 0.03146",
           "one line per optimizer step (global_step); train_step_timing is that step's time in seconds",
           "median of the steps left after the warm-up steps and spikes"),
)

_TIMING = re.compile(r"train_step_timing in s\s{0,4}[:=]\s{0,4}" + NUM)
_GSTEP = re.compile(r"global_step\s{0,4}[:=]\s{0,4}(\d{1,12})(?:\.0{1,4})?(?![\d.])")
_ITER = re.compile(w("iteration") + r"\s{1,4}(\d{1,12})\s{0,4}/\s{0,4}(\d{1,12})")
_LOSS = re.compile(r"train_loss\s{0,4}[:=]\s{0,4}" + NUM)


_PADDED = re.compile(r"padded vocab_size:\s{0,4}(\d{1,12}),")
_KEYS = ("num_layers", "hidden_size", "ffn_hidden_size", "num_attention_heads", "num_query_groups",
         "encoder_seq_length", "activation", "share_embeddings_and_output_weights", "position_embedding_type", "bias",
         "micro_batch_size", "global_batch_size", "tensor_model_parallel_size", "pipeline_model_parallel_size",
         "context_parallel_size", "devices", "num_nodes", "num_moe_experts")
_YAML = re.compile(r"(?<![a-z0-9_])(" + "|".join(_KEYS) + r"):\s{1,4}([a-z0-9_.-]{1,40})\s{0,4}$")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "train_step_timing" not in low:
        if "nemo-config" in st.prev and ":" in low:
            m = _YAML.search(low)
            if m is not None and low[:m.start()].strip(" 0123456789:") == "":  # only indentation (or "0: ")
                st.prev["nemo-config"][0].setdefault(m.group(1), m.group(2))
                return True
        if "experiment configuration" in low:
            st.prev.setdefault("nemo-config", ({},))
            return True
        if "padded vocab_size" in low:
            m = _PADDED.search(low)
            if m is not None:
                st.extra["nemo_padded_vocab"] = float(m.group(1))
                return True
        return None
    m = _TIMING.search(low)
    if m is None:
        return None
    v = pos(m.group(1))
    if v is None:
        return False
    g = _GSTEP.search(low) if "global_step" in low else None
    it = int(g.group(1)) if g is not None else None
    if it is None and "iteration" in low:
        im = _ITER.search(low)
        it = int(im.group(1)) if im is not None else None
    lm = _LOSS.search(low) if "train_loss" in low else None
    st.records.append(IterRecord(it, v * 1000.0, num(lm.group(1)) if lm else None, None, line_no, None, "nemo"))
    return True


def finish(st: State) -> None:
    """The logged experiment configuration (read key by key) as the shape and layout the log states."""
    got = st.prev.get("nemo-config")
    cfg: dict[str, str] = got[0] if got else {}
    if not cfg:
        return
    x = {k: whole(cfg.get(k)) for k in _KEYS}
    padded = st.extra.get("nemo_padded_vocab")
    if x["num_layers"] and x["hidden_size"] and x["num_attention_heads"] and not (x["num_moe_experts"] or 0) > 1:
        act = cfg.get("activation") or ""
        model_type = ("llama" if "swiglu" in act else "gpt_neox" if cfg.get("position_embedding_type") == "rope"
                      else "gpt2")
        state_shape(st, "model_type", model_type)
        state_shape(st, "n_layer", x["num_layers"])
        state_shape(st, "n_embd", x["hidden_size"])
        state_shape(st, "n_head", x["num_attention_heads"])
        state_shape(st, "n_kv_head", x["num_query_groups"])
        state_shape(st, "intermediate_size", x["ffn_hidden_size"])
        state_shape(st, "vocab_size", int(padded) if padded else None)
        state_shape(st, "block_size", x["encoder_seq_length"])
        state_shape(st, "tie_word_embeddings", flag(cfg.get("share_embeddings_and_output_weights")))
        if model_type == "gpt2":
            state_shape(st, "bias", flag(cfg.get("bias")))
    state_shape(st, "tensor_parallel", x["tensor_model_parallel_size"])
    state_shape(st, "pipeline_parallel", x["pipeline_model_parallel_size"])
    state_shape(st, "context_parallel", x["context_parallel_size"])
    if x["devices"]:
        state(st, "num_gpus", float(x["devices"] * (x["num_nodes"] or 1)))
    state_batch(st, x["micro_batch_size"], x["global_batch_size"], x["encoder_seq_length"])
