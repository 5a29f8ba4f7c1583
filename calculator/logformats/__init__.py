"""The log formats the analyzer reads: one module per trainer family, in the order they are tried.

Each module has ``FORMATS`` (its entries in the registry: a name, the trainer, an example line, what a line's time
means and how the steady figure is derived) and, except progress_bars (bars are found by the driver before any
line parser runs), ``parse(low, line_no, state)``: given a lower-cased segment of a line it appends records
(``_base.IterRecord``) and evaluations to the state and returns True (understood), False (its line, but unusable)
or None (not its line: the next module tries). Adding a format is one module here, listed in ``MODULES``, and one
fixture in tests/logs/.
"""

from __future__ import annotations

from . import (
    build_nanogpt,
    deepspeed,
    generic,
    hf_trainer,
    litgpt,
    llama2c,
    llmc,
    megatron,
    modded_nanogpt,
    nanogpt,
    nemo,
    progress_bars,
    torchtitan,
)
from ._base import Format

# the order the line parsers are tried in: the specific before the generic
MODULES = (nanogpt, modded_nanogpt, llmc, megatron, torchtitan, litgpt, nemo, deepspeed, build_nanogpt, llama2c,
           hf_trainer, progress_bars, generic)
FORMATS: tuple[Format, ...] = tuple(f for m in MODULES for f in m.FORMATS)
BY_NAME: dict[str, Format] = {f.name: f for f in FORMATS}
PARSERS = tuple(m.parse for m in MODULES if hasattr(m, "parse"))
# formats whose printed time never includes an evaluation printed just before it
EVAL_UNTIMED = frozenset(f.name for f in FORMATS if not f.eval_timed)
INTERVAL_FORMATS = frozenset(f.name for f in FORMATS if f.intervals)
MICRO_STEP_FORMATS = frozenset(f.name for f in FORMATS if f.micro_steps)


def listing() -> list[dict]:
    """The registry as the page and docs list it: name, trainer, example line, semantics, how the figure is found
    (in English, the registry's words; calculator.i18n's "logformat.<name>.<part>" has them in every language)."""
    return [{"name": f.name, "title": f.title, "example": f.example, "semantics": f.semantics, "steady": f.steady}
            for f in FORMATS]
