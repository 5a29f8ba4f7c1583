"""The one exception type the calculator raises for bad input.

Every message names the field and, where there is one, the allowed range, so the CLI, the page and the URL parser
can show it as is.
"""


class InputError(ValueError):
    """An input (a field of the schema, a GPU id, a pasted value) is not acceptable."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
