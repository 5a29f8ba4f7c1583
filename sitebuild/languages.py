"""What changes with the page's language, for the templates: the template's own words, Python's formatting bound to
the language, the schema's labels and help, and the links between the languages' pages.

The templates write their English in place, as `_("text")` or `_("text with {name}", name=out(...))`: English is the
key, and each other language's templates/content/<lang>/ui.json maps it to its own text under "strings" (a key it
lacks stays English; tests/test_i18n.py checks that none is lacking). The calculator's own words (results,
messages, labels) are in calculator/i18n.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from markupsafe import Markup, escape

from . import content


def gettext(lang: str, ui: dict):
    """The templates' `_`: text in the page's language; with keywords, a sentence with HTML put into its {slots}
    (the sentence is escaped, the values are escaped unless they already are HTML, as out() is)."""
    strings = ui.get("strings", {}) if lang != content.DEFAULT_LANG else {}

    def _(text: str, **kw: Any) -> Any:
        said = strings.get(text, text)
        return escape(said).format(**kw) if kw else said

    return _


def code(*parts: Any) -> Markup:
    """<code>…</code> around text and live values, for a slot of a translated sentence."""
    return Markup("<code>") + Markup("").join(escape(p) for p in parts) + Markup("</code>")


def log_span(key: str, tag: str = "span") -> Markup:
    """An element log.js fills with the log analysis' value and Python's text (data-log=key)."""
    return Markup(f'<{tag} data-log="{escape(key)}"></{tag}>')


class BoundFmt:
    """calculator.fmt with lang= filled in: `fmt.duration(x)` in a template prints the page's language."""

    def __init__(self, lang: str):
        from calculator import fmt

        self._fmt, self.lang = fmt, lang

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._fmt, name)
        return partial(value, lang=self.lang) if callable(value) else value


def field_label(f: Any, lang: str) -> str:
    from calculator import i18n

    return i18n.field_text(f, "label", lang)


def field_help(f: Any, lang: str) -> str:
    from calculator import i18n

    return i18n.field_text(f, "help", lang)


def range_text(f: Any, lang: str) -> str:
    """What a field allows, as its validation messages say it ("a whole number with 1 <= n_layer <= 1000")."""
    from calculator import words

    return words.say(f.range_fact(), lang)


def groups(lang: str) -> dict[str, str]:
    from calculator import i18n, schema

    return {k: i18n.group_name(k, lang) for k in schema.GROUPS}


def template_globals(lang: str, ui: dict) -> dict[str, Any]:
    """The Jinja globals that depend on the page's language (build.py's Renderer adds them)."""
    return {"fmt": BoundFmt(lang), "_": gettext(lang, ui), "code": code, "log_span": log_span,
            "range_text": lambda f: range_text(f, lang), "field_label": lambda f: field_label(f, lang),
            "field_help": lambda f: field_help(f, lang), "lang_links": links(lang),
            "as_english": partial(as_english, lang)}


def as_english(lang: str, text: Any) -> Any:
    """Text that stays English on every page (a source's own words, a data file's note, a log format's
    description): on another language's page it is marked lang="en", so a reader's browser and screen reader know,
    and tests/test_i18n.py knows it is English on purpose."""
    if lang == content.DEFAULT_LANG or text in (None, ""):
        return text
    return Markup('<span lang="en">') + escape(text) + Markup("</span>")


def links(lang: str) -> list[dict[str, str]]:
    """Every language's page as seen from `lang`'s page: {"lang", "name" (in its own language), "href" (relative:
    the default page is the site's root, another language's page is <lang>/ below it), "current"}."""
    base = "" if lang == content.DEFAULT_LANG else "../"
    out = []
    for other in content.languages():
        href = "./" if other == lang else base + ("" if other == content.DEFAULT_LANG else other + "/")
        out.append({"lang": other, "name": content.ui(other).get("language_name", other), "href": href,
                    "current": "true" if other == lang else ""})
    return out
