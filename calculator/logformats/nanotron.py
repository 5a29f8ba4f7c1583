"""huggingface/nanotron: ``iteration: 250 / 1000 | consumed_tokens: 262M | elapsed_time_per_iteration_ms: 12.3K |
tokens_per_sec: 85.2K | tokens_per_sec_per_gpu: 10.7K | global_batch_size: 512 | lm_loss: 3.41 | …``.

Read from src/nanotron/trainer.py (``DistributedTrainer.train_step_logs``, 2024-2025) and src/nanotron/logging.py
(``LoggerWriter.add_scalars_from_list``, ``human_format``): each ``LogItem`` is printed as ``name: value`` between
``|``; in the later versions every value is in ``human_format`` (three significant digits and a K/M/G/T suffix, so
``12.3K`` ms is 12.3 s), in the earlier ones ``.1f`` and ``1.6E`` (``8.520000E+04``). ``elapsed_time_per_iteration_ms``
is the wall time since the previous printed iteration divided by the iterations in between
(``iteration_step_info_interval``): an interval average of optimizer steps of ``global_batch_size`` sequences.
``tokens_per_sec`` over ``tokens_per_sec_per_gpu`` is the number of GPUs.
"""

from __future__ import annotations

import re

from ._base import INTERVAL, Format, IterRecord, State, human, interval_span, state, w

FORMATS = (
    Format("nanotron", "nanotron (huggingface/nanotron)",
           "iteration: 250 / 1000 | consumed_tokens: 262M | elapsed_time_per_iteration_ms: 12.3K | "
           "tokens_per_sec: 85.2K | tokens_per_sec_per_gpu: 10.7K | global_batch_size: 512 | lm_loss: 3.41 | "
           "lr: 0.00028 | model_tflops_per_gpu: 180 | hardware_tflops_per_gpu: 180 | grad_norm: 0.312",
           "one line every iteration_step_info_interval optimizer steps; elapsed_time_per_iteration_ms is the "
           "interval's average (K-suffixed numbers are thousands)",
           "median of the intervals left after the first of a run and spikes", intervals=True),
)

_ITER = re.compile(w("iteration") + r":\s{0,4}(\d{1,12})\s{0,4}/\s{0,4}(\d{1,12})")
_FIELD = re.compile(r"([a-z_]{2,40}):\s{0,4}([-+0-9.e]{1,24}[kmgtpe]?)(?![a-z0-9])")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "elapsed_time_per_iteration_ms" not in low:
        return None
    m = _ITER.search(low)
    if m is None:
        return None
    fields = {k: v for k, v in _FIELD.findall(low, m.end())}
    ms = human(fields.get("elapsed_time_per_iteration_ms"))
    if ms is None or ms <= 0:
        return False
    it, total = int(m.group(1)), int(m.group(2))
    if total > 0:
        st.hint_steps = total
    span = interval_span(st, "nanotron", it)
    tps, per_gpu = human(fields.get("tokens_per_sec")), human(fields.get("tokens_per_sec_per_gpu"))
    gbs = human(fields.get("global_batch_size"))
    state(st, "global_batch", gbs)
    if tps and per_gpu:
        state(st, "num_gpus", float(round(tps / per_gpu)))
    if tps:  # tokens_per_sec = global batch x sequence length / the step's time (to the 3 digits printed)
        state(st, "tokens_per_step", float(round(tps * ms / 1000.0)))
    loss = human(fields.get("lm_loss"))
    st.records.append(IterRecord(it, ms, loss, None, line_no, tps, "nanotron", INTERVAL, span))
    return True
