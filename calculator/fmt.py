"""Human-readable text for every number the calculator shows, in one place, so the CLI, the pre-rendered page and
the live page print the same words ("8.9 s/iter", "14 h 50 min", "33.6%").

Each formatter keeps about three significant figures; parse_duration() reads duration() back (used by the tests to
check that formatting loses no more than its stated precision).
"""

from __future__ import annotations

import math
import re

_SECOND_UNITS = (("years", 365.25 * 86400), ("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0))


def _sig(x: float, digits: int = 3) -> str:
    """x with `digits` significant figures, no exponent for ordinary magnitudes, no trailing '.0'."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else "n/a"
    mag = math.floor(math.log10(abs(x)))
    if mag >= 15 or mag <= -5:
        return f"{x:.{digits - 1}e}"
    decimals = max(0, digits - 1 - mag)
    text = f"{x:,.{decimals}f}"
    if "." in text:  # "80.0" -> "80", "0.410" -> "0.41"
        text = text.rstrip("0").rstrip(".")
    return text


def duration(seconds: float) -> str:
    """'0.41 ms', '481 ms', '8.9 s', '14 min 5 s', '14 h 50 min', '3 d 4 h', '12.3 years'."""
    if seconds is None or not math.isfinite(seconds):
        return "n/a"
    s = max(0.0, float(seconds))
    if s < 1:
        return f"{_sig(s * 1000)} ms"
    if s < 60:
        return f"{round(s)} s" if s >= 10 else f"{_sig(s, 2)} s"
    if s < 3600:
        total = round(s)
        m, sec = divmod(total, 60)
        return f"{m} min {sec} s" if sec else f"{m} min"
    if s < 86400:
        total = round(s / 60)
        h, m = divmod(total, 60)
        if h == 24:
            return "1 d"
        return f"{h} h {m} min" if m else f"{h} h"
    if s < 365.25 * 86400:
        total = round(s / 3600)
        d, h = divmod(total, 24)
        return f"{d} d {h} h" if h else f"{d} d"
    return f"{_sig(s / (365.25 * 86400))} years"


_DUR_PART = re.compile(r"([0-9][0-9,]*\.?[0-9]*(?:e[+-]?[0-9]+)?)\s*(years|ms|min|d|h|s)\b")


def parse_duration(text: str) -> float:
    """Seconds from duration()'s text (the inverse, up to its rounding)."""
    units = dict(_SECOND_UNITS)
    units["ms"] = 1e-3
    total, found = 0.0, False
    for num, unit in _DUR_PART.findall(text):
        total += float(num.replace(",", "")) * units[unit]
        found = True
    if not found:
        raise ValueError(f"not a duration: {text!r}")
    return total


def ms_per_iter(ms: float) -> str:
    """'481 ms/iter' below a second, '8.9 s/iter' above."""
    if ms is None or not math.isfinite(ms):
        return "n/a"
    if ms < 1000:
        return f"{_sig(ms)} ms/iter"
    return f"{duration(ms / 1000)}/iter"


def percent(fraction: float, digits: int = 3) -> str:
    if fraction is None or not math.isfinite(fraction):
        return "n/a"
    return f"{_sig(fraction * 100, digits)}%"


def count(n: float) -> str:
    """'44.6M', '1.2B', '950' (parameters, tokens)."""
    if n is None or not math.isfinite(n):
        return "n/a"
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(n) >= scale:
            return f"{_sig(n / scale)}{suffix}"
    return _sig(n) if n != int(n) else f"{int(n)}"


def exact(n: int) -> str:
    """'123,587,328'."""
    return f"{int(n):,}"


def flops(n: float) -> str:
    """'1.60e14 FLOPs' (scientific: these numbers are compared by order of magnitude)."""
    return f"{n:.2e} FLOPs".replace("e+", "e")


def tflops(x: float) -> str:
    return f"{_sig(x)} TFLOPS"


def rate(tokens_per_sec: float) -> str:
    return f"{count(tokens_per_sec)} tok/s"


def gib(x: float) -> str:
    return f"{_sig(x, 3 if x < 100 else 4)} GiB"


def times(ratio: float) -> str:
    """'87x', '1.6x'."""
    return f"{_sig(ratio, 2)}x"


def money(usd: float) -> str:
    """'$2.20', '$0.004', '$1,234', '$12.3M' (US dollars: the price table's currency)."""
    if usd is None or not math.isfinite(usd):
        return "n/a"
    x = max(0.0, float(usd))
    if x == 0:
        return "$0"
    if x < 0.01:
        return f"${_sig(x, 1)}"
    if x < 1000:
        return f"${x:,.2f}"
    if x < 1e7:
        return f"${x:,.0f}"
    return f"${count(x)}"


def price_per_hour(usd: float) -> str:
    """'$2.69/GPU-hour', '$0.865/GPU-hour': cents, and a third figure below a dollar, as price lists write them."""
    if usd is None or not math.isfinite(usd) or not 0.001 <= usd < 1:
        return f"{money(usd)}/GPU-hour"
    text = f"{usd:.3f}"
    return f"${text[:-1] if text.endswith('0') else text}/GPU-hour"


def kwh_price(usd: float) -> str:
    """'$0.30/kWh'."""
    return f"{money(usd)}/kWh"


def energy(kwh: float) -> str:
    """'1.9 kWh', '0.35 kWh', '12.4 MWh'."""
    if kwh is None or not math.isfinite(kwh):
        return "n/a"
    if kwh >= 10_000:
        return f"{_sig(kwh / 1000)} MWh"
    return f"{_sig(kwh, 2 if kwh < 10 else 3)} kWh"


def watts(w: float) -> str:
    """'200 W'."""
    return f"{_sig(w)} W"


def hours(h: float) -> str:
    """'0.82 GPU-hours'."""
    return f"{_sig(h, 2 if h < 10 else 3)} GPU-hours"
