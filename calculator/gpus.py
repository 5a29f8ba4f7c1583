"""The GPU catalogue: peak throughput, memory, bandwidth, power and clocks of the GPUs people train nanoGPT on.

The numbers live in data/gpus.json: each figure names its source (an NVIDIA or AMD datasheet or architecture whitepaper,
listed with its URL under _about.documents, or "derived: SMs x clock x FLOP/clock/SM" with the inputs), and each entry
lists the figures no source settles as unverified. This module loads them once, finds a GPU by a forgiving id, name or
what torch.cuda.get_device_name() prints, and says which peak a nanoGPT run uses for its dtype.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from .errors import InputError
from .facts import fact, joined

# Plain file reading: in Pyodide the package is a zip unpacked to disk, so this path exists there too.
_DATA = json.loads((Path(__file__).with_name("data") / "gpus.json").read_text(encoding="utf-8"))
ABOUT: dict = _DATA["_about"]
CATALOGUE: dict[str, dict] = {g["id"]: g for g in _DATA["gpus"]}  # in display order (see list_gpus)
PERF_CLASSES: tuple[str, ...] = tuple(ABOUT["perf_class"])
# Apple Silicon chips (device=mps: the GPU; device=cpu: the CPU cluster) and a generic CPU, from data/apple.json
_APPLE = json.loads((Path(__file__).with_name("data") / "apple.json").read_text(encoding="utf-8"))
DEVICES: dict[str, dict] = {g["id"]: g for g in _APPLE["chips"]}
GENERIC_CPU = "cpu-generic"
_ALL: dict[str, dict] = {**CATALOGUE, **DEVICES}
SEGMENTS = ("consumer", "workstation", "datacenter")

# Words people put in front of a model number that say nothing about which GPU it is.
_VENDOR_WORDS = {"nvidia", "geforce", "tesla", "amd", "instinct", "radeon", "apple"}


def _key(text: str) -> str:
    """Lookup key: lower case, no vendor words, letters and digits only ("NVIDIA GeForce RTX 4090" -> "rtx4090")."""
    words = re.split(r"[^a-z0-9]+", text.lower())
    return "".join(w for w in words if w not in _VENDOR_WORDS)


# Explicit aliases beyond the ids, names and torch names (each entry's torch_name is added from the data).
_ALIASES = {
    "H100 SXM5": "h100-sxm",
    "H100 SXM5 80GB HBM3": "h100-sxm",
    "H200 SXM": "h200",
    "H200 141GB": "h200",
    "A100 40GB SXM": "a100-40gb",
    "A100 80GB SXM": "a100-80gb",
    "A100 40GB PCIe": "a100-pcie-40gb",
    "V100 16GB": "v100",
    "V100 SXM2": "v100",
    "V100 32GB": "v100-32gb",
    "RTX 4060 Ti 8GB": "rtx-4060-ti",
    "A10G AWS": "a10g",
    "P100 PCIe": "p100",
    "RTX PRO 6000 Blackwell": "rtx-pro-6000",
    "RTX PRO 6000 Workstation": "rtx-pro-6000",
    "AMD Instinct MI300X OAM": "mi300x",  # ROCm on some hosts
    "AMD Instinct MI250X/MI250": "mi250x",
}
# Names that fit more than one entry: an error lists the choices rather than guessing. A memory size given with the
# name ("A100 SXM 80GB") narrows the choices (see _find).
_AMBIGUOUS = {
    "a100": ("a100-40gb", "a100-80gb", "a100-pcie-40gb", "a100-pcie-80gb"),
    "a100sxm": ("a100-40gb", "a100-80gb"),
    "a100sxm4": ("a100-40gb", "a100-80gb"),
    "a100pcie": ("a100-pcie-40gb", "a100-pcie-80gb"),
    "h100": ("h100-sxm", "h100-pcie", "h100-nvl"),
    "v100sxm2": ("v100", "v100-32gb"),
    "rtx6000": ("rtx-6000-ada", "rtx-pro-6000"),
    "6000": ("rtx-6000-ada", "rtx-pro-6000"),
}
# "<name> 80GB", "<name> (48GB)", "<name>-16GB": a memory size after the name.
_MEMORY_SUFFIX = re.compile(r"^(.*?)[\s(_-]*(\d+(?:\.\d+)?)\s*gb\)?$", re.IGNORECASE)


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}

    def add(text: str, gpu_id: str) -> None:
        key = _key(text)
        if lookup.get(key, gpu_id) != gpu_id:
            raise RuntimeError(f"gpus.json: '{text}' would name both {lookup[key]} and {gpu_id}")
        lookup[key] = gpu_id

    for gpu_id, g in _ALL.items():
        add(gpu_id, gpu_id)
        add(g["name"], gpu_id)
        if _key(g["torch_name"]) not in lookup:  # two models may print one name (RTX 4060 Ti 8/16 GB): the first wins
            add(g["torch_name"], gpu_id)
        if gpu_id.startswith("rtx-"):
            add(gpu_id[len("rtx-"):], gpu_id)  # "4090" -> rtx-4090
    for alias, gpu_id in _ALIASES.items():
        add(alias, gpu_id)
    return lookup


_LOOKUP = _build_lookup()


def _suggest(gpu_id: str) -> list[str]:
    """Up to three ids close to a mistyped one, matched against ids and names."""
    text = re.sub(r"[^a-z0-9]+", "-", gpu_id.lower()).strip("-")
    by_name = {g["name"].lower(): i for i, g in _ALL.items()}
    import difflib  # only for "did you mean": imported on first use, ~40 ms less at page start in Pyodide

    matches = difflib.get_close_matches(text, list(_ALL) + list(by_name), n=6, cutoff=0.6)
    ids = [by_name.get(m, m) for m in matches]
    return list(dict.fromkeys(ids))[:3]  # dedupe, keep the best first


def _custom(custom: dict | None) -> dict:
    """An entry from the user's own figures; the schema has already checked their ranges."""
    custom = custom or {}
    for name in ("custom_tflops", "custom_memory_gb", "custom_bandwidth_gbs"):
        if custom.get(name) is None:
            raise InputError(name, "error.custom_required")
    peak = custom["custom_tflops"]
    given = "given by the user"
    return {
        "id": "custom", "name": "Custom GPU", "vendor": "custom", "segment": "custom", "arch": None,
        # one peak for every tensor dtype; no separate non-tensor FP32 figure
        "tflops": {"bf16": peak, "fp16": peak, "tf32": peak, "fp32": None},
        "memory_gb": custom["custom_memory_gb"], "bandwidth_gbs": custom["custom_bandwidth_gbs"], "tdp_w": None,
        "sources": {"tflops": given, "memory_gb": given, "bandwidth_gbs": given, "tdp_w": "not given"},
        "unverified": [], "notes": "custom_tflops is used as the peak for bfloat16, float16 and float32 (TF32)",
    }


