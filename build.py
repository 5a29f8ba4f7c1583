"""Build the site: python build.py [--serve] ... (see --help).

    python build.py                          site/ with Pyodide from jsDelivr (the pinned npm version)
    python build.py --vendor-pyodide         ... with Pyodide copied into site/pyodide/ (offline, self-hosted)
    python build.py --pyodide-url URL        ... with Pyodide from another mirror (must send CORS headers)
    python build.py --serve [--port N]       build with Pyodide vendored (--cdn: from jsDelivr), serve on 127.0.0.1:N
    python build.py --standalone [LANG]      one HTML file with Pyodide inside: opened from disk, it computes offline
    python build.py ... --no-snapshot        without the Python memory snapshot the page boots from (made with Node)

The page is one HTML file per language: the prose (templates/content/<lang>/*.md, Jinja placeholders for live
numbers, rendered once with Python-Markdown), the form and result cards (templates/*.j2), the CSS and JavaScript
(inlined, allowed by sha256 hashes in the Content-Security-Policy), and the calculator package as a base64 zip.
Every live number is pre-rendered with the build-time result of calculator.web.evaluate_url(""), so the page reads
correctly before Python has loaded, with JavaScript off, or when the CDN is blocked.

This file holds the rendering, the Content-Security-Policy and the command line; the rooms they stand on (the
bundled files, the page's config and content, the live-value rule, the dev server) are in sitebuild/.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitebuild import BuildError, bundle, content, devserver, languages, page_config, snapshot, standalone
from sitebuild.live_values import output_text, python_text, resolve, shown

ROOT = Path(__file__).resolve().parent
TEMPLATES = ROOT / "templates"
ASSETS = TEMPLATES / "assets"
LOAD_TIMEOUT_MS = 30_000  # after this, the page says the live calculator is unavailable (the loader can hang)
# The page's own scripts, each inlined and allowed by its hash: head.js in <head>; the others at the end of <body>,
# in this order (app.js is the glue; charts.js and log.js use what it exposes on window.__estimator).
BODY_SCRIPTS = ("app.js", "charts.js", "log.js")
SNAPSHOT_DIR = "snapshot"  # where a vendored site keeps the Python snapshot (sitebuild/snapshot.py)


# -- Rendering ---------------------------------------------------------------------------------------------------------

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
    snapshot: snapshot.Snapshot | None = None
    csp: str = ""
    seconds: float = 0.0


class Renderer:
    """Jinja environment + Markdown, for one language and one result (the default scenario)."""

    def __init__(self, lang: str, state: dict):
        import jinja2
        import markdown
        from markupsafe import Markup, escape

        from calculator import compare, cost, gpus, schema, speed
        from calculator.words import log as log_words

        self.Markup, self.escape = Markup, escape
        self.lang = lang
        self.state = state
        self.result = state["result"]
        self.ui = content.ui(lang)
        self.md = markdown.Markdown(extensions=["tables", "sane_lists", "smarty"], output_format="html")
        self.blocks: dict[str, str] = {}
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      keep_trailing_newline=False)
        self._scenarios: dict[tuple, dict] = {}
        self.env.globals.update(
            out=self.out, show_when=self.show_when, verdict_from=self.verdict_from, scenario=self.scenario,
            block=self.block, gpus=gpus, schema=schema, constants=speed.CONSTANTS, ui=self.ui,
            r=self.result, field_text=self.field_text, **languages.template_globals(lang, self.ui),
            gpu_rows=self.gpu_rows, short_gpu_name=page_config.short_gpu_name, log_limits=page_config.log_limits,
            gpu_compare=self.gpu_compare, compare_text=self.compare_text, price_table=cost.price_table,
            price_about=cost.ABOUT, log_formats=lambda: log_words.formats(lang), node_counts=compare.NODE_COUNTS,
        )

    # -- Jinja globals --
    def out(self, path: str, tag: str = "span", cls: str = "", render: str = "text", text: str = "") -> Any:
        """A live value: <span data-output=path data-value=JSON>text</span>, pre-filled with the build-time value.
        text="params_exact": show result["text"]["params_exact"] for the value at "params" (data-text)."""
        value = resolve(self.result, path)
        if path.split(".")[0] not in self.result:
            raise BuildError(f"out({path!r}): not a key of calculator.estimate's result")
        if text and value is not None and python_text(self.result, text) is None:
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
        from calculator import estimate, words

        key = tuple(sorted(inputs.items()))
        if key not in self._scenarios:
            self._scenarios[key] = words.estimate(estimate(**inputs), self.lang)
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

            self.state["gpu_compare"] = json.loads(web.compare_gpus(self.state.get("query") or "", self.lang))
        return self.state["gpu_compare"]

    def compare_text(self, path: str, tag: str = "span") -> Any:
        """A sentence of the GPU comparison: <span data-compare=path>Python's text</span>, refilled live."""
        value = resolve(self.gpu_compare(), path)
        if value is not None and not isinstance(value, str):
            raise BuildError(f"compare_text({path!r}): not a text of calculator.web.compare_gpus")
        hidden = "" if value else " hidden"
        return self.Markup(f'<{tag} data-compare="{self.escape(path)}"{hidden}>{self.escape(value or "")}</{tag}>')

    def block(self, name: str, **kw: Any) -> str:
        """A block of HTML (a table, the calculator) inside Markdown: rendered from templates/blocks/<name>.html.j2
        and swapped in after Markdown, so Markdown never touches it."""
        token = f"BLOCK{len(self.blocks):04d}X"
        self.blocks[token] = self.env.get_template(f"blocks/{name}.html.j2").render(**kw)
        return f"\n\n{token}\n\n"

    @staticmethod
    def field_text(f: Any, value: Any) -> str:
        """A field's value as the form shows it: calculator.web.field_text, the text the live page fills in too."""
        from calculator import web

        return web.field_text(f, value)

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
        return [Section(id=meta["id"], title=meta["title"], html=self.markdown(self.env.from_string(body).render()),
                        toc=meta.get("toc", meta["title"]), include=meta.get("include", ""))
                for meta, body in content.sections(self.lang)]

    def page(self, **context: Any) -> str:
        return self.env.get_template("page.html.j2").render(lang=self.lang, sections=self.sections(), **context)


