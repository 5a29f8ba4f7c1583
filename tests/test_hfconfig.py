"""A Hugging Face config.json read as data (calculator.hfconfig): real configs give their models' presets and
parameter counts, and each kind of bad config is refused with a message that names the field, in English and in
Spanish, on the page's door (web.read_config) as on the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calculator import arch, hfconfig, presets, schema, web, words
from calculator.errors import InputError
from test_words import english_in

CONFIGS = Path(__file__).parent / "configs"
ROOT = Path(__file__).resolve().parents[1]


def text(name: str) -> str:
    return (CONFIGS / name).read_text(encoding="utf-8")


def total(fields: dict) -> int:
    return arch.params(arch.from_inputs(schema.validate(fields)))["total"]


def test_llama_3_1_8b_config_json_gives_8_030_261_248_parameters():
    fields = hfconfig.read(text("llama-3.1-8b.json"))
    assert total(fields) == 8_030_261_248
    assert fields == presets.fields("llama-3.1-8b")
    assert "block_size" not in fields  # max_position_embeddings (131072) is not the run's sequence length


@pytest.mark.parametrize("name,preset", [("llama-3.2-1b.json", "llama-3.2-1b"), ("qwen2.5-0.5b.json", "qwen2.5-0.5b"),
                                         ("gpt2.json", "gpt2"), ("mpt-7b.json", "mpt-7b"),
                                         ("pythia-160m.json", "pythia-160m")])
def test_each_real_config_gives_its_presets_fields_and_count(name, preset):
    fields = hfconfig.read(text(name))
    assert fields == presets.fields(preset)
    assert total(fields) == presets.PRESETS[preset]["params"]


def test_gpt2_reads_its_position_table_and_biases():
    fields = hfconfig.read(text("gpt2.json"))
    assert fields["block_size"] == 1024 and fields["bias"] is True
    assert total(fields) == 124_439_808  # nanoGPT's GPT-2 124M, wpe included


def test_mpt_expansion_ratio_and_gpt2_n_inner():
    cfg = json.loads(text("mpt-7b.json"))
    assert hfconfig.read(json.dumps({**cfg, "expansion_ratio": 2}))["intermediate_size"] == 8192
    gpt2 = json.loads(text("gpt2.json"))
    assert "intermediate_size" not in hfconfig.read(json.dumps(gpt2))  # n_inner absent: 4 x n_embd
    assert hfconfig.read(json.dumps({**gpt2, "n_inner": 1000}))["intermediate_size"] == 1000
    assert "intermediate_size" not in hfconfig.read(json.dumps({**gpt2, "n_inner": None}))


def test_a_config_without_model_type_is_read_from_its_architectures():
    cfg = json.loads(text("qwen2.5-0.5b.json"))
    del cfg["model_type"]
    assert hfconfig.read(json.dumps(cfg))["model_type"] == "qwen2"


def test_phi3_is_read_as_llama():
    """Phi-4's config (microsoft/phi-4): 14.66B, its card says 14.7B."""
    phi4 = {"model_type": "phi3", "num_hidden_layers": 40, "hidden_size": 5120, "num_attention_heads": 40,
            "num_key_value_heads": 10, "intermediate_size": 17920, "vocab_size": 100352, "tie_word_embeddings": False}
    fields = hfconfig.read(json.dumps(phi4))
    assert fields["model_type"] == "llama"
    assert abs(total(fields) / 14.7e9 - 1) < 0.005


def test_null_kv_heads_and_tie_mean_the_defaults():
    cfg = {**json.loads(text("llama-3.1-8b.json")), "num_key_value_heads": None, "tie_word_embeddings": None}
    fields = hfconfig.read(json.dumps(cfg))
    assert "n_kv_head" not in fields and "tie_word_embeddings" not in fields
    assert arch.from_inputs(schema.validate(fields)).kv_heads == 32


LLAMA = json.loads(text("llama-3.1-8b.json"))

