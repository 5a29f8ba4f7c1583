"""pytorch/torchtitan train.py: ``step: 22  loss:  6.2250  memory:  1.41GiB(1.79%)  tps: 193,831  tflops: 18.36
mfu: 1.86%``.

The line carries no time. It is logged every ``log_freq`` steps, prefixed with a millisecond timestamp
(``[rank0]:[titan] 2025-03-12 11:10:21,511 - root - INFO - step: 22 …``), so the time per step is the difference
of two consecutive lines' timestamps over the difference of their steps (an average over the log interval). Without
timestamps it is tokens per step over ``tps`` (tokens per second per GPU), tokens per step being the local batch
size times the sequence length that torchtitan prints at the start (``Training starts at step 1, with local batch
size 8, global batch size 64, sequence length 2048``). ``mfu`` is torchtitan's own, against its peak.
"""

from __future__ import annotations

import re

from ..facts import fact
from ._base import INTERVAL, NUM, STEP, Format, IterRecord, State, integer, mfu, num, timestamp, w

FORMATS = (
    Format("torchtitan", "torchtitan (pytorch/torchtitan)",
           "[rank0]:[titan] 2025-03-12 11:10:21,511 - root - INFO - step: 22  loss:  6.2250  memory:  1.41GiB(1.79%)"
           "  tps: 193,831  tflops: 18.36  mfu: 1.86%",
           "one line every log_freq optimizer steps, without a time: the time per step is the timestamps' "
           "difference over the steps between lines (an interval average), else tokens per step ÷ tps",
           "median of the per-interval times left after the warm-up steps and spikes", intervals=True),
)

_STEP = re.compile(w("step") + r":\s{0,4}(\d{1,12})\s{1,8}loss:\s{0,4}" + NUM)
_TPS = re.compile(r"tps:\s{0,4}([0-9][0-9,]{0,20})")
_MFU = re.compile(r"mfu:\s{0,4}" + NUM + r"\s{0,2}%")
_SETUP = re.compile(r"local batch size\s{0,4}(\d{1,9}).{0,80}?sequence length\s{0,4}(\d{1,9})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "step:" not in low or "loss:" not in low:
        if "local batch size" in low and "sequence length" in low:
            m = _SETUP.search(low)
            if m is not None:
                st.extra["torchtitan_tokens_per_step"] = float(int(m.group(1)) * int(m.group(2)))
                return True
        return None
    m = _STEP.search(low)
    if m is None:
        return None
    tm = _TPS.search(low, m.end())
    if tm is None and "tflops" not in low and "memory" not in low:
        return None
    step = int(m.group(1))
    tps = integer(tm.group(1)) if tm is not None else None
    mm = _MFU.search(low, m.end())
    mfu_v = mfu(mm.group(1)) if mm is not None else None
    ts = timestamp(low)
    prev = st.prev.get("torchtitan")
    st.prev["torchtitan"] = (step, ts)
    ms = None
    span = 1
    if ts is not None and prev is not None and prev[1] is not None and step > prev[0] and ts > prev[1]:
        span = step - prev[0]
        ms = (ts - prev[1]) * 1000.0 / span
        st.notes.setdefault("torchtitan", fact("lognote.timestamps"))
    elif ts is None and tps:
        tok = st.extra.get("torchtitan_tokens_per_step")
        if tok:
            ms = tok / tps * 1000.0
            st.notes.setdefault("torchtitan", fact("lognote.torchtitan_tps"))
    if ms is None:
        if ts is None and not st.extra.get("torchtitan_tokens_per_step"):
            st.notes.setdefault("torchtitan", fact("lognote.torchtitan_no_time"))
        return True
    st.records.append(IterRecord(step, ms, num(m.group(2)), mfu_v, line_no, float(tps) if tps else None,
                                 "torchtitan", STEP if span == 1 else INTERVAL, span))
    return True
