"""Progress bars: tqdm, PyTorch Lightning's epoch bars (and the Hugging Face Trainer's, see hf_trainer.py).

``Epoch 0:  22%|██▏  | 4/18 [00:17<01:02,  4.47s/it, loss=10.07, v_num=1]`` -- ``n/total [elapsed<remaining,
rate{postfix}]``, the rate in ``it/s`` or ``s/it`` (tqdm switches when it drops below 1 it/s). The rate is an
exponential moving average (tqdm's ``smoothing=0.3``), slow to forget the first steps' start-up, while the elapsed
column is exact to the second: per run of a bar, when the rate falls outside what the elapsed column allows
(``(elapsed ± 1 s) / steps``), the time per step is the elapsed column's slope instead. Evaluation bars
(``Validation``, ``Sanity Checking``, ``Testing``, ``Predicting``, ``Evaluating``) are not training and are
ignored. A step printed twice (before and after its postfix updates) counts once; a bar whose count goes back is a
new run (a new epoch, or a second run pasted after the first). A bar counts batches: with gradient accumulation in
Lightning (``accumulate_grad_batches``) these are micro-steps.
"""

from __future__ import annotations

import re
import statistics

from ..facts import fact, qty
from ._base import ELAPSED, NUM, NUMU, RATE, Format, IterRecord, first_num, isfinite, pos

FORMATS = (
    Format("lightning", "PyTorch Lightning progress bar",
           "Epoch 0:  28%|██▊       | 5/18 [00:20<00:53,  4.14s/it, loss=9.847, v_num=193315]",
           "one bar update per batch; the rate is tqdm's smoothed running average; the elapsed column is exact "
           "to the second",
           "the elapsed column's slope (steps after the first of each run) when the smoothed rate disagrees with "
           "it, else the later half of the rates; each run's first five steps are left out",
           eval_timed=False),
    Format("tqdm", "tqdm progress bar (any trainer)",
           " 45%|████▌     | 450/1000 [02:15<02:45,  3.32it/s]",
           "one bar update per step; rate as for Lightning (it/s or s/it)",
           "as for Lightning; of several bars only the one with the largest total is kept (an evaluation bar is "
           "shorter than the training bar)",
           eval_timed=False),
)

# "n/total [elapsed<remaining, rate{postfix}]" -- found by its "[..<..," and read around it
_BAR = re.compile(
    r"/\s{0,4}(\d{1,12})\s{0,4}\[([^\[\]<]{0,30})<[^\[\],]{0,30},\s{0,8}(?:" + NUMU
    + r"\s{0,4}(it/s|s/it)|\?\s{0,4}it/s)([^\]]{0,1000})"
)
_REV_INT = re.compile(r" {0,4}(\d{1,12})")  # "n" of "n/total", reversed
_LIGHTNING_EPOCH = re.compile(r"epoch\s{1,4}\d{1,9}")
_EVAL_BAR_LABEL = re.compile(r"validat|sanity|testing|predict|evaluat")
_POSTFIX_LOSS = re.compile(r"loss(?<!val_loss)(?<![a-z0-9]loss)(?:_step|_epoch)?\s{0,4}[=:]\s{0,4}" + NUM)
_NEMO_TIMING = re.compile(r"train_step_timing in s\s{0,4}[=:]\s{0,4}" + NUM)
_NEMO_GSTEP = re.compile(r"global_step\s{0,4}[=:]\s{0,4}(\d{1,12})")
_ELAPSED_WINDOW_S = 60.0  # an elapsed-column slope is taken over at least this long, where the bar allows
_RESOLUTION_S = 1.0  # tqdm prints the elapsed time in whole seconds


def maybe_bar(low: str) -> bool:
    return "[" in low and "<" in low and ("it/s" in low or "s/it" in low)


def _seconds(s: str) -> float | None:
    """tqdm's elapsed "mm:ss" or "h:mm:ss" in seconds."""
    parts = s.strip().split(":")
    if len(parts) not in (2, 3) or not all(p.isdigit() and len(p) <= 6 for p in parts):
        return None
    v = 0
    for p in parts:
        v = v * 60 + int(p)
    return float(v)


