"""Every input field through every native entry point, with hostile values: nothing raises, nothing prints a
traceback or NaN, and every entry point accepts or refuses a value as the schema's one parser does.

Entry points: the CLI's argv (`--name=value`, main() in-process, so NUL and lone surrogates can be tried too), a
nanoGPT config file (`name = value` as Python source, and as a string literal), the URL query (web.from_url), the
form's JSON (web.from_form, with text and with raw JSON numbers), the Python API (estimate(**inputs), with
Python values: ints beyond float range, NaN, subnormals...) and a Hugging Face config.json (calculator.hfconfig,
web.read_config and the CLI's positional .json: deep nesting, huge numbers, NaN and Infinity literals, strings,
bools and nulls for sizes, 10 MB texts, mutated real configs and generated ones).
Each gets the full matrix fields x EDGE_LITERALS (plus FUZZ_SCALE-1 mutated copies of each literal) and a
hypothesis sample of generated text. The many-GPU and beyond-GPT-2 fields are also tried together (the section at
the end): combinations that break a cross-check are refused naming the field to change, odd but legal layouts give
finite numbers, and generated combinations go through the API, the URL, the form, the CLI and the comparison across
cards. The counts are printed at the end of the run (tests/fuzz_counts.py); the
browser's share is in test_browser_hardening.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import random
import sys
import warnings
from decimal import Decimal
from fractions import Fraction
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzz_counts
from calculator import InputError, arch, cli, hfconfig, schema, web, words
from said import estimate

SCALE = fuzz_counts.SCALE
FIELDS = schema.FIELDS
NAMES = [f.name for f in FIELDS]

# The literals that broke, or could break, a number parser; also given to the non-numeric fields.
EDGE_LITERALS = [
    "", " ", "0", "-0", "+0", "1", "+1", "-1", "6", " 12 ", "\t12\n", "1.0", "1.5", ".5", "5.", "0.35", "35%",
    "35 %", "%", "100%", "0.001", "1e9", "1E9", "1e-6", "1e+3", "1e", "e5", "1e1e1", "--1", "+-1", "++1", ".", "-",
    "9" * 400, "-" + "9" * 400, "9" * 5000, "0." + "0" * 400 + "1", "1" + "0" * 310, "1e309", "-1e309", "1e308",
    "1.7976931348623157e308", "1e-300", "1e-320", "5e-324", "1e-400", "2.2250738585072014e-308",
    "1e999999999999999999999", "1e-999999999999999999999", "1e" + "9" * 5000,
    "nan", "NaN", "-nan", "sNaN", "inf", "-inf", "Infinity", "+Infinity", "infinity", "1e1000000",
    "0x1F", "0x1p-2", "0X10", "0o17", "0b101", "1_000", "1__000", "_1", "1_", "1_000.5_5", "1,000", "1.000,5",
    "1 000", "\x00", "5\x00", "\x005", "\x1c5", "5\x1f", "\x7f", "\u00a05", "5\u2007", "\u30005", "\u202e5",
    "\u200b5", "\ufeff5", "\ud800", "٣", "١٢", "１２", "१२", "𝟏𝟐", "½", "²", "Ⅻ", "①", "1٠",
    "true", "false", "True", "yes", "null", "None", "[]", "{}", "[1]", "'5'", '"5"', "5'", "12abc", "abc",
    "<script>alert(1)</script>", "javascript:alert(1)", "💥" * 50, "x" * 10000, "1" * 10000,
    "custom", "h100-sxm", "RTX 4090", "bfloat16", "float16", "float32",
]
# Python values for estimate(**inputs) and form JSON numbers: what a caller of the API or a JSON body can send.
PYTHON_VALUES = [10**400, -(10**400), 10**5000, 2**1024, 2**53 + 1, float("nan"), float("inf"), -float("inf"),
                 5e-324, 1e-320, 1e-300, 1e308, -0.0, 0.0, 0, 1, 6, 0.35, 0.5, True, False, None, [], {}, [1],
                 b"5", complex(1, 0), Decimal("NaN"), Decimal("1e999999"), Fraction(1, 3), object()]

MUTATIONS = [
    lambda s, r: " " * r.randint(1, 3) + s + "\t" * r.randint(0, 2),
    lambda s, r: r.choice("+-") + s,
    lambda s, r: s.upper(),
    lambda s, r: s + r.choice(["\x00", "%", "e", "_", ".", "\u00a0", "٣", "0", "9" * 300, "e-400", "e400"]),
    lambda s, r: s[: len(s) // 2] + r.choice(["_", "\x00", ",", " ", "٣", "１", "e", "."]) + s[len(s) // 2:],
    lambda s, r: s * r.randint(2, 4),
    lambda s, r: "".join(chr(0x660 + int(c)) if c.isdigit() and c < ":" else c for c in s),  # Arabic-Indic
    lambda s, r: "0" * r.randint(1, 500) + s,
]


def literals() -> list[str]:
    """The edge literals, then FUZZ_SCALE-1 mutated copies of each (a fixed seed: the same list every run)."""
    rng = random.Random(13)
    out = list(EDGE_LITERALS)
    for _ in range(SCALE - 1):
        out += [rng.choice(MUTATIONS)(s, rng) for s in EDGE_LITERALS]
    return out


LITERALS = literals()


def coerce(f: schema.Field, value):
    """The oracle: the schema's one parser. (value, None) or (None, the InputError's text)."""
    try:
        return schema._coerce(f, value), None
    except InputError as e:
        return None, str(e)


def no_constants(name):
    raise AssertionError(f"{name} in the JSON")


def strict(text: str) -> dict:
    return json.loads(text, parse_constant=no_constants)


def check_errors(errors: list[dict]) -> None:
    for e in errors:
        assert e["field"] != "internal" and web.INTERNAL_ERROR not in e["message"], e
        assert e["message"].startswith(e["field"] + ":"), e


def url_case(f: schema.Field, raw: str) -> None:
    d = strict(web.from_url(f"{quote(f.name, safe='')}={quote(raw, safe='', errors='surrogatepass')}"))
    check_errors(d["errors"])
    assert d["result"] is not None
    value, refused = coerce(f, raw.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
    named = [e["message"] for e in d["errors"] if e["field"] == f.name]
    if refused:
        assert any(m.startswith(refused) for m in named), (f.name, raw[:50], d["errors"])
        assert d["inputs"][f.name] == (f.default if f.kind != "gpu" else d["inputs"]["gpu"])
    elif not named and not d["errors"]:
        assert d["inputs"][f.name] == (value if f.kind != "gpu" else d["inputs"]["gpu"]), (f.name, raw[:50])


def form_case(f: schema.Field, raw) -> None:
    d = strict(web.from_form(json.dumps({f.name: raw})))
    check_errors(d["errors"])
    _, refused = coerce(f, raw)
    if refused:
        assert not d["ok"] and [e["message"] for e in d["errors"]] == [refused], (f.name, repr(raw)[:50])
    elif d["ok"]:
        assert d["result"] is not None and d["errors"] == []
    else:
        assert d["errors"] and all(e["field"] in schema.BY_NAME for e in d["errors"]), d["errors"]


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            rc = cli.main(argv)
        except SystemExit as e:  # argparse's own errors
            rc = e.code
    assert not w, [str(x.message) for x in w]  # a warning would be more lines on stderr
    return rc, out.getvalue(), err.getvalue()


def check_cli(rc: int, out: str, err: str, what) -> None:
    assert rc in (0, 2), (what, rc, err)
    if rc == 2:
        assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err, (what, err)
        assert out == ""
    else:
        assert err == "" and out


def argv_case(f: schema.Field, raw: str) -> None:
    rc, out, err = run_cli([f"--{f.name}={raw}"])
    check_cli(rc, out, err, (f.name, raw[:50]))
    _, refused = coerce(f, raw)
    if refused:
        assert err == f"error: {cli._one_line(refused)}\n", (f.name, raw[:50], err)


def config_case(tmp_path, f: schema.Field, source: str, value=None, as_text=False) -> None:
    path = tmp_path / "train_fuzz.py"
    path.write_text(f"{f.name} = {source}\n", encoding="utf-8", errors="surrogatepass")
    rc, out, err = run_cli([str(path)])
    check_cli(rc, out, err, (f.name, source[:50]))
    if as_text:
        _, refused = coerce(f, value)
        if refused:
            assert err == f"error: {cli._one_line(refused)}\n", (f.name, source[:50], err)


def api_case(f: schema.Field, value) -> None:
    _, refused = coerce(f, value)
    try:
        r = estimate(**{f.name: value})
    except InputError as e:
        if refused:
            assert str(e) == refused
        else:  # valid, but the result is beyond float range: named by the result (the CLI and web name the input)
            assert e.field in schema.BY_NAME or "too large to compute" in e.message, e
    else:
        assert not refused, (f.name, repr(value)[:50])
        json.dumps(r, allow_nan=False)


# ------------------------------------------------------------------------------------------- the full matrix

@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f.name)
def test_every_literal_through_the_url(f):
    for raw in LITERALS:
        url_case(f, raw)
    fuzz_counts.add("URL query", len(LITERALS))


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f.name)
def test_every_literal_through_the_form(f):
    values = LITERALS + [v for v in PYTHON_VALUES if _json_able(v)]
    for raw in values:
        form_case(f, raw)
    fuzz_counts.add("form JSON", len(values))


def _json_able(v) -> bool:
    try:
        json.dumps(v)
    except (TypeError, ValueError):
        return False
    return True


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f.name)
def test_every_literal_through_the_command_line(f):
    for raw in LITERALS:
        argv_case(f, raw)
    fuzz_counts.add("CLI argv", len(LITERALS))


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f.name)
def test_every_literal_through_a_config_file(f, tmp_path):
    n = 0
    for raw in LITERALS:
        if "\x00" in raw or any(0xD800 <= ord(c) <= 0xDFFF for c in raw):
            continue  # not in a text file; tried as a string literal below
        config_case(tmp_path, f, raw)  # as Python source: a number, a name, a syntax error...
        n += 1
    for raw in LITERALS:
        config_case(tmp_path, f, ascii(raw), raw, as_text=True)  # as a string literal
        n += 1
    for v in ("10**400", "1e309 * 10", "-1e309", "9" * 4400, "1e15 / 1e-300", "{[1]}", "(" * 300 + "1" + ")" * 300,
              "1 + 'x'", "1 // 0", "f(1)", "__import__('os').system('true')", "[" * 100 + "]" * 100):
        config_case(tmp_path, f, v)
        n += 1
    fuzz_counts.add("config file", n)


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f.name)
def test_every_value_through_the_python_api(f):
    values = PYTHON_VALUES + LITERALS
    for v in values:
        api_case(f, v)
    fuzz_counts.add("Python API", len(values))


# ------------------------------------------------------------------------------------------- generated text

numberish = st.text(alphabet="0123456789+-._eE%xXpPnaNIif \t\n\x00\x1f\u00a0\u200b٣١２", max_size=40)
generated = st.one_of(
    numberish, st.text(max_size=60),
    st.from_regex(r"[+-]?\d{0,500}(\.\d{0,50})?([eE][+-]?\d{1,25})?", fullmatch=True),
    st.integers(-(10**600), 10**600).map(str), st.floats().map(repr), st.sampled_from(EDGE_LITERALS))
fields = st.sampled_from(FIELDS)
GENERATED = settings(max_examples=500 * SCALE, deadline=None, suppress_health_check=list(HealthCheck))


@GENERATED
@given(fields, generated)
def test_generated_text_through_the_url(f, raw):
    url_case(f, raw)
    fuzz_counts.add("URL query")


@GENERATED
@given(fields, st.one_of(generated, st.integers(-(10**600), 10**600), st.floats()))
def test_generated_values_through_the_form(f, raw):
    form_case(f, raw)
    fuzz_counts.add("form JSON")


@GENERATED
@given(fields, generated)
def test_generated_text_through_the_command_line(f, raw):
    argv_case(f, raw)
    fuzz_counts.add("CLI argv")


@GENERATED
@given(fields, st.one_of(generated, st.integers(-(10**600), 10**600), st.floats()))
def test_generated_values_through_the_python_api(f, value):
    api_case(f, value)
    fuzz_counts.add("Python API")


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(fields, generated, min_size=2, max_size=8))
def test_several_hostile_fields_at_once(values):
    """Several fields together (valid values can combine into a result too large to compute): URL, form and CLI
    all answer, and a result that cannot be computed is blamed on an input."""
    raw = {f.name: v for f, v in values.items()}
    d = strict(web.from_url("&".join(f"{k}={quote(v, safe='', errors='surrogatepass')}" for k, v in raw.items())))
    check_errors(d["errors"])
    assert d["result"] is not None
    form = strict(web.from_form(json.dumps(raw)))
    check_errors(form["errors"])
    assert form["ok"] or all(e["field"] in schema.BY_NAME for e in form["errors"])
    rc, out, err = run_cli([f"--{k}={v}" for k, v in raw.items()])
    check_cli(rc, out, err, raw)
    fuzz_counts.add("URL query")
    fuzz_counts.add("form JSON")
    fuzz_counts.add("CLI argv")


def test_raw_json_numbers_in_the_form_body():
    """JSON text a script could post: numbers beyond float range, NaN and Infinity (Python's json reads them)."""
    bodies = ['{"mfu": 1e999}', '{"mfu": NaN}', '{"n_layer": -Infinity}', '{"n_layer": ' + "9" * 400 + "}",
              '{"n_layer": ' + "9" * 5000 + "}", '{"n_layer": 1e-400}', '{"checkpoint_seconds": 5e-324}',
              '[' * 100_000, '{"n_layer": ' + '[' * 10_000 + ']' * 10_000 + '}', '"text"', "null", "", "\x00",
              '{"mfu": "35%", "n_layer": "١٢"}']
    for body in bodies:
        d = strict(web.from_form(body))
        check_errors(d["errors"])
        assert d["ok"] is False or d["result"] is not None
    fuzz_counts.add("form JSON", len(bodies))


def test_every_web_function_answers_strict_json():
    """analyze_log and compare_gpus take the same query: they answer, with no NaN, for hostile queries too."""
    for raw in EDGE_LITERALS[:60]:
        q = f"mfu={quote(raw, safe='')}&n_layer={quote(raw, safe='')}&observed_ms_per_iter={quote(raw, safe='')}"
        check_errors(strict(web.compare_gpus(q))["errors"])
        check_errors(strict(web.analyze_log("iter 10: loss 4.2, time 100.0ms, mfu 8.00%\n" * 3, q))["errors"])
    fuzz_counts.add("URL query", 120)


def test_accepted_numbers_are_finite_and_in_range():
    for f in FIELDS:
        if f.kind not in ("int", "float"):
            continue
        for raw in LITERALS:
            value, refused = coerce(f, raw)
            if refused or value is None:
                continue
            assert isinstance(value, int if f.kind == "int" else float) and not isinstance(value, bool)
            assert math.isfinite(value) and (value == 0 or abs(value) >= sys.float_info.min)
            assert f.min is None or value >= f.min
            assert f.max is None or value <= f.max


# ------------------------------------------------------------------------------------------- config.json

CONFIG_DIR = __import__("pathlib").Path(__file__).parent / "configs"
REAL_CONFIG = json.loads((CONFIG_DIR / "llama-3.1-8b.json").read_text(encoding="utf-8"))
SIZE_KEYS = [k for keys in hfconfig.KEYS.values() for k in keys] + ["model_type", "head_dim", "expansion_ratio",
                                                                    "n_positions", "architectures", "attention_bias",
                                                                    "num_local_experts", "no_bias", "attn_config"]
# JSON literals for a value (as written in the file): json.loads takes NaN, Infinity and -Infinity too
JSON_LITERALS = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-400", "5e-324", "-0", "0", "-1", "0.5",
                 "4096.0", "4096.5", "9" * 400, "-" + "9" * 400, "9" * 4300, "9" * 5000, "1E+3", "true", "false",
                 "null", '""', '" "', '"4096"', '" 4096 "', '"4_096"', '"0x1000"', '"1e3"', '"NaN"', '"\\u0661\\u0662"',
                 '"\\u0000"', '"\\ud800"', '"llama"', '"LLAMA"', '"gemma"', "[]", "[4096]", "{}", '{"a": 1}',
                 "[" * 40 + "]" * 40, '"' + "x" * 100_000 + '"']


