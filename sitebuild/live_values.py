"""What a live value of the page shows: one rule, applied twice.

The build pre-renders every [data-output] and [data-show-when] element with it (build.py's Renderer), and the page's
JavaScript applies the same rule to each new result: its twin is in templates/assets/app.js (resolve, pythonText,
outputText, truthy, shown). Change one, change the other; tests/test_browser.py checks that they agree on the page.
"""

from __future__ import annotations

from typing import Any

from . import BuildError


def resolve(result: dict, path: str) -> Any:
    """The value at a dotted path of a result ("ms_per_iter", "gpu.name", "inputs.n_layer"); None if absent."""
    value: Any = result
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def python_text(result: dict, key: str) -> str | None:
    """Python's text for a dotted key: result["text"][key]; else the "text" of the nearest dict around it, so
    "claim.mfu" reads result["claim"]["text"]["mfu"] (a nested part of the result carries its own texts)."""
    texts = result.get("text")
    if isinstance(texts, dict) and isinstance(texts.get(key), str):
        return texts[key]
    parts = key.split(".")
    for i in range(len(parts) - 1, 0, -1):
        holder = resolve(result, ".".join(parts[:i]))
        rest = ".".join(parts[i:])
        if isinstance(holder, dict) and isinstance(holder.get("text"), dict) and isinstance(holder["text"].get(rest),
                                                                                           str):
            return holder["text"][rest]
    return None


def output_text(result: dict, path: str, value: Any, text_key: str | None = None) -> str:
    """The text shown for a live value: Python's formatted text (python_text(result, text_key or path)) for every
    number; strings as they are; whole numbers of the inputs as digits. JavaScript applies the same rule and never
    formats a float. text_key picks another formatting of the same value (data-text="params_exact" for
    data-output="params")."""
    if value is None:
        return ""
    text = python_text(result, text_key or path)
    if text is not None:
        return text
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    raise BuildError(f"live value {path!r} is a {type(value).__name__} with no result['text'] entry; Python must "
                     "format it (JavaScript never formats numbers)")


def truthy(value: Any) -> bool:
    """JavaScript's notion for data-show-when: null, false, 0, "" and [] hide the element."""
    return not (value is None or value is False or value == 0 or value == "" or value == [])


def shown(result: dict, spec: str) -> bool:
    """data-show-when="a|b.c=value|...": shown when any term holds; a term is a path whose value is truthy, or
    path=value for a string equal to value (app.js applies the same rule)."""
    for term in spec.split("|"):
        path, eq, wanted = term.partition("=")
        value = resolve(result, path)
        if (value == wanted) if eq else truthy(value):
            return True
    return False
