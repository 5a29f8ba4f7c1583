"""The page's door into the calculator: JSON text in, JSON text out, so the JavaScript glue stays thin (it never
converts Python objects) and the build-time pre-rendering uses the very same functions.

    from_url(query)          -> {"inputs", "query", "errors", "result"}   (bad URL params fall back, never raise)
    from_form(fields_json)   -> {"ok", "inputs", "query", "errors", "result"}  (all bad fields reported at once)
    read_config(text)        -> {"ok", "fields", "params", "params_text", "errors"}  (a pasted config.json)
    pick_model(fields_json)  -> from_form's answer for the form with a preset's sizes put in (the model picker)
    read_model_config(text)  -> {"fields", "errors"}: a pasted config.json's sizes in the schema's names
    apply_config(text, fields_json) -> from_form's answer for the form with a pasted config.json's sizes put in

from_url, from_form, pick_model and apply_config also answer "form" (each field's text, as the form shows it:
Python writes every number) and "show" (which optional parts of the form the inputs need: show_parts).

Each function takes the page's language last (lang="es": every text and message in Spanish, calculator.i18n); the
values are the same in every language.
"""

from __future__ import annotations

import json
from typing import Any

from . import arch, fmt, hfconfig, i18n, presets, schema, words
from .errors import InputError
from .estimate import compute
from .facts import fact

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


def _canonical_model(inputs: dict) -> None:
    """A preset named as typed ("Llama 3.1 8B") by its id (llama-3.1-8b): the picker lists ids, links carry them."""
    if inputs.get("model"):
        inputs["model"] = presets.resolve(inputs["model"])


def evaluate_url(query: str, lang: str = i18n.DEFAULT) -> dict:
    """The page's state for a share link's query string, its words in `lang`: {"inputs", "query", "errors",
    "result"}; a bad parameter falls back to its default and is reported."""
    lang = i18n.lang_of(lang)
    inputs, errors = schema.from_query(query if isinstance(query, str) else "")
    _canonical_model(inputs)
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
    query = schema.to_query(inputs)
    return {"inputs": inputs, "query": query, "errors": words.errors(errors + more, lang), "result": result,
            "form": form_texts(inputs, query), "show": show_parts(inputs)}


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
        return _refused(words.errors(errors, lang))
    try:
        inputs = schema.validate(coerced)
        _canonical_model(inputs)
    except InputError as e:
        return _refused(words.errors([e], lang))
    result, errs = _result(inputs, lang)
    if result is None:  # name the field to change, so the form can mark it
        bad = blame(inputs, errs[0])
        if bad is not None:
            errs = [InputError.of(bad, errs[0].fact)]
    inputs = result["inputs"] if result else inputs
    query = schema.to_query(inputs)
    return {"ok": result is not None, "inputs": inputs, "query": query, "errors": words.errors(errs, lang),
            "result": result, "form": form_texts(inputs, query), "show": show_parts(inputs)}


