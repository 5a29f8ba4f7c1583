"""The page's Python memory snapshot: Pyodide's WebAssembly memory taken after the calculator package is unpacked,
imported and called once, so the page boots from it instead of starting Python and importing the package.

Made at build time by `sitebuild/make_snapshot.mjs` with Node and the pinned pyodide npm package (no network), with
Pyodide's experimental API (`loadPyodide({_makeSnapshot: true})`, `pyodide.makeMemorySnapshot()`; the page loads
it with `loadPyodide({_loadSnapshot: bytes})`). It is about 31 MB raw and is shipped gzipped (about 6 MB): GitHub
Pages does not compress binary files, and the worker decompresses it with DecompressionStream.

A snapshot holds only the memory of one exact Pyodide build, so it is remade whenever an input changes: the cache
(`.cache/snapshot/`, git-ignored) is keyed by the sha256 of Pyodide's files, the package zip, the languages and the
maker script. Making one takes about 5 s; a cached one is read in milliseconds.

The page never depends on it: a missing snapshot, one that fails its sha384, or one Pyodide refuses, boots Python
as before (templates/assets/worker.js).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import BuildError, bundle

ROOT = Path(__file__).resolve().parents[1]
MAKER = Path(__file__).with_name("make_snapshot.mjs")
CACHE = ROOT / ".cache" / "snapshot"
KEEP = 4  # cached snapshots kept (the newest); each is about 6 MB
# Level 6: 6.17 MB in 0.6 s for the 31.5 MB snapshot, against 6.11 MB in 3.4 s at level 9 (measured here, Pyodide
# 314.0.7), so the 1% is not worth a 3 s longer cache miss.
GZIP_LEVEL = 6
NODE_TIMEOUT_S = 180


@dataclass(frozen=True)
class Snapshot:
    gz: bytes  # the snapshot, gzipped, as served
    key: str  # sha256 (hex) of the inputs it was made from
    raw_size: int  # bytes once decompressed (the WebAssembly memory)

    @property
    def integrity(self) -> str:
        return bundle.sri(self.gz)

    @property
    def name(self) -> str:
        """The file name on the site: content-addressed, so a browser never mixes a cached old snapshot with a new
        page (the page would refuse it by its hash anyway, and boot without it)."""
        return f"python-{self.key[:16]}.snapshot.gz"


def inputs_key(package_zip: bytes, languages: list[str]) -> str:
    h = hashlib.sha256()
    h.update(MAKER.read_bytes())
    h.update(bundle.pyodide_version().encode())
    for name in bundle.VENDOR_FILES:
        h.update(name.encode() + b"\0" + bundle.pyodide_file(name).read_bytes())
    h.update(package_zip)
    h.update(",".join(languages).encode())
    return h.hexdigest()


def _node() -> str:
    node = shutil.which("node") or shutil.which("nodejs")
    if not node:
        raise BuildError("the Python snapshot needs Node.js (node) on PATH; or build with --no-snapshot")
    return node


def make(package_zip: bytes, languages: list[str]) -> bytes:
    """Run the maker with Node: the raw snapshot bytes."""
    with tempfile.TemporaryDirectory(prefix="snapshot-") as tmp:
        zip_path, out = Path(tmp) / "calculator.zip", Path(tmp) / "snapshot.bin"
        zip_path.write_bytes(package_zip)
        p = subprocess.run([_node(), str(MAKER), str(bundle.PYODIDE_DIR), str(zip_path), ",".join(languages),
                            str(out)], capture_output=True, text=True, timeout=NODE_TIMEOUT_S)
        if p.returncode != 0 or not out.exists():
            raise BuildError(f"making the Python snapshot failed: {p.stderr.strip()[-2000:]}")
        return out.read_bytes()


def _prune() -> None:
    cached = sorted(CACHE.glob("*.snapshot.gz"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[KEEP:]:
        old.unlink(missing_ok=True)


def snapshot(package_zip: bytes | None = None, languages: list[str] | None = None) -> Snapshot:
    """The snapshot for the current Pyodide, package and languages: from the cache, else made (and cached)."""
    from . import content

    package_zip = bundle.package_zip() if package_zip is None else package_zip
    languages = content.languages() if languages is None else languages
    key = inputs_key(package_zip, languages)
    cached = CACHE / f"{key}.snapshot.gz"
    if cached.exists():
        gz = cached.read_bytes()
        raw_size = int.from_bytes(gz[-4:], "little")  # gzip's ISIZE: the size mod 2**32 (31 MB fits)
        return Snapshot(gz=gz, key=key, raw_size=raw_size)
    raw = make(package_zip, languages)
    gz = gzip.compress(raw, compresslevel=GZIP_LEVEL, mtime=0)
    CACHE.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=CACHE, suffix=".part")
    with os.fdopen(fd, "wb") as f:
        f.write(gz)
    os.replace(tmp, cached)  # atomic: two builds at once never read half a file
    _prune()
    return Snapshot(gz=gz, key=key, raw_size=len(raw))
