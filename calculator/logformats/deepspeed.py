"""microsoft/DeepSpeed's own progress lines.

* The pipeline engine: ``steps: 480 loss: 0.9123 iter time (s): 0.312 samples/sec: 13.0`` -- ``iter time`` is the
  average over the ``steps_per_print`` optimizer steps since the previous line.
* The throughput timer (``wall_clock_breakdown`` / ``steps_per_print``): ``epoch=0/micro_step=20/global_step=10,
  RunningAvgSamplesPerSec=12.3, CurrSamplesPerSec=12.5, …`` -- ``CurrSamplesPerSec`` is the current optimizer step's
  rate, so the step's time is ``train_batch_size`` over it. The global batch is read from the same paste: DeepSpeed's
  configuration dump (``train_batch_size ……………… 16``), the JSON it prints (``"train_batch_size": 16``) or a launch line
  (``--train_batch_size 16``, ``--global-batch-size 16``), wherever in the paste it is; without it the rates cannot be
  turned into a time per step, and the result says so rather than guess.

Read from deepspeed/utils/timer.py (``ThroughputTimer.stop``: ``CurrSamplesPerSec`` is the batch over the last
optimizer step's time; v0.3 counted ``train_micro_batch_size_per_gpu`` x the data-parallel ranks per micro-step, v0.9+
``train_batch_size`` per optimizer step, samples per second either way), deepspeed/runtime/config.py
(``DeepSpeedConfig.print``) and deepspeed/runtime/pipe/engine.py (``steps: … iter time (s): …``), v0.3-v0.16.
"""

from __future__ import annotations

import re

from ..facts import fact
from ._base import INTERVAL, NUM, STEP, Format, IterRecord, State, num, pos, state, w

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
_JSON_BATCH = re.compile(r'"train_batch_size"\s{0,4}:\s{0,4}(\d{1,9})')
_LAUNCH_BATCH = re.compile(r"--(?:train|global)[-_]batch[-_]size[=\s]{1,4}(\d{1,9})(?!\d)")
NEEDS_BATCH = fact("lognote.deepspeed_needs_batch")  # which input a samples/sec line needs to give a time


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
        if rate is None:
            return False
        # the batch may be stated later in the paste (a launch line pasted at the end): converted in finish()
        rec = IterRecord(int(g.group(1)), rate, None, None, line_no, None, "deepspeed", STEP)
        st.records.append(rec)
        st.prev.setdefault("deepspeed-rates", ([],))[0].append(rec)
        return True
    if "train_batch_size" in low and "micro" not in low:
        m = _BATCH.search(low) or _JSON_BATCH.search(low)
        if m is not None:
            _batch(st, int(m.group(1)))
            return True
    if "batch" in low and "--" in low:
        m = _LAUNCH_BATCH.search(low)
        if m is not None:
            _batch(st, int(m.group(1)))
            return True
    return None


def _batch(st: State, b: int) -> None:
    if b > 0 and "deepspeed_train_batch_size" not in st.extra:
        st.extra["deepspeed_train_batch_size"] = float(b)
        state(st, "global_batch", float(b))


def finish(st: State) -> None:
    """Samples per second to a time per step, with the global batch stated anywhere in the paste."""
    rates = st.prev.get("deepspeed-rates")
    if not rates:
        return
    batch = st.extra.get("deepspeed_train_batch_size")
    if not batch:
        drop = {id(r) for r in rates[0]}
        st.records[:] = [r for r in st.records if id(r) not in drop]
        st.notes.setdefault("deepspeed", NEEDS_BATCH)
        return
    for r in rates[0]:
        r.ms = batch / r.ms * 1000.0  # r.ms held the samples per second until now
    st.notes["deepspeed"] = fact("lognote.deepspeed_samples")
