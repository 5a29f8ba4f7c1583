"""The page's door into the calculator: JSON text in, JSON text out, so the JavaScript glue stays thin (it never
converts Python objects) and the build-time pre-rendering uses the very same functions.

    from_url(query)          -> {"inputs", "query", "errors", "result"}   (bad URL params fall back, never raise)
    from_form(fields_json)   -> {"ok", "inputs", "query", "errors", "result"}  (all bad fields reported at once)

Each function takes the page's language last (lang="es": every text and message in Spanish, calculator.i18n); the
values are the same in every language.
"""

from __future__ import annotations

import json
from typing import Any

from . import i18n, schema
from .errors import InputError
from .estimate import compute


def _err(e: InputError) -> dict:
    return {"field": e.field, "message": str(e)}


def _in(errors: list[dict], lang: str) -> list[dict]:
    """The errors' messages in `lang` ("field: message", the field name kept)."""
    if lang == i18n.DEFAULT:
        return errors
    out = []
    for e in errors:
        field, sep, rest = e["message"].partition(": ")
        out.append({**e, "message": field + sep + i18n.message(rest, lang) if sep else i18n.message(e["message"],
                                                                                                     lang)})
    return out


CLAIM_FIELDS = ("observed_ms_per_iter", "reported_mfu")
CLAIM_KEYS = ("feasibility", "observed", "mfu", "ms_per_iter", "tokens_per_sec", "achieved_tflops",
              "nanogpt_printed_mfu", "total_seconds", "training_seconds", "eval_seconds")


def _result(inputs: dict, lang: str = i18n.DEFAULT) -> tuple[dict | None, list[dict]]:
    """The page's result: the model's estimate for the scenario (the cards and the prose), and, when a claim is
    being checked, `result["claim"]`: what that claimed speed implies (estimate()'s reverse mode), so a claim never
    replaces the estimate it is judged against."""
    try:
        result = compute({**inputs, **{k: None for k in CLAIM_FIELDS}}, lang=lang)
        result["inputs"] = {**result["inputs"], **{k: inputs[k] for k in CLAIM_FIELDS}}
        result["claim"] = None
        if any(inputs[k] is not None for k in CLAIM_FIELDS):
            full = compute(inputs, lang=lang)
            claim = {k: full[k] for k in CLAIM_KEYS}
            claim["text"] = {k: text for k, text in full["text"].items() if k.split(".")[0] in CLAIM_KEYS}
            result["claim"] = claim
        return result, []
    except InputError as e:  # e.g. an unknown GPU id or bfloat16 on a T4: caught per field, never a crash
        return None, [_err(e)]


def evaluate_url(query: str, lang: str = i18n.DEFAULT) -> dict:
    lang = i18n.lang_of(lang)
    inputs, errors = schema.from_query(query or "")
    result, more = _result(inputs, lang)
    if result is None:  # the one field that made the computation fail falls back to its default
        bad = more[0]["field"]
        if bad in schema.BY_NAME:
            inputs[bad] = schema.BY_NAME[bad].default
            errors.append(InputError(bad, more[0]["message"].split(": ", 1)[-1] + "; using the default"))
            result, more = _result(inputs, lang)
        if result is None:
            inputs = dict(schema.DEFAULTS)
            result, more = _result(inputs, lang)
    inputs = result["inputs"] if result else inputs  # canonical ("RTX 4090" -> "rtx-4090")
    return {"inputs": inputs, "query": schema.to_query(inputs), "errors": _in([_err(e) for e in errors] + more, lang),
            "result": result}


def evaluate_form(fields: dict[str, Any], lang: str = i18n.DEFAULT) -> dict:
    """Form values (text) by schema name; unknown names are ignored, empty optional fields are None."""
    lang = i18n.lang_of(lang)
    coerced: dict[str, Any] = {}
    errors: list[dict] = []
    for f in schema.FIELDS:
        if f.name not in fields:
            continue
        try:
            coerced[f.name] = schema._coerce(f, fields[f.name])
        except InputError as e:
            errors.append(_err(e))
    if errors:
        return {"ok": False, "inputs": None, "query": None, "errors": _in(errors, lang), "result": None}
    try:
        inputs = schema.validate(coerced)
    except InputError as e:
        return {"ok": False, "inputs": None, "query": None, "errors": _in([_err(e)], lang), "result": None}
    result, errs = _result(inputs, lang)
    inputs = result["inputs"] if result else inputs
    return {"ok": result is not None, "inputs": inputs, "query": schema.to_query(inputs), "errors": _in(errs, lang),
            "result": result}


def from_url(query: str, lang: str = i18n.DEFAULT) -> str:
    return json.dumps(evaluate_url(query, lang))


def from_form(fields_json: str, lang: str = i18n.DEFAULT) -> str:
    try:
        fields = json.loads(fields_json)
        if not isinstance(fields, dict):
            raise ValueError
    except ValueError:
        return json.dumps({"ok": False, "errors": _in([{"field": "form", "message": "form: unreadable input"}], lang),
                           "inputs": None, "query": None, "result": None})
    return json.dumps(evaluate_form(fields, lang))


def analyze_log(text: str, query: str, lang: str = i18n.DEFAULT) -> str:
    """The "Paste your log" section: the log against the scenario given by a share-link query string (the form's
    current inputs). Never raises: a bad scenario falls back as from_url does."""
    from .loganalysis import analyze  # imported on first use: the page's first paint doesn't need it

    lang = i18n.lang_of(lang)
    state = evaluate_url(query, lang)
    inputs = {k: v for k, v in state["inputs"].items() if k not in ("observed_ms_per_iter", "reported_mfu")}
    try:
        return json.dumps({"ok": True, "analysis": analyze(text if isinstance(text, str) else "", lang=lang,
                                                           **inputs), "errors": state["errors"]})
    except InputError as e:
        return json.dumps({"ok": False, "analysis": None, "errors": state["errors"] + _in([_err(e)], lang)})


def compare_gpus(query: str, lang: str = i18n.DEFAULT) -> str:
    """Total run time and cost for the current scenario on every catalogue GPU (the chart "which GPU?"), with the
    summary's sentences (rent.py): {"rows", "summary", "errors"}."""
    from .rent import compare

    lang = i18n.lang_of(lang)
    state = evaluate_url(query, lang)
    answer = compare(state["inputs"], lang)
    return json.dumps({"rows": answer["rows"], "summary": answer["summary"], "errors": state["errors"]})
