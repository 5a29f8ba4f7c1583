"""Parse pasted training-log text into per-iteration timing records, and find the steady state.

Standard library only; runs on CPython 3.11 and on Pyodide. ``parse_log`` never raises on any ``str`` (binary junk
decoded with ``errors="replace"``, a 10^6-line paste, a 1 MB single line): every regex is precompiled, bounded or
anchored so that it cannot backtrack catastrophically, and each piece of a line is cut to ``MAX_SEGMENT_CHARS``
before matching, so the work is linear in the size of the input.

Formats understood (``ParsedLog.format`` names the one the timing records came from; several -> ``"mixed"``):

``nanogpt``
    karpathy/nanoGPT train.py ``iter N: loss L, time T.TTms, mfu M.MM%`` (mfu optional, extra fields after it are
    ignored) and its eval line ``step N: train loss L, val loss V``. ``mfu -100.00%`` is nanoGPT's placeholder
    (running_mfu starts at -1.0 and is only computed once ``local_iter_num >= 5``), so any negative mfu is stored
    as ``printed_mfu=None``. ``Overriding: max_iters = N`` (configurator.py) gives ``max_iters_hint``.
``llm.c``
    train_gpt2.cu ``step N/M | loss L (+z)| norm ... | lr ... | T ms | P% bf16 MFU | K tok/s`` and the other
    orders of these ``|`` fields that versions print (``... | T ms | K tok/s | MFU P%``), the older
    ``step N/M: train loss L (T ms, K tok/s)``, train_gpt2.c's ``step N: train loss L (took T ms)``, and
    ``val loss V`` eval lines. llm.c prints ``step+1``, so its iterations are numbered from 1; ``M`` is the hint.
``hf-trainer``
    Hugging Face Trainer: its tqdm bar (timing, see ``tqdm``), its log dicts ``{'loss': ..., 'epoch': ...}``
    (keys single- or double-quoted, values bare or quoted), which carry no timing and go to ``evals`` as
    ``train_loss`` (``eval_loss`` as ``val_loss``), the final ``{'train_runtime': ..., 'train_steps_per_second':
    S, ...}`` (a whole-run average, used only when there is nothing better) and ``Total optimization steps = N``
    (the hint).
``lightning``
    PyTorch Lightning bars ``Epoch E:  12%|...| 120/1000 [00:30<03:40,  4.00it/s, v_num=0, train_loss=2.31]``;
    loss from ``loss=``/``train_loss=`` in the postfix. ``Validation``/``Sanity Checking``/``Testing``/
    ``Predicting`` bars are recognised and ignored. The bar total is per epoch, so it is not used as the hint.
``tqdm``
    any other tqdm bar ``n/total [elapsed<remaining, R it/s]`` or ``R s/it``: ms = 1000/R or 1000*R.
``plain``
    lines with ``123.4 ms/iter`` (``ms/it``, ``ms/step``, ``ms/batch``), ``1.5 s/it``, ``2.0 it/s``, or an
    iteration number (``step 10``, ``iter 10``, ``it: 10``) together with a time keyword (``dt: 250.1ms``,
    ``time 0.25s``, ``step_time=250ms``) -- e.g. karpathy/build-nanogpt's
    ``step 10 | loss L | lr ... | norm: ... | dt: T ms | tok/sec: K``; modded-nanogpt's
    ``step:N/M train_time:Tms step_avg:Ams`` (ms = difference of train_time between printed steps, else step_avg).
    Generic ``val loss V`` / ``validation loss: V`` / ``val_loss=V`` lines become evals.

Records. ``IterRecord`` has one field beyond the six of the brief: ``source``, the format the line was read as
(``"nanogpt"``, ``"llm.c"``, ``"plain"``, ``"tqdm"``, ``"lightning"``, ``"hf-trainer"``); the steady-state rules
depend on it (a progress-bar rate is a running average, an llm.c time never includes its eval).

Speed. Every line is lower-cased once and matched by regexes that start with a literal (the engine then scans for
it in C); numbers are captured as bounded tokens and validated by ``float()``; a number before its unit is read
backwards. 10^6 nanoGPT lines take a few seconds on CPython. The cyclic garbage collector is paused while parsing
(millions of small objects, no cycles) and restored afterwards.

Line handling. ``\\r\\n`` counts as one line break; ``line_no`` is 1-based over ``\\n``-separated lines and
``total_lines`` counts them (a final newline does not start a new line). A captured terminal stream rewrites a
progress bar with ``\\r``, so a physical line is split on ``\\r`` into segments: every non-bar segment is parsed on
its own (a ``print`` can land after a bar's ``\\r``), but of the progress-bar segments only the *last* one of each
bar on that physical line becomes a record -- it is what the terminal showed, and tqdm's rate is a running average
anyway, so the earlier rewrites add nothing. ANSI escape sequences (colours, cursor moves, OSC titles) are stripped.
A truncated last line simply fails to match unless its time field is complete. NaN, infinite, zero and negative
times are ignored (the line counts as skipped); a NaN loss is kept as ``loss=None``.

Which records survive ``parse_log``: when a log has per-iteration timings (nanogpt, llm.c, plain), progress-bar
rates in it (data preparation, evaluation bars) are dropped; when it has Lightning epoch bars, other tqdm bars are
dropped; of plain tqdm bars only the bar with the largest total is kept (Hugging Face's evaluation bar is shorter
than its training bar).

Steady state (``steady_state``), exclusions in this order, each iteration getting the first reason that applies:

1. ``iteration 0: torch.compile, CUDA start-up and the step-0 eval`` -- a record printed with iteration 0. In
   nanoGPT ``t0`` is taken before the loop, so iteration 0's dt includes the lazy torch.compile, CUDA/cuBLAS
   initialisation and the step-0 ``estimate_loss``.
2. ``warm-up (nanoGPT prints mfu -100% for these)`` -- the first ``warmup_iters`` iterations of each run (counted
   by iteration number from the run's first printed iteration when numbers are printed, else by position); with
   nanoGPT's default log_interval=1 these are exactly the lines printing ``mfu -100.00%``. Allocator growth,
   cuDNN/cuBLAS autotuning and recompiles make them slow. A new run starts when the iteration number does not
   increase (a resumed or restarted run) or the source format changes, so a resumed run gets its own warm-up (a
   paste that starts mid-run loses its first few lines the same way). For progress-bar rates the bar count is used
   instead: a rate reported at ``n <= warmup_iters`` is warm-up (counted per bar, so per Lightning epoch).
3. ``evaluation/checkpoint timed inside this iteration`` -- for nanogpt and plain records (and records with no
   source), the first record at or after an eval line (one with a val loss). nanoGPT evaluates (and saves a checkpoint) at the top of the loop when
   ``iter_num % eval_interval == 0``, *after* the previous iteration reset ``t0``, so the ``iter N`` line printed
   right after ``step N: ... val loss`` carries the eval (when both print a number and they differ -- eval_interval
   not a multiple of log_interval -- the eval fell in an unprinted iteration and nothing is excluded).
   build-nanogpt likewise times its eval inside the step printed after ``validation loss``. Not applied to llm.c:
   its CUDA events bracket only the training section, so its eval is never timed.
4. ``earlier running average: only the later half of the progress-bar rates is used`` -- tqdm/Lightning rates are
   (exponentially smoothed) running averages, so the last reports describe the steady state; of the rate records
   left after rules 1-2, the earlier half is dropped. ``whole-run average (includes warm-up and evaluation)`` --
   Hugging Face's final ``train_steps_per_second`` when per-step rates exist.
5. ``spike (> 3x the median): eval, checkpoint, data loading or another process`` -- of what is left (at least 3
   records), any time above 3x the median of the *other* remaining times. Robust: one spike cannot move the
   median it is compared with.

``steady_ms_per_iter`` is the median of the kept times; ``p10_ms``/``p90_ms`` (linear interpolation) need at least
5 kept; ``printed_mfu_median`` is the median of the kept records' printed mfu (placeholders are already None).
"""

