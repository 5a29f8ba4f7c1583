"""The page's door into the calculator: JSON text in, JSON text out, so the JavaScript glue stays thin (it never
converts Python objects) and the build-time pre-rendering uses the very same functions.

    from_url(query)          -> {"inputs", "query", "errors", "result"}   (bad URL params fall back, never raise)
    from_form(fields_json)   -> {"ok", "inputs", "query", "errors", "result"}  (all bad fields reported at once)
    read_config(text)        -> {"ok", "fields", "params", "params_text", "errors"}  (a pasted config.json)

Each function takes the page's language last (lang="es": every text and message in Spanish, calculator.i18n); the
values are the same in every language.
"""

from __future__ import annotations

import json
from typing import Any

from . import arch, fmt, hfconfig, i18n, schema, words
from .errors import InputError
from .estimate import compute

INTERNAL_ERROR = "internal error: the calculator failed on these inputs"  # the English of "error.internal"


def _internal(e: BaseException) -> InputError:
    """An exception that is not an InputError: a bug. Answered as an error, never raised, and marked as such (the
    fuzz tests look for the "internal" field)."""
    return InputError("internal", "error.internal", type=type(e).__name__)


def _dumps(obj: dict) -> str:
    """JSON text for the page: strict JSON (a NaN or an infinity raises here, never reaches JSON.parse)."""
    return json.dumps(obj, allow_nan=False)


CLAIM_FIELDS = ("observed_ms_per_iter", "reported_mfu")
CLAIM_KEYS = ("feasibility", "observed", "mfu", "ms_per_iter", "tokens_per_sec", "achieved_tflops",
              "nanogpt_printed_mfu", "total_seconds", "training_seconds", "eval_seconds")


def _result(inputs: dict, lang: str = i18n.DEFAULT) -> tuple[dict | None, list[InputError]]:
    """The page's result, with its words in `lang`: the model's estimate for the scenario (the cards and the prose),
    and, when a claim is being checked, `result["claim"]`: what that claimed speed implies (estimate()'s reverse
    mode), so a claim never replaces the estimate it is judged against. Never raises: a failure is (None, [error])."""
    try:
        result = words.estimate(compute({**inputs, **{k: None for k in CLAIM_FIELDS}}), lang)
        result["inputs"] = {**result["inputs"], **{k: inputs[k] for k in CLAIM_FIELDS}}
        result["claim"] = None
        if any(inputs[k] is not None for k in CLAIM_FIELDS):
            full = words.estimate(compute(inputs), lang)
            claim = {k: full[k] for k in CLAIM_KEYS}
            claim["text"] = {k: text for k, text in full["text"].items() if k.split(".")[0] in CLAIM_KEYS}
            result["claim"] = claim
        _dumps(result)  # strict JSON or an error here, not in from_url
        return result, []
    except InputError as e:  # e.g. an unknown GPU id or bfloat16 on a T4: caught per field, never a crash
        return None, [e]
    except Exception as e:  # a bug must not take the page down; reported, and found by the fuzz tests
        return None, [_internal(e)]


def blame(inputs: dict, error: InputError) -> str | None:
    """The input to blame when a valid set of inputs fails to compute: the field the error names, or else the first
    input (in schema order) that, put back to its default, makes the computation succeed."""
    if error.field in schema.BY_NAME:
        return error.field
    for f in schema.FIELDS:
        if inputs.get(f.name, f.default) != f.default and _result({**inputs, f.name: f.default})[0] is not None:
            return f.name
    return None


def _fallback(inputs: dict, bad: str, more: list, lang: str = i18n.DEFAULT) -> tuple:
    """Put the blamed field back to its default; where the default fails too (bfloat16 on a card without BF16
    tensor cores, say), to the first of its other choices that computes. Returns (result, errors, choice named)."""
    f = schema.BY_NAME[bad]
    result = None
    for i, value in enumerate([f.default, *(c for c in f.choices if c != f.default)]):
        inputs[bad] = value
        result, more = _result(inputs, lang)
        if result is not None:
            return result, more, (value if i else None)
    inputs[bad] = f.default
    return result, more, None


