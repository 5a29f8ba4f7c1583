"""Lightning-AI/litgpt pretrain/finetune: ``iter N step M: loss L, iter time: T ms (optimizer.step)``.

``iter`` counts micro-steps (one micro-batch each) and ``step`` optimizer steps; with gradient accumulation a
line marked ``(optimizer.step)`` (``(step)`` in later versions) ends an optimizer step. Later versions print
``Epoch E | iter N step M | loss train: L, val: V | iter time: T ms (step) remaining time: 1:23:45``. Each line's
time is that micro-step's. The optimizer step's time is the sum of its micro-steps, so the ETA and the MFU use the
micro-steps' mean times the micro-steps per optimizer step (from the ``iter``/``step`` counters).
"""

from __future__ import annotations

import re

from ._base import NUM, NUMU, Format, IterRecord, State, num, pos, w

FORMATS = (
    Format("litgpt", "litgpt (Lightning-AI/litgpt pretrain, finetune)",
           "iter 77 step 39: loss 10.8259, iter time: 214.40ms (optimizer.step)",
           "one line per micro-step (iter); step counts optimizer steps; the time is that micro-step's",
           "median of the micro-steps' times (the figure per iter); ETA and MFU use the mean micro-step time × "
           "micro-steps per optimizer step", micro_steps=True),
)

_LINE = re.compile(
    w("iter") + r"\s{1,8}(\d{1,12})\s{1,8}step\s{1,8}(\d{1,12})\s{0,4}[:|]"
)
_TIME = re.compile(r"iter time:\s{0,4}" + NUMU + r"\s{0,4}(ms|s)(?![a-z])")
_LOSS = re.compile(w("loss") + r"(?:\s{1,4}train)?\s{0,4}[:=]\s{0,4}" + NUM)
_VAL = re.compile(r"val:\s{0,4}" + NUM)


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "iter time" not in low:
        return None
    m = _LINE.search(low)
    if m is None:
        return None
    t = _TIME.search(low, m.end())
    if t is None:
        return None
    v = pos(t.group(1))
    if v is None:
        return False
    ms = v if t.group(2) == "ms" else v * 1000.0
    rest = low[m.end():]
    lm = _LOSS.search(rest) if "loss" in rest else None
    it, step = int(m.group(1)), int(m.group(2))
    st.records.append(IterRecord(it, ms, num(lm.group(1)) if lm else None, None, line_no, None, "litgpt",
                                 opt_step=step))
    return True
