"""Keras ``model.fit``: one line per epoch, ``391/391 - 134s - loss: 1.2034 - accuracy: 0.5712 - 134s/epoch -
343ms/step`` (``verbose=2``), or the progress bar's last state ``391/391 [====] - 134s 343ms/step - loss: …``
(``verbose=1``; Keras 3 draws the bar with ``━``), after an ``Epoch 3/10`` header.

Read from keras/utils/generic_utils.py ``Progbar.update`` (Keras 2.4-2.15, in TensorFlow 2.x) and
keras/src/utils/progbar.py (Keras 3, 2023-2025): ``current/target``, the epoch's seconds since its start, then the
time per step (``_estimate_step_duration``: the epoch's time over its steps, leaving out the first step, which
carries the compile, from Keras 2.5 on), in ``s``, ``ms`` or ``us`` per step. The epoch's line is printed after its
validation, so with ``val_loss`` on the line the validation is inside the epoch's time. Mid-epoch bar states
(``50/391 [==>…] - ETA: 1:40``) are running averages and are not used. A line's time is an average over the epoch's
steps: where no per-step time is printed, the epoch's seconds divided by the steps the line states. Keras 2.2's
``verbose=2`` (`` - 134s - loss: …``) states no steps: its epochs cannot be turned into a time per step.
"""

from __future__ import annotations

import re

from ..facts import fact
from ._base import INTERVAL, LOSS_FIELD, Format, IterRecord, State, first_num, num, num_before

FORMATS = (
    Format("keras", "Keras model.fit (TensorFlow 2.x Keras, Keras 3)",
           "391/391 - 134s - loss: 1.2034 - accuracy: 0.5712 - val_loss: 1.1032 - 134s/epoch - 343ms/step",
           "one line per epoch: the average time per step over the epoch (ms/step as printed, else the epoch's "
           "seconds ÷ its steps), validation included when val_loss is on the line",
           "median of the epochs left after the first (it carries the compile) and spikes", intervals=True),
)

_HEAD = re.compile(r"epoch\s{1,4}(\d{1,9})\s{0,2}/\s{0,2}(\d{1,9})\s{0,4}$")
_COUNT = re.compile(r"\s{0,16}(\d{1,9})/(\d{1,9})(?=[\s\[━─]|$)")
_PER_STEP = re.compile(r"(m?s|us|µs)/step(?![a-z])")
_TOTAL = re.compile(r"(?<![\w.:/])(\d{1,7})s(?![\w/])")
_OLD = re.compile(r"\s{0,8}-\s{0,4}(\d{1,7})s\s{0,4}-\s{0,4}(?:loss|acc)")
_UNIT = {"s": 1000.0, "ms": 1.0, "us": 1e-3, "µs": 1e-3}


def parse(low: str, line_no: int, st: State) -> bool | None:
    if low[:1] == "e" or low[:2] == " e" or "epoch" in low[:12]:
        m = _HEAD.search(low, 0, 40)
        if m is not None and low.lstrip().startswith("epoch"):
            st.prev["keras-epoch"] = (int(m.group(1)), int(m.group(2)))
            return True
        return None
    if "/" not in low[:24]:
        if "keras-epoch" in st.prev and _OLD.match(low):
            st.notes.setdefault("keras", fact("lognote.keras_no_steps"))
            return True
        return None
    m = _COUNT.match(low)
    if m is None:
        return None
    cur, target = int(m.group(1)), int(m.group(2))
    rest = low[m.end():]
    bar = "━" in rest or "[=" in rest or "[." in rest or "eta" in rest
    if cur != target or target <= 0:
        return True if bar else None  # a running average mid-epoch: understood, not used
    # Keras prints both rounded to a whole unit (_format_time: "%.0f"): the per-step time to half a unit, the epoch's
    # seconds to half a second over its steps; the finer of the two is used
    ms = err = None
    for u in _PER_STEP.finditer(rest):
        v = num_before(rest, u.start())
        if v is not None and v > 0:
            ms, err = v * _UNIT[u.group(1)], 0.5 * _UNIT[u.group(1)]
            break
    t = _TOTAL.search(rest)
    if t is not None:
        v = num(t.group(1))
        if v and (ms is None or 500.0 / target < err):
            ms = v * 1000.0 / target
    if ms is None:
        return True if bar else None
    if not bar and "loss" not in rest and "/step" not in rest:
        return None
    head = st.prev.get("keras-epoch")
    count = st.prev.get("keras-count", (0,))[0] + 1
    epoch = head[0] if head is not None else count
    st.prev["keras-count"] = (count,)
    if head is not None and head[1] > 0:
        st.hint_explicit = head[1] * target  # the run's optimizer steps: epochs x steps per epoch
    if "val_loss" in rest:
        st.notes["keras"] = fact("lognote.keras_val")
    loss = first_num(LOSS_FIELD, rest) if "loss" in rest else None
    st.records.append(IterRecord(epoch * target, ms, loss, None, line_no, None, "keras", INTERVAL, target))
    return True



