"""Parse pasted training-log text into per-iteration timing records, and find the steady state.

Standard library only; runs on CPython 3.11 and on Pyodide. ``parse_log`` never raises on any ``str`` (binary junk
decoded with ``errors="replace"``, a 10^6-line paste, a 1 MB single line): every regex is precompiled, bounded or
anchored so that it cannot backtrack catastrophically, and each piece of a line is cut to ``MAX_SEGMENT_CHARS``
before matching, so the work is linear in the size of the input.

The formats are in ``calculator.logformats``, one module per trainer family, tried in the registry's order on each
line; docs/logs.md lists them with an example line each. ``ParsedLog.format`` names the one the timing records
came from (several -> ``"mixed"``) and ``ParsedLog.why`` says which lines matched and how the time per step was
derived.

Line handling. ``\\r\\n`` counts as one line break; a literal ``^M`` (a pager's carriage return) is one too within a
line; ``line_no`` is 1-based over ``\\n``-separated lines and ``total_lines`` counts them (a final newline does not
start a new line). A captured terminal stream rewrites a progress bar with ``\\r``, so a physical line is split on
``\\r`` into segments: every non-bar segment is parsed on its own (a ``print`` can land after a bar's ``\\r``), but
of the progress-bar segments only the *last* one of each bar on that physical line becomes a record -- it is what
the terminal showed. ANSI escape sequences are stripped, and so is a Markdown quote prefix (``> ``). Timestamps,
``[host:rank]:`` prefixes and annotations appended to a line do not stop a match (the formats search, they do not
anchor). A truncated last line simply fails to match unless its time field is complete. NaN, infinite, zero and
negative times are ignored (the line counts as skipped); a NaN loss is kept as ``loss=None``.

Which records survive ``parse_log``: when a log has per-step timings, progress-bar rates in it (data preparation,
evaluation bars) are dropped; when it has Lightning epoch bars, other tqdm bars are dropped; of plain tqdm bars only
the bar with the largest total is kept (Hugging Face's evaluation bar is shorter than its training bar); a bar step
printed twice counts once; where a bar's smoothed rate disagrees with its elapsed column, the elapsed column's slope
is used (see logformats/progress_bars.py).

Steady state (``steady_state``), exclusions in this order, each record getting the first reason that applies:

1. ``iteration 0`` -- a record printed with iteration 0. In nanoGPT ``t0`` is taken before the loop, so iteration
   0's dt includes the lazy torch.compile, CUDA/cuBLAS initialisation and the step-0 ``estimate_loss``.
2. ``warm-up`` -- the first ``warmup_iters`` iterations of each run, counted by iteration number from the run's
   start; with nanoGPT's default log_interval=1 these are exactly the lines printing ``mfu -100.00%``. Allocator
   growth, cuDNN/cuBLAS autotuning and recompiles make them slow. A paste whose first line is past them (it starts
   mid-run) has none; a new run starts when the iteration number goes back (a resumed or restarted run: its first
   ``warmup_iters`` printed iterations count from its first) or the format changes; the same number printed again
   (every rank printing each step) is not a new run. An interval record (an average
   over the steps since the previous line) is warm-up when its interval reaches into them, so the first interval of
   a run is. Records without numbers count by position. For progress-bar rates the bar count is used: a rate
   reported at ``n <= warmup_iters`` is warm-up (counted per bar, so per Lightning epoch).
3. ``skipped`` -- a Megatron interval in which every iteration was skipped by the fp16 loss scaler.
4. ``evaluation/checkpoint`` -- the first record at or after an evaluation line (one with a val loss) or a checkpoint
   save, for the formats whose printed time includes it (``Format.eval_timed``). nanoGPT evaluates (and saves) at the
   top of the loop, after the previous iteration reset ``t0``, so the ``iter N`` line printed right after ``step N:
   … val loss`` carries the eval (when both print a number and they differ -- eval_interval not a multiple of
   log_interval -- the eval fell in an unprinted iteration and nothing is excluded).
5. ``earlier running average`` -- progress-bar rates (and elapsed-column slopes) are running averages, so the last
   reports describe the steady state: of those left after rules 1-2, the earlier half is dropped. ``whole-run
   average`` -- Hugging Face's final ``train_steps_per_second`` when per-step rates exist.
6. ``spike (> 3x the median)`` -- of what is left in each run (at least 3 records), any time above 3x the median of
   the *other* remaining times. Robust: one spike cannot move the median it is compared with.
7. ``an earlier run`` -- two training runs pasted together (the step count goes back to or before the first step of
   the run so far, or the format changes): the last run is the one reported, the earlier ones are listed in
   ``runs`` with their own steady figure. A count that goes back less far is a restart from a checkpoint, the same
   run (its warm-up is left out again by rule 2).

Every rank printing each step (eight GPUs: eight copies of each line) is read once: a step number just read from the
same format is another rank's copy (``ParsedLog.rank_copies``, ``duplicates_dropped``).

``steady_ms_per_iter`` is the median of the kept times, in the log's own steps (micro-steps for litgpt);
``steady_ms_per_step`` is per optimizer step: the mean kept micro-step time times ``micro_steps_per_step`` where the
log counts both, else the same figure. ``p10_ms``/``p90_ms`` (linear interpolation) need at least 5 kept;
``printed_mfu_median`` is the median of the kept records' printed mfu (placeholders are already None).

Speed. Every line is lower-cased once and matched by regexes that start with a literal; numbers are captured as
bounded tokens and validated by ``float()``. The cyclic garbage collector is paused while parsing (millions of small
objects, no cycles) and restored afterwards.
"""

