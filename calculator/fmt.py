"""Human-readable text for every number the calculator shows, in one place, so the CLI, the pre-rendered page and
the live page print the same words ("8.9 s/iter", "14 h 50 min", "33.6%").

Each formatter keeps about three significant figures; parse_duration() reads duration() back (used by the tests to
check that formatting loses no more than its stated precision).

Every formatter takes lang= (calculator.i18n: "en", the default, or "es"): the same value in the reader's convention,
"8.9 s/iter" and "33.6%" in English, "8,9 s/iter" and "33,6 %" in Spanish. The number itself is written in English
first and then localised (local), so each language is a decimal mark, a grouping mark and a few unit words.
"""

from __future__ import annotations

import math
import re

from . import i18n

_SECOND_UNITS = (("years", 365.25 * 86400), ("d", 86400.0), ("h", 3600.0), ("min", 60.0), ("s", 1.0))


def local(text: str, lang: str) -> str:
    """An English-written number ("1,234.5", "0.41", "1.60e14") in the language's convention ("1234,5" in Spanish)."""
    conv = i18n.numbers(lang)
    if conv["decimal"] == "." and conv["group"] == ",":
        return text

    def one(m: re.Match) -> str:
        whole, _, frac = m.group(0).partition(".")
        digits = whole.replace(",", "")
        if len(digits.lstrip("-")) > conv["group_min"]:
            whole = whole.replace(",", conv["group"])
        else:
            whole = digits
        return whole + (conv["decimal"] + frac if frac else "")

    return re.sub(r"-?[0-9][0-9,]*(?:\.[0-9]+)?", one, text)


def _na(lang: str) -> str:
    return i18n.t("fmt.n_a", lang)


def _sig(x: float, digits: int = 3, lang: str = "en") -> str:
    """x with `digits` significant figures, no exponent for ordinary magnitudes, no trailing '.0'."""
    return local(_sig_en(x, digits), lang) if x == 0 or math.isfinite(x) else _na(lang)


def _sig_en(x: float, digits: int = 3) -> str:
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


def duration(seconds: float, lang: str = "en") -> str:
    """'0.41 ms', '481 ms', '8.9 s', '14 min 5 s', '14 h 50 min', '3 d 4 h', '12.3 years'."""
    if seconds is None or not math.isfinite(seconds):
        return _na(lang)
    s = max(0.0, float(seconds))
    if s < 1:
        return f"{_sig(s * 1000, lang=lang)} ms"
    if s < 60:
        return f"{round(s)} s" if s >= 10 else f"{_sig(s, 2, lang)} s"
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
    return f"{_sig(s / (365.25 * 86400), lang=lang)} {i18n.t('fmt.years', lang)}"


_DUR_PART = re.compile(r"([0-9][0-9,.\u00a0]*(?:e[+-]?[0-9]+)?)\s*(years|años|ms|min|d|h|s)\b")


def parse_duration(text: str, lang: str = "en") -> float:
    """Seconds from duration()'s text in `lang` (the inverse, up to its rounding)."""
    units = dict(_SECOND_UNITS)
    units["ms"] = 1e-3
    units["años"] = units["years"]
    conv = i18n.numbers(lang)
    total, found = 0.0, False
    for num, unit in _DUR_PART.findall(text):
        num = num.replace(conv["group"], "").replace(conv["decimal"], ".").rstrip(".")
        total += float(num) * units[unit]
        found = True
    if not found:
        raise ValueError(f"not a duration: {text!r}")
    return total


def ms_per_iter(ms: float, lang: str = "en") -> str:
    """'481 ms/iter' below a second, '8.9 s/iter' above."""
    if ms is None or not math.isfinite(ms):
        return _na(lang)
    if ms < 1000:
        return f"{_sig(ms, lang=lang)} ms/iter"
    return f"{duration(ms / 1000, lang)}/iter"


def percent(fraction: float, digits: int = 3, lang: str = "en") -> str:
    """'33.6%' ('33,6 %' in Spanish)."""
    if fraction is None or not math.isfinite(fraction):
        return _na(lang)
    return f"{_sig(fraction * 100, digits, lang)}{i18n.numbers(lang)['percent']}"


def count(n: float, lang: str = "en") -> str:
    """'44.6M', '1.2B', '950' (parameters, tokens); Spanish: '44,6 M', '1,2 mil M'."""
    if n is None or not math.isfinite(n):
        return _na(lang)
    for suffix, scale in zip(i18n.numbers(lang)["suffixes"], (1e12, 1e9, 1e6, 1e3), strict=True):
        if abs(n) >= scale:
            return f"{_sig(n / scale, lang=lang)}{suffix}"
    return _sig(n, lang=lang) if n != int(n) else local(f"{int(n)}", lang)


