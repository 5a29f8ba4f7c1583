"""The page's Python for many GPUs and other models: the model picker (web.pick_model), a pasted config.json
(web.read_model_config, web.apply_config), which optional parts of the form show (web.show_parts), the form's
texts in every answer, section 2b's sentences (words/parallel.py) and the same run on 1 to 8 nodes
(compare.across_nodes, words/nodes.py)."""

from __future__ import annotations

import json

import pytest

from calculator import compare, fmt, schema, web
from calculator.words.nodes import nodes as nodes_words
from said import estimate

RUN = {"model": "llama-3.1-8b", "gpu": "h100-sxm", "num_gpus": 64, "sharding": "fsdp",
       "activation_checkpointing": "selective", "block_size": 8192, "batch_size": 1,
       "gradient_accumulation_steps": 64}
LLAMA_32_1B = {"model_type": "llama", "num_hidden_layers": 16, "num_attention_heads": 32, "hidden_size": 2048,
               "num_key_value_heads": 8, "intermediate_size": 8192, "vocab_size": 128256,
               "tie_word_embeddings": True, "torch_dtype": "bfloat16"}


def form(**fields) -> str:
    return json.dumps({k: str(v) for k, v in fields.items()})


def test_picking_a_preset_writes_its_sizes_and_picking_another_clears_the_llama_fields():
    a = json.loads(web.pick_model(form(model="llama-3.1-8b", n_layer=12, n_embd=384)))
    assert a["ok"] and a["result"]["params"] == estimate(model="llama-3.1-8b")["params"]
    assert (a["form"]["n_layer"], a["form"]["n_embd"], a["form"]["n_kv_head"], a["form"]["tie_word_embeddings"]) == \
        ("32", "4096", "8", "false")
    assert a["query"] == "model=llama-3.1-8b"  # the preset's sizes stay out of the link
    b = json.loads(web.pick_model(json.dumps({**a["form"], "model": "gpt2"})))
    assert b["ok"] and b["query"] == "model=gpt2"
    assert (b["form"]["n_kv_head"], b["form"]["intermediate_size"], b["form"]["tie_word_embeddings"]) == ("", "", "")
    assert b["result"]["arch"]["counts"]["total"] == 124_439_808
    assert b["show"] == {"arch": False, "parallel": False}
    bad = json.loads(web.pick_model(form(model="llama-9"), "es"))
    assert not bad["ok"] and bad["errors"][0]["field"] == "model"
    assert json.loads(web.pick_model("[", "es"))["ok"] is False  # unreadable, answered


def test_a_link_with_a_preset_fills_the_form_with_its_sizes():
    state = web.evaluate_url("model=Llama%203.1%208B&num_gpus=8")
    assert state["query"] == "model=llama-3.1-8b&num_gpus=8"  # the name as typed, by its id
    assert state["form"]["model"] == "llama-3.1-8b" and state["form"]["n_layer"] == "32"
    assert state["form"]["num_gpus"] == "8" and state["form"]["mfu"] == ""
    assert state["show"] == {"arch": True, "parallel": True}


@pytest.mark.parametrize(("inputs", "shown"), [
    ({}, {"arch": False, "parallel": False}),
    ({"num_gpus": 2}, {"arch": False, "parallel": True}),
    ({"network": "ib-hdr"}, {"arch": False, "parallel": True}),  # one GPU, but a parallel field set: shown
    ({"activation_checkpointing": "full"}, {"arch": False, "parallel": True}),
    ({"tie_word_embeddings": False}, {"arch": True, "parallel": False}),  # gpt2, but a Llama field set: shown
    ({"model_type": "qwen2"}, {"arch": True, "parallel": False}),
])
def test_nothing_hidden_holds_a_value_other_than_its_default(inputs, shown):
    assert web.show_parts(schema.validate(inputs)) == shown