def field_text(f: schema.Field, value: Any) -> str:
    """A field's value as the form shows it (the same text schema.to_query writes into a share link); build.py
    pre-renders the form's defaults with it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def form_texts(inputs: dict, query: str = "") -> dict[str, str]:
    """Each field's text for the form: the share link's text where the link has the field, else the value's text
    (a preset's n_layer, which the link leaves out). The page never turns a number into text itself."""
    from urllib.parse import parse_qsl

    given = dict(parse_qsl(query))
    return {f.name: given.get(f.name, field_text(f, inputs.get(f.name, f.default))) for f in schema.FIELDS}


ARCH_FIELDS = ("n_kv_head", "intermediate_size", "tie_word_embeddings")


def show_parts(inputs: dict) -> dict[str, bool]:
    """Which optional parts of the form these inputs need: "arch" (grouped-query attention, the MLP width, tied
    embeddings: a type other than gpt2, or one of them set) and "parallel" (the Parallelism group: more than one GPU,
    or one of its fields off its default). Nothing hidden ever holds a value other than its default."""
    parallel = [f for f in schema.FIELDS if f.group == "parallel"]
    return {"arch": inputs.get("model_type", "gpt2") != "gpt2" or any(inputs.get(k) is not None for k in ARCH_FIELDS),
            "parallel": inputs.get("num_gpus", 1) > 1 or any(inputs.get(f.name, f.default) != f.default
                                                            for f in parallel)}


def preset_choices() -> list[dict]:
    """The model picker's presets: {"id", "name", "params"} (params: the total count calculator.arch gives)."""
    out = []
    for key in presets.PRESETS:
        v = schema.validate(model=key)
        out.append({"id": key, "name": presets.PRESETS[key]["name"],
                    "params": arch.params(arch.from_inputs(v))["total"]})
    return out


def _read_nanogpt(text: str) -> tuple[dict, list[str]]:
    """A pasted nanoGPT config (`name = value` lines, never executed): its inputs, coerced, and the names left out;
    InputError naming the field or "config"."""
    from . import configfile

    try:
        found, ignored = configfile.read_config(text)
    except SyntaxError as e:
        raise InputError("config", "error.not_python", line=e.lineno or "?") from None
    except (ValueError, RecursionError, MemoryError):
        raise InputError("config", "error.not_python", line="?") from None
    if not found:
        raise InputError("config", "error.config_nothing")
    return {name: schema._coerce(schema.BY_NAME[name], value) for name, value in found.items()}, ignored


def read_model_config(text: str, lang: str = i18n.DEFAULT) -> str:
    """JSON text {"fields": {schema name: value}, "errors": [{"field", "message"}]} for a pasted config.json.
    Never raises."""
    lang = i18n.lang_of(lang) if isinstance(lang, str) else i18n.DEFAULT
    try:
        return _dumps({"fields": hfconfig.read(text), "errors": []})
    except InputError as e:
        return _dumps({"fields": {}, "errors": words.errors([e], lang)})
    except Exception as e:
        return _dumps({"fields": {}, "errors": _failed(e, lang)})


def _form_fields(fields_json: str) -> dict:
    """The form's fields from its JSON text; ValueError (or TypeError, RecursionError) when it is not one flat
    object. Deep nesting is refused before json.loads: it overflows Pyodide's stack inside json."""
    fields = json.loads(fields_json) if isinstance(fields_json, str) and _nesting(fields_json) <= 8 else None
    if not isinstance(fields, dict):
        raise ValueError
    return fields


def _refused(errors: list[dict], **more: Any) -> dict:
    """A form's answer when nothing could be computed: the errors, and no inputs, link or result."""
    return {"ok": False, "inputs": None, "query": None, "errors": errors, "result": None, **more}


def _with_model(fields: dict, values: dict, lang: str, extra: dict | None = None) -> str:
    """evaluate_form for the form with the model's fields replaced by `values` (the others of them back to their
    defaults, block_size kept: the sequence length is the reader's); the answer carries the form's texts even when
    the new model does not compute, so the reader sees what was put in."""
    if any(name in values for name in presets.MODEL_FIELDS):  # a new model: none of the old one's sizes stay
        for name in presets.MODEL_FIELDS:
            if name == "block_size" and name not in values:
                continue
            f = schema.BY_NAME[name]
            fields[name] = field_text(f, values.get(name, f.default))
    for name, value in values.items():  # a nanoGPT config also sets the batch, the run and the hardware
        fields[name] = field_text(schema.BY_NAME[name], value)
    answer = evaluate_form(fields, lang)
    if not answer["ok"]:
        answer["form"] = {f.name: str(fields.get(f.name, field_text(f, f.default))) for f in schema.FIELDS}
        readable = {}
        for f in schema.FIELDS:
            try:
                readable[f.name] = schema._coerce(f, fields.get(f.name, f.default))
            except InputError:
                pass
        show = show_parts(readable)
        for e in answer["errors"]:  # a field in error is never hidden
            group = schema.BY_NAME[e["field"]].group if e["field"] in schema.BY_NAME else ""
            show["arch"] = show["arch"] or e["field"] in ARCH_FIELDS
            show["parallel"] = show["parallel"] or group == "parallel"
        answer["show"] = show
    return _dumps({**answer, **(extra or {})})


def pick_model(fields_json: str, lang: str = i18n.DEFAULT) -> str:
    """The model picker: the form (JSON text, as from_form takes it) with its preset's sizes put in place of the
    model fields (and the Llama fields a preset leaves out back to empty). An empty model keeps the form's sizes.
    Never raises."""
    lang = i18n.lang_of(lang) if isinstance(lang, str) else i18n.DEFAULT
    try:
        fields = _form_fields(fields_json)
    except (ValueError, TypeError, RecursionError):
        return from_form("", lang)
    try:
        name = str(fields.get("model") or "").strip()
        if not name:
            return from_form(json.dumps(fields), lang)
        try:
            values = schema.preset_of(name)
        except InputError as e:
            return _dumps(_refused(words.errors([e], lang)))
        return _with_model(fields, values, lang)
    except Exception as e:
        return _dumps(_refused(_failed(e, lang)))


def apply_config(text: str, fields_json: str, lang: str = i18n.DEFAULT) -> str:
    """A pasted config.json, or a nanoGPT config (`name = value` lines, as the CLI reads a config file), put into the
    form: a model's sizes replace the model fields (the preset is cleared, the other sizes go back to their
    defaults), a nanoGPT config's other inputs (batch, run, hardware) replace theirs. Then from_form's answer, with
    "config": {"ok": True, "message"} saying what was read, or {"ok": False} and "errors" naming what is wrong with
    the text (field "config", or the input it gives badly). Never raises."""
    lang = i18n.lang_of(lang) if isinstance(lang, str) else i18n.DEFAULT
    try:
        fields = _form_fields(fields_json)
    except (ValueError, TypeError, RecursionError):
        return from_form("", lang)
    try:
        ignored: list[str] = []
        if isinstance(text, str) and text.strip() and text.strip()[0] not in "{[":  # not JSON: a nanoGPT config
            try:
                values, ignored = _read_nanogpt(text)
            except InputError as e:
                return _dumps(_refused(words.errors([e], lang), config={"ok": False}))
            what = fact("config.nanogpt")
        else:
            read = json.loads(read_model_config(text, lang))
            if read["errors"]:
                return _dumps(_refused(read["errors"], config={"ok": False}))
            values, what = read["fields"], "config.json"
        if any(name in values for name in presets.MODEL_FIELDS):
            fields["model"] = values.get("model") or ""
        listed = [f"{k}={field_text(schema.BY_NAME[k], x)}" for k, x in values.items()]
        said = fact("config.read", what=what, fields=", ".join(listed))
        message = words.say(said, lang) + (words.say(fact("config.ignored", names=", ".join(ignored[:20])), lang)
                                           if ignored else "")
        return _with_model(fields, values, lang, {"config": {"ok": True, "message": message}})
    except Exception as e:
        return _dumps(_refused(_failed(e, lang)))


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
        fields = _form_fields(fields_json)
    except (ValueError, TypeError, RecursionError):
        return _dumps(_refused(words.errors([InputError("form", "error.unreadable")], lang)))
    try:
        return _dumps(evaluate_form(fields, lang))
    except Exception as e:
        return _dumps(_refused(_failed(e, lang)))


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
    summary's sentences (rent.py), and the same run on 1, 2, 4 and 8 nodes of the chosen card (compare.across_nodes):
    {"rows", "summary", "nodes", "errors"}. Never raises."""
    from .compare import across_nodes
    from .rent import compare
    from .words.nodes import nodes as nodes_words

    try:
        lang = i18n.lang_of(lang)
        state = evaluate_url(query, lang)
        answer = words.comparison(compare(state["inputs"]), lang)
        return _dumps({"rows": answer["rows"], "summary": answer["summary"], "errors": state["errors"],
                       "nodes": nodes_words(across_nodes(state["inputs"]), lang)})
    except Exception as e:
        return _dumps({"rows": [], "summary": None, "nodes": None, "errors": _failed(e, lang)})


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
