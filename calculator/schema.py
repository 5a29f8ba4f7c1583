"""The schema of inputs: one table that drives the CLI flags, the form fields, the URL parameters, the validation
messages and the docs table.

Names are nanoGPT's config names (train.py / model.py GPTConfig), so a user can paste their config or command line.
Defaults are the run behind the question this page answers: a 40.56M-parameter GPT (12 layers x 12 heads x 384
wide) at 16 x 32 x 1024 tokens per iteration, torch.compile, on an RTX 4070. Its published config sets no dtype, so
nanoGPT's default picked bfloat16 on that card (not the float16 the question mentions).
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl, urlencode

from . import arch
from .errors import InputError
from .facts import fact, qty


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "int" | "float" | "bool" | "choice" | "gpu" | "model"
    default: Any
    group: str  # "model" | "batch" | "run" | "hardware" | "check"
    label: str
    help: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    optional: bool = False  # None (absent) is a valid value
    exclusive_min: bool = False
    unit: str = ""
    cli_only: bool = False
    placeholder: str = ""  # what an empty optional field means, shown in the form

    def range_fact(self) -> dict:
        """The allowed values as a fact (calculator.facts), for the error messages and the docs' inputs table."""
        if self.kind == "bool":
            return fact("range.bool")
        if self.kind in ("choice",):
            return fact("range.choice", choices=", ".join(self.choices))
        if self.kind == "gpu":
            return fact("range.gpu")
        if self.kind == "model":
            return fact("range.model")
        lo = _num_text(self.min) if self.min is not None else None
        hi = _num_text(self.max) if self.max is not None else None
        what = "int" if self.kind == "int" else "number"
        if lo is not None and hi is not None:
            op = "<" if self.exclusive_min else "<="
            return fact(f"range.{what}_between", lo=lo, op=op, name=self.name, hi=hi)
        if lo is not None:
            return fact(f"range.{what}_min", lo=lo)
        return fact(f"range.{what}")

    def range_text(self) -> str:
        """The allowed values in English (the CLI's --help; calculator.words.say(range_fact(), lang) for others)."""
        from .words import say

        return say(self.range_fact())


def _num_text(x: float) -> str:
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}".replace(",", "_") if abs(x) >= 100_000 else str(int(x))
    return repr(float(x))


GROUPS = {
    "model": "Model",
    "batch": "Batch",
    "run": "Run",
    "hardware": "Hardware",
    "parallel": "Parallelism",
    "check": "Check a claim",
    "cost": "Cost",
}

