"""Regenerate the README's generated blocks from the schema and the fitted model, so the docs can't drift:

    python -m tools.docs          # rewrite README.md in place
    python -m tools.docs --check  # exit 1 if README.md is stale (tests/test_docs.py runs this)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calculator import schema, speed  # noqa: E402

README = ROOT / "README.md"


def inputs_table() -> str:
    lines = ["| input | group | default | allowed | meaning |", "|---|---|---|---|---|"]
    for f in schema.FIELDS:
        default = "(none)" if f.default is None else f"`{json.dumps(f.default)}`"
        lines.append(f"| `{f.name}` | {schema.GROUPS[f.group]} | {default} | {f.range_text()} | {f.help} |")
    return "\n".join(lines)


def calibration_table() -> str:
    c = speed.CONSTANTS
    lines = ["| held-out point | measured | model | error |", "|---|---|---|---|"]
    for h in c["fit"]["held_out"]:
        lines.append(f"| {h['name']} | {h['measured_s']:.4g} s | {h['predicted_s']:.4g} s | {h['error']:+.1%} |")
    lines.append(f"\nMean absolute error on the held-out points: {c['fit']['held_out_mean_abs_error']:.1%}. "
                 f"MFU range shown on the page: model x {c['mfu_range'][0]} to x {c['mfu_range'][1]}.")
    mem = c["memory"]["errors"]
    lines.append("\nMemory model against `peak_mem_gib` (fitted on seed40m compile, shakespeare_char and the eager "
                 "run; held out: " + ", ".join(c["memory"]["held_out"]) + "): " +
                 ", ".join(f"{k} {v:+.1%}" for k, v in mem.items()) + ".")
    w = c["warmup"]
    lines.append("\nFirst-iteration compile model (fitted on the 6- and 12-layer compile runs), held out: " +
                 ", ".join(f"{k} {v:+.1%}" for k, v in w["held_out"].items()) + ".")
    return "\n".join(lines)


BLOCKS = {"inputs": inputs_table, "calibration": calibration_table}


def render(text: str) -> str:
    for name, fn in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md lacks the <!-- {name}:start --> ... <!-- {name}:end --> block")
        text = pattern.sub(lambda m, fn=fn: m.group(1) + fn() + "\n" + m.group(2), text)
    return text


def main(argv: list[str]) -> int:
    old = README.read_text(encoding="utf-8")
    new = render(old)
    if "--check" in argv:
        if new != old:
            print("README.md is stale: run python -m tools.docs")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
