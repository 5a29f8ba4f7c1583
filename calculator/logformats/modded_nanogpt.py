"""KellerJordan/modded-nanogpt: ``step:N/M train_time:Tms step_avg:Ams`` and ``step:N/M val_loss:V train_time:…``.

``train_time`` is cumulative and stops during validation, so the time per step between two printed lines is the
difference of their ``train_time`` over the difference of their steps. The first steps (10 in the records) are not
timed, and ``step_avg`` is ``train_time`` over the timed steps: the first line's figure is its ``step_avg``. A log
of only the validation lines (``grep val_loss``) gives one figure per validation window.
"""

from __future__ import annotations

import math
import re

from ..facts import fact
from ._base import INTERVAL, NUM, NUMU, STEP, Format, IterRecord, State, add_eval, first_num, num, w

FORMATS = (
    Format("modded-nanogpt", "modded-nanogpt (KellerJordan/modded-nanogpt)",
           "step:125/1480 val_loss:4.3719 train_time:29736ms step_avg:258.57ms",
           "cumulative train_time (validation not counted): per step between consecutive training lines, or an "
           "average over each window between validation lines",
           "median of the per-step (or per-window) differences of train_time; the first window is its step_avg",
           eval_timed=False, intervals=True),
)

_STEP = re.compile(w("step") + r":(\d{1,12})/(\d{1,12})(?!\d)")
_TT = re.compile(r"train_time:\s{0,4}" + NUMU + r"\s{0,4}ms")
_AVG = re.compile(r"step_avg:\s{0,4}" + NUMU + r"\s{0,4}ms")
_VAL = re.compile(r"val_loss:\s{0,4}" + NUM)
_TRAIN = re.compile(r"train_loss:\s{0,4}" + NUM)


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "step:" not in low:
        return None
    m = _STEP.search(low)
    if m is None:
        return None
    step = int(m.group(1))
    total = int(m.group(2))
    if total > 0:
        st.hint_steps = total
    mt = _TT.search(low) if "train_time" in low else None
    tt = num(mt.group(1)) if mt is not None else None
    prev = st.prev.get("modded-nanogpt")
    if tt is not None:
        st.prev["modded-nanogpt"] = (step, tt)
    val = _VAL.search(low) if "val_loss" in low else None
    train_loss = first_num(_TRAIN, low)
    if val is not None:
        add_eval(st, "modded-nanogpt", step, line_no, train_loss, num(val.group(1)))
    ms = None
    span = 1
    if tt is not None and tt > 0:
        if prev is not None and step > prev[0] and tt > prev[1] > 0:
            span = step - prev[0]
            ms = (tt - prev[1]) / span
        elif (prev is None or step < prev[0] or prev[1] <= 0) and "step_avg" in low:
            ms = first_num(_AVG, low)  # the first timed line of a run: its average since timing started
            if ms is not None and ms > 0 and math.isfinite(ms):
                ratio = tt / ms
                span = max(1, min(10**9, round(ratio))) if math.isfinite(ratio) else 1
    if ms is None or not (ms > 0) or not math.isfinite(ms):
        return tt is not None or val is not None
    kind = STEP if span == 1 else INTERVAL
    if val is not None:
        kind = INTERVAL
        st.notes["modded-nanogpt"] = fact("lognote.modded_val_only")
    st.records.append(IterRecord(step, ms, train_loss, None, line_no, None, "modded-nanogpt", kind, span))
    return True
