"""Facts: what the calculation says, in no language.

The calculation (estimate, speed, memory, warmup, feasibility, cost, rent, compare, the log reader) returns numbers
and, where it has something to say (a verdict, a warning, a reason, an error), a fact: a key and its parameters.

    fact("warn.tight", need=qty("gib", 9.4), capacity=qty("gib", 11.2))
    -> {"key": "warn.tight", "params": {"need": {"qty": "gib", "value": 9.4}, ...}}

A parameter is a plain value (a name, an id, a value as the user typed it: shown as it is), a quantity (`qty`: a
number and the calculator.fmt formatter that writes it in the reader's convention), another fact (its words are
put in), or a list of those (`joined`). Facts are plain JSON. calculator.words turns a fact into text in a language,
with the key's template from calculator/i18n/<lang>.py; nothing here knows a language.
"""

from __future__ import annotations

from typing import Any


def fact(key: str, **params: Any) -> dict:
    """A fact: the key of its template in calculator/i18n and the parameters the template names."""
    return {"key": key, "params": params}


def qty(kind: str, value: float, *args: Any) -> dict:
    """A number the words layer formats: `kind` is a calculator.fmt formatter ("ms_per_iter", "gib", "percent"),
    `args` its extra positional arguments (percent's significant digits)."""
    return {"qty": kind, "value": value, "args": list(args)}


def joined(items: list, sep: str | dict = ", ") -> dict:
    """A list of parameters (plain values, quantities or facts) written one after the other, separated by `sep`
    (punctuation, or a fact where the separator is a word: fact("list.or"))."""
    return {"items": list(items), "sep": sep}


def is_fact(value: Any) -> bool:
    return isinstance(value, dict) and "key" in value and "params" in value
