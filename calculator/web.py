"""The page's door into the calculator: JSON text in, JSON text out, so the JavaScript glue stays thin (it never
converts Python objects) and the build-time pre-rendering uses the very same functions.

    from_url(query)          -> {"inputs", "query", "errors", "result"}   (bad URL params fall back, never raise)
    from_form(fields_json)   -> {"ok", "inputs", "query", "errors", "result"}  (all bad fields reported at once)
"""

from __future__ import annotations

import json
from typing import Any

from . import schema
from .errors import InputError
from .estimate import compute


def _err(e: InputError) -> dict:
    return {"field": e.field, "message": str(e)}


CLAIM_FIELDS = ("observed_ms_per_iter", "reported_mfu")
CLAIM_KEYS = ("feasibility", "observed", "mfu", "ms_per_iter", "tokens_per_sec", "achieved_tflops",
              "nanogpt_printed_mfu", "total_seconds", "training_seconds", "eval_seconds")


def _result(inputs: dict) -> tuple[dict | None, list[dict]]:
    """The page's result: the model's estimate for the scenario (the cards and the prose), and, when a claim is
    being checked, `result["claim"]`: what that claimed speed implies (estimate()'s reverse mode), so a claim never
    replaces the estimate it is judged against."""
    try:
        result = compute({**inputs, **{k: None for k in CLAIM_FIELDS}})
        result["inputs"] = {**result["inputs"], **{k: inputs[k] for k in CLAIM_FIELDS}}
        result["claim"] = None
        if any(inputs[k] is not None for k in CLAIM_FIELDS):
            full = compute(inputs)
            claim = {k: full[k] for k in CLAIM_KEYS}
            claim["text"] = {k: full["text"][k] for k in CLAIM_KEYS if k in full["text"]}
            result["claim"] = claim
        return result, []
    except InputError as e:  # e.g. an unknown GPU id or bfloat16 on a T4: caught per field, never a crash
        return None, [_err(e)]


def evaluate_url(query: str) -> dict:
    inputs, errors = schema.from_query(query or "")
    result, more = _result(inputs)
    if result is None:  # the one field that made the computation fail falls back to its default
        bad = more[0]["field"]
        if bad in schema.BY_NAME:
            inputs[bad] = schema.BY_NAME[bad].default
            errors.append(InputError(bad, more[0]["message"].split(": ", 1)[-1] + "; using the default"))
            result, more = _result(inputs)
        if result is None:
            inputs = dict(schema.DEFAULTS)
            result, more = _result(inputs)
    inputs = result["inputs"] if result else inputs  # canonical ("RTX 4090" -> "rtx-4090")
    return {"inputs": inputs, "query": schema.to_query(inputs), "errors": [_err(e) for e in errors] + more,
            "result": result}


def evaluate_form(fields: dict[str, Any]) -> dict:
    """Form values (text) by schema name; unknown names are ignored, empty optional fields are None."""
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
        return {"ok": False, "inputs": None, "query": None, "errors": errors, "result": None}
    try:
        inputs = schema.validate(coerced)
    except InputError as e:
        return {"ok": False, "inputs": None, "query": None, "errors": [_err(e)], "result": None}
    result, errs = _result(inputs)
    inputs = result["inputs"] if result else inputs
    return {"ok": result is not None, "inputs": inputs, "query": schema.to_query(inputs), "errors": errs,
            "result": result}


def from_url(query: str) -> str:
    return json.dumps(evaluate_url(query))


def from_form(fields_json: str) -> str:
    try:
        fields = json.loads(fields_json)
        if not isinstance(fields, dict):
            raise ValueError
    except ValueError:
        return json.dumps({"ok": False, "errors": [{"field": "form", "message": "form: unreadable input"}],
                           "inputs": None, "query": None, "result": None})
    return json.dumps(evaluate_form(fields))


def analyze_log(text: str, query: str) -> str:
    """The "Paste your log" section: the log against the scenario given by a share-link query string (the form's
    current inputs). Never raises: a bad scenario falls back as from_url does."""
    from .loganalysis import analyze  # imported on first use: the page's first paint doesn't need it

    state = evaluate_url(query)
    inputs = {k: v for k, v in state["inputs"].items() if k not in ("observed_ms_per_iter", "reported_mfu")}
    try:
        return json.dumps({"ok": True, "analysis": analyze(text if isinstance(text, str) else "", **inputs),
                           "errors": state["errors"]})
    except InputError as e:
        return json.dumps({"ok": False, "analysis": None, "errors": state["errors"] + [_err(e)]})


def compare_gpus(query: str) -> str:
    """Total run time and cost for the current scenario on every catalogue GPU (the chart "which GPU?"), with the
    summary's sentences (rent.py): {"rows", "summary", "errors"}."""
    from .rent import compare

    state = evaluate_url(query)
    answer = compare(state["inputs"])
    return json.dumps({"rows": answer["rows"], "summary": answer["summary"], "errors": state["errors"]})
