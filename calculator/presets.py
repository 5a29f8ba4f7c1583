"""Models by name: the presets of the model field (data/models.json), each a config.json's sizes in the schema's
names, with the source of its config.

    fields("llama-3.1-8b") -> {"model_type": "llama", "n_layer": 32, ..., "vocab_size": 128256}

A preset sets the model's fields only; the batch, the sequence length (block_size) and the hardware stay the
reader's. A preset is found by its id, its name or an alias (the Hugging Face repo's name among them), without case,
spaces or underscores ("Llama 3.1 8B" and "meta-llama/Llama-3.1-8B" are llama-3.1-8b).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import InputError

_DATA = Path(__file__).with_name("data") / "models.json"
with open(_DATA, encoding="utf-8") as _fh:
    PRESETS: dict[str, dict] = json.load(_fh)["models"]

# the schema fields a preset may set
MODEL_FIELDS = ("model_type", "n_layer", "n_head", "n_embd", "vocab_size", "block_size", "bias", "n_kv_head",
                "intermediate_size", "tie_word_embeddings")


def _key(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower())


_BY_KEY = {_key(k): k for k in PRESETS}
for _k, _p in PRESETS.items():
    for _alias in (_p["name"], *_p.get("aliases", ())):
        _BY_KEY[_key(_alias)] = _k


def resolve(name: str) -> str:
    """The preset's id for a name as typed, or InputError (field "model") naming the known ones."""
    found = _BY_KEY.get(_key(name))
    if found is None:
        close = [k for k in PRESETS if _key(name) in k or k.startswith(_key(name)[:6])][:5]
        if close:
            raise InputError("model", "error.model_unknown_suggest", text=name, suggestions=", ".join(close))
        raise InputError("model", "error.model_unknown", text=name, known=", ".join(PRESETS))
    return found


def fields(name: str) -> dict:
    """The schema values a preset sets."""
    p = PRESETS[resolve(name)]
    return {k: p["config"][k] for k in MODEL_FIELDS if k in p["config"]}


def info(name: str) -> dict:
    """A preset's whole entry: its name, config, parameter count and the source of its config."""
    key = resolve(name)
    return {"id": key, **PRESETS[key]}
