"""The standalone page: `python build.py --standalone` writes one .html file that computes with no server and no
network, opened from disk (file://) by a double click.

It is the default language's page as the normal build renders it, with Pyodide's runtime added: the loader
(pyodide.mjs), the Emscripten module (pyodide.asm.mjs), the WebAssembly binary and the standard library, each as
base64 in a <script type="application/octet-stream"> block at the end of the body (the browser does not run those).
app.js sends them to the worker with the calculator package; the worker turns each into a blob: URL and checks it
against its sha384 with fetch(url, {integrity}) before use, as it checks a download (see templates/assets/worker.js).
The lock file is inlined already (lockFileContents). The page's config says where each block is
(config.pyodide.inline) and carries the four hashes; its Content-Security-Policy allows no network at all.

One file holds one language (`--standalone es` for another): its links to the other languages' pages are removed.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from markupsafe import escape

from . import BuildError, bundle, content, page_config
from .page_config import script_json

# Pyodide's files the standalone page carries, and the id of the block that holds each.
INLINE_FILES = {"pyodide.mjs": "pyodide-mjs", "pyodide.asm.mjs": "pyodide-asm-mjs",
                "pyodide.asm.wasm": "pyodide-asm-wasm", "python_stdlib.zip": "pyodide-stdlib"}
# The page's Pyodide URL (indexURL): a name, not a place. Nothing is fetched from it; the worker answers Pyodide's
# request for the wasm binary from memory, and the CSP's connect-src allows blob: only.
INLINE_BASE = "inline:/pyodide/"
# The Python memory snapshot (sitebuild/snapshot.py), gzipped, as base64 in a block of its own (config.snapshot.inline).
SNAPSHOT_BLOCK = "python-snapshot"
DEFAULT_NAME = "training-time-estimator.html"

# A standalone file holds one language. The links to the other languages lead to pages beside a served page, not
# beside the file, so they go: the <link rel="alternate" hreflang> tags and the language switch.
OTHER_LANGUAGES = re.compile(r'<link rel="alternate" hreflang="[^"]*" href="[^"]*">\n?|'
                             r'<nav class="lang-switch"[^>]*>.*?</nav>\n?', re.S)
CONFIG = re.compile(r'(<script type="application/json" id="estimator-config">)(.*?)(</script>)', re.S)
PACKAGE_BLOCK = '<script type="application/octet-stream" id="calculator-package">'
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def language(lang: str = "") -> tuple[str, dict]:
    """The language of a standalone page (default: the first of templates/content/) and the state it is rendered
    with (calculator.web.evaluate_url's default scenario, its texts in that language)."""
    langs = content.languages()
    lang = lang or langs[0]
    if lang not in langs:
        raise BuildError(f"--standalone {lang}: not a language of templates/content/ ({', '.join(langs)})")
    return lang, page_config.default_state(None if lang == langs[0] else lang)


def _block(block: str, data: bytes) -> str:
    return f'<script type="application/octet-stream" id="{block}">{base64.b64encode(data).decode("ascii")}</script>\n'


def inline_blocks(snapshot_gz: bytes | None = None) -> str:
    """Pyodide's files (and the gzipped Python snapshot) as non-executable script blocks, each base64 on one line."""
    blocks = [_block(block, bundle.pyodide_file(name).read_bytes()) for name, block in INLINE_FILES.items()]
    return "".join(blocks) + (_block(SNAPSHOT_BLOCK, snapshot_gz) if snapshot_gz else "")


def standalone_csp(csp: str) -> str:
    """The served page's policy with connect-src narrowed to blob: (the verified in-memory files)."""
    directives = [d.strip() for d in csp.split(";")]
    if sum(d.startswith("connect-src ") for d in directives) != 1:
        raise BuildError("the page's CSP has no single connect-src directive to narrow")
    return "; ".join("connect-src blob:" if d.startswith("connect-src ") else d for d in directives)


def standalone_page(html: str, csp: str, snapshot_gz: bytes | None = None) -> str:
    """The standalone page from a page rendered with Pyodide at INLINE_BASE (`csp` is its policy)."""
    configs = CONFIG.findall(html)
    if len(configs) != 1 or html.count(PACKAGE_BLOCK) != 1 or len(CSP_META.findall(html)) != 1:
        raise BuildError("the rendered page has not exactly one config, package block and CSP to rewrite")
    config = json.loads(configs[0][1])
    if config["pyodide"]["url"] != INLINE_BASE:
        raise BuildError(f"the page was rendered with Pyodide at {config['pyodide']['url']}, not {INLINE_BASE}")
    config["pyodide"]["files"] = {name: bundle.sri(bundle.pyodide_file(name).read_bytes()) for name in INLINE_FILES}
    config["pyodide"]["inline"] = INLINE_FILES
    html = CONFIG.sub(lambda m: m.group(1) + script_json(config) + m.group(3), html, count=1)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(standalone_csp(csp))}">'
    html = CSP_META.sub(lambda m: meta, html, count=1)
    html = OTHER_LANGUAGES.sub("", html)
    if bool(snapshot_gz) != bool(config.get("snapshot")):
        raise BuildError("the page's config and the snapshot block disagree on whether there is a snapshot")
    return html.replace(PACKAGE_BLOCK, inline_blocks(snapshot_gz) + PACKAGE_BLOCK, 1)


def write(out: Path | str, html: str, csp: str, snapshot_gz: bytes | None = None) -> Path:
    """Write the standalone page to `out` (a file; a folder gets DEFAULT_NAME inside it)."""
    out = Path(out)
    if out.is_dir():
        out = out / DEFAULT_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(standalone_page(html, csp, snapshot_gz), encoding="utf-8")
    return out
