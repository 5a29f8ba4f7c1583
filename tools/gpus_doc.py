"""Write docs/gpus.md, the GPU catalogue with every figure's source, from calculator/data/gpus.json:

    python -m tools.gpus_doc          # rewrite docs/gpus.md
    python -m tools.gpus_doc --check  # exit 1 if docs/gpus.md is stale (tests/test_gpus.py runs this)
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calculator import gpus  # noqa: E402

DOC = ROOT / "docs" / "gpus.md"

INTRO = """# GPU catalogue

Generated from `calculator/data/gpus.json` by `python -m tools.gpus_doc`; do not edit by hand.

The estimator divides a run's work by a GPU's **dense peak for the run's dtype**. For `bfloat16` and `float16` that
is the tensor-core rate **with FP32 accumulate**, because that is what PyTorch autocast matmuls (and so nanoGPT) use.
For `float32` it is the TF32 tensor rate (nanoGPT sets `allow_tf32=True`), or plain FP32 where the GPU has no TF32.

## The FP32-accumulate pitfall

NVIDIA's architecture whitepapers print two FP16 tensor rows: "Peak FP16 Tensor TFLOPS with FP16 Accumulate" and
"... with FP32 Accumulate". **GeForce cards run FP32 accumulate at half the FP16-accumulate rate**; workstation
(RTX A / Ada / PRO) and datacenter cards run both at the full rate. Marketing pages and many peer tools quote the
FP16-accumulate (or the sparse) figure, which for a GeForce card is 2x (or 4x) what a bf16 training step can reach.
Examples from the sources below: RTX 4090 165.2 (FP32 acc.) vs 330.3 (FP16 acc.), RTX 3090 71 vs 142.

One datacenter exception is in NVIDIA's own documents: the Ada whitepaper's appendix gives the
**L40** 181.05 TFLOPS with FP32 accumulate (362.1 with FP16 accumulate), half the 364.2 of the RTX 6000 Ada, the same
AD102 with the same 142 SMs, and half the L40S's 362. The catalogue keeps the printed 181.05; a public GPT-2 124M
sweep on the two 300 W cards puts the L40 only ~11% slower than the RTX 6000 Ada, so the printed rate may understate it.

## GeForce Blackwell (RTX 50xx)

The RTX Blackwell whitepaper (appendix A) gives the RTX 5090 "Peak FP16 Tensor TFLOPS with FP32 Accumulate" and
"Peak BF16 Tensor TFLOPS with FP32 Accumulate" as **209.5** dense (419 with sparsity), against 419 dense with FP16
accumulate: GeForce Blackwell keeps the half rate. 209.5 = 170 SMs x 2407 MHz x 512 FLOP/clock/SM. A public cuBLAS
measurement on an RTX 5060 Ti agrees: 47.0 TFLOPS with FP32 accumulate against 87.9 with FP16 accumulate, at 36 SMs x
~2.57 GHz x 512 = 47.4. Measured bf16 GEMMs on 5090s reach ~235 TFLOPS: above 209.5 because GeForce cards boost past
their rated clock, not because the rate is 419. The other RTX 50xx entries are derived with the same 512.

## How the figures were checked

Each figure was transcribed from the document named in its source (listed with URLs at the end). The documents
themselves could not be opened where this catalogue was built, so the figures that matter most were cross-checked
against verbatim quotations of those documents in public repositories: RTX 5090 209.5/419 (RTX Blackwell
whitepaper), RTX 4090 165.2/330.4 (Ada whitepaper), RTX 3090 71.2/142.4, RTX A6000 154.8/309.6 (GA102 whitepaper),
RTX 6000 Ada 364/728 and RTX PRO 6000 503.8 (RTX PRO Blackwell whitepaper), RTX 2080 Ti 53.8/56.9 (Turing
whitepaper), A100 312/624 (A100 datasheet), H100 SXM 989.4 and PCIe 756 (Hopper whitepaper), L40 181.05. Derived
figures state their inputs and recompute in the tests. A figure that rests on an assumption or on conflicting sources
is listed as unverified, and the page says so wherever it is used.

## Segments and performance classes

`segment`: {segments}

`perf_class` groups cards whose achievable matmul rate the speed model fits together:

{classes}

## Derived figures

{derived}

## The catalogue

Peaks in dense TFLOPS; bf16/fp16 with FP32 accumulate. "-": the GPU has no such unit or no source gives the figure.
`torch name` is what `torch.cuda.get_device_name()` prints; the GPU field accepts it, the id or the name.

| id | name | torch name | segment | class | bf16 | fp16 | tf32 | fp32 | GB | GB/s | W | SMs | boost MHz |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
{rows}

## Sources per GPU

{sources}

## Documents

{documents}
"""


def _num(x) -> str:
    return "-" if x is None else f"{x:g}"


def render() -> str:
    about = gpus.ABOUT
    rows = []
    for g in gpus.CATALOGUE.values():
        t = g["tflops"]
        rows.append(f"| `{g['id']}` | {g['name']} | `{g['torch_name']}` | {g['segment']} | {g['perf_class']} | "
                    + " | ".join(_num(t[k]) for k in ("bf16", "fp16", "tf32", "fp32")) + " | "
                    + " | ".join(_num(g[k]) for k in ("memory_gb", "bandwidth_gbs", "tdp_w", "sm_count",
                                                        "boost_clock_mhz")) + " |")
    sources = []
    for g in gpus.CATALOGUE.values():
        lines = [f"### `{g['id']}`: {g['name']}", ""]
        for figure, text in g["sources"].items():
            lines.append(f"- **{figure}**: {text}")
        if g["derived"]:
            lines.append(f"- **derived figures**: {', '.join(g['derived'])}")
        if g["unverified"]:
            lines.append(f"- **unverified**: {', '.join(g['unverified'])}")
        if g["notes"]:
            lines.append(f"- **notes**: {g['notes']}")
        sources.append("\n".join(lines))
    documents = [f"- **{k}**: {d['title']}. <{d['url']}>" for k, d in about["documents"].items()]
    classes = [f"- `{k}`: {v}" for k, v in about["perf_class"].items()]
    return INTRO.format(segments=about["segment"], classes="\n".join(classes), derived=about["derived"],
                        rows="\n".join(rows), sources="\n\n".join(sources), documents="\n".join(documents))


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print("docs/gpus.md is stale: run python -m tools.gpus_doc", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
