"""``spm audit verify`` on both databases: intact, tampered, anchored, bad anchors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import World

from spm_core.cli import main


def _verify(capsys: pytest.CaptureFixture[str], url: str, *extra: str) -> tuple[int, str, str]:
    status = main(["--lang", "en", "--db", url, "audit", "verify", *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_verify_an_intact_then_a_tampered_log(
    world: World, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        world.resident("mawar")
    status, out, err = _verify(capsys, db_url)
    assert status == 0, err
    with world.store._engine.connect() as connection:
        checked = connection.scalar(text("SELECT count(*) FROM audit_log"))
    assert f"intact: {checked} rows checked" in out
    report = world.store.verify_audit()
    assert report.checked == checked
    assert f"{report.last_id}:{report.head}" in out
    status, out, _ = _verify(capsys, db_url, "--format", "json")
    assert status == 0
    assert json.loads(out) == {
        "ok": True,
        "checked": checked,
        "head": report.head,
        "last_id": report.last_id,
        "broken_at": None,
        "reason_id": None,
        "reason_en": None,
    }
    anchor = f"{report.last_id}:{report.head}"
    assert _verify(capsys, db_url, "--anchor", anchor)[0] == 0

    victim = world.store.list_audit(world.operator)[-2].id
    with world.store._engine.begin() as connection:
        if world.store.dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"))
        else:
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
        connection.execute(
            text("UPDATE audit_log SET actor_id = 'orang-lain' WHERE id = :id"), {"id": victim}
        )
        if world.store.dialect == "postgresql":
            connection.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change"))
    status, out, err = _verify(capsys, db_url)
    assert status == 3
    assert f"BROKEN at row {victim}" in out
    assert f"[audit-chain-broken] The audit log's hash chain breaks at row {victim}" in err
    assert "Rantai" not in err  # one language at a time: --lang en prints English only
    status, out, _ = _verify(capsys, db_url, "--format", "json")
    assert status == 3
    assert json.loads(out)["broken_at"] == victim


def test_a_malformed_anchor_is_a_usage_error(
    world: World, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _verify(capsys, db_url, "--anchor", "abc")
    assert status == 2
    assert "ID:HASH" in err


def test_verify_an_empty_log_offers_no_anchor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A new database: the head line read "None:0000…", an anchor no later check accepts.
    url = f"sqlite:///{tmp_path}/empty.db"
    assert main(["init", "--db", url]) == 0
    capsys.readouterr()
    status, out, err = _verify(capsys, url)
    assert status == 0, err
    assert "intact: 0 rows checked" in out
    assert "None" not in out
    assert "The audit log is empty: there is no head hash to record as an anchor yet." in out
