"""A Hugging Face config.json, read as data: the model's sizes in the schema's names.

    read('{"model_type": "llama", "num_hidden_layers": 32, ...}')
        -> {"model_type": "llama", "n_layer": 32, "n_head": 32, "n_embd": 4096, "vocab_size": 128256,
            "n_kv_head": 8, "intermediate_size": 14336, "tie_word_embeddings": False}

The text is parsed with json.loads and never executed. Keys read (each type's config class in transformers names
them so; MPT's is mosaicml's configuration_mpt.py):

- layers: num_hidden_layers, n_layer (GPT-2), n_layers (MPT); heads: num_attention_heads, n_head, n_heads;
  width: hidden_size, n_embd, d_model; key/value heads: num_key_value_heads (null: as many as the heads);
  vocab_size; tie_word_embeddings (absent: the type's default, calculator.arch.tied_default).
- the MLP width: intermediate_size; GPT-2's n_inner (null: 4 x n_embd); MPT's expansion_ratio x d_model.
- block_size from GPT-2's n_positions only, because its learned position embedding (wpe) has that many rows. The
  rotary and ALiBi models' max_position_embeddings or max_seq_len is how long a sequence the model can take, not
  the length a run trains on: block_size stays the reader's own.
- model_type (or, without one, the architectures list): gpt2, gpt_neox, mpt, llama, mistral, qwen2 (arch.MODEL_TYPES),
  and phi3 read as llama (RELATIVES: the same tensors, only fused).

Refused, with an InputError naming "config" or the config's key: text that is not JSON (with its line and column),
JSON that is not one object, an object with no layer or width key, a missing size, an unknown model_type (naming the
supported ones), a head_dim other than hidden_size / num_attention_heads, a bias, expert or attention layout the
type's counting does not have (NOT_MODELLED), and any size outside the schema's range (the schema's own message,
with the config key beside it).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from . import arch, schema
from .errors import InputError

MAX_CHARS = 1_000_000  # a config.json is a few kilobytes; 1 MB is generous and keeps the page's parse short
MAX_DEPTH = 32  # real configs nest 3 to 5 deep (rope_scaling, quantization_config); deeper JSON overflows Pyodide

# schema name -> the config keys that say it, in the order they are looked for
KEYS = {
    "n_layer": ("num_hidden_layers", "n_layer", "n_layers"),
    "n_head": ("num_attention_heads", "n_head", "n_heads"),
    "n_embd": ("hidden_size", "n_embd", "d_model"),
    "vocab_size": ("vocab_size",),
    "n_kv_head": ("num_key_value_heads",),
    "intermediate_size": ("intermediate_size", "n_inner"),
    "tie_word_embeddings": ("tie_word_embeddings",),
}
REQUIRED = ("n_layer", "n_head", "n_embd", "vocab_size")

# model types whose parameters and FLOPs count exactly as a supported type's. phi3 (Phi-3, Phi-3.5-mini, Phi-4):
# transformers' Phi3 model fuses q, k, v into qkv_proj and gate and up into gate_up_proj, the same matrices side by
# side; RMSNorm, no biases, rotary positions, untied output: Llama's counting (Phi-4: 14.66B, its card says 14.7B).
RELATIVES = {"phi3": "llama"}

# the architectures list of a config without a model_type
ARCHITECTURES = {"GPT2LMHeadModel": "gpt2", "GPTNeoXForCausalLM": "gpt_neox", "MPTForCausalLM": "mpt",
                 "LlamaForCausalLM": "llama", "MistralForCausalLM": "mistral", "Qwen2ForCausalLM": "qwen2",
                 "Phi3ForCausalLM": "phi3"}

# what calculator.arch assumes of each type, as the config's key and value; a config that says otherwise is refused
# (transformers: LlamaConfig and MistralConfig attention_bias/mlp_bias False, GPTNeoXConfig attention_bias True;
# MPT: no_bias True, multi-head attention, its plain MLP)
_LLAMA = {"attention_bias": False, "mlp_bias": False}
NOT_MODELLED = {"llama": _LLAMA, "mistral": _LLAMA, "phi3": _LLAMA, "gpt_neox": {"attention_bias": True},
                "mpt": {"no_bias": True, "attn_config.attn_type": "multihead_attention",
                        "ffn_config.ffn_type": "mptmlp"}}
# the counts of mixture-of-experts layers, which no supported type has
EXPERTS = ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts")


def read(text: str) -> dict[str, Any]:
    """The schema values a config.json's text gives (only the model's fields), or InputError."""
    cfg = _parse(text)
    model_type = _model_type(cfg)
    family = RELATIVES.get(model_type, model_type)
    out: dict[str, Any] = {"model_type": family}
    for name, keys in KEYS.items():
        found = _one_of(cfg, keys)
        if found is None:
            continue
        key, value = found
        if name in REQUIRED or value is not None:
            out[name] = _coerce(name, key, value)
    missing = [KEYS[name][0] for name in REQUIRED if name not in out]
    if missing:
        raise InputError(missing[0], "error.config_missing")
    if model_type == "mpt" and "intermediate_size" not in out and cfg.get("expansion_ratio") is not None:
        ratio = _coerce("intermediate_size", "expansion_ratio", cfg["expansion_ratio"], ratio=True)
        # mosaicml's MPTMLP: int(d_model * expansion_ratio)
        out["intermediate_size"] = _coerce("intermediate_size", "expansion_ratio", int(ratio * out["n_embd"]))
    if family == "gpt2":
        out["bias"] = True  # transformers' GPT2Model has biases in every Linear and LayerNorm (nanoGPT bias=True)
        found = _one_of(cfg, ("n_positions", "n_ctx"))
        if found is not None:
            out["block_size"] = _coerce("block_size", *found)
    _check_head_dim(cfg, out)
    _check_modelled(cfg, model_type)
    try:
        schema.validate(out)  # the cross-checks: n_head divides n_embd, the KV heads divide the heads
    except InputError as e:
        raise _named(e, cfg) from None
    return out


def _parse(text: Any) -> dict:
    if not isinstance(text, str):
        raise InputError("config", "error.unreadable")
    if len(text) > MAX_CHARS:
        raise InputError("config", "error.config_too_large", size=len(text), limit=MAX_CHARS)
    if nesting(text) > MAX_DEPTH:
        raise InputError("config", "error.config_too_deep", limit=MAX_DEPTH)
    text = text[1:] if text.startswith("\ufeff") else text  # a byte-order mark some editors write first
    try:
        cfg = json.loads(text)
    except json.JSONDecodeError as e:
        near = text[e.pos: e.pos + 20]
        raise InputError("config", "error.config_not_json", line=e.lineno, column=e.colno,
                         near=schema._show(near) if near else "-") from None
    except ValueError:  # an integer literal longer than Python converts (sys.int_info.default_max_str_digits)
        raise InputError("config", "error.config_digits", limit=_max_digits()) from None
    except RecursionError:  # MAX_DEPTH keeps this from happening; kept as a guard
        raise InputError("config", "error.config_too_deep", limit=MAX_DEPTH) from None
    if not isinstance(cfg, dict):
        raise InputError("config", "error.config_not_object", kind=_json_kind(cfg))
    if not any(k in cfg for k in KEYS["n_layer"] + KEYS["n_embd"]):
        raise InputError("config", "error.config_not_model",
                         keys=", ".join(KEYS["n_layer"] + KEYS["n_embd"]))
    return cfg


def _max_digits() -> int:
    return getattr(sys.int_info, "default_max_str_digits", 4300) or 4300


def _json_kind(value: Any) -> str:
    """The JSON name of a value's type (these names are JSON's, the same in every language)."""
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "number"


def _model_type(cfg: dict) -> str:
    supported = ", ".join(arch.MODEL_TYPES)
    value = cfg.get("model_type")
    if value is None:
        archs = cfg.get("architectures")
        names = archs if isinstance(archs, list) else []
        for name in names:
            if isinstance(name, str) and name in ARCHITECTURES:
                return ARCHITECTURES[name]
        raise InputError("model_type", "error.config_no_type", supported=supported)
    if isinstance(value, str) and (value in arch.MODEL_TYPES or value in RELATIVES):
        return value
    raise InputError("model_type", "error.config_model_type", shown=schema._show(value), supported=supported)


def _one_of(cfg: dict, keys: tuple[str, ...]) -> tuple[str, Any] | None:
    """The first of `keys` the config has, with its value; two of them that disagree are refused."""
    present = [(k, cfg[k]) for k in keys if k in cfg]
    if not present:
        return None
    for k, v in present[1:]:
        if v != present[0][1] or type(v) is not type(present[0][1]):
            raise InputError(k, "error.config_conflict", name=present[0][0], value=schema._show(present[0][1]),
                             other_value=schema._show(v))
    return present[0]


def _coerce(name: str, key: str, value: Any, ratio: bool = False) -> Any:
    """A config value through the schema's one parser (calculator.schema), its error naming the config's key."""
    field = schema.BY_NAME[name]
    try:
        if ratio:  # MPT's expansion_ratio: a positive number (4 in every MPT config)
            return schema.parse_number(schema.Field("expansion_ratio", "float", None, "model", "", "", 0, 1000,
                                                    exclusive_min=True), value)
        return schema._coerce(field, value)
    except InputError as e:
        raise _named(e, None, key) from None


def _named(e: InputError, cfg: dict | None, key: str | None = None) -> InputError:
    """The schema's error with the config's key beside it ("n_layer: num_hidden_layers in the config: ...")."""
    if key is None and cfg is not None and e.field in KEYS:
        found = _one_of(cfg, KEYS[e.field])
        key = found[0] if found else None
    if key is None or key == e.field:
        return e
    return InputError(e.field, "error.config_key", name=key, error=e.fact)


def _check_head_dim(cfg: dict, out: dict) -> None:
    head_dim = cfg.get("head_dim")
    if head_dim is None:
        return
    if isinstance(head_dim, bool) or not isinstance(head_dim, (int, float)) or \
            head_dim * out["n_head"] != out["n_embd"]:
        width_key = _one_of(cfg, KEYS["n_embd"])[0]
        heads_key = _one_of(cfg, KEYS["n_head"])[0]
        raise InputError("head_dim", "error.config_head_dim", shown=schema._show(head_dim), width=width_key,
                         heads=heads_key, n_embd=out["n_embd"], n_head=out["n_head"])


def _check_modelled(cfg: dict, model_type: str) -> None:
    for key in EXPERTS:
        value = cfg.get(key)
        if value not in (None, 0, 1) and not isinstance(value, bool):
            raise InputError(key, "error.config_experts", shown=schema._show(value))
    for path, assumed in NOT_MODELLED.get(model_type, {}).items():
        value: Any = cfg
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None and (value != assumed or type(value) is not type(assumed)):
            raise InputError(path, "error.config_not_modelled", shown=schema._show(value),
                             assumed=json.dumps(assumed), model_type=model_type)


def nesting(text: str) -> int:
    """The deepest nesting of [ and { in JSON text, outside strings (one pass, no recursion)."""
    if text.count("[") + text.count("{") <= 1:
        return text.count("[") + text.count("{")
    depth = deepest = 0
    in_string = escaped = False
    for c in text:
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest
