"""karpathy/llama2.c train.py: ``490 | loss 5.7512 | lr 4.900000e-05 | 8060.78ms | mfu 0.21%``.

nanoGPT's loop in another print: the time is one optimizer step (all gradient_accumulation_steps micro-steps),
``mfu -100.00%`` is the placeholder of the first iterations, and the evaluation (``step N: train loss L, val loss
V``) is timed inside the next printed iteration.
"""

from __future__ import annotations

from ._base import Format, IterRecord, State, int_before, pipe_fields

FORMATS = (
    Format("llama2.c", "llama2.c (karpathy/llama2.c train.py)",
           "490 | loss 5.7512 | lr 4.900000e-05 | 8060.78ms | mfu 0.21%",
           "one line per printed iteration; its time is that one optimizer step's",
           "as nanoGPT: median of the iterations left after iteration 0, the warm-up, the iteration after each "
           "evaluation, and spikes"),
)


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "| loss" not in low:
        return None
    at = low.find("| loss")
    it = int_before(low, at)
    if it is None:
        return None
    word = low[max(0, at - 40):at].rstrip().rstrip("0123456789").rstrip(" :#=")
    if word.endswith(("step", "iter", "iteration", "epoch", "batch")):
        return None  # "step 10 | loss …": another format's line; llama2.c's starts with the bare number
    ms, loss, mfu, toks = pipe_fields(low[at:], True)
    if ms is None:
        return None
    st.records.append(IterRecord(it, ms, loss, mfu, line_no, toks, "llama2.c"))
    return True
