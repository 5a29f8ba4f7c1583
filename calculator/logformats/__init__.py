"""The log formats the analyzer reads: one module per trainer family, in the order they are tried.

Each module has ``FORMATS`` (its entries in the registry: a name, the trainer, an example line, what a line's time
means and how the steady figure is derived) and, except progress_bars (bars are found by the driver before any
line parser runs), ``parse(low, line_no, state)``: given a lower-cased segment of a line it appends records
(``_base.IterRecord``) and evaluations to the state and returns True (understood), False (its line, but unusable)
or None (not its line: the next module tries). A module may also have ``finish(state)``, called once after the last
line (to settle what depends on lines printed later, such as a batch size printed after the rates). Adding a format
is one module here, listed in ``MODULES``, and one fixture in tests/logs/.

The order matters where lines look alike: the formats that print a distinctive word come first, so that, for example,
nanotron's ``elapsed_time_per_iteration_ms: 12.3K`` (a K-suffixed number) is read by nanotron, not by a looser
reader further down.
"""

from __future__ import annotations

from . import (
    build_nanogpt,
    deepspeed,
    fairseq,
    generic,
    hf_trainer,
    keras,
    litgpt,
    llama2c,
    llmc,
    maxtext,
    megatron,
    mlx,
    modded_nanogpt,
    nanogpt,
    nanotron,
    nemo,
    olmo,
    progress_bars,
    tf_estimator,
    tinygrad,
    torchtitan,
)
from ._base import Format

# the order the line parsers are tried in: the specific before the generic
MODULES = (nanogpt, modded_nanogpt, maxtext, nanotron, olmo, llmc, megatron, torchtitan, litgpt, nemo, deepspeed, mlx,
           fairseq, keras, tf_estimator, tinygrad, build_nanogpt, llama2c, hf_trainer, progress_bars, generic)
FORMATS: tuple[Format, ...] = tuple(f for m in MODULES for f in m.FORMATS)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
PARSERS = tuple(m.parse for m in MODULES if hasattr(m, "parse"))
FINISHERS = tuple(m.finish for m in MODULES if hasattr(m, "finish"))
# formats whose printed time never includes an evaluation printed just before it
EVAL_UNTIMED = frozenset(f.name for f in FORMATS if not f.eval_timed)
INTERVAL_FORMATS = frozenset(f.name for f in FORMATS if f.intervals)
MICRO_STEP_FORMATS = frozenset(f.name for f in FORMATS if f.micro_steps)


def listing() -> list[dict]:
    """The registry as the page and docs list it: name, trainer, example line, semantics, how the figure is found
    (in English, the registry's words; calculator.i18n's "logformat.<name>.<part>" has them in every language)."""
    return [{"name": f.name, "title": f.title, "example": f.example, "semantics": f.semantics, "steady": f.steady}
            for f in FORMATS]