FIELDS: tuple[Field, ...] = (
    # -- model (nanoGPT model.py GPTConfig; defaults are the 40.56M run behind the question) --
    Field("n_layer", "int", 12, "model", "Layers", "Transformer blocks (n_layer).", 1, 1000),
    Field("n_head", "int", 12, "model", "Heads", "Attention heads per block; must divide n_embd.", 1, 1024),
    Field("n_embd", "int", 384, "model", "Embedding width", "Model width (n_embd).", 1, 131072),
    Field("vocab_size", "int", 50304, "model", "Vocabulary",
          "Tokens in the vocabulary; nanoGPT pads GPT-2's 50257 to 50304.", 1, 10_000_000),
    Field("block_size", "int", 1024, "model", "Context length", "Tokens per sequence (block_size).", 1, 1_048_576,
          unit="tokens"),
    Field("bias", "bool", False, "model", "Bias", "Biases in Linear and LayerNorm layers (nanoGPT train.py: False; "
          "model_type gpt2 only: the other types fix their own biases)."),
    # -- beyond GPT-2 (calculator/arch.py): Hugging Face config.json names --
    Field("model", "model", None, "model", "Model preset", "A model by name (llama-3.1-8b, qwen2.5-0.5b, gpt2-xl...: "
          "--list-models); it sets the model's fields, and any of them given beside it wins.", optional=True,
          placeholder="none"),
    Field("model_type", "choice", "gpt2", "model", "Architecture", "gpt2 is nanoGPT's model; gpt_neox (Pythia) and "
          "mpt are GPTs of other sizes; llama, mistral and qwen2 have SwiGLU, RMSNorm, RoPE and grouped-query "
          "attention (config.json's model_type).", choices=arch.MODEL_TYPES),
    Field("n_kv_head", "int", None, "model", "KV heads", "Key/value heads for grouped-query attention "
          "(num_key_value_heads); must divide n_head. Empty: n_head.", 1, 1024, optional=True, placeholder="n_head"),
    Field("intermediate_size", "int", None, "model", "MLP width", "The MLP's hidden width (intermediate_size). "
          "Empty: 4 x n_embd for the GPTs; for Llama types Meta's 8/3 x n_embd rounded up to 256.", 1, 4_194_304,
          optional=True, placeholder="default"),
    Field("tie_word_embeddings", "bool", None, "model", "Tied embeddings", "The output layer shares the token "
          "embedding (tie_word_embeddings). Empty: the type's default (tied for gpt2 and mpt).", optional=True,
          placeholder="default"),
    # -- batch --
    Field("batch_size", "int", 16, "batch", "Micro-batch", "Sequences per forward/backward pass, per GPU.",
          1, 65536, unit="sequences"),
    Field("gradient_accumulation_steps", "int", 32, "batch", "Gradient accumulation",
          "Micro-steps per iteration, summed over all GPUs (nanoGPT divides it by the number of GPUs).",
          1, 1_000_000),
    # -- run --
    Field("max_iters", "int", 6000, "run", "Iterations", "max_iters: nanoGPT runs max_iters + 1 steps.",
          0, 1e12),
    Field("eval_interval", "int", 2000, "run", "Eval every", "An evaluation (and checkpoint) every this many "
          "iterations, including iteration 0.", 1, 1e12, unit="iterations"),
    Field("eval_iters", "int", 200, "run", "Eval batches", "Batches per split in each evaluation (train and val).",
          0, 1_000_000),
    Field("checkpoint_seconds", "float", 0.0, "run", "Checkpoint cost",
          "Seconds to save a checkpoint at each evaluation after iteration 0 (0 to leave it out).", 0, 86400,
          unit="s"),
    # -- hardware --
    Field("gpu", "gpu", "rtx-4070", "hardware", "GPU", "Which GPU (the peak used is shown beside it)."),
    Field("num_gpus", "int", 1, "hardware", "GPUs", "All GPUs of the run; num_gpus / (tensor_parallel x "
          "pipeline_parallel x context_parallel) data-parallel ranks, which must divide gradient_accumulation_steps.",
          1, 100_000),
    Field("dtype", "choice", "auto", "hardware", "dtype", "nanoGPT's dtype. auto is nanoGPT's own rule: bfloat16 "
          "where torch.cuda.is_bf16_supported() says yes (BF16 tensor cores; emulated on older NVIDIA cards from "
          "PyTorch 2.3), else float16. float32 uses TF32 tensor cores where the GPU has them (nanoGPT allows TF32). "
          "float8: the matmuls in FP8 (Hopper, Ada, Blackwell), the rest in bfloat16. mps and cpu run float32 "
          "whatever this says.", choices=("auto", "bfloat16", "float16", "float32", "float8")),
    Field("compile", "bool", True, "hardware", "torch.compile", "compile=True in nanoGPT."),
    Field("device", "choice", "cuda", "hardware", "Device", "nanoGPT's --device: cuda (an NVIDIA or AMD GPU), mps "
          "(an Apple chip's GPU: put the chip in gpu, e.g. Apple M3 Max) or cpu (an Apple chip's CPU cores, or a "
          "generic desktop CPU).", choices=("cuda", "mps", "cpu")),
    Field("torch_version", "choice", "2.11", "hardware", "PyTorch", "The PyTorch release (major.minor). Before 2.2, "
          "SDPA's flash kernel was FlashAttention 1; 2.0 and 2.1 compile with a younger Inductor.",
          choices=("2.0", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "2.9", "2.10", "2.11")),
    Field("mfu", "float", None, "hardware", "Assumed MFU", "Model FLOPs utilisation as a fraction (0.35 = 35%); "
          "leave empty for the model's suggestion.", 0, 1, optional=True, exclusive_min=True),
    Field("custom_tflops", "float", 100.0, "hardware", "Custom peak",
          "Dense tensor-core peak for the chosen dtype, used when gpu=custom.", 0.001, 100_000,
          unit="TFLOPS"),
    Field("custom_memory_gb", "float", 24.0, "hardware", "Custom memory", "GPU memory, used when gpu=custom.",
          0.1, 100_000, unit="GB"),
    Field("custom_bandwidth_gbs", "float", 1000.0, "hardware", "Custom bandwidth",
          "Memory bandwidth, used when gpu=custom.", 1, 1_000_000, unit="GB/s"),
    # -- parallelism (calculator/parallel.py): several GPUs, several nodes --
    Field("gpus_per_node", "int", 8, "parallel", "GPUs per node", "GPUs in one machine, joined by NVLink or PCIe; "
          "machines talk over the network. Fewer when num_gpus is smaller.", 1, 1024),
    Field("sharding", "choice", "ddp", "parallel", "Sharding", "How data-parallel ranks hold the model: ddp "
          "(everything replicated, gradients all-reduced), zero1 (optimizer states sharded), zero2 (and gradients), "
          "fsdp (and weights: ZeRO-3), hsdp (fsdp inside a node, replicated across nodes).",
          choices=("ddp", "zero1", "zero2", "fsdp", "hsdp")),
    Field("tensor_parallel", "int", 1, "parallel", "Tensor parallel", "GPUs that split every layer's matmuls "
          "(Megatron-style, with sequence parallelism); must divide n_head and the KV heads.", 1, 1024),
    Field("pipeline_parallel", "int", 1, "parallel", "Pipeline stages", "GPUs that split the layers into stages "
          "(1F1B schedule); at most n_layer.", 1, 1024),
    Field("pipeline_interleave", "int", 1, "parallel", "Virtual stages", "Model chunks per pipeline GPU "
          "(interleaved 1F1B): the bubble shrinks by this factor, the sends grow by it.", 1, 128),
    Field("context_parallel", "int", 1, "parallel", "Context parallel", "GPUs that split each sequence "
          "(ring attention); must divide block_size.", 1, 1024),
    Field("activation_checkpointing", "choice", "none", "parallel", "Activation checkpointing", "none keeps every "
          "activation; selective recomputes part of the forward (torchtitan's every second layer); full "
          "recomputes the whole forward in the backward. The recompute is in the time, not in MFU.",
          choices=("none", "selective", "full")),
    Field("network", "choice", "auto", "parallel", "Network", "The network between nodes, per GPU: auto is the "
          "usual one for the card (InfiniBand NDR for H100/H200/B200, HDR for A100, 100 GbE otherwise); "
          "ib-xdr 800, ib-ndr 400, ib-hdr 200 Gb/s; roce-400, roce-200; ethernet-100, ethernet-25.",
          choices=("auto", "ib-xdr", "ib-ndr", "ib-hdr", "roce-400", "roce-200", "ethernet-100", "ethernet-25")),
    # -- check a claim / a running job (reverse mode) --
    Field("observed_ms_per_iter", "float", None, "check", "Observed ms/iter",
          "A time per iteration from a log or a claim, in milliseconds.", 1e-6, 1e12, optional=True,
          unit="ms"),  # 1 ns: below that the arithmetic underflows, and no GPU step is that short
    Field("reported_mfu", "float", None, "check", "Printed MFU",
          "The mfu nanoGPT printed, in percent (it is against an A100's 312 TFLOPS).", 0, 1e9, optional=True,
          exclusive_min=True, unit="%"),
    # -- cost: what the run costs rented, and in electricity on your own card (not nanoGPT inputs; US dollars) --
    Field("price_per_hour", "float", None, "cost", "Price per GPU-hour",
          "What one GPU of the chosen kind costs per hour where you rent it; empty for the listed on-demand price "
          "(see the price table and its dates).", 0, 1000, optional=True, unit="$/h",
          placeholder="listed price"),
    Field("power_watts", "float", None, "cost", "Power draw",
          "Your card's average draw while training, per GPU (nvidia-smi --query-gpu=power.draw --format=csv); "
          "empty for its board power.", 1, 5000, optional=True, unit="W", placeholder="board power"),
    Field("kwh_price", "float", None, "cost", "Electricity price",
          "What you pay per kWh, for the cost of the energy your own card uses; empty to show the energy alone.",
          0, 10, optional=True, unit="$/kWh", placeholder="e.g. 0.30"),
    Field("deadline_hours", "float", None, "cost", "Deadline",
          "Finish within this many hours: the page names the cheapest listed card that does.", 0, 1_000_000,
          optional=True, exclusive_min=True, unit="h", placeholder="none"),
    Field("budget_usd", "float", None, "cost", "Budget",
          "Spend at most this much: the page names the fastest listed card within it.", 0, 1e9, optional=True,
          exclusive_min=True, unit="$", placeholder="none"),
)

