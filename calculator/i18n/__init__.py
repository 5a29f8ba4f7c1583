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
    """Every text of a language (its own; English fills what it lacks only through t()). English is en.py plus the
    words that live beside what they describe: each schema field's label and help ("field.<name>.label"), each
    group's title ("group.<key>") and each log format's registry entry ("logformat.<name>.title")."""
    if lang_of(lang) == DEFAULT:
        return _english()
    return _module(lang).TEXTS


_ENGLISH: dict[str, str] = {}


def _english() -> dict[str, str]:
    if not _ENGLISH:
        from .. import logformats, schema  # the source of their own English words

        own = dict(_module(DEFAULT).TEXTS)
        for f in schema.FIELDS:
            own[f"field.{f.name}.label"] = f.label
            own[f"field.{f.name}.help"] = f.help
        for key, title in schema.GROUPS.items():
            own[f"group.{key}"] = title
        for f in logformats.FORMATS:
            for part in ("title", "semantics", "steady"):
                own[f"logformat.{f.name}.{part}"] = getattr(f, part)
        _ENGLISH.update(own)
    return _ENGLISH


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


def field_text(field, part: str, lang: str = DEFAULT) -> str:
    """A schema field's label or help (part "label" | "help") in `lang`; English is the schema itself."""
    return t(f"field.{field.name}.{part}", lang)


def group_name(group: str, lang: str = DEFAULT) -> str:
    """A group of fields' title ("model" -> "Model") in `lang`; English is schema.GROUPS."""
    return t(f"group.{group}", lang)
