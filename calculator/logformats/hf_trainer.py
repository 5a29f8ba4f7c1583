"""Hugging Face transformers Trainer.

Its tqdm bar ``  4%|▎   | 1295/36234 [11:25<5:08:37,  1.89it/s]`` counts optimizer steps (timing as any tqdm bar,
see progress_bars.py); its log dicts ``{'loss': 1.0692, 'learning_rate': …, 'epoch': 0.21}`` (keys single- or
double-quoted, values bare or quoted) carry no time and become evaluations (``loss`` as the training loss,
``eval_loss`` as the validation loss); the closing ``{'train_runtime': …, 'train_steps_per_second': S, …}`` is a
whole-run average, used only when there is nothing better; ``Total optimization steps = N`` is the run's length.
A pager shows the bar's carriage returns as a literal ``^M``.

The final summary also comes as the block ``trainer.log_metrics("train", metrics)`` prints (``***** train metrics
*****`` then ``  train_runtime            = 0:20:34.56``, ``  train_steps_per_second   =      0.405``, one per line).
Read from transformers/trainer_utils.py ``speed_metrics`` (v4.4-v4.57): ``train_runtime`` is rounded to 4 decimals,
``train_steps_per_second`` (the run's optimizer steps over it) to 3, so for a slow run (0.012 steps/s) the rate is
off by up to 4%: where the paste states the run's steps (``Total optimization steps = N``, or a ``TrainOutput
(global_step=N, …)``) and they agree with the rate, the time per step is ``train_runtime ÷ N`` instead. The whole
run's time includes the start-up, the evaluations and the checkpoint saves made during training.

The model's shape is read from the configuration transformers logs at INFO level when it loads a model
(configuration_utils.py ``PretrainedConfig.from_dict``: ``Model config LlamaConfig {`` then the config's JSON, one
``"key": value`` per line, to ``}``): model_type (llama, mistral, qwen2, gpt2, gpt_neox or mpt; any other states no
shape), num_hidden_layers, num_attention_heads, hidden_size, num_key_value_heads, intermediate_size, vocab_size and
tie_word_embeddings (GPT-2's n_layer, n_head, n_embd, n_inner; MPT's n_layers, n_heads, d_model, expansion_ratio).
The sequence length trained on is not in it (max_position_embeddings is the model's limit, not the run's).
"""

from __future__ import annotations

import re

from ..facts import fact
from ._base import NUM, WHOLE_RUN, Format, IterRecord, State, add_eval, flag, hms, integer, num, pos, state_shape, whole

FORMATS = (
    Format("hf-trainer", "Hugging Face Trainer (transformers)",
           "  4%|▎         | 1295/36234 [11:25<5:08:37,  1.89it/s]^M{'loss': 1.0692, 'learning_rate': 0.00029, "
           "'epoch': 0.21}",
           "the bar counts optimizer steps (its rate a running average); the log dicts carry losses, no time; "
           "train_steps_per_second is a whole-run average",
           "as for a tqdm bar; the whole-run train_steps_per_second only when there are no bar rates",
           eval_timed=False),
)

_DICT_PAIR = re.compile(r"['\"]([a-z_][\w/.]{0,60})['\"]\s{0,4}:\s{0,4}['\"]?" + NUM)
_TOTAL = re.compile(r"total optimization steps\s{0,4}=\s{0,4}(\d[\d,]{0,20})")
_GLOBAL_STEP = re.compile(r"global_step\s{0,2}=\s{0,2}(\d{1,12})")
_BLOCK = re.compile(r"^\s{0,8}(train_runtime|train_steps_per_second|train_loss)\s{0,40}=\s{0,8}([0-9:.e+-]{1,30})"
                    r"\s{0,4}$")


_CONFIG = re.compile(r"model config\s{1,4}[a-z0-9_]{0,60}config\s{0,4}\{\s{0,4}$")
_JSON_PAIR = re.compile(r'\s{0,16}"([a-z_][a-z0-9_]{0,60})":\s{0,4}("[a-z0-9_.-]{0,40}"|[^,\s]{1,40}),?\s{0,4}$')
# a config's keys -> the schema's names (GPT-2's and MPT's own names beside the common ones)
_HF_KEYS = {"model_type": "model_type", "num_hidden_layers": "n_layer", "n_layer": "n_layer", "n_layers": "n_layer",
            "num_attention_heads": "n_head", "n_head": "n_head", "n_heads": "n_head", "hidden_size": "n_embd",
            "n_embd": "n_embd", "d_model": "n_embd", "num_key_value_heads": "n_kv_head",
            "intermediate_size": "intermediate_size", "n_inner": "intermediate_size", "vocab_size": "vocab_size",
            "tie_word_embeddings": "tie_word_embeddings", "expansion_ratio": "expansion_ratio"}