BY_NAME = {f.name: f for f in FIELDS}
DEFAULTS = {f.name: f.default for f in FIELDS}

_TRUE = {"true", "1", "yes", "on", "y", "t"}
_FALSE = {"false", "0", "no", "off", "n", "f"}


def _coerce(f: Field, value: Any) -> Any:
    """Turn a raw value (a Python value, or text from a flag, a config file, a form or a URL) into the field's type,
    or raise InputError naming the field and its allowed range. The one parser for every entry point; see
    parse_number for what a number may look like."""
    if value is None or (isinstance(value, str) and value.strip(_SPACE) == ""):
        if f.optional:
            return None
        raise InputError(f.name, "error.required", range=f.range_fact())
    if f.kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        text = value.strip(_SPACE).lower() if isinstance(value, str) else None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _bad(f, value)
    if f.kind in ("choice", "gpu", "model"):
        if not isinstance(value, str):
            raise _bad(f, value)
        text = value.strip(_SPACE).strip("'\"")
        if f.kind in ("gpu", "model"):
            if not text.isprintable() or len(text) > 100:  # no GPU name is that long; the message quotes it
                raise _bad(f, value)
            return text.lower()
        if text not in f.choices:
            raise _bad(f, value)
        return text
    return parse_number(f, value)


# Numbers are written with the ASCII digits 0-9 only. Python's float() and int() also take other scripts' digits
# ("١٢", "１２") and Unicode spaces around them; JavaScript's Number(), nanoGPT's config files (Python source) and
# a shell do not, so a number a reader cannot type in a config file is refused everywhere, with that said.
_SPACE = " \t\r\n"  # the only characters stripped around a value
_DIGITS = r"[0-9]+(?:_[0-9]+)*"  # underscores only between digits, as in Python literals (1_000_000)
_NUMBER = re.compile(rf"([+-]?)({_DIGITS})?(?:\.({_DIGITS})?)?(?:[eE]([+-]?{_DIGITS}))?")
_TINY = sys.float_info.min  # 2.2250738585072014e-308: a non-zero number below it is subnormal (or 0.0 as a float)
_HUGE_EXPONENT = 400  # beyond 1e400 or below 1e-400 a number is out of every field's range: decided without Decimal