def config_texts() -> list[str]:
    """Hostile config.json texts: every literal in every key of three real configs, whole-file hostilities, and
    FUZZ_SCALE x 200 seeded byte-level mutations of the real file."""
    base = json.dumps(REAL_CONFIG, indent=2)
    out = []
    for name in ("llama-3.1-8b.json", "gpt2.json", "mpt-7b.json"):  # each key in a config that has it
        real = json.loads((CONFIG_DIR / name).read_text(encoding="utf-8"))
        for key in SIZE_KEYS:
            for lit in JSON_LITERALS:
                body = json.dumps({k: v for k, v in real.items() if k != key})
                out.append(body[:-1] + f', "{key}": {lit}}}')
    ten_mb = 10 * 1024 * 1024
    out += ["", " ", "\x00", "\ufeff" + base, base + "\x00", base[:-1], base + base, "[" * 100_000,
            '{"a":' * 50_000 + "1" + "}" * 50_000, base[:-1] + ', "rope_scaling": ' + "[" * 31 + "]" * 31 + "}",
            base[:-1] + ', "deep": ' + "{\"a\":" * 40 + "1" + "}" * 40 + "}",
            base + " " * ten_mb, base[:-1] + ', "pad": "' + "x" * ten_mb + '"}', "[" * ten_mb,
            "".join(chr(random.Random(i).randrange(32, 127)) for i in range(2000)),
            json.dumps({"num_hidden_layers": 10**400, "hidden_size": 10**400}),
            json.dumps({"model_type": "llama", "num_hidden_layers": 1, "hidden_size": 1, "num_attention_heads": 1,
                        "vocab_size": 1}),
            json.dumps({"model_type": "gpt2", "n_layer": 1000, "n_embd": 131072, "n_head": 1024,
                        "vocab_size": 10_000_000, "n_positions": 1_048_576}),
            "<script>alert(1)</script>", "import os\nos.system('true')", "__import__('os')"]
    rng = random.Random(17)
    for _ in range(200 * SCALE):
        chars = list(base)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(chars))
            op = rng.randrange(3)
            if op == 0:
                del chars[i]
            elif op == 1:
                chars.insert(i, rng.choice('{}[]",:0123456789eE.-+ \ntruefalsenullNaNInfinity\x00\\'))
            else:
                chars[i] = rng.choice("0123456789-.eE\"")
        out.append("".join(chars))
    return out