def change(fraction: float, lang: str = "en") -> str:
    """A signed relative error: '+3.2%', '-11.0%' ('+3,2 %')."""
    return local(f"{fraction * 100:+.1f}", lang) + i18n.numbers(lang)["percent"]


def number(x: float, lang: str = "en") -> str:
    """A plain number as Python's 'g' format writes it: '0.8', '1.25', '12' ('0,8')."""
    return local(f"{x:g}", lang)


def printed_mfu(fraction: float, lang: str = "en") -> str:
    """'11.95%': the mfu as nanoGPT's train.py prints it (f"{running_mfu*100:.2f}%"), a log line's text, the same in
    every language."""
    return f"{fraction * 100:.2f}%"


def exact(n: int, lang: str = "en") -> str:
    """'123,587,328' ('123 587 328' in Spanish)."""
    return local(f"{int(n):,}", lang)


def flops(n: float, lang: str = "en") -> str:
    """'1.60e14 FLOPs' (scientific: these numbers are compared by order of magnitude)."""
    return local(f"{n:.2e}".replace("e+", "e"), lang) + " FLOPs"


def tflops(x: float, lang: str = "en") -> str:
    return f"{_sig(x, lang=lang)} TFLOPS"


def rate(tokens_per_sec: float, lang: str = "en") -> str:
    return f"{count(tokens_per_sec, lang)} tok/s"


def gib(x: float, lang: str = "en") -> str:
    return f"{_sig(x, 3 if x < 100 else 4, lang)} GiB"


def times(ratio: float, lang: str = "en") -> str:
    """'87x', '1.6x' ('87×', '1,6×' in Spanish)."""
    return f"{_sig(ratio, 2, lang)}{i18n.numbers(lang)['times']}"


def money(usd: float, lang: str = "en") -> str:
    """'$2.20', '$0.004', '$1,234', '$12.3M' (US dollars: the price table's currency); Spanish '2,20 US$'."""
    if usd is None or not math.isfinite(usd):
        return _na(lang)
    x = max(0.0, float(usd))
    if x == 0:
        number = "0"
    elif x < 0.01:
        number = _sig(x, 1, lang)
    elif x < 1000:
        number = local(f"{x:,.2f}", lang)
    elif x < 1e7:
        number = local(f"{x:,.0f}", lang)
    else:
        number = count(x, lang)
    return i18n.t("fmt.money", lang, n=number)


def price_per_hour(usd: float, lang: str = "en") -> str:
    """'$2.69/GPU-hour', '$0.865/GPU-hour': cents, and a third figure below a dollar, as price lists write them."""
    if usd is None or not math.isfinite(usd) or not 0.001 <= usd < 1:
        return f"{money(usd, lang)}/{i18n.t('fmt.gpu_hour', lang)}"
    text = f"{usd:.3f}"
    number = local(text[:-1] if text.endswith("0") else text, lang)
    return f"{i18n.t('fmt.money', lang, n=number)}/{i18n.t('fmt.gpu_hour', lang)}"


def kwh_price(usd: float, lang: str = "en") -> str:
    """'$0.30/kWh'."""
    return f"{money(usd, lang)}/kWh"


def energy(kwh: float, lang: str = "en") -> str:
    """'1.9 kWh', '0.35 kWh', '12.4 MWh'."""
    if kwh is None or not math.isfinite(kwh):
        return _na(lang)
    if kwh >= 10_000:
        return f"{_sig(kwh / 1000, lang=lang)} MWh"
    return f"{_sig(kwh, 2 if kwh < 10 else 3, lang)} kWh"


def watts(w: float, lang: str = "en") -> str:
    """'200 W'."""
    return f"{_sig(w, lang=lang)} W"


def hours(h: float, lang: str = "en") -> str:
    """'0.82 GPU-hours'."""
    return f"{_sig(h, 2 if h < 10 else 3, lang)} {i18n.t('fmt.gpu_hours', lang)}"


def percent_fixed(percent: float, lang: str = "en") -> str:
    """A percentage as printed with two decimals, in the reader's convention: '11.95%' ('11,95 %')."""
    return local(f"{percent:.2f}", lang) + i18n.numbers(lang)["percent"]
