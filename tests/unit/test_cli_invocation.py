"""Hints name a command that runs as written: ``.venv/bin/spm`` when ``spm`` is not on PATH.

After the README's quick start (``python3 -m venv .venv && .venv/bin/pip install -e .
&& .venv/bin/spm demo``) the virtual environment is not activated, so ``spm`` and
``pip`` alone are not found; the demo's closing hint ("try: spm report …") failed as
written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from spm_core.cli._common import invocation


@pytest.fixture
def venv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone with an inactive virtual environment, the current directory."""
    bin_ = tmp_path / "clone" / ".venv" / "bin"
    bin_.mkdir(parents=True)
    for name in ("spm", "pip", "python"):
        (bin_ / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (bin_ / name).chmod(0o755)
    monkeypatch.chdir(tmp_path / "clone")
    monkeypatch.setenv("PATH", str(tmp_path / "elsewhere"))
    monkeypatch.setattr(sys, "executable", str(bin_ / "python"))
    return bin_


def test_an_inactive_venv_gets_the_path_typed_in_the_quick_start(
    venv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", [".venv/bin/spm", "demo"])
    assert invocation("spm") == ".venv/bin/spm"
    assert invocation("pip") == os.path.join(".venv", "bin", "pip")


def test_an_absolute_path_inside_the_directory_is_shown_relative(
    venv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", [str(venv / "spm"), "demo"])
    assert invocation("spm") == os.path.join(".venv", "bin", "spm")


def test_an_active_venv_gets_the_bare_name(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(venv))
    monkeypatch.setattr(sys, "argv", [str(venv / "spm"), "demo"])
    assert invocation("spm") == "spm"
    assert invocation("pip") == "pip"


def test_python_dash_m_is_named_as_such(venv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["/somewhere/spm_core/__main__.py", "demo"])
    assert invocation("spm") == f"{os.path.join('.venv', 'bin', 'python')} -m spm_core"


def test_a_program_called_from_python_says_spm(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["pytest"])
    assert invocation("spm") == "spm"
