"""What every log format shares: the records, the parse state, the number readers and the regex building blocks.

Every regex here and in the format modules runs on a lower-cased segment of at most ``MAX_SEGMENT_CHARS`` and starts
with a literal (or a short character class), so the engine scans for that literal in C instead of trying a match at
every position; a word guard is a look-behind placed *after* the literal (``loss(?<![a-z0-9]loss)``) for the same
reason. A number that comes before its unit ("250.1 ms", "2.00it/s") is read backwards from the unit by
``num_before``, never by a regex that starts with a digit. Quantifiers between fields are bounded, so matching is
linear in the length of the line.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass, field

MAX_SEGMENT_CHARS = 2000  # of each \r-segment (after ANSI stripping) only this much is matched
INF = math.inf
isfinite = math.isfinite

# What a record's time means (IterRecord.kind):
STEP = "step"  # the time of this one step, as the trainer measured it
INTERVAL = "interval"  # an average over the ``span`` steps since the previous printed line (a log interval)
RATE = "rate"  # a progress bar's smoothed running rate (tqdm's exponential moving average)
ELAPSED = "elapsed"  # a progress bar's elapsed column: its slope over the steps since an earlier point of the bar
WHOLE_RUN = "whole-run"  # a whole run's average (a trainer's closing summary)

RUNNING_AVERAGE_KINDS = frozenset({RATE, ELAPSED})


@dataclass(slots=True)
class IterRecord:
    iteration: int | None  # iteration/step number if printed (a micro-step when ``opt_step`` is set)
    ms: float  # time of this iteration in milliseconds
    loss: float | None
    printed_mfu: float | None  # percent as printed, None if absent or a placeholder (negative)
    line_no: int  # 1-based line number in the input
    tokens_per_sec: float | None = None  # if the line printed it
    source: str = ""  # the format it was read as (a name in calculator.logformats.FORMATS)
    kind: str = STEP  # what ``ms`` means: STEP, INTERVAL, RATE, ELAPSED or WHOLE_RUN
    span: int = 1  # how many steps ``ms`` is the average over (INTERVAL records)
    opt_step: int | None = None  # the optimizer step, when ``iteration`` counts micro-steps (litgpt)


@dataclass
class ParsedLog:
    format: str  # a name in calculator.logformats.FORMATS, "mixed" or "unknown"
    records: list[IterRecord] = field(default_factory=list)
    evals: list[dict] = field(default_factory=list)  # {"iteration", "line_no", "train_loss", "val_loss"}
    skipped_lines: int = 0  # non-empty lines not understood
    total_lines: int = 0
    max_iters_hint: int | None = None
    why: dict | str = ""  # a fact: which lines matched which format, how the time per step was derived ("" if none)
    micro_steps_per_step: float | None = None  # micro-steps per optimizer step, when the log prints both
    checkpoints: list[dict] = field(default_factory=list)  # {"iteration", "line_no"}: a save timed in the next line
    skipped_intervals: list[int] = field(default_factory=list)  # line numbers of intervals with no optimizer step
    # what the log states about the run (State.stated): "global_batch" (sequences per optimizer step),
    # "tokens_per_step", "seq_len", "num_gpus", "params" (model parameters); the model's shape where the log prints
    # it, under the schema's names (SHAPE_KEYS: "model_type", "n_layer", "n_head", "n_embd", "n_kv_head",
    # "intermediate_size", "vocab_size", "block_size", "bias", "tie_word_embeddings") and its layout (LAYOUT_KEYS:
    # "tensor_parallel", "pipeline_parallel", "context_parallel", "batch_size", "gradient_accumulation_steps"); each
    # as printed (unchecked: calculator.loganalysis checks a shape against the schema before it uses it), else absent
    stated: dict = field(default_factory=dict)
    rank_copies: int = 1  # how many times each step was printed (one per rank); the copies were counted once
    duplicates_dropped: int = 0  # records dropped as another rank's copy of a step already read


@dataclass(frozen=True)
class Format:
    """One format in the registry: what the page and the docs list, and how the steady state treats it."""

    name: str  # as ParsedLog.format and IterRecord.source give it
    title: str  # the trainer (family) that prints it
    example: str  # one line as the trainer prints it
    semantics: str  # what one line's time means: per step or an interval average; micro-step or optimizer step
    steady: str  # how the steady figure is derived from those lines
    eval_timed: bool = True  # the line printed right after an evaluation includes the evaluation's time
    intervals: bool = False  # its records can be averages over several steps (IterRecord.span)
    micro_steps: bool = False  # its records can count micro-steps (IterRecord.opt_step)


class State:
    """What the format parsers write while the lines go by."""

    __slots__ = ("records", "evals", "checkpoints", "skipped_intervals", "hint_explicit", "hint_steps", "hf_seen",
                 "eval_sources", "notes", "prev", "extra", "stated")

    def __init__(self) -> None:
        self.records: list[IterRecord] = []
        self.evals: list[dict] = []
        self.checkpoints: list[dict] = []
        self.skipped_intervals: list[int] = []  # Megatron intervals in which every iteration was skipped
        self.hint_explicit: int | None = None
        self.hint_steps: int | None = None
        self.hf_seen = False
        self.eval_sources: set[str] = set()
        self.notes: dict[str, dict] = {}  # format name -> how its times were derived (a fact)
        self.prev: dict[str, tuple] = {}  # format name -> its previous point (step, time, ...)
        self.extra: dict[str, float] = {}  # settings a log prints once (batch sizes, sequence length)
        self.stated: dict[str, float] = {}  # what the run is, as the log states it (see ParsedLog.stated)


def w(word: str) -> str:
    """``word`` not preceded by a letter or digit (the look-behind follows the literal)."""
    return f"{word}(?<![a-z0-9]{word})"


# a number is captured as a bounded token and validated by float(): cheaper than an exact number regex, and NaN,
# inf or garbage simply fail the float() (or the finiteness check) later.
NUM = r"([-+]?(?:[.0-9]|nan|inf)[-+.0-9a-z]{0,39})"  # a value followed by a delimiter (",", "%", " ", "|", ")")
NUMU = r"([-+.0-9e]{1,40})"  # a value glued to a unit ("250.00ms", "2.00it/s")
_NUM_TAIL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?\Z")
_REV_NUM = re.compile(r"[ \t]{0,8}([0-9.e+\-]{1,40})")  # a number, reversed
_REV_INT = re.compile(r"[ \t]{0,8}(\d{1,12})")  # an integer, reversed

LOSS_FIELD = re.compile(w("loss") + r"\s{0,8}[:=]?\s{0,8}" + NUM)
_TOK_UNIT = re.compile(r"tok(?:en)?s?\s{0,2}/\s{0,2}s(?:ec)?(?![a-z])")
_AFTER_COLON_NUM = re.compile(r"\s{0,8}[:=]?\s{0,8}" + NUM)
_MFU_WORD = re.compile(w("mfu") + r"(?![a-z0-9_])")
_REV_PCT = re.compile(r"\s{0,8}(?:[a-z0-9_]{1,16}\s{1,8})?%")  # reversed "% bf16 " before "mfu"
_MFU_AFTER = re.compile(r"\s{0,8}[:=]?\s{0,8}" + NUM + r"\s{0,8}%")
# 2025-03-12 11:10:21,511 / 2023-03-22T09:30:39.5 / [2025-04-13 23:41:12]: a wall-clock time on the line
_STAMP = re.compile(r"(\d{4})-(\d\d)-(\d\d)[ t_](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,6}))?")
_STAMP_SCAN = 120  # a timestamp prefix is looked for in the first characters of a line only


def num(s: str | None) -> float | None:
    """A finite float or None."""
    try:
        v = float(s)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if isfinite(v) else None


def pos(s: str | None) -> float | None:
    """A finite float > 0 or None."""
    try:
        v = float(s)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if v > 0 and v != INF else None


def mfu(s: str | None) -> float | None:
    try:
        v = float(s)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if v >= 0 and v != INF else None  # nanoGPT/llm.c/llama2.c print -100% as a placeholder


def integer(s: str | None) -> int | None:
    """An integer as printed, thousands separators allowed ("193,831")."""
    if s is None:
        return None
    try:
        return int(s.replace(",", ""))
    except ValueError:
        return None


def first_num(rx: re.Pattern, s: str) -> float | None:
    m = rx.search(s)
    return num(m.group(1)) if m is not None else None


def num_before(s: str, end: int) -> float | None:
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
    return v if isfinite(v) else None


def int_before(s: str, end: int) -> int | None:
    """The integer that ends just before s[end] (spaces allowed), not glued to a word or a decimal point."""
    start = end - 24 if end > 24 else 0
    rev = s[start:end][::-1]
    m = _REV_INT.match(rev)
    if m is None:
        return None
    e = m.end()
    if e < len(rev):
        c = rev[e]
        if c.isalnum() or c in "_.,-":
            return None
    return int(m.group(1)[::-1])


def unit_num(rx: re.Pattern, s: str, start: int = 0) -> float | None:
    """The first number directly before a match of rx (a unit)."""
    for m in rx.finditer(s, start):
        v = num_before(s, m.start())
        if v is not None:
            return v
    return None


def tokens(low: str) -> float | None:
    """A printed tokens-per-second figure ("K tok/s", "tok/sec: K")."""
    if "tok" not in low:
        return None
    for m in _TOK_UNIT.finditer(low):
        v = num_before(low, m.start())
        if v is None:
            a = _AFTER_COLON_NUM.match(low, m.end())
            v = num(a.group(1)) if a is not None else None
        if v is not None and v > 0:
            return v
    return None


def printed_mfu(low: str) -> float | None:
    """The printed mfu percent, None if absent or a (negative) placeholder. Both "mfu 31.2%" (nanoGPT, llm.c
    variants) and "40.1% bf16 MFU" (llm.c) are read."""
    for m in _MFU_WORD.finditer(low):
        a = _MFU_AFTER.match(low, m.end())
        if a is not None:
            return mfu(a.group(1))
        start = m.start() - 40 if m.start() > 40 else 0
        b = _REV_PCT.match(low[start:m.start()][::-1])
        if b is not None:
            v = num_before(low, m.start() - b.end())
            if v is not None:
                return v if v >= 0 else None
    return None


_DAYS: dict[tuple[int, int, int], int] = {}
_EPOCH_DAY = datetime.date(2000, 1, 1).toordinal()


def timestamp(low: str) -> float | None:
    """Seconds of the wall-clock timestamp near the start of the line ("2025-03-12 11:10:21,511"), else None."""
    if "-" not in low[:_STAMP_SCAN]:
        return None
    m = _STAMP.search(low, 0, _STAMP_SCAN)
    if m is None:
        return None
    y, mo, d, hh, mm, ss, frac = m.groups()
    key = (int(y), int(mo), int(d))
    day = _DAYS.get(key)
    if day is None:
        try:
            day = datetime.date(*key).toordinal()
        except ValueError:
            return None
        if len(_DAYS) < 10000:
            _DAYS[key] = day
    # counted from 2000-01-01, not from year 1: 10^9 s rather than 6 x 10^10 keeps a double's error in a difference
    # of two stamps near 10^-7 s, below the millisecond the stamps print
    sec = (day - _EPOCH_DAY) * 86400 + int(hh) * 3600 + int(mm) * 60 + int(ss)
    return sec + (int(frac) / 10 ** len(frac) if frac else 0.0)


TIME_LABELS = frozenset({"", "dt", "time", "step_time", "iter_time", "step time", "iter time", "iteration time",
                         "time/iter", "time/step", "time_per_iter", "time_per_step", "batch_time", "train_time/step"})


def pipe_fields(part: str, strict: bool) -> tuple[float | None, float | None, float | None, float | None]:
    """Fast path for "a | b | c" lines (llm.c, build-nanogpt, llama2.c and many forks), with string methods only.
    Returns (ms, loss, mfu, tokens_per_sec). With strict, a "... ms" field counts only if its label is a time
    label ("dt:", "time", none)."""
    ms = loss = mfu_v = toks = None
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
                if not strict or label.rstrip(":= ") in TIME_LABELS:
                    ms = pos(tok)
        elif f.startswith(("loss", "train loss", "train_loss")):
            if loss is None:
                loss = num(f.partition("loss")[2].lstrip(" :=").partition(" ")[0])
        elif "tok" in f:
            if toks is None:
                if f.startswith("tok"):
                    toks = pos(f.rpartition(" ")[2].rpartition(":")[2].rpartition("=")[2])
                else:
                    toks = pos(f.partition(" ")[0])
        elif "mfu" in f:
            if mfu_v is None:
                if f.startswith("mfu"):
                    mfu_v = mfu(f[3:].lstrip(" :=").partition("%")[0])
                elif "%" in f:
                    mfu_v = mfu(f.partition("%")[0])
    return ms, loss, mfu_v, toks


_HUMAN = {"k": 1e3, "m": 1e6, "g": 1e9, "b": 1e9, "t": 1e12, "p": 1e15, "e": 1e18}


def human(s: str | None) -> float | None:
    """A finite number as printed with a magnitude suffix ("12.3K", "1.5M", "2G"; lower-cased), or plain."""
    if not s:
        return None
    s = s.strip().rstrip(",;|")
    mult = 1.0
    if s and s[-1] in _HUMAN and not s[:-1].endswith("e"):  # "1e" is not a suffixed 1
        mult = _HUMAN[s[-1]]
        s = s[:-1]
    v = num(s)
    return v * mult if v is not None else None


def hms(s: str | None) -> float | None:
    """Seconds of "1:02:03.45", "0:20:34.56" or "34.5" (a duration as Python's timedelta prints it), else None."""
    if not s:
        return None
    parts = s.strip().split(":")
    if len(parts) > 3:
        return None
    total = 0.0
    for p in parts:
        v = num(p)
        if v is None or v < 0:
            return None
        total = total * 60 + v
    return total


def state(st: State, key: str, value: float | None) -> None:
    """Record what the log states about the run (the first statement wins; positive values only)."""
    if value is not None and value > 0 and isfinite(value) and key not in st.stated:
        st.stated[key] = value


# the model's shape and layout a log can state, under the schema's field names (see ParsedLog.stated)
SHAPE_KEYS = ("model_type", "n_layer", "n_head", "n_embd", "n_kv_head", "intermediate_size", "vocab_size",
              "block_size", "bias", "tie_word_embeddings")
LAYOUT_KEYS = ("tensor_parallel", "pipeline_parallel", "context_parallel", "batch_size", "gradient_accumulation_steps")
MAX_DIM = 10 ** 12  # a printed size above this is no model's (the schema's ranges are far below): not read
_TRUE_WORDS = frozenset({"true", "1", "yes"})
_FALSE_WORDS = frozenset({"false", "0", "no"})


def whole(s: str | None) -> int | None:
    """A whole number as a config dump prints it ("4096", "128,256", "4096.0"), 1..MAX_DIM; else None (a negative,
    zero, fractional, huge, NaN or non-numeric value is not a size)."""
    if not s:
        return None
    t = s.strip().strip("'\"").replace(",", "").replace("_", "")
    if t.endswith(".0"):
        t = t[:-2]
    if not t.isdigit() or not t.isascii() or len(t) > 13:
        return None
    v = int(t)
    return v if 0 < v <= MAX_DIM else None


def flag(s: str | None) -> bool | None:
    """True/False as a config dump prints it ("True", "false", "1"); else None."""
    if s is None:
        return None
    t = s.strip().strip("'\"").lower()
    return True if t in _TRUE_WORDS else False if t in _FALSE_WORDS else None


def state_shape(st: State, key: str, value: int | bool | str | None) -> None:
    """Record one dimension of the model or its layout as the log states it (the first statement wins)."""
    if value is not None and key not in st.stated:
        st.stated[key] = value


def state_batch(st: State, micro: int | None, glob: int | None, seq: int | None) -> None:
    """Record a config dump's batch (Megatron's and NeMo's micro_batch_size, global_batch_size and sequence length):
    the micro-batch, the sequences and tokens of an optimizer step, and nanoGPT's gradient_accumulation_steps (its
    count over all data-parallel ranks: global / micro) where the micro-batch divides the global batch."""
    state_shape(st, "batch_size", micro)
    state(st, "global_batch", float(glob) if glob else None)
    state(st, "seq_len", float(seq) if seq else None)
    if glob and seq:
        state(st, "tokens_per_step", float(glob * seq))
    if micro and glob and glob % micro == 0:
        state_shape(st, "gradient_accumulation_steps", glob // micro)


def interval_span(st: State, key: str, it: int) -> int:
    """How many steps an interval line ending at step ``it`` averages: the steps since the previous line of the same
    format; after a count that goes back (a restart or a new run), the log interval seen so far; 0 if unknown (the
    driver then takes the next line's)."""
    prev = st.prev.get(key)
    if prev is None:
        span = 0
    elif it > prev[0]:
        span = it - prev[0]
    else:
        span = prev[1]
    st.prev[key] = (it, span)
    return span


def ok_ms(ms: float | None) -> bool:
    return ms is not None and ms > 0 and isfinite(ms)


def add_eval(st: State, source: str, iteration: int | None, line_no: int, train_loss: float | None,
             val_loss: float | None) -> None:
    st.evals.append({"iteration": iteration, "line_no": line_no, "train_loss": train_loss, "val_loss": val_loss})
    st.eval_sources.add(source)