def hf_config_case(text: str) -> None:
    try:
        fields = hfconfig.read(text)
    except InputError as e:
        assert e.field and words.error(e, "es") != words.error(e, "en") or e.fact["key"] == "error.unreadable", e
        for lang in ("en", "es"):
            d = strict(web.read_config(text, lang))
            assert d["ok"] is False and d["errors"][0]["field"] == e.field
            check_errors(d["errors"])
        return
    v = schema.validate(fields)
    counts = arch.params(arch.from_inputs(v))
    assert all(isinstance(n, int) and n > 0 for k, n in counts.items() if k in ("total", "matmul", "blocks"))
    assert isinstance(arch.flops_per_token(arch.from_inputs(v)), int)
    d = strict(web.read_config(text, "es"))
    assert d["ok"] and d["fields"] == fields and d["params"] == counts["total"]


def test_hostile_config_json_texts():
    """Nothing crashes: every text is read, or refused with an InputError naming a field, in both languages."""
    texts = config_texts()
    for text in texts:
        hf_config_case(text)
    fuzz_counts.add("config.json", len(texts))


def test_hostile_config_json_files_on_the_command_line(tmp_path):
    """A sample of them as files: exit 0 or 2, one line of error, never a traceback."""
    texts = config_texts()
    sample = texts[:: max(1, len(texts) // 60)] + [texts[-1]]
    path = tmp_path / "config.json"
    for text in sample:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        rc, out, err = run_cli([str(path)])
        check_cli(rc, out, err, text[:50])
    fuzz_counts.add("config.json", len(sample))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.dictionaries(st.sampled_from(SIZE_KEYS), json_values, max_size=10),
       st.sampled_from(["", "llama", "gpt2", "mpt", "qwen2", "gpt_neox", "mistral", "phi3"]))
def test_generated_config_json(overrides, model_type):
    """Generated objects over the real config's keys (NaN and Infinity written as json.dumps writes them)."""
    cfg = {**REAL_CONFIG, **({"model_type": model_type} if model_type else {}), **overrides}
    hf_config_case(json.dumps(cfg))
    fuzz_counts.add("config.json")


@settings(max_examples=200 * SCALE, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=200))
def test_generated_text_as_config_json(text):
    hf_config_case(text)
    fuzz_counts.add("config.json")
