"""The docs' generated tables (inputs in docs/cli.md, calibration errors in docs/model.md) match the schema and the
fitted model; the README keeps the two set-up commands."""

from pathlib import Path

import pytest

from tools import docs

README = Path(docs.ROOT) / "README.md"


@pytest.mark.parametrize("path", docs.documents(), ids=lambda p: p.name)
def test_generated_blocks_are_current(path):
    text = path.read_text(encoding="utf-8")
    assert docs.render(text, path) == text, "run python -m tools.docs"


def test_every_block_has_a_home():
    for name, (path, _) in docs.BLOCKS.items():
        assert f"<!-- {name}:start -->" in path.read_text(encoding="utf-8"), (name, path)


def test_readme_shows_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "python3 build.py --serve" in text
    assert "bash scripts/test.sh" in text
