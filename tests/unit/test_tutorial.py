"""The region-plugin tutorial (``docs/plugins/tutorial.md``) runs as written.

Its console commands run in order in a temporary folder: ``spm new-region`` scaffolds
Kota Bogor's plugin, ``pytest`` runs the compliance suite on it, the wheel is built and
installed, and ``spm plugins`` / ``spm route`` find the installed plugin. Two commands
are adapted, not skipped in spirit: the wheel is installed into a folder put on
``PYTHONPATH`` (``pip install --target``) rather than into this environment, and
``twine upload`` is not run (it needs an index to publish to). The tutorial's edit of
the social affairs office is applied to the generated module, and the suite passes
again.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "plugins" / "tutorial.md"


def _commands() -> list[str]:
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, re.DOTALL)
    return [line[2:] for block in blocks for line in block.splitlines() if line.startswith("$ ")]


def _python_block(containing: str) -> str:
    text = TUTORIAL.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    (found,) = [b for b in blocks if containing in b]
    return found


def test_the_tutorial_has_the_commands_it_teaches() -> None:
    assert _commands() == [
        "spm new-region kota-bogor --wilayah 32.71",
        "cd spm-kota-bogor",
        "pytest",
        "python -m pip wheel --no-deps --wheel-dir dist .",
        "python -m pip install dist/spm_kota_bogor-0.1.0-py3-none-any.whl",
        "spm plugins",
        "spm route sosial.alat-bantu-dengar --wilayah 32.71.01.1001",
        "python -m twine upload dist/*",
    ]


def _run(argv: list[str], cwd: Path, pythonpath: list[Path]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SPM_PLUGINS", "SPM_DATABASE_URL"}}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in pythonpath)
    env["COLUMNS"] = "200"
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_tutorial_runs(tmp_path: Path) -> None:
    cwd = tmp_path
    site = tmp_path / "site"
    outputs: dict[str, str] = {}
    for command in _commands():
        argv = shlex.split(command)
        if argv[0] == "cd":
            cwd = cwd / argv[1]
            continue
        if argv[:2] == ["python", "-m"] and argv[2] == "twine":
            continue  # publishing needs an index; the wheel it would upload was built above
        path = [cwd]
        if argv[0] == "spm":
            argv = [sys.executable, "-m", "spm_core", *argv[1:], "--lang", "en"]
            path = [site]
        elif argv[0] == "pytest":
            argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        elif argv[:4] == ["python", "-m", "pip", "install"]:
            argv = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site),
                    *argv[4:]]  # fmt: skip
        else:
            argv = [sys.executable, *argv[1:]] if argv[0] == "python" else argv
        result = _run(argv, cwd, path)
        assert result.returncode == 0, (command, result.stdout[-3000:], result.stderr[-3000:])
        words = command.split()
        outputs[" ".join(words[:2]) if words[0] == "spm" else words[0]] = result.stdout
    assert "7 passed" in outputs["pytest"]
    assert "kota-bogor" in outputs["spm plugins"]
    assert "32.71" in outputs["spm plugins"]
    assert "kota-bogor.dinas-sosial" in outputs["spm route"]

    # Step 3: the tutorial's edit of the social affairs office; the suite still passes.
    module = cwd / "spm_kota_bogor" / "__init__.py"
    text = module.read_text(encoding="utf-8")
    generated = re.search(r"    _opd\(\n        \"dinas-sosial\",.*?\n    \),\n", text, re.DOTALL)
    assert generated is not None
    module.write_text(text.replace(generated.group(0), _python_block("Dinas Sosial Kota Bogor")))
    result = _run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd, [cwd])
    assert result.returncode == 0, result.stdout[-3000:]
    assert "7 passed" in result.stdout
