"""The GPU catalogue: every card is complete and sourced, derived peaks recompute, lookups take ids, names and what
torch.cuda.get_device_name() prints."""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

import calculator.gpus as gpus
from calculator.errors import InputError
from calculator.gpus import CATALOGUE, get_gpu, list_gpus, peak_tflops

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = [
    # consumer
    "rtx-2080-ti", "rtx-3060", "rtx-3060-ti", "rtx-3070", "rtx-3080", "rtx-3080-ti", "rtx-3090", "rtx-3090-ti",
    "rtx-4060", "rtx-4060-ti", "rtx-4070", "rtx-4070-super", "rtx-4070-ti", "rtx-4070-ti-super", "rtx-4080",
    "rtx-4080-super", "rtx-4090", "rtx-5060-ti", "rtx-5070", "rtx-5070-ti", "rtx-5080", "rtx-5090",
    # workstation
    "rtx-a4000", "rtx-a4500", "rtx-a5000", "rtx-a6000", "rtx-4000-ada", "rtx-4500-ada", "rtx-5000-ada", "rtx-6000-ada",
    "rtx-pro-6000",
    # datacenter
    "p100", "t4", "v100", "a10", "a10g", "a40", "a100-40gb", "a100-80gb", "a100-pcie-40gb", "a100-pcie-80gb", "l4",
    "l40", "l40s", "h100-sxm", "h100-pcie", "h100-nvl", "h200", "b200", "mi250x", "mi300x",
]
TFLOPS_KEYS = ("bf16", "fp16", "tf32", "fp32")
FIGURES = ("tflops", "memory_gb", "bandwidth_gbs", "l2_mb", "tdp_w", "boost_clock_mhz", "sm_count", "torch_name")
FIGURE_NAMES = set(TFLOPS_KEYS) | set(FIGURES)
ARCHS = ("Pascal", "Volta", "Turing", "Ampere", "Ada", "Hopper", "Blackwell", "CDNA2", "CDNA3")
DOCUMENTS = gpus.ABOUT["documents"]


def _number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) and x > 0


@pytest.mark.parametrize("gpu_id", REQUIRED)
def test_required_ids_exist(gpu_id):
    assert gpu_id in CATALOGUE


@pytest.mark.parametrize("gpu_id", list(CATALOGUE))
def test_entry_shape_and_figures(gpu_id):
    g = CATALOGUE[gpu_id]
    assert g["id"] == gpu_id
    assert g["segment"] in gpus.SEGMENTS
    assert g["perf_class"] in gpus.PERF_CLASSES
    assert g["arch"] in ARCHS
    assert g["name"] and g["vendor"] in ("NVIDIA", "AMD") and g["torch_name"]
    assert set(g["tflops"]) == set(TFLOPS_KEYS)
    numbers = [g["tflops"][k] for k in TFLOPS_KEYS] + [g[k] for k in ("memory_gb", "bandwidth_gbs", "tdp_w",
                                                                        "boost_clock_mhz", "sm_count")]
    assert all(x is None or _number(x) for x in numbers)
    # every GPU has a 16-bit peak, memory and bandwidth: the estimator needs them
    assert g["tflops"]["fp16"] is not None and g["memory_gb"] is not None and g["bandwidth_gbs"] is not None
    assert set(g["unverified"]) <= FIGURE_NAMES
    assert isinstance(g["notes"], str)


@pytest.mark.parametrize("gpu_id", list(CATALOGUE))
def test_every_figure_has_a_source_that_names_a_document(gpu_id):
    g = CATALOGUE[gpu_id]
    assert set(g["sources"]) == set(FIGURES)
    for figure, text in g["sources"].items():
        assert isinstance(text, str) and text.strip(), (gpu_id, figure)
        value = g["tflops"]["fp16"] if figure == "tflops" else g[figure]
        if value is None:
            continue  # "not given" / "not published" is the honest source of a missing figure
        # a figure is derived (with its inputs), flagged unverified, or traced to a listed document or public logs
        named = any(doc in text for doc in DOCUMENTS)
        assert named or text.startswith(("derived", "unverified", "public logs", "NVIDIA's naming", "ROCm's")) \
            or figure in g["unverified"], (gpu_id, figure, text)