def _candidates(key: str) -> tuple[str, ...]:
    if key in _LOOKUP:
        return (_LOOKUP[key],)
    return _AMBIGUOUS.get(key, ())


def _find(text: str) -> tuple[str, ...]:
    """The ids a text can mean: one, several (ambiguous) or none. A trailing memory size ("H100 PCIe 80GB",
    "RTX 6000 Ada (48GB)") that the name alone does not include keeps only the entries with that much memory."""
    found = _candidates(_key(text))
    if found:
        return found
    m = _MEMORY_SUFFIX.match(text)
    if m:
        memory = float(m.group(2))
        return tuple(i for i in _candidates(_key(m.group(1))) if _ALL[i]["memory_gb"] == memory)
    return ()


def get_gpu(gpu_id: str, custom: dict | None = None) -> dict:
    """The catalogue entry (a copy) for an id, a name, what torch.cuda.get_device_name() prints, or an alias, matched
    ignoring case, punctuation and vendor words ("NVIDIA", "GeForce", "Tesla", ...).

    gpu_id "custom" builds an entry from custom = {"custom_tflops", "custom_memory_gb", "custom_bandwidth_gbs"}.
    """
    text = str(gpu_id).strip()
    if _key(text) == "custom":
        return _custom(custom)
    found = _find(text)
    if len(found) == 1:
        return copy.deepcopy(_ALL[found[0]])
    if found:
        choices = joined([fact("gpu.choice", id=i, name=CATALOGUE[i]["name"]) for i in found], fact("list.or"))
        raise InputError("gpu", "error.gpu_ambiguous", text=text, choices=choices)
    suggestions = _suggest(text)
    if suggestions:
        raise InputError("gpu", "error.gpu_unknown_suggest", text=text, suggestions=", ".join(suggestions))
    raise InputError("gpu", "error.gpu_unknown", text=text, known=", ".join(_ALL))