from __future__ import annotations

import gc
import math
import re
import statistics

from . import logformats
from .facts import fact, joined
from .logformats import progress_bars
from .logformats._base import (
    INTERVAL,
    MAX_SEGMENT_CHARS,
    RATE,
    RUNNING_AVERAGE_KINDS,
    STEP,
    WHOLE_RUN,
    IterRecord,
    ParsedLog,
    State,
)

__all__ = ["IterRecord", "ParsedLog", "parse_log", "steady_state", "MAX_SEGMENT_CHARS"]

_RAW_CAP = 8000  # before ANSI stripping
_MIN_FOR_SPREAD = 5
_MIN_FOR_SPIKES = 3
_SPIKE_FACTOR = 3.0
MAX_RUNS_LISTED = 20  # of many runs in one paste, the last ones (the reported one among them) are listed

REASON_ITER0 = "iteration 0: torch.compile, CUDA start-up and the step-0 eval"
REASON_WARMUP = "warm-up (the first steps of a run: allocator growth, autotuning, recompiles)"
REASON_WARMUP_NANOGPT = "warm-up (nanoGPT prints mfu -100% for these)"  # its placeholder marks exactly these
REASON_WARMUP_BAR = "warm-up (a progress bar's first updates, before its rate settles)"
REASON_SKIPPED = "every iteration of this interval was skipped (fp16 loss scale settling): no optimizer step"
REASON_EVAL = "evaluation/checkpoint timed inside this iteration"
REASON_RUNNING_AVG = "earlier running average: only the later half of the progress-bar rates is used"
REASON_WHOLE_RUN = "whole-run average (includes warm-up and evaluation)"
REASON_SPIKE = "spike (> 3x the median): eval, checkpoint, data loading or another process"
REASON_EARLIER_RUN = "an earlier run in the same paste (the last run is the one reported)"

_BAR_SOURCES = frozenset({"tqdm", "lightning"})
_ANSI = re.compile(
    r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]"  # CSI: colours, cursor moves, erase line
    r"|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?"  # OSC (window title, hyperlinks)
    r"|[@-Z\\-_]"  # two-byte escapes
    r"|)"  # a stray ESC
)
_QUOTE = re.compile(r"^>[> \t]{0,16}", re.MULTILINE)
_FIRST = logformats.PARSERS[0]  # the most common format, called without the loop
_REST = logformats.PARSERS[1:]
_maybe_bar = progress_bars.maybe_bar
_find_bar = progress_bars.find_bar


