"""karpathy/build-nanogpt train_gpt2.py: ``step N | loss L | lr … | norm: … | dt: T ms | tok/sec: K``.

``dt`` is one optimizer step (all grad_accum_steps micro-steps), measured with a synchronize at its end. The
evaluation (``validation loss: V``, every 250 steps) and HellaSwag run at the top of the step that prints next, so
that step's ``dt`` includes them. Pasted notes re-type lines (``Step``, ``dt: 10608.56 ms``): matching is
case-insensitive and allows the space.
"""

from __future__ import annotations

import re

from ._base import NUM, NUMU, Format, IterRecord, State, num, pos, printed_mfu, w

FORMATS = (
    Format("build-nanogpt", "build-nanogpt (karpathy/build-nanogpt train_gpt2.py)",
           "step   10 | loss: 9.875684 | lr 9.2308e-06 | norm: 3.8963 | dt: 10538.38ms | tok/sec: 49750.32",
           "one line per optimizer step; dt is that step's time, including an evaluation run at its start",
           "median of the steps left after step 0, the warm-up steps, the step after each 'validation loss' line, "
           "and spikes"),
)

_FAST = re.compile(
    w("step") + r"\s{1,8}(\d{1,12})\s{0,4}\|\s{0,4}loss:?\s{1,4}" + NUM
    + r"\s{0,4}\|(?:[^|]{0,80}\|){0,6}?\s{0,4}dt:\s{0,4}" + NUMU
    + r"\s{0,4}ms(?:\s{0,4}\|\s{0,4}tok/sec:\s{0,4}" + NUM + ")?"
)


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "dt:" not in low or "step" not in low:
        return None
    m = _FAST.search(low)
    if m is None:
        return None
    it, loss_s, ms_s, tok_s = m.groups()
    ms = pos(ms_s)
    if ms is None:
        return None
    mfu = printed_mfu(low) if "mfu" in low else None
    st.records.append(IterRecord(int(it), ms, num(loss_s), mfu, line_no, pos(tok_s), "build-nanogpt"))
    return True