def _asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


# -- The Content-Security-Policy ---------------------------------------------------------------------------------------

def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def csp_source(url: str) -> str:
    """The CSP source expression for where Pyodide lives: 'self' for a relative URL, else scheme://host[:port]/path/
    (a path ending in / matches everything below it)."""
    if "://" not in url:
        return "'self'"
    return url if url.endswith("/") else url + "/"


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
                load_timeout_ms: int = LOAD_TIMEOUT_MS, snapshot_spec: dict | None = None) -> tuple[str, str]:
    """The HTML of one language's page, and its CSP. snapshot_spec: where the page finds the Python snapshot
    ({"url", "integrity"} relative to the site's root; None: the page boots without one)."""
    from calculator import gpus, schema, web

    r = Renderer(lang, state)
    result = state["result"]
    head_js = _asset("messages.js") + _asset("head.js")  # the worker's message types, then the head script
    body_js = [_asset(name) for name in BODY_SCRIPTS]
    css = _asset("style.css")
    worker_js = _asset("messages.js") + _asset("worker.js")
    uplot_css = bundle.uplot_assets()[1]
    uplot_js = bundle.uplot_script()
    config = page_config.page_config(lang, r.ui, pyodide_url if "://" in pyodide_url else base + pyodide_url,
                                     load_timeout_ms)
    package_b64 = base64.b64encode(bundle.package_zip()).decode("ascii")
    if snapshot_spec:
        package = snapshot_spec.get("package")
        snapshot_spec = {k: v for k, v in snapshot_spec.items() if k != "package"}
        config["snapshot"] = {**snapshot_spec, "url": base + snapshot_spec["url"]} if "url" in snapshot_spec \
            else snapshot_spec
        if package:  # the package is inside the snapshot; the page fetches the zip only if it boots without it
            config["package"] = {**package, "url": base + package["url"]}
            package_b64 = ""
    script_hashes = [csp_hash(head_js), csp_hash(uplot_js), *(csp_hash(js) for js in body_js)]
    csp = build_csp(config["pyodide"]["url"], script_hashes, [csp_hash(css), csp_hash(uplot_css)])
    html = r.page(
        csp=csp, head_js=head_js, body_js=body_js, css=css, uplot_js=uplot_js, uplot_css=uplot_css,
        uplot_version=bundle.uplot_version(), gpu_rows_json=page_config.script_json(r.gpu_rows()),
        worker_js=worker_js, config_json=page_config.script_json(config),
        package_b64=package_b64, state=state, result=result,
        fields=schema.FIELDS, groups=languages.groups(lang), gpu_list=gpus.list_gpus(),
        apple_list=list(gpus.DEVICES.values()), catalogue=gpus.CATALOGUE, preset_list=web.preset_choices(),
        arch_fields=web.ARCH_FIELDS, parts=state.get("show") or web.show_parts(result["inputs"]),
        pyodide_version=bundle.pyodide_version(),
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


def build_standalone(out: Path | str, lang: str = "", load_timeout_ms: int = LOAD_TIMEOUT_MS,
                     with_snapshot: bool = True) -> Path:
    """Write one language's page (default: the first) with Pyodide inlined into one file (sitebuild/standalone.py),
    and the Python snapshot too unless with_snapshot is False."""
    lang, state = standalone.language(lang)
    snap = snapshot.snapshot() if with_snapshot else None
    spec = {"inline": standalone.SNAPSHOT_BLOCK, "integrity": snap.integrity} if snap else None
    html, csp = render_page(lang, state, standalone.INLINE_BASE, load_timeout_ms=load_timeout_ms, snapshot_spec=spec)
    check_placeholders(html)
    return standalone.write(out, html, csp, snap.gz if snap else None)


def build(out: Path | str = ROOT / "site", pyodide_url: str | None = None, vendor: bool = False,
          quiet: bool = True, load_timeout_ms: int = LOAD_TIMEOUT_MS, with_snapshot: bool | None = None) -> BuildResult:
    """Write the site into `out` (replaced). Returns what was written. load_timeout_ms: how long the page waits
    for Python before it says the live calculator is unavailable (the tests shorten it). with_snapshot: write the
    Python snapshot beside the pages (default: when Pyodide is vendored, the build the Pages workflow publishes; a
    snapshot fits one exact Pyodide build, and a vendored site serves that build itself)."""
    t0 = time.perf_counter()
    out = Path(out)
    if vendor and pyodide_url:
        raise BuildError("--vendor-pyodide and --pyodide-url exclude each other")
    url = "pyodide/" if vendor else (pyodide_url or bundle.cdn_url())
    if "://" in url and not url.endswith("/"):
        url += "/"
    state = page_config.default_state()
    snap = snapshot.snapshot() if (vendor if with_snapshot is None else with_snapshot) else None
    package = bundle.package_zip()
    package_name = f"calculator-{hashlib.sha256(package).hexdigest()[:16]}.zip"
    # With a snapshot the calculator is already in Python's memory: the zip is a file beside it, fetched only when
    # the page has to boot without the snapshot (so the page itself does not carry it: about 107 KB gzipped less).
    spec = {"url": f"{SNAPSHOT_DIR}/{snap.name}", "integrity": snap.integrity,
            "package": {"url": f"{SNAPSHOT_DIR}/{package_name}", "integrity": bundle.sri(package)}} if snap else None

    if out.exists():
        resolved = out.resolve()
        if resolved in (ROOT, *ROOT.parents, Path.home()) or (any(out.iterdir()) and
                                                               not (out / ".nojekyll").exists()):
            raise BuildError(f"refusing to replace {out}: it is not empty and not a previous build (no .nojekyll)")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / ".nojekyll").write_text("", encoding="utf-8")
    res = BuildResult(out=out, pyodide_url=url, vendored=vendor, snapshot=snap)
    for i, lang in enumerate(content.languages()):
        target = out if i == 0 else out / lang
        target.mkdir(parents=True, exist_ok=True)
        page_state = state if i == 0 else page_config.default_state(lang)  # the same values, in its language
        html, csp = render_page(lang, page_state, url, base="" if i == 0 else "../", load_timeout_ms=load_timeout_ms,
                                snapshot_spec=spec)
        check_placeholders(html)
        (target / "index.html").write_text(html, encoding="utf-8")
        res.pages.append(target / "index.html")
        res.csp = res.csp or csp
    if vendor:
        (out / "pyodide").mkdir()
        for name in bundle.VENDOR_FILES:
            shutil.copyfile(bundle.pyodide_file(name), out / "pyodide" / name)
    if snap:
        (out / SNAPSHOT_DIR).mkdir()
        (out / SNAPSHOT_DIR / snap.name).write_bytes(snap.gz)
        (out / SNAPSHOT_DIR / package_name).write_bytes(package)
    res.seconds = time.perf_counter() - t0
    if not quiet:
        size = sum(p.stat().st_size for p in res.pages)
        source = f"{out / 'pyodide'}/ (vendored)" if vendor else url
        snap_note = (f"; Python snapshot {SNAPSHOT_DIR}/{snap.name} ({len(snap.gz) / 1e6:.1f} MB gzipped, "
                     f"{snap.raw_size / 1e6:.1f} MB raw)" if snap else "")
        print(f"build.py: wrote {', '.join(str(p.relative_to(out)) for p in res.pages)} into {out}/ "
              f"({size / 1024:.0f} KB) in {res.seconds:.2f} s; Pyodide {bundle.pyodide_version()} from {source}"
              f"{snap_note}")
    return res


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python build.py", description="\n\n".join(__doc__.split("\n\n")[1:2]),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", help="output folder (default: site/; replaced); with --standalone, the file")
    p.add_argument("--pyodide-url", metavar="URL",
                   help=f"where the page loads Pyodide from (default: {bundle.cdn_url()}); must send CORS headers")
    p.add_argument("--vendor-pyodide", action="store_true",
                   help="copy Pyodide from node_modules/pyodide into <out>/pyodide/ and load it from there")
    p.add_argument("--standalone", nargs="?", const="", metavar="LANG", help="write one HTML file with Pyodide inside, "
                   f"which computes offline from disk (default: {standalone.DEFAULT_NAME}; LANG: default the first)")
    p.add_argument("--serve", action="store_true", help="after building, serve <out> on http://127.0.0.1:PORT/ "
                                                        "(with Pyodide from node_modules, so offline, unless --cdn)")
    p.add_argument("--cdn", action="store_true", help="with --serve: load Pyodide from the CDN, not node_modules")
    p.add_argument("--port", type=int, default=8000, help="port for --serve (default 8000)")
    p.add_argument("--load-timeout", type=float, default=LOAD_TIMEOUT_MS / 1000, metavar="SECONDS",
                   help="how long the page waits for Python before showing the fallback (default %(default)g)")
    p.add_argument("--no-snapshot", action="store_true",
                   help="leave out the Python memory snapshot the page boots from (vendored builds and --standalone "
                        "carry one, made with Node; the page then starts Python and imports the calculator itself)")
    p.add_argument("--check-cdn", action="store_true",
                   help="also download Pyodide's files from the Pyodide URL and check they match node_modules "
                        "(what the page's integrity checks will expect); needs the network")
    a = p.parse_args(argv)
    timeout_ms, vendor = int(a.load_timeout * 1000), a.vendor_pyodide or (a.serve and not (a.cdn or a.pyodide_url))
    if a.standalone is not None and (a.serve or a.vendor_pyodide or a.pyodide_url or a.cdn):
        p.error("--standalone carries Pyodide inside the file: no --serve, --vendor-pyodide, --pyodide-url, --cdn")
    try:
        if a.standalone is not None:
            path = build_standalone(a.out or ROOT / standalone.DEFAULT_NAME, a.standalone, load_timeout_ms=timeout_ms,
                                    with_snapshot=not a.no_snapshot)
            print(f"build.py: wrote {path} ({path.stat().st_size / 1e6:.1f} MB); open it in a browser, no server")
            return 0
        res = build(a.out or ROOT / "site", pyodide_url=a.pyodide_url, vendor=vendor, quiet=False,
                    load_timeout_ms=timeout_ms, with_snapshot=False if a.no_snapshot else None)
    except BuildError as e:
        print(f"build.py: {e}", file=sys.stderr)
        return 1
    if a.check_cdn and not vendor and not bundle.report_cdn(res.pyodide_url):
        return 1
    if a.serve:
        devserver.serve(res.out, a.port, note="" if vendor else f"Pyodide comes from {res.pyodide_url}; without --cdn "
                                                              "it is served from node_modules (offline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