def _parse_segment(low: str, line_no: int, st: State) -> bool:
    """Parse one non-bar segment (lower-cased) with the first format that claims it. True if understood."""
    r = _FIRST(low, line_no, st)
    if r is not None:
        return r
    return _parse_rest(low, line_no, st)


def _parse_rest(low: str, line_no: int, st: State) -> bool:
    for parse in _REST:
        r = parse(low, line_no, st)
        if r is not None:
            return r
    return False


def _clean(seg: str) -> str:
    if len(seg) > _RAW_CAP:
        seg = seg[:_RAW_CAP]
    if "\x1b" in seg:
        seg = _ANSI.sub("", seg)
    if len(seg) > MAX_SEGMENT_CHARS:
        seg = seg[:MAX_SEGMENT_CHARS]
    if seg[:1] == ">":  # a Markdown quote, as logs are pasted into issues
        seg = seg.lstrip("> \t")
    return seg


# ----------------------------------------------------------------------------------------------------------------
# public API


def parse_log(text: str) -> ParsedLog:
    """Parse pasted log text. Never raises on a str; a non-str is treated as empty (bytes are decoded as UTF-8 with
    replacement)."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    if not isinstance(text, str) or not text:
        return ParsedLog("unknown", [], [], 0, 0, None, "")

    # millions of small objects: the cyclic GC would rescan them over and over (there are no cycles here)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(text)
    finally:
        if gc_was_enabled:
            gc.enable()


def _parse(text: str) -> ParsedLog:
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    if "^M" in text:  # a pager shows a carriage return as the two characters ^M
        text = text.replace("^M", "\r")
    if text[:1] == ">" or "\n>" in text:  # a Markdown quote, as logs are pasted into issues
        text = _QUOTE.sub("", text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    st = State()
    skipped = 0
    bar_entries: list[tuple] = []
    labels: dict[str, str] = {}

    for idx, raw in enumerate(lines):
        line_no = idx + 1
        if "\r" not in raw:
            seg = _clean(raw) if (len(raw) > MAX_SEGMENT_CHARS or "\x1b" in raw) else raw
            if not seg or seg.isspace():
                continue
            low = seg.lower()
            if _maybe_bar(low):
                b = _find_bar(low, line_no, labels)
                if b is not None:
                    if b[1] is not None:
                        bar_entries.append(b)
                        st.records.append(b[1])
                    continue
            r = _FIRST(low, line_no, st)
            if r:
                continue
            if r is None and _parse_rest(low, line_no, st):
                continue
            skipped += 1
            continue

        # a physical line rewritten with \r: parse every non-bar segment, keep the last record of each bar
        understood = False
        nonempty = False
        last_bar: dict[tuple, tuple] = {}
        for piece in raw.split("\r"):
            if not piece:
                continue
            seg = _clean(piece)
            if not seg or seg.isspace():
                continue
            nonempty = True
            low = seg.lower()
            if _maybe_bar(low):
                b = _find_bar(low, line_no, labels)
                if b is not None:
                    understood = True
                    if b[1] is not None:
                        last_bar.pop(b[0], None)  # re-insert so the order follows the last rewrite
                        last_bar[b[0]] = b
                    continue
            if _parse_segment(low, line_no, st):
                understood = True
        for b in last_bar.values():
            bar_entries.append(b)
            st.records.append(b[1])
        if nonempty and not understood:
            skipped += 1

    for finish in logformats.FINISHERS:  # what depends on lines printed later (a batch size after the rates)
        finish(st)
    # a time that overflows once converted to ms (1e308 s) says nothing about a step: one check here for every
    # format's unit conversion
    records = [r for r in st.records if r.ms is None or math.isfinite(r.ms)]
    records, copies, dropped = _dedupe_ranks(records)
    # ---- choose which records survive (see module docstring)
    sources = {r.source for r in records}
    drop: set[str] = set()
    if sources - _BAR_SOURCES - {"hf-trainer"}:
        drop |= _BAR_SOURCES
        if "hf-trainer" in sources:
            drop.add("hf-trainer")
    elif "lightning" in sources:
        drop.add("tqdm")
    tqdm_total = None
    bar_notes: list[str] = []
    if sources & _BAR_SOURCES and not _BAR_SOURCES <= drop:
        keep_entries = [b for b in bar_entries if b[0][0] not in drop]
        if "tqdm" not in drop:
            for key, _rec, _el in keep_entries:
                if key[0] == "tqdm" and (tqdm_total is None or key[2] > tqdm_total):
                    tqdm_total = key[2]
            keep_entries = [b for b in keep_entries if b[0][0] != "tqdm" or b[0][2] == tqdm_total]
        keep_ids = {id(b[1]) for b in keep_entries}
        repeats, bar_notes = progress_bars.settle(keep_entries)
        keep_ids -= repeats
        records = [r for r in records if r.source not in _BAR_SOURCES or id(r) in keep_ids]
    if drop:
        records = [r for r in records if r.source not in drop]

    sources = {r.source for r in records}
    if not sources:
        ev = st.eval_sources
        if st.hf_seen and (not ev or ev == {"hf-trainer"}):
            fmt = "hf-trainer"
        elif not ev and len(st.notes) == 1:
            fmt = next(iter(st.notes))  # its lines were read, but gave no time (the note says why)
        elif len(ev) == 1:
            fmt = next(iter(ev))
        elif ev:
            fmt = "mixed"
        else:
            fmt = "unknown"
    elif len(sources) == 1:
        fmt = next(iter(sources))
        if fmt == "tqdm" and st.hf_seen:
            fmt = "hf-trainer"
    elif sources == {"tqdm", "hf-trainer"}:
        fmt = "hf-trainer"
    else:
        fmt = "mixed"

    hint = st.hint_explicit
    if hint is None:
        hint = st.hint_steps
    if hint is None and tqdm_total and "tqdm" in sources:
        hint = tqdm_total

    if sources & logformats.INTERVAL_FORMATS:
        _fill_spans(records)
    micro = _micro_steps_per_step(records) if sources & logformats.MICRO_STEP_FORMATS else None
    if dropped:
        bar_notes = bar_notes + [fact("lognote.rank_copies", n=copies)]
    why = _why(fmt, records, st, sources, bar_notes)
    return ParsedLog(fmt, records, st.evals, skipped, len(lines), hint, why, micro, st.checkpoints,
                     st.skipped_intervals, dict(st.stated), copies if dropped else 1, dropped)


_PER_STEP_KINDS = frozenset({STEP, INTERVAL})


def _dedupe_ranks(records: list[IterRecord]) -> tuple[list[IterRecord], int, int]:
    """Every rank printing each step (eight GPUs: eight copies of each line, interleaved, not always in order): a
    step already read from the same format at the latest or the one-before-latest printed number is another rank's
    copy and is dropped. A number further back starts a new run (or a restart), read in full. Returns the records
    kept, the most copies of one step and how many were dropped."""
    latest: dict[str, tuple] = {}  # source -> (latest number, the one before, copies of the latest)
    kept: list[IterRecord] = []
    dropped = 0
    copies = 1
    for r in records:
        it = r.iteration
        if it is None or r.kind not in _PER_STEP_KINDS:
            kept.append(r)
            continue
        last = latest.get(r.source)
        if last is not None and (it == last[0] or it == last[1]):
            dropped += 1
            if it == last[0]:
                n = last[2] + 1
                latest[r.source] = (last[0], last[1], n)
                if n > copies:
                    copies = n
            continue
        latest[r.source] = (it, last[0] if last is not None and it > last[0] else None, 1)
        kept.append(r)
    return (kept, copies, dropped) if dropped else (records, 1, 0)


def _fill_spans(records: list[IterRecord]) -> None:
    """An interval record printed first does not know how many steps it averages: take the next one's."""
    first: dict[str, IterRecord] = {}
    for r in records:
        if r.kind != INTERVAL:
            continue
        f = first.get(r.source)
        if f is None:
            first[r.source] = r
        elif f.span <= 0 and r.iteration is not None and f.iteration is not None and r.iteration > f.iteration:
            f.span = r.iteration - f.iteration
    for f in first.values():
        if f.span <= 0:
            f.span = 1  # a single interval line: how many steps it averages is unknown


