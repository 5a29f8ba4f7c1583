"""Language at the edge: the calculation returns numbers and facts (a key and its parameters), and calculator.words
is the one place that writes them in a language.

These tests walk every key in every language, keep the calculation free of any `lang`, and make every bad input
answer wholly in the language asked, on the command line and on the page's door (calculator.web).
"""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

import calculator
from calculator import cli, i18n, logformats, schema, web, words
from calculator.errors import InputError
from calculator.facts import is_fact

ROOT = Path(__file__).resolve().parents[1]
CALC = ROOT / "calculator"
OTHERS = [lang for lang in i18n.LANGS if lang != i18n.DEFAULT]

# the calculation: it speaks no language
CALCULATION = ("estimate", "speed", "memory", "warmup", "feasibility", "cost", "rent", "compare", "logparse",
               "loganalysis", "nanogpt", "gpus", "schema", "facts", "errors", "arch", "presets", "parallel", "hfconfig",
               "configfile")


def calculation_modules():
    for name in CALCULATION:
        yield importlib.import_module(f"calculator.{name}")
    yield logformats
    for info in pkgutil.iter_modules(logformats.__path__):
        yield importlib.import_module(f"calculator.logformats.{info.name}")


@pytest.mark.parametrize("module", list(calculation_modules()), ids=lambda m: m.__name__)
def test_no_function_of_the_calculation_takes_a_language(module):
    for obj in vars(module).values():
        targets = [obj] if inspect.isfunction(obj) else \
            [m for m in vars(obj).values() if inspect.isfunction(m)] if inspect.isclass(obj) else []
        for f in targets:
            if f.__module__ != module.__name__:
                continue
            assert "lang" not in inspect.signature(f).parameters, f"{module.__name__}.{f.__qualname__} takes lang"


def test_the_calculation_returns_facts_and_no_words():
    r = calculator.estimate(observed_ms_per_iter=100, gpu="rtx-4070", batch_size=64)
    assert "text" not in r and "text" not in r["cost"]
    assert is_fact(r["feasibility"]["message"]) and r["warnings"] and all(is_fact(w) for w in r["warnings"])
    said = words.estimate(r, "es")
    assert said["feasibility"]["message"].startswith("Imposible") and all(isinstance(w, str) for w in said["warnings"])
    assert {k: v for k, v in said.items() if k not in ("text", "warnings", "feasibility", "cost")} == \
        {k: v for k, v in r.items() if k not in ("text", "warnings", "feasibility", "cost")}


def english_keys() -> set[str]:
    return set(i18n.texts(i18n.DEFAULT))


KEY_CALL = re.compile(r"\b(?:fact|i18n\.t|InputError(?:\.of)?|\bt)\(\s*(?:[\w.\[\]\"']+,\s*)?"
                      r"\"([a-z_]+\.[^\"{}]+)\"\s*[,)]")


def test_every_key_the_code_names_has_its_english():
    """Every literal key given to fact(), InputError() or i18n.t() in the calculator is in calculator/i18n/en.py
    (or is a field's, a group's or a log format's own English)."""
    found: dict[str, str] = {}
    for path in CALC.rglob("*.py"):
        if "i18n" in path.parts:
            continue
        for m in KEY_CALL.finditer(path.read_text(encoding="utf-8")):
            found[m.group(1)] = path.name
    assert len(found) > 60  # the scan sees the calculator's keys (a broken pattern would find none)
    missing = {k: where for k, where in found.items() if k not in english_keys()}
    assert not missing, missing


def test_every_key_made_from_a_value_has_its_english():
    """The keys built from a value (f"not_modelled.{device}", f"oserror.{name}", f"reason.{reason}", ...)."""
    from calculator import logparse

    keys = {f"dtype.{d}" for d in schema.BY_NAME["dtype"].choices if d != "auto"}
    keys |= {f"oserror.{name}" for name in cli.OS_ERRORS}
    keys |= {f"reason.{v}" for k, v in vars(logparse).items() if k.startswith("REASON_")}
    keys |= {f"rent.costs_{v}" for v in ("more", "less", "same")} | {f"rent.mark.{m}" for m in ("fastest", "cheapest")}
    keys |= {f"range.{what}_{shape}" for what in ("int", "number") for shape in ("between", "min")}
    keys |= {f"logformat.{f.name}.{p}" for f in logformats.FORMATS for p in ("title", "semantics", "steady")}
    keys |= {f"field.{f.name}.{p}" for f in schema.FIELDS for p in ("label", "help")}
    keys |= {f"group.{g}" for g in schema.GROUPS}
    assert not keys - english_keys(), keys - english_keys()


class _Any(str):
    """A placeholder's value that is also a mapping ({t[ms_per_iter]}): "X" whichever way it is read."""

    def __getitem__(self, key):
        return _Any("X")


