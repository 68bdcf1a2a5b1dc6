"""A kader's ``--posyandu ID`` must name a posyandu: a typo is an error, not an empty answer."""

from __future__ import annotations

import pytest
from store_helpers import World

from spm_core.cli import main

# Each command a kader runs with --posyandu, without the --posyandu itself.
COMMANDS = {
    "export residents": ["export", "residents"],
    "export report": ["export", "report", "--period", "2025"],
    "report": ["report", "--period", "2025", "--format", "csv"],
    "explain": ["explain", "kesehatan.balita", "--period", "2025", "--resident", "{resident}"],
    "referrals suggest": ["referrals", "suggest", "--wilayah", "32.75.01.1001", "--period", "2025"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_posyandu_is_not_found_and_a_known_one_answers(
    world: World, db_url: str, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    siti = world.resident("mawar", name="Siti Posyandu")
    argv = [a.format(resident=siti.id) for a in COMMANDS[command]]
    base = ["--lang", "en", "--db", db_url, *argv]
    assert main([*base, "--posyandu", "mawar-salah-ketik"]) == 3
    captured = capsys.readouterr()
    assert "[not-found] posyandu 'mawar-salah-ketik' was not found." in captured.err
    assert captured.out == ""  # no empty CSV, no empty report
    assert main([*base, "--posyandu", world.posyandu["mawar"].id]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    if command == "export residents":
        assert "Siti Posyandu" in out
    if command == "explain":
        assert out.startswith(f"kesehatan.balita 2025 — {siti.id}: ")
