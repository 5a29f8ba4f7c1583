"""Real logs people posted (tests/logs/real/): each gives its hand-counted steady ms/iter, within 5% (or the
tolerance its .json states), and the right format name, in the CLI (``python -m calculator --log FILE --json``).
The page's paste of the same logs is checked in tests/test_browser.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(__file__).parent / "logs" / "real"
LOGS = sorted(REAL.glob("*.log"))

# the format each log must be read as: the trainer named in its .json ("family", or "notes" for the two "other")
FORMAT_OF = {
    "build-nanogpt-zh-notes-gpt2-124m-full-run": "build-nanogpt",
    "hf-trainer-h2ogpt-pr86-caretM-llama": "hf-trainer",
    "lightning-issue4225-progress-bar-two-runs": "lightning",
    "llmc-pr156-cpu-shakespeare-char-old-format": "llm.c",
    "megatron-zh-notes-gpt2-small-1gpu-fp16": "megatron",
    "modded-nanogpt-pr65-valonly-grep": "modded-nanogpt",
    "nanogpt-issue215-v100-fp16-timestamps": "nanogpt",
    "other-litgpt-issue689-pretrain-gradaccum2": "litgpt",
    "other-nemo2-bionemo-pr740-esm2-step-timing": "nemo",
    "torchtitan-pr950-debugmodel-perstep": "torchtitan",
}


def expected(log: Path) -> tuple[float, float]:
    meta = json.loads(log.with_suffix(".json").read_text(encoding="utf-8"))
    exp = meta["expected"]
    return float(exp["steady_ms_per_iter"]), float(exp.get("tolerance", 0.05))


def test_every_real_log_has_its_source_and_a_format():
    assert len(LOGS) == 10
    for log in LOGS:
        meta = json.loads(log.with_suffix(".json").read_text(encoding="utf-8"))
        assert meta["source"] and meta["expected"]["how"], log.name
        assert log.stem in FORMAT_OF, log.name


@pytest.mark.parametrize("log", LOGS, ids=[p.stem for p in LOGS])
def test_real_log_in_the_cli(log):
    p = subprocess.run([sys.executable, "-m", "calculator", "--log", str(log), "--json"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    want, tol = expected(log)
    assert out["format"] == FORMAT_OF[log.stem]
    assert out["steady_ms_per_iter"] == pytest.approx(want, rel=tol)
    assert out["why"]  # says which lines matched and what their times mean


def test_litgpt_counts_micro_steps_and_the_eta_uses_optimizer_steps():
    log = REAL / "other-litgpt-issue689-pretrain-gradaccum2.log"
    p = subprocess.run([sys.executable, "-m", "calculator", "--log", str(log), "--json", "--max_iters", "149"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    out = json.loads(p.stdout)
    assert out["micro_steps_per_step"] == 2  # iter 76..98 over step 38..49
    # an optimizer step is a micro-batch iter plus the (optimizer.step) iter: about 413 ms (the .json's alt figure
    # x 2), not the median micro-step
    alt = json.loads(log.with_suffix(".json").read_text(encoding="utf-8"))["expected"]["alt_steady_ms_per_iter"]
    assert out["steady_ms_per_step"] == pytest.approx(2 * alt, rel=0.01)
    assert out["eta_from_iteration"] == 49 and out["remaining_steps"] == 100
    assert out["eta_seconds"] >= 100 * 0.4  # 100 optimizer steps of ~0.41 s, not 100 micro-steps of ~0.2 s


@pytest.mark.parametrize("stem, said", [
    ("torchtitan-pr950-debugmodel-perstep", "timestamps between consecutive step lines"),
    ("lightning-issue4225-progress-bar-two-runs", "the elapsed column's slope is used"),
    ("megatron-zh-notes-gpt2-small-1gpu-fp16", "average over the interval"),
    ("modded-nanogpt-pr65-valonly-grep", "validation lines only"),
])
def test_the_result_says_how_the_time_per_step_was_derived(stem, said):
    from said import analyze

    out = analyze((REAL / f"{stem}.log").read_text(encoding="utf-8"))
    assert said in out["why"]