def fill(template: str) -> dict:
    return {name.split("[")[0].split(".")[0]: _Any("X") for _, name, _, _ in string.Formatter().parse(template)
            if name}


# texts that are the same in every language: code, units and punctuation
SAME_EVERYWHERE = re.compile(r"^[\W\d_]*$|^\{\w+\} \(\{\w+\}\)$|^\(python -m calculator --help\)$|^Log$|^GPU$|^MFU$")


@pytest.mark.parametrize("lang", OTHERS)
def test_every_key_is_written_in_every_language(lang):
    """The walk: each English key, with its placeholders filled, is written in `lang` -- its own text, not
    English's -- and every key of `lang` is one English has (none stale)."""
    en, other = i18n.texts(i18n.DEFAULT), i18n.texts(lang)
    assert not set(other) - set(en), f"stale keys in {lang}: {sorted(set(other) - set(en))}"
    untranslated = []
    for key, template in en.items():
        assert key in other, f"{lang} lacks {key}"
        kw = fill(template)
        written = i18n.t(key, lang, **kw)
        bare = re.sub(r"\{[^}]*\}", "", template)  # the words outside the placeholders
        if written == i18n.t(key, i18n.DEFAULT, **kw) and len(re.findall(r"[a-z]{3,}", bare)) >= 2 \
                and not SAME_EVERYWHERE.match(template) and not key.startswith(("logformat.", "field.")):
            untranslated.append(key)
    assert not untranslated, f"{lang}: the same text as English: {untranslated}"


def test_no_regular_expression_translates_a_message():
    for lang in i18n.LANGS:
        assert not hasattr(importlib.import_module(f"calculator.i18n.{lang}"), "ERRORS")
    assert not hasattr(i18n, "message")


# -- every bad input, wholly in the language asked --

CODE = re.compile(r"\S*[_.=%]\S*|--?[a-z][\w-]*|python")  # code stays as it is: names, calls, flags


def prose(text: str) -> str:
    """The words of a text outside its code (config names, calls, flags), one space apart."""
    return " ".join(re.findall(r"[A-Za-z][A-Za-z'-]*", CODE.sub(" ", re.sub(r"[()]", " ", text))))


def english_phrases() -> list[str]:
    """The English words of every message a reader can get: the errors', the ranges', the hints', argparse's, and
    the warnings and verdicts; each run of three or more words between placeholders."""
    phrases = set()
    for key, template in i18n.texts(i18n.DEFAULT).items():
        if not key.startswith(("error.", "range.", "hint.", "show.", "oserror.", "argparse.", "cli.", "not_modelled.",
                               "warn.", "verdict.", "slow.", "log.", "rent.", "cost.")):
            continue
        for literal, *_ in string.Formatter().parse(template):
            for piece in re.split(r"%\(\w+\)\w|%\w|[;:?]|\(|\)", literal or ""):
                words_ = prose(piece).split()
                if len(words_) >= 3:
                    phrases.add(" ".join(words_))
    return sorted(phrases)


ENGLISH = english_phrases()


def english_in(text: str) -> list[str]:
    flat = prose(text)
    return [p for p in ENGLISH if p in flat]


BAD_CLI = [
    ["--n_layer", "abc"], ["--n_layer", "0,5"], ["--n_layer", "1e400"], ["--n_layer", "١٢"], ["--mfu", "0x10"],
    ["--batch_size", "0"], ["--compile", "maybe"], ["--dtype", "fp8"], ["--gpu", "h100"], ["--gpu", "rtx4090x"],
    ["--gpu", "zzzz-qqqq"], ["--torch_version", "1.13"],
    ["--device", "mps"], ["--gpu", "apple-m3-max"], ["--n_head", "7"],
    ["--num_gpus", "3", "--gradient_accumulation_steps", "40"], ["--mfu", "2"], ["--observed_ms_per_iter", "-1"],
    ["--n_embd", "131072", "--n_layer", "1000", "--block_size", "1048576"],
    ["--foo", "1"], ["--n_layer"], ["--compare", "--gpu", "nope"], ["/nonexistent/config.py"],
    ["--log", "/nonexistent/train.log"], ["--log", "/"],
]