from __future__ import annotations

import gc
import math
import re
import statistics
from dataclasses import dataclass, field

__all__ = ["IterRecord", "ParsedLog", "parse_log", "steady_state", "MAX_SEGMENT_CHARS"]

MAX_SEGMENT_CHARS = 2000  # of each \r-segment (after ANSI stripping) only this much is matched
_RAW_CAP = 8000  # before ANSI stripping
_MIN_FOR_SPREAD = 5
_MIN_FOR_SPIKES = 3
_SPIKE_FACTOR = 3.0
_INF = math.inf
_isfinite = math.isfinite

REASON_ITER0 = "iteration 0: torch.compile, CUDA start-up and the step-0 eval"
REASON_WARMUP = "warm-up (nanoGPT prints mfu -100% for these)"
REASON_EVAL = "evaluation/checkpoint timed inside this iteration"
REASON_RUNNING_AVG = "earlier running average: only the later half of the progress-bar rates is used"
REASON_WHOLE_RUN = "whole-run average (includes warm-up and evaluation)"
REASON_SPIKE = "spike (> 3x the median): eval, checkpoint, data loading or another process"

# sources whose ms is a running average from a progress bar / summary, not one iteration's time
RATE_SOURCES = frozenset({"tqdm", "lightning", "hf-trainer"})
# sources whose printed time never includes an eval printed just before it (llm.c times only the training section;
# a progress-bar rate is an average); any other source (nanogpt, plain, or none given) does
_EVAL_UNTIMED_SOURCES = RATE_SOURCES | {"llm.c"}
_PER_ITER_SOURCES = frozenset({"nanogpt", "llm.c", "plain"})


@dataclass(slots=True)
class IterRecord:
    iteration: int | None  # iteration/step number if printed
    ms: float  # time of this iteration in milliseconds
    loss: float | None
    printed_mfu: float | None  # percent as printed, None if absent or a placeholder (negative)
    line_no: int  # 1-based line number in the input
    tokens_per_sec: float | None = None  # if the line printed it (llm.c, build-nanogpt)
    source: str = ""  # the format it was read as: nanogpt, llm.c, hf-trainer, lightning, tqdm, plain


