"""NVIDIA NeMo (and NeMo 2 / Megatron-Bridge recipes): ``train_step_timing in s``.

NeMo's progress line ``Training epoch 0, iteration 120/149 | lr: 3e-05 | … | global_step: 120 |
reduced_train_loss: 1.233 | train_step_timing in s: 0.03146 | val_loss: 4.106`` and its Lightning bar postfix
``…, reduced_train_loss=1.23, global_step=120.0, train_step_timing in s=0.0315]`` give one optimizer step's time in
seconds (NeMo's timer around the training step). ``val_loss`` repeats the last validation's value on every line, so
it is not an evaluation event.
"""

from __future__ import annotations

import re

from ._base import NUM, Format, IterRecord, State, num, pos, w

FORMATS = (
    Format("nemo", "NeMo (NVIDIA NeMo, NeMo 2 recipes)",
           "Training epoch 0, iteration 120/149 | lr: 3e-05 | global_step: 120 | reduced_train_loss: 1.233 | "
           "train_step_timing in s: 0.03146",
           "one line per optimizer step (global_step); train_step_timing is that step's time in seconds",
           "median of the steps left after the warm-up steps and spikes"),
)

_TIMING = re.compile(r"train_step_timing in s\s{0,4}[:=]\s{0,4}" + NUM)
_GSTEP = re.compile(r"global_step\s{0,4}[:=]\s{0,4}(\d{1,12})(?:\.0{1,4})?(?![\d.])")
_ITER = re.compile(w("iteration") + r"\s{1,4}(\d{1,12})\s{0,4}/\s{0,4}(\d{1,12})")
_LOSS = re.compile(r"train_loss\s{0,4}[:=]\s{0,4}" + NUM)


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "train_step_timing" not in low:
        return None
    m = _TIMING.search(low)
    if m is None:
        return None
    v = pos(m.group(1))
    if v is None:
        return False
    g = _GSTEP.search(low) if "global_step" in low else None
    it = int(g.group(1)) if g is not None else None
    if it is None and "iteration" in low:
        im = _ITER.search(low)
        it = int(im.group(1)) if im is not None else None
    lm = _LOSS.search(low) if "train_loss" in low else None
    st.records.append(IterRecord(it, v * 1000.0, num(lm.group(1)) if lm else None, None, line_no, None, "nemo"))
    return True
