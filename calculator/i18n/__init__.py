"""The calculator's words in each language: t(key, lang, **kw) -> the text, with {placeholders} filled in.

One module per language (en.py, es.py), each with TEXTS (key -> text, str.format placeholders) and NUMBERS (how the
language writes a number: decimal and grouping marks, the percent sign, the count suffixes). English is the source
of truth and the default: a key missing from another language falls back to English, and tests/test_i18n.py checks
that none is missing. A third language is one more module here (plus templates/content/<lang>/ for the page).
"""

from __future__ import annotations

from importlib import import_module

DEFAULT = "en"
LANGS = ("en", "es")


def lang_of(lang: str | None) -> str:
    """A supported language code from a code or a locale ("es", "es_ES.UTF-8", "es-MX"); else the default."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0].split(".")[0]
    return code if code in LANGS else DEFAULT


def _module(lang: str):
    return import_module(f"{__name__}.{lang_of(lang)}")


def texts(lang: str) -> dict[str, str]:
    """Every text of a language (its own; English fills what it lacks only through t())."""
    return _module(lang).TEXTS


def numbers(lang: str) -> dict:
    """How a language writes numbers: decimal, group (thousands mark), group_min (digits left ungrouped), percent,
    times, suffixes (thousand-power suffixes for 1e12, 1e9, 1e6, 1e3)."""
    return _module(lang).NUMBERS


def t(key: str, lang: str = DEFAULT, **kw) -> str:
    """The text for `key` in `lang` (English when the language lacks it), formatted with kw."""
    own = texts(lang)
    template = own[key] if key in own else texts(DEFAULT)[key]
    return template.format(**kw) if kw else template


def word(key_prefix: str, value: str, lang: str = DEFAULT) -> str:
    """A fixed word the calculator returns as a value ("fits", "impossible", "model"), in `lang`; an unknown value
    is shown as it is."""
    key = f"{key_prefix}.{value}"
    return t(key, lang) if key in texts(DEFAULT) else value


def message(text: str, lang: str = DEFAULT) -> str:
    """A validation message (calculator.errors.InputError's text, written in English where it is raised) in `lang`.

    Those messages are built from a small grammar ("must be a whole number with 1 <= n_layer <= 1000, not 'x'",
    "...; using the default (12)"), so a language translates the grammar: its ERRORS, a list of (regular
    expression, replacement) applied in order. Names, values and code in the message stay as they are."""
    import re

    for pattern, replacement in getattr(_module(lang), "ERRORS", ()):
        text = re.sub(pattern, replacement, text)
    return text


def field_text(field, part: str, lang: str = DEFAULT) -> str:
    """A schema field's label or help (part "label" | "help") in `lang`; English is the schema itself."""
    if lang_of(lang) == DEFAULT:
        return getattr(field, part)
    return texts(lang).get(f"field.{field.name}.{part}", getattr(field, part))


def group_name(group: str, english: str, lang: str = DEFAULT) -> str:
    """A group of fields' title ("model" -> "Model") in `lang`; English is schema.GROUPS."""
    return english if lang_of(lang) == DEFAULT else texts(lang).get(f"group.{group}", english)
