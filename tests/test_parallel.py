"""calculator/parallel.py through estimate(): the layout, the communication per sharding and parallelism, the 1F1B
bubble, float8, and the published multi-GPU rows. Each test checks a property that follows from the model's stated
form (parallel.py's docstring) or from the evidence, and that a wrong formula would break."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest

import said
from calculator import InputError, estimate, parallel, schema, speed, web
from calculator.estimate import workload
from test_words import english_in
from tools import calibration_parallel as cp

LLAMA_8B = dict(model="llama-3.1-8b", gpu="h100-sxm", block_size=8192, batch_size=1)


def parts(**kw) -> dict:
    """The parts of one iteration (parallel.iteration_parts) of validated inputs."""
    return workload(schema.validate(kw), speed.CONSTANTS)["parts"]


# -- one GPU ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [dict(), dict(model="llama-3.1-8b", gpu="h100-sxm", batch_size=1),
                                dict(n_layer=6, gpu="a100-80gb", dtype="float16", compile=False),
                                dict(model="gpt2", gpu="rtx-4090", activation_checkpointing="full")])
def test_one_gpu_is_a_layout_of_one_with_no_communication_and_no_bubble(kw):
    v = schema.validate(kw)
    w = workload(v, speed.CONSTANTS)
    p = w["parts"]
    assert p["comm_s"] == 0 and p["bubble_s"] == 0 and p["allreduce_s"] == 0
    assert all(x == 0 for x in p["comm"].values())
    # the single-GPU model's own iteration (speed.iteration_parts), to the last bit
    one = speed.iteration_parts(w["w"], w["peak"], w["bandwidth"], speed.CONSTANTS, w["gemm_eff"])
    assert p["iteration_s"] == one["iteration_s"] and p["micro_step_s"] == one["micro_step_s"]
    lay = w["layout"]
    assert (lay.dp, lay.tp, lay.pp, lay.cp, lay.gpus_per_node, lay.nodes) == (1, 1, 1, 1, 1, 1)


def test_the_new_fields_at_their_defaults_change_nothing():
    defaults = {f: schema.DEFAULTS[f] for f in ("gpus_per_node", "sharding", "tensor_parallel", "pipeline_parallel",
                                                "pipeline_interleave", "context_parallel", "activation_checkpointing",
                                                "network", "model_type")}
    for kw in (dict(), dict(num_gpus=8, gpu="a100-80gb")):
        a, b = estimate(**kw), estimate(**kw, **defaults)
        assert a == b


# -- the layout ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, tp, pp, cp_, gpn", [(512, 8, 8, 1, 8), (64, 2, 1, 2, 8), (24, 1, 3, 1, 4),
                                                 (4, 1, 1, 1, 16), (96, 4, 2, 1, 6)])
def test_the_layout_is_the_product_of_its_degrees(n, tp, pp, cp_, gpn):
    dp = n // (tp * pp * cp_)
    r = estimate(**LLAMA_8B, num_gpus=n, tensor_parallel=tp, pipeline_parallel=pp, context_parallel=cp_,
                 gpus_per_node=gpn, gradient_accumulation_steps=dp * 3)
    par = r["parallel"]
    assert (par["dp"], par["tp"], par["pp"], par["cp"]) == (dp, tp, pp, cp_)
    assert par["gpus_per_node"] == min(gpn, n) and par["nodes"] == -(-n // min(gpn, n))
    assert par["micro_steps"] == r["micro_steps_per_gpu"] == 3
    # each GPU does 1 / (tp x pp x cp) of its data-parallel rank's FLOPs
    assert r["flops_per_iter_per_gpu"] == pytest.approx(r["flops_per_iter"] / n)


# -- the pipeline bubble ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pp, interleave, micro", [(2, 1, 1), (4, 1, 8), (8, 1, 32), (8, 2, 16), (4, 4, 4),
                                                    (16, 2, 64)])
def test_the_1f1b_bubble_is_stages_minus_one_over_interleave_times_micro_steps(pp, interleave, micro):
    p = parts(**LLAMA_8B, num_gpus=pp * 2, pipeline_parallel=pp, pipeline_interleave=interleave,
              gradient_accumulation_steps=2 * micro)
    assert p["bubble_s"] / p["compute_s"] == pytest.approx((pp - 1) / (interleave * micro), rel=1e-12)


def test_interleaving_shrinks_the_bubble_and_grows_the_sends():
    a = parts(**LLAMA_8B, num_gpus=8, pipeline_parallel=8, gradient_accumulation_steps=8)
    b = parts(**LLAMA_8B, num_gpus=8, pipeline_parallel=8, pipeline_interleave=4, gradient_accumulation_steps=8)
    assert b["bubble_s"] < a["bubble_s"] and b["comm"]["pipeline_s"] > a["comm"]["pipeline_s"] > 0


# -- tensor parallelism -------------------------------------------------------------------------------------------

def test_tensor_parallel_communication_grows_with_tp():
    t = [parts(**LLAMA_8B, num_gpus=8, tensor_parallel=tp, gradient_accumulation_steps=8)["comm"]["tensor_s"]
         for tp in (1, 2, 4, 8)]
    assert t[0] == 0 < t[1] < t[2] < t[3]


def test_a_faster_network_speeds_tensor_parallel_only_when_tp_spans_nodes():
    def tensor_s(tp, network):
        return parts(**LLAMA_8B, num_gpus=8, gpus_per_node=4, tensor_parallel=tp, network=network,
                     gradient_accumulation_steps=8)["comm"]["tensor_s"]

    # tp 4 in a node of 4: NVLink whatever the network
    assert tensor_s(4, "ethernet-25") == tensor_s(4, "ib-ndr") == tensor_s(4, "ib-xdr")
    # tp 8 over two nodes of 4: the network carries it, and a faster one is faster
    assert tensor_s(8, "ethernet-25") > tensor_s(8, "ib-hdr") > tensor_s(8, "ib-ndr") > tensor_s(4, "ib-ndr")


def test_recomputation_adds_tensor_parallel_collectives_and_time_but_not_mfu_flops():
    none = estimate(**LLAMA_8B, num_gpus=8, tensor_parallel=8, gradient_accumulation_steps=8)
    full = estimate(**LLAMA_8B, num_gpus=8, tensor_parallel=8, gradient_accumulation_steps=8,
                    activation_checkpointing="full")
    assert full["parallel"]["comm_seconds"]["tensor_s"] > none["parallel"]["comm_seconds"]["tensor_s"]
    assert full["ms_per_iter"] > none["ms_per_iter"] and full["flops_per_iter"] == none["flops_per_iter"]
    assert full["hfu"] == pytest.approx(full["mfu"] * (1 + speed.FORWARD_FLOPS_SHARE))
    assert none["hfu"] == none["mfu"]


# -- data parallelism across nodes --------------------------------------------------------------------------------

@pytest.mark.parametrize("sharding", ["ddp", "zero1", "zero2", "fsdp", "hsdp"])
@pytest.mark.parametrize("network", ["ib-ndr", "roce-200", "ethernet-25"])
def test_more_nodes_with_the_same_per_gpu_batch_never_raise_tokens_per_gpu(sharding, network):
    """1 to 128 nodes of 8. (Inside one node, more GPUs can raise it under zero1/zero2/fsdp: each GPU's share of
    the optimizer step shrinks as 1/dp while NVLink's collectives hide behind the compute.)"""
    per_gpu = []
    for n in (8, 16, 32, 64, 256, 1024):
        r = estimate(**LLAMA_8B, num_gpus=n, sharding=sharding, network=network, gradient_accumulation_steps=4 * n,
                     activation_checkpointing="full")
        per_gpu.append(r["tokens_per_sec_per_gpu"])
    assert all(b <= a * (1 + 1e-12) for a, b in pairwise(per_gpu)), per_gpu
    assert per_gpu[-1] < per_gpu[0]  # a thousand GPUs pay something for talking


def test_a_faster_network_never_slows_a_multi_node_run():
    for sharding in ("ddp", "zero2", "fsdp", "hsdp"):
        t = [estimate(**LLAMA_8B, num_gpus=64, sharding=sharding, network=net, gradient_accumulation_steps=64)[
            "ms_per_iter"] for net in ("ethernet-25", "ethernet-100", "roce-200", "ib-ndr", "ib-xdr")]
        assert all(b <= a for a, b in pairwise(t)), (sharding, t)


def test_the_network_does_not_matter_inside_one_node():
    t = {net: estimate(**LLAMA_8B, num_gpus=8, sharding="fsdp", network=net, gradient_accumulation_steps=8)[
        "ms_per_iter"] for net in ("ethernet-25", "ib-xdr")}
    assert t["ethernet-25"] == t["ib-xdr"]


def test_the_default_network_follows_the_card():
    assert estimate(**LLAMA_8B, num_gpus=16, gradient_accumulation_steps=16)["parallel"]["network"] == "ib-ndr"
    a100 = estimate(**{**LLAMA_8B, "gpu": "a100-80gb"}, num_gpus=16, gradient_accumulation_steps=16)
    assert a100["parallel"]["network"] == "ib-hdr"  # the field's help: HDR for the A100


# -- float8 ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("gpu", ["h100-sxm", "h200", "b200"])
def test_float8_is_faster_than_bfloat16_where_the_card_has_it(gpu):
    kw = {**LLAMA_8B, "gpu": gpu, "num_gpus": 8, "gradient_accumulation_steps": 8, "sharding": "fsdp"}
    bf16, fp8 = estimate(**kw, dtype="bfloat16"), estimate(**kw, dtype="float8")
    assert fp8["ms_per_iter"] < bf16["ms_per_iter"]
    # not faster than the matmuls alone allow: at most the FP8/BF16 peak ratio
    assert bf16["ms_per_iter"] / fp8["ms_per_iter"] < parallel.FP8["ratio"]
    assert fp8["peak_tflops"] == bf16["peak_tflops"]  # MFU against the BF16 peak, as torchtitan and Megatron report


@pytest.mark.parametrize("gpu", ["a100-80gb", "a100-40gb", "rtx-3090", "v100", "t4"])
def test_float8_is_refused_on_a_card_without_it_naming_dtype(gpu):
    with pytest.raises(InputError) as e:
        estimate(**{**LLAMA_8B, "gpu": gpu}, dtype="float8")
    assert e.value.field == "dtype" and str(e.value).startswith("dtype:")
    d = json.loads(web.from_url(f"model=llama-3.1-8b&gpu={gpu}&dtype=float8"))
    assert [x["field"] for x in d["errors"]] == ["dtype"] and d["result"] is not None


# -- the published multi-GPU rows (tools/calibration_parallel.py) -------------------------------------------------

TOLERANCE = 0.25  # per row, as the fit reports it (tools.calibration_parallel; docs/model.md's error table)
ROWS = cp.load()
FIT = speed.CONSTANTS["parallel"]["fit"]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["name"])
def test_each_published_row_is_reproduced_within_the_stated_tolerance(row):
    e = cp.error_of(row)
    assert abs(e["error"]) <= TOLERANCE, (row["name"], e["predicted"], e["measured"])
    # the table the docs show is what the shipped model gives now
    stored = next(x for x in FIT["rows"] if x["name"] == row["name"])
    assert stored["error"] == pytest.approx(e["error"], abs=5e-4)


