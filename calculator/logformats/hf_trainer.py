"""Hugging Face transformers Trainer.

Its tqdm bar ``  4%|▎   | 1295/36234 [11:25<5:08:37,  1.89it/s]`` counts optimizer steps (timing as any tqdm bar,
see progress_bars.py); its log dicts ``{'loss': 1.0692, 'learning_rate': …, 'epoch': 0.21}`` (keys single- or
double-quoted, values bare or quoted) carry no time and become evaluations (``loss`` as the training loss,
``eval_loss`` as the validation loss); the closing ``{'train_runtime': …, 'train_steps_per_second': S, …}`` is a
whole-run average, used only when there is nothing better; ``Total optimization steps = N`` is the run's length.
A pager shows the bar's carriage returns as a literal ``^M``.
"""

from __future__ import annotations

import re

from ._base import NUM, WHOLE_RUN, Format, IterRecord, State, add_eval, integer, num, pos

FORMATS = (
    Format("hf-trainer", "Hugging Face Trainer (transformers)",
           "  4%|▎         | 1295/36234 [11:25<5:08:37,  1.89it/s]^M{'loss': 1.0692, 'learning_rate': 0.00029, "
           "'epoch': 0.21}",
           "the bar counts optimizer steps (its rate a running average); the log dicts carry losses, no time; "
           "train_steps_per_second is a whole-run average",
           "as for a tqdm bar; the whole-run train_steps_per_second only when there are no bar rates",
           eval_timed=False),
)

_DICT_PAIR = re.compile(r"['\"]([a-z_][\w/.]{0,60})['\"]\s{0,4}:\s{0,4}['\"]?" + NUM)
_TOTAL = re.compile(r"total optimization steps\s{0,4}=\s{0,4}(\d[\d,]{0,20})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "{" in low and ("loss" in low or "runtime" in low or "per_second" in low):
        d: dict[str, str] = {}
        for pm in _DICT_PAIR.finditer(low):
            d.setdefault(pm.group(1), pm.group(2))
        if d:
            sps = pos(d.get("train_steps_per_second"))
            if sps is not None:
                st.hf_seen = True
                st.records.append(IterRecord(None, 1000.0 / sps, num(d.get("train_loss")), None, line_no, None,
                                             "hf-trainer", WHOLE_RUN))
                return True
            if "eval_loss" in d:
                st.hf_seen = True
                add_eval(st, "hf-trainer", integer(d.get("step")), line_no, None, num(d["eval_loss"]))
                return True
            if "loss" in d:
                st.hf_seen = True
                add_eval(st, "hf-trainer", integer(d.get("step")), line_no, num(d["loss"]), None)
                return True
            if "train_runtime" in d:
                st.hf_seen = True
                return True
    if "optimization steps" in low:
        m = _TOTAL.search(low)
        if m is not None:
            v = integer(m.group(1))
            if v:
                st.hint_explicit = v
            st.hf_seen = True
            return True
    return None