@dataclass
class ParsedLog:
    format: str  # "nanogpt" | "llm.c" | "hf-trainer" | "lightning" | "tqdm" | "plain" | "mixed" | "unknown"
    records: list[IterRecord] = field(default_factory=list)
    evals: list[dict] = field(default_factory=list)  # {"iteration", "line_no", "train_loss", "val_loss"}
    skipped_lines: int = 0  # non-empty lines not understood
    total_lines: int = 0
    max_iters_hint: int | None = None


# ----------------------------------------------------------------------------------------------------------------
# regexes. All of them run on the lower-cased segment and start with a literal (or a short character class), so
# the regex engine scans for that literal in C instead of trying a match at every position; a word guard is a
# look-behind placed *after* the literal (``loss(?<![a-z0-9]loss)``) for the same reason. A number that comes
# before its unit ("250.1 ms", "2.00it/s") is read backwards from the unit by ``_num_before``, never by a regex
# that starts with a digit. Quantifiers between fields are bounded.


def _w(word: str) -> str:
    """``word`` not preceded by a letter or digit (the look-behind follows the literal)."""
    return f"{word}(?<![a-z0-9]{word})"


# a number is captured as a bounded token and validated by float(): cheaper than an exact number regex, and NaN,
# inf or garbage simply fail the float() (or the finiteness check) later.
_NUM = r"([-+]?(?:[.0-9]|nan|inf)[-+.0-9a-z]{0,39})"  # a value followed by a delimiter (",", "%", " ", "|", ")")
_NUMU = r"([-+.0-9e]{1,40})"  # a value glued to a unit ("250.00ms", "2.00it/s")
_NUM_TAIL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\Z")
_REV_NUM = re.compile(r"[ \t]{0,8}([0-9.e+\-]{1,40})")  # a number, reversed

_ANSI = re.compile(
    r"\x1b(?:\[[0-?]{0,32}[ -/]{0,8}[@-~]"  # CSI: colours, cursor moves, erase line
    r"|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?"  # OSC (window title, hyperlinks)
    r"|[@-Z\\-_]"  # two-byte escapes
    r"|)"  # a stray ESC
)

_NANO_ITER = re.compile(
    _w("iter") + r"\s{1,8}(\d{1,12})\s{0,8}:\s{0,8}loss\s{1,8}" + _NUM + r"\s{0,8},\s{0,8}time\s{1,8}" + _NUMU
    + r"\s{0,8}ms(?:\s{0,8},\s{0,8}mfu\s{1,8}" + _NUM + r"\s{0,8}%)?"
)
_NANO_EVAL = re.compile(
    _w("step") + r"\s{1,8}(\d{1,12})\s{0,8}:\s{0,8}train\s{1,8}loss\s{1,8}" + _NUM
    + r"\s{0,8},\s{0,8}val\s{1,8}loss\s{1,8}" + _NUM
)
_LLMC_STEP = re.compile(_w("step") + r"\s{1,8}(\d{1,12})\s{0,8}/\s{0,8}(\d{1,12})\s{0,8}[|:]")
_LLMC_CPU = re.compile(
    _w("step") + r"\s{1,8}(\d{1,12})\s{0,8}:\s{0,8}train\s{1,8}loss\s{1,8}" + _NUM
    + r"\s{0,8}\(\s{0,8}took\s{1,8}" + _NUMU + r"\s{0,8}ms"
)
# the canonical lines of llm.c train_gpt2.cu and karpathy/build-nanogpt, in one regex each (fast path)
_LLMC_FAST = re.compile(
    _w("step") + r"\s{1,8}(\d{1,12})\s{0,4}/\s{0,4}(\d{1,12})\s{0,4}\|\s{0,4}loss\s{1,4}" + _NUM
    + r"[^|]{0,40}\|(?:[^|]{0,80}\|){0,6}?\s{0,4}" + _NUMU + r"\s{0,4}ms\s{0,4}(?:\|\s{0,4}" + _NUM
    + r"\s{0,4}%\s{0,4}(?:[a-z0-9]{1,8}\s{1,4})?mfu\s{0,4})?(?:\|\s{0,4}" + _NUM + r"\s{0,4}tok/s)?"
)
_BUILD_FAST = re.compile(
    _w("step") + r"\s{1,8}(\d{1,12})\s{0,4}\|\s{0,4}loss\s{1,4}" + _NUM
    + r"\s{0,4}\|(?:[^|]{0,80}\|){0,6}?\s{0,4}dt:\s{0,4}" + _NUMU
    + r"\s{0,4}ms(?:\s{0,4}\|\s{0,4}tok/sec:\s{0,4}" + _NUM + ")?"
)
_MS_UNIT = re.compile(r"ms(?![a-z0-9_])")
_LOSS_FIELD = re.compile(_w("loss") + r"\s{0,8}[:=]?\s{0,8}" + _NUM)
_TOK_UNIT = re.compile(r"tok(?:en)?s?\s{0,2}/\s{0,2}s(?:ec)?(?![a-z])")
_AFTER_COLON_NUM = re.compile(r"\s{0,8}[:=]?\s{0,8}" + _NUM)
_MFU_WORD = re.compile(_w("mfu") + r"(?![a-z0-9_])")
_REV_PCT = re.compile(r"\s{0,8}(?:[a-z0-9_]{1,16}\s{1,8})?%")  # reversed "% bf16 " before "mfu"
_MFU_AFTER = re.compile(r"\s{0,8}[:=]?\s{0,8}" + _NUM + r"\s{0,8}%")