@pytest.mark.parametrize("args", BAD_CLI, ids=lambda a: " ".join(a))
def test_the_cli_answers_a_bad_input_wholly_in_spanish(args):
    p = subprocess.run([sys.executable, "-m", "calculator", "--lang", "es", *args], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert p.returncode == 2 and p.stderr.startswith("error: "), (p.returncode, p.stderr)
    assert not english_in(p.stderr), (english_in(p.stderr), p.stderr)
    english = subprocess.run([sys.executable, "-m", "calculator", "--lang", "en", *args], capture_output=True,
                             text=True, cwd=ROOT, timeout=120).stderr
    assert english != p.stderr  # the same input, said in English


def test_a_config_file_that_is_not_python_is_said_in_spanish(tmp_path):
    bad = tmp_path / "train_bad.py"
    bad.write_text("n_layer = (\n", encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "calculator", "--lang", "es", str(bad)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert p.returncode == 2 and "no es un archivo Python" in p.stderr and not english_in(p.stderr), p.stderr


BAD_LINKS = ["n_layer=abc", "batch_size=0,5&foo=1", "gpu=zzz", "gpu=h100", "torch_version=9.9",
             "n_head=7", "gradient_accumulation_steps=3&num_gpus=2", "device=mps", "mfu=2", "compile=maybe",
             "n_embd=131072&n_layer=1000&block_size=1048576", "gpu=custom&custom_tflops=", "observed_ms_per_iter=0",
             "&".join(f"k{i}=1" for i in range(1001))]
BAD_FORMS = [{"n_layer": "abc"}, {"n_layer": "0,5", "gpu": "t4"}, {"gpu": "apple-m4"},
             {"device": "mps"},
             {"gpu": "custom", "custom_tflops": ""}, {"n_head": "7"}, {"mfu": "35 %%"}]


@pytest.mark.parametrize("query", BAD_LINKS, ids=lambda q: q[:40])
def test_the_spanish_page_answers_a_bad_link_wholly_in_spanish(query):
    es = json.loads(web.from_url(query, "es"))
    en = json.loads(web.from_url(query, "en"))
    assert es["errors"] and len(es["errors"]) == len(en["errors"])
    for e, english in zip(es["errors"], en["errors"], strict=True):
        assert e["field"] == english["field"] and e["message"] != english["message"]
        assert not english_in(e["message"]), (english_in(e["message"]), e["message"])


@pytest.mark.parametrize("fields", BAD_FORMS, ids=lambda f: json.dumps(f))
def test_the_spanish_page_answers_a_bad_field_wholly_in_spanish(fields):
    es = json.loads(web.from_form(json.dumps(fields), "es"))
    assert not es["ok"] and es["errors"]
    for e in es["errors"]:
        assert not english_in(e["message"]), (english_in(e["message"]), e["message"])
    unreadable = json.loads(web.from_form("[[[", "es"))["errors"][0]["message"]
    assert unreadable == "form: entrada ilegible"


def test_an_internal_error_is_said_in_the_language_asked(monkeypatch):
    def explode(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(web, "evaluate_url", explode)
    es = json.loads(web.compare_gpus("", "es"))
    assert es["errors"][0]["field"] == "internal"
    assert es["errors"][0]["message"] == "internal: error interno: la calculadora ha fallado con estas entradas " \
        "(RuntimeError)"


def test_every_input_error_of_the_schema_is_a_fact_in_both_languages():
    """Each kind of bad value of every field: the error carries a key English and Spanish both write."""
    for f in schema.FIELDS:
        for bad in ("", "abc", "0,5", "1e400", "-1", "\u200b1", "0x1F", 10 ** 500, [1]):
            try:
                schema.validate({f.name: bad})
            except InputError as e:
                assert e.field == f.name
                assert e.fact["key"] in i18n.texts("es")
                assert words.error(e, "es") != words.error(e, "en")
                assert not english_in(words.error(e, "es")), words.error(e, "es")


def test_the_english_detector_finds_english():
    """The check above can fail: it finds the English of a message, and not the Spanish of the same."""
    assert len(ENGLISH) > 80
    e = json.loads(web.from_url("n_layer=abc&gpu=zzz", "en"))["errors"]
    assert all(english_in(x["message"]) for x in e), e
    p = subprocess.run([sys.executable, "-m", "calculator", "--foo"], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert english_in(p.stderr), p.stderr


def test_how_a_log_was_read_is_said_wholly_in_spanish():
    """The log reader's account (ParsedLog.why: each format's lines, what their times mean, its notes) is facts, so
    every fixture log's account comes out in Spanish, with none of the English of the formats' words and notes."""
    from calculator.logparse import parse_log

    phrases = set()
    for key, template in i18n.texts(i18n.DEFAULT).items():
        if key.startswith(("lognote.", "log.why")) or (key.startswith("logformat.") and key.endswith(".semantics")):
            for literal, *_ in string.Formatter().parse(template):
                for piece in re.split(r"[;:?]|\(|\)", literal or ""):
                    if len(prose(piece).split()) >= 3:
                        phrases.add(prose(piece))
    logs = sorted((ROOT / "tests" / "logs").rglob("*.log"))
    assert len(logs) > 20 and len(phrases) > 30
    for path in logs:
        why = parse_log(path.read_text(encoding="utf-8", errors="replace")).why
        if not why:
            continue
        es, en = words.say(why, "es"), words.say(why, "en")
        assert any(p in prose(en) for p in phrases), (path.name, en)  # the check can fail
        assert not [p for p in phrases if p in prose(es)], (path.name, es)
