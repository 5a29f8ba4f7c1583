"""Native/browser parity: the calculator gives the same answers on CPython here and on Pyodide 314 (CPython 3.14),
from the very zip the page ships (bundle.package_zip()).

One Node run (tests/pyodide/run.mjs) loads Pyodide once, unpacks the zip as the page does and runs every scenario
through calculator.web.from_url / from_form and calculator.estimate; the same driver (tests/pyodide/driver.py) runs
here natively and the two JSON documents must agree: ints, strings, bools and error messages exactly, floats to
1e-12 relative (they are expected to be bit-identical; a difference that is not is reported as a warning).

Needs Node and the npm package pyodide (`npm ci` in the repository root); skipped with that advice otherwise.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from io import BytesIO
from pathlib import Path
from urllib.parse import urlencode

import pytest

from sitebuild import bundle

ROOT = Path(__file__).resolve().parent.parent
RUNNER = ROOT / "tests" / "pyodide" / "run.mjs"
DRIVER = ROOT / "tests" / "pyodide" / "driver.py"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
REL_TOL = 1e-12
TIMEOUT_S = 120


def _params(**kw) -> dict[str, str]:
    """Form/URL values are text; bools as the page writes them."""
    return {k: ("true" if v is True else "false" if v is False else str(v)) for k, v in kw.items()}


GPT2 = dict(n_layer=12, n_head=12, n_embd=768, batch_size=12, gradient_accumulation_steps=40, gpu="h100-sxm",
            dtype="bfloat16")
SHAKESPEARE = dict(n_layer=6, n_head=6, n_embd=384, vocab_size=65, block_size=256, batch_size=64,
                   gradient_accumulation_steps=1, max_iters=5000, eval_interval=250)
TINY = dict(n_layer=1, n_head=1, n_embd=8, vocab_size=65, block_size=8, batch_size=1, gradient_accumulation_steps=1)

# name -> the inputs, as text (URL query = urlencode of them, form = the same dict, estimate(**them)).
GOOD: dict[str, dict] = {
    "defaults": {},
    "gpt2-124m": GPT2,
    "shakespeare-char": SHAKESPEARE,
    "multi-gpu": dict(num_gpus=8, gradient_accumulation_steps=40),
    "multi-gpu-gpt2-8xh100": {**GPT2, "num_gpus": 8},
    "compile-false": dict(compile=False),
    "float32-a100-40gb": dict(gpu="a100-40gb", dtype="float32"),
    "t4-emulated-bf16": dict(gpu="t4", dtype="bfloat16"),
    "old-torch-2.0": dict(gpu="a100-80gb", torch_version="2.0"),
    "mps-apple-m3-max": dict(device="mps", gpu="Apple M3 Max", compile=False),
    "cpu-generic": dict(device="cpu", gpu="rtx-4070", compile=False),
    "custom-gpu": dict(gpu="custom", custom_tflops=50, custom_memory_gb=16, custom_bandwidth_gbs=800),
    "reverse-observed-ms": dict(observed_ms_per_iter=100),
    "reverse-reported-mfu": dict(reported_mfu=8.5),
    "reverse-both-gpt2": {**GPT2, "observed_ms_per_iter": 100, "reported_mfu": 8.5},
    "assumed-mfu": dict(mfu=0.35, checkpoint_seconds=12.5),
    "gpu-name-forgiving": dict(gpu="RTX 4090", bias=True),
    "tiny-n_layer-1": TINY,
    "max-iters-1e9": dict(max_iters="1e9"),
    "max-iters-0": dict(max_iters=0, eval_iters=0),
    "huge-model": dict(n_layer=1000, n_head=1024, n_embd=131072, block_size=1_048_576, gpu="mi300x"),
    "odd-float-inputs": dict(observed_ms_per_iter="0.1", reported_mfu="1e-7", custom_tflops="0.001", gpu="custom",
                             checkpoint_seconds="86400"),
}
BAD: dict[str, dict] = {
    "bad-batch_size-abc": dict(batch_size="abc"),
    "bad-unknown-param": dict(foo="1"),
    "bad-a10g-float32": dict(gpu="a10g", dtype="float32"),
    "bad-mps-on-a-cuda-card": dict(device="mps", gpu="rtx-4090"),
    "bad-gpu-rtx4700": dict(gpu="rtx4700"),
    "bad-all-at-once": dict(batch_size="abc", foo="1", gpu="rtx4700", dtype="bfloat16"),
    "bad-n_head-divides": dict(n_head=7),
    "bad-num_gpus-divides": dict(num_gpus=3, gradient_accumulation_steps=40),
    "bad-out-of-range": dict(max_iters="1e13", mfu="0", n_layer="-1"),
    "bad-non-finite": dict(batch_size="nan", custom_tflops="inf", mfu="1.5"),
    "bad-not-whole": dict(n_layer="2.5", bias="maybe", dtype="fp8"),
    "bad-empty-required": dict(n_layer="", mfu=""),
}


def _scenarios() -> list[dict]:
    out = []
    for name, kw in {**GOOD, **BAD}.items():
        p = _params(**kw)
        out.append({"name": name, "query": urlencode(p), "form_json": json.dumps(p), "estimate": p})
    # Typed values (the CLI and estimate() take Python values, a JSON form may too).
    out.append({"name": "typed-gpt2", "form_json": json.dumps(GPT2), "estimate": dict(GPT2)})
    out.append({"name": "typed-extremes", "form_json": json.dumps({"max_iters": 1e9, "compile": False, "mfu": None}),
                "estimate": {"max_iters": 1_000_000_000, "compile": False, "mfu": None, **TINY}})
    # What only a URL or only the form can get wrong.
    out.append({"name": "url-raw-oddities", "query": "?n_layer=12&n_layer=99&gpu=%20H100-SXM%20&mfu=35%25&&=x&"
                                                     "compile=0&max_iters=1_000_000"})
    out.append({"name": "url-too-many-params", "query": "&".join(f"p{i}=1" for i in range(1001))})
    out.append({"name": "url-long-unknown-key", "query": "k" * 100 + "=1&n_embd=é"})
    out.append({"name": "form-not-an-object", "form_json": "[1, 2]"})
    out.append({"name": "form-unreadable", "form_json": "{"})
    return out


SCENARIOS = _scenarios()


def _load_driver():
    spec = importlib.util.spec_from_file_location("_pyodide_parity_driver", DRIVER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def package_zip() -> bytes:
    return bundle.package_zip()


@pytest.fixture(scope="session")
def pyodide_run(tmp_path_factory, package_zip) -> dict:
    node = shutil.which("node")
    if node is None or not (PYODIDE_DIR / "pyodide.mjs").is_file():
        missing = "node" if node is None else f"{PYODIDE_DIR.relative_to(ROOT)}"
        pytest.skip(f"Pyodide parity needs Node and the npm package pyodide ({missing} is missing): "
                    "install Node 20+ and run `npm ci` in the repository root")
    tmp = tmp_path_factory.mktemp("pyodide")
    zpath, spath = tmp / "calculator.zip", tmp / "scenarios.json"
    zpath.write_bytes(package_zip)
    spath.write_text(json.dumps(SCENARIOS), encoding="utf-8")
    proc = subprocess.run([node, str(RUNNER), str(zpath), str(spath), str(PYODIDE_DIR)], cwd=ROOT,
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    assert proc.returncode == 0, f"node {RUNNER.name} failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def native_run() -> dict:
    return json.loads(_load_driver().run_all(json.dumps(SCENARIOS)))


def _diff(a, b, path: str, hard: list[str], soft: list[str]) -> None:
    """Collect differences: hard = not equal (floats beyond REL_TOL), soft = floats equal within REL_TOL only."""
    if isinstance(a, float) and isinstance(b, float):
        if a == b or (math.isnan(a) and math.isnan(b)):
            return
        if math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0):
            soft.append(f"{path}: {a!r} (native) vs {b!r} (pyodide)")
        else:
            hard.append(f"{path}: {a!r} (native) vs {b!r} (pyodide)")
        return
    if type(a) is not type(b):
        hard.append(f"{path}: {a!r} ({type(a).__name__}, native) vs {b!r} ({type(b).__name__}, pyodide)")
    elif isinstance(a, dict):
        if list(a) != list(b):
            hard.append(f"{path}: keys {list(a)} (native) vs {list(b)} (pyodide)")
        for k in a.keys() & b.keys():
            _diff(a[k], b[k], f"{path}.{k}", hard, soft)
    elif isinstance(a, list):
        if len(a) != len(b):
            hard.append(f"{path}: {len(a)} items (native) vs {len(b)} (pyodide)")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):  # a length difference is reported above
            _diff(x, y, f"{path}[{i}]", hard, soft)
    elif a != b:
        hard.append(f"{path}: {a!r} (native) vs {b!r} (pyodide)")


def _decoded(r: dict) -> dict:
    """A scenario's results with the calculator's JSON text parsed (estimate's "ok" text too)."""
    out = {}
    for kind, v in r.items():
        if kind == "estimate" and "ok" in v:
            v = {"ok": json.loads(v["ok"])}
        elif isinstance(v, str) and kind in ("url", "form"):
            v = json.loads(v)
        out[kind] = v
    return out


def test_pyodide_is_python_314(pyodide_run):
    assert tuple(pyodide_run["version_info"][:2]) == (3, 14), pyodide_run["version"]
    assert pyodide_run["platform"] == "emscripten"
    # The package came from the unpacked zip, not from anywhere else.
    assert pyodide_run["calculator_file"].endswith("calculator/__init__.py")


def test_every_scenario_ran(pyodide_run, native_run):
    names = [s["name"] for s in SCENARIOS]
    assert list(native_run["results"]) == names
    assert list(pyodide_run["results"]) == names
    crashes = [f"{side} {name} {kind}: {v['crash'] if isinstance(v, dict) and 'crash' in v else v}"
               for side, run in (("native", native_run), ("pyodide", pyodide_run))
               for name, r in run["results"].items() for kind, v in r.items()
               if kind.endswith("_crash") or (isinstance(v, dict) and "crash" in v)]
    assert not crashes, "\n".join(crashes)


@pytest.mark.parametrize("name", [s["name"] for s in SCENARIOS])
def test_native_and_pyodide_agree(name, pyodide_run, native_run):
    nat, pyo = native_run["results"][name], pyodide_run["results"][name]
    if nat == pyo:  # identical JSON text: bit-identical floats, identical messages
        return
    hard: list[str] = []
    soft: list[str] = []
    _diff(_decoded(nat), _decoded(pyo), name, hard, soft)
    assert not hard, f"native (CPython {sys.version.split()[0]}) and Pyodide differ:\n" + "\n".join(hard[:40])
    if soft:
        warnings.warn(f"{name}: floats not bit-identical (within {REL_TOL:g} relative):\n" + "\n".join(soft[:40]),
                      stacklevel=2)


def test_scenarios_mean_what_they_say(native_run):
    """Guard the scenario list itself: the good ones compute, the bad ones report errors (on both sides, given
    parity)."""
    for name in GOOD:
        r = _decoded(native_run["results"][name])
        assert r["url"]["errors"] == [] and r["url"]["result"] is not None, (name, r["url"]["errors"])
        assert r["form"]["ok"] is True, (name, r["form"]["errors"])
        assert "ok" in r["estimate"], (name, r["estimate"])
    for name in BAD:
        r = _decoded(native_run["results"][name])
        assert r["url"]["errors"] and r["url"]["result"] is not None, name  # a URL never fails: it falls back
        if name == "bad-unknown-param":  # the form ignores names it does not know (the URL and estimate() report them)
            assert r["form"]["ok"] is True, name
        else:
            assert r["form"]["ok"] is False and r["form"]["errors"], name
        assert "error" in r["estimate"], name


# -- what the page ships --------------------------------------------------------------------------------------------

SHIPPED = re.compile(r"calculator/(?:logformats/|i18n/|words/)?[A-Za-z_][A-Za-z0-9_]*\.py"
                     r"|calculator/data/[A-Za-z0-9_.-]+\.json")


def test_zip_holds_only_the_package_code_and_data(package_zip):
    with zipfile.ZipFile(BytesIO(package_zip)) as zf:
        names = zf.namelist()
    bad = [n for n in names if not SHIPPED.fullmatch(n)]
    assert not bad, f"unexpected files in the page's zip: {bad}"
    assert "calculator/__init__.py" in names and "calculator/web.py" in names
    assert any(n.startswith("calculator/data/") for n in names)
    assert bundle.package_zip() == package_zip, "package_zip() is not reproducible"


def test_zip_imports_only_the_standard_library(package_zip):
    """Statically: every absolute import in the shipped code is a standard-library module."""
    foreign = []
    with zipfile.ZipFile(BytesIO(package_zip)) as zf:
        for n in zf.namelist():
            if not n.endswith(".py"):
                continue
            for node in ast.walk(ast.parse(zf.read(n), n)):
                if isinstance(node, ast.Import):
                    mods = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    mods = [node.module]
                else:
                    continue
                foreign += [f"{n}:{node.lineno}: {m}" for m in mods
                            if m.split(".")[0] not in sys.stdlib_module_names and m.split(".")[0] != "calculator"]
    assert not foreign, "non-standard-library imports in the shipped package:\n" + "\n".join(foreign)


def test_pyodide_loads_nothing_outside_the_standard_library(pyodide_run):
    """Dynamically: what importing and running every shipped module pulled into Pyodide's sys.modules."""
    assert "calculator" in pyodide_run["new_modules"]
    foreign = pyodide_run["foreign_modules"]  # checked against Pyodide's own sys.stdlib_module_names
    assert not foreign, f"modules outside the standard library loaded in Pyodide: {foreign}"
