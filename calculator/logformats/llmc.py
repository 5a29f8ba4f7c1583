"""karpathy/llm.c: train_gpt2.cu's ``step N/M | loss L (+z)| norm … | lr … | T ms | P% bf16 MFU | K tok/s``.

Versions print these ``|`` fields in other orders (``… | T ms | K tok/s | MFU P%``), the older
``step N/M: train loss L (T ms, K tok/s)``, and train_gpt2.c's ``step N: train loss L (took T ms)``; ``val loss V``
lines are its evals. llm.c prints ``step+1``, so its iterations are numbered from 1; ``M`` is the run's length. Its
CUDA events bracket only the training section, so an evaluation is never inside a printed time.
"""

from __future__ import annotations

import re

from ._base import LOSS_FIELD as _LOSS_FIELD
from ._base import (
    NUM,
    NUMU,
    Format,
    IterRecord,
    State,
    first_num,
    mfu,
    num,
    pipe_fields,
    pos,
    printed_mfu,
    tokens,
    unit_num,
    w,
)

FORMATS = (
    Format("llm.c", "llm.c (karpathy/llm.c train_gpt2.cu, train_gpt2.c)",
           "step   10/5000 | loss 7.402 (+nanz)| norm 2.3 (+nanz)| lr 6.00e-05 | 170.37 ms | 42.1% bf16 MFU | "
           "3076913 tok/s",
           "one line per optimizer step; its time is that step's (CUDA events around the training section only)",
           "median of the steps left after the first five and spikes; evaluations are never inside a printed time",
           eval_timed=False),
)

_STEP = re.compile(w("step") + r"\s{1,8}(\d{1,12})\s{0,8}/\s{0,8}(\d{1,12})\s{0,8}[|:]")
_CPU = re.compile(
    w("step") + r"\s{1,8}(\d{1,12})\s{0,8}:\s{0,8}train\s{1,8}loss\s{1,8}" + NUM
    + r"\s{0,8}\(\s{0,8}took\s{1,8}" + NUMU + r"\s{0,8}ms"
)
# the canonical line of train_gpt2.cu in one regex (fast path)
_FAST = re.compile(
    w("step") + r"\s{1,8}(\d{1,12})\s{0,4}/\s{0,4}(\d{1,12})\s{0,4}\|\s{0,4}loss\s{1,4}" + NUM
    + r"[^|]{0,40}\|(?:[^|]{0,80}\|){0,6}?\s{0,4}" + NUMU + r"\s{0,4}ms\s{0,4}(?:\|\s{0,4}" + NUM
    + r"\s{0,4}%\s{0,4}(?:[a-z0-9]{1,8}\s{1,4})?mfu\s{0,4})?(?:\|\s{0,4}" + NUM + r"\s{0,4}tok/s)?"
)
_MS_UNIT = re.compile(r"ms(?![a-z0-9_])")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "step" not in low:
        return None
    records = st.records
    if "/" in low:
        if "|" in low:
            m = _FAST.search(low)
            if m is not None:
                it, total_s, loss_s, ms_s, mfu_s, tok_s = m.groups()
                ms = pos(ms_s)
                if ms is not None:
                    total = int(total_s)
                    if total > 0:
                        st.hint_steps = total
                    mfu_v = mfu(mfu_s)
                    if mfu_s is None and "mfu" in low:
                        mfu_v = printed_mfu(low[m.end():])
                    records.append(IterRecord(int(it), ms, num(loss_s), mfu_v, line_no, pos(tok_s), "llm.c"))
                    return True
        m = _STEP.search(low)
        if m is not None:
            total = int(m.group(2))
            rest = low[m.end():]
            if "|" in rest:
                ms, loss, mfu_v, toks = pipe_fields(rest, False)
                if ms is not None:
                    if total > 0:
                        st.hint_steps = total
                    records.append(IterRecord(int(m.group(1)), ms, loss, mfu_v, line_no, toks, "llm.c"))
                    return True
            ms = unit_num(_MS_UNIT, low, m.end())
            if total > 0:
                st.hint_steps = total
            if ms is None or ms <= 0:
                return True if "loss" in low else None  # a step line without a time: understood, no record
            loss = first_num(_LOSS_FIELD, rest)
            mfu_v = printed_mfu(rest) if "mfu" in rest else None
            records.append(IterRecord(int(m.group(1)), ms, loss, mfu_v, line_no, tokens(rest), "llm.c"))
            return True
    if "took" in low:
        m = _CPU.search(low)
        if m is not None:
            ms = pos(m.group(3))
            if ms is None:
                return False
            records.append(IterRecord(int(m.group(1)), ms, num(m.group(2)), None, line_no, None, "llm.c"))
            return True
    return None
