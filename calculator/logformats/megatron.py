"""NVIDIA/Megatron-LM and Megatron-DeepSpeed ``training_log``: ``iteration 100/ 1000 | consumed samples: … |
elapsed time per iteration (ms): 1234.5 | … | number of skipped iterations: 0 | …``.

The elapsed time is an average over the log interval (``--log-interval`` iterations since the previous line), each
iteration an optimizer step of one global batch. Lines may carry a ``[YYYY-MM-DD HH:MM:SS]`` timestamp or a
``[host:rank]:`` prefix. Iterations skipped by the fp16 loss scaler (``number of skipped iterations: N``) still ran
forward and backward; an interval where every iteration was skipped (the first, while the loss scale settles) is
left out. ``validation loss at iteration N`` and ``saving checkpoint at iteration N`` mark the interval printed next
as carrying the evaluation or the save.
"""

from __future__ import annotations

import re

from ._base import INTERVAL, NUM, Format, IterRecord, State, add_eval, num, pos, w

FORMATS = (
    Format("megatron", "Megatron-LM, Megatron-DeepSpeed",
           "iteration      100/    1000 | consumed samples:         1600 | elapsed time per iteration (ms): 869.1 | "
           "learning rate: 9.892558E-05 | global batch size:    16 | lm loss: 7.514787E+00 | "
           "number of skipped iterations:   0 |",
           "one line per log interval; its time is the average over the interval's iterations (optimizer steps)",
           "median of the intervals left after the first interval of a run, the interval after each evaluation or "
           "checkpoint save, intervals of skipped iterations only, and spikes", intervals=True),
)

_ITER = re.compile(w("iteration") + r"\s{1,16}(\d{1,12})\s{0,4}/\s{0,16}(\d{1,12})\s{0,4}\|")
_ELAPSED = re.compile(r"elapsed time per iteration \(ms\):\s{0,8}" + NUM)
_LOSS = re.compile(r"lm loss:\s{0,8}" + NUM)
_SKIPPED = re.compile(r"skipped iterations:\s{0,8}(\d{1,12})")
_TFLOPS = re.compile(r"tflops:\s{0,8}" + NUM)
_VAL = re.compile(r"validation loss at iteration\s{1,8}(\d{1,12})\s{0,4}\|[^|]{0,80}?loss value:\s{0,8}" + NUM)
_CKPT = re.compile(r"saving checkpoint at iteration\s{1,8}(\d{1,12})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "iteration" not in low:
        if "(min, max) time across ranks" in low:
            return True
        return None
    if "elapsed time per iteration" in low:
        m = _ITER.search(low)
        if m is None:
            return None
        it, total = int(m.group(1)), int(m.group(2))
        if total > 0:
            st.hint_steps = total
        e = _ELAPSED.search(low, m.end())
        ms = pos(e.group(1)) if e is not None else None
        if ms is None:
            return False
        prev = st.prev.get("megatron")
        span = it - prev[0] if prev is not None and it > prev[0] else 0
        st.prev["megatron"] = (it,)
        sk = _SKIPPED.search(low, m.end()) if "skipped" in low else None
        skipped = int(sk.group(1)) if sk is not None else 0
        lm = _LOSS.search(low, m.end()) if "lm loss" in low else None
        rec = IterRecord(it, ms, num(lm.group(1)) if lm else None, None, line_no, None, "megatron", INTERVAL,
                         span or 0)
        if skipped and (span and skipped >= span or lm is None):
            st.skipped_intervals.append(line_no)
        st.records.append(rec)
        return True
    if "validation loss at iteration" in low:
        m = _VAL.search(low)
        if m is not None:
            add_eval(st, "megatron", int(m.group(1)), line_no, None, num(m.group(2)))
            return True
    if "checkpoint" in low and "saving checkpoint at iteration" in low:
        m = _CKPT.search(low)
        if m is not None:
            st.checkpoints.append({"iteration": int(m.group(1)), "line_no": line_no})
            return True
    if "successfully saved checkpoint" in low:
        return True
    return None
