"""microsoft/DeepSpeed's own progress lines.

* The pipeline engine: ``steps: 480 loss: 0.9123 iter time (s): 0.312 samples/sec: 13.0`` -- ``iter time`` is the
  average over the ``steps_per_print`` optimizer steps since the previous line.
* The throughput timer (``wall_clock_breakdown`` / ``steps_per_print``): ``epoch=0/micro_step=20/global_step=10,
  RunningAvgSamplesPerSec=12.3, CurrSamplesPerSec=12.5, …`` -- ``CurrSamplesPerSec`` is the current optimizer step's
  rate, so the step's time is ``train_batch_size`` (from DeepSpeed's configuration dump, ``train_batch_size ……
  16``) over it.
"""

from __future__ import annotations

import re

from ._base import INTERVAL, NUM, STEP, Format, IterRecord, State, num, pos, w

FORMATS = (
    Format("deepspeed", "DeepSpeed (microsoft/DeepSpeed engine and pipeline engine)",
           "steps: 480 loss: 0.9123 iter time (s): 0.312 samples/sec: 13.0",
           "pipeline engine: one line every steps_per_print optimizer steps, its iter time the interval's average; "
           "throughput timer: one optimizer step's samples/sec (time = train_batch_size ÷ CurrSamplesPerSec)",
           "median of the steps or intervals left after the first of a run and spikes", intervals=True),
)

_PIPE = re.compile(w("steps") + r":\s{0,4}(\d{1,12})\s{1,8}(?:loss:\s{0,4}" + NUM
                   + r"\s{1,8})?iter time \(s\):\s{0,4}" + NUM)
_TPUT = re.compile(r"global_step=(\d{1,12})")
_CURR = re.compile(r"currsamplespersec=\s{0,4}" + NUM)
_BATCH = re.compile(r"train_batch_size\s{0,4}[.\s]{0,80}?\s(\d{1,9})\s{0,4}$")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "iter time (s)" in low:
        m = _PIPE.search(low)
        if m is None:
            return None
        v = pos(m.group(3))
        if v is None:
            return False
        step = int(m.group(1))
        prev = st.prev.get("deepspeed")
        span = step - prev[0] if prev is not None and step > prev[0] else 0
        st.prev["deepspeed"] = (step,)
        st.records.append(IterRecord(step, v * 1000.0, num(m.group(2)), None, line_no, None, "deepspeed",
                                     INTERVAL, span))
        return True
    if "currsamplespersec" in low:
        g = _TPUT.search(low)
        c = _CURR.search(low)
        if g is None or c is None:
            return None
        rate = pos(c.group(1))
        batch = st.extra.get("deepspeed_train_batch_size")
        if rate is None or not batch:
            st.notes.setdefault("deepspeed", "samples/sec without DeepSpeed's 'train_batch_size' configuration "
                                             "line: the time per step cannot be derived")
            return True
        st.notes["deepspeed"] = "time per step = train_batch_size ÷ CurrSamplesPerSec"
        st.records.append(IterRecord(int(g.group(1)), batch / rate * 1000.0, None, None, line_no, None, "deepspeed",
                                     STEP))
        return True
    if "train_batch_size" in low and "micro" not in low:
        m = _BATCH.search(low)
        if m is not None:
            b = int(m.group(1))
            if b > 0:
                st.extra["deepspeed_train_batch_size"] = float(b)
            return True
    return None
