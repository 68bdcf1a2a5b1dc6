"""Every ``spm`` command has an example in docs/cli.md, and every example prints what it says.

The examples are the ``console`` blocks of docs/cli.md. They run in document order, in
one directory holding a prepared, deterministic database (``spm synth`` of 300
residents of Kota Bekasi, seed 1, year 2025, as ``spm.db``, the default database) and
the files of docs/examples/cli/. The test fails when an example's output differs from
the page, or when a command listed by ``spm --help`` has no example at all.

How an example is written (the page says the same under "How the examples are
checked"):

* A line ``$ spm …`` is a command; the lines after it, up to the next ``$`` line or
  the end of the block, are what it prints — standard output and standard error
  together, as a pipe sees them (tables as tab-separated rows).
* ``…`` alone on a line stands for any number of lines; a line ending in ``…``
  matches any line that starts with the text before it; ``<any>`` inside a line
  matches any text.
* UUIDs, long hexadecimal ids and time stamps are compared as ``<uuid>``, ``<hex>``
  and ``<timestamp>``, and the run directory reads as ``/home/kader``, so the page can
  show real values.
* A last line ``[exit N]`` says the command ends with status N; otherwise it must end
  with 0. A command with no lines after it is run and must succeed; its output is not
  compared (it does not count as the command's example).
* ``$ spm … | filter`` and ``$ spm … > FILE`` pipe the output through the shell.
* A block right after ``<!-- cli-example: not-run REASON -->`` is shown but not run
  (a server that never ends, a command needing a network); the reason is required.
"""

from __future__ import annotations

import io
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from importlib.metadata import entry_points
from pathlib import Path

import attrs
import pytest

from spm_core.cli import main
from spm_core.cli._app import build_parser

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cli.md"
FILES = ROOT / "docs" / "examples" / "cli"
HOME = "/home/kader"
TOKEN_SECRET = "docs-example-secret-0123456789"
"""``$SPM_TOKEN_SECRET`` while the examples run (``spm token`` needs one)."""
PLUGINS = "kesehatan,pendidikan,pupr,perkim,trantibum,sosial,kota-bekasi"
"""The plugins the examples load: the six fields and the Kota Bekasi region plugin."""
NOT_RUN = re.compile(r"^<!--\s*cli-example:\s*not-run\s+(?P<reason>\S.*?)\s*-->$")
EXIT = re.compile(r"^\[exit (\d+)\]$")
_CLEARED = (
    "SPM_DATABASE_URL", "SPM_PLUGINS", "SPM_WILAYAH", "SPM_TOKEN_SECRET", "FORCE_COLOR",
    "TTY_COMPATIBLE",
)  # fmt: skip
_GLOBAL_WITH_VALUE = {"--lang", "--allow", "--deny", "--db"}
_VOLATILE = (
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}:?\d{2}|Z)?"),
     "<timestamp>"),
    (re.compile(r"(?<![0-9a-zA-Z])[0-9a-f]{16,}(?![0-9a-zA-Z])"), "<hex>"),
)  # fmt: skip


@attrs.frozen
class Example:
    """One ``$ spm …`` line of the page and what it should print."""

    line: int
    command: str
    expected: tuple[str, ...]
    not_run: str | None

    @property
    def name(self) -> str:
        """The sub-command (``catalog``, ``audit``…), skipping global options."""
        words = shlex.split(self.command.split(" | ")[0].split(" > ")[0])[1:]
        skip = False
        for word in words:
            if skip:
                skip = False
                continue
            if word in _GLOBAL_WITH_VALUE:
                skip = True
                continue
            if word.startswith("-"):
                continue
            return word
        return ""

    @property
    def shows_output(self) -> bool:
        """Whether the example shows output to compare (so it documents the command)."""
        return bool(self.expected) or self.not_run is not None


