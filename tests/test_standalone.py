"""Opening the estimator with no network: the standalone file (`python build.py --standalone`) from file://, and
`python build.py --serve` (Pyodide served from node_modules by default).

Each browser test blocks every request that is not to the page's own place (file://, or the local server), so a
page that reached for a CDN would fail here rather than work by luck on a connected machine.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import socket
import subprocess
import sys
import time

import pytest

import browser_helpers as bh
from said import estimate
from sitebuild import bundle, standalone

ROOT = bh.ROOT


def block_network(context, allowed: str) -> list[str]:
    """Abort every request whose URL does not start with `allowed`; returns the list of blocked URLs."""
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(allowed):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


def blocks(html: str) -> dict[str, str]:
    return dict(re.findall(r'<script type="application/octet-stream" id="([^"]+)">([^<]*)</script>', html))


def test_standalone_file_carries_pyodide_and_its_hashes(standalone_file):
    html = standalone_file.read_text(encoding="utf-8")
    config = json.loads(re.search(r'id="estimator-config">(.*?)</script>', html, re.S).group(1))
    found = blocks(html)
    assert config["pyodide"]["inline"] == standalone.INLINE_FILES
    for name, block in standalone.INLINE_FILES.items():
        data = base64.b64decode(found[block])
        assert data == (bh.PYODIDE_DIR / name).read_bytes(), name
        digest = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
        assert config["pyodide"]["files"][name] == digest, name
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html).group(1)
    directives = {d.split()[0]: d.split()[1:] for d in csp.replace("&#39;", "'").split("; ")}
    assert directives["connect-src"] == ["blob:"]  # no network at all
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert not any("://" in s for sources in directives.values() for s in sources), csp


def test_standalone_file_links_nowhere_beside_itself(standalone_file):
    """Nothing beside the file exists when it is opened from disk: every link is within the page or absolute (the
    other languages' pages are served pages, so their links are not in it)."""
    html = standalone_file.read_text(encoding="utf-8")
    targets = re.findall(r'\b(?:href|src)="([^"]*)"', html)
    assert targets and all(t.startswith(("#", "https://", "http://", "data:", "mailto:")) for t in targets), \
        sorted({t for t in targets if not t.startswith(("#", "https://", "http://", "data:", "mailto:"))})
    assert "hreflang" not in html


def test_standalone_of_an_unknown_language_is_refused(tmp_path):
    p = subprocess.run([sys.executable, "build.py", "--standalone", "xx", "--out", str(tmp_path / "x.html")], cwd=ROOT,
                       capture_output=True, text=True)
    assert p.returncode == 1 and "--standalone xx: not a language" in p.stderr and not (tmp_path / "x.html").exists()


def test_standalone_file_computes_offline_from_disk(chromium, standalone_file):
    context = chromium.new_context()
    blocked = block_network(context, "file://")
    page = context.new_page()
    watch = bh.PageWatch(page)
    try:
        page.goto(standalone_file.as_uri())
        bh.wait_state(page, "ready")
        assert bh.mismatches(page, estimate()) == []
        bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
        bh.change(page, lambda: page.select_option("[name=gpu]", "rtx-4090"))
        assert bh.mismatches(page, estimate(n_layer=24, gpu="rtx-4090")) == []
        assert blocked == []
        watch.assert_clean()
    finally:
        context.close()


def test_standalone_file_refuses_a_tampered_runtime(chromium, standalone_file, tmp_path):
    html = standalone_file.read_text(encoding="utf-8")
    block = standalone.INLINE_FILES["pyodide.asm.wasm"]
    data = bytearray(base64.b64decode(blocks(html)[block]))
    data[len(data) // 2] ^= 0xFF
    tampered = tmp_path / "tampered.html"
    start = html.index(f'id="{block}">') + len(f'id="{block}">')
    end = html.index("</script>", start)
    tampered.write_text(html[:start] + base64.b64encode(bytes(data)).decode() + html[end:], encoding="utf-8")
    context = chromium.new_context()
    block_network(context, "file://")
    page = context.new_page()
    try:
        page.goto(tampered.as_uri())
        bh.wait_state(page, "unavailable")
        reason = page.locator("#unavailable-reason").text_content()
        assert "do not match" in reason and "pyodide.asm.wasm" in reason and "blob:" not in reason, reason
        assert bh.mismatches(page, estimate()) == []  # the pre-rendered numbers stay
    finally:
        context.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serving:
    """`python build.py --serve --port N --out DIR [extra]` in a subprocess, until it says where it serves."""

    def __init__(self, out, *extra: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.proc = subprocess.Popen([sys.executable, "build.py", "--serve", "--port", str(self.port), "--out",
                                      str(out), *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        self.lines: list[str] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any(line.startswith("Serving") for line in self.lines):
            line = self.proc.stdout.readline()
            if not line:
                break
            self.lines.append(line)
        if not any(line.startswith("Serving") for line in self.lines):
            self.close()
            raise AssertionError("build.py --serve did not start: " + "".join(self.lines))
        if extra:  # the note about where Pyodide comes from follows the Serving line
            self.lines.append(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def test_serve_works_with_the_network_blocked(chromium, tmp_path):
    if not (bh.PYODIDE_DIR / "pyodide.asm.wasm").exists():
        pytest.skip("node_modules/pyodide is missing: run `npm ci`")
    server = Serving(tmp_path / "s")
    try:
        assert (tmp_path / "s" / "pyodide" / "pyodide.asm.wasm").exists()
        context = chromium.new_context()
        blocked = block_network(context, server.base)
        page = context.new_page()
        watch = bh.PageWatch(page)
        try:
            page.goto(server.base + "?n_layer=8")
            bh.wait_state(page, "ready")
            assert bh.mismatches(page, estimate(n_layer=8)) == []
            assert blocked == []
            watch.assert_clean()
        finally:
            context.close()
    finally:
        server.close()


def test_serve_with_cdn_leaves_pyodide_to_the_cdn(tmp_path):
    server = Serving(tmp_path / "s", "--cdn")
    try:
        assert not (tmp_path / "s" / "pyodide").exists()
        assert bundle.cdn_url() in "".join(server.lines)
        config = re.search(r'id="estimator-config">(.*?)</script>', (tmp_path / "s" / "index.html").read_text(), re.S)
        assert json.loads(config.group(1))["pyodide"]["url"] == bundle.cdn_url()
    finally:
        server.close()


def test_build_help_renders_and_standalone_refuses_server_flags():
    ok = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0 and "--standalone" in ok.stdout and "--cdn" in ok.stdout, ok.stderr
    bad = subprocess.run([sys.executable, "build.py", "--standalone", "--serve"], cwd=ROOT, capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "--standalone carries Pyodide" in bad.stderr and "Traceback" not in bad.stderr


def test_standalone_in_another_language_computes_offline(chromium, tmp_path):
    from sitebuild import content

    other = content.languages()[1:]
    if not other:
        pytest.skip("one language only")
    out = tmp_path / f"estimator.{other[0]}.html"
    subprocess.run([sys.executable, "build.py", "--standalone", other[0], "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    html = out.read_text(encoding="utf-8")
    assert f'<html lang="{other[0]}"' in html and "hreflang" not in html
    context = chromium.new_context()
    blocked = block_network(context, "file://")
    page = context.new_page()
    watch = bh.PageWatch(page)
    try:
        page.goto(out.as_uri())
        bh.wait_state(page, "ready")
        bh.change(page, lambda: page.fill("[name=n_layer]", "24"))
        value = page.locator("[data-output=ms_per_iter]").first.get_attribute("data-value")
        assert float(value) == estimate(n_layer=24)["ms_per_iter"]
        assert blocked == []
        watch.assert_clean()
    finally:
        context.close()
