"""The product speaks of itself: no absolute paths of a machine, no links or file names that lead nowhere, no process
words ("issue 5", "the brief") in calculator/, sitebuild/, templates/, build.py, bench/, README.md and docs/; and
imports that point only downwards (docs/architecture.md: the three floors)."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("calculator", "sitebuild", "templates", "build.py", "bench", "README.md", "docs")
TEXT_SUFFIXES = {".py", ".js", ".css", ".j2", ".md", ".json", ".html", ".txt", ".toml", ".yml", ".yaml", ".mjs"}

# An absolute path on somebody's machine (a citation, a default, a leftover): /work/..., /home/..., /tmp/..., etc.
# Not preceded by a word, a dot or a slash, so URLs (https://host/home/...) and relative paths (a/tmp/b) pass.
MACHINE_PATH = re.compile(r"(?<![\w./:~-])(?:/(?:work|home|root|tmp|Users|mnt|srv)/|[A-Za-z]:\\Users\\)[^\s\"'`)]*")
# A Markdown link [text](target): the target, when it is a file of this repository.
MD_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
# A file name of a Markdown document written in the text (README.bench.md, docs/architecture.md).
MD_FILE = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w.-]+\.md)(?![\w(]|\.\w)")
NOT_FILES = {"self.md"}  # build.py's Markdown renderer, an attribute that reads like a file name
PROCESS_WORDS = re.compile(r"\bissue #?\d+\b|\bthe brief\b", re.I)

# Known, and on its way out: the fitted model's sources name a document outside the repository (public-points.md;
# data/speed_model.json is written by tools/calibrate.py). Delete an entry when its finding is gone:
# test_known_exceptions_are_still_there fails until you do, so this list stays true.
KNOWN: set[tuple[str, str, str]] = set()


def product_files() -> list[Path]:
    files = []
    for name in PRODUCT:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [p for p in candidates if p.is_file() and p.suffix in TEXT_SUFFIXES and "__pycache__" not in p.parts]
    return files


def _exists(target: str, where: Path) -> bool:
    target = target.split("#")[0].split("?")[0]
    return not target or (where.parent / target).exists() or (ROOT / target).exists()


def findings() -> set[tuple[str, str, str]]:
    """(file, kind, what) for every machine path, dangling link or file name, and process word in the product."""
    found = set()
    for path in product_files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        found |= {(rel, "path", m.group(0)) for m in MACHINE_PATH.finditer(text)}
        found |= {(rel, "words", m.group(0).lower()) for m in PROCESS_WORDS.finditer(text)}
        found |= {(rel, "file", m.group(1)) for m in MD_FILE.finditer(text)
                  if m.group(1) not in NOT_FILES and not _exists(m.group(1), path)}
        if path.suffix == ".md":
            for m in MD_LINK.finditer(text):
                target = m.group(1)
                if not re.match(r"[a-z][a-z0-9+.-]*:|#", target) and not _exists(target, path):
                    found.add((rel, "link", target))
    return found


def test_the_product_has_no_machine_paths_dangling_links_or_process_words():
    new = sorted(findings() - KNOWN)
    assert not new, "\n".join(f"{f}: {kind}: {what}" for f, kind, what in new)


def test_known_exceptions_are_still_there():
    gone = sorted(KNOWN - findings())
    assert not gone, "fixed, so delete from KNOWN in tests/test_hygiene.py:\n" + "\n".join(map(str, gone))


def test_the_checks_catch_what_they_are_for(tmp_path):
    text = ("cited from /work/shared/x.md and /home/me/y, see [the notes](NOTES.md) and README.bench.md; "
            "fixed in issue 5, as the brief asks. Fine: https://example.org/home/x, [top](#top), README.md")
    assert [m.group(0) for m in MACHINE_PATH.finditer(text)] == ["/work/shared/x.md", "/home/me/y,"]
    assert [m.group(1) for m in MD_LINK.finditer(text)] == ["NOTES.md", "#top"]
    names = [m.group(1) for m in MD_FILE.finditer(text + " self.md.reset() ends in docs/x.md.")]
    assert names == ["NOTES.md", "README.bench.md", "README.md", "docs/x.md"]  # not self.md.reset()
    assert not _exists("README.bench.md", ROOT / "x") and _exists("README.md", ROOT / "x")
    assert [m.group(0) for m in PROCESS_WORDS.finditer(text)] == ["issue 5", "the brief"]


def _imports(path: Path) -> set[str]:
    """The top-level names of the absolute imports in a Python file (relative imports stay inside its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_imports_point_downwards():
    """The calculator (the ground floor) imports the standard library and itself only; the build's rooms never
    import build.py, bench or the tools that stand beside them."""
    for path in sorted((ROOT / "calculator").rglob("*.py")):
        foreign = {n for n in _imports(path) if n not in sys.stdlib_module_names and n != "calculator"}
        assert not foreign, f"{path.relative_to(ROOT)} imports {sorted(foreign)}"
    for path in sorted((ROOT / "sitebuild").rglob("*.py")):
        upwards = _imports(path) & {"build", "bench", "tools", "tests"}
        assert not upwards, f"{path.relative_to(ROOT)} imports {sorted(upwards)}"