def evaluate_url(query: str, lang: str = i18n.DEFAULT) -> dict:
    """The page's state for a share link's query string, its words in `lang`: {"inputs", "query", "errors",
    "result"}; a bad parameter falls back to its default and is reported."""
    lang = i18n.lang_of(lang)
    inputs, errors = schema.from_query(query if isinstance(query, str) else "")
    result, more = _result(inputs, lang)
    if result is None:  # the field that made the computation fail falls back to its default
        bad = blame(inputs, more[0])
        if bad is not None:
            e = InputError.of(bad, more[0].fact)
            result, more, used = _fallback(inputs, bad, more, lang)
            errors.append(e.then("error.using", value=used) if used else e.then("error.using_the_default"))
        if result is None:
            inputs = dict(schema.DEFAULTS)
            result, more = _result(inputs, lang)
    inputs = result["inputs"] if result else inputs  # canonical ("RTX 4090" -> "rtx-4090")
    return {"inputs": inputs, "query": schema.to_query(inputs), "errors": words.errors(errors + more, lang),
            "result": result}


def evaluate_form(fields: dict[str, Any], lang: str = i18n.DEFAULT) -> dict:
    """Form values (text) by schema name; unknown names are ignored, empty optional fields are None."""
    lang = i18n.lang_of(lang)
    coerced: dict[str, Any] = {}
    errors: list[InputError] = []
    for f in schema.FIELDS:
        if f.name not in fields:
            continue
        try:
            coerced[f.name] = schema._coerce(f, fields[f.name])
        except InputError as e:
            errors.append(e)
    if errors:
        return {"ok": False, "inputs": None, "query": None, "errors": words.errors(errors, lang), "result": None}
    try:
        inputs = schema.validate(coerced)
    except InputError as e:
        return {"ok": False, "inputs": None, "query": None, "errors": words.errors([e], lang), "result": None}
    result, errs = _result(inputs, lang)
    if result is None:  # name the field to change, so the form can mark it
        bad = blame(inputs, errs[0])
        if bad is not None:
            errs = [InputError.of(bad, errs[0].fact)]
    inputs = result["inputs"] if result else inputs
    return {"ok": result is not None, "inputs": inputs, "query": schema.to_query(inputs),
            "errors": words.errors(errs, lang), "result": result}


_nesting = hfconfig.nesting  # the deepest nesting of [ and { in JSON text (one pass, no recursion)


def _failed(e: BaseException, lang: str) -> list[dict]:
    return words.errors([_internal(e)], i18n.lang_of(lang) if isinstance(lang, str) else i18n.DEFAULT)


def from_url(query: str, lang: str = i18n.DEFAULT) -> str:
    """JSON text of evaluate_url; never raises, never emits NaN: a failure answers the defaults and says so."""
    try:
        return _dumps(evaluate_url(query, lang))
    except Exception as e:
        failed = _failed(e, lang)
    try:
        state = evaluate_url("", lang)
        state["errors"] = failed + state["errors"]
        return _dumps(state)
    except Exception:
        return _dumps({"inputs": dict(schema.DEFAULTS), "query": "", "errors": failed, "result": None})


def from_form(fields_json: str, lang: str = i18n.DEFAULT) -> str:
    """JSON text of evaluate_form; never raises, never emits NaN."""
    try:
        if not isinstance(fields_json, str) or _nesting(fields_json) > 8:
            raise ValueError  # the form is one flat object; deep nesting overflows Pyodide's stack inside json
        fields = json.loads(fields_json)
        if not isinstance(fields, dict):
            raise ValueError
    except (ValueError, TypeError, RecursionError):
        return _dumps({"ok": False, "errors": words.errors([InputError("form", "error.unreadable")], lang),
                       "inputs": None, "query": None, "result": None})
    try:
        return _dumps(evaluate_form(fields, lang))
    except Exception as e:
        return _dumps({"ok": False, "errors": _failed(e, lang), "inputs": None, "query": None, "result": None})


