"""What the page carries or fetches besides its own templates, all pinned: the calculator package (as a zip the page
unpacks into Pyodide), Pyodide's files with their integrity hashes (pinned in package.json, read from
node_modules/pyodide), and the chart library uPlot (likewise from node_modules/uplot).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import zipfile
from pathlib import Path

from . import BuildError

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "calculator"
# Files of the calculator package that travel to the browser: the code and its own data files.
PACKAGE_GLOBS = ("*.py", "*/*.py", "data/*.json")  # the package, its subpackages (logformats/, i18n/), its data
# The command line has no use in the browser: leaving it out keeps the page smaller (and argparse unloaded).
NOT_IN_BROWSER = ("cli.py", "__main__.py")


def package_files() -> list[Path]:
    files = {p for g in PACKAGE_GLOBS for p in PACKAGE.glob(g) if p.name not in NOT_IN_BROWSER}
    return sorted(files)


def package_zip() -> bytes:
    """The calculator package as a zip (root: calculator/...), byte-for-byte reproducible: sorted names, fixed
    timestamps. The page unpacks it with pyodide.unpackArchive(bytes, "zip") into the working directory."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in package_files():
            info = zipfile.ZipInfo(str(path.relative_to(ROOT)).replace("\\", "/"), date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Pyodide: the pinned version, where the page loads it from, and the integrity of its files
# ---------------------------------------------------------------------------------------------------------------

PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
# What the worker fetches itself, each checked against its sha384 (fetch(url, {integrity})): the two ES modules are
# then imported from blob: URLs of the verified bytes, the standard library is handed to Pyodide as stdLibURL, and
# the wasm binary is handed to Pyodide's loader when it asks for it (the worker answers that fetch from memory).
VERIFIED_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "python_stdlib.zip", "pyodide.asm.wasm")
# What --vendor-pyodide copies: the above and the lock file (not fetched by the page, which passes
# lockFileContents, but kept so the folder is a complete Pyodide distribution).
VENDOR_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def pyodide_version() -> str:
    """The pinned Pyodide version: node_modules/pyodide/package.json, else package.json's dependency."""
    installed = PYODIDE_DIR / "package.json"
    if installed.exists():
        return json.loads(installed.read_text(encoding="utf-8"))["version"]
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["pyodide"]
    return pinned.lstrip("^~=v")


def cdn_url(version: str | None = None) -> str:
    return f"https://cdn.jsdelivr.net/pyodide/v{version or pyodide_version()}/full/"


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def pyodide_file(name: str) -> Path:
    path = PYODIDE_DIR / name
    if not path.exists():
        raise SystemExit(f"build.py: {path} is missing; run `npm ci` first (Pyodide is pinned in package.json)")
    return path


@functools.lru_cache(maxsize=None)
def _file_sri(name: str) -> str:
    return sri(pyodide_file(name).read_bytes())


def pyodide_files() -> dict[str, str]:
    """{file name: integrity} of the files the page fetches itself, computed from node_modules/pyodide."""
    return {name: _file_sri(name) for name in VERIFIED_FILES}


def lock_file_contents() -> str:
    """A lock file with Pyodide's own `info` block and no packages: the calculator is pure standard library, so the
    page passes this as lockFileContents instead of fetching the 120 KB pyodide-lock.json."""
    lock = json.loads(pyodide_file("pyodide-lock.json").read_text(encoding="utf-8"))
    return json.dumps({"info": lock["info"], "packages": {}}, separators=(",", ":"))


def check_cdn(url: str | None = None) -> list[str]:
    """Download the files the page verifies from the Pyodide URL and compare them with node_modules/pyodide
    (network needed; CI runs this before deploying so a mismatch never reaches readers as a broken page)."""
    import urllib.request

    base = url or cdn_url()
    problems = []
    for name, integrity in pyodide_files().items():
        with urllib.request.urlopen(base + name, timeout=60) as resp:
            got = sri(resp.read())
        if got != integrity:
            problems.append(f"{base}{name}: {got} != node_modules/pyodide/{name} {integrity}")
    return problems


def report_cdn(url: str) -> bool:
    """check_cdn(url), printed: True when the files match."""
    import sys

    problems = check_cdn(url)
    for line in problems:
        print(f"build.py: integrity mismatch: {line}", file=sys.stderr)
    if not problems:
        print(f"build.py: {url} serves the same files as node_modules/pyodide")
    return not problems


# ---------------------------------------------------------------------------------------------------------------
# uPlot, the chart library
# ---------------------------------------------------------------------------------------------------------------

# The chart library, pinned in package.json: inlined into the page (script and stylesheet allowed by their CSP
# hashes), so the charts need no other origin and work from file:// and offline.
UPLOT_DIR = ROOT / "node_modules" / "uplot"
UPLOT_FILES = ("dist/uPlot.iife.min.js", "dist/uPlot.min.css")


def _uplot_file(name: str) -> Path:
    path = UPLOT_DIR / name
    if not path.exists():
        raise SystemExit(f"build.py: {path} is missing; run `npm ci` first (uPlot is pinned in package.json)")
    return path


def uplot_version() -> str:
    return json.loads(_uplot_file("package.json").read_text(encoding="utf-8"))["version"]


def uplot_assets() -> tuple[str, str]:
    """uPlot's minified script and stylesheet, as shipped in the npm package (the script's licence banner kept)."""
    js = _uplot_file(UPLOT_FILES[0]).read_text(encoding="utf-8").strip()
    css = _uplot_file(UPLOT_FILES[1]).read_text(encoding="utf-8").strip()
    if "</script" in js.lower() or "</style" in css.lower():
        raise BuildError("uPlot's files contain a closing tag and cannot be inlined")
    return js, css


# uPlot's source runs only when the first chart is drawn: the inline script wraps it, unchanged, in a function that
# charts.js calls then. Evaluating uPlot costs the main thread ~30 ms (measured in headless Chromium); wrapped, the
# page's load only pre-parses it.
UPLOT_WRAP = ("// uPlot {version} (MIT, https://github.com/leeoniya/uPlot), run on first use by charts.js\n"
              "window.__uplot = function () {{\n{source}\nreturn uPlot;\n}};")


def uplot_script() -> str:
    return UPLOT_WRAP.format(version=uplot_version(), source=uplot_assets()[0])
