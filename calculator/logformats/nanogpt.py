"""karpathy/nanoGPT train.py: ``iter N: loss L, time T.TTms, mfu M.MM%`` and its eval line.

``mfu -100.00%`` is nanoGPT's placeholder (running_mfu starts at -1.0 and is only computed once
``local_iter_num >= 5``), so any negative mfu is stored as ``printed_mfu=None``. The eval line ``step N: train loss
L, val loss V`` is printed at the top of the loop, *after* the previous iteration reset ``t0``, so the ``iter N``
line printed right after it carries the evaluation (and the checkpoint save). ``Overriding: max_iters = N``
(configurator.py) gives the run's length.
"""

from __future__ import annotations

import re

from ._base import INF, NUM, NUMU, Format, IterRecord, State, add_eval, num, tokens, w

FORMATS = (
    Format("nanogpt", "nanoGPT (karpathy/nanoGPT train.py)",
           "iter 100: loss 4.2120, time 5793.04ms, mfu 8.86%",
           "one line per printed iteration (every log_interval); its time is that one iteration's, an optimizer "
           "step (all gradient_accumulation_steps micro-steps)",
           "median of the iterations left after iteration 0, the warm-up iterations nanoGPT prints with "
           "mfu -100.00%, the iteration printed after each 'step N: train loss …, val loss …' line, and spikes"),
)

_ITER = re.compile(
    w("iter") + r"\s{1,8}(\d{1,12})\s{0,8}:\s{0,8}loss\s{1,8}" + NUM + r"\s{0,8},\s{0,8}time\s{1,8}" + NUMU
    + r"\s{0,8}ms(?:\s{0,8},\s{0,8}mfu\s{1,8}" + NUM + r"\s{0,8}%)?"
)
EVAL = re.compile(
    w("step") + r"\s{1,8}(\d{1,12})\s{0,8}:\s{0,8}train\s{1,8}loss\s{1,8}" + NUM
    + r"\s{0,8},\s{0,8}val\s{1,8}loss\s{1,8}" + NUM
)


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "iter" in low and "time" in low:
        m = _ITER.search(low)
        if m is not None:
            # the most common line of all: the number checks of _base (pos, num, mfu) written inline
            it, loss_s, ms_s, mfu_s = m.groups()
            try:
                ms = float(ms_s)
            except ValueError:
                return False
            if not 0.0 < ms < INF:
                return False
            try:
                loss = float(loss_s)
                if not -INF < loss < INF:
                    loss = None
            except ValueError:
                loss = None
            mfu_v = None
            if mfu_s is not None:
                try:
                    mfu_v = float(mfu_s)
                    if not 0.0 <= mfu_v < INF:
                        mfu_v = None  # -100.00%: the placeholder
                except ValueError:
                    mfu_v = None
            toks = tokens(low[m.end():]) if "tok" in low else None
            st.records.append(IterRecord(int(it), ms, loss, mfu_v, line_no, toks, "nanogpt"))
            return True
    if "step" in low and "val" in low:
        m = EVAL.search(low)
        if m is not None:
            add_eval(st, "nanogpt", int(m.group(1)), line_no, num(m.group(2)), num(m.group(3)))
            return True
    return None