def examples(page: Path = PAGE) -> list[Example]:
    """Return the examples of ``page``, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        before = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marker = NOT_RUN.match(before)
        reason = marker.group("reason") if marker else None
        i += 1
        current: tuple[int, str] | None = None
        output: list[str] = []
        while i < len(lines) and lines[i].strip() != "```":
            text = lines[i]
            if text.startswith("$ "):
                if current is not None:
                    found.append(Example(current[0], current[1], tuple(output), reason))
                current, output = (i + 1, text[2:].strip()), []
            elif current is not None:
                output.append(text)
            i += 1
        if current is not None:
            found.append(Example(current[0], current[1], tuple(output), reason))
        i += 1
    return found


def _commands() -> list[str]:
    parser = build_parser("en")
    sub = next(a for a in parser._actions if a.dest == "command")
    assert sub.choices is not None
    return sorted(sub.choices)


def normalise(text: str, home: str) -> str:
    """Return ``text`` with its volatile parts replaced and trailing blanks dropped."""
    text = text.replace(home, HOME)
    for pattern, token in _VOLATILE:
        text = pattern.sub(token, text)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def _pattern(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        if line.strip() in ("…", "..."):
            parts.append(r"(?:[^\n]*\n)*?")
            continue
        prefix = line.endswith("…")
        body = line[:-1] if prefix else line
        piece = "[^\n]*".join(re.escape(p) for p in body.split("<any>"))
        parts.append(piece + ("[^\n]*" if prefix else "") + "\n")
    return re.compile("".join(parts))


def run(example: Example, where: Path) -> tuple[int, str]:
    """Run one example in ``where``; return its status and everything it printed."""
    command = os.path.expandvars(example.command)
    assert command.startswith("spm "), f"line {example.line}: only spm commands run: {command}"
    tail = None
    for sign in (" | ", " > "):
        if sign in command:
            command, rest = command.split(sign, 1)
            tail = (sign.strip(), rest)
            break
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=True)
    with redirect_stdout(stream), redirect_stderr(stream):
        status = main(shlex.split(command)[1:])
    stream.flush()
    printed = raw.getvalue().decode("utf-8")
    if tail is not None and tail[0] == ">":
        (where / tail[1].strip()).write_text(printed, encoding="utf-8")
        printed = ""
    elif tail is not None:
        done = subprocess.run(
            tail[1], shell=True, input=printed, capture_output=True, text=True, cwd=where,
            check=False,
        )  # fmt: skip
        printed = done.stdout + done.stderr
    return status, printed


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory with the prepared database (``spm.db``) and the example files."""
    installed = {ep.name for ep in entry_points(group="spm")}
    missing = [name for name in PLUGINS.split(",") if name not in installed]
    if missing:
        pytest.fail(
            f"the examples of docs/cli.md run with the plugins {PLUGINS}; not installed: "
            f"{', '.join(missing)} (from the clone: pip install -e regions/kota-bekasi)",
            pytrace=False,
        )
    where = tmp_path_factory.mktemp("kader")
    if FILES.is_dir():
        for item in FILES.iterdir():
            shutil.copy(item, where / item.name)
    saved = os.getcwd()
    os.chdir(where)
    env = {k: os.environ.pop(k) for k in _CLEARED if k in os.environ}
    os.environ["SPM_PLUGINS"] = PLUGINS
    os.environ["SPM_TOKEN_SECRET"] = TOKEN_SECRET
    os.environ["COLUMNS"] = "100"
    os.environ["NO_COLOR"] = "1"
    try:
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            status = main(["synth", "--residents", "300", "--wilayah", "32.75", "--seed", "1",
                           "--year", "2025", "--format", "json"])  # fmt: skip
        assert status == 0
        yield where
    finally:
        os.chdir(saved)
        os.environ.update(env)
        os.environ.pop("COLUMNS", None)
        os.environ.pop("SPM_PLUGINS", None)
        os.environ.pop("SPM_TOKEN_SECRET", None)
        os.environ.pop("NO_COLOR", None)


def test_every_command_has_an_example_with_output() -> None:
    documented = {e.name for e in examples() if e.shows_output}
    missing = [name for name in _commands() if name not in documented]
    assert missing == [], f"commands with no example in docs/cli.md: {missing}"


def test_a_command_not_run_says_why() -> None:
    for example in examples():
        if example.not_run is not None:
            assert len(example.not_run) > 10, example


def test_every_example_prints_what_the_page_says(workdir: Path) -> None:
    failures = []
    for example in examples():
        if example.not_run is not None:
            continue
        expected = list(example.expected)
        status_wanted = 0
        if expected and EXIT.match(expected[-1].strip()):
            status_wanted = int(EXIT.match(expected[-1].strip()).group(1))  # type: ignore[union-attr]
            expected = expected[:-1]
        status, printed = run(example, workdir)
        actual = normalise(printed, str(workdir))
        if status != status_wanted:
            failures.append(f"line {example.line}: $ {example.command}\n  exit {status}, "
                            f"page says {status_wanted}\n{actual}")  # fmt: skip
            continue
        if not example.expected:
            continue
        want = [normalise(line, str(workdir)) if line.strip() not in ("…", "...") else line
                for line in expected]  # fmt: skip
        while want and not want[-1].strip():
            want.pop()
        while want and not want[0].strip():
            want.pop(0)
        if not _pattern(want).fullmatch(actual + "\n" if actual else ""):
            failures.append(
                f"line {example.line}: $ {example.command}\n--- page\n"
                + "\n".join(want)
                + "\n--- printed\n"
                + actual
            )
    assert not failures, "\n\n".join(failures)


def test_the_page_format_is_read_as_documented(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n```console\n$ spm --lang en plugins --wide\nname\tx\n…\n```\n\n"
        "<!-- cli-example: not-run serves HTTP until it is stopped -->\n\n"
        "```console\n$ spm --db sqlite:///x.db serve --port 8000\nServing on …\n```\n\n"
        "```console\n$ spm catalog --format json > c.json\n$ spm katalog\n[exit 2]\n```\n",
        encoding="utf-8",
    )
    found = examples(page)
    assert [(e.name, e.not_run, e.shows_output) for e in found] == [
        ("plugins", None, True),
        ("serve", "serves HTTP until it is stopped", True),
        ("catalog", None, False),
        ("katalog", None, True),
    ]
    assert found[0].expected == ("name\tx", "…")
    pattern = _pattern(["name\tx", "…", "last <any> line", "prefix…"])
    assert pattern.fullmatch("name\tx\na\nb\nlast odd line\nprefix and more\n")
    assert not pattern.fullmatch("name\ty\nlast odd line\nprefix\n")
    assert normalise(f"{tmp_path}/spm.db 3f2a9c0e1b7d4a6f8e9c\n", str(tmp_path)) == (
        "/home/kader/spm.db <hex>"
    )
