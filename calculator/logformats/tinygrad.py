"""tinygrad's training examples (tinygrad/tinygrad examples/hlb_cifar10.py, beautiful_cifar.py, mlperf/model_train.py,
stable_diffusion training): ``  42  123.45 ms run,   98.10 ms python,   25.35 ms CL,    1.23 loss, 4.56 GB used,
1234.56 GFLOPS``.

Read from examples/hlb_cifar10.py and examples/mlperf/model_train.py (2023-2025): a line per step, ``{i} {t:7.2f} ms
run`` being that step's wall time (from before the jitted step to after the loss reached the host), then its parts
(``ms python``, ``ms CL``/``ms fetch data``/``ms <device>``), the loss and the memory; the diffusion example prints
``00042: 123.45 ms run, 2.34567 train loss``. The first steps run and capture the JIT (slow). Evaluations are printed on
their own line (``eval 9812/10000 98.12%, 0.07 val_loss STEP=500``) and are outside a step's time. beautiful_mnist.py
uses a tqdm bar, read as any tqdm bar.
"""

from __future__ import annotations

import re

from ._base import NUM, NUMU, Format, IterRecord, State, add_eval, num, num_before, pos

FORMATS = (
    Format("tinygrad", "tinygrad training examples (hlb_cifar10, mlperf model_train)",
           "  42  123.45 ms run,   98.10 ms python,   25.35 ms CL,    1.23 loss, 4.56 GB used,   1234.56 GFLOPS",
           "one line per step; 'ms run' is that step's wall time (evaluations are printed and timed apart)",
           "median of the steps left after the warm-up (the JIT capture) and spikes", eval_timed=False),
)

_RUN = re.compile(r"(?:^|\s)(\d{1,12}):?\s{1,8}" + NUMU + r"\s{0,4}ms run")
_BARE = re.compile(r"^\s{0,16}" + NUMU + r"\s{0,4}ms run")
_LOSS_UNIT = re.compile(r"\s(?:train )?loss(?![a-z_])")
_VAL = re.compile(NUM + r"\s{0,4}val_loss")
_STEP = re.compile(r"step=(\d{1,12})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "ms run" not in low:
        if "val_loss" in low and low.lstrip().startswith("eval"):
            v = _VAL.search(low)
            s = _STEP.search(low)
            add_eval(st, "tinygrad", int(s.group(1)) if s else None, line_no, None, num(v.group(1)) if v else None)
            return True
        return None
    m = _RUN.search(low)
    it = None
    if m is not None:
        it, ms_s = int(m.group(1)), m.group(2)
    else:
        b = _BARE.match(low)
        if b is None:
            return None
        ms_s = b.group(1)
    ms = pos(ms_s)
    if ms is None:
        return False
    loss = None
    lu = _LOSS_UNIT.search(low)
    if lu is not None:
        loss = num_before(low, lu.start())
    st.records.append(IterRecord(it, ms, loss, None, line_no, None, "tinygrad"))
    return True