_MODDED = re.compile(_w("step") + r":(\d{1,12})/(\d{1,12})(?!\d)")
_MODDED_TT = re.compile(r"train_time:\s{0,4}" + _NUMU + r"\s{0,4}ms")
_MODDED_AVG = re.compile(r"step_avg:\s{0,4}" + _NUMU + r"\s{0,4}ms")
_MODDED_VAL = re.compile(r"val_loss:\s{0,4}" + _NUM)
_MODDED_TRAIN = re.compile(r"train_loss:\s{0,4}" + _NUM)

# tqdm: "n/total [elapsed<remaining, rate{postfix}]" -- found by its "[..<..," and read around it
_BAR = re.compile(
    r"/\s{0,4}(\d{1,12})\s{0,4}\[[^\[\]<]{0,30}<[^\[\],]{0,30},\s{0,8}(?:" + _NUMU
    + r"\s{0,4}(it/s|s/it)|\?\s{0,4}it/s)([^\]]{0,1000})"
)
_REV_INT = re.compile(r" {0,4}(\d{1,12})")  # "n" of "n/total", reversed
_LIGHTNING_EPOCH = re.compile(r"epoch\s{1,4}\d{1,9}")
_EVAL_BAR_LABEL = re.compile(r"validat|sanity|testing|predict|evaluat")
_POSTFIX_LOSS = re.compile(r"loss(?<!val_loss)(?<![a-z0-9]loss)(?:_step|_epoch)?\s{0,4}[=:]\s{0,4}" + _NUM)

_DICT_PAIR = re.compile(r"['\"]([a-z_][\w/.]{0,60})['\"]\s{0,4}:\s{0,4}['\"]?" + _NUM)

_MS_PER = re.compile(r"ms\s{0,4}/\s{0,4}(?:it|iter|iteration|step|batch)(?![a-z])")
_S_PER = re.compile(r"s(?:ec)?\s{0,4}/\s{0,4}(?:it|iter|iteration|step|batch)(?![a-z])")
_IT_PER_S = re.compile(r"(?:it|iters?|steps?|batch(?:es)?)\s{0,4}/\s{0,4}s(?:ec)?(?![a-z0-9_])")
_PLAIN_ITER = re.compile(
    r"(?:" + _w("iter") + r"(?:ation)?|" + _w("step") + "|" + _w("it") + r")\s{0,4}[:=#]?\s{0,8}(\d{1,12})(?![\d.])"
)
_PLAIN_TIME = re.compile(
    r"(?:" + _w("dt") + "|" + _w("time") + r"(?:_per_(?:iter|step)|/(?:iter|it|step))?)\s{0,4}[:=]?\s{0,8}" + _NUMU
    + r"\s{0,4}(ms|s|sec)(?![a-z])"
)
_GENERIC_VAL = re.compile(_w("val") + r"(?:id|idation)?[ _]loss\s{0,4}[:=]?\s{0,8}" + _NUM)
_GENERIC_TRAIN = re.compile(_w("train") + r"(?:ing)?[ _]loss\s{0,4}[:=]?\s{0,8}" + _NUM)

_HINT_MAX_ITERS = re.compile(r"max_(?<![a-z0-9_]max_)(?:iters|steps)(?![a-z0-9_])\s{0,4}[=:|]\s{0,4}(-?\d{1,12})")
_HINT_HF_TOTAL = re.compile(r"total optimization steps\s{0,4}=\s{0,4}(\d[\d,]{0,20})")


# ----------------------------------------------------------------------------------------------------------------
# helpers


def _num(s: str | None) -> float | None:
    """A finite float or None."""
    try:
        v = float(s)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if _isfinite(v) else None


def _pos(s: str | None) -> float | None:
    try:
        v = float(s)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if v > 0 and v != _INF else None


def _mfu(s: str | None) -> float | None:
    try:
        v = float(s)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if v >= 0 and v != _INF else None  # nanoGPT/llm.c print -100% as a placeholder


def _int(s: str | None) -> int | None:
    if s is None:
        return None
    try:
        return int(s.replace(",", ""))
    except ValueError:
        return None


def _first_num(rx: re.Pattern, s: str) -> float | None:
    m = rx.search(s)
    return _num(m.group(1)) if m is not None else None


