"""The HTML report opened in a real browser: headless Chromium (Debian's ``chromium``).

The demo's page is loaded from a file with the network out of reach; the test reads what
Chromium logs of the page's console (an error there fails it), the DOM Chromium built
(the charts must be there as SVG), and keeps a screenshot. The same checks run first on
a page that is broken on purpose, so a checker that sees nothing cannot pass.

Without Chromium the test is skipped with the reason; ``SPM_REQUIRE_BROWSER=1`` (set by
CI, which installs Chromium) turns the skip into a failure. The screenshot goes to
``$SPM_ARTEFACT_DIR`` when set (CI keeps it), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from spm_core.demo import KECAMATAN, run_demo

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # Nothing outside the file may load: every host name resolves nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
CONSOLE = re.compile(r":CONSOLE[:(]\d*\)?\]? (.*)")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    reason = "Chromium is not installed (Debian: apt-get install chromium)"
    if os.environ.get("SPM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}; SPM_REQUIRE_BROWSER=1 requires it")
    pytest.skip(reason)


def _run(browser: str, profile: Path, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        *extra, page.as_uri(),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _console_messages(stderr: str) -> list[str]:
    return [match.group(1) for line in stderr.splitlines() if (match := CONSOLE.search(line))]


def _open(browser: str, tmp: Path, page: Path) -> tuple[str, list[str]]:
    """Return the DOM Chromium built from ``page`` and the console messages it logged."""
    done = _run(browser, tmp / "profile-dom", page, "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout, _console_messages(done.stderr)


@pytest.fixture(scope="module")
def browser() -> str:
    return _browser()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, browser: str) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "spm-report.html"
    run_demo(f"sqlite:///{folder / 'demo.db'}", residents=600, seed=1, year=2025, out=page)
    return page


def test_the_checker_sees_a_broken_page(browser: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<!DOCTYPE html><html><body><p>x</p>"
        "<script>console.error('charts failed'); undefinedFunction();</script>"
        "</body></html>",
        encoding="utf-8",
    )
    dom, messages = _open(browser, tmp_path, broken)
    assert "<svg" not in dom
    assert any("charts failed" in m for m in messages)
    assert any("undefinedFunction" in m for m in messages)


def test_the_report_renders_in_chromium_without_console_errors(
    browser: str, report: Path, tmp_path: Path
) -> None:
    dom, messages = _open(browser, tmp_path, report)
    assert messages == []
    # The charts: one per kecamatan and the city, each in both languages, with bars.
    charts = re.findall(r"<svg[^>]*role=\"img\"", dom)
    assert len(charts) == 2 * (len(KECAMATAN) + 1)
    assert dom.count("<rect") >= len(charts) * 7  # six fields and all fields
    assert dom.count("<title") == 1 + len(charts)
    assert 'id="rujukan"' in dom
    assert 'id="dasar-hukum"' in dom


def test_a_screenshot_is_kept(browser: str, report: Path, tmp_path: Path) -> None:
    folder = Path(os.environ.get("SPM_ARTEFACT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, size in (
        ("spm-report-laptop.png", "1280,2200"),
        ("spm-report-phone.png", "390,2400"),
    ):
        shot = folder / name
        shot.unlink(missing_ok=True)
        done = _run(
            browser, tmp_path / f"profile-{name}", report, f"--window-size={size}",
            f"--screenshot={shot}",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        assert _console_messages(done.stderr) == []
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000  # a rendered page, not a blank one