def analyze_log(text: str, query: str, lang: str = i18n.DEFAULT) -> str:
    """The "Paste your log" section: the log against the scenario given by a share-link query string (the form's
    current inputs). Never raises: a bad scenario falls back as from_url does."""
    from .loganalysis import analyze  # imported on first use: the page's first paint doesn't need it

    try:
        lang = i18n.lang_of(lang)
        state = evaluate_url(query, lang)
        inputs = {k: v for k, v in state["inputs"].items() if k not in CLAIM_FIELDS}
        try:
            analysis = words.analysis(analyze(text if isinstance(text, str) else "", **inputs), lang)
            return _dumps({"ok": True, "analysis": analysis, "errors": state["errors"]})
        except InputError as e:
            return _dumps({"ok": False, "analysis": None, "errors": state["errors"] + words.errors([e], lang)})
    except Exception as e:
        return _dumps({"ok": False, "analysis": None, "errors": _failed(e, lang)})


def compare_gpus(query: str, lang: str = i18n.DEFAULT) -> str:
    """Total run time and cost for the current scenario on every catalogue GPU (the chart "which GPU?"), with the
    summary's sentences (rent.py): {"rows", "summary", "errors"}. Never raises."""
    from .rent import compare

    try:
        lang = i18n.lang_of(lang)
        state = evaluate_url(query, lang)
        answer = words.comparison(compare(state["inputs"]), lang)
        return _dumps({"rows": answer["rows"], "summary": answer["summary"], "errors": state["errors"]})
    except Exception as e:
        return _dumps({"rows": [], "summary": None, "errors": _failed(e, lang)})


def read_config(text: str, lang: str = i18n.DEFAULT) -> str:
    """A pasted Hugging Face config.json, for the page's model picker. Never raises, never emits NaN.

    Takes the text as pasted (calculator.hfconfig.read parses it as JSON; nothing in it is executed) and the page's
    language. Answers JSON text:

        {"ok": true,  "fields": {"model_type": "llama", "n_layer": 32, ...}, "params": 8030261248,
         "params_text": "8,030,261,248", "errors": []}
        {"ok": false, "fields": null, "params": null, "params_text": null,
         "errors": [{"field": "head_dim", "message": "head_dim: ..."}]}

    fields: only the model's schema fields the config sets (model_type, n_layer, n_head, n_embd, vocab_size, and
    where it gives them n_kv_head, intermediate_size, tie_word_embeddings; for gpt2 also bias and block_size). The
    page puts them in the form (and clears the model preset, which they replace) and then calls from_form or
    from_url as for any other change: the batch, block_size of the rotary models and the hardware stay the reader's.
    params: the total parameter count of that model (calculator.arch) with the form's other inputs at their
    defaults (only gpt2's count depends on block_size, which its config gives); params_text: it written in `lang`.
    errors: one error, its field "config" for the text as a whole (not JSON, not an object, not a model config, too
    large) or the config key or schema field it names (head_dim, model_type, n_layer...), its message in `lang`.
    """
    try:
        lang = i18n.lang_of(lang) if isinstance(lang, str) else i18n.DEFAULT
        try:
            fields = hfconfig.read(text)
        except InputError as e:
            return _dumps({"ok": False, "fields": None, "params": None, "params_text": None,
                           "errors": words.errors([e], lang)})
        total = arch.params(arch.from_inputs(schema.validate(fields)))["total"]
        return _dumps({"ok": True, "fields": fields, "params": total, "params_text": fmt.exact(total, lang),
                       "errors": []})
    except Exception as e:
        return _dumps({"ok": False, "fields": None, "params": None, "params_text": None, "errors": _failed(e, lang)})