def _num_before(s: str, end: int) -> float | None:
    """The finite number that ends just before s[end] (spaces allowed), not glued to a word; else None.
    Read by matching the reversed tail with an anchored regex (C speed, no scanning)."""
    start = end - 48 if end > 48 else 0
    rev = s[start:end][::-1]
    m = _REV_NUM.match(rev)
    if m is None:
        return None
    e = m.end()
    if e < len(rev):
        c = rev[e]
        if c.isalnum() or c == "_":
            return None
    tok = m.group(1)[::-1]
    try:
        v = float(tok)
    except ValueError:
        t = _NUM_TAIL.search(tok)
        if t is None:
            return None
        try:
            v = float(t.group(0))
        except ValueError:
            return None
    return v if _isfinite(v) else None


def _unit_num(rx: re.Pattern, s: str, start: int = 0) -> float | None:
    """The first number directly before a match of rx (a unit)."""
    for m in rx.finditer(s, start):
        v = _num_before(s, m.start())
        if v is not None:
            return v
    return None


def _tokens(low: str) -> float | None:
    if "tok" not in low:
        return None
    for m in _TOK_UNIT.finditer(low):
        v = _num_before(low, m.start())
        if v is None:
            a = _AFTER_COLON_NUM.match(low, m.end())
            v = _num(a.group(1)) if a is not None else None
        if v is not None and v > 0:
            return v
    return None


def _printed_mfu(low: str) -> float | None:
    """The printed mfu percent, None if absent or a (negative) placeholder. Both "mfu 31.2%" (nanoGPT, llm.c
    variants) and "40.1% bf16 MFU" (llm.c) are read."""
    for m in _MFU_WORD.finditer(low):
        a = _MFU_AFTER.match(low, m.end())
        if a is not None:
            return _mfu(a.group(1))
        start = m.start() - 40 if m.start() > 40 else 0
        b = _REV_PCT.match(low[start:m.start()][::-1])
        if b is not None:
            v = _num_before(low, m.start() - b.end())
            if v is not None:
                return v if v >= 0 else None
    return None


class _State:
    __slots__ = ("records", "evals", "hint_explicit", "hint_steps", "hf_seen", "modded_prev", "eval_sources")

    def __init__(self) -> None:
        self.records: list[IterRecord] = []
        self.evals: list[dict] = []
        self.hint_explicit: int | None = None
        self.hint_steps: int | None = None
        self.hf_seen = False
        self.modded_prev: tuple[int, float] | None = None
        self.eval_sources: set[str] = set()


def _find_bar(low: str, line_no: int, labels: dict) -> tuple | None:
    """A tqdm-style bar in the segment -> (key, record or None); key is None for evaluation bars.
    Returns None if the segment holds no bar. ``labels`` caches what a bar label means."""
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
            return (None, None)
        key = (source, label, int(m.group(1)))
        rate = _pos(m.group(2))
        if rate is None:
            return (key, None)
        ms = 1000.0 / rate if m.group(3) == "it/s" else 1000.0 * rate
        if not (ms > 0 and _isfinite(ms)):
            return (key, None)
        post = m.group(4)
        loss = _first_num(_POSTFIX_LOSS, post) if post and "loss" in post else None
        return (key, IterRecord(int(c.group(1)[::-1]), ms, loss, None, line_no, None, source))
    return None


_TIME_LABELS = frozenset({"", "dt", "time", "step_time", "iter_time", "step time", "iter time", "iteration time",
                          "time/iter", "time/step", "time_per_iter", "time_per_step", "batch_time", "train_time/step"})


def _pipe_fields(part: str, strict: bool) -> tuple[float | None, float | None, float | None, float | None]:
    """Fast path for "a | b | c" lines (llm.c, build-nanogpt and many forks), with string methods only.
    Returns (ms, loss, mfu, tokens_per_sec). With strict, a "... ms" field counts only if its label is a time
    label ("dt:", "time", none)."""
    ms = loss = mfu = toks = None
    for f in part.split("|"):
        f = f.strip()
        if not f:
            continue
        if f.endswith("ms"):
            if ms is None:
                body = f[:-2].rstrip()
                label, _, tok = body.rpartition(" ")
                if not label and ":" in tok:
                    label, _, tok = tok.rpartition(":")
                if not strict or label.rstrip(":= ") in _TIME_LABELS:
                    ms = _pos(tok)
        elif f.startswith(("loss", "train loss", "train_loss")):
            if loss is None:
                loss = _num(f.partition("loss")[2].lstrip(" :=").partition(" ")[0])
        elif "tok" in f:
            if toks is None:
                if f.startswith("tok"):
                    toks = _pos(f.rpartition(" ")[2].rpartition(":")[2].rpartition("=")[2])
                else:
                    toks = _pos(f.partition(" ")[0])
        elif "mfu" in f:
            if mfu is None:
                if f.startswith("mfu"):
                    mfu = _mfu(f[3:].lstrip(" :=").partition("%")[0])
                elif "%" in f:
                    mfu = _mfu(f.partition("%")[0])
    return ms, loss, mfu, toks