def peak_tflops(gpu: dict, dtype: str) -> tuple[float, str]:
    """The dense peak (TFLOPS) a nanoGPT run on this GPU uses for its dtype, and which unit that is.

    Follows nanoGPT's train.py: bfloat16/float16 run matmuls under torch.autocast on the tensor cores with FP32
    accumulate; float32 runs with torch.backends.cuda.matmul.allow_tf32 = True, so on TF32 tensor cores where the
    GPU has them, else at the plain FP32 rate.
    """
    tf = gpu["tflops"]
    name = gpu["name"]
    custom = gpu.get("segment") == "custom"
    if dtype == "bfloat16":
        if tf["bf16"] is None:
            raise InputError("dtype", "error.no_bf16", gpu=name)
        peak, label = tf["bf16"], "BF16 tensor (FP32 accumulate)"
    elif dtype == "float16":
        peak, label = tf["fp16"], "FP16 tensor (FP32 accumulate)"
    elif dtype == "float32":
        if tf["tf32"] is not None:
            peak, label = tf["tf32"], "TF32 tensor"
        else:
            peak, label = tf["fp32"], "FP32 (no TF32 tensor cores)"
    else:
        raise InputError("dtype", "error.must_be", range=fact("range.choice", choices="bfloat16, float16, float32"),
                         shown=repr(dtype), hint="")
    if peak is None:
        raise InputError("dtype", "error.no_peak", dtype=dtype, gpu=name)
    if custom:
        label = "custom peak (given by the user)"
    return float(peak), label


def list_gpus() -> list[dict]:
    """Every GPU in display order (consumer by generation, then workstation, then datacenter) for the GPU picker and
    the CLI."""
    return [
        {
            "id": g["id"], "name": g["name"], "vendor": g["vendor"], "segment": g["segment"], "arch": g["arch"],
            "perf_class": g["perf_class"], "torch_name": g["torch_name"],
            "bf16_tflops": g["tflops"]["bf16"], "fp16_tflops": g["tflops"]["fp16"], "memory_gb": g["memory_gb"],
            "bandwidth_gbs": g["bandwidth_gbs"], "tdp_w": g["tdp_w"], "peak_source": peak_source(g),
        }
        for g in CATALOGUE.values()
    ]


def peak_source(gpu: dict) -> str:
    """A short name for where the bf16/fp16 peak comes from: a document of _about.documents, or "derived" (SMs x boost
    clock x FLOP/clock/SM), or "unverified"."""
    text = gpu["sources"]["tflops"]
    if text.startswith("derived"):
        return (f"derived: {gpu['sm_count']} SMs x {gpu['boost_clock_mhz']} MHz x "
                f"{gpu['flop_per_clock_per_sm']['fp16']}")
    if text.startswith("unverified"):
        return "unverified"
    return text.split(":")[0]


# Classes whose cards boost by their power limit (GeForce, and the GA10x/AD10x workstation and datacenter cards).
CLOCKED_CLASSES = ("geforce", "pro-ampere", "pro-ada")


def tensor_clock_mhz(gpu: dict) -> float | None:
    """The clock the card holds under sustained tensor load (_about.tensor_clock): min(max_mhz, k x (W per SM)^(1/3)),
    or None where the card runs at its rating (A100, Hopper, older, AMD, custom) or a figure is missing."""
    model = ABOUT["tensor_clock"].get(gpu.get("arch") or "")
    if gpu.get("perf_class") not in CLOCKED_CLASSES or not model:
        return None
    if not (gpu.get("tdp_w") and gpu.get("sm_count") and gpu.get("boost_clock_mhz")):
        return None
    return min(model["max_mhz"], model["k"] * (gpu["tdp_w"] / gpu["sm_count"]) ** (1 / 3))


def clock_ratio(gpu: dict) -> float:
    """The sustained tensor clock over the rated boost clock the datasheet peak assumes (1 where not modelled)."""
    clock = tensor_clock_mhz(gpu)
    return clock / gpu["boost_clock_mhz"] if clock else 1.0


def has_bf16(gpu: dict) -> bool:
    """BF16 tensor cores (what torch.cuda.is_bf16_supported(including_emulation=False) asks: compute capability 8+)."""
    return gpu["tflops"].get("bf16") is not None


def device_peak(gpu: dict, device: str) -> tuple[float, str]:
    """The peak (TFLOPS) of a run on mps or cpu, which nanoGPT runs in float32: the Apple GPU's FP32 rate, or the
    CPU cluster's (an Apple chip's performance cores, or the generic CPU entry)."""
    if device == "mps":
        return float(gpu["tflops"]["fp32"]), "FP32 (Apple GPU)"
    return gpu["cpu"]["gflops"] / 1000, "FP32 (CPU cores)"