# ------------------------------------------------------------------------------- many GPUs and other models
# The fields of the many-GPU and beyond-GPT-2 inputs meet each other in cross-checks (schema._cross_checks) and in
# the speed and memory models (calculator/parallel.py, memory.per_gpu): every combination below is refused with an
# InputError that names the field to change, or answered with finite numbers, through every entry point.

PARALLEL_FIELDS = ("model", "model_type", "n_kv_head", "intermediate_size", "tie_word_embeddings", "gpus_per_node",
                   "sharding", "tensor_parallel", "pipeline_parallel", "pipeline_interleave", "context_parallel",
                   "activation_checkpointing", "network", "dtype")
LLAMA_8B = dict(model="llama-3.1-8b", num_gpus=64, gradient_accumulation_steps=64, gpu="h100-sxm")
NO_FP8 = ("a100-80gb", "a100-40gb", "rtx-3090", "t4", "v100", "mi250x", "rtx-2080-ti", "p100")

# (inputs, the field the refusal must name)
REFUSED_COMBINATIONS = [
    (dict(n_head=12, tensor_parallel=5, num_gpus=5, gradient_accumulation_steps=5), "tensor_parallel"),
    ({**LLAMA_8B, "tensor_parallel": 16}, "tensor_parallel"),  # divides 32 heads, not 8 KV heads
    ({**LLAMA_8B, "tensor_parallel": 3}, "tensor_parallel"),
    (dict(n_head=12, n_kv_head=6, tensor_parallel=4, num_gpus=4, gradient_accumulation_steps=4), "tensor_parallel"),
    (dict(num_gpus=6, tensor_parallel=4, gradient_accumulation_steps=6), "num_gpus"),
    (dict(num_gpus=6, pipeline_parallel=4, gradient_accumulation_steps=6), "num_gpus"),
    (dict(num_gpus=10, context_parallel=4, gradient_accumulation_steps=10), "num_gpus"),
    ({**LLAMA_8B, "num_gpus": 100_000, "tensor_parallel": 8, "pipeline_parallel": 32, "context_parallel": 8},
     "num_gpus"),
    (dict(n_layer=12, pipeline_parallel=13, num_gpus=13, gradient_accumulation_steps=13), "pipeline_parallel"),
    (dict(n_layer=1, pipeline_parallel=1024, num_gpus=1024, gradient_accumulation_steps=1024), "pipeline_parallel"),
    (dict(n_layer=12, pipeline_parallel=4, pipeline_interleave=4, num_gpus=4, gradient_accumulation_steps=4),
     "pipeline_interleave"),
    (dict(model_type="mpt", num_gpus=1, pipeline_interleave=12), "pipeline_interleave"),  # no pipeline to interleave
    (dict(block_size=1000, context_parallel=16, num_gpus=16, gradient_accumulation_steps=16), "context_parallel"),
    (dict(block_size=1, context_parallel=2, num_gpus=2), "context_parallel"),
    (dict(n_head=12, n_kv_head=5), "n_kv_head"),
    (dict(n_head=12, n_kv_head=24), "n_kv_head"),
    (dict(num_gpus=64, tensor_parallel=2, gradient_accumulation_steps=48), "gradient_accumulation_steps"),
    (dict(model="llama-9000"), "model"),
    *[({**LLAMA_8B, "gpu": g, "dtype": "float8"}, "dtype") for g in NO_FP8],
]

