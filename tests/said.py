"""The calculation and its words together, the way the CLI and the page use them.

The calculator's functions return numbers and facts, in no language; calculator.words writes them. A test that
checks a text goes through these, so it sees what a reader sees.
"""

from __future__ import annotations

import calculator
from calculator import loganalysis, rent, words


def estimate(lang: str = "en", **inputs) -> dict:
    """calculator.estimate's result with its texts in `lang`."""
    return words.estimate(calculator.estimate(**inputs), lang)


def compute(v: dict, constants: dict | None = None, lang: str = "en") -> dict:
    return words.estimate(calculator.compute(v, constants), lang)


def analyze(text: str, lang: str = "en", **inputs) -> dict:
    """loganalysis.analyze's result with its texts and report in `lang`."""
    return words.analysis(loganalysis.analyze(text, **inputs), lang)


def compare(v: dict, lang: str = "en") -> dict:
    """rent.compare's answer with its texts in `lang`."""
    return words.comparison(rent.compare(v), lang)


def table(answer: dict, current: str, lang: str = "en") -> str:
    from calculator.words import rent as rent_words

    return rent_words.table(answer, current, lang)
