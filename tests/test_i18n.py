"""Both languages stay whole: every text of the calculator, of the interface and of the page exists in every
language with the same placeholders; no English interface text leaks into another language's page (what stays
English on purpose is marked lang="en", or is code); and the numbers follow the reader's convention while their
values stay the same.
"""

from __future__ import annotations

import json
import math
import re
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from calculator import cost, fmt, i18n, logformats, schema, web
from said import estimate
from sitebuild import content

ROOT = Path(__file__).resolve().parent.parent
OTHERS = [lang for lang in i18n.LANGS if lang != i18n.DEFAULT]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


# -- completeness --

def test_the_page_languages_are_the_calculator_languages():
    assert sorted(content.languages()) == sorted(i18n.LANGS)
    assert content.languages()[0] == i18n.DEFAULT


@pytest.mark.parametrize("lang", OTHERS)
def test_every_calculator_text_exists_with_the_same_placeholders(lang):
    english, other = i18n.texts("en"), i18n.texts(lang)
    assert sorted(set(english) - set(other)) == []
    schema_keys = {f"field.{f.name}.{part}" for f in schema.FIELDS for part in ("label", "help")}
    schema_keys |= {f"group.{g}" for g in schema.GROUPS}  # English for these is the schema itself
    schema_keys |= {f"logformat.{f.name}.{p}" for f in logformats.FORMATS for p in ("title", "semantics", "steady")}
    assert sorted(set(other) - set(english) - schema_keys) == []  # no stale key either
    for key, text in english.items():
        assert placeholders(other[key]) == placeholders(text), key
    assert set(i18n.numbers(lang)) == set(i18n.numbers("en"))


@pytest.mark.parametrize("lang", OTHERS)
def test_every_field_group_and_log_format_has_its_words(lang):
    texts = i18n.texts(lang)
    missing = [f"field.{f.name}.{part}" for f in schema.FIELDS for part in ("label", "help")
               if f"field.{f.name}.{part}" not in texts]
    missing += [f"group.{g}" for g in schema.GROUPS if f"group.{g}" not in texts]
    missing += [f"logformat.{f.name}.{part}" for f in logformats.FORMATS for part in ("title", "semantics", "steady")
                if f"logformat.{f.name}.{part}" not in texts]
    assert missing == []


def _shape(obj, path=""):
    """The keys of a ui.json, as dotted paths, with list lengths."""
    if isinstance(obj, dict):
        return {p for k, v in obj.items() for p in _shape(v, f"{path}.{k}" if path else k)}
    if isinstance(obj, list):
        return {f"{path}[{len(obj)}]"}
    return {path}


def template_strings() -> set[str]:
    """Every English text the templates say through _(): the literals, and the data texts they pass to it."""
    found = set()
    for path in (ROOT / "templates").rglob("*.j2"):
        for m in re.finditer(r'_\((["\'])((?:\\.|(?!\1).)*)\1', path.read_text(encoding="utf-8")):
            found.add(m.group(2).replace('\\"', '"').replace("\\'", "'"))
    found |= {f.placeholder for f in schema.FIELDS if f.placeholder} | {f.unit for f in schema.FIELDS if f.unit}
    found |= {cost.ABOUT["unit"], cost.ABOUT["caveat"]}
    return found


@pytest.mark.parametrize("lang", OTHERS)
def test_every_section_and_interface_text_exists(lang):
    english = [(meta["id"], meta.get("include", "")) for meta, _ in content.sections("en")]
    other = [(meta["id"], meta.get("include", "")) for meta, _ in content.sections(lang)]
    assert other == english
    names = sorted(p.name for p in (content.CONTENT / "en").glob("*.md"))
    assert sorted(p.name for p in (content.CONTENT / lang).glob("*.md")) == names
    ui_en, ui_other = content.ui("en"), content.ui(lang)
    assert _shape({k: v for k, v in ui_other.items() if k != "strings"}) == _shape(ui_en)
    strings = ui_other["strings"]
    wanted = template_strings()
    assert sorted(wanted - set(strings)) == []
    assert sorted(set(strings) - wanted) == []  # no stale entry
    for english_text, said in strings.items():
        assert placeholders(said) == placeholders(english_text), english_text


@pytest.mark.parametrize("lang", OTHERS)
def test_every_section_uses_the_same_live_values(lang):
    """A translated section shows the same live numbers as the English one (out(...), compare_text(...), blocks)."""
    calls = re.compile(r'\b(?:out|compare_text|block|show_when|scenario)\([^)]*\)')
    for (meta, body), (_, body_en) in zip(content.sections(lang), content.sections("en"), strict=True):
        assert sorted(set(calls.findall(body))) == sorted(set(calls.findall(body_en))), meta["id"]


