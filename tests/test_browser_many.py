"""Many GPUs on the built page in headless Chromium: the model picker, the fields that appear when a Llama or a
multi-GPU run needs them, section 2b and the node table, a share link, the Spanish page, and a pasted config.json
or nanoGPT config.

The done-when line: the page and `python -m calculator ... --json` give the same numbers for Llama 3.1 8B on 64
GPUs with FSDP and selective activation checkpointing (compared with the CLI's own JSON, run as a subprocess).
"""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

import browser_helpers as bh
from calculator import web
from said import estimate

pytestmark = pytest.mark.browser

# the scenario: the Llama 3.1 8B on 64 H100s with FSDP, in whole sequences of 8,192 tokens
RUN = {"model": "llama-3.1-8b", "gpu": "h100-sxm", "num_gpus": 64, "sharding": "fsdp",
       "activation_checkpointing": "selective", "block_size": 8192, "batch_size": 1,
       "gradient_accumulation_steps": 64}
LLAMA_32_1B = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "num_hidden_layers": 16,
               "num_attention_heads": 32, "hidden_size": 2048, "num_key_value_heads": 8, "intermediate_size": 8192,
               "vocab_size": 128256, "tie_word_embeddings": True, "rope_theta": 500000.0}


def cli_json(**inputs) -> dict:
    args = [f"--{k}={v}" for k, v in inputs.items()]
    out = subprocess.run([sys.executable, "-m", "calculator", *args, "--json"], capture_output=True, text=True,
                         check=True, cwd=bh.ROOT, timeout=60)
    return json.loads(out.stdout)


def hidden(page, selector: str) -> bool:
    return page.evaluate("(s) => !!document.querySelector(s).closest('[hidden]')", selector)


def compare_text(page, path: str) -> str:
    return page.evaluate("(p) => document.querySelector('[data-compare=\"' + p + '\"]').textContent", path)


@pytest.fixture(scope="module")
def many(chromium, vendored_site):
    context, page, watch = bh.open_page(chromium, vendored_site[0])
    bh.wait_state(page, "ready")
    yield page, watch, vendored_site[0]
    context.close()


def test_a_preset_and_64_gpus_give_the_clis_numbers(many):
    page, watch, _ = many
    # the default (GPT-2 on one GPU) needs neither the Llama fields nor the Parallelism group
    assert hidden(page, "[name=n_kv_head]") and hidden(page, "[name=sharding]")
    bh.change(page, lambda: page.select_option("[name=model]", "llama-3.1-8b"))
    fields = bh.field_values(page)
    assert (fields["n_layer"], fields["n_embd"], fields["n_kv_head"], fields["intermediate_size"]) == \
        ("32", "4096", "8", "14336")  # the preset's sizes, written by Python
    assert not hidden(page, "[name=n_kv_head]") and hidden(page, "[name=sharding]")
    for name in ("gradient_accumulation_steps", "batch_size", "block_size"):
        bh.change(page, lambda name=name: page.fill(f"[name={name}]", str(RUN[name])))
    bh.change(page, lambda: page.select_option("[name=gpu]", "h100-sxm"))
    bh.change(page, lambda: page.fill("[name=num_gpus]", "64"))
    assert not hidden(page, "[name=sharding]")
    bh.change(page, lambda: page.select_option("[name=sharding]", "fsdp"))
    bh.change(page, lambda: page.select_option("[name=activation_checkpointing]", "selective"))

    cli = cli_json(**RUN)
    shown = {k: page.locator(f"#results [data-output={k}]").first.text_content() for k in ("ms_per_iter", "mfu")}
    assert shown == {"ms_per_iter": cli["text"]["ms_per_iter"], "mfu": cli["text"]["mfu"]}
    assert cli["arch"]["counts"]["total"] == 8_030_261_248
    # every live value on the page, section 2b's sentences included, is the CLI's estimate
    expected = bh.page_result(**RUN)
    assert bh.mismatches(page, expected) == []
    assert page.locator("[data-output='parallel.sharding']").first.text_content() == cli["text"]["many.sharding"]
    assert cli["text"]["many.sharding"].startswith("With fsdp (ZeRO-3) each of the 64 ranks")
    # the node table: the same run on 1, 2, 4 and 8 nodes of 8 H100s; 8 nodes is this run
    answer = json.loads(web.compare_gpus(bh.settled_url(page).split("?", 1)[1]))
    bh.poll(page, "() => document.querySelector('[data-compare=\"nodes.rows.8.text.current\"]').textContent",
            lambda t: t == "your run")
    for n in ("1", "2", "4", "8"):
        for key in ("nodes", "tokens_per_sec", "speedup", "total_seconds", "cost"):
            assert compare_text(page, f"nodes.rows.{n}.text.{key}") == answer["nodes"]["rows"][n]["text"][key]
    assert answer["nodes"]["rows"]["8"]["tokens_per_sec"] == pytest.approx(cli["tokens_per_sec"], rel=1e-12)
    watch.assert_clean()


