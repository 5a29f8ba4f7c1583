"""One schema drives validation: every field, every kind of bad value, one error type naming the field."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import InputError, schema
from said import estimate


def test_defaults_are_the_run_from_the_question():
    """12 x 12 x 384 at 16 x 32 x 1024 tokens on an RTX 4070, compiled, with nanoGPT's own dtype rule (auto: bfloat16
    on that card), since the run's published config sets none; the current PyTorch release."""
    d = schema.DEFAULTS
    assert (d["n_layer"], d["n_head"], d["n_embd"], d["vocab_size"], d["block_size"]) == (12, 12, 384, 50304, 1024)
    assert (d["batch_size"], d["gradient_accumulation_steps"], d["max_iters"]) == (16, 32, 6000)
    assert (d["eval_interval"], d["eval_iters"], d["dtype"], d["compile"], d["gpu"], d["num_gpus"], d["device"]) == \
        (2000, 200, "auto", True, "rtx-4070", 1, "cuda")
    assert d["torch_version"] == "2.11"
    assert schema.validate() == schema.DEFAULTS


def test_text_values_are_coerced_like_a_command_line():
    v = schema.validate(batch_size="32", compile="False", mfu="35%", bias="true", max_iters="1e9")
    assert v["batch_size"] == 32 and v["compile"] is False and v["mfu"] == pytest.approx(0.35)
    assert v["bias"] is True and v["max_iters"] == 10**9


def bad_values(f):
    if f.kind == "bool":
        return ["maybe", "2", "", "nan"] if not f.optional else ["maybe"]
    if f.kind == "choice":
        return ["float4", "", 3]
    if f.kind == "gpu":
        return []
    if f.kind == "model":
        return ["no-such-model", "x" * 101, 3]
    vals = ["abc", "nan", "inf", "-inf", "1e999", "", "0x10"]
    if f.min is not None:
        vals.append(f.min - 1)
        if f.exclusive_min:
            vals.append(f.min)
    if f.max is not None:
        vals.append(f.max * 10 + 1)
    if f.kind == "int":
        vals.append("1.5")
    if f.optional:
        vals.remove("")
    return vals


@pytest.mark.parametrize("f", schema.FIELDS, ids=lambda f: f.name)
def test_every_invalid_value_names_its_field_and_range(f):
    for bad in bad_values(f):
        with pytest.raises(InputError) as exc:
            schema.validate({f.name: bad})
        assert exc.value.field == f.name
        assert str(exc.value).startswith(f.name)
        if f.kind in ("int", "float") and bad not in ("",):
            assert f.range_text() in str(exc.value)


def test_unknown_input_and_unknown_gpu():
    with pytest.raises(InputError) as exc:
        schema.validate(batchsize=3)
    assert exc.value.field == "batchsize"
    with pytest.raises(InputError) as exc:
        estimate(gpu="rtx-4700")
    assert exc.value.field == "gpu" and "rtx-4070" in str(exc.value)


def test_cross_field_rules_from_nanogpt():
    with pytest.raises(InputError) as exc:
        schema.validate(n_embd=500, n_head=8)
    assert exc.value.field == "n_head"
    with pytest.raises(InputError) as exc:
        schema.validate(gradient_accumulation_steps=10, num_gpus=4)
    assert exc.value.field == "gradient_accumulation_steps"


def test_bf16_on_gpus_without_bf16_tensor_cores_is_emulated_and_says_what_it_costs():
    """nanoGPT would run bfloat16 there (is_bf16_supported() says yes through emulation from PyTorch 2.3): at the
    FP32 rate, several times slower than float16, and the warning says so."""
    for gpu in ("t4", "v100", "p100", "rtx-2080-ti"):
        r = estimate(gpu=gpu, dtype="bfloat16")
        assert r["emulated_bf16"] and r["dtype"] == "bfloat16"
        assert r["ms_per_iter"] > 1.5 * r["float16_ms_per_iter"]
        assert any("float16" in w and "emulate" in w for w in r["warnings"]), r["warnings"]
        # auto on PyTorch 2.2 picks float16 (is_bf16_supported() said False before the emulation answer)
        old = estimate(gpu=gpu, dtype="auto", torch_version="2.2")
        assert old["dtype"] == "float16" and not old["emulated_bf16"]


def test_query_round_trip_keeps_only_non_defaults():
    v = schema.validate(n_layer=24, gpu="h100-sxm", compile=False, mfu=0.4, checkpoint_seconds=2.0)
    q = schema.to_query(v)
    assert "batch_size" not in q and "n_layer=24" in q and "compile=false" in q
    back, errors = schema.from_query(q)
    assert errors == [] and back == v
    assert schema.to_query(schema.DEFAULTS) == ""


