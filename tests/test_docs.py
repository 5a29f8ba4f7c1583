"""The README's generated tables (inputs, calibration errors) match the schema and the fitted model."""

from tools import docs


def test_readme_generated_blocks_are_current():
    text = docs.README.read_text(encoding="utf-8")
    assert docs.render(text) == text, "run python -m tools.docs"


def test_readme_shows_the_two_commands():
    text = docs.README.read_text(encoding="utf-8")
    assert "python3 build.py --serve" in text
    assert "bash scripts/test.sh" in text
