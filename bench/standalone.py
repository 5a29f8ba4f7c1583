"""python -m bench.standalone [--runs N]: the standalone file (build.py --standalone) opened from file://, against the
served page (build.py --vendor-pyodide on 127.0.0.1, text gzipped as GitHub Pages serves it).

Each run is a cold load of each, in alternating order, each in a fresh Chromium process (bench.run.cold_load: first
contentful paint, data-state="ready", blocking time). Also prints the file's size, raw and gzipped (level 6, as a
web server would send it), beside what the served page, its Pyodide and its Python snapshot weigh on disk. Both
boot from the snapshot (docs/site.md); `python -m bench` measures them in one run with the rest.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
from pathlib import Path

import build
from bench.run import cold_load, log
from sitebuild import bundle, devserver, standalone


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, compresslevel=6, mtime=0))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.standalone", description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5, help="cold loads of each page (default 5)")
    a = p.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site, single = Path(tmp) / "site", Path(tmp) / "estimator.html"
        res = build.build(site, vendor=True)
        build.build_standalone(single)
        server, url = devserver.serve_in_thread(site, gzip=True)
        loads: dict[str, list[dict]] = {"served": [], "standalone": []}
        try:
            with sync_playwright() as pw:
                for i in range(a.runs):
                    order = ["served", "standalone"] if i % 2 == 0 else ["standalone", "served"]
                    for name in order:
                        loads[name].append(cold_load(pw, url if name == "served" else single.as_uri()))
                        log(f"run {i + 1}/{a.runs} {name}: ready {loads[name][-1]['ready_ms']:.0f} ms")
        finally:
            server.shutdown()
        raw, gz = sizes(single)
        page_raw, page_gz = sizes(site / "index.html")
        pyodide_raw = sum(bundle.pyodide_file(n).stat().st_size for n in standalone.INLINE_FILES)
        snap = len(res.snapshot.gz) if res.snapshot else 0
    print(f"standalone file: {raw / 1e6:.1f} MB raw, {gz / 1e6:.1f} MB gzipped; served page {page_raw / 1e3:.0f} KB "
          f"({page_gz / 1e3:.0f} KB gzipped) + Pyodide's files {pyodide_raw / 1e6:.1f} MB + the Python snapshot "
          f"{snap / 1e6:.1f} MB (gzipped)")
    print(f"{'median of ' + str(a.runs) + ' cold loads':<34}{'served (http)':>16}{'standalone (file://)':>22}")
    for key, label in (("fcp_ms", "first contentful paint"), ("ready_ms", "ready (data-state)"),
                       ("tbt_ms", "total blocking time"), ("longest_task_ms", "longest main-thread task")):
        served = statistics.median(x[key] for x in loads["served"])
        alone = statistics.median(x[key] for x in loads["standalone"])
        print(f"{label:<34}{served:>13,.0f} ms{alone:>19,.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