def test_the_share_link_restores_the_run(many, chromium):
    page, _, _ = many
    url = bh.settled_url(page)
    query = parse_qs(urlsplit(url).query)
    assert query == {k: [str(v)] for k, v in RUN.items()}  # the preset's sizes stay out of the link
    context, other, watch = bh.open_page(chromium, url)
    try:
        bh.wait_state(other, "ready")
        fields = bh.field_values(other)
        assert {k: fields[k] for k in RUN} == {k: str(v) for k, v in RUN.items()}
        assert fields["n_layer"] == "32" and fields["n_kv_head"] == "8"
        assert not hidden(other, "[name=sharding]") and not hidden(other, "[name=n_kv_head]")
        assert bh.mismatches(other, bh.page_result(**RUN)) == []
        watch.assert_clean()
    finally:
        context.close()


def test_the_spanish_page_explains_many_gpus_in_spanish(many, chromium):
    page, _, base = many
    query = urlsplit(bh.settled_url(page)).query
    context, es, watch = bh.open_page(chromium, base + "es/?" + query)
    try:
        bh.wait_state(es, "ready")
        said = estimate(lang="es", **RUN)
        assert es.locator("#many-gpus h2").text_content() == "2b. Muchas GPU, muchos nodos"
        for path, key in (("parallel.sharding", "many.sharding"), ("parallel.comm_total_seconds", "many.comm"),
                          ("hfu", "many.recompute")):
            assert es.locator(f"#many-gpus [data-output='{path}']").first.text_content() == said["text"][key]
        assert said["text"]["many.sharding"].startswith("Con fsdp (ZeRO-3)")
        assert bh.mismatches(es, bh.page_result(lang="es", **RUN)) == []
        watch.assert_clean()
    finally:
        context.close()


def test_a_pasted_config_json_fills_the_form(many):
    page, watch, _ = many
    page.locator("#config-paste summary").click()
    page.fill("#config-json", "[1, 2]")
    bh.change(page, lambda: page.click("#config-apply"))
    said = json.loads(web.read_model_config("[1, 2]"))["errors"][0]["message"]  # Python's words, on the page
    assert said.startswith("config: ") and page.locator("#config-status").text_content() == said
    page.fill("#config-json", json.dumps(LLAMA_32_1B))
    bh.change(page, lambda: page.click("#config-apply"))
    fields = bh.field_values(page)
    assert (fields["model"], fields["n_layer"], fields["n_embd"], fields["n_kv_head"], fields["intermediate_size"],
            fields["tie_word_embeddings"], fields["vocab_size"]) == ("", "16", "2048", "8", "8192", "true", "128256")
    assert page.locator("#config-status").text_content().startswith(
        "Read config.json: model_type=llama, n_layer=16, n_head=32")
    inputs = {**{k: v for k, v in RUN.items() if k != "model"}, "n_layer": 16, "n_head": 32, "n_embd": 2048,
              "n_kv_head": 8, "intermediate_size": 8192, "vocab_size": 128256, "tie_word_embeddings": True,
              "model_type": "llama"}
    expected = bh.page_result(**inputs)
    assert expected["arch"]["counts"]["total"] == 1_235_814_400  # Llama 3.2 1B, as Meta's card gives it
    assert bh.mismatches(page, expected) == []
    # a nanoGPT config file's text: its model and its batch, the rest of the form kept
    page.fill("#config-json", "n_layer = 6\nn_head = 6\nn_embd = 384\nbatch_size = 8 * 2\ndropout = 0.2\n")
    bh.change(page, lambda: page.click("#config-apply"))
    fields = bh.field_values(page)
    assert (fields["model_type"], fields["n_layer"], fields["n_kv_head"], fields["batch_size"], fields["gpu"]) == \
        ("gpt2", "6", "", "16", "h100-sxm")
    assert page.locator("#config-status").text_content().endswith("Left out (not inputs here): dropout.")
    assert hidden(page, "[name=n_kv_head]") and not hidden(page, "[name=sharding]")
    watch.assert_clean()