def test_every_source_is_reproduced_and_the_held_out_rows_are_not_in_the_fit():
    sources = {cp.source_of(r) for r in ROWS}
    assert sources == {"torchtitan", "llmfoundry", "megatron", "llmc", "moddednanogpt"}
    train, held = cp.split(ROWS)
    names = {r["name"] for r in ROWS}
    assert {r["name"] for r in train} | {r["name"] for r in held} == names
    assert not {r["name"] for r in train} & {r["name"] for r in held}
    assert set(FIT["held_out"]) == {r["name"] for r in held} and not set(FIT["held_out"]) & set(FIT["fitted_on"])
    assert len(held) >= len(ROWS) // 4  # a real share kept aside, from every source with three rows or more
    for src in sources:
        rows = [r for r in ROWS if cp.source_of(r) == src]
        if len(rows) >= 3:
            assert any(r in held for r in rows), src


def test_the_overlaps_are_what_a_fit_on_the_training_rows_gives():
    c = json.loads(json.dumps(speed.CONSTANTS))
    shipped = {k: c["parallel"][k] for k in ("fsdp_overlap", "tp_overlap")}
    cp.fit(c)
    for k, x in shipped.items():
        assert c["parallel"][k] == pytest.approx(x, abs=2e-3), k


def test_a_flat_mfu_does_worse_than_the_model_on_the_rows():
    model = sorted(abs(cp.error_of(r)["error"]) for r in ROWS)
    flat = sorted(abs(x["flat40_error"]) for x in FIT["rows"])
    assert model[len(model) // 2] < flat[len(flat) // 2]
    assert sum(e <= TOLERANCE for e in model) > sum(e <= TOLERANCE for e in flat)


# -- the new warnings and errors in Spanish -------------------------------------------------------------------------

SPANISH_WARNINGS = {
    "warn.no_fit_static": dict(model="llama-3.1-8b", gpu="rtx-4090", batch_size=1, gradient_accumulation_steps=1),
    "warn.fit_with": dict(model="llama-3.1-8b", gpu="a100-40gb", num_gpus=8, gradient_accumulation_steps=32,
                          batch_size=4, block_size=8192),
    "warn.fit_none": dict(model="llama-3.1-8b", gpu="rtx-4090", num_gpus=2, gradient_accumulation_steps=2,
                          sharding="fsdp", batch_size=1),
}


@pytest.mark.parametrize("key", SPANISH_WARNINGS)
def test_the_new_warnings_are_wholly_spanish(key):
    kw = SPANISH_WARNINGS[key]
    keys = [w["key"] for w in estimate(**kw)["warnings"]]
    assert key in keys, keys
    es, en = said.estimate("es", **kw)["warnings"], said.estimate("en", **kw)["warnings"]
    i = keys.index(key)
    assert es[i] != en[i] and not english_in(es[i]), (english_in(es[i]), es[i])


@pytest.mark.parametrize("query", [
    "model=llama-3.1-8b&num_gpus=16&tensor_parallel=16", "num_gpus=6&tensor_parallel=4&gradient_accumulation_steps=6",
    "n_layer=4&num_gpus=8&pipeline_parallel=8&gradient_accumulation_steps=8",
    "n_layer=8&num_gpus=4&pipeline_parallel=4&pipeline_interleave=4&gradient_accumulation_steps=4",
    "block_size=1000&num_gpus=16&context_parallel=16&gradient_accumulation_steps=16", "n_kv_head=5",
    "model=llama-3.1-8b&gpu=a100-80gb&dtype=float8", "model=llama-9000", "model_type=bert", "sharding=zero3",
])
def test_the_new_errors_are_wholly_spanish(query):
    es, en = json.loads(web.from_url(query, "es")), json.loads(web.from_url(query, "en"))
    assert es["errors"] and len(es["errors"]) == len(en["errors"])
    for e, english in zip(es["errors"], en["errors"], strict=True):
        assert e["field"] == english["field"] and e["message"] != english["message"]
        assert not english_in(e["message"]), (english_in(e["message"]), e["message"])


def test_the_communication_bound_is_named_in_both_languages():
    kw = dict(**LLAMA_8B, num_gpus=64, gradient_accumulation_steps=64, network="ethernet-25", sharding="fsdp")
    assert estimate(**kw)["bound"] == "communication"
    assert said.estimate("es", **kw)["text"]["bound"] == "comunicación"
