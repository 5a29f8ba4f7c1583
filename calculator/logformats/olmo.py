"""allenai/OLMo (olmo/train.py): one record spread over many lines, a header and one indented ``name=value`` line per
metric::

    [step=12/739328]
        train/CrossEntropyLoss=7.412
        throughput/device/tokens_per_second=9,873
        throughput/device/batches_per_second=0.6027

Read from olmo/train.py (``Trainer.fit`` and ``log_metrics_to_console``, v0.2-v0.6, 2024-2025): the header is
``[step={global_step}/{max_steps}]`` (later ``[step=N/M,epoch=E]`` or ``[step=N/M, eta=…]``), printed every
``console_log_interval`` steps; other ranks print the header alone. Values go through ``format_float`` (``1,234`` above
1000, four decimals below 1). ``SpeedMonitor.check`` gives ``batches_per_second``: the optimizer steps of the last
``speed_monitor.window_size`` (default 100) over the time since the first of them, a moving average; the monitor is
reset after each evaluation, so evaluations are not inside it.
"""

from __future__ import annotations

import re

from ._base import RATE, Format, IterRecord, State, integer, num, pos

FORMATS = (
    Format("olmo", "OLMo (allenai/OLMo train.py)",
           "[step=12/739328]\n    train/CrossEntropyLoss=7.412\n    throughput/device/batches_per_second=0.6027",
           "a [step=N/M] header followed by one metric per line; batches_per_second is a moving average over the "
           "last window_size optimizer steps (evaluations not included)",
           "as for progress-bar rates: the later half of the moving averages, after the first five steps",
           eval_timed=False),
)

_HEAD = re.compile(r"\[step=(\d{1,12})/(\d{1,12})")
_VALUE = re.compile(r"=\s{0,2}([-+0-9.,e]{1,40})")


def parse(low: str, line_no: int, st: State) -> bool | None:
    if "[step=" in low:
        m = _HEAD.search(low)
        if m is None:
            return None
        total = int(m.group(2))
        if total > 0:
            st.hint_steps = total
        st.prev["olmo"] = (int(m.group(1)), None, None)
        return True
    if "/" not in low or "=" not in low:
        return None
    prev = st.prev.get("olmo")
    if prev is None:
        return None
    s = _metric(low)  # "    name=value", maybe after a launcher's "[default0]:" prefix
    if s is None:
        return None
    if s.startswith("throughput/device/batches_per_second"):
        v = _value(s)
        if v is None:
            return False
        st.records.append(IterRecord(prev[0], 1000.0 / v, prev[1], None, line_no, prev[2], "olmo", RATE))
        return True
    if s.startswith("train/crossentropyloss"):
        st.prev["olmo"] = (prev[0], num(_raw(s)), prev[2])
        return True
    if s.startswith("throughput/device/tokens_per_second"):
        st.prev["olmo"] = (prev[0], prev[1], _value(s))
        return True
    return True


_GROUPS = ("train/", "throughput/", "optim/", "system/", "eval/", "time/")


def _metric(low: str) -> str | None:
    """The "group/name=value" of a metric line (indented, maybe after a launcher's prefix), else None."""
    s = low.strip()
    if s.startswith(_GROUPS):
        return s
    for g in _GROUPS:
        i = s.find(g)
        if i > 0 and s[i - 1] in " \t:]":
            return s[i:]
    return None


def _raw(s: str) -> str | None:
    m = _VALUE.search(s)
    return m.group(1).rstrip(",") if m is not None else None


def _value(s: str) -> float | None:
    r = _raw(s)
    if r is None:
        return None
    if "," in r and "e" not in r:
        i = integer(r)
        return float(i) if i and i > 0 else None
    return pos(r)