# (inputs) that are allowed and must give finite numbers: odd but legal layouts, and the largest values
ANSWERED_COMBINATIONS = [
    dict(num_gpus=4, gpus_per_node=16, gradient_accumulation_steps=4),  # a node larger than the run
    dict(num_gpus=4, gpus_per_node=1024, sharding="hsdp", gradient_accumulation_steps=4),
    dict(num_gpus=24, gpus_per_node=5, sharding="hsdp", gradient_accumulation_steps=24),  # nodes not filled
    dict(num_gpus=3, gpus_per_node=1, sharding="zero2", gradient_accumulation_steps=3, network="ethernet-25"),
    {**LLAMA_8B, "dtype": "float8"},
    {**LLAMA_8B, "gpu": "mi300x", "dtype": "float8", "sharding": "hsdp"},
    {**LLAMA_8B, "gpu": "rtx-4090", "dtype": "float8", "num_gpus": 8, "gradient_accumulation_steps": 8},
    {**LLAMA_8B, "tensor_parallel": 8, "pipeline_parallel": 8, "pipeline_interleave": 4, "context_parallel": 1,
     "sharding": "fsdp", "activation_checkpointing": "full"},
    {**LLAMA_8B, "pipeline_parallel": 32, "pipeline_interleave": 1, "num_gpus": 32, "gradient_accumulation_steps": 1},
    {**LLAMA_8B, "context_parallel": 64, "block_size": 1_048_576, "batch_size": 1},
    dict(model_type="qwen2", n_layer=1000, n_head=1024, n_embd=131072, n_kv_head=1, intermediate_size=4_194_304,
         vocab_size=10_000_000, block_size=1_048_576, batch_size=65536, num_gpus=100_000, gpus_per_node=1024,
         tensor_parallel=1, pipeline_parallel=1000, context_parallel=1, gradient_accumulation_steps=1_000_000,
         max_iters=10**12, sharding="fsdp", activation_checkpointing="full", gpu="b200", dtype="float8"),
    dict(model_type="gpt_neox", n_layer=1, n_head=1, n_embd=1, vocab_size=1, block_size=1, batch_size=1,
         intermediate_size=1, tie_word_embeddings=True, num_gpus=100_000, gradient_accumulation_steps=100_000,
         sharding="zero1", network="ethernet-25"),
    dict(model_type="mpt", tie_word_embeddings=False, num_gpus=1, gpus_per_node=1024, sharding="fsdp"),
    dict(dtype="float8", device="cpu", gpu="rtx-4090"),  # the CPU runs float32 whatever dtype says, with a warning
]