def parse_number(f: Field, value: Any) -> int | float:
    """A number for an "int" or "float" field, or InputError naming the field and its range.

    Accepted: a Python int or float (not a bool), or text made of an optional sign (+ or -), ASCII digits with
    optional underscores between them, an optional decimal point and an optional exponent (e, E), with spaces, tabs
    and newlines around it; "35%" for mfu. An int field takes any notation of a whole number ("1e9", "12.0").
    Refused, with the field named: NaN and infinities, hexadecimal/octal/binary and hex floats, other scripts'
    digits, control and invisible characters, commas, values out of the field's range (exactly compared, so a
    400-digit integer is "out of range", never an overflow), and subnormal numbers (non-zero, below 2.2e-308).
    """
    if isinstance(value, bool):
        raise _bad(f, value)
    if isinstance(value, int):
        return _in_range(f, value, value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _bad(f, value)
        if value != 0 and abs(value) < _TINY:
            _too_small(f, value)
        return _in_range(f, value, value)
    if not isinstance(value, str):
        raise _bad(f, value)
    text = value.strip(_SPACE)
    percent = f.name == "mfu" and text.endswith("%")
    if percent:
        text = text[:-1].rstrip(_SPACE)
    m = _NUMBER.fullmatch(text)
    if not m or not (m.group(2) or m.group(3)):
        raise _bad(f, value, _hint(text))
    sign, whole, frac, exp = (g.replace("_", "") if g else "" for g in m.groups())
    if not (whole + frac).strip("0"):
        return _in_range(f, 0, value)
    # the order of magnitude from the digits alone: no conversion of a huge exponent or of a 10,000-digit string
    if len(exp.lstrip("+-").lstrip("0")) > 6:
        magnitude = -_HUGE_EXPONENT - 1 if exp.startswith("-") else _HUGE_EXPONENT + 1
    else:
        lead = len(whole.lstrip("0")) - 1 if whole.strip("0") else -(len(frac) - len(frac.lstrip("0")) + 1)
        magnitude = lead + int(exp or 0)
    if magnitude > _HUGE_EXPONENT:
        raise _bad(f, value)
    if magnitude < -_HUGE_EXPONENT:
        _too_small(f, value)
    num = Decimal(f"{sign}{whole or 0}.{frac or 0}e{exp or 0}") / (100 if percent else 1)
    if f.kind == "int":
        if num != num.to_integral_value():
            raise _bad(f, value)
        return _in_range(f, int(num), value)
    # the text against the range as written (0.001, not the double nearest to it), before any rounding to a float
    if f.min is not None and (num < _decimal(f.min) or (f.exclusive_min and num == _decimal(f.min))) or \
            f.max is not None and num > _decimal(f.max):
        raise _bad(f, value)
    x = float(num) + 0.0  # + 0.0: "-0" is 0.0, not -0.0
    if abs(x) < _TINY and num != 0:
        _too_small(f, value)
    return _in_range(f, x, value)


def _decimal(bound: float) -> Decimal:
    return Decimal(repr(float(bound)))


def _too_small(f: Field, shown: Any) -> None:
    """A non-zero number below the smallest normal float: subnormal, or 0.0 once a float; the arithmetic on it
    loses its digits or divides by zero."""
    if f.kind == "int" or (f.min is not None and f.min > 0):
        raise _bad(f, shown)
    raise InputError(f.name, "error.too_close_to_zero", range=f.range_fact(), shown=_show(shown), tiny=repr(_TINY))


def _in_range(f: Field, num: int | float, shown: Any) -> int | float:
    """num (an exact int, or a finite float) against the field's range; an int field's value stays an int, a float
    field's becomes a float only once it is known to be in range (so 10**400 never meets float())."""
    if f.min is not None and (num < f.min or (f.exclusive_min and num == f.min)):
        raise _bad(f, shown)
    if f.max is not None and num > f.max:
        raise _bad(f, shown)
    if f.kind == "int":
        if isinstance(num, float):
            if not num.is_integer():
                raise _bad(f, shown)
            return int(num)
        return num
    return float(num)


def _bad(f: Field, value: Any, hint: dict | str = "") -> InputError:
    """The error for a value outside the field's allowed values: "must be <range>, not <value><hint>"."""
    return InputError(f.name, "error.must_be", range=f.range_fact(), shown=_show(value), hint=hint)


def _hint(text: str) -> dict | str:
    """Why a text is not a number, where it is not obvious from the text itself (a fact, or "" for none)."""
    if any(c.isdigit() and not ("0" <= c <= "9") for c in text):
        return fact("hint.digits")
    if any(not c.isprintable() for c in text):
        return fact("hint.invisible")
    if re.fullmatch(r"[+-]?0[xXoObB].*", text):
        return fact("hint.radix")
    if re.fullmatch(r"[+-]?[0-9]*,[0-9]+", text):
        return fact("hint.comma")
    return ""


def _show(value: Any, limit: int = 40) -> str | dict:
    """A short, printable quotation of what was given (never the whole of a huge value)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return fact("show.digits", n=qty("exact", int(value.bit_length() * 0.30103) + 1))  # str() refuses 4,300+
    if isinstance(value, str):
        text = repr(value[: limit + 2])
    elif isinstance(value, (int, float, type(None))):
        text = repr(value)
    else:
        return fact("show.type", type=type(value).__name__)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def validate(raw: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    """Check and coerce every input; return the full set of inputs (defaults filled in).

    Raises InputError naming the first bad field. Unknown names are errors too (a typo must not be ignored).
    """
    given = dict(raw or {})
    given.update(kwargs)
    out: dict[str, Any] = {}
    for name in given:
        if name not in BY_NAME:
            raise InputError(name, "error.unknown_input", known=", ".join(BY_NAME))
    if given.get("model") not in (None, ""):
        given = {**preset_of(given["model"]), **given}  # the preset's fields, and any given beside it wins
    for f in FIELDS:
        out[f.name] = _coerce(f, given[f.name]) if f.name in given else f.default
    _cross_checks(out)
    return out


def preset_of(name: Any) -> dict[str, Any]:
    """The schema values of a model preset (calculator/presets.py), or InputError naming the field."""
    from . import presets

    text = _coerce(BY_NAME["model"], name)
    return presets.fields(text) if text else {}


def data_parallel(v: dict[str, Any]) -> int:
    """Data-parallel ranks: num_gpus / (tensor x pipeline x context), once _cross_checks has passed."""
    return v["num_gpus"] // (v["tensor_parallel"] * v["pipeline_parallel"] * v["context_parallel"])


def _cross_checks(v: dict[str, Any]) -> None:
    if v["n_embd"] % v["n_head"] != 0:
        raise InputError("n_head", "error.n_head_divides", n_embd=v["n_embd"], n_head=v["n_head"])
    kv = v["n_kv_head"] or v["n_head"]
    if v["n_head"] % kv != 0:
        raise InputError("n_kv_head", "error.kv_divides", n_kv_head=kv, n_head=v["n_head"])
    tp, pp, cp = v["tensor_parallel"], v["pipeline_parallel"], v["context_parallel"]
    if v["n_head"] % tp or kv % tp:
        raise InputError("tensor_parallel", "error.tp_divides_heads", tp=tp, n_head=v["n_head"], n_kv_head=kv)
    if pp > v["n_layer"]:
        raise InputError("pipeline_parallel", "error.pp_layers", pp=pp, n_layer=v["n_layer"])
    if v["pipeline_interleave"] > 1 and pp == 1:
        raise InputError("pipeline_interleave", "error.interleave_needs_pp", v=v["pipeline_interleave"])
    if v["pipeline_interleave"] > 1 and pp * v["pipeline_interleave"] > v["n_layer"]:
        raise InputError("pipeline_interleave", "error.interleave_layers", v=v["pipeline_interleave"], pp=pp,
                         n_layer=v["n_layer"])
    if v["block_size"] % cp:
        raise InputError("context_parallel", "error.cp_divides", cp=cp, block_size=v["block_size"])
    model_parallel = tp * pp * cp
    if v["num_gpus"] % model_parallel:
        raise InputError("num_gpus", "error.parallel_divides", num_gpus=v["num_gpus"], tp=tp, pp=pp, cp=cp,
                         product=model_parallel)
    dp = v["num_gpus"] // model_parallel
    gas = v["gradient_accumulation_steps"]
    # the default (32) is not the reader's choice: with more data-parallel ranks than it divides, the estimate runs
    # whole micro-steps on each rank and says so (estimate's warn.gas_rounded); a value given is checked as nanoGPT does
    if gas % dp != 0 and gas != BY_NAME["gradient_accumulation_steps"].default:
        raise InputError("gradient_accumulation_steps", "error.gas_multiple", num_gpus=dp)


def from_query(query: str) -> tuple[dict[str, Any], list[InputError]]:
    """Read inputs from a URL query string; never raises.

    Each bad or unknown parameter falls back to its default and is reported; the first value of a repeated key wins.
    """
    errors: list[InputError] = []
    values: dict[str, Any] = {}
    seen: set[str] = set()
    try:
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True, max_num_fields=1000)
    except ValueError:
        return dict(DEFAULTS), [InputError("query", "error.too_many_params")]
    for key, raw in pairs:
        if key in seen:
            continue
        seen.add(key)
        f = BY_NAME.get(key)
        if f is None:
            errors.append(InputError(_clip(key) or "(empty name)", "error.unknown_param"))
            continue
        try:
            values[key] = _coerce(f, raw)
        except InputError as e:
            errors.append(e.then("error.using_default", default=f.default))
    merged = dict(DEFAULTS)
    if values.get("model"):
        try:
            merged.update(preset_of(values["model"]))
        except InputError as e:
            errors.append(e.then("error.using_the_default"))
            values["model"] = None
    merged.update(values)
    try:
        _cross_checks(merged)
    except InputError as e:
        errors.append(e.then("error.using_default", default=BY_NAME[e.field].default))
        merged[e.field] = BY_NAME[e.field].default
        try:
            _cross_checks(merged)
        except InputError:
            return dict(DEFAULTS), errors
    return merged, errors


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_query(inputs: dict[str, Any]) -> str:
    """The query string for a share link: only values that differ from the defaults, in schema order."""
    pairs = []
    preset = preset_of(inputs["model"]) if inputs.get("model") else {}
    for f in FIELDS:
        v = inputs.get(f.name, f.default)
        if v is None or v == preset.get(f.name, f.default):
            continue
        if f.kind == "bool":
            v = "true" if v else "false"
        elif isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
            v = int(v)  # "100", not "100.0": links stay short and read back as the same float
        pairs.append((f.name, str(v)))
    return urlencode(pairs)