# -- numbers in the reader's convention --

def test_spanish_numbers_use_a_decimal_comma_and_spanish_words():
    nbsp = "\u00a0"
    assert fmt.ms_per_iter(5800, lang="es") == "5,8 s/iter"
    assert fmt.duration(9 * 3600 + 42 * 60, lang="es") == "9 h 42 min"
    assert fmt.flops(1.6e14, lang="es") == "1,60e14 FLOPs"
    assert fmt.percent(0.336, lang="es") == f"33,6{nbsp}%"
    assert fmt.exact(123_587_328, lang="es") == f"123{nbsp}587{nbsp}328"
    assert fmt.exact(6000, lang="es") == "6000"  # four digits are not grouped in Spanish
    assert fmt.duration(3 * 365.25 * 86400, lang="es") == "3 años"
    assert fmt.money(2.2, lang="es") == f"2,20{nbsp}US$"
    assert fmt.count(1.2e9, lang="es") == f"1,2{nbsp}mil{nbsp}M"  # a Spanish billón is 10^12
    assert fmt.ms_per_iter(float("nan"), lang="es") == "n/d"


@pytest.mark.parametrize("seconds", [0.00041, 0.481, 8.94, 61.5, 3599, 5 * 3600 + 17, 3.2 * 86400, 4.5e8])
def test_spanish_durations_read_back_to_the_same_value(seconds):
    for lang in i18n.LANGS:
        text = fmt.duration(seconds, lang=lang)
        assert math.isclose(fmt.parse_duration(text, lang=lang), seconds, rel_tol=0.05, abs_tol=0.5), (lang, text)


def _numbers_only(obj):
    """The result without its texts (the values every language shares)."""
    if isinstance(obj, dict):
        return {k: _numbers_only(v) for k, v in obj.items() if k not in ("text", "warnings", "message")}
    if isinstance(obj, list):
        return [_numbers_only(v) for v in obj]
    return obj


@pytest.mark.parametrize("inputs", [{}, {"gpu": "h100-sxm", "num_gpus": 8}, {"observed_ms_per_iter": 100},
                                    {"reported_mfu": 12, "gpu": "a100-80gb"}, {"batch_size": 64, "gpu": "t4",
                                                                                "dtype": "float16"}])
def test_the_values_are_the_same_in_every_language(inputs):
    english = estimate(**inputs)
    for lang in OTHERS:
        other = estimate(lang=lang, **inputs)
        assert _numbers_only(other) == _numbers_only(english)
        assert other["text"].keys() == english["text"].keys()
        assert len(other["warnings"]) == len(english["warnings"])
        assert other["text"]["ms_per_iter"] != english["text"]["ms_per_iter"] or "." not in \
            english["text"]["ms_per_iter"]


def test_web_answers_in_the_language_asked_and_only_the_texts_differ():
    en = json.loads(web.from_url("n_layer=abc&gpu=h100-sxm"))
    es = json.loads(web.from_url("n_layer=abc&gpu=h100-sxm", "es"))
    assert _numbers_only(es["result"]) == _numbers_only(en["result"])
    assert es["query"] == en["query"]
    assert [e["field"] for e in es["errors"]] == [e["field"] for e in en["errors"]] == ["n_layer"]
    assert es["errors"][0]["message"].startswith("n_layer: debe ser un número entero con 1 <= n_layer <= 1000")
    assert "se usa el valor por defecto (12)" in es["errors"][0]["message"]
    form = json.loads(web.from_form(json.dumps({"batch_size": "x"}), "es"))
    assert form["errors"][0]["message"].startswith("batch_size: debe ser un número entero")
    rows = json.loads(web.compare_gpus("", "es"))
    assert rows["summary"]["text"]["rent"] == json.loads(web.compare_gpus("", "es"))["summary"]["text"]["rent"]
    assert rows["summary"]["text"]["rent"] != json.loads(web.compare_gpus(""))["summary"]["text"]["rent"]
    assert json.loads(web.from_url("", "xx")) == json.loads(web.from_url(""))  # an unknown language is English


# -- no English leaks into another language's page --

# Words that only English prose uses (none is a Spanish word); a text outside code and lang="en" holding one of
# them is English that was not translated.
ENGLISH_WORDS = re.compile(r"\b(the|and|with|which|your|this|that|from|of|is|are|was|were|when|where|into|than|"
                           r"per|will|would|takes?|runs?)\b", re.I)
# Proper names and terms a Spanish practitioner writes as they are (kept short on purpose).
ALLOWED = ("Community Cloud", "Hugging Face", "Secure Cloud", "Trainer")