def _query(inputs: dict) -> str:
    return "&".join(f"{k}={quote(str(v), safe='')}" for k, v in inputs.items())


def _answered_everywhere(inputs: dict) -> None:
    r = estimate(**inputs)
    json.dumps(r, allow_nan=False)
    assert all(math.isfinite(x) for x in (r["ms_per_iter"], r["total_seconds"], r["memory_gib"], r["mfu"]))
    d = strict(web.from_url(_query(inputs)))
    assert d["errors"] == [] and d["result"] is not None, d["errors"]
    form = strict(web.from_form(json.dumps({k: str(v) for k, v in inputs.items()})))
    assert form["ok"], form["errors"]
    rc, out, err = run_cli([f"--{k}={v}" for k, v in inputs.items()])
    assert (rc, err) == (0, "") and out


@pytest.mark.parametrize("inputs, field", REFUSED_COMBINATIONS, ids=lambda x: x if isinstance(x, str) else None)
def test_parallel_combinations_are_refused_naming_the_field(inputs, field):
    with pytest.raises(InputError) as e:
        estimate(**inputs)
    assert e.value.field == field and str(e.value).startswith(field + ":"), str(e.value)
    # the URL falls back to the default for the named field, says so, and still answers
    d = strict(web.from_url(_query(inputs)))
    check_errors(d["errors"])
    assert d["result"] is not None and any(x["field"] == field for x in d["errors"]), d["errors"]
    if field not in ("model",):
        named = next(x for x in d["errors"] if x["field"] == field)
        assert named["message"].startswith(str(e.value).split(";")[0][:40]), (named, str(e.value))
    # schema.from_query (the URL's reader) names it, and what it falls back to passes every cross-check (float8 on a
    # card without it is the calculation's refusal, not the schema's: web.evaluate_url names it, checked above)
    v, errors = schema.from_query(_query(inputs))
    assert schema.validate(v) == v
    assert (field in [x.field for x in errors]) is (field != "dtype"), [str(x) for x in errors]
    # the form marks that field, and the CLI exits 2 with one line naming it
    form = strict(web.from_form(json.dumps({k: str(v) for k, v in inputs.items()})))
    assert not form["ok"] and [x["field"] for x in form["errors"]] == [field], form["errors"]
    rc, out, err = run_cli([f"--{k}={v}" for k, v in inputs.items()])
    assert rc == 2 and out == "" and err.startswith(f"error: {field}:") and err.count("\n") == 1, err
    fuzz_counts.add("parallel combinations", 4)


