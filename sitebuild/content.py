"""What the page says, per language: templates/content/<lang>/ holds ui.json (the interface's words) and the prose,
one Markdown file per section with front matter (id, title; optional toc, include). Every folder with a ui.json is
a language; the default one is written to site/, the others to site/<lang>/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from . import BuildError

CONTENT = Path(__file__).resolve().parents[1] / "templates" / "content"
DEFAULT_LANG = "en"

_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta = {}
    for line in m.group(1).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            meta[k.strip()] = v.strip()
    return meta, text[m.end():]


def languages() -> list[str]:
    """The languages, the default one first."""
    langs = sorted(p.name for p in CONTENT.iterdir() if p.is_dir() and (p / "ui.json").exists())
    return sorted(langs, key=lambda x: x != DEFAULT_LANG)


def ui(lang: str) -> dict:
    return json.loads((CONTENT / lang / "ui.json").read_text(encoding="utf-8"))


def sections(lang: str) -> list[tuple[dict[str, str], str]]:
    """(front matter, Markdown body) of each section, in file-name order; the body may hold Jinja placeholders."""
    out = []
    for path in sorted((CONTENT / lang).glob("*.md")):
        meta, body = _front_matter(path.read_text(encoding="utf-8"))
        if "id" not in meta or "title" not in meta:
            raise BuildError(f"{path}: needs front matter with id and title")
        out.append((meta, body))
    return out