def _parse_segment(low: str, line_no: int, st: _State) -> bool:
    """Parse one non-bar segment (lower-cased). Returns True if it was understood."""
    records = st.records
    evals = st.evals

    # --- nanoGPT
    if "iter" in low and "time" in low:
        m = _NANO_ITER.search(low)
        if m is not None:
            it, loss_s, ms_s, mfu_s = m.groups()
            ms = _pos(ms_s)
            if ms is None:
                return False
            toks = _tokens(low[m.end():]) if "tok" in low else None
            records.append(IterRecord(int(it), ms, _num(loss_s), _mfu(mfu_s), line_no, toks, "nanogpt"))
            return True

    if "step" in low:
        # nanoGPT eval
        if "val" in low:
            m = _NANO_EVAL.search(low)
            if m is not None:
                evals.append({"iteration": int(m.group(1)), "line_no": line_no, "train_loss": _num(m.group(2)),
                              "val_loss": _num(m.group(3))})
                st.eval_sources.add("nanogpt")
                return True
        # modded-nanogpt  step:N/M ...
        if "step:" in low:
            m = _MODDED.search(low)
            if m is not None:
                return _parse_modded(low, m, line_no, st)
        # llm.c  step N/M | ...   or   step N/M: train loss L (T ms, K tok/s)
        if "/" in low:
            if "|" in low:
                m = _LLMC_FAST.search(low)
                if m is not None:
                    it, total_s, loss_s, ms_s, mfu_s, tok_s = m.groups()
                    ms = _pos(ms_s)
                    if ms is not None:
                        total = int(total_s)
                        if total > 0:
                            st.hint_steps = total
                        mfu = _mfu(mfu_s)
                        if mfu_s is None and "mfu" in low:
                            mfu = _printed_mfu(low[m.end():])
                        records.append(IterRecord(int(it), ms, _num(loss_s), mfu, line_no, _pos(tok_s), "llm.c"))
                        return True
            m = _LLMC_STEP.search(low)
            if m is not None:
                total = int(m.group(2))
                if total > 0:
                    st.hint_steps = total
                rest = low[m.end():]
                if "|" in rest:
                    ms, loss, mfu, toks = _pipe_fields(rest, False)
                    if ms is not None:
                        records.append(IterRecord(int(m.group(1)), ms, loss, mfu, line_no, toks, "llm.c"))
                        return True
                ms = _unit_num(_MS_UNIT, low, m.end())
                if ms is None or ms <= 0:
                    return "loss" in low
                loss = _first_num(_LOSS_FIELD, rest)
                mfu = _printed_mfu(rest) if "mfu" in rest else None
                records.append(IterRecord(int(m.group(1)), ms, loss, mfu, line_no, _tokens(rest), "llm.c"))
                return True
        if "took" in low:
            m = _LLMC_CPU.search(low)
            if m is not None:
                ms = _pos(m.group(3))
                if ms is None:
                    return False
                records.append(IterRecord(int(m.group(1)), ms, _num(m.group(2)), None, line_no, None, "llm.c"))
                return True

    # --- Hugging Face log dicts
    if "{" in low and ("loss" in low or "runtime" in low or "per_second" in low):
        d: dict[str, str] = {}
        for pm in _DICT_PAIR.finditer(low):
            d.setdefault(pm.group(1), pm.group(2))
        if d:
            sps = _pos(d.get("train_steps_per_second"))
            if sps is not None:
                st.hf_seen = True
                records.append(IterRecord(None, 1000.0 / sps, _num(d.get("train_loss")), None, line_no, None,
                                          "hf-trainer"))
                return True
            if "eval_loss" in d:
                st.hf_seen = True
                evals.append({"iteration": _int(d.get("step")), "line_no": line_no, "train_loss": None,
                              "val_loss": _num(d["eval_loss"])})
                st.eval_sources.add("hf-trainer")
                return True
            if "loss" in d:
                st.hf_seen = True
                evals.append({"iteration": _int(d.get("step")), "line_no": line_no, "train_loss": _num(d["loss"]),
                              "val_loss": None})
                st.eval_sources.add("hf-trainer")
                return True
            if "train_runtime" in d:
                st.hf_seen = True
                return True

    # --- hints
    if "max_" in low:
        m = _HINT_MAX_ITERS.search(low)
        if m is not None:
            v = int(m.group(1))
            if v > 0:
                st.hint_explicit = v
            return True
    if "optimization steps" in low:
        m = _HINT_HF_TOTAL.search(low)
        if m is not None:
            v = _int(m.group(1))
            if v:
                st.hint_explicit = v
            st.hf_seen = True
            return True

    # --- plain per-iteration lines
    if "/" in low or "time" in low or "dt" in low:
        if _parse_plain(low, line_no, st):
            return True

    # --- generic eval lines (llm.c "val loss V", build-nanogpt "validation loss: V", ...)
    if "val" in low and "loss" in low:
        m = _GENERIC_VAL.search(low)
        if m is not None:
            it = _PLAIN_ITER.search(low)
            evals.append({"iteration": int(it.group(1)) if it else None, "line_no": line_no,
                          "train_loss": _first_num(_GENERIC_TRAIN, low), "val_loss": _num(m.group(1))})
            st.eval_sources.add("plain")
            return True

    if "total average iteration time" in low:  # llm.c's closing summary
        return True
    return False


