"""Hostile input through the Python side: URL query strings, form values and extreme scenarios.
(The page-level fuzz, through the real browser, is in test_browser_hardening.py.)"""

import json
import math
import re
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import schema, web

BAD_NUMBER = re.compile(r"\b(nan|inf|infinity)\b", re.I)  # as words: "nanoGPT" is fine
PAYLOADS = ["<script>alert(1)</script>", "javascript:alert(1)", "\"><img src=x onerror=alert(1)>", "nan", "NaN",
            "inf", "-Infinity", "1e309", "-1", "0", "1e1000000", "９", "1_000", "0x1F", "  12  ", "", "%00", "\u202e",
            "true", "null", "[]", "{}", "12abc", "💥" * 50]
names = st.one_of(st.sampled_from([f.name for f in schema.FIELDS]), st.text(max_size=30))
values = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=50), st.integers(-10**30, 10**30).map(str),
                   st.floats(allow_nan=True, allow_infinity=True).map(repr))


@st.composite
def queries(draw):
    pairs = draw(st.lists(st.tuples(names, values), max_size=12))
    if draw(st.booleans()) and pairs:  # repeated keys
        pairs.append(pairs[0])
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def assert_clean(d):
    text = json.dumps(d, allow_nan=False)  # raises on NaN/inf anywhere
    assert d["result"] is not None
    for key, shown in d["result"]["text"].items():
        assert not BAD_NUMBER.search(shown), (key, shown)
    return text


@settings(max_examples=400, deadline=None)
@given(queries())
def test_any_query_string_gives_a_result_and_named_errors(q):
    d = web.evaluate_url(q)
    assert_clean(d)
    for e in d["errors"]:
        assert e["message"].startswith(e["field"])
    # the canonical query restores exactly the inputs used
    again = web.evaluate_url(d["query"])
    assert again["errors"] == [] and again["inputs"] == d["inputs"]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(names, values, max_size=10))
def test_any_form_values_give_a_result_or_named_errors(fields):
    d = json.loads(web.from_form(json.dumps(fields)))
    if d["ok"]:
        assert_clean(d)
    else:
        assert d["errors"] and all(e["field"] and e["message"] for e in d["errors"])


def test_payloads_are_echoed_only_as_data():
    q = "&".join(f"n_layer={quote(p)}&{quote(p)}=1" for p in PAYLOADS[:3])
    d = web.evaluate_url(q)
    assert d["inputs"]["n_layer"] == schema.DEFAULTS["n_layer"]  # fell back
    assert "<script>" not in d["query"] and "javascript:" not in d["query"]


def test_huge_numbers_never_overflow():
    d = web.evaluate_url("max_iters=1000000000000&eval_interval=1&n_layer=1000&n_embd=131072&n_head=1024"
                         "&vocab_size=10000000&block_size=1048576&batch_size=65536&gradient_accumulation_steps=1000000")
    text = assert_clean(d)
    assert math.isfinite(d["result"]["total_seconds"]) and "years" in d["result"]["text"]["total_seconds"]
    assert len(text) < 200_000


def test_a_link_to_a_card_without_bf16_runs_what_nanogpt_would():
    """The default dtype (auto) on a T4 is what nanoGPT picks there: emulated bfloat16, with a warning that names
    float16; nothing to fall back from. A dtype the card cannot run (float32 on an A10G, whose FP32 figures no source
    gives) falls back to the default and says so."""
    d = web.evaluate_url("gpu=Tesla%20T4")
    assert (d["inputs"]["gpu"], d["inputs"]["dtype"], d["errors"]) == ("t4", "auto", [])
    assert d["result"]["emulated_bf16"] and any("float16" in w for w in d["result"]["warnings"])
    d = web.evaluate_url("gpu=a10g&dtype=float32")
    assert (d["inputs"]["gpu"], d["inputs"]["dtype"]) == ("a10g", "auto")
    assert [e["field"] for e in d["errors"]] == ["dtype"] and d["errors"][0]["message"].endswith("using the default")