def _micro_steps_per_step(records: list[IterRecord]) -> float | None:
    """Micro-steps per optimizer step, from the first and last records that print both counters."""
    a = next((r for r in records if r.opt_step is not None and r.iteration is not None), None)
    if a is None:
        return None
    b = next(r for r in reversed(records) if r.opt_step is not None and r.iteration is not None)
    d_opt = b.opt_step - a.opt_step
    d_it = b.iteration - a.iteration
    if d_opt <= 0 or d_it <= 0:
        return None
    ratio = d_it / d_opt
    if not math.isfinite(ratio) or ratio < 1.5:
        return None
    return float(round(ratio))  # gradient accumulation is a whole number of micro-steps; the ends may be mid-step


def _why(fmt: str, records: list[IterRecord], st: State, sources: set[str] | None = None,
         bar_notes: list | None = None) -> dict | str:
    """Which lines matched which format, what their times mean, and how the time per step was derived: a fact
    (calculator.words writes it), or "" when nothing matched."""
    def title(name: str):
        return fact(f"logformat.{name}.title") if name in logformats.BY_NAME else name

    if not records:
        if fmt != "unknown":
            note = st.notes.get(fmt)
            return fact("log.why.no_time_note", title=title(fmt), note=note) if note else \
                fact("log.why.no_time", title=title(fmt))
        return ""
    counts = {records[0].source: len(records)} if sources and len(sources) == 1 else _count(records)
    parts: list = []
    for name, n in counts.items():
        if name not in logformats.BY_NAME:
            continue
        part = fact("log.why.line" if n == 1 else "log.why.lines", n=n, title=title(name),
                    semantics=fact(f"logformat.{name}.semantics"))
        note = st.notes.get(name)
        parts.append(fact("log.why.with_note", part=part, note=note) if note else part)
    if bar_notes:
        parts.append(joined(bar_notes, "; "))
    return fact("log.why", parts=joined(parts, ". "))


