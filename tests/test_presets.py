"""Every model preset resolves by its id, its name and its aliases, validates, and counts the parameters its data
file says (calculator.arch), which agree with the count the model's card, paper or page states where it states one."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from calculator import arch, presets, schema
from calculator.errors import InputError

DATA = json.loads((Path(presets.__file__).with_name("data") / "models.json").read_text(encoding="utf-8"))["models"]
IDS = list(DATA)

# the models the presets must cover, and the totals known to the parameter (each model's own published count:
# the Pythia README's table, Qwen2.5-0.5B's and Llama's safetensors; MPT-7B's safetensors)
REQUIRED = ["gpt2", "gpt2-medium", "gpt2-large", "gpt2-xl", "llama-3.2-1b", "llama-3.2-3b", "llama-3.1-8b",
            "llama-3.1-70b", "llama-3.1-405b", "qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-3b", "qwen2.5-7b",
            "smollm2-135m", "smollm2-360m", "smollm2-1.7b", "tinyllama-1.1b", "mistral-7b", "pythia-160m",
            "pythia-410m", "pythia-1b", "pythia-1.4b", "pythia-2.8b", "pythia-6.9b", "pythia-12b", "mpt-7b", "mpt-30b"]
KNOWN = {"llama-3.1-8b": 8_030_261_248, "qwen2.5-0.5b": 494_032_768, "llama-3.2-1b": 1_235_814_400,
         "mpt-7b": 6_649_286_656, "pythia-160m": 162_322_944}


def total(fields: dict) -> int:
    return arch.params(arch.from_inputs(schema.validate(fields)))["total"]


def test_every_model_asked_for_is_a_preset():
    assert sorted(REQUIRED) == sorted(IDS)


@pytest.mark.parametrize("key", IDS)
def test_a_preset_resolves_by_id_name_and_alias_and_validates(key):
    p = DATA[key]
    for name in [key, key.upper(), p["name"], *p["aliases"]]:
        assert presets.resolve(name) == key, name
    v = schema.validate(model=p["name"])
    for field, value in p["config"].items():
        assert v[field] == value, (key, field)
    assert set(p["config"]) <= set(presets.MODEL_FIELDS)


@pytest.mark.parametrize("key", IDS)
def test_a_presets_parameters_are_its_data_files(key):
    assert total(presets.fields(key)) == DATA[key]["params"]


@pytest.mark.parametrize("key", sorted(KNOWN))
def test_the_known_totals(key):
    assert total(presets.fields(key)) == KNOWN[key]


def _rounding(as_stated: str) -> float:
    """Half a unit of the last digit of a count as stated ("0.49B" -> 0.005e9), as a number of parameters."""
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)([MB]?)", as_stated)
    assert m, as_stated
    digits = m.group(1).replace(",", "")
    scale = {"": 1, "M": 10**6, "B": 10**9}[m.group(2)]
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    return float(Decimal(5) * Decimal(10) ** -(decimals + 1) * scale)


@pytest.mark.parametrize("key", [k for k in IDS if "params_stated" in DATA[k]])
def test_the_count_agrees_with_the_stated_one(key):
    """Within 0.5%, or within the rounding of the figure as stated (Qwen's 0.49B is 0.485B to 0.495B)."""
    stated = DATA[key]["params_stated"]
    count = DATA[key]["params"]
    assert stated["where"].startswith("https://")
    assert abs(count / stated["count"] - 1) <= 0.005 or abs(count - stated["count"]) <= _rounding(stated["as_stated"])


def test_the_stated_figures_read_as_their_counts():
    for key in IDS:
        s = DATA[key].get("params_stated")
        if s:
            m = re.fullmatch(r"([\d,]+(?:\.\d+)?)([MB]?)", s["as_stated"])
            value = Decimal(m.group(1).replace(",", "")) * {"": 1, "M": 10**6, "B": 10**9}[m.group(2)]
            assert value == s["count"], key


def test_every_preset_says_where_its_config_is_or_why_its_count_is_unchecked():
    for key, p in DATA.items():
        assert p["source"].startswith("https://huggingface.co/") and p["source"].split()[0].endswith("config.json")
        assert "params_stated" in p or p.get("params_note"), key


def test_the_counting_conventions_show_in_the_presets():
    """Tied embeddings count once (Llama 3.2, Qwen2.5 small, SmolLM2); Qwen2's q, k, v biases are counted; only
    GPT-2's count depends on block_size (its wpe)."""
    tied, untied = presets.fields("llama-3.2-1b"), {**presets.fields("llama-3.2-1b"), "tie_word_embeddings": False}
    assert total(untied) - total(tied) == 128256 * 2048
    qwen = presets.fields("qwen2.5-0.5b")
    as_llama = {**qwen, "model_type": "llama"}
    assert total(qwen) - total(as_llama) == 24 * (896 + 2 * 2 * 64)
    assert total({**presets.fields("gpt2"), "block_size": 2048}) - total(presets.fields("gpt2")) == 1024 * 768
    assert total({**presets.fields("llama-3.1-8b"), "block_size": 2048}) == KNOWN["llama-3.1-8b"]


def test_an_unknown_model_names_the_field_and_suggests():
    with pytest.raises(InputError) as e:
        schema.validate(model="llama-3.1-9b")
    assert e.value.field == "model" and "llama-3.1" in e.value.message
