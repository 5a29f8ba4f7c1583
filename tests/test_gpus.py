"""The GPU catalogue: the data file is complete and sourced, the peaks follow the reference, lookups forgive."""

import math

import pytest

from calculator.errors import InputError
from calculator.gpus import A100_NANOGPT_PEAK_TFLOPS, CATALOGUE, get_gpu, list_gpus, peak_tflops

REQUIRED = [
    "rtx-3060", "rtx-3070", "rtx-3080", "rtx-3090", "rtx-4060-ti", "rtx-4070", "rtx-4070-ti", "rtx-4080",
    "rtx-4090", "rtx-5080", "rtx-5090", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l4",
    "l40s", "a10", "a10g", "t4", "v100", "mi250x", "mi300x",
]
TFLOPS_KEYS = ("bf16", "fp16", "tf32", "fp32")
FIGURES = ("tflops", "memory_gb", "bandwidth_gbs", "tdp_w")
FIGURE_NAMES = set(TFLOPS_KEYS) | set(FIGURES)


@pytest.mark.parametrize("gpu_id", REQUIRED)
def test_required_ids_exist(gpu_id):
    assert gpu_id in CATALOGUE


@pytest.mark.parametrize("gpu_id", list(CATALOGUE))
def test_entry_shape_and_figures(gpu_id):
    g = CATALOGUE[gpu_id]
    assert g["id"] == gpu_id
    assert g["segment"] in ("consumer", "datacenter")
    assert g["arch"] in ("Ampere", "Ada", "Hopper", "Blackwell", "Turing", "Volta", "CDNA2", "CDNA3")
    assert g["name"] and g["vendor"]
    assert set(g["tflops"]) == set(TFLOPS_KEYS)
    numbers = [g["tflops"][k] for k in TFLOPS_KEYS] + [g["memory_gb"], g["bandwidth_gbs"], g["tdp_w"]]
    for x in numbers:
        assert x is None or (isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x > 0)
    # every GPU has a tensor FP16 peak, memory and bandwidth: the estimator needs them
    assert g["tflops"]["fp16"] is not None and g["memory_gb"] is not None and g["bandwidth_gbs"] is not None
    for fig in FIGURES:
        assert isinstance(g["sources"].get(fig), str) and g["sources"][fig].strip(), (gpu_id, fig)
    assert set(g["unverified"]) <= FIGURE_NAMES
    assert isinstance(g["notes"], str)


def test_about_names_the_reference():
    import json
    from pathlib import Path

    import calculator.gpus as gpus

    data = json.loads((Path(gpus.__file__).with_name("data") / "gpus.json").read_text())
    assert "gpu-peaks.md" in data["_about"]["reference"]


def test_rtx_4090_matches_the_formula():
    # reference: derived consumer figures = SMs x boost clock x 512 FLOP/clock/SM (FP32 accumulate)
    assert CATALOGUE["rtx-4090"]["tflops"]["fp16"] == pytest.approx(128 * 2.52 * 512 / 1e3, abs=0.5)


def test_consumer_fp16_is_the_fp32_accumulate_rate():
    assert CATALOGUE["rtx-4070"]["tflops"]["fp16"] == pytest.approx(46 * 2.475 * 512 / 1000, abs=0.1)
    assert CATALOGUE["rtx-4070"]["tflops"]["fp16"] == pytest.approx(58.3, abs=0.05)


@pytest.mark.parametrize("gpu_id", [i for i, g in CATALOGUE.items() if g["segment"] == "datacenter"])
def test_datacenter_bf16_equals_fp16(gpu_id):
    tf = CATALOGUE[gpu_id]["tflops"]
    if tf["bf16"] is not None:
        assert tf["bf16"] == tf["fp16"]


@pytest.mark.parametrize("gpu_id", ["t4", "v100"])
def test_no_bf16_tensor_cores(gpu_id):
    assert CATALOGUE[gpu_id]["tflops"]["bf16"] is None
    assert CATALOGUE[gpu_id]["tflops"]["tf32"] is None
    with pytest.raises(InputError) as e:
        peak_tflops(get_gpu(gpu_id), "bfloat16")
    assert e.value.field == "dtype"
    assert "float16" in e.value.message and "emulation" in e.value.message


def test_peaks_by_dtype():
    a100 = get_gpu("a100-80gb")
    assert peak_tflops(a100, "bfloat16") == (312.0, "BF16 tensor (FP32 accumulate)")
    assert peak_tflops(a100, "float16") == (312.0, "FP16 tensor (FP32 accumulate)")
    assert peak_tflops(a100, "float32") == (156.0, "TF32 tensor")
    assert peak_tflops(get_gpu("t4"), "float32") == (8.1, "FP32 (no TF32 tensor cores)")
    assert peak_tflops(get_gpu("t4"), "float16")[0] == 65.0
    assert peak_tflops(get_gpu("rtx-4070"), "float16")[0] == pytest.approx(58.3)
    assert A100_NANOGPT_PEAK_TFLOPS == 312.0 == CATALOGUE["a100-40gb"]["tflops"]["bf16"]