def test_a_pasted_config_json_is_read_and_fills_the_form():
    read = json.loads(web.read_model_config(json.dumps(LLAMA_32_1B)))
    assert read == {"fields": {"n_layer": 16, "n_head": 32, "n_embd": 2048, "n_kv_head": 8,
                               "intermediate_size": 8192, "vocab_size": 128256, "tie_word_embeddings": True,
                               "model_type": "llama"}, "errors": []}
    a = json.loads(web.apply_config(json.dumps(LLAMA_32_1B), form(model="llama-3.1-8b", n_layer=12), "es"))
    assert a["ok"] and a["form"]["model"] == "" and a["form"]["n_layer"] == "16"
    assert a["result"]["arch"]["counts"]["total"] == 1_235_814_400  # Llama 3.2 1B's published count
    assert a["config"]["message"].startswith("Leído de config.json: ") and "n_layer=16" in a["config"]["message"]
    # a configuration that reads but does not compute still fills the form, and names the field
    odd = json.loads(web.apply_config(json.dumps({**LLAMA_32_1B, "num_key_value_heads": 5}), form()))
    assert not odd["ok"] and odd["errors"][0]["field"] == "n_kv_head"
    gpt = json.loads(web.apply_config('{"model_type": "gpt2", "n_layer": 2, "n_embd": 64, "n_head": 3, '
                                      '"vocab_size": 100}', form()))
    assert not gpt["ok"] and gpt["errors"][0]["field"] == "n_head"


@pytest.mark.parametrize(("text", "field", "says"), [
    ("", "config", "no es JSON"),
    ("{", "config", "no es JSON"),
    ("[1, 2]", "config", "un único objeto JSON"),
    ('{"architectures": ["BertModel"]}', "config", "no es la configuración de un modelo"),
    ('{"model_type": "t5", "num_hidden_layers": 6}', "model_type", "gpt2, gpt_neox, mpt, llama, mistral, qwen2"),
    ('{"model_type": "llama", "num_hidden_layers": 1e999}', "n_layer", "n_layer"),
    ('{"model_type": "llama", "num_hidden_layers": "twelve"}', "n_layer", "n_layer"),
    ("[" * 100_000, "config", "anida más hondo"),
    ('{"num_hidden_layers": ' + "9" * 5000 + "}", "config", "cifras"),
])
def test_a_config_json_that_is_no_model_config_is_named_in_the_readers_language(text, field, says):
    read = json.loads(web.read_model_config(text, "es"))
    assert read["fields"] == {} and len(read["errors"]) == 1
    assert read["errors"][0]["field"] == field and says in read["errors"][0]["message"]
    applied = json.loads(web.apply_config(text, form(), "es"))
    assert applied["ok"] is False and applied["config"] == {"ok": False} and applied["errors"] == read["errors"]


@pytest.mark.parametrize("sharding", schema.BY_NAME["sharding"].choices)
@pytest.mark.parametrize("layout", [{}, {"tensor_parallel": 2, "pipeline_parallel": 4, "context_parallel": 2}])
def test_section_2b_says_every_layout_with_its_numbers_in_both_languages(sharding, layout):
    inputs = {**RUN, "sharding": sharding, **layout}
    en, es = estimate(**inputs), estimate(lang="es", **inputs)
    for key in ("many.layout", "many.sharding", "many.comm", "many.bubble", "many.recompute", "many.bound"):
        assert en["text"][key] and es["text"][key] and en["text"][key] != es["text"][key], key
        assert "{" not in en["text"][key] + es["text"][key], key
    assert en["text"]["memory.weights_gib"] in en["text"]["many.sharding"]
    assert es["text"]["hfu"] in es["text"]["many.recompute"] and es["text"]["mfu"] in es["text"]["many.recompute"]
    assert fmt.duration(en["parallel"]["comm_total_seconds"]) in en["text"]["many.comm"]
    if layout:
        assert fmt.duration(en["parallel"]["bubble_seconds"]) in en["text"]["many.bubble"]
        assert "16 GPUs that share one copy" in en["text"]["many.layout"]


def test_one_gpu_is_said_as_one_gpu():
    t = estimate()["text"]
    assert t["many.layout"].startswith("This run uses one GPU") and t["many.comm"].startswith("One GPU sends nothing")


def test_the_same_run_on_more_nodes():
    v = schema.validate(RUN)
    answer = compare.across_nodes(v)
    rows = answer["rows"]
    assert list(rows) == ["1", "2", "4", "8"] and answer["gpus_per_node"] == 8
    assert [rows[k]["num_gpus"] for k in rows] == [8, 16, 32, 64]
    assert [rows[k]["current"] for k in rows] == [False, False, False, True]
    assert rows["1"]["speedup"] == 1.0 and rows["1"]["efficiency"] == 1.0
    assert rows["8"]["tokens_per_sec"] == estimate(**RUN)["tokens_per_sec"]
    assert rows["2"]["speedup"] == rows["2"]["tokens_per_sec"] / rows["1"]["tokens_per_sec"]
    # gradient_accumulation_steps 48 cannot be split over 64 ranks: that row says why, naming the field
    short = compare.across_nodes(schema.validate({**RUN, "num_gpus": 16, "gradient_accumulation_steps": 48}))
    assert "error" in short["rows"]["8"] and short["rows"]["8"]["field"] == "gradient_accumulation_steps"
    assert short["rows"]["2"]["current"]
    said = nodes_words(short, "es")
    assert said["rows"]["8"]["text"]["speedup"].startswith("gradient_accumulation_steps: debe ser múltiplo")
    assert said["rows"]["1"]["text"]["nodes"] == "1 × 8" and "de lo lineal" in said["rows"]["2"]["text"]["speedup"]