def _parse_modded(low: str, m: re.Match, line_no: int, st: _State) -> bool:
    step = int(m.group(1))
    total = int(m.group(2))
    if total > 0:
        st.hint_steps = total
    mt = _MODDED_TT.search(low) if "train_time" in low else None
    tt = _num(mt.group(1)) if mt is not None else None
    prev = st.modded_prev
    if tt is not None:
        st.modded_prev = (step, tt)
    val = _MODDED_VAL.search(low) if "val_loss" in low else None
    if val is not None:
        st.evals.append({"iteration": step, "line_no": line_no, "train_loss": _first_num(_MODDED_TRAIN, low),
                         "val_loss": _num(val.group(1))})
        st.eval_sources.add("plain")
        return True
    ms = None
    if tt is not None and prev is not None and step > prev[0] and tt > prev[1]:
        ms = (tt - prev[1]) / (step - prev[0])
    if ms is None and "step_avg" in low:
        ms = _first_num(_MODDED_AVG, low)
    if ms is None or not (ms > 0) or not math.isfinite(ms):
        return tt is not None
    st.records.append(IterRecord(step, ms, _first_num(_MODDED_TRAIN, low), None, line_no, None, "plain"))
    return True


def _parse_plain(low: str, line_no: int, st: _State) -> bool:
    if "dt:" in low:
        m = _BUILD_FAST.search(low)
        if m is not None:
            it, loss_s, ms_s, tok_s = m.groups()
            ms = _pos(ms_s)
            if ms is not None:
                mfu = _printed_mfu(low) if "mfu" in low else None
                st.records.append(IterRecord(int(it), ms, _num(loss_s), mfu, line_no, _pos(tok_s), "plain"))
                return True
    if "|" in low and "ms" in low:
        it = _PLAIN_ITER.search(low)
        if it is not None:
            ms, loss, mfu, toks = _pipe_fields(low[it.end():], True)
            if ms is not None:
                st.records.append(IterRecord(int(it.group(1)), ms, loss, mfu, line_no, toks, "plain"))
                return True
    ms = None
    if "/" in low:
        if "ms" in low:
            v = _unit_num(_MS_PER, low)
            if v is not None:
                ms = v if v > 0 else -1.0
        if ms is None:
            v = _unit_num(_S_PER, low)
            if v is not None:
                ms = v * 1000.0 if v > 0 else -1.0
        if ms is None:
            v = _unit_num(_IT_PER_S, low)
            if v is not None:
                ms = 1000.0 / v if v > 0 else -1.0
        if ms is not None and not (ms > 0 and math.isfinite(ms)):
            return False  # a rate field that is 0 or negative
    it = _PLAIN_ITER.search(low)
    if ms is None:
        if it is None:
            return False
        m = _PLAIN_TIME.search(low)
        if m is None:
            return False
        v = _pos(m.group(1))
        if v is None:
            return False
        ms = v if m.group(2) == "ms" else v * 1000.0
    if not math.isfinite(ms) or ms <= 0:
        return False
    loss = _first_num(_LOSS_FIELD, low) if "loss" in low else None
    mfu = _printed_mfu(low) if "mfu" in low else None
    st.records.append(IterRecord(int(it.group(1)) if it else None, ms, loss, mfu, line_no, _tokens(low), "plain"))
    return True


def _clean(seg: str) -> str:
    if len(seg) > _RAW_CAP:
        seg = seg[:_RAW_CAP]
    if "\x1b" in seg:
        seg = _ANSI.sub("", seg)
    if len(seg) > MAX_SEGMENT_CHARS:
        seg = seg[:MAX_SEGMENT_CHARS]
    return seg


def _maybe_bar(low: str) -> bool:
    return "[" in low and "<" in low and ("it/s" in low or "s/it" in low)


# ----------------------------------------------------------------------------------------------------------------
# public API