def test_no_source_is_a_machine_path_or_process_word():
    text = (ROOT / "calculator" / "data" / "gpus.json").read_text(encoding="utf-8")
    text += (ROOT / "calculator" / "gpus.py").read_text(encoding="utf-8")
    assert not re.search(r"/work/|/tmp/|/home/|shared/reference|gpu-peaks\.md", text)
    assert not re.search(r"\b(issue \d+|the brief)\b", text, re.I)


def test_documents_have_titles_and_urls():
    assert DOCUMENTS
    for key, doc in DOCUMENTS.items():
        assert doc["title"] and doc["url"].startswith("https://"), key


@pytest.mark.parametrize("gpu_id", list(CATALOGUE))
def test_derived_figures_recompute_from_their_inputs(gpu_id):
    g = CATALOGUE[gpu_id]
    rates = g["flop_per_clock_per_sm"]
    for figure in g["derived"]:
        assert g["sources"]["tflops"].startswith("derived")
        assert f"{g['sm_count']} SMs x {g['boost_clock_mhz']} MHz" in g["sources"]["tflops"]
        computed = g["sm_count"] * g["boost_clock_mhz"] * rates[figure] / 1e6
        assert g["tflops"][figure] == pytest.approx(computed, abs=0.051), (gpu_id, figure)  # rounded to 0.1
    if rates and g["sm_count"] and g["boost_clock_mhz"]:
        # printed figures agree with the SMs, clock and per-SM rate within the documents' rounding
        for figure, rate in rates.items():
            computed = g["sm_count"] * g["boost_clock_mhz"] * rate / 1e6
            assert g["tflops"][figure] == pytest.approx(computed, rel=0.01), (gpu_id, figure)


@pytest.mark.parametrize("gpu_id", [i for i, g in CATALOGUE.items() if g["segment"] == "consumer"])
def test_geforce_runs_fp32_accumulate_at_half_rate(gpu_id):
    g = CATALOGUE[gpu_id]
    assert g["perf_class"] == "geforce"
    assert g["flop_per_clock_per_sm"]["fp16"] == 512  # 4 tensor cores/SM; 1024 with FP16 accumulate
    assert "half the FP16-accumulate" in g["notes"]


def test_rtx_4090_and_5090_match_their_whitepapers():
    # Ada whitepaper: RTX 4090 165.2 dense with FP32 accumulate; RTX Blackwell whitepaper: RTX 5090 209.5 (not 419)
    assert CATALOGUE["rtx-4090"]["tflops"]["bf16"] == pytest.approx(128 * 2520 * 512 / 1e6, abs=0.05)
    assert CATALOGUE["rtx-5090"]["tflops"]["bf16"] == 209.5 == pytest.approx(170 * 2407 * 512 / 1e6, abs=0.05)
    assert "209.5/419" in CATALOGUE["rtx-5090"]["sources"]["tflops"]
    assert CATALOGUE["rtx-4070"]["tflops"]["fp16"] == pytest.approx(58.3, abs=0.05)


def test_professional_cards_run_full_rate_except_the_l40():
    for gpu_id in ("rtx-a6000", "rtx-6000-ada", "rtx-pro-6000", "a40", "l4", "l40s"):
        g = CATALOGUE[gpu_id]
        if g["boost_clock_mhz"]:
            assert g["tflops"]["bf16"] == pytest.approx(g["sm_count"] * g["boost_clock_mhz"] * 1024 / 1e6, rel=0.01)
    assert CATALOGUE["rtx-6000-ada"]["tflops"]["bf16"] == 364.2
    assert CATALOGUE["rtx-pro-6000"]["tflops"]["bf16"] == 503.8
    # the Ada whitepaper prints the L40 at half rate: 181.05 with FP32 accumulate
    assert CATALOGUE["l40"]["tflops"]["bf16"] == 181.05 and "181.05/362.1" in CATALOGUE["l40"]["sources"]["tflops"]