# (config text, the field the error names, words its English message has)
BAD = [
    ("", "config", "line 1, column 1"),
    ('{"num_hidden_layers": 2,\n "hidden_size": }', "config", "line 2, column 17"),
    ("[1, 2]", "config", "not a JSON array"),
    ('"config"', "config", "not a JSON string"),
    ("null", "config", "not a JSON null"),
    ('{"foo": 1}', "config", "num_hidden_layers"),
    (json.dumps({k: v for k, v in LLAMA.items() if k != "num_attention_heads"}), "num_attention_heads", "missing"),
    (json.dumps({**LLAMA, "model_type": "gemma"}), "model_type", "supported: gpt2, gpt_neox, mpt, llama"),
    (json.dumps({**LLAMA, "model_type": "mixtral"}), "model_type", "supported"),
    (json.dumps({**LLAMA, "model_type": ["llama"]}), "model_type", "supported"),
    (json.dumps({k: v for k, v in LLAMA.items() if k not in ("model_type", "architectures")}), "model_type",
     "supported"),
    (json.dumps({**LLAMA, "head_dim": 96}), "head_dim", "hidden_size / num_attention_heads"),
    (json.dumps({**LLAMA, "num_hidden_layers": 5000}), "n_layer", "num_hidden_layers in the config.json"),
    (json.dumps({**LLAMA, "num_attention_heads": 7}), "n_head", "num_attention_heads in the config.json"),
    (json.dumps({**LLAMA, "num_key_value_heads": 5}), "n_kv_head", "num_key_value_heads"),
    (json.dumps({**LLAMA, "hidden_size": "wide"}), "n_embd", "hidden_size"),
    (json.dumps({**LLAMA, "num_hidden_layers": True}), "n_layer", "num_hidden_layers"),
    (json.dumps({**LLAMA, "vocab_size": None}), "vocab_size", "required"),
    (json.dumps(LLAMA).replace('"num_hidden_layers": 32', '"num_hidden_layers": NaN'), "n_layer", "nan"),
    (json.dumps(LLAMA).replace('"vocab_size": 128256', '"vocab_size": 1e999'), "vocab_size", "inf"),
    (json.dumps({**LLAMA, "attention_bias": True}), "attention_bias", "not modelled"),
    (json.dumps({**LLAMA, "num_local_experts": 8}), "num_local_experts", "mixture-of-experts"),
    (json.dumps({**LLAMA, "n_layer": 12}), "n_layer", "disagrees with num_hidden_layers"),
    (json.dumps({**json.loads(text("mpt-7b.json")), "no_bias": False}), "no_bias", "not modelled"),
    (json.dumps({**json.loads(text("mpt-7b.json")), "expansion_ratio": "x"}), "expansion_ratio", "must be"),
    ('{"n_layer": ' + "9" * 5000 + "}", "config", "digits"),
    ("[" * 100 + "]" * 100, "config", "nests deeper"),
    (" " * (hfconfig.MAX_CHARS + 1), "config", "too large"),
]


@pytest.mark.parametrize("bad,field,said", BAD, ids=[f"{i}-{b[1]}" for i, b in enumerate(BAD)])
def test_a_bad_config_names_the_field_in_both_languages(bad, field, said):
    with pytest.raises(InputError) as e:
        hfconfig.read(bad)
    assert e.value.field == field
    english, spanish = words.error(e.value, "en"), words.error(e.value, "es")
    assert english.startswith(f"{field}: ") and said.lower() in english.lower(), english
    assert spanish.startswith(f"{field}: ") and spanish != english
    assert not english_in(spanish), (english_in(spanish), spanish)
    for lang, message in (("en", english), ("es", spanish)):
        page = json.loads(web.read_config(bad, lang))
        assert page["ok"] is False and page["fields"] is None
        assert page["errors"] == [{"field": field, "message": message}]


def test_the_page_hook_answers_the_fields_and_the_count_in_the_pages_language():
    en = json.loads(web.read_config(text("llama-3.1-8b.json")))
    es = json.loads(web.read_config(text("llama-3.1-8b.json"), "es"))
    assert en["ok"] and en["fields"] == presets.fields("llama-3.1-8b") and en["errors"] == []
    assert en["params"] == es["params"] == 8_030_261_248
    assert en["params_text"] == "8,030,261,248" and es["params_text"] != en["params_text"]
    for hostile in (None, 5, ["x"], "\ud800"):
        d = json.loads(web.read_config(hostile, "es"))
        assert d["ok"] is False and d["errors"] and d["errors"][0]["field"] != "internal"


def run(*args):
    return subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_the_cli_names_the_file_and_the_field(tmp_path):
    bad = tmp_path / "config.json"
    bad.write_text(json.dumps({**LLAMA, "head_dim": 96}), encoding="utf-8")
    p = run(str(bad))
    assert p.returncode == 2 and p.stderr.startswith("error: head_dim: ") and "Traceback" not in p.stderr
    bad.write_text("{", encoding="utf-8")
    for lang in ("en", "es"):
        p = run("--lang", lang, str(bad))
        assert p.returncode == 2 and p.stderr.startswith("error: config: ") and str(bad) in p.stderr
    assert "line 1, column 2" in run(str(bad)).stderr


def test_the_reader_speaks_no_language():
    """hfconfig is calculation: it returns values and InputErrors (facts); calculator.words writes them."""
    import inspect

    for name, f in vars(hfconfig).items():
        if inspect.isfunction(f) and f.__module__ == hfconfig.__name__:
            assert "lang" not in inspect.signature(f).parameters, name


def test_a_byte_order_mark_before_the_json_is_read_past():
    assert hfconfig.read("\ufeff" + text("llama-3.1-8b.json")) == presets.fields("llama-3.1-8b")
