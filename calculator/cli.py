"""python -m calculator: the estimate in the terminal.

Flags are the schema's inputs, in nanoGPT's own form (--batch_size=32, as train.py's configurator takes them) or
with dashes (--batch-size 32). Positional arguments are nanoGPT config files (e.g. config/train_gpt2.py): their
`name = value` lines for known inputs are read (literals only; nothing is executed); a .json one is a Hugging Face
config.json, whose model sizes calculator.hfconfig reads. Flags win over both. Exit codes: 0 ok, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, NoReturn

from . import configfile, fmt, gpus, i18n, schema, web, words
from .errors import InputError
from .estimate import estimate
from .facts import fact


def help_text(text: str) -> str:
    """A text as argparse help: argparse %-formats help strings (for %(default)s), so a literal % is written %%."""
    return text.replace("%", "%%")


class _Parser(argparse.ArgumentParser):
    lang = i18n.DEFAULT

    def error(self, message: str) -> NoReturn:
        """A bad flag: one line and exit code 2, as for a bad value; for a flag it does not know, the nearest flags
        it does. argparse's own words come through _argparse_words, in the parser's language."""
        self.exit(2, f"{i18n.t('cli.error', self.lang)}: {_one_line(message)}{self._nearest(message)} "
                     f"{i18n.t('cli.see_help', self.lang)}\n")

    def _nearest(self, message: str) -> str:
        import difflib

        head = _argparse_words(self.lang)("unrecognized arguments: %s") % ""
        if not message.startswith(head):
            return ""
        known = [s for a in self._actions for s in a.option_strings]
        hints = []
        for arg in message[len(head):].split():
            close = difflib.get_close_matches(arg.split("=")[0], known, n=3, cutoff=0.6) if arg.startswith("-") else []
            if close:
                hints.append(i18n.t("cli.did_you_mean", self.lang, arg=arg,
                                    flags=i18n.t("list.or", self.lang).join(close)))
        return "; " + "; ".join(hints) if hints else ""


def _argparse_words(lang: str):
    """argparse's gettext in `lang`: its messages ("unrecognized arguments: %s", "expected one argument") are looked
    up whole, as gettext does, in calculator.i18n ("argparse.<the English>"); one it does not have stays English."""
    def gettext(text: str) -> str:
        key = f"argparse.{text}"
        return i18n.t(key, lang) if key in i18n.texts(i18n.DEFAULT) else text
    return gettext


def _one_line(text, limit: int | None = None) -> str:
    """A message on one line (a config file's SyntaxError can span several), optionally cut to `limit`."""
    text = " ".join(str(text).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def build_parser(lang: str = i18n.DEFAULT) -> argparse.ArgumentParser:
    """The command line's parser, its help and messages in `lang`."""
    from . import __version__, words

    def t(key: str, **kw) -> str:
        return help_text(i18n.t(f"cli.help.{key}", lang, **kw))

    p = _Parser(
        prog="python -m calculator",
        usage="%(prog)s [CONFIG.py|config.json ...] [--NAME=VALUE ...] [--json] [--log FILE|-] [--compare] "
              "[--list-gpus] [--list-models]",
        description=i18n.t("cli.help.description", lang), epilog=i18n.t("cli.help.epilog", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.lang = lang
    p.add_argument("config", nargs="*", help=t("config"))
    for group_key in schema.GROUPS:
        g = p.add_argument_group(i18n.t(f"group.{group_key}", lang))
        for f in schema.FIELDS:
            if f.group != group_key:
                continue
            names = [f"--{f.name}"] + ([f"--{f.name.replace('_', '-')}"] if "_" in f.name else [])
            kw: dict[str, Any] = {"dest": f.name, "default": None, "metavar": f.kind.upper(),
                                  "help": t("field", help=i18n.t(f"field.{f.name}.help", lang),
                                            range=words.say(f.range_fact(), lang), default=f.default)}
            if f.kind == "bool":
                kw.update(nargs="?", const="true", metavar="BOOL")
            g.add_argument(*names, **kw)
    o = p.add_argument_group(i18n.t("cli.help.output", lang))
    o.add_argument("--json", action="store_true", help=t("json"))
    o.add_argument("--lang", metavar="LANG", choices=i18n.LANGS, help=t("lang", langs=", ".join(i18n.LANGS)))
    o.add_argument("--log", metavar="FILE", help=t("log"))
    o.add_argument("--list-gpus", action="store_true", help=t("list_gpus"))
    o.add_argument("--list-models", action="store_true", help=t("list_models"))
    o.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help=t("version"))
    o.add_argument("--compare", action="store_true", help=t("compare"))
    for action in p._actions:
        if action.dest == "help":
            action.help = t("help")
    return p


def read_config_file(path: str) -> tuple[dict, list[str]]:
    """Literal `name = value` assignments of a nanoGPT config file; returns (known inputs, ignored names)."""
    with open(path, encoding="utf-8") as fh:
        return configfile.read_config(fh.read(), filename=path)


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
    if r["arch"]["model_type"] != "gpt2":
        rows[1] = (rows[1][0], i18n.t("cli.model.arch", lang).format(
            v=v, t=t, a=r["arch"], ffn=fmt.exact(r["arch"]["intermediate_size"], lang)))
    if r["inputs"]["num_gpus"] > 1:
        rows += _parallel_rows(r, lang)
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


def _parallel_rows(r: dict, lang: str) -> list[tuple[str, str]]:
    """The layout, what the GPUs send and the bubble, for a run on several GPUs (calculator/parallel.py)."""
    p, t = r["parallel"], r["text"]  # the texts the page shows too (calculator.words.estimate's TEXT)
    parts = ", ".join(f"{i18n.t('cli.comm.' + k, lang)} {t['parallel.comm_seconds.' + k]}"
                      for k in ("data_s", "tensor_s", "context_s", "pipeline_s") if p["comm_seconds"][k] > 0)
    return [
        (i18n.t("cli.parallel", lang), ""),
        (i18n.t("cli.layout", lang), i18n.t("cli.layout.text", lang).format(
            p=p, sharding=p["sharding"], link=p["link"], network=p["network"])),
        (i18n.t("cli.comm", lang), i18n.t("cli.comm.text", lang).format(
            total=t["parallel.comm_total_seconds"], share=t["parallel.comm_share"],
            step=fmt.duration(r["model_ms_per_iter"] / 1000, lang), parts=parts or i18n.t("fmt.none", lang))),
        (i18n.t("cli.bubble", lang), i18n.t("cli.bubble.text", lang).format(
            bubble=t["parallel.bubble_seconds"], share=t["parallel.bubble_share"])),
        (i18n.t("cli.hfu", lang), i18n.t("cli.hfu.text", lang).format(hfu=t["hfu"], ac=p["activation_checkpointing"])),
    ]


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


def model_table() -> str:
    """The presets for --list-models: the name the model field takes, the model, its parameters and architecture."""
    from . import presets

    rows = [(key, p["name"], f"{p['params']:,}", p["config"]["model_type"]) for key, p in presets.PRESETS.items()]
    widths = [max(len(r[i]) for r in rows + [("id", "name", "params", "model_type")]) + 2 for i in range(3)]
    out = [f"{'id':<{widths[0]}}{'name':<{widths[1]}}{'params':>{widths[2] - 2}}  model_type"]
    out += [f"{a:<{widths[0]}}{b:<{widths[1]}}{c:>{widths[2] - 2}}  {d}" for a, b, c, d in rows]
    out.append("--model=ID (or an alias: the Hugging Face repo's name, e.g. meta-llama/Llama-3.1-8B) sets the model's "
               "fields; the sources of each config and count: docs/models.md.")
    return "\n".join(out)


def read_hf_config(path: str) -> dict:
    """The model's schema values from a Hugging Face config.json file (calculator.hfconfig; parsed, not executed)."""
    from . import hfconfig

    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read(hfconfig.MAX_CHARS + 1)  # a larger file is refused as such, without reading all of it
    except OSError as e:
        raise InputError("config", "error.cannot_read", path=path, why=_why(e)) from None
    try:
        return hfconfig.read(text)
    except InputError as e:
        if e.field == "config":  # the file as a whole: say which file
            raise InputError("config", "error.cannot_read", path=path, why=e.fact) from None
        raise


def main(argv: list[str] | None = None) -> int:
    """Exit codes: 0 ok; 2 bad input (one line on stderr, naming the input); 1 an internal error (one line too)."""
    lang = _asked_lang(sys.argv[1:] if argv is None else argv)
    english = argparse._
    argparse._ = _argparse_words(lang)  # argparse's own messages ("expected one argument") in the reader's language
    try:
        args = build_parser(lang).parse_args(argv)
    finally:
        argparse._ = english
    lang = i18n.DEFAULT if args.json else lang
    if args.list_gpus:
        print(gpu_table())
        return 0
    if args.list_models:
        print(model_table())
        return 0
    try:
        raw: dict[str, Any] = {}
        for path in args.config:
            if path.lower().endswith(".json"):
                raw.update(read_hf_config(path))
                continue
            try:
                found, _ignored = read_config_file(path)
            except (OSError, SyntaxError, ValueError, RecursionError, MemoryError) as e:
                raise InputError("config", "error.cannot_read", path=path, why=_why(e)) from None
            raw.update(found)
        # argparse drops a value of exactly "--" ("--n_layer=--" arrives as []): it was the text "--"
        raw.update({f.name: "--" if getattr(args, f.name) == [] else getattr(args, f.name)
                    for f in schema.FIELDS if getattr(args, f.name) is not None})
        if args.log:
            from .loganalysis import analyze  # the log analyzer, imported only for --log
            if args.log == "-" and sys.stdin.isatty():
                print(i18n.t("cli.reading_stdin", lang), file=sys.stderr)
            text = sys.stdin.read() if args.log == "-" else _read(args.log)
            result = words.analysis(analyze(text, **raw), lang)
            print(json.dumps(result, indent=2, allow_nan=False) if args.json else result["report"])
            return 0
        try:
            result = words.estimate(estimate(**raw), lang)
        except InputError as e:
            raise _named(raw, e) from None
        if args.compare:
            from . import rent
            from .words import rent as rent_words

            answer = words.comparison(rent.compare(schema.validate(raw)), lang)
            out = json.dumps(answer, indent=2, allow_nan=False) if args.json else \
                rent_words.table(answer, result["gpu"]["id"], lang)
        else:
            out = json.dumps(result, indent=2, allow_nan=False) if args.json else table(result, lang)
    except InputError as e:
        print(f"{i18n.t('cli.error', lang)}: {_one_line(words.error(e, lang))}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader closed the pipe (`--log FILE | head`): __main__ ends quietly
        raise
    except Exception as e:  # a bug: one line, never a traceback
        internal = words.say(fact("error.internal", type=f"{type(e).__name__}: {_one_line(e, 200)}"), lang)
        print(f"{i18n.t('cli.error', lang)}: {internal}", file=sys.stderr)
        return 1
    print(out)
    return 0


def _asked_lang(argv: list[str]) -> str:
    """The language asked for before the flags are parsed (so that argparse's messages and --help speak it): the
    last --lang given (--lang es, --lang=es), else the environment's."""
    asked = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            asked = argv[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.split("=", 1)[1]
    return i18n.lang_of(asked) if asked else env_lang()


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
    bad = web.blame(schema.validate(raw), e)
    return InputError.of(bad, e.fact) if bad else e


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError as e:
        raise InputError("log", "error.cannot_read", path=path, why=_why(e)) from None


# The operating system's reasons a file cannot be read that a reader meets (errno names), each a key of
# calculator.i18n ("oserror.ENOENT"), so the reason is in the reader's language; another is shown as the OS says it.
OS_ERRORS = ("ENOENT", "EACCES", "EISDIR", "ENOTDIR", "ELOOP", "ENAMETOOLONG")


def _why(e: BaseException) -> dict | str:
    """Why a file could not be read, as a fact where the reason is a common one (else as Python says it)."""
    import errno

    if isinstance(e, OSError):
        name = errno.errorcode.get(e.errno or 0)
        return fact(f"oserror.{name}") if name in OS_ERRORS else _one_line(e.strerror or e, 200)
    if isinstance(e, SyntaxError):
        return fact("error.not_python", line=e.lineno or "?")
    return fact("error.not_literal")