@pytest.mark.parametrize("gpu_id", [i for i, g in CATALOGUE.items() if g["segment"] != "consumer"])
def test_non_geforce_bf16_equals_fp16(gpu_id):
    tf = CATALOGUE[gpu_id]["tflops"]
    if tf["bf16"] is not None:
        assert tf["bf16"] == tf["fp16"]


@pytest.mark.parametrize("gpu_id", ["p100", "t4", "v100", "rtx-2080-ti"])
def test_no_bf16_tensor_cores(gpu_id):
    assert CATALOGUE[gpu_id]["tflops"]["bf16"] is None
    assert CATALOGUE[gpu_id]["tflops"]["tf32"] is None
    with pytest.raises(InputError) as e:
        peak_tflops(get_gpu(gpu_id), "bfloat16")
    assert e.value.field == "dtype"
    assert "float16" in e.value.message and "emulation" in e.value.message


def test_p100_fp16_is_the_vector_rate():
    p100 = CATALOGUE["p100"]
    assert p100["arch"] == "Pascal" and p100["perf_class"] == "older"
    assert p100["tflops"]["fp16"] == pytest.approx(2 * p100["tflops"]["fp32"], abs=0.2)  # half2 on the CUDA cores
    assert "no tensor cores" in p100["notes"] and "vector rate" in p100["notes"]


def test_perf_classes():
    by_class = {}
    for g in CATALOGUE.values():
        by_class.setdefault(g["perf_class"], set()).add(g["id"])
    assert set(by_class) == set(gpus.PERF_CLASSES)
    assert {"a10", "a10g", "a40", "rtx-a4000", "rtx-a6000"} <= by_class["pro-ampere"]
    assert {"l4", "l40", "l40s", "rtx-4000-ada", "rtx-6000-ada", "rtx-pro-6000"} <= by_class["pro-ada"]
    assert by_class["a100"] == {"a100-40gb", "a100-80gb", "a100-pcie-40gb", "a100-pcie-80gb"}
    assert by_class["hopper"] == {"h100-sxm", "h100-pcie", "h100-nvl", "h200", "b200"}
    assert by_class["older"] == {"p100", "t4", "v100", "v100-32gb"}
    assert by_class["amd"] == {"mi250x", "mi300x"}
    assert {g["segment"] for g in CATALOGUE.values() if g["perf_class"] == "geforce"} == {"consumer"}
    for name in gpus.PERF_CLASSES:
        assert gpus.ABOUT["perf_class"][name]  # the vocabulary is documented


def test_peaks_by_dtype():
    a100 = get_gpu("a100-80gb")
    assert peak_tflops(a100, "bfloat16") == (312.0, "BF16 tensor (FP32 accumulate)")
    assert peak_tflops(a100, "float16") == (312.0, "FP16 tensor (FP32 accumulate)")
    assert peak_tflops(a100, "float32") == (156.0, "TF32 tensor")
    assert peak_tflops(get_gpu("t4"), "float32") == (8.1, "FP32 (no TF32 tensor cores)")
    assert peak_tflops(get_gpu("t4"), "float16")[0] == 65.0
    assert peak_tflops(get_gpu("p100"), "float16")[0] == 18.7
    assert peak_tflops(get_gpu("rtx-4070"), "float16")[0] == pytest.approx(58.3)


def test_the_dead_nanogpt_constant_is_gone():
    assert not hasattr(gpus, "A100_NANOGPT_PEAK_TFLOPS")


def test_bad_dtype():
    with pytest.raises(InputError) as e:
        peak_tflops(get_gpu("rtx-4070"), "int8")
    assert e.value.field == "dtype"


def test_missing_figure_is_an_error_not_a_guess():
    # A10G: no source gives a TF32 or FP32 figure
    with pytest.raises(InputError) as e:
        peak_tflops(get_gpu("a10g"), "float32")
    assert e.value.field == "dtype"


