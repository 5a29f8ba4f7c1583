"""The presentation layer: the calculation's numbers and facts, written in a language.

The calculation speaks no language: it returns numbers, and facts (calculator.facts: a key and its parameters) for
what it has to say. This package is the one place where they become text, for the CLI, the pre-rendered page and
the page's worker alike, so the three print the same words:

    say(fact, lang)             one fact (a verdict, a warning, a reason, an error's message) as a sentence
    error(e, lang)              an InputError as "field: message"
    estimate(result, lang)      an estimate() result with its texts: result["text"], warnings, the verdict's message,
                                the cost's texts (words/estimate.py)
    comparison(answer, lang)    rent.compare()'s rows and summary with their texts (words/rent.py)
    analysis(out, lang)         loganalysis.analyze()'s result with its texts and terminal report (words/log.py)

Templates come from calculator/i18n/<lang>.py by key; numbers are written by calculator.fmt in the language's
convention. English is the source and the default.
"""

from __future__ import annotations

from typing import Any

from .. import fmt, i18n
from ..errors import InputError

# the calculator.fmt formatters a quantity may name
_FORMATTERS = frozenset({"duration", "ms_per_iter", "percent", "count", "change", "number", "printed_mfu", "exact",
                         "flops", "tflops", "rate", "gib", "times", "money", "price_per_hour", "kwh_price", "energy",
                         "watts", "hours", "percent_fixed"})


def say(f: dict, lang: str = i18n.DEFAULT) -> str:
    """A fact's sentence in `lang`: its key's template with each parameter written in that language."""
    params = f.get("params") or {}
    return i18n.t(f["key"], lang, **{k: _param(v, lang) for k, v in params.items()})


def _param(value: Any, lang: str) -> Any:
    if isinstance(value, dict):
        if "key" in value:
            return say(value, lang)
        if "qty" in value and value["qty"] in _FORMATTERS:
            return getattr(fmt, value["qty"])(value["value"], *value.get("args", ()), lang=lang)
        if "items" in value:
            sep = _param(value.get("sep", ", "), lang)
            return sep.join(str(_param(x, lang)) for x in value["items"])
    return value


def error(e: InputError, lang: str = i18n.DEFAULT) -> str:
    """An input error as the reader sees it: "field: message", the field's name kept as it is (a config name)."""
    return f"{e.field}: {say(e.fact, lang)}"


def errors(errs: list[InputError], lang: str = i18n.DEFAULT) -> list[dict]:
    """The page's form of a list of errors: [{"field", "message"}], the messages in `lang`."""
    return [{"field": e.field, "message": error(e, lang)} for e in errs]


from .estimate import estimate  # noqa: E402  (the renderers use say() above)


def __getattr__(name: str):
    """comparison and analysis load on first use, as the comparison and the log reader they write do: the page's
    first answer needs neither."""
    if name == "comparison":
        from .rent import comparison

        return comparison
    if name == "analysis":
        from .log import analysis

        return analysis
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["say", "error", "errors", "estimate", "comparison", "analysis"]
