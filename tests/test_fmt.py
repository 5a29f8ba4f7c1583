"""Formatting: readable, round-trips within its stated precision, never 'nan'."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculator import fmt


@pytest.mark.parametrize("seconds,text", [(0.481, "481 ms"), (8.9, "8.9 s"), (845, "14 min 5 s"),
                                          (53_400, "14 h 50 min"), (3 * 86400 + 4 * 3600, "3 d 4 h"),
                                          (2 * 365.25 * 86400, "2 years")])
def test_duration_examples(seconds, text):
    assert fmt.duration(seconds) == text


def test_ms_per_iter_switches_to_seconds():
    assert fmt.ms_per_iter(481.7) == "482 ms/iter"
    assert fmt.ms_per_iter(8900) == "8.9 s/iter"
    assert fmt.percent(0.336) == "33.6%"
    assert fmt.count(123_587_328) == "124M" and fmt.exact(123_587_328) == "123,587,328"


@settings(max_examples=500)
@given(st.floats(min_value=1e-4, max_value=1e12))
def test_duration_round_trips_within_its_precision(s):
    back = fmt.parse_duration(fmt.duration(s))
    # 3 significant figures below a minute, whole seconds/minutes/hours above: worst case half a unit of the
    # smallest part shown, relative to the value.
    if s < 60:
        tol = 0.051 * s if s < 10 else 0.5
    elif s < 3600:
        tol = 0.5
    elif s < 86400:
        tol = 30
    elif s < 365.25 * 86400:
        tol = 1800
    else:
        tol = 0.005 * s
    assert abs(back - s) <= tol + 1e-9 * s


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none()))
def test_no_nan_text(x):
    for f in (fmt.duration, fmt.ms_per_iter, fmt.percent, fmt.count):
        out = f(x)
        assert "nan" not in out.lower() and "inf" not in out.lower()
        if x is None or not math.isfinite(x):
            assert out == "n/a"
