"""Regenerate the docs' generated blocks from the schema and the fitted model, so the docs can't drift:

    python -m tools.docs          # rewrite them: the inputs table (docs/cli.md), the calibration (docs/model.md),
                                  # the model presets (docs/models.md)
    python -m tools.docs --check  # exit 1 if one is stale (tests/test_docs.py checks the same)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calculator import arch, presets, schema, speed  # noqa: E402

DOCS = ROOT / "docs"


def inputs_table() -> str:
    lines = ["| input | group | default | allowed | meaning |", "|---|---|---|---|---|"]
    for f in schema.FIELDS:
        default = "(none)" if f.default is None else f"`{json.dumps(f.default)}`"
        lines.append(f"| `{f.name}` | {schema.GROUPS[f.group]} | {default} | {f.range_text()} | {f.help} |")
    return "\n".join(lines)


def calibration_table() -> str:
    c = speed.CONSTANTS
    fit = c["fit"]
    lines = ["| measurement | used | step measured | model | error | iteration 0 measured | model | error |",
             "|---|---|---|---|---|---|---|---|"]
    for family, summary in fit["families"].items():
        lines.append(f"| **{family}** (mean {summary['mean_abs_error']:.1%}, largest {summary['max_abs_error']:.1%}) "
                     "| | | | | | | |")
        for t in fit["measurements"]:
            if t["family"] != family:
                continue
            first = (f"{t['first_measured_s']:.3g} s | {t['first_predicted_s']:.3g} s | {t['first_error']:+.1%}"
                     if t.get("first_error") is not None else "| |")
            lines.append(f"| {t['name']} | {'held out' if t['held_out'] else 'fitted'} | {t['measured_s']:.4g} s | "
                         f"{t['predicted_s']:.4g} s | {t['error']:+.1%} | {first} |")
    lines.append("\nLeave one card out (each card predicted from its class fitted without it): " +
                 ", ".join(f"{x['name']} {x['error']:+.1%}" for x in fit["leave_one_card_out"]) + ".")
    others = [h for h in fit["held_out"] if h.get("source") or "eval forward" in h["name"]]
    lines.append("\nOther held-out checks: " + "; ".join(
        f"{h['name']}: {h['error']:+.1%}" + (" (superseded by a direct measurement)" if h.get("superseded_by") else "")
        for h in others) + ".")
    r = c["mfu_range"]
    if fit.get("old_torch_point"):
        o = fit["old_torch_point"]
        k = c["torch"]["old_inductor_factor"]
        lines.append(f"\nFitted on a PyTorch 2.0 run (old_inductor_factor {k:.2f} on the "
                     f"traffic and launches of 2.0 and 2.1): {o['name']}: {o['error']:+.1%}.")
    lines.append(f"\nMean absolute error on everything held out: {fit['held_out_mean_abs_error']:.1%}. MFU range shown "
                 f"on the page: model x {r['card'][0]} to x {r['card'][1]} on a measured card, "
                 + ", ".join(f"x {v[0]} to x {v[1]} on other {k} cards" for k, v in r["classes"].items())
                 + f", x {r['default'][0]} to x {r['default'][1]} elsewhere.")
    mem = c["memory"]["errors"]
    lines.append("\nMemory model against `peak_mem_gib` (fitted on seed40m compile, shakespeare_char and the eager "
                 "run; held out: " + ", ".join(c["memory"]["held_out"]) + "): " +
                 ", ".join(f"{k} {v:+.1%}" for k, v in mem.items()) + ".")
    return "\n".join(lines)


def multigpu_table() -> str:
    """The many-GPU model against every published row (tools/calibration_parallel.py), per source."""
    p = speed.CONSTANTS["parallel"]
    fit = p["fit"]
    rows = fit["rows"]
    lines = ["| source | rows (held out) | median error | largest | within 25% "
             "| flat 40% MFU: median, within 25% | their MFU / ours |", "|---|---|---|---|---|---|---|"]
    for src, x in fit["sources"].items():
        f = x["mfu_factor"]
        factor = f"{f[0]:.3f} to {f[1]:.3f}" if f else "n/a"
        lines.append(f"| {src} | {x['rows']} ({x['held_out']}) | {x['median_abs_error']:.1%} | "
                     f"{x['max_abs_error']:.1%} | {x['within_25']} of {x['rows']} | "
                     f"{x['flat40_median_abs_error']:.1%}, {x['flat40_within_25']} of {x['rows']} | {factor} |")
    n = len(rows)
    ok = sum(abs(t["error"]) <= 0.25 for t in rows)
    held = [abs(t["error"]) for t in rows if t["held_out"]]
    flat = sum(abs(t["flat40_error"]) <= 0.25 for t in rows)
    lines.append(f"\nAll {n} rows: {ok} within 25% of the published tokens/s per GPU (a flat 40% MFU: {flat}); the "
                 f"{len(held)} held out: largest error {max(held):.1%}. Fitted: tp_overlap {p['tp_overlap']:.2f}, "
                 f"fsdp_overlap {p['fsdp_overlap']:.2f}.\n")
    lines += ["| row | used | bound | tokens/s/GPU published | model | error | MFU theirs | ours |",
              "|---|---|---|---|---|---|---|---|"]
    for t in rows:
        pub = f"{t['mfu_published']:.1%}" if t["mfu_published"] else "none"
        lines.append(f"| {t['name']} | {'held out' if t['held_out'] else 'fitted'} | {t['bound']} | "
                     f"{t['measured']:,.0f} | {t['predicted']:,.0f} | {t['error']:+.1%} | {pub} | "
                     f"{t['mfu_ours']:.1%} |")
    lines.append("\nHow each source counts MFU, and what was assumed where a row is silent:\n")
    for src, x in fit["sources"].items():
        lines.append(f"- **{src}**: {x['mfu_definition']} Assumed: {fit['assumed'][src]}.")
    return "\n".join(lines)


def models_table() -> str:
    """The presets (calculator/data/models.json): the sizes, the count calculator.arch gives and the stated one."""
    lines = ["| id | model | type | layers | heads (KV) | width | MLP | vocab | tied | parameters | stated | config |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, p in presets.PRESETS.items():
        c = p["config"]
        a = arch.from_inputs(schema.validate(c))
        stated = p.get("params_stated")
        if stated:
            check = f"[{stated['as_stated']}]({stated['where'].split()[0]}) ({p['params'] / stated['count'] - 1:+.2%})"
        else:
            check = "see below"
        memory = " (recalled)" if "recalled from memory, not read" in p["source"] else \
            " (partly recalled)" if "recalled" in p["source"] else ""
        lines.append(f"| `{key}` | {p['name']} | {a.model_type} | {a.n_layer} | {a.n_head} ({a.kv_heads}) | "
                     f"{a.n_embd} | {a.ffn} | {a.vocab_size} | {'yes' if a.tied else 'no'} | {p['params']:,} | "
                     f"{check} | [config.json]({p['source'].split()[0]}){memory} |")
    notes = [f"- `{key}`: {p['params_note']}" for key, p in presets.PRESETS.items() if p.get("params_note")]
    return "\n".join(lines + [""] + notes)


# Each generated block, the document that holds it, and what writes it.
BLOCKS = {"inputs": (DOCS / "cli.md", inputs_table), "calibration": (DOCS / "model.md", calibration_table),
          "multigpu": (DOCS / "model.md", multigpu_table), "models": (DOCS / "models.md", models_table)}


def render(text: str, path: Path) -> str:
    """`text` (the document at `path`) with each of its generated blocks rewritten."""
    for name, (where, fn) in BLOCKS.items():
        if where != path:
            continue
        pattern = re.compile(rf"(<!-- {name}:start -->\n)(?:.*?\n)?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"{path.name} lacks the <!-- {name}:start --> ... <!-- {name}:end --> block")
        text = pattern.sub(lambda m, fn=fn: m.group(1) + fn() + "\n" + m.group(2), text)
    return text


def documents() -> list[Path]:
    return sorted({where for where, _ in BLOCKS.values()})


def main(argv: list[str]) -> int:
    stale = []
    for path in documents():
        old = path.read_text(encoding="utf-8")
        new = render(old, path)
        if new != old:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(new, encoding="utf-8")
    if "--check" in argv and stale:
        print("stale: " + ", ".join(str(p.relative_to(ROOT)) for p in stale) + "; run python -m tools.docs")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