def test_bad_dtype():
    with pytest.raises(InputError) as e:
        peak_tflops(get_gpu("rtx-4070"), "int8")
    assert e.value.field == "dtype"


def test_missing_figure_is_an_error_not_a_guess():
    # A10G: the reference gives no TF32 or FP32 figure
    with pytest.raises(InputError) as e:
        peak_tflops(get_gpu("a10g"), "float32")
    assert e.value.field == "dtype"


def test_unverified_marks():
    assert {"bf16", "fp16"} <= set(CATALOGUE["a10g"]["unverified"])
    assert CATALOGUE["a10g"]["tflops"]["fp16"] == 70  # the conservative one of 70 / 125
    assert {"tf32", "fp32"} <= set(CATALOGUE["b200"]["unverified"])
    assert CATALOGUE["rtx-5080"]["unverified"] and CATALOGUE["rtx-5090"]["unverified"]
    assert "bf16" not in CATALOGUE["rtx-5090"]["unverified"]  # from the nanochat table
    assert "is_bf16_supported" in CATALOGUE["t4"]["notes"]


def test_unknown_id_suggests():
    with pytest.raises(InputError) as e:
        get_gpu("rtx-4700")
    assert e.value.field == "gpu"
    assert "rtx-4070" in e.value.message and "'custom'" in e.value.message
    assert e.value.message.startswith("unknown GPU 'rtx-4700'; did you mean: ")


def test_unknown_id_without_near_match_lists_ids():
    with pytest.raises(InputError) as e:
        get_gpu("zzzzzzzzzzzz")
    assert e.value.field == "gpu" and "rtx-4070" in e.value.message


@pytest.mark.parametrize("text,gpu_id", [
    ("RTX 4090", "rtx-4090"), ("rtx_4090", "rtx-4090"), ("rtx4090", "rtx-4090"), ("4090", "rtx-4090"),
    ("NVIDIA GeForce RTX 4070", "rtx-4070"), ("  RTX-4070 Ti ", "rtx-4070-ti"), ("H100 SXM", "h100-sxm"),
    ("NVIDIA H100 80GB HBM3", "h100-sxm"), ("NVIDIA H100 PCIe", "h100-pcie"), ("NVIDIA A100-SXM4-40GB", "a100-40gb"),
    ("A100 80GB", "a100-80gb"), ("Tesla T4", "t4"), ("Tesla V100-SXM2-32GB", "v100-32gb"), ("MI300X", "mi300x"),
    ("AMD Instinct MI250X", "mi250x"), ("L40S", "l40s"), ("A10", "a10"), ("A10G", "a10g"),
])
def test_aliases(text, gpu_id):
    assert get_gpu(text)["id"] == gpu_id


@pytest.mark.parametrize("text,choices", [
    ("A100", ("a100-40gb", "a100-80gb")), ("A100 PCIe", ("a100-40gb", "a100-80gb")),
    ("h100", ("h100-sxm", "h100-pcie"))])
def test_ambiguous_names_list_the_choices(text, choices):
    with pytest.raises(InputError) as e:
        get_gpu(text)
    assert e.value.field == "gpu"
    assert all(c in e.value.message for c in choices)


def test_get_gpu_returns_a_copy():
    g = get_gpu("rtx-4070")
    g["tflops"]["fp16"] = 1.0
    assert CATALOGUE["rtx-4070"]["tflops"]["fp16"] == pytest.approx(58.3)


def test_custom():
    custom = {"custom_tflops": 100.0, "custom_memory_gb": 24.0, "custom_bandwidth_gbs": 1000.0}
    g = get_gpu("custom", custom)
    assert g["segment"] == "custom" and g["memory_gb"] == 24.0 and g["bandwidth_gbs"] == 1000.0
    assert g["sources"]["tflops"] == "given by the user"
    for dtype in ("bfloat16", "float16", "float32"):
        peak, label = peak_tflops(g, dtype)
        assert peak == 100.0 and "custom" in label
    assert get_gpu("Custom", custom)["id"] == "custom"
    # no range checks here (the schema does them): odd values pass through
    assert get_gpu("custom", {**custom, "custom_tflops": -5.0})["tflops"]["bf16"] == -5.0


def test_custom_needs_its_figures():
    with pytest.raises(InputError) as e:
        get_gpu("custom", {"custom_tflops": 1.0, "custom_memory_gb": 1.0})
    assert e.value.field == "custom_bandwidth_gbs"


def test_list_gpus_order_and_fields():
    rows = list_gpus()
    assert [r["id"] for r in rows] == list(CATALOGUE)
    assert set(REQUIRED) <= {r["id"] for r in rows}
    segments = [r["segment"] for r in rows]
    assert segments == sorted(segments, key=lambda s: s != "consumer")  # consumer first, then datacenter
    consumer = [r["id"] for r in rows if r["segment"] == "consumer"]
    assert consumer.index("rtx-3090") < consumer.index("rtx-4060-ti") < consumer.index("rtx-5080")
    for r in rows:
        assert {"id", "name", "segment", "bf16_tflops", "fp16_tflops"} <= set(r)