@pytest.mark.parametrize("inputs", ANSWERED_COMBINATIONS)
def test_odd_but_legal_parallel_combinations_are_answered_with_finite_numbers(inputs):
    _answered_everywhere(inputs)
    fuzz_counts.add("parallel combinations", 4)


def test_float8_is_refused_on_every_card_without_fp8_and_answered_on_every_card_with_it():
    from calculator import gpus, parallel

    for g in gpus.list_gpus():
        if g.get("segment") == "apple":
            continue
        v = {**LLAMA_8B, "gpu": g["id"], "dtype": "float8", "num_gpus": 8, "gradient_accumulation_steps": 8,
             "sharding": "fsdp"}
        if g.get("arch") in parallel.FP8["archs"]:
            assert estimate(**v)["dtype"] == "float8", g["id"]
        else:
            with pytest.raises(InputError) as e:
                estimate(**v)
            assert e.value.field == "dtype" and g["name"] in str(e.value), (g["id"], str(e.value))
    fuzz_counts.add("parallel combinations", len(gpus.list_gpus()))


# generated: each field of the many-GPU inputs from a mix of legal values, boundary values and values that break a
# cross-check, over a base of a few models and cards
_degree = st.one_of(st.sampled_from([1, 1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 32, 64, 127, 128, 1024]),
                    st.integers(0, 2048), st.sampled_from(["0", "-1", "1e3", "8.0", "8.5", "", "nan", "9" * 30]))
