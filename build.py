"""Build the site: python build.py [--serve] ... (see --help).

    python build.py                          site/ with Pyodide from jsDelivr (the pinned npm version)
    python build.py --vendor-pyodide         ... with Pyodide copied into site/pyodide/ (offline, self-hosted)
    python build.py --pyodide-url URL        ... with Pyodide from another mirror (must send CORS headers)
    python build.py --serve [--port N]       build, then serve on http://127.0.0.1:N/ with the right MIME types

The page is one HTML file per language: the prose (templates/content/<lang>/*.md, Jinja placeholders for live
numbers, rendered once with Python-Markdown), the form and result cards (templates/*.j2), the CSS and JavaScript
(inlined, allowed by sha256 hashes in the Content-Security-Policy), and the calculator package as a base64 zip.
Every live number is pre-rendered with the build-time result of calculator.web.evaluate_url(""), so the page reads
correctly before Python has loaded, with JavaScript off, or when the CDN is blocked.
"""

from __future__ import annotations

import argparse
import base64
import functools
import hashlib
import http.server
import io
import json
import re
import shutil
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
PACKAGE = ROOT / "calculator"
# Files of the calculator package that travel to the browser: the code and its own data files.
PACKAGE_GLOBS = ("*.py", "data/*.json")
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

TEMPLATES = ROOT / "templates"
CONTENT = TEMPLATES / "content"
ASSETS = TEMPLATES / "assets"
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
DEFAULT_LANG = "en"
# What the worker fetches itself, each checked against its sha384 (fetch(url, {integrity})): the two ES modules are
# then imported from blob: URLs of the verified bytes, and the standard library is handed to Pyodide as stdLibURL.
VERIFIED_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "python_stdlib.zip")
# What --vendor-pyodide copies: the above, the wasm binary (fetched by Pyodide's own loader) and the lock file (not
# fetched by the page, which passes lockFileContents, but kept so the folder is a complete Pyodide distribution).
VENDOR_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
MIME_TYPES = {".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
              ".json": "application/json", ".zip": "application/zip", ".html": "text/html; charset=utf-8",
              ".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".txt": "text/plain"}
LOAD_TIMEOUT_MS = 30_000  # after this, the page says the live calculator is unavailable (the loader can hang)
# The chart library, pinned in package.json: inlined into the page (script and stylesheet allowed by their CSP
# hashes), so the charts need no other origin and work from file:// and offline. See README.logs.md.
UPLOT_DIR = ROOT / "node_modules" / "uplot"
UPLOT_FILES = ("dist/uPlot.iife.min.js", "dist/uPlot.min.css")
# The page's own scripts, each inlined and allowed by its hash: head.js in <head>; the others at the end of <body>,
# in this order (app.js is the glue; charts.js and log.js use what it exposes on window.__estimator).
BODY_SCRIPTS = ("app.js", "charts.js", "log.js")
# "Paste your log": a paste or file above LOG_SHOWN_BYTES is held by the page but not put into the text box (a
# multi-megabyte textarea makes typing and layout slow); above LOG_MAX_BYTES the page refuses it.
LOG_SHOWN_BYTES = 200_000
LOG_MAX_BYTES = 64_000_000


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


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _pyodide_file(name: str) -> Path:
    path = PYODIDE_DIR / name
    if not path.exists():
        raise SystemExit(f"build.py: {path} is missing; run `npm ci` first (Pyodide is pinned in package.json)")
    return path


@functools.lru_cache(maxsize=None)
def _file_sri(name: str) -> str:
    return sri(_pyodide_file(name).read_bytes())


def pyodide_files() -> dict[str, str]:
    """{file name: integrity} of the files the page fetches itself, computed from node_modules/pyodide."""
    return {name: _file_sri(name) for name in VERIFIED_FILES}


def lock_file_contents() -> str:
    """A lock file with Pyodide's own `info` block and no packages: the calculator is pure standard library, so the
    page passes this as lockFileContents instead of fetching the 120 KB pyodide-lock.json."""
    lock = json.loads(_pyodide_file("pyodide-lock.json").read_text(encoding="utf-8"))
    return json.dumps({"info": lock["info"], "packages": {}}, separators=(",", ":"))


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

    kinds = {"REASON_ITER0": "iter0", "REASON_WARMUP": "warmup", "REASON_EVAL": "eval",
             "REASON_RUNNING_AVG": "average", "REASON_WHOLE_RUN": "average", "REASON_SPIKE": "spike"}
    return {getattr(logparse, name): kind for name, kind in kinds.items() if hasattr(logparse, name)}


def csp_source(url: str) -> str:
    """The CSP source expression for where Pyodide lives: 'self' for a relative URL, else scheme://host[:port]/path/
    (a path ending in / matches everything below it)."""
    if "://" not in url:
        return "'self'"
    return url if url.endswith("/") else url + "/"


# ---------------------------------------------------------------------------------------------------------------
# Live numbers: one rule, shared by the pre-rendering here and the page's JavaScript (templates/assets/app.js)
# ---------------------------------------------------------------------------------------------------------------

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


class BuildError(Exception):
    pass


# ---------------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Section:
    id: str
    title: str
    html: str
    toc: str  # the table-of-contents label (defaults to the title)
    include: str = ""  # "calculator": the form and cards follow the prose


@dataclass
class BuildResult:
    out: Path
    pages: list[Path] = field(default_factory=list)
    pyodide_url: str = ""
    vendored: bool = False
    csp: str = ""
    seconds: float = 0.0


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    return meta, text[m.end():]


def languages() -> list[str]:
    """Every folder under templates/content/ is a language; the default one is written to site/, others to
    site/<lang>/."""
    langs = sorted(p.name for p in CONTENT.iterdir() if p.is_dir() and (p / "ui.json").exists())
    return sorted(langs, key=lambda x: x != DEFAULT_LANG)


class Renderer:
    """Jinja environment + Markdown, for one language and one result (the default scenario)."""

    def __init__(self, lang: str, state: dict):
        import jinja2
        import markdown
        from markupsafe import Markup, escape

        from calculator import cost, fmt, gpus, schema, speed

        self.Markup, self.escape = Markup, escape
        self.lang = lang
        self.state = state
        self.result = state["result"]
        self.ui = json.loads((CONTENT / lang / "ui.json").read_text(encoding="utf-8"))
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "smarty"], output_format="html")
        self.blocks: dict[str, str] = {}
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      keep_trailing_newline=False)
        self._scenarios: dict[tuple, dict] = {}
        self.env.globals.update(
            out=self.out, show_when=self.show_when, verdict_from=self.verdict_from, scenario=self.scenario,
            block=self.block, fmt=fmt, gpus=gpus, schema=schema, constants=speed.CONSTANTS, ui=self.ui,
            r=self.result, field_text=self.field_text, field_label=self.field_label, field_help=self.field_help,
            gpu_rows=self.gpu_rows, short_gpu_name=short_gpu_name, log_limits=self.log_limits,
            gpu_compare=self.gpu_compare, compare_text=self.compare_text, price_table=cost.price_table,
            price_about=cost.ABOUT,
        )

    # -- Jinja globals --
    def out(self, path: str, tag: str = "span", cls: str = "", render: str = "text", text: str = "") -> Any:
        """A live value: <span data-output=path data-value=JSON>text</span>, pre-filled with the build-time value.
        text="params_exact": show result["text"]["params_exact"] for the value at "params" (data-text)."""
        value = resolve(self.result, path)
        if path.split(".")[0] not in self.result:
            raise BuildError(f"out({path!r}): not a key of calculator.estimate's result")
        if text and python_text(self.result, text) is None:
            raise BuildError(f"out({path!r}, text={text!r}): not a key of result['text']")
        data = json.dumps(value, separators=(",", ":"), allow_nan=False)
        cls_attr = f' class="{self.escape(cls)}"' if cls else ""
        if render == "list":
            items = "".join(f"<li>{self.escape(t)}</li>" for t in (value or []))
            return self.Markup(f'<{tag}{cls_attr} data-output="{self.escape(path)}" data-render="list" '
                               f'data-value="{self.escape(data)}">{items}</{tag}>')
        shown = output_text(self.result, path, value, text or None)
        text_attr = f' data-text="{self.escape(text)}"' if text else ""
        return self.Markup(f'<{tag}{cls_attr} data-output="{self.escape(path)}"{text_attr} '
                           f'data-value="{self.escape(data)}">{self.escape(shown)}</{tag}>')

    def show_when(self, *terms: str) -> Any:
        """Attributes for an element shown only while one of the terms holds (see shown()): a path whose value is
        truthy (warnings), or "path=value" (claim.feasibility.verdict=impossible)."""
        for term in terms:
            path = term.partition("=")[0]
            if path.split(".")[0] not in self.result or "|" in term:
                raise BuildError(f"show_when({term!r}): not a key of calculator.estimate's result")
        spec = "|".join(terms)
        hidden = "" if shown(self.result, spec) else " hidden"
        return self.Markup(f'data-show-when="{self.escape(spec)}"{hidden}')

    def verdict_from(self, path: str) -> Any:
        value = resolve(self.result, path)
        return self.Markup(f'data-verdict-from="{self.escape(path)}" data-verdict="{self.escape(value or "")}"')

    def scenario(self, **inputs: Any) -> dict:
        """calculator.estimate for a fixed scenario (defaults + inputs), computed here at build time: for sentences
        about that scenario only (they do not change with the form)."""
        from calculator import estimate

        key = tuple(sorted(inputs.items()))
        if key not in self._scenarios:
            self._scenarios[key] = estimate(**inputs)
        return self._scenarios[key]

    def gpu_rows(self) -> list[dict]:
        """calculator.web.compare_gpus for the page's scenario, at build time: the pre-rendered "which GPU" chart
        data and its table (the page replaces them live as the inputs change)."""
        return self.gpu_compare()["rows"]

    def gpu_compare(self) -> dict:
        """The whole answer of calculator.web.compare_gpus at build time: rows and the summary's sentences
        (data-compare="summary.text.rent" elements; charts.js refills them from the same function)."""
        if "gpu_compare" not in self.state:
            from calculator import web

            self.state["gpu_compare"] = json.loads(web.compare_gpus(self.state.get("query") or ""))
        return self.state["gpu_compare"]

    def compare_text(self, path: str, tag: str = "span") -> Any:
        """A sentence of the GPU comparison: <span data-compare=path>Python's text</span>, refilled live."""
        value = resolve(self.gpu_compare(), path)
        if value is not None and not isinstance(value, str):
            raise BuildError(f"compare_text({path!r}): not a text of calculator.web.compare_gpus")
        hidden = "" if value else " hidden"
        return self.Markup(f'<{tag} data-compare="{self.escape(path)}"{hidden}>{self.escape(value or "")}</{tag}>')

    @staticmethod
    def log_limits() -> dict[str, str]:
        from calculator import fmt

        return {"shown": fmt.exact(LOG_SHOWN_BYTES // 1000) + " KB",
                "max": fmt.exact(LOG_MAX_BYTES // 1_000_000) + " MB"}

    def block(self, name: str, **kw: Any) -> str:
        """A block of HTML (a table, the calculator) inside Markdown: rendered from templates/blocks/<name>.html.j2
        and swapped in after Markdown, so Markdown never touches it."""
        token = f"BLOCK{len(self.blocks):04d}X"
        self.blocks[token] = self.env.get_template(f"blocks/{name}.html.j2").render(**kw)
        return f"\n\n{token}\n\n"

    def field_label(self, f: Any) -> str:
        return self.ui.get("fields", {}).get(f.name, {}).get("label", f.label)

    def field_help(self, f: Any) -> str:
        return self.ui.get("fields", {}).get(f.name, {}).get("help", f.help)

    @staticmethod
    def field_text(f: Any, value: Any) -> str:
        """A field's value as the form shows it (the same text schema.to_query writes into a share link)."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float):
            return repr(value)
        return str(value)

    # -- content --
    def markdown(self, text: str) -> str:
        self.md.reset()
        html = self.md.convert(text)
        # Markdown's own tables scroll inside a frame on narrow screens, like the blocks' tables.
        html = html.replace("<table>", '<div class="table-wrap" tabindex="0"><table class="data">').replace(
            "</table>", "</table></div>")
        for token, block_html in self.blocks.items():
            html = html.replace(f"<p>{token}</p>", block_html)
            if token in html:
                raise BuildError(f"block {token} was not a paragraph of its own; put it on its own line")
        self.blocks.clear()
        return html

    def sections(self) -> list[Section]:
        out = []
        for path in sorted((CONTENT / self.lang).glob("*.md")):
            meta, body = _front_matter(path.read_text(encoding="utf-8"))
            if "id" not in meta or "title" not in meta:
                raise BuildError(f"{path}: needs front matter with id and title")
            source = self.env.from_string(body).render()
            out.append(Section(id=meta["id"], title=meta["title"], html=self.markdown(source),
                               toc=meta.get("toc", meta["title"]), include=meta.get("include", "")))
        return out

    def page(self, **context: Any) -> str:
        return self.env.get_template("page.html.j2").render(lang=self.lang, sections=self.sections(), **context)


def _script_json(obj: Any) -> str:
    """JSON safe to put inside <script type="application/json">: no '<' (so never '</script>')."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
EXECUTABLE_TYPES = {"", "text/javascript", "module", "application/javascript", "importmap"}


def executable_inline_scripts(html: str) -> list[str]:
    """The bodies of the inline scripts the browser would run (no src, a JavaScript type or none)."""
    found = []
    for m in INLINE_SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if "src=" in attrs:
            continue
        t = re.search(r'type="([^"]*)"', attrs)
        if (t.group(1) if t else "") in EXECUTABLE_TYPES:
            found.append(m.group("body"))
    return found


def build_csp(pyodide_url: str, script_hashes: list[str], style_hashes: list[str]) -> str:
    """The page's Content-Security-Policy (a meta tag, so it also holds on file:// and GitHub Pages).

    script-src: the inline scripts by hash; blob: for the two Pyodide modules the worker imports from blob: URLs of
    integrity-checked bytes; 'wasm-unsafe-eval' to compile Pyodide's WebAssembly. No 'unsafe-inline', no 'unsafe-eval'.
    worker-src: the calculator's module worker, from a blob: URL (http/https) or a data: URL (file://, where a blob:
    module worker is refused). connect-src: Pyodide's files, and blob: for the verified standard library."""
    where = csp_source(pyodide_url)
    directives = [
        "default-src 'none'",
        "script-src " + " ".join([*script_hashes, "blob:", "'wasm-unsafe-eval'"]),
        "style-src " + " ".join(style_hashes),
        f"connect-src {where} blob:",
        "worker-src blob: data:",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
    ]
    return "; ".join(directives)


def render_page(lang: str, state: dict, pyodide_url: str, base: str = "",
                load_timeout_ms: int = LOAD_TIMEOUT_MS) -> tuple[str, str]:
    """The HTML of one language's page, and its CSP."""
    from calculator import gpus, schema

    r = Renderer(lang, state)
    result = state["result"]
    head_js = _asset("head.js")
    body_js = [_asset(name) for name in BODY_SCRIPTS]
    css = _asset("style.css")
    worker_js = _asset("worker.js")
    uplot_css = uplot_assets()[1]
    uplot_js = uplot_script()
    ui_js = {k: v.replace("{seconds}", f"{load_timeout_ms / 1000:g}").replace("{shown}", r.log_limits()["shown"])
             .replace("{max}", r.log_limits()["max"]) for k, v in r.ui.get("js", {}).items()}
    config = {
        "lang": lang,
        "pyodide": {"url": pyodide_url if "://" in pyodide_url else base + pyodide_url,
                    "files": pyodide_files(), "lock": lock_file_contents(), "version": pyodide_version()},
        "timeoutMs": load_timeout_ms,
        "fields": [f.name for f in schema.FIELDS],
        "ui": ui_js,
        "charts": r.ui.get("charts", {}),
        "gpuNames": {g["id"]: short_gpu_name(g["name"]) for g in gpus.list_gpus()},
        "logReasons": log_reason_kinds(),
        "logShownBytes": LOG_SHOWN_BYTES,
        "logMaxBytes": LOG_MAX_BYTES,
    }
    script_hashes = [csp_hash(head_js), csp_hash(uplot_js), *(csp_hash(js) for js in body_js)]
    csp = build_csp(config["pyodide"]["url"], script_hashes, [csp_hash(css), csp_hash(uplot_css)])
    html = r.page(
        csp=csp, head_js=head_js, body_js=body_js, css=css, uplot_js=uplot_js, uplot_css=uplot_css,
        uplot_version=uplot_version(), gpu_rows_json=_script_json(r.gpu_rows()),
        worker_js=worker_js, config_json=_script_json(config),
        package_b64=base64.b64encode(package_zip()).decode("ascii"), state=state, result=result,
        fields=schema.FIELDS, groups=schema.GROUPS, gpu_list=gpus.list_gpus(), catalogue=gpus.CATALOGUE,
        pyodide_version=pyodide_version(),
    )
    found = executable_inline_scripts(html)
    if sorted(csp_hash(s) for s in found) != sorted(script_hashes):
        raise BuildError("the inline scripts in the page do not match the CSP hashes")
    return html, csp


def check_placeholders(html: str) -> None:
    for marker in ("{{", "{%", "}}", "%}", "BLOCK0"):
        text_only = re.sub(r"<script[^>]*>.*?</script>|<style>.*?</style>", "", html, flags=re.S)
        if marker in text_only:
            i = text_only.index(marker)
            raise BuildError(f"unfilled placeholder {marker!r} near: {text_only[max(0, i - 80):i + 80]!r}")


def build(out: Path | str = ROOT / "site", pyodide_url: str | None = None, vendor: bool = False,
          quiet: bool = True, load_timeout_ms: int = LOAD_TIMEOUT_MS) -> BuildResult:
    """Write the site into `out` (replaced). Returns what was written. load_timeout_ms: how long the page waits
    for Python before it says the live calculator is unavailable (the tests shorten it)."""
    t0 = time.perf_counter()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from calculator import web

    out = Path(out)
    if vendor and pyodide_url:
        raise BuildError("--vendor-pyodide and --pyodide-url exclude each other")
    url = "pyodide/" if vendor else (pyodide_url or cdn_url())
    if "://" in url and not url.endswith("/"):
        url += "/"
    state = web.evaluate_url("")
    if state["errors"] or state["result"] is None:
        raise BuildError(f"the default scenario does not compute: {state['errors']}")

    if out.exists():
        resolved = out.resolve()
        if resolved in (ROOT, *ROOT.parents, Path.home()) or (any(out.iterdir()) and
                                                               not (out / ".nojekyll").exists()):
            raise BuildError(f"refusing to replace {out}: it is not empty and not a previous build (no .nojekyll)")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".nojekyll").write_text("", encoding="utf-8")
    res = BuildResult(out=out, pyodide_url=url, vendored=vendor)
    for i, lang in enumerate(languages()):
        target = out if i == 0 else out / lang
        target.mkdir(parents=True, exist_ok=True)
        html, csp = render_page(lang, state, url, base="" if i == 0 else "../", load_timeout_ms=load_timeout_ms)
        check_placeholders(html)
        (target / "index.html").write_text(html, encoding="utf-8")
        res.pages.append(target / "index.html")
        res.csp = res.csp or csp
    if vendor:
        (out / "pyodide").mkdir()
        for name in VENDOR_FILES:
            shutil.copyfile(_pyodide_file(name), out / "pyodide" / name)
    res.seconds = time.perf_counter() - t0
    if not quiet:
        size = sum(p.stat().st_size for p in res.pages)
        source = f"{out / 'pyodide'}/ (vendored)" if vendor else url
        print(f"build.py: wrote {', '.join(str(p.relative_to(out)) for p in res.pages)} into {out}/ "
              f"({size / 1024:.0f} KB) in {res.seconds:.2f} s; Pyodide {pyodide_version()} from {source}")
    return res


# ---------------------------------------------------------------------------------------------------------------
# Serving and checking
# ---------------------------------------------------------------------------------------------------------------

# What the server may gzip (as GitHub Pages does for text): HTML, CSS, JavaScript (.js, .mjs), JSON, SVG, plain text.
# The wasm binary and the zips go as they are, so the byte counts stay conservative for hosts that do not compress them.
GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (a q=0 refuses it)."""
    for part in (header or "").lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and q[2:].strip() in ("0", "0.0", "0.00", "0.000"))
    return False


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs (application/wasm for streaming compilation, text/javascript
    for .mjs); optional CORS, for serving Pyodide as if from a CDN; optional gzip of text types (Content-Encoding:
    gzip, compressed on first request and kept in memory), as GitHub Pages serves them."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    cors = False
    gzip = False
    _gzipped: dict[tuple[str, int, int], bytes] = {}  # (path, mtime_ns, size) -> gzip bytes, shared by all servers

    def end_headers(self) -> None:
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def _gzip_target(self) -> tuple[str, str] | None:
        """(file, Content-Type) when this GET/HEAD should be answered gzipped, else None (the plain path)."""
        import os
        from urllib.parse import urlsplit

        if not self.gzip or not accepts_gzip(self.headers.get("Accept-Encoding", "")):
            return None
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the plain path redirects to the slash
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return None
        ctype = self.guess_type(path)
        return (path, ctype) if ctype.startswith(GZIP_TYPES) else None

    def send_head(self) -> Any:
        import gzip as gzip_module
        import os

        target = self._gzip_target()
        if target is None:
            return super().send_head()
        path, ctype = target
        st = os.stat(path)
        key = (path, st.st_mtime_ns, st.st_size)
        body = self._gzipped.get(key)
        if body is None:
            with open(path, "rb") as f:
                body = gzip_module.compress(f.read(), compresslevel=6, mtime=0)
            self._gzipped[key] = body
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(st.st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:  # quiet: one line per request is noise here
        pass


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the browser closed a connection early (a cancelled fetch, a closed tab): not an error
        super().handle_error(request, client_address)


def make_server(directory: Path | str, port: int = 0, cors: bool = False, gzip: bool = False) -> SiteServer:
    """A threaded HTTP server for `directory` on 127.0.0.1 (port 0: any free port); call serve_forever().
    gzip=True: text types go gzipped to clients that accept it (as on GitHub Pages); the benchmark uses it."""
    handler = type("Handler", (SiteHandler,), {"cors": cors, "gzip": gzip})
    return SiteServer(("127.0.0.1", port), functools.partial(handler, directory=str(directory)))


def serve_in_thread(directory: Path | str, port: int = 0, cors: bool = False,
                    gzip: bool = False) -> tuple[Any, str]:
    """Start make_server() in a daemon thread; returns (server, base URL). Stop with server.shutdown()."""
    server = make_server(directory, port, cors, gzip)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python build.py", description="\n\n".join(__doc__.split("\n\n")[1:2]),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default=str(ROOT / "site"), help="output folder (default: site/); replaced")
    p.add_argument("--pyodide-url", metavar="URL",
                   help=f"where the page loads Pyodide from (default: {cdn_url()}); must send CORS headers")
    p.add_argument("--vendor-pyodide", action="store_true",
                   help="copy Pyodide from node_modules/pyodide into <out>/pyodide/ and load it from there")
    p.add_argument("--serve", action="store_true", help="after building, serve <out> on http://127.0.0.1:PORT/")
    p.add_argument("--port", type=int, default=8000, help="port for --serve (default 8000)")
    p.add_argument("--load-timeout", type=float, default=LOAD_TIMEOUT_MS / 1000, metavar="SECONDS",
                   help="how long the page waits for Python before showing the fallback (default %(default)g)")
    p.add_argument("--check-cdn", action="store_true",
                   help="also download Pyodide's files from the Pyodide URL and check they match node_modules "
                        "(what the page's integrity checks will expect); needs the network")
    a = p.parse_args(argv)
    try:
        res = build(a.out, pyodide_url=a.pyodide_url, vendor=a.vendor_pyodide, quiet=False,
                    load_timeout_ms=int(a.load_timeout * 1000))
    except BuildError as e:
        print(f"build.py: {e}", file=sys.stderr)
        return 1
    if a.check_cdn and not a.vendor_pyodide:
        problems = check_cdn(res.pyodide_url)
        for line in problems:
            print(f"build.py: integrity mismatch: {line}", file=sys.stderr)
        if problems:
            return 1
        print(f"build.py: {res.pyodide_url} serves the same files as node_modules/pyodide")
    if a.serve:
        server = make_server(a.out, a.port)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"Serving {a.out} at {url}  (Ctrl+C to stop)", flush=True)
        if "://" in res.pyodide_url and not a.vendor_pyodide:
            print(f"(Pyodide comes from {res.pyodide_url}; add --vendor-pyodide to work offline)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
