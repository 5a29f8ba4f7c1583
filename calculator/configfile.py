"""A nanoGPT config file's text (config/train_gpt2.py: `name = value` lines), read as Python source but never
executed: each top-level assignment of a literal, or of arithmetic on numeric literals, is a value. The CLI reads a
config file with it (cli.read_config_file) and the page a pasted one (web.apply_config)."""

from __future__ import annotations

import ast
import warnings

from . import schema


def read_config(text: str, filename: str = "<config>") -> tuple[dict, list[str]]:
    """(the schema's inputs the text assigns, the names it assigns that are not inputs or not literals). Raises
    SyntaxError (and ValueError for a NUL byte) for text that is not Python."""
    with warnings.catch_warnings():  # a SyntaxWarning ("invalid decimal literal") would add lines to stderr
        warnings.simplefilter("ignore")
        tree = ast.parse(text, filename=filename)
    found, ignored = {}, []
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            try:
                value = _literal(node.value)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):  # {[1]}: TypeError
                ignored.append(name)
                continue
            (found.__setitem__(name, value) if name in schema.BY_NAME else ignored.append(name))
    return found, ignored


_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
        ast.FloorDiv: lambda a, b: a // b, ast.Div: lambda a, b: a / b}


def _literal(node: ast.AST):
    """A literal, or arithmetic on numeric literals (nanoGPT's configs write `gradient_accumulation_steps = 5 * 8`)."""
    if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
        a, b = _literal(node.left), _literal(node.right)
        if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (a, b)) or \
                (isinstance(node.op, (ast.Div, ast.FloorDiv)) and b == 0):
            raise ValueError("not a numeric expression")
        if abs(a) > 1e15 or abs(b) > 1e15:
            raise ValueError("number too large")
        return _OPS[type(node.op)](a, b)
    return ast.literal_eval(node)