def test_unverified_marks():
    assert {"bf16", "fp16"} <= set(CATALOGUE["a10g"]["unverified"])
    assert CATALOGUE["a10g"]["tflops"]["fp16"] == 70  # the conservative one of 70 / 125
    assert {"tf32", "fp32"} <= set(CATALOGUE["b200"]["unverified"])
    assert "bf16" not in CATALOGUE["rtx-5090"]["unverified"]
    # workstation cards whose datasheets print no FP32-accumulate rate: the full rate is an assumption, flagged
    for gpu_id in ("rtx-a4000", "rtx-a4500", "rtx-a5000", "rtx-4000-ada", "rtx-4500-ada", "rtx-5000-ada"):
        assert {"bf16", "fp16"} <= set(CATALOGUE[gpu_id]["unverified"]), gpu_id
    assert "is_bf16_supported" in CATALOGUE["t4"]["notes"]


# -- lookups --

@pytest.mark.parametrize("gpu_id", list(CATALOGUE))
def test_every_card_resolves_by_id_name_and_torch_name(gpu_id):
    g = CATALOGUE[gpu_id]
    assert get_gpu(gpu_id)["id"] == gpu_id
    assert get_gpu(g["name"])["id"] == gpu_id
    assert get_gpu(g["name"].upper())["id"] == gpu_id
    by_torch = get_gpu(g["torch_name"])
    assert by_torch["torch_name"] == g["torch_name"]  # two models printing one name resolve to the first of them
    shared = [i for i, o in CATALOGUE.items() if o["torch_name"] == g["torch_name"]]
    assert by_torch["id"] == shared[0]


@pytest.mark.parametrize("text,gpu_id", [
    ("NVIDIA GeForce RTX 4070", "rtx-4070"), ("NVIDIA A100-SXM4-80GB", "a100-80gb"),
    ("NVIDIA A100-SXM4-40GB", "a100-40gb"), ("NVIDIA A100 80GB PCIe", "a100-pcie-80gb"),
    ("NVIDIA A100-PCIE-40GB", "a100-pcie-40gb"), ("NVIDIA H100 80GB HBM3", "h100-sxm"),
    ("NVIDIA H100 PCIe", "h100-pcie"), ("NVIDIA H100 NVL", "h100-nvl"),
    ("NVIDIA RTX 4000 Ada Generation", "rtx-4000-ada"), ("NVIDIA RTX A6000", "rtx-a6000"),
    ("NVIDIA L40S", "l40s"), ("NVIDIA L40", "l40"), ("Tesla T4", "t4"), ("Tesla V100-SXM2-16GB", "v100"),
    ("Tesla P100-PCIE-16GB", "p100"), ("NVIDIA GeForce RTX 4070 Ti SUPER", "rtx-4070-ti-super"),
    ("NVIDIA GeForce RTX 4070 SUPER", "rtx-4070-super"), ("NVIDIA GeForce RTX 2080 Ti", "rtx-2080-ti"),
    ("NVIDIA RTX PRO 6000 Blackwell Workstation Edition", "rtx-pro-6000"), ("NVIDIA H200", "h200"),
    ("AMD Instinct MI300X", "mi300x"), ("AMD Instinct MI300X OAM", "mi300x"), ("NVIDIA A10G", "a10g"),
])
def test_torch_device_names(text, gpu_id):
    assert get_gpu(text)["id"] == gpu_id


@pytest.mark.parametrize("text,gpu_id", [
    ("RTX 4090", "rtx-4090"), ("rtx_4090", "rtx-4090"), ("rtx4090", "rtx-4090"), ("4090", "rtx-4090"),
    ("  RTX-4070 Ti ", "rtx-4070-ti"), ("H100 SXM", "h100-sxm"), ("A100 80GB", "a100-80gb"),
    ("A100 PCIe 80GB", "a100-pcie-80gb"), ("Tesla V100-SXM2-32GB", "v100-32gb"), ("MI300X", "mi300x"),
    ("AMD Instinct MI250X", "mi250x"), ("A10", "a10"), ("A10G", "a10g"), ("RTX 4060 Ti 16GB", "rtx-4060-ti-16gb"),
    ("RTX 4090 24GB", "rtx-4090"), ("RTX 5060 Ti (16GB)", "rtx-5060-ti"),
])
def test_aliases(text, gpu_id):
    assert get_gpu(text)["id"] == gpu_id


