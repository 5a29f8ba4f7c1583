"""The one exception type the calculator raises for bad input.

An InputError names the field and carries a fact (calculator.facts): the key of its message and the parameters
(the allowed range, the value given). calculator.words writes it in the reader's language; str(e) is the English,
"field: message", for logs and tracebacks.
"""

from __future__ import annotations

from typing import Any

from .facts import fact


class InputError(ValueError):
    """An input (a field of the schema, a GPU id, a pasted value) is not acceptable."""

    def __init__(self, field: str, key: str, /, **params: Any):
        self.field = field
        self.fact = fact(key, **params)
        super().__init__(field, key)

    @classmethod
    def of(cls, field: str, message: dict) -> InputError:
        """An error for `field` with an existing fact (the same message, another field named)."""
        e = cls(field, message["key"])
        e.fact = message
        return e

    def then(self, key: str, **params: Any) -> InputError:
        """This error with more said after it (key's template puts this one's words in {error}), e.g. what the
        page did about it: "...; using the default (12)"."""
        return InputError(self.field, key, error=self.fact, **params)

    @property
    def message(self) -> str:
        """The message in English (calculator.words.say)."""
        from .words import say  # the words layer sits above the calculation; only this English view reaches it

        return say(self.fact)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"