def parse_log(text: str) -> ParsedLog:
    """Parse pasted log text. Never raises on a str; a non-str is treated as empty (bytes are decoded as UTF-8 with
    replacement)."""
    if isinstance(text, (bytes, bytearray)):
        text = bytes(text).decode("utf-8", errors="replace")
    if not isinstance(text, str) or not text:
        return ParsedLog("unknown", [], [], 0, 0, None)

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
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    st = _State()
    skipped = 0
    bar_records: list[tuple[tuple, IterRecord]] = []
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
                        bar_records.append(b)
                        st.records.append(b[1])
                    continue
            if not _parse_segment(low, line_no, st):
                skipped += 1
            continue

        # a physical line rewritten with \r: parse every non-bar segment, keep the last record of each bar
        understood = False
        nonempty = False
        last_bar: dict[tuple, IterRecord] = {}
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
                        last_bar[b[0]] = b[1]
                    continue
            if _parse_segment(low, line_no, st):
                understood = True
        for key, rec in last_bar.items():
            bar_records.append((key, rec))
            st.records.append(rec)
        if nonempty and not understood:
            skipped += 1

    records = st.records
    # ---- choose which records survive (see module docstring)
    sources = {r.source for r in records}
    drop: set[str] = set()
    if sources & _PER_ITER_SOURCES:
        drop |= {"tqdm", "lightning"}
        if "hf-trainer" in sources:
            drop.add("hf-trainer")
    elif "lightning" in sources:
        drop.add("tqdm")
    tqdm_total = None
    if "tqdm" in sources and "tqdm" not in drop:
        for key, rec in bar_records:
            if key[0] == "tqdm":
                t = key[2]
                if tqdm_total is None or t > tqdm_total:
                    tqdm_total = t
        keep_ids = {id(rec) for key, rec in bar_records if key[0] != "tqdm" or key[2] == tqdm_total}
        records = [r for r in records if r.source != "tqdm" or id(r) in keep_ids]
    if drop:
        records = [r for r in records if r.source not in drop]

    sources = {r.source for r in records}
    if not sources:
        ev = st.eval_sources
        if st.hf_seen and (not ev or ev == {"hf-trainer"}):
            fmt = "hf-trainer"
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

    return ParsedLog(fmt, records, st.evals, skipped, len(lines), hint)


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
    "p10_ms", "p90_ms" (spread; None if fewer than 5 kept), "kept": int,
    "excluded": [{"iteration": int|None, "line_no": int, "ms": float, "reason": str}, ...],
    "last_iteration": int|None, "printed_mfu_median": float|None (median of the kept iterations' printed mfu,
    placeholders excluded)}. The exclusion rules are in the module docstring."""
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

    # 1-2. iteration 0 and warm-up
    run_start: int | None = None
    run_count = 0
    prev_iter: int | None = None
    prev_source: str | None = None
    for i, r in enumerate(records):
        src = r.source
        if src in RATE_SOURCES:
            if r.iteration is not None and r.iteration <= warmup_iters:
                reason[i] = REASON_WARMUP
            continue
        it = r.iteration
        if src != prev_source or (it is not None and prev_iter is not None and it <= prev_iter):
            run_start = it
            run_count = 0
        rel = it - run_start if (it is not None and run_start is not None) else run_count
        run_count += 1
        prev_source = src
        if it is not None:
            prev_iter = it
        if it == 0:
            reason[i] = REASON_ITER0
        elif rel < warmup_iters:
            reason[i] = REASON_WARMUP

    # 3. the iteration that carries an eval
    evs = [e for e in (parsed.evals if parsed is not None else []) if isinstance(e, dict) and
           e.get("val_loss") is not None]
    if evs and n:
        j = 0
        for e in evs:
            ln = e.get("line_no") or 0
            while j < n and records[j].line_no < ln:
                j += 1
            if j >= n:
                break
            r = records[j]
            if r.source in _EVAL_UNTIMED_SOURCES:
                continue
            ei = e.get("iteration")
            if r.source == "nanogpt" and ei is not None and r.iteration is not None and ei != r.iteration:
                continue
            if reason[j] is None:
                reason[j] = REASON_EVAL

    # 4. running averages: only the later half of the progress-bar rates
    rate_idx = [i for i in range(n) if reason[i] is None and records[i].source in RATE_SOURCES
                and not (records[i].source == "hf-trainer" and records[i].iteration is None)]
    if len(rate_idx) >= 2:
        drop_n = len(rate_idx) // 2
        for i in rate_idx[:drop_n]:
            reason[i] = REASON_RUNNING_AVG
    if rate_idx:
        for i in range(n):
            if reason[i] is None and records[i].source == "hf-trainer" and records[i].iteration is None:
                reason[i] = REASON_WHOLE_RUN

    # 5. spikes
    cand = [i for i in range(n) if reason[i] is None]
    if len(cand) >= _MIN_FOR_SPIKES:
        order = sorted(cand, key=lambda i: records[i].ms)
        vals = [records[i].ms for i in order]
        # only the top half can be > 3x a median; walk down from the largest
        for k in range(len(order) - 1, -1, -1):
            if vals[k] > _SPIKE_FACTOR * _median_without(vals, k):
                reason[order[k]] = REASON_SPIKE
            else:
                break

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

    last_iteration = None
    for r in reversed(records):
        if r.iteration is not None:
            last_iteration = r.iteration
            break

    steady = p10 = p90 = None
    if kept_ms:
        kept_ms.sort()
        steady = statistics.median(kept_ms)
        if len(kept_ms) >= _MIN_FOR_SPREAD:
            p10 = _percentile(kept_ms, 0.10)
            p90 = _percentile(kept_ms, 0.90)
    return {
        "steady_ms_per_iter": steady,
        "p10_ms": p10,
        "p90_ms": p90,
        "kept": len(kept_ms),
        "excluded": excluded,
        "last_iteration": last_iteration,
        "printed_mfu_median": statistics.median(kept_mfu) if kept_mfu else None,
    }