_parallel_values = {
    "model": st.sampled_from(["llama-3.1-8b", "gpt2", "Llama 3.1 8B", "llama", ""]),
    "model_type": st.sampled_from(["gpt2", "gpt_neox", "mpt", "llama", "mistral", "qwen2", "bert", ""]),
    "n_kv_head": st.one_of(st.sampled_from([1, 2, 3, 4, 8, 12, 16, 32, 1024, 0, ""]), st.integers(-5, 2000)),
    "intermediate_size": st.one_of(st.sampled_from([1, 1536, 14336, 53248, 4_194_304, 4_194_305, 0, ""]),
                                   st.integers(-5, 5_000_000)),
    "tie_word_embeddings": st.sampled_from([True, False, "", "maybe"]),
    "gpus_per_node": _degree, "tensor_parallel": _degree, "pipeline_parallel": _degree,
    "pipeline_interleave": _degree, "context_parallel": _degree,
    "sharding": st.sampled_from(["ddp", "zero1", "zero2", "fsdp", "hsdp", "zero3", "FSDP", ""]),
    "activation_checkpointing": st.sampled_from(["none", "selective", "full", "partial", ""]),
    "network": st.sampled_from(["auto", "ib-xdr", "ib-ndr", "ib-hdr", "roce-400", "roce-200", "ethernet-100",
                                "ethernet-25", "nvlink", ""]),
    "dtype": st.sampled_from(["auto", "bfloat16", "float16", "float32", "float8", "fp8"]),
    "num_gpus": st.one_of(st.sampled_from([1, 2, 4, 8, 16, 24, 64, 512, 4096, 100_000]), st.integers(0, 200_000)),
    "gradient_accumulation_steps": st.one_of(st.sampled_from([1, 8, 64, 512, 1_000_000]), st.integers(0, 10**6)),
    "gpu": st.sampled_from(["h100-sxm", "a100-80gb", "rtx-3090", "rtx-4090", "t4", "mi300x", "b200", "custom",
                            "apple-m3-max", "l4"]),
    "n_layer": st.sampled_from([1, 2, 12, 32, 126, 1000]),
    "block_size": st.sampled_from([1, 1000, 1024, 8192, 1_048_576]),
    "batch_size": st.sampled_from([1, 4, 65536]),
    "device": st.sampled_from(["cuda", "cuda", "cuda", "mps", "cpu"]),
}
parallel_inputs = st.fixed_dictionaries({}, optional=_parallel_values)
PARALLEL_GENERATED = settings(max_examples=400 * SCALE, deadline=None, suppress_health_check=list(HealthCheck))


def _answer_or_name(inputs: dict) -> None:
    """The Python API answers with finite numbers or refuses naming a schema field; the URL, the form and the
    comparison across cards answer without an internal error, every message naming its field."""
    try:
        r = estimate(**inputs)
    except InputError as e:
        assert e.field in schema.BY_NAME, str(e)
    else:
        json.dumps(r, allow_nan=False)
    q = _query(inputs)
    v, errors = schema.from_query(q)  # never raises; what it answers with is a valid scenario
    assert all(e.field in schema.BY_NAME or e.field == "query" for e in errors), [str(e) for e in errors]
    assert schema.validate(v) == v
    d = strict(web.from_url(q))
    check_errors(d["errors"])
    assert d["result"] is not None
    form = strict(web.from_form(json.dumps({k: str(v) for k, v in inputs.items()})))
    check_errors(form["errors"])
    assert form["ok"] or all(e["field"] in schema.BY_NAME for e in form["errors"]), form["errors"]


@PARALLEL_GENERATED
@given(parallel_inputs)
def test_generated_parallel_combinations(inputs):
    _answer_or_name(inputs)
    fuzz_counts.add("parallel combinations", 3)


@settings(max_examples=25 * SCALE, deadline=None, suppress_health_check=list(HealthCheck))
@given(parallel_inputs)
def test_parallel_combinations_through_the_command_line_and_the_comparison(inputs):
    """The CLI and the comparison across every card (compare_gpus: the run once on each card, and on 1 and 8 GPUs)."""
    rc, out, err = run_cli([f"--{k}={v}" for k, v in inputs.items()])
    check_cli(rc, out, err, inputs)
    c = strict(web.compare_gpus(_query(inputs)))
    check_errors(c["errors"])
    fuzz_counts.add("parallel combinations", 2)


@pytest.mark.parametrize("inputs", [
    {**LLAMA_8B, "tensor_parallel": 2}, {**LLAMA_8B, "pipeline_parallel": 4}, {**LLAMA_8B, "context_parallel": 2},
    {**LLAMA_8B, "tensor_parallel": 8, "pipeline_parallel": 2, "num_gpus": 32, "gradient_accumulation_steps": 32},
])
def test_parallel_combinations_through_compare(inputs):
    """The comparison's "8 GPUs or 1" re-runs the scenario on 1 and 8 GPUs: a tensor, pipeline or context split
    that cannot be laid out on them is a stated reason, not a crash (it divided by zero data-parallel ranks)."""
    c = strict(web.compare_gpus(_query(inputs)))
    check_errors(c["errors"])
    assert c["errors"] == [] and c["rows"] and c["summary"] is not None
    m = c["summary"]["multi_gpu"]
    assert m is None or m["ok"] is False or m["num_gpus"] == 8
    fuzz_counts.add("parallel combinations")
