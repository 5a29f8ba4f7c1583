"""Runs the parity scenarios through the calculator; the very same code runs natively (tests/test_pyodide.py imports
it) and inside Pyodide (tests/pyodide/run.mjs executes it), so both sides are treated identically.

run_all(scenarios_json) -> JSON text:
    {"version", "version_info", "platform", "calculator_file", "new_modules", "foreign_modules",
     "results": {name: {kind: ...}}}

Each scenario is {"name", "query"?, "form_json"?, "estimate"?}. Results keep the calculator's JSON text as it came
out (from_url / from_form return text; estimate() is dumped here), so equal text means bit-identical floats.
Only standard-library modules are imported here, and only ones Pyodide has loaded before the calculator is imported,
so that "new_modules" is exactly what importing and running the calculator pulls in.
"""

import json
import sys
import traceback


def _crash() -> dict:
    return {"crash": traceback.format_exc(limit=-3)}


def _call_estimate(calculator, kwargs: dict) -> dict:
    try:
        return {"ok": json.dumps(calculator.estimate(**kwargs))}
    except calculator.InputError as e:
        return {"error": {"field": e.field, "message": str(e)}}
    except Exception:  # reported as a failure by the test, on either side
        return _crash()


def run_all(scenarios_json: str) -> str:
    scenarios = json.loads(scenarios_json)
    before = set(sys.modules)

    import importlib
    import os

    import calculator
    import calculator.web

    # Import every module the zip ships (not __main__, which runs the CLI), so the module check covers them all.
    pkg_dir = os.path.dirname(calculator.__file__)
    for fname in sorted(os.listdir(pkg_dir)):
        if fname.endswith(".py") and fname not in ("__init__.py", "__main__.py"):
            importlib.import_module("calculator." + fname[:-3])

    results = {}
    for sc in scenarios:
        r = {}
        if "query" in sc:
            try:
                r["url"] = calculator.web.from_url(sc["query"])
            except Exception:
                r["url_crash"] = _crash()
        if "form_json" in sc:
            try:
                r["form"] = calculator.web.from_form(sc["form_json"])
            except Exception:
                r["form_crash"] = _crash()
        if "estimate" in sc:
            r["estimate"] = _call_estimate(calculator, sc["estimate"])
        results[sc["name"]] = r

    new_top = sorted({m.split(".", 1)[0] for m in set(sys.modules) - before})
    return json.dumps({
        "version": sys.version,
        "version_info": list(sys.version_info[:3]),
        "platform": sys.platform,
        "calculator_file": calculator.__file__,
        "new_modules": new_top,
        # judged by the running interpreter's own list (Pyodide's is 3.14's)
        "foreign_modules": [m for m in new_top if m != "calculator" and m not in sys.stdlib_module_names],
        "results": results,
    })