def test_bad_query_params_fall_back_and_are_named():
    v, errors = schema.from_query("batch_size=-3&n_layer=12&evil=<script>&n_layer=99&mfu=nan")
    assert v["batch_size"] == 16 and v["n_layer"] == 12 and v["mfu"] is None
    named = {e.field for e in errors}
    assert {"batch_size", "evil", "mfu"} <= named


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_from_query_never_raises(q):
    v, errors = schema.from_query(q)
    assert set(v) == set(schema.DEFAULTS)
    assert all(isinstance(e, InputError) for e in errors)
    assert schema.validate(v) == v


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(schema.FIELDS), st.one_of(st.text(max_size=20), st.floats(allow_nan=True),
                                                 st.integers(min_value=-10**20, max_value=10**20), st.booleans()))
def test_any_value_is_accepted_or_raises_the_one_error_type(f, value):
    try:
        v = schema.validate({f.name: value})
    except InputError as e:
        assert e.field in (f.name, "n_head", "gradient_accumulation_steps")
    else:
        x = v[f.name]
        assert x is None or not isinstance(x, float) or math.isfinite(x)


# -- the one number parser: what it accepts and refuses (the same at every entry point; see test_input_fuzz.py) --

@pytest.mark.parametrize("text,value", [
    ("+5", 5), ("-0", None), (" 12\t\n", 12), ("1_000", 1000), ("1e2", 100), ("12.0", 12), ("1E+2", 100),
    ("0012", 12), ("1." + "0" * 500, 1),
])
def test_number_notations_accepted(text, value):
    if value is None:  # -0 is 0, below n_layer's minimum: checked on a field that takes 0
        assert schema.validate(checkpoint_seconds=text)["checkpoint_seconds"] == 0.0
        assert str(schema.validate(checkpoint_seconds=text)["checkpoint_seconds"]) == "0.0"  # not -0.0
    else:
        assert schema.validate(n_layer=text)["n_layer"] == value


@pytest.mark.parametrize("text,hint", [
    ("١٢", "digits 0-9"), ("１２", "digits 0-9"), ("१२", "digits 0-9"), ("5\x00", "control or invisible"),
    ("\u00a05", "control or invisible"), ("\u200b5", "control or invisible"), ("0x10", "hexadecimal"),
    ("0x1p-2", "hexadecimal"), ("0b101", "hexadecimal"), ("NaN", ""), ("-Infinity", ""), ("inf", ""), ("1__0", ""),
    ("_1", ""), ("1_", ""), ("1,000", ""), ("1 000", ""), ("++1", ""), ("1e", ""), (".", ""), ("12abc", ""),
])
def test_number_notations_refused_with_the_field_and_range(text, hint):
    f = schema.BY_NAME["custom_tflops"]
    with pytest.raises(InputError) as exc:
        schema.validate(custom_tflops=text)
    assert exc.value.field == "custom_tflops" and f.range_text() in str(exc.value)
    assert hint in str(exc.value)


@pytest.mark.parametrize("value", ["9" * 400, "-" + "9" * 400, "9" * 5000, "1e309", "1e999999999999999999999",
                                   "1e" + "9" * 5000, 10**400, -(10**400), 10**5000, 2**1024, float("inf")],
                         ids=lambda v: f"{type(v).__name__}-{v.bit_length() if isinstance(v, int) else len(str(v))}")
def test_numbers_beyond_float_range_are_out_of_range_not_an_overflow(value):
    for name in ("mfu", "custom_tflops", "n_layer", "max_iters", "observed_ms_per_iter"):
        with pytest.raises(InputError) as exc:
            estimate(**{name: value})
        assert exc.value.field == name and schema.BY_NAME[name].range_text() in str(exc.value)
        assert len(str(exc.value)) < 200  # the value is quoted short, never printed whole


def test_subnormal_numbers_are_refused_and_the_smallest_normal_is_accepted():
    for tiny in ("5e-324", "1e-320", 1e-320, "1e-400", "0." + "0" * 400 + "1"):
        with pytest.raises(InputError) as exc:
            schema.validate(checkpoint_seconds=tiny)
        assert exc.value.field == "checkpoint_seconds" and "too close to zero" in str(exc.value)
    assert schema.validate(checkpoint_seconds="2.2250738585072014e-308")["checkpoint_seconds"] > 0
    assert schema.validate(checkpoint_seconds="0e-999999")["checkpoint_seconds"] == 0.0


def test_ranges_are_compared_exactly_not_after_rounding():
    with pytest.raises(InputError):  # float("1.0000000000000000000001") is 1.0, inside the range; the text is not
        schema.validate(mfu="1.0000000000000000000001")
    assert schema.validate(mfu="1")["mfu"] == 1.0
    assert schema.validate(custom_tflops="0.001")["custom_tflops"] == 0.001  # the minimum itself, as typed
    assert schema.validate(mfu="35%")["mfu"] == pytest.approx(0.35)
    with pytest.raises(InputError):
        schema.validate(mfu="0%")  # 0 < mfu


def test_non_numbers_for_choices_and_booleans_are_refused_not_stringified():
    for name, value in (("gpu", 4090), ("dtype", 16), ("gpu", "h100\x00"), ("gpu", "h" * 101), ("bias", 10**5000),
                        ("bias", 2.0)):
        with pytest.raises(InputError) as exc:
            schema.validate({name: value})
        assert exc.value.field == name
