"""The training-time estimator's calculator: nanoGPT's arithmetic, a calibrated speed model, and the text the site
shows. Pure Python, standard library only, so it runs natively and in the browser on Pyodide.

    >>> from calculator import estimate, words
    >>> r = estimate(gpu="rtx-4070")          # nanoGPT config names; defaults are the ~40M scenario: numbers, facts
    >>> said = words.estimate(r, "en")        # the same result with its texts, in a language ("en", "es")
    >>> said["text"]["ms_per_iter"], said["text"]["total_seconds"]
"""

from .errors import InputError
from .estimate import compute, estimate
from .schema import DEFAULTS, FIELDS, from_query, to_query, validate

__all__ = ["InputError", "estimate", "compute", "validate", "from_query", "to_query", "FIELDS", "DEFAULTS"]
__version__ = "0.1.0"
