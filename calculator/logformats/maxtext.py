"""AI-Hypercomputer/maxtext (JAX on TPU and GPU): ``completed step: 12, seconds: 1.234, TFLOP/s/device: 180.512,
Tokens/s/device: 6640.214, total_weights: 65536, loss: 6.512``.

Read from MaxText/metric_logger.py (``MetricLogger.log_metrics``, 2025) and the earlier MaxText/train.py
(``write_metrics``, 2023-2024, which prints ``completed step: N, seconds: S, TFLOP/s/device: T, loss: L`` without
the tokens): ``seconds`` is ``perf/step_time_seconds``, the host's wall time from the previous step's completion to
this one's, so it includes an evaluation (``eval metrics after step: N, …``) or a checkpoint save (``saved a
checkpoint at step N``) done in between. JAX dispatches asynchronously: the first steps carry the compile, and a
step right after it can look far shorter than it is (a 0.3 s "step" on TPU); the warm-up exclusion covers both. Every
host prints the line on a multi-host slice (a copy per host). The configuration dump (pyconfig: ``Config param
per_device_batch_size: 12``, ``Config param max_target_length: 2048``, ``Config param steps: 1000``), the mesh line
(``Num_devices: 8, shape …``) and ``number parameters: 1.104 billion`` state the run.
"""

from __future__ import annotations

import re

from ._base import NUM, Format, IterRecord, State, add_eval, num, pos, state, w

FORMATS = (
    Format("maxtext", "MaxText (AI-Hypercomputer/maxtext, JAX on TPU and GPU)",
           "completed step: 12, seconds: 1.234, TFLOP/s/device: 180.512, Tokens/s/device: 6640.214, "
           "total_weights: 65536, loss: 6.512",
           "one line per optimizer step; seconds is that step's wall time on the host, from the previous step's end "
           "(an evaluation or a checkpoint save in between is inside it)",
           "median of the steps left after the first five (compile and asynchronous-dispatch artefacts), the step "
           "after each evaluation or checkpoint save, and spikes"),
)

_STEP = re.compile(r"completed step:\s{0,4}(\d{1,12}),\s{0,4}seconds:\s{0,4}" + NUM)
_TOKENS = re.compile(r"tokens/s/device:\s{0,4}" + NUM)
_LOSS = re.compile(w("loss") + r":\s{0,4}" + NUM)
_EVAL = re.compile(r"eval metrics after step:\s{0,4}(\d{1,12})")
_EVAL_LOSS = re.compile(r"loss[=:]\s{0,4}" + NUM)
_CKPT = re.compile(r"saved a checkpoint at step:?\s{0,4}(\d{1,12})")
_CONFIG = re.compile(r"config param (per_device_batch_size|max_target_length|steps|num_slices):\s{0,4}" + NUM)
_DEVICES = re.compile(r"num_devices:\s{0,4}(\d{1,9})")
_PARAMS = re.compile(r"number parameters:\s{0,4}" + NUM + r"\s{0,4}billion")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "completed step" in low:
        m = _STEP.search(low)
        if m is None:
            return None
        v = pos(m.group(2))
        if v is None:
            return False
        rest = low[m.end():]
        tm = _TOKENS.search(rest) if "tokens/s" in rest else None
        lm = _LOSS.search(rest) if "loss" in rest else None
        st.records.append(IterRecord(int(m.group(1)), v * 1000.0, num(lm.group(1)) if lm else None, None, line_no,
                                     pos(tm.group(1)) if tm else None, "maxtext"))
        return True
    if "eval metrics after step" in low:
        m = _EVAL.search(low)
        if m is not None:
            lm = _EVAL_LOSS.search(low, m.end())
            add_eval(st, "maxtext", int(m.group(1)), line_no, None, num(lm.group(1)) if lm else None)
            return True
    if "saved a checkpoint at step" in low:
        m = _CKPT.search(low)
        if m is not None:
            st.checkpoints.append({"iteration": int(m.group(1)), "line_no": line_no})
            return True
    if "config param " in low:
        m = _CONFIG.search(low)
        if m is not None:
            v = num(m.group(2))
            if v is not None and v > 0:
                st.extra["maxtext_" + m.group(1)] = v
                if m.group(1) == "steps":
                    st.hint_explicit = int(v)
                _settle(st)
            return True
        return None
    if "num_devices:" in low:
        m = _DEVICES.search(low)
        if m is not None:
            st.extra["maxtext_devices"] = float(m.group(1))
            _settle(st)
            return True
    if "number parameters" in low:
        m = _PARAMS.search(low)
        if m is not None:
            v = num(m.group(1))
            state(st, "params", v * 1e9 if v is not None else None)
            return True
    return None


def _settle(st: State) -> None:
    """The global batch and tokens per step, once the per-device batch, the devices and the length are known."""
    x = st.extra
    per_dev, dev, length = x.get("maxtext_per_device_batch_size"), x.get("maxtext_devices"), \
        x.get("maxtext_max_target_length")
    if dev:
        state(st, "num_gpus", dev)
    if length:
        state(st, "seq_len", length)
    if per_dev and dev:
        state(st, "global_batch", per_dev * dev)
        if length:
            state(st, "tokens_per_step", per_dev * dev * length)
