"""python -m calculator: the estimate in the terminal.

Flags are the schema's inputs, in nanoGPT's own form (--batch_size=32, as train.py's configurator takes them) or
with dashes (--batch-size 32). Positional arguments are nanoGPT config files (e.g. config/train_gpt2.py): their
`name = value` lines for known inputs are read (literals only; nothing is executed). Exit codes: 0 ok, 2 bad input.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import warnings
from typing import Any, NoReturn

from . import gpus, i18n, schema, web
from .errors import InputError
from .estimate import estimate


def help_text(text: str) -> str:
    """A text as argparse help: argparse %-formats help strings (for %(default)s), so a literal % is written %%."""
    return text.replace("%", "%%")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """A bad flag: one line and exit code 2, as for a bad value; for a flag it
        does not know, the nearest flags it does."""
        self.exit(2, f"error: {_one_line(message)}{self._nearest(message)} (python -m calculator --help)\n")

    def _nearest(self, message: str) -> str:
        import difflib

        if not message.startswith("unrecognized arguments:"):
            return ""
        known = [s for a in self._actions for s in a.option_strings]
        hints = []
        for arg in message.split(":", 1)[1].split():
            close = difflib.get_close_matches(arg.split("=")[0], known, n=3, cutoff=0.6) if arg.startswith("-") else []
            if close:
                hints.append(f"{arg}: did you mean {' or '.join(close)}?")
        return "; " + "; ".join(hints) if hints else ""


def _one_line(text, limit: int | None = None) -> str:
    """A message on one line (a config file's SyntaxError can span several), optionally cut to `limit`."""
    text = " ".join(str(text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = _Parser(
        prog="python -m calculator",
        usage="%(prog)s [CONFIG.py ...] [--NAME=VALUE ...] [--json] [--log FILE|-] [--compare] [--list-gpus]",
        description="How long will a nanoGPT-style training run take, and is what my log says normal?",
        epilog="Inputs use nanoGPT's config names; --name=value and --name value both work. "
               "Example: python -m calculator --gpu=rtx-4090 --batch_size=12 --n_layer=12 --n_head=12 --n_embd=768",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("config", nargs="*", help="nanoGPT config files (name = value lines; read, never executed)")
    for group_key, group_title in schema.GROUPS.items():
        g = p.add_argument_group(group_title)
        for f in schema.FIELDS:
            if f.group != group_key:
                continue
            names = [f"--{f.name}"] + ([f"--{f.name.replace('_', '-')}"] if "_" in f.name else [])
            kw: dict[str, Any] = {"dest": f.name, "default": None, "metavar": f.kind.upper(),
                                  "help": help_text(f"{f.help} [{f.range_text()}; default {f.default}]")}
            if f.kind == "bool":
                kw.update(nargs="?", const="true", metavar="BOOL")
            g.add_argument(*names, **kw)
    o = p.add_argument_group("Output")
    o.add_argument("--json", action="store_true", help="print the result dict as JSON (its texts in English, whatever "
                   "--lang says: JSON is for programs)")
    o.add_argument("--lang", metavar="LANG", choices=i18n.LANGS,
                   help="the language of the text output: " + ", ".join(i18n.LANGS) + " (default: from LC_ALL, "
                        "LC_MESSAGES or LANG, else en)")
    o.add_argument("--log", metavar="FILE", help="analyse a training log (a file, or - for stdin)")
    o.add_argument("--list-gpus", action="store_true", help="list the GPU catalogue and exit")
    o.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    o.add_argument("--compare", action="store_true",
                   help="the run's time and cost on every catalogue card (cheapest and fastest marked), and the "
                        "cheapest within --deadline_hours, the fastest within --budget_usd, 8 GPUs against 1")
    return p


def read_config_file(path: str) -> tuple[dict, list[str]]:
    """Literal `name = value` assignments of a nanoGPT config file; returns (known inputs, ignored names)."""
    with open(path, encoding="utf-8") as fh:
        with warnings.catch_warnings():  # a SyntaxWarning ("invalid decimal literal") would add lines to stderr
            warnings.simplefilter("ignore")
            tree = ast.parse(fh.read(), filename=path)
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


_ROWS = ("scenario", "model", "tokens", "gpu", "flops", "speed", "time", "mfu", "throughput", "printed", "first",
         "iter0", "startup", "whole", "total", "warmup", "training", "evals", "checkpoints", "memory")


def table(r: dict, lang: str = i18n.DEFAULT) -> str:
    """The estimate as the terminal shows it, in `lang`: each row's label and text are calculator.i18n's
    "cli.<row>" and "cli.<row>.text" (a section heading has no text)."""
    t, v, g = r["text"], {**r["inputs"], "compile": str(r["inputs"]["compile"])}, r["gpu"]

    def say(key: str) -> str:
        return i18n.t(key, lang).format(t=t, v=v, g=g, r=r)

    rows = [(say(f"cli.{k}"), say(f"cli.{k}.text") if f"cli.{k}.text" in i18n.texts(i18n.DEFAULT) else "")
            for k in _ROWS]
    if "cost" in r:
        c = r["cost"]["text"]

        def say_cost(key: str) -> str:
            return i18n.t(key, lang).format(c=c)

        rented = say_cost("cli.rented.text" if r["cost"]["run_cost"] is not None else "cli.rented.none")
        if r["cost"]["energy_kwh"] is None:
            energy = say_cost("cli.energy.none")
        else:
            energy = say_cost("cli.energy.text") + say_cost(
                "cli.energy.cost" if r["cost"]["energy_cost"] is not None else "cli.energy.no_price")
        rows += [(say("cli.cost"), ""), (say("cli.rented"), rented), (say("cli.energy"), energy)]
    if r.get("feasibility"):
        rows += [(say("cli.check"), ""), (say("cli.verdict"), t["feasibility.verdict"]), ("", t["feasibility"])]
    width = max(len(k) for k, _ in rows) + 2
    lines = []
    for k, val in rows:
        lines.append(f"\n{k}" if val == "" else f"  {k.ljust(width)}{val}")
    warning = i18n.t("cli.warning", lang)
    for w in r["warnings"]:
        lines.append(f"\n{warning}: {w}")
    return "\n".join(lines).lstrip("\n")


def gpu_table() -> str:
    """The catalogue for --list-gpus: the figures the estimate uses and where the bf16/fp16 peak comes from."""
    def num(x) -> str:
        return "-" if x is None else f"{x:g}"

    head = (f"{'id':<18}{'name':<52}{'bf16':>8}{'fp16':>8}{'GB':>5}{'GB/s':>6}{'W':>5}  {'class':<11}"
            "peak source")
    out = [head, f"{'':<70}{'TFLOPS (dense, FP32 acc.)':<16}"]
    for g in gpus.list_gpus():
        out.append(f"{g['id']:<18}{g['name']:<52}{num(g['bf16_tflops']):>8}{num(g['fp16_tflops']):>8}"
                   f"{num(g['memory_gb']):>5}{num(g['bandwidth_gbs']):>6}{num(g['tdp_w']):>5}  {g['perf_class']:<11}"
                   f"{g['peak_source']}")
    out.append("custom            (give --custom_tflops, --custom_memory_gb, --custom_bandwidth_gbs)")
    out.append("bf16 '-': no BF16 tensor cores (use float16). Every figure's source, with the documents' URLs: "
               "docs/gpus.md. The GPU field also takes what torch.cuda.get_device_name() prints.")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0 ok; 2 bad input (one line on stderr, naming the input); 1 an internal error (one line too)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = i18n.DEFAULT if args.json else (args.lang or env_lang())
    if args.list_gpus:
        print(gpu_table())
        return 0
    try:
        raw: dict[str, Any] = {}
        for path in args.config:
            try:
                found, _ignored = read_config_file(path)
            except (OSError, SyntaxError, ValueError, RecursionError, MemoryError) as e:
                raise InputError("config", f"cannot read {path}: {e}") from None
            raw.update(found)
        raw.update({f.name: getattr(args, f.name) for f in schema.FIELDS if getattr(args, f.name) is not None})
        if args.log:
            from .loganalysis import analyze  # the log analyzer, imported only for --log
            if args.log == "-" and sys.stdin.isatty():
                print("Reading the log from the terminal: paste it, then Ctrl-D (Ctrl-Z Enter on Windows).",
                      file=sys.stderr)
            text = sys.stdin.read() if args.log == "-" else _read(args.log)
            result = analyze(text, lang=lang, **raw)
            print(json.dumps(result, indent=2, allow_nan=False) if args.json else result["report"])
            return 0
        try:
            result = estimate(lang=lang, **raw)
        except InputError as e:
            raise _named(raw, e) from None
        if args.compare:
            from . import rent

            answer = rent.compare(schema.validate(raw), lang)
            out = json.dumps(answer, indent=2, allow_nan=False) if args.json else \
                rent.table(answer, result["gpu"]["id"], lang)
        else:
            out = json.dumps(result, indent=2, allow_nan=False) if args.json else table(result, lang)
    except InputError as e:
        field, sep, rest = _one_line(e).partition(": ")
        print(f"{i18n.t('cli.error', lang)}: {field}{sep}{i18n.message(rest, lang)}", file=sys.stderr)
        return 2
    except Exception as e:  # a bug: one line, never a traceback
        print(f"error: {web.INTERNAL_ERROR} ({type(e).__name__}: {_one_line(e, 200)})", file=sys.stderr)
        return 1
    print(out)
    return 0


def env_lang() -> str:
    """The language the environment asks for, as gettext reads it: the first of LC_ALL, LC_MESSAGES, LANG that is
    set ("es_ES.UTF-8" -> "es"); English when it names no language this calculator has."""
    import os

    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if os.environ.get(name):
            return i18n.lang_of(os.environ[name])
    return i18n.DEFAULT


def _named(raw: dict, e: InputError) -> InputError:
    """An error from the computation that names no input (a result too large to compute) names the input to change."""
    if e.field in schema.BY_NAME:
        return e
    bad = web.blame(schema.validate(raw), {"field": e.field, "message": str(e)})
    return InputError(bad, e.message) if bad else e


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError as e:
        raise InputError("log", f"cannot read {path}: {e.strerror}") from None
