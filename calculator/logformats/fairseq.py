"""facebookresearch/fairseq ``fairseq-train``: the log-interval lines ``epoch 001:    100 / 1101 loss=9.233, ppl=602.7,
wps=21032.5, ups=5.13, wpb=4093.2, bsz=137.5, num_updates=100, lr=…, gnorm=1.2, train_wall=19, wall=20`` (after a
``| INFO | train_inner |`` prefix, or ``| `` in the legacy versions), the epoch summaries ``| epoch 001 | loss 9.0 |
… | wps 21000 | ups 5 | wpb 4093 | … | num_updates 1101 | …`` and the validation lines ``| epoch 001 | valid on
'valid' subset | loss 8.5 | … | num_updates 1101``.

Read from fairseq/trainer.py (``_reduce_and_log_stats``: ``ups`` is a TimeMeter of updates, rounded to 2 decimals)
and fairseq/tasks/fairseq_task.py (``reduce_metrics``: ``wps`` a TimeMeter of target tokens, ``wpb`` the tokens per
update, both rounded to 1 decimal) and fairseq_cli/train.py with
fairseq/logging/progress_bar.py (v0.9-v0.12, 2019-2022): the meters are reset after each log line, so a line's rates
are averages over the updates since the previous line (``--log-interval``), an interval; the first line after a
validation also holds the validation's time. The time per update is ``wpb ÷ wps`` (both printed to 0.1), else
``1 ÷ ups`` (to 0.01: coarse for slow runs). ``wpb`` is the tokens of an update, ``bsz`` its sentences. An epoch
summary averages the whole epoch and is used only when no interval lines were printed.
"""

from __future__ import annotations

import re

from ..facts import fact
from ._base import INTERVAL, Format, IterRecord, State, add_eval, integer, interval_span, num, pos, state, w

FORMATS = (
    Format("fairseq", "fairseq (facebookresearch/fairseq fairseq-train)",
           "epoch 001:    100 / 1101 loss=9.233, ppl=602.7, wps=21032.5, ups=5.13, wpb=4093.2, bsz=137.5, "
           "num_updates=100, lr=1.25e-05, gnorm=1.2, train_wall=19, wall=20",
           "one line every log_interval updates (optimizer steps): the time per update is wpb ÷ wps (else 1 ÷ ups), "
           "an average over the interval; epoch summaries average the epoch",
           "median of the intervals left after the first of a run, the interval after each validation, and spikes; "
           "epoch summaries only when there are no interval lines", intervals=True),
)

_INNER = re.compile(w("epoch") + r"\s{1,4}(\d{1,9}):\s{0,8}(\d{1,12})\s{0,4}/\s{0,4}(\d{1,12})")
_EQ = re.compile(r"(?<![a-z_])([a-z_]{2,24})=([-+0-9.e,]{1,24})(?![0-9])")
_SUMMARY = re.compile(w("epoch") + r"\s{1,4}(\d{1,9})\s{0,4}\|")
_PIPE = re.compile(r"\|\s{0,4}([a-z_]{2,24})\s{1,8}([-+0-9.e]{1,24})\s{0,4}(?=\||$)")
_MAX_UPDATE = re.compile(r"max_update[=:]\s{0,4}'?(\d{1,12})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "epoch" not in low:
        if "max_update" in low and ("namespace(" in low or "'max_update'" in low):
            m = _MAX_UPDATE.search(low)
            if m is not None and int(m.group(1)) > 0:
                st.hint_explicit = int(m.group(1))
                return True
        return None
    if "valid on" in low:
        if _SUMMARY.search(low) is None:
            return None
        d = dict(_PIPE.findall(low))
        add_eval(st, "fairseq", integer(d.get("num_updates")), line_no, None, num(d.get("loss")))
        return True
    if "=" in low and "wps" in low:
        m = _INNER.search(low)
        if m is None:
            return None
        d = {k: v.rstrip(",") for k, v in _EQ.findall(low, m.end())}
        return _record(d, line_no, st, False)
    if "| wps" in low:
        if _SUMMARY.search(low) is None:
            return None
        return _record(dict(_PIPE.findall(low)), line_no, st, True)
    return None


def _record(d: dict, line_no: int, st: State, summary: bool) -> bool:
    wps, wpb, ups = pos(d.get("wps")), pos(d.get("wpb")), pos(d.get("ups"))
    if wps and wpb:
        ms = wpb / wps * 1000.0
    elif ups:
        ms = 1000.0 / ups
    else:
        return False
    it = integer(d.get("num_updates"))
    state(st, "tokens_per_step", wpb)
    state(st, "global_batch", pos(d.get("bsz")))
    span = interval_span(st, "fairseq-summary" if summary else "fairseq", it) if it is not None else 0
    rec = IterRecord(it, ms, num(d.get("loss")), None, line_no, wps, "fairseq", INTERVAL, span)
    st.records.append(rec)
    if summary:
        st.prev.setdefault("fairseq-summaries", ([],))[0].append(id(rec))
    else:
        st.prev["fairseq-inner"] = (True,)
    return True


def finish(st: State) -> None:
    """Epoch summaries only where no interval lines were printed; then each summary spans its epoch's updates."""
    summaries = st.prev.get("fairseq-summaries")
    if not summaries:
        return
    if "fairseq-inner" in st.prev:
        drop = set(summaries[0])
        st.records[:] = [r for r in st.records if id(r) not in drop]
    else:
        st.notes["fairseq"] = fact("lognote.fairseq_epochs")