def find_bar(low: str, line_no: int, labels: dict) -> tuple | None:
    """A tqdm-style bar in the segment -> (key, record or None, elapsed seconds or None); key is None for evaluation
    bars. Returns None if the segment holds no bar. ``labels`` caches what a bar label means."""
    m = _BAR.search(low)
    while m is not None:
        slash = m.start()
        start = slash - 16 if slash > 16 else 0
        c = _REV_INT.match(low[start:slash][::-1])
        pstart = slash - c.end() if c is not None else 0
        if c is None or (pstart > 0 and (low[pstart - 1].isalnum() or low[pstart - 1] in "_.")):
            m = _BAR.search(low, slash + 1)
            continue
        # the label: text before the percentage, without the digits tqdm rewrites each time
        label = low[:pstart].partition("%")[0].rstrip("0123456789 |").strip()
        source = labels.get(label)
        if source is None:
            if _EVAL_BAR_LABEL.search(label):
                source = ""
            elif "epoch" in label and _LIGHTNING_EPOCH.search(label):
                source = "lightning"
            else:
                source = "tqdm"
            if len(labels) < 10000:
                labels[label] = source
        if not source:
            return (None, None, None)
        key = (source, label, int(m.group(1)))
        post = m.group(5)
        n = int(c.group(1)[::-1])
        if post and "train_step_timing" in post:  # NeMo's bar: the step's own time in the postfix
            v = first_num(_NEMO_TIMING, post)
            if v is not None and v > 0:
                loss = first_num(_POSTFIX_LOSS, post) if "loss" in post else None
                # the bar's count restarts every epoch; global_step, where the postfix has it, does not
                g = _NEMO_GSTEP.search(post) if "global_step" in post else None
                it = int(g.group(1)) if g is not None else n
                return (("nemo", label, key[2]), IterRecord(it, v * 1000.0, loss, None, line_no, None, "nemo"), None)
        elapsed = _seconds(m.group(2))
        rate = pos(m.group(3))
        if rate is None:
            return (key, None, elapsed)
        ms = 1000.0 / rate if m.group(4) == "it/s" else 1000.0 * rate
        if not (ms > 0 and isfinite(ms)):
            return (key, None, elapsed)
        loss = first_num(_POSTFIX_LOSS, post) if post and "loss" in post else None
        return (key, IterRecord(n, ms, loss, None, line_no, None, source, RATE), elapsed)
    return None


def settle(entries: list[tuple]) -> tuple[set[int], list[str]]:
    """Per run of each bar: count a step printed twice once, and where the smoothed rate disagrees with the elapsed
    column, give the records the elapsed column's slope. ``entries`` are (key, record, elapsed) in log order.
    Returns the ids of the records to drop (repeats) and notes on what was done."""
    drop: set[int] = set()
    runs: dict[tuple, list] = {}
    ordered: list[list] = []
    for key, rec, el in entries:
        if key[0] not in ("tqdm", "lightning"):
            continue
        run = runs.get(key)
        if run and rec.iteration < run[-1][0].iteration:
            run = None  # the count went back: a new epoch or a new run
        if run is None:
            run = []
            runs[key] = run
            ordered.append(run)
        if run and run[-1][0].iteration == rec.iteration:
            drop.add(id(run[-1][0]))  # the same step printed again: keep the later print
            run[-1] = (rec, el)
        else:
            run.append((rec, el))
    notes: list[str] = []
    for run in ordered:
        pts = [(r, el) for r, el in run if el is not None and r.iteration >= 1]
        if len(pts) < 2 or any(pts[i][1] < pts[i - 1][1] for i in range(1, len(pts))):
            continue  # no elapsed column, or one that goes back: nothing to check the rate against
        # the later half of the run, as the steady state uses: its rates against its elapsed column
        h = min(len(pts) // 2, len(pts) - 2)
        (r0, e0), (r1, e1) = pts[h], pts[-1]
        dn = r1.iteration - r0.iteration
        if dn <= 0 or e1 - e0 < 2 * _RESOLUTION_S:
            continue
        lo = (e1 - e0 - _RESOLUTION_S) / dn * 1000.0
        hi = (e1 - e0 + _RESOLUTION_S) / dn * 1000.0
        rate = statistics.median(r.ms for r, _ in pts[h + 1:])
        if lo <= rate <= hi:
            continue
        a = 0
        for i in range(1, len(pts)):
            r, e = pts[i]
            while a + 1 < i and e - pts[a + 1][1] >= _ELAPSED_WINDOW_S:
                a += 1
            ra, ea = pts[a]
            if r.iteration > ra.iteration and e > ea:
                r.ms = (e - ea) * 1000.0 / (r.iteration - ra.iteration)
                r.kind = ELAPSED
        notes.append(fact("lognote.bar_elapsed", first=r0.iteration, last=r1.iteration,
                          rate=qty("number", float(f"{rate / 1000:.3g}")), low=qty("number", float(f"{lo / 1000:.3g}")),
                          high=qty("number", float(f"{hi / 1000:.3g}"))))
    return drop, notes
