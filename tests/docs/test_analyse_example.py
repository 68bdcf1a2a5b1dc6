"""The analysis of docs/analyse.md prints the chart the page shows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_analysis_prints_what_the_page_shows() -> None:
    pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location("analyse", ROOT / "docs/examples/analyse.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "analyse.md").read_text(encoding="utf-8")
    shown = page.split("<!-- analyse-output -->\n```text\n", 1)[1].split("\n```", 1)[0]
    assert module.main() == shown
