"""Build the site: python build.py [--serve] ... (see --help)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "calculator"
# Files of the calculator package that travel to the browser: the code and its own data files.
PACKAGE_GLOBS = ("*.py", "data/*.json")


def package_files() -> list[Path]:
    files = {p for g in PACKAGE_GLOBS for p in PACKAGE.glob(g)}
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
