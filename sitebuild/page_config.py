"""The page's configuration: the JSON that build.py writes into <script id="estimator-config">, which head.js reads
once and shares with the other scripts as window.__estimator.config. Everything the JavaScript glue needs to know
that Python decides: where Pyodide is, the interface's words, the charts' labels, and the log box's limits.
"""

from __future__ import annotations

import json
from typing import Any

from . import BuildError, bundle

# "Paste your log": a paste or file above LOG_SHOWN_BYTES is held by the page but not put into the text box (a
# multi-megabyte textarea makes typing and layout slow); above LOG_MAX_BYTES the page refuses it.
LOG_SHOWN_BYTES = 200_000
LOG_MAX_BYTES = 64_000_000


def default_state(lang: str | None = None) -> dict:
    """calculator.web.evaluate_url(""): the default scenario every page is pre-rendered with (texts in `lang`)."""
    from calculator import web

    state = web.evaluate_url("") if lang is None else web.evaluate_url("", lang)
    if state["errors"] or state["result"] is None:
        raise BuildError(f"the default scenario does not compute: {state['errors']}")
    return state


def script_json(obj: Any) -> str:
    """JSON safe to put inside <script type="application/json">: no '<' (so never '</script>')."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def short_gpu_name(name: str) -> str:
    """ "NVIDIA GeForce RTX 4070" -> "RTX 4070": the label on the charts' GPU axis."""
    for prefix in ("NVIDIA GeForce ", "NVIDIA Tesla ", "NVIDIA "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def log_reason_kinds() -> dict[str, str]:
    """Each exclusion reason the log analyser gives (calculator.logparse.REASON_*) -> the kind of point the
    per-iteration chart draws it as (its own series, colour and legend entry)."""
    from calculator import logparse

    kinds = {"REASON_ITER0": "iter0", "REASON_WARMUP": "warmup", "REASON_WARMUP_NANOGPT": "warmup",
             "REASON_WARMUP_BAR": "warmup", "REASON_EVAL": "eval",
             "REASON_RUNNING_AVG": "average", "REASON_WHOLE_RUN": "average", "REASON_SPIKE": "spike",
             "REASON_SKIPPED": "warmup", "REASON_EARLIER_RUN": "other"}
    return {getattr(logparse, name): kind for name, kind in kinds.items() if hasattr(logparse, name)}


def log_limits() -> dict[str, str]:
    """The log box's limits as the page words them ("200 KB", "64 MB")."""
    from calculator import fmt

    return {"shown": fmt.exact(LOG_SHOWN_BYTES // 1000) + " KB", "max": fmt.exact(LOG_MAX_BYTES // 1_000_000) + " MB"}


def page_config(lang: str, ui: dict, pyodide_url: str, load_timeout_ms: int) -> dict[str, Any]:
    """The config of one language's page; `ui` is its templates/content/<lang>/ui.json, `pyodide_url` where this page
    loads Pyodide from (relative to the page, or absolute)."""
    from calculator import gpus, schema

    limits = log_limits()
    ui_js = {k: v.replace("{seconds}", f"{load_timeout_ms / 1000:g}").replace("{shown}", limits["shown"])
             .replace("{max}", limits["max"]) for k, v in ui.get("js", {}).items()}
    return {
        "lang": lang,
        "pyodide": {"url": pyodide_url, "files": bundle.pyodide_files(), "lock": bundle.lock_file_contents(),
                    "version": bundle.pyodide_version()},
        "timeoutMs": load_timeout_ms,
        "fields": [f.name for f in schema.FIELDS],
        "ui": ui_js,
        "charts": ui.get("charts", {}),
        "gpuNames": {g["id"]: short_gpu_name(g["name"]) for g in gpus.list_gpus()},
        "logReasons": log_reason_kinds(),
        "logShownBytes": LOG_SHOWN_BYTES,
        "logMaxBytes": LOG_MAX_BYTES,
    }
