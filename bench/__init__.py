"""The page's performance benchmark: `python -m bench [--runs N] [--json PATH]` (see bench/run.py, and README.md,
section "Performance").

It builds the site with --vendor-pyodide into a temporary folder, serves it on 127.0.0.1 (gzip on, as GitHub Pages
serves text), and measures the page in headless Chromium beside bare loadPyodide() reference pages written into the
same folder, in the same run. It prints a table (figure, ours, reference, target, pass/fail) and exits 1 when a
target is missed, so it can be run as a check.
"""