def test_the_sweep_gpu_names_resolve():
    expected = {
        "RTX 6000 Ada (48GB)": "rtx-6000-ada", "L40S (48GB)": "l40s", "L40 (48GB)": "l40",
        "RTX A6000 (48GB)": "rtx-a6000", "RTX A5000 (24GB)": "rtx-a5000", "RTX A4000 (16GB)": "rtx-a4000",
        "A100 SXM 80GB": "a100-80gb", "H100 SXM 80GB": "h100-sxm", "H100 PCIe 80GB": "h100-pcie",
    }
    for text, gpu_id in expected.items():
        assert get_gpu(text)["id"] == gpu_id, text
    sweep = ROOT.parent / "shared" / "calibration" / "public-sweep.jsonl"
    if sweep.exists():  # every name the sweep uses is one of the above
        names = {json.loads(line)["gpu"] for line in sweep.read_text(encoding="utf-8").splitlines() if line.strip()}
        assert names <= set(expected), names - set(expected)


@pytest.mark.parametrize("text,choices", [
    ("A100", ("a100-40gb", "a100-80gb", "a100-pcie-40gb", "a100-pcie-80gb")), ("A100 PCIe", ("a100-pcie-40gb",
     "a100-pcie-80gb")), ("A100 SXM", ("a100-40gb", "a100-80gb")), ("h100", ("h100-sxm", "h100-pcie", "h100-nvl")),
    ("H100 80GB", ("h100-sxm", "h100-pcie")), ("RTX 6000", ("rtx-6000-ada", "rtx-pro-6000")),
])
def test_ambiguous_names_list_the_choices(text, choices):
    with pytest.raises(InputError) as e:
        get_gpu(text)
    assert e.value.field == "gpu"
    listed = re.findall(r"([a-z0-9-]+) \(", e.value.message)
    assert tuple(listed) == choices


def test_a_memory_size_that_does_not_fit_is_not_a_match():
    with pytest.raises(InputError) as e:
        get_gpu("RTX 4090 48GB")
    assert e.value.field == "gpu" and e.value.message.startswith("unknown GPU")


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
    assert segments == sorted(segments, key=gpus.SEGMENTS.index)  # consumer, workstation, datacenter
    consumer = [r["id"] for r in rows if r["segment"] == "consumer"]
    assert consumer.index("rtx-2080-ti") < consumer.index("rtx-3090") < consumer.index("rtx-4060-ti") \
        < consumer.index("rtx-5080")
    for r in rows:
        assert {"id", "name", "segment", "perf_class", "bf16_tflops", "fp16_tflops", "peak_source"} <= set(r)


def test_list_gpus_cli_shows_sources():
    p = subprocess.run([sys.executable, "-m", "calculator", "--list-gpus"], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    for gpu_id in ("rtx-4070", "rtx-5090", "l40", "p100"):
        row = next(line for line in lines if line.startswith(gpu_id + " "))
        assert gpus.peak_source(CATALOGUE[gpu_id]) in row and CATALOGUE[gpu_id]["perf_class"] in row
    assert "derived: 46 SMs x 2475 MHz x 512" in p.stdout  # the RTX 4070's peak, with its inputs
    assert "RTX Blackwell whitepaper" in p.stdout and "docs/gpus.md" in lines[-1]


def test_docs_gpus_md_is_current():
    p = subprocess.run([sys.executable, "-m", "tools.gpus_doc", "--check"], capture_output=True, text=True, cwd=ROOT,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    text = (ROOT / "docs" / "gpus.md").read_text(encoding="utf-8")
    for g in CATALOGUE.values():
        assert f"`{g['id']}`" in text and g["torch_name"] in text
    for doc in DOCUMENTS.values():
        assert doc["url"] in text