HF_MODEL_TYPES = ("llama", "mistral", "qwen2", "gpt2", "gpt_neox", "mpt")  # the types calculator.arch counts


def _config_line(low: str, st: State) -> bool | None:
    """A line of the logged config's JSON: True if read (its closing brace settles it); None where the block ended
    without one (a cut paste): that line is left to the other readers."""
    cfg: dict[str, str] = st.prev["hf-config"][1]
    m = _JSON_PAIR.match(low)
    if m is not None:
        key = _HF_KEYS.get(m.group(1))
        if key:
            cfg.setdefault(key, m.group(2).strip('"'))
        return True
    text = low.strip()
    if text.startswith('"') or text in ("]", "],", "},"):  # inside a nested list or dict (architectures)
        return True
    del st.prev["hf-config"]
    _settle_config(st, cfg)
    return True if text == "}" else None


def _settle_config(st: State, cfg: dict[str, str]) -> None:
    if cfg.get("model_type") not in HF_MODEL_TYPES:
        return
    dims = {k: whole(cfg.get(k)) for k in ("n_layer", "n_head", "n_embd", "n_kv_head", "vocab_size")}
    if not (dims["n_layer"] and dims["n_head"] and dims["n_embd"]):
        return
    state_shape(st, "model_type", cfg["model_type"])
    for k, v in dims.items():
        state_shape(st, k, v)
    ffn = whole(cfg.get("intermediate_size"))
    ratio = whole(cfg.get("expansion_ratio"))
    state_shape(st, "intermediate_size", ffn or (ratio * dims["n_embd"] if ratio else None))
    state_shape(st, "tie_word_embeddings", flag(cfg.get("tie_word_embeddings")))


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "hf-config" in st.prev:
        r = _config_line(low, st)
        if r is not None:
            return r
    if "model config" in low and "{" in low:
        m = _CONFIG.search(low)
        if m is not None:
            st.prev["hf-config"] = (line_no, {})
            return True
    if "{" in low and ("loss" in low or "runtime" in low or "per_second" in low):
        d: dict[str, str] = {}
        for pm in _DICT_PAIR.finditer(low):
            d.setdefault(pm.group(1), pm.group(2))
        if d:
            sps = pos(d.get("train_steps_per_second"))
            if sps is not None:
                g = _GLOBAL_STEP.search(low) if "global_step" in low else None
                _whole_run(st, line_no, sps, pos(d.get("train_runtime")), num(d.get("train_loss")),
                           int(g.group(1)) if g else None)
                return True
            if "eval_loss" in d:
                st.hf_seen = True
                add_eval(st, "hf-trainer", integer(d.get("step")), line_no, None, num(d["eval_loss"]))
                return True
            if "loss" in d:
                st.hf_seen = True
                add_eval(st, "hf-trainer", integer(d.get("step")), line_no, num(d["loss"]), None)
                return True
            if "train_runtime" in d:
                st.hf_seen = True
                return True
    if "train_" in low and "=" in low:
        m = _BLOCK.match(low)
        if m is not None:
            key, val = m.groups()
            if key == "train_runtime":
                st.prev["hf-runtime"] = (hms(val),)
            elif key == "train_loss":
                st.prev["hf-loss"] = (num(val),)
            else:
                sps = pos(val)
                if sps is None:
                    return False
                _whole_run(st, line_no, sps, st.prev.get("hf-runtime", (None,))[0],
                           st.prev.get("hf-loss", (None,))[0], None)
            st.hf_seen = True
            return True
    if "optimization steps" in low:
        m = _TOTAL.search(low)
        if m is not None:
            v = integer(m.group(1))
            if v:
                st.hint_explicit = v
            st.hf_seen = True
            return True
    return None


def _whole_run(st: State, line_no: int, sps: float, runtime: float | None, loss: float | None,
               steps: int | None) -> None:
    """The whole run's time per optimizer step: train_runtime ÷ the steps where they are stated and agree with the
    rounded rate, else 1 ÷ train_steps_per_second."""
    st.hf_seen = True
    ms = 1000.0 / sps
    steps = steps or st.hint_explicit
    if runtime and steps:
        exact = runtime * 1000.0 / steps
        # train_steps_per_second is rounded to 3 decimals: the steps agree if the rate lies within that rounding
        if abs(steps / runtime - sps) <= 0.0005 + 1e-9:
            ms = exact
            st.notes["hf-trainer"] = fact("lognote.hf_summary")
    st.records.append(IterRecord(None, ms, loss, None, line_no, None, "hf-trainer", WHOLE_RUN))


def finish(st: State) -> None:
    """A config block cut off at the end of the paste still states what it has read."""
    got = st.prev.pop("hf-config", None)
    if got is not None:
        _settle_config(st, got[1])