def test_compare_gpus_carries_the_node_table():
    answer = json.loads(web.compare_gpus("model=llama-3.1-8b&gpu=h100-sxm&num_gpus=16&gradient_accumulation_steps=16"))
    assert answer["nodes"]["rows"]["2"]["current"] is True
    assert answer["nodes"]["rows"]["2"]["text"]["current"] == "your run"


HOSTILE = ["", "{}", "null", "[]", '"x"', "{" * 50, '{"num_hidden_layers": NaN}', '{"num_hidden_layers": Infinity}',
           '{"hidden_size": -1, "num_hidden_layers": 2}', '{"num_hidden_layers": true, "hidden_size": 64}',
           '{"model_type": null, "num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 2}',
           '{"text_config": {"num_hidden_layers": 2, "hidden_size": 64, "num_attention_heads": 2}}',
           '{"text_config": 5, "n_layer": 2, "n_embd": 64}', '{"model_type": ["llama"], "n_layer": 2}',
           '{"tie_word_embeddings": "maybe", "n_layer": 2, "n_embd": 64}', "\x00", "\ud800", "💥" * 100]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_config_json_is_answered_never_raised(text):
    read = json.loads(web.read_model_config(text, "es"))
    assert set(read) == {"fields", "errors"}
    assert not any(e["field"] == "internal" for e in read["errors"]), read
    applied = web.apply_config(text, form(), "es")
    assert "NaN" not in applied and "Infinity" not in applied
    answer = json.loads(applied)
    assert not any(e["field"] == "internal" for e in answer["errors"]), answer
    assert answer["ok"] is False or answer["result"]["inputs"]["n_layer"] == int(answer["form"]["n_layer"])


@pytest.mark.parametrize("fields", ["", "[1]", '{"model": 5}', '{"model": "x' + "y" * 500 + '"}', "{" * 20,
                                    '{"model": "gpt2", "batch_size": "abc"}'])
def test_hostile_forms_through_the_picker_are_answered(fields):
    answer = json.loads(web.pick_model(fields, "es"))
    assert answer["ok"] is False and answer["errors"]
    assert not any(e["field"] == "internal" for e in answer["errors"]), answer


# karpathy/nanoGPT config/train_shakespeare_char.py, shortened
SHAKESPEARE_CHAR = """# train a miniature character-level shakespeare model
out_dir = 'out-shakespeare-char'
eval_interval = 250 # keep frequent because we'll overfit
eval_iters = 200
gradient_accumulation_steps = 1
batch_size = 64
block_size = 256 # context of up to 256 previous characters
n_layer = 6
n_head = 6
n_embd = 384
dropout = 0.2
max_iters = 5000
"""


def test_a_pasted_nanogpt_config_fills_the_form_as_the_cli_reads_it(tmp_path):
    from calculator import cli

    path = tmp_path / "train_shakespeare_char.py"
    path.write_text(SHAKESPEARE_CHAR)
    found, ignored = cli.read_config_file(str(path))
    a = json.loads(web.apply_config(SHAKESPEARE_CHAR, form(model="llama-3.1-8b", n_kv_head=8, gpu="h100-sxm")))
    assert a["ok"] and a["form"]["model"] == "" and a["form"]["n_kv_head"] == "" and a["form"]["gpu"] == "h100-sxm"
    assert a["result"]["inputs"] == schema.validate({**found, "gpu": "h100-sxm"})  # what the CLI computes
    assert a["config"]["message"].endswith("Left out (not inputs here): out_dir, dropout.") and ignored == \
        ["out_dir", "dropout"]
    for text, field, says in (("x = = 1", "config", "no es un archivo Python"), ("import os", "config", "ninguna"),
                              ("batch_size = 'abc'", "batch_size", "número entero"), ("\x00", "config", "Python")):
        bad = json.loads(web.apply_config(text, form(), "es"))
        assert not bad["ok"] and bad["config"] == {"ok": False}, text
        assert bad["errors"][0]["field"] == field and says in bad["errors"][0]["message"], (text, bad["errors"])
