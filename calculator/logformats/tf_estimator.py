"""TensorFlow 1.x/2.x ``tf.estimator`` (and TPUEstimator): ``INFO:tensorflow:global_step/sec: 3.2567`` beside
``INFO:tensorflow:loss = 0.123, step = 1200 (30.713 sec)``.

Read from tensorflow/python/training/basic_session_run_hooks.py (TF 1.15, and tensorflow_estimator 2.x):
``StepCounterHook`` logs ``global_step/sec: %g``, the optimizer steps since its previous log over the time since
(every ``log_step_count_steps``, default 100), an interval average; ``LoggingTensorHook`` logs ``loss = L, step = N``
with the seconds since its previous log in brackets, over the same steps. Both measure the same interval, so where
``global_step/sec`` is printed the bracketed seconds are not used twice. Forks of the hook print
``global_step/sec: R, step: N``; the step is then read from the same line. ``Saving checkpoints for N into …`` is
inside the next interval, and so is an evaluation of ``train_and_evaluate`` (``Saving dict for global step N: …,
loss = V``).
"""

from __future__ import annotations

import re

from ._base import INTERVAL, NUM, Format, IterRecord, State, add_eval, num, pos, w

FORMATS = (
    Format("tf-estimator", "TensorFlow Estimator (tf.estimator, TPUEstimator)",
           "INFO:tensorflow:global_step/sec: 3.2567",
           "one line every log_step_count_steps optimizer steps: global_step/sec is their average rate (time per "
           "step = 1 ÷ it); else the bracketed seconds of 'loss = L, step = N (T sec)' over the steps since the "
           "previous such line",
           "median of the intervals left after the first of a run, the interval after each checkpoint save or "
           "evaluation, and spikes", intervals=True),
)

_RATE = re.compile(r"global_step/sec:\s{0,4}" + NUM)
_RATE_STEP = re.compile(r",\s{0,4}step:\s{0,4}(\d{1,12})")  # forks that print "global_step/sec: R, step: N"
_LOSS_STEP = re.compile(w("loss") + r"\s{0,2}=\s{0,2}" + NUM + r",\s{0,4}step\s{0,2}=\s{0,2}(\d{1,12})")
_SEC = re.compile(r"\(\s{0,2}" + NUM + r"\s{0,2}sec\)")
_CKPT = re.compile(r"saving checkpoints for\s{1,4}(\d{1,12})")
_EVAL = re.compile(r"saving dict for global step\s{1,4}(\d{1,12}):")
_EVAL_LOSS = re.compile(w("loss") + r"\s{0,2}=\s{0,2}" + NUM)


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "global_step/sec" in low:
        m = _RATE.search(low)
        if m is None:
            return None
        rate = pos(m.group(1))
        if rate is None:
            return False
        last = st.prev.get("tf-step")
        # the step of the "loss = …, step = N" line next to it, once: a second rate before the next step line (the
        # tensor hook logging less often) has no step of its own
        it = last[0] if last is not None and not st.prev.get("tf-used", (None,))[0] == last[0] else None
        if it is not None:
            st.prev["tf-used"] = (it,)
        own = _RATE_STEP.search(low, m.end())
        if own is not None:
            it = int(own.group(1))
        prev = st.prev.get("tf-rate")
        span = it - prev[0] if it is not None and prev is not None and prev[0] is not None and it > prev[0] else 0
        st.prev["tf-rate"] = (it,)
        st.records.append(IterRecord(it, 1000.0 / rate, last[1] if last and it is not None else None, None, line_no,
                                     None, "tf-estimator", INTERVAL, span if it is not None else 1))
        return True
    if "step =" in low and "loss" in low:
        m = _LOSS_STEP.search(low)
        if m is None:
            return None
        step, loss = int(m.group(2)), num(m.group(1))
        prev = st.prev.get("tf-step")
        st.prev["tf-step"] = (step, loss)
        s = _SEC.search(low, m.end())
        if s is None or prev is None or step <= prev[0]:
            return True
        sec = pos(s.group(1))
        if sec is None:
            return False
        rec = IterRecord(step, sec * 1000.0 / (step - prev[0]), loss, None, line_no, None, "tf-estimator", INTERVAL,
                         step - prev[0])
        st.records.append(rec)
        st.prev.setdefault("tf-bracketed", ([],))[0].append(id(rec))
        return True
    if "saving checkpoints for" in low:
        m = _CKPT.search(low)
        if m is not None:
            st.checkpoints.append({"iteration": int(m.group(1)), "line_no": line_no})
            return True
    if "saving dict for global step" in low:
        m = _EVAL.search(low)
        if m is not None:
            lm = _EVAL_LOSS.search(low, m.end())
            add_eval(st, "tf-estimator", int(m.group(1)), line_no, None, num(lm.group(1)) if lm else None)
            return True
    if "examples/sec:" in low or "loss for final step" in low:
        return True
    return None


def finish(st: State) -> None:
    """Where global_step/sec was printed, the bracketed seconds of the same intervals are not counted again."""
    bracketed = st.prev.get("tf-bracketed")
    if bracketed and "tf-rate" in st.prev:
        drop = set(bracketed[0])
        st.records[:] = [r for r in st.records if id(r) not in drop]