class _Visible(HTMLParser):
    """The page's text a reader sees, without code, scripts, styles and elements marked lang="en"; plus the
    attributes a reader meets (title, aria-label, placeholder, alt)."""

    SKIP = {"code", "pre", "script", "style", "kbd", "samp"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self, skip_english: bool = True):
        super().__init__()
        self.skip_english = skip_english
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        skip = tag in self.SKIP or (self.skip_english and a.get("lang") == "en") or (self.stack and self.stack[-1])
        if not skip:
            self.parts += [a[k] for k in ("aria-label", "placeholder", "title", "alt") if a.get(k)]
        if tag not in self.VOID:
            self.stack.append(bool(skip))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str, skip_english: bool = True) -> list[str]:
    parser = _Visible(skip_english)
    parser.feed(html)
    return parser.parts


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import build

    out = tmp_path_factory.mktemp("site-i18n")
    build.build(out)
    return out


@pytest.mark.parametrize("lang", OTHERS)
def test_no_english_prose_in_another_languages_page(built, lang):
    html = (built / lang / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}"' in html
    leaks = []
    for part in visible_text(html):
        text = part
        for name in ALLOWED:
            text = text.replace(name, "")
        if ENGLISH_WORDS.search(text):
            leaks.append(part[:160])
    assert leaks == []


def english_interface_texts() -> set[str]:
    """The English the interface says (ui.json, the templates' _() texts, the calculator's texts and labels), cut at
    their placeholders into runs of three words or more."""
    def leaves(obj):
        if isinstance(obj, dict):
            for v in obj.values():
                yield from leaves(v)
        elif isinstance(obj, list):
            for v in obj:
                yield from leaves(v)
        elif isinstance(obj, str):
            yield obj

    texts = set(leaves(content.ui("en"))) | template_strings() | set(i18n.texts("en").values())
    texts |= {f.label for f in schema.FIELDS} | {f.help for f in schema.FIELDS}
    texts |= {meta["title"] for meta, _ in content.sections("en")}
    runs = set()
    for text in texts:
        for run in re.split(r"\{[^}]*\}", text):
            run = run.strip(" .,:;()")
            if len(run.split()) >= 3 and ENGLISH_WORDS.search(run):
                runs.add(run)
    return runs


@pytest.mark.parametrize("lang", OTHERS)
def test_no_english_interface_text_in_another_languages_page(built, lang):
    page = "\n".join(visible_text((built / lang / "index.html").read_text(encoding="utf-8")))
    runs = english_interface_texts()
    assert sorted(run for run in runs if run in page) == []
    english_page = "\n".join(visible_text((built / "index.html").read_text(encoding="utf-8"), skip_english=False))
    assert sum(run in english_page for run in runs) > 100  # the same search finds them on the English page


def test_both_pages_link_each_other_and_say_their_language(built):
    en = (built / "index.html").read_text(encoding="utf-8")
    es = (built / "es" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in en and '<html lang="es"' in es
    for html, other_href in ((en, "es/"), (es, "../")):
        assert re.search(r'<link rel="alternate" hreflang="en" href="(\./|\.\./)">', html)
        assert re.search(r'<link rel="alternate" hreflang="es" href="(es/|\./)">', html)
        assert re.search(rf'<a href="{re.escape(other_href)}" hreflang="\w+" lang="\w+" data-lang-switch', html)
    # The Spanish page opens with the same answer the English one does: the viral 80-120 ms/iter, ten minutes.
    intro = es[es.index('<section id="intro"'):es.index('<section id="calculator"')]
    assert "80–120 ms por iteración" in intro and "diez minutos" in intro and "No puede ser correcta" in intro
    d = estimate(lang="es")
    assert d["text"]["ms_per_iter"] in intro and d["text"]["total_seconds"] in intro
    assert estimate(mfu=1.0, lang="es")["text"]["ms_per_iter"] in intro


# -- the command line --

def _cli(*args, env_lang=None):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    if env_lang:
        env["LANG"] = env_lang
    return subprocess.run([sys.executable, "-m", "calculator", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, check=False)


def test_cli_speaks_the_language_asked_and_json_stays_neutral():
    english = _cli().stdout
    spanish = _cli("--lang", "es").stdout
    assert estimate()["text"]["ms_per_iter"] in english and "Scenario" in english
    assert estimate(lang="es")["text"]["ms_per_iter"] in spanish and "Escenario" in spanish
    assert _cli(env_lang="es_ES.UTF-8").stdout == spanish
    assert _cli("--lang", "en", env_lang="es_ES.UTF-8").stdout == english
    assert _cli("--json").stdout == _cli("--json", "--lang", "es").stdout == _cli("--json", env_lang="es_ES").stdout
    bad = _cli("--n_layer", "0", "--lang", "es")
    assert bad.returncode == 2 and "n_layer: debe ser un número entero" in bad.stderr
