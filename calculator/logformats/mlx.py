"""Apple's MLX fine-tuning (ml-explore/mlx-examples lora/lora.py, and mlx-lm's tuner/trainer.py): ``Iter 10: Train
loss 3.608, Learning Rate 1.000e-05, It/sec 0.415, Tokens/sec 152.3, Trained Tokens 3672, Peak mem 7.1 GB``.

Read from mlx-examples lora/lora.py (2023-2024: ``Iter {it + 1}: Train loss L, It/sec R, Tokens/sec T``) and mlx-lm
mlx_lm/tuner/trainer.py (2024-2025, with the learning rate, the trained tokens and the peak memory): a line every
``steps_per_report`` iterations, ``It/sec`` being those iterations over the time they took, an interval average. The
timer is restarted after each ``Iter N: Val loss V, Val took Ts`` (lora.py), or counts the training steps only
(trainer.py), so validation is never inside it. With ``grad_accumulation_steps`` in later mlx-lm an iteration is a
micro-batch.
"""

from __future__ import annotations

import re

from ._base import INTERVAL, NUM, Format, IterRecord, State, add_eval, interval_span, num, pos, w

FORMATS = (
    Format("mlx", "MLX fine-tuning (mlx-examples lora, mlx-lm)",
           "Iter 10: Train loss 3.608, Learning Rate 1.000e-05, It/sec 0.415, Tokens/sec 152.300, "
           "Trained Tokens 3672, Peak mem 7.100 GB",
           "one line every steps_per_report iterations; It/sec is their average rate (time per iteration = 1 ÷ "
           "It/sec), validation not included",
           "median of the intervals left after the first of a run and spikes", eval_timed=False, intervals=True),
)

_ITER = re.compile(w("iter") + r"\s{1,4}(\d{1,12}):\s{0,4}(train|val)\s{1,4}loss\s{0,4}" + NUM)
_RATE = re.compile(r"it/sec\s{0,4}" + NUM)
_TOK = re.compile(r"tokens/sec\s{0,4}" + NUM)
_ITERS = re.compile(r"starting training\.{0,3},?\s{0,4}iters:\s{0,4}(\d{1,12})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "iter" not in low:
        return None
    if "loss" in low:
        m = _ITER.search(low)
        if m is None:
            return None
        it = int(m.group(1))
        if m.group(2) == "val":
            add_eval(st, "mlx", it, line_no, None, num(m.group(3)))
            return True
        r = _RATE.search(low, m.end())
        if r is None:
            return None
        rate = pos(r.group(1))
        if rate is None:
            return False
        span = interval_span(st, "mlx", it)
        t = _TOK.search(low, r.end())
        st.records.append(IterRecord(it, 1000.0 / rate, num(m.group(3)), None, line_no,
                                     pos(t.group(1)) if t else None, "mlx", INTERVAL, span))
        return True
    if "starting training" in low:
        m = _ITERS.search(low)
        if m is not None:
            st.hint_explicit = int(m.group(1)) or st.hint_explicit
            return True
    return None
