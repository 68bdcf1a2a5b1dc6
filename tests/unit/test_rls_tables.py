"""Row-level security covers every personal table; each table left out says why."""

from __future__ import annotations

from spm_core.store.base import Base
from spm_core.store.rls import NOT_UNDER_RLS, RLS_TABLES


def test_every_table_is_under_rls_or_says_why_not() -> None:
    tables = set(Base.metadata.tables)
    assert set(RLS_TABLES) | set(NOT_UNDER_RLS) == tables
    assert not set(RLS_TABLES) & set(NOT_UNDER_RLS)
    assert all(reason.strip() for reason in NOT_UNDER_RLS.values())


def test_every_personal_table_but_the_audit_log_has_a_policy() -> None:
    from spm_core.store._erasure import ERASURE_PLAN

    assert set(ERASURE_PLAN) - set(RLS_TABLES) == {"audit_log"}
