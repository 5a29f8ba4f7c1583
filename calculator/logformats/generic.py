"""Any other trainer: a line with a step counter and a time per step, or a rate.

Read: ``123.4 ms/iter`` (``ms/it``, ``ms/step``, ``ms/batch``), ``1.5 s/it``, ``2.0 it/s``, or an iteration number
(``step 10``, ``iter 10``, ``it: 10``) together with a time keyword (``dt: 250.1ms``, ``time 0.25s``,
``step_time=250ms``, ``| 250.1 ms |``). A line with a step counter and a wall-clock timestamp but no time gets
the timestamps' difference over the steps between consecutive such lines (an interval average). Also read here:
``max_iters = N`` / ``max_steps: N`` (the run's length), and ``val loss V`` / ``validation loss: V`` /
``val_loss=V`` lines (evaluations; the line printed after one is taken to carry it).
"""

from __future__ import annotations

import math
import re

from ..facts import fact
from ._base import (
    INTERVAL,
    LOSS_FIELD,
    NUM,
    NUMU,
    Format,
    IterRecord,
    State,
    add_eval,
    first_num,
    num,
    pipe_fields,
    pos,
    printed_mfu,
    timestamp,
    tokens,
    unit_num,
    w,
)

FORMATS = (
    Format("generic", "any trainer: a step counter and a time per step",
           "step 120 | loss 3.41 | time/step 0.25s",
           "one line per printed step; its time is taken as that step's (or, from timestamps, the interval's "
           "average)",
           "median of the steps left after the warm-up, the step after each evaluation line, and spikes",
           intervals=True),
)

_MS_PER = re.compile(r"ms\s{0,4}/\s{0,4}(?:it|iter|iteration|step|batch)(?![a-z])")
_S_PER = re.compile(r"s(?:ec)?\s{0,4}/\s{0,4}(?:it|iter|iteration|step|batch)(?![a-z])")
_IT_PER_S = re.compile(r"(?:it|iters?|steps?|batch(?:es)?)\s{0,4}/\s{0,4}s(?:ec)?(?![a-z0-9_])")
ITER = re.compile(
    r"(?:" + w("iter") + r"(?:ation)?|" + w("step") + "|" + w("it") + r")\s{0,4}[:=#]?\s{0,8}(\d{1,12})(?![\d.])"
)
_TIME = re.compile(
    r"(?:" + w("dt") + "|" + w("time") + r"(?:_per_(?:iter|step)|/(?:iter|it|step))?)\s{0,4}[:=]?\s{0,8}" + NUMU
    + r"\s{0,4}(ms|s|sec)(?![a-z])"
)
_VAL = re.compile(w("val") + r"(?:id|idation)?[ _]loss\s{0,4}[:=]?\s{0,8}" + NUM)
_TRAIN = re.compile(w("train") + r"(?:ing)?[ _]loss\s{0,4}[:=]?\s{0,8}" + NUM)
_HINT_MAX_ITERS = re.compile(r"max_(?<![a-z0-9_]max_)(?:iters|steps)(?![a-z0-9_])\s{0,4}[=:|]\s{0,4}(-?\d{1,12})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "max_" in low:
        m = _HINT_MAX_ITERS.search(low)
        if m is not None:
            v = int(m.group(1))
            if v > 0:
                st.hint_explicit = v
            return True
    if ("/" in low or "time" in low or "dt" in low or "ms" in low) and _per_step(low, line_no, st):
        return True
    if "val" in low and "loss" in low:
        m = _VAL.search(low)
        if m is not None:
            it = ITER.search(low)
            add_eval(st, "generic", int(it.group(1)) if it else None, line_no, first_num(_TRAIN, low),
                     num(m.group(1)))
            return True
    if "total average iteration time" in low:  # llm.c's closing summary
        return True
    if ("step" in low or "iter" in low) and "-" in low[:120]:
        return _stamped(low, line_no, st)
    return None


def _per_step(low: str, line_no: int, st: State) -> bool:
    if "|" in low and "ms" in low:
        it = ITER.search(low)
        if it is not None:
            ms, loss, mfu, toks = pipe_fields(low[it.end():], True)
            if ms is not None:
                st.records.append(IterRecord(int(it.group(1)), ms, loss, mfu, line_no, toks, "generic"))
                return True
    ms = None
    if "/" in low:
        if "ms" in low:
            v = unit_num(_MS_PER, low)
            if v is not None:
                ms = v if v > 0 else -1.0
        if ms is None:
            v = unit_num(_S_PER, low)
            if v is not None:
                ms = v * 1000.0 if v > 0 else -1.0
        if ms is None:
            v = unit_num(_IT_PER_S, low)
            if v is not None:
                ms = 1000.0 / v if v > 0 else -1.0
        if ms is not None and not (ms > 0 and math.isfinite(ms)):
            return False  # a rate field that is 0 or negative
    it = ITER.search(low)
    if ms is None:
        if it is None:
            return False
        m = _TIME.search(low)
        if m is None:
            return False
        v = pos(m.group(1))
        if v is None:
            return False
        ms = v if m.group(2) == "ms" else v * 1000.0
    if not math.isfinite(ms) or ms <= 0:
        return False
    loss = first_num(LOSS_FIELD, low) if "loss" in low else None
    mfu = printed_mfu(low) if "mfu" in low else None
    st.records.append(IterRecord(int(it.group(1)) if it else None, ms, loss, mfu, line_no, tokens(low), "generic"))
    return True


def _stamped(low: str, line_no: int, st: State) -> bool | None:
    """A step line without a time, on a timestamped line: the time per step from consecutive such lines."""
    ts = timestamp(low)
    if ts is None:
        return None
    it = ITER.search(low)
    if it is None or "loss" not in low:
        return None
    step = int(it.group(1))
    prev = st.prev.get("generic-stamped")
    st.prev["generic-stamped"] = (step, ts)
    if prev is None or step <= prev[0] or ts <= prev[1]:
        return True
    span = step - prev[0]
    st.notes.setdefault("generic", fact("lognote.timestamps"))
    st.records.append(IterRecord(step, (ts - prev[1]) * 1000.0 / span, first_num(LOSS_FIELD, low), None, line_no,
                                 None, "generic", INTERVAL, span))
    return True
