"""Shared fixtures for the browser tests: one Chromium, one vendored build served on 127.0.0.1, and a stand-in CDN,
each started once per session (see tests/browser_helpers.py)."""

from __future__ import annotations

import pytest

import browser_helpers as bh


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium (Playwright). Skips only when no Chromium at all is available."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("python playwright is not installed (pip install -r requirements-dev.txt)")
    pw = sync_playwright().start()
    try:
        browser = bh.launch(pw)
    except PlaywrightError as e:
        pw.stop()
        if bh.chromium_path() is None and "Executable doesn't exist" in str(e):
            pytest.skip("no Chromium: install Debian's chromium (apt-get install chromium), set CHROMIUM_PATH, or "
                        "run `python -m playwright install chromium`")
        raise
    yield browser
    browser.close()
    pw.stop()


def _need_pyodide() -> None:
    if not (bh.PYODIDE_DIR / "pyodide.asm.wasm").exists():
        pytest.skip("node_modules/pyodide is missing: run `npm ci`")


@pytest.fixture(scope="session")
def vendored_site(tmp_path_factory):
    """The site built with --vendor-pyodide, served on 127.0.0.1: (base URL, output folder)."""
    import build
    from sitebuild import devserver

    _need_pyodide()
    out = tmp_path_factory.mktemp("site-vendored")
    build.build(out, vendor=True)
    server, url = devserver.serve_in_thread(out)
    yield url, out
    server.shutdown()


@pytest.fixture(scope="session")
def short_timeout_site(tmp_path_factory):
    """Like vendored_site, with a 4-second load limit, for the tests where Pyodide never arrives."""
    import build
    from sitebuild import devserver

    _need_pyodide()
    out = tmp_path_factory.mktemp("site-short-timeout")
    build.build(out, vendor=True, load_timeout_ms=4000)
    server, url = devserver.serve_in_thread(out)
    yield url, out
    server.shutdown()


@pytest.fixture(scope="session")
def fake_cdn():
    """node_modules/pyodide served with Access-Control-Allow-Origin: *, as a CDN serves it (another origin)."""
    from sitebuild import devserver

    _need_pyodide()
    server, url = devserver.serve_in_thread(bh.PYODIDE_DIR, cors=True)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def file_site(tmp_path_factory, fake_cdn):
    """The site built with --pyodide-url pointing at the fake CDN, to be opened from disk: its file:// URL."""
    import build

    out = tmp_path_factory.mktemp("site-file")
    build.build(out, pyodide_url=fake_cdn)
    return (out / "index.html").as_uri()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the built page in headless Chromium (tests/test_browser.py)")


def pytest_terminal_summary(terminalreporter):
    """The fuzz tests' counts of hostile inputs per entry point (tests/fuzz_counts.py), when any ran."""
    import sys

    counts = sys.modules.get("fuzz_counts")
    line = counts.summary() if counts else ""
    if line:
        terminalreporter.write_line(line)