def _count(records: list[IterRecord]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in records:
        counts[r.source] = counts.get(r.source, 0) + 1
    return counts


def _percentile(sorted_vals: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    n = len(sorted_vals)
    if n == 1:
        return sorted_vals[0]
    pos = (n - 1) * q
    lo = int(math.floor(pos))
    hi = min(lo + 1, n - 1)
    frac = pos - lo
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * frac


def _median_without(sorted_vals: list[float], i: int) -> float:
    """Median of sorted_vals with the element at index i removed (len >= 2)."""
    m = len(sorted_vals) - 1

    def at(k: int) -> float:
        return sorted_vals[k] if k < i else sorted_vals[k + 1]

    if m % 2:
        return at(m // 2)
    return (at(m // 2 - 1) + at(m // 2)) / 2.0


def steady_state(parsed: ParsedLog, warmup_iters: int = 5) -> dict:
    """Returns {"steady_ms_per_iter": median ms of kept iterations or None,
    "steady_ms_per_step": per optimizer step (see the module docstring) or None,
    "p10_ms", "p90_ms" (spread; None if fewer than 5 kept), "kept": int,
    "excluded": [{"iteration": int|None, "line_no": int, "ms": float, "reason": str}, ...],
    "last_iteration": int|None, "last_step": the last optimizer step or None,
    "printed_mfu_median": float|None (median of the kept iterations' printed mfu, placeholders excluded),
    "runs": [] for one run, else each run's {"run" (1-based), "first_line", "last_line", "first_iteration",
    "last_iteration", "records", "kept", "steady_ms_per_iter", "reported"} (the last run with a steady figure is
    reported; at most MAX_RUNS_LISTED, the last ones), "run_count": how many runs the paste holds}.
    The exclusion rules are in the module docstring."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _steady(parsed, warmup_iters)
    finally:
        if gc_was_enabled:
            gc.enable()


def _steady(parsed: ParsedLog, warmup_iters: int) -> dict:
    try:
        warmup_iters = max(0, int(warmup_iters))
    except (TypeError, ValueError, OverflowError):
        warmup_iters = 5
    records = list(parsed.records) if parsed is not None else []
    n = len(records)
    reason: list[str | None] = [None] * n

    # 1-3. iteration 0, warm-up, skipped intervals
    run_start: int | None = None
    run_count = 0
    prev_iter: int | None = None
    prev_source: str | None = None
    first_run = True
    for i, r in enumerate(records):
        kind = r.kind
        it = r.iteration
        if kind == STEP:
            start = it
        elif kind == INTERVAL:
            start = it - r.span + 1 if it is not None else None  # the first step it covers
        else:
            if kind == RATE and it is not None and it <= warmup_iters:
                reason[i] = REASON_WARMUP_BAR
            continue
        src = r.source
        # a new run: the format changes or the count goes back (the same number again is another rank's print)
        if src != prev_source or (it is not None and prev_iter is not None and it < prev_iter):
            if prev_source is not None:
                first_run = False
            run_start = start
            if first_run and start is not None and start > warmup_iters:
                run_start = 0  # the paste starts past the warm-up of a run that began before it
            run_count = 0
        rel = start - run_start if (start is not None and run_start is not None) else run_count
        run_count += 1
        prev_source = src
        if it is not None:
            prev_iter = it
        if it == 0:
            reason[i] = REASON_ITER0
        elif rel < warmup_iters:
            reason[i] = REASON_WARMUP_NANOGPT if src == "nanogpt" else REASON_WARMUP
    skipped = getattr(parsed, "skipped_intervals", None)
    if skipped:
        at = {r.line_no: i for i, r in enumerate(records)}
        for ln in skipped:
            i = at.get(ln)
            if i is not None and reason[i] is None:
                reason[i] = REASON_SKIPPED

    # 4. the iteration that carries an evaluation or a checkpoint save
    evs = [e for e in (parsed.evals if parsed is not None else []) if isinstance(e, dict) and
           e.get("val_loss") is not None]
    evs += [dict(c, checkpoint=True) for c in (getattr(parsed, "checkpoints", None) or []) if isinstance(c, dict)]
    if len(evs) > 1:
        evs.sort(key=lambda e: e.get("line_no") or 0)
    untimed = logformats.EVAL_UNTIMED
    if evs and n:
        j = 0
        for e in evs:
            ln = e.get("line_no") or 0
            while j < n and records[j].line_no < ln:
                j += 1
            if j >= n:
                break
            r = records[j]
            if r.source in untimed or r.kind in RUNNING_AVERAGE_KINDS or r.kind == WHOLE_RUN:
                continue
            ei = e.get("iteration")
            if r.source in ("nanogpt", "llama2.c") and ei is not None and r.iteration is not None \
                    and ei != r.iteration:
                continue
            if reason[j] is None:
                reason[j] = REASON_EVAL

    # 5. running averages: only the later half of the progress-bar rates
    rate_idx = [i for i in range(n) if reason[i] is None and records[i].kind in RUNNING_AVERAGE_KINDS]
    if len(rate_idx) >= 2:
        drop_n = len(rate_idx) // 2
        for i in rate_idx[:drop_n]:
            reason[i] = REASON_RUNNING_AVG
    if rate_idx:
        for i in range(n):
            if reason[i] is None and records[i].kind == WHOLE_RUN:
                reason[i] = REASON_WHOLE_RUN

    # 6. spikes, within each run; 7. of several runs in one paste, the last is reported
    run_of, starts = _runs(records)
    members: list[list[int]] = [[] for _ in starts]
    for i in range(n):
        members[run_of[i]].append(i)
    for idx in members:
        _spikes([i for i in idx if reason[i] is None], records, reason)
    runs: list[dict] = []
    run_count = len(starts)
    if run_count > 1:
        summaries = []
        for idx in members:
            kept = sorted(records[i].ms for i in idx if reason[i] is None)
            its = [records[i].iteration for i in idx if records[i].iteration is not None]
            summaries.append({"first_line": records[idx[0]].line_no, "last_line": records[idx[-1]].line_no,
                              "first_iteration": its[0] if its else None, "last_iteration": its[-1] if its else None,
                              "records": len(idx), "kept": len(kept),
                              "steady_ms_per_iter": statistics.median(kept) if kept else None, "reported": False})
        shown = next((k for k in range(run_count - 1, -1, -1) if summaries[k]["kept"]), run_count - 1)
        summaries[shown]["reported"] = True
        for k, idx in enumerate(members):
            if k != shown:
                for i in idx:
                    if reason[i] is None:
                        reason[i] = REASON_EARLIER_RUN
        # a pathological paste can hold thousands of "runs": list the reported one and the last few before it
        runs = [dict(r, run=k + 1) for k, r in enumerate(summaries)][max(0, run_count - MAX_RUNS_LISTED):]
        if not any(r["reported"] for r in runs):
            runs = [dict(summaries[shown], run=shown + 1)] + runs[1:]
    kept_ms: list[float] = []
    kept_mfu: list[float] = []
    excluded: list[dict] = []
    for i, r in enumerate(records):
        why = reason[i]
        if why is None:
            kept_ms.append(r.ms)
            if r.printed_mfu is not None:
                kept_mfu.append(r.printed_mfu)
        else:
            excluded.append({"iteration": r.iteration, "line_no": r.line_no, "ms": r.ms, "reason": why})

    last_iteration = last_step = None
    tail = records
    if runs:  # the ETA counts from the reported run's last step
        tail = [records[i] for i in members[shown]]
    for r in reversed(tail):
        if r.iteration is not None:
            last_iteration = r.iteration
            last_step = r.opt_step if r.opt_step is not None else r.iteration
            break

    steady = per_step = p10 = p90 = None
    if kept_ms:
        kept_ms.sort()
        steady = statistics.median(kept_ms)
        per_step = steady
        micro = getattr(parsed, "micro_steps_per_step", None)
        if micro:
            per_step = math.fsum(kept_ms) / len(kept_ms) * micro
        if len(kept_ms) >= _MIN_FOR_SPREAD:
            p10 = _percentile(kept_ms, 0.10)
            p90 = _percentile(kept_ms, 0.90)
    return {
        "steady_ms_per_iter": steady,
        "steady_ms_per_step": per_step,
        "p10_ms": p10,
        "p90_ms": p90,
        "kept": len(kept_ms),
        "excluded": excluded,
        "last_iteration": last_iteration,
        "last_step": last_step,
        "printed_mfu_median": statistics.median(kept_mfu) if kept_mfu else None,
        "runs": runs,
        "run_count": run_count if run_count > 1 else 1,
    }


def _spikes(cand: list[int], records: list[IterRecord], reason: list) -> None:
    """Any time above 3x the median of the other candidates (at least 3 of them)."""
    if len(cand) < _MIN_FOR_SPIKES:
        return
    order = sorted(cand, key=lambda i: records[i].ms)
    vals = [records[i].ms for i in order]
    # only the top half can be > 3x a median; walk down from the largest
    for k in range(len(order) - 1, -1, -1):
        if vals[k] > _SPIKE_FACTOR * _median_without(vals, k):
            reason[order[k]] = REASON_SPIKE
        else:
            break


def _runs(records: list[IterRecord]) -> tuple[list[int], list[int]]:
    """Which run each record belongs to, and each run's first record. A new run starts where the format changes or
    where the step count goes back to (or before) the current run's first step: a second training run pasted after
    the first. A count that goes back to a step past the run's first is a restart from a checkpoint: the same run,
    its warm-up excluded again (rule 2). Progress-bar rates restart their count every epoch and never start a run."""
    run_of = [0] * len(records)
    starts = [0] if records else []
    first: int | None = None
    prev_it: int | None = None
    prev_src: str | None = None
    cur = 0
    for i, r in enumerate(records):
        it = r.iteration
        if r.kind in _PER_STEP_KINDS and it is not None:
            if prev_src is not None and (r.source != prev_src or (it < prev_it and first is not None and it <= first)):
                cur += 1
                starts.append(i)
                first = None
            if first is None:
                first = it
            prev_it, prev_src = it, r.source
        run_of[i] = cur
    return run_of, starts
