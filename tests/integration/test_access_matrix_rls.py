"""The access matrix once more with PostgreSQL row-level security on (test T7).

The same sixteen posyandu as ``test_access_matrix``; the store now switches, in every
transaction, to an application role that owns nothing, with the actor's scope in
``spm.*`` settings (:mod:`spm_core.store.rls`). Every probe must give the same answers
as without RLS — the two layers agree — and the application role with no scope setting
sees no row at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import text
from store_helpers import kader
from test_access_matrix import (
    GHOST,
    ON,
    PROBES,
    ROW_LESS,
    ROW_PROBES,
    VILLAGES,
    Matrix,
    _leaks,
    _residents_by_area,
    _run,
    _seed_posyandu,
    agency_officer,
)

from spm_core.access import Purpose
from spm_core.catalog import Catalog
from spm_core.store import open_store
from spm_core.store.rls import RLS_TABLES, install_rls

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def rls_matrix(
    tmp_path_factory: pytest.TempPathFactory,
    make_database: Callable[[str, Path], AbstractContextManager[str]],
    referral_catalog: Catalog,
) -> Iterator[tuple[Matrix, str]]:
    with make_database("postgres", tmp_path_factory.mktemp("rls")) as url:
        store = open_store(url)
        role = f"spm_app_{uuid.uuid4().hex[:8]}"
        try:
            seeded = tuple(
                _seed_posyandu(store, referral_catalog, 2 * i + j, village)
                for i, village in enumerate(VILLAGES)
                for j in range(2)
            )
            with store._engine.begin() as connection:
                connection.execute(text(f"CREATE ROLE {role} NOLOGIN"))
            install_rls(store._engine, role)
            scoped = open_store(url, rls=role)
            try:
                yield Matrix(scoped, referral_catalog, seeded), role
            finally:
                scoped.close()
        finally:
            with store._engine.begin() as connection:
                connection.execute(text(f"DROP OWNED BY {role}"))
                connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
            store.close()


def test_the_app_role_without_a_scope_sees_no_row(rls_matrix: tuple[Matrix, str]) -> None:
    matrix, role = rls_matrix
    with matrix.store._engine.begin() as connection:
        owner = {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in RLS_TABLES}
        connection.execute(text(f"SET LOCAL ROLE {role}"))
        seen = {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in RLS_TABLES}
    assert owner["resident"] >= 32
    assert all(owner[t] > 0 for t in ("resident", "record", "referral", "referral_event"))
    assert seen == dict.fromkeys(RLS_TABLES, 0)


@pytest.mark.parametrize("x", range(16))
def test_with_rls_a_kader_sees_its_own_rows_and_no_other(
    rls_matrix: tuple[Matrix, str], x: int
) -> None:
    matrix, _ = rls_matrix
    store, own = matrix.store, matrix.posyandu[x]
    actor = kader(own.posyandu)
    for name, probes in PROBES.items():
        for probe in probes:
            kind, detail = _run(probe, store, actor, own)
            assert kind == "rows", (name, detail)
            assert detail, name
            assert detail <= own.ids, name
    ghost = {n: [_run(p, store, actor, GHOST) for p in ps] for n, ps in PROBES.items()}
    for y, other in enumerate(matrix.posyandu):
        if y == x:
            continue
        for name, probes in PROBES.items():
            for probe, expected in zip(probes, ghost[name], strict=True):
                outcome = _run(probe, store, actor, other)
                assert not _leaks(outcome, other.ids), (x, y, name)
                if outcome[0] == "not-found" or expected[0] == "not-found":
                    assert outcome == expected, (x, y, name)


@pytest.mark.parametrize("agency", ["kota.dinsos", "kab.disperkimtan"])
def test_with_rls_an_agency_sees_only_its_referrals(
    rls_matrix: tuple[Matrix, str], agency: str
) -> None:
    matrix, _ = rls_matrix
    store, actor = matrix.store, agency_officer(agency)
    mine = {t.referral for t in matrix.posyandu if t.agency == agency}
    assert {r.id for r in store.list_referrals(actor, purpose=Purpose.RUJUKAN)} == mine
    for target in matrix.posyandu:
        for name, probes in ROW_PROBES.items():
            for probe in probes:
                outcome = _run(probe, store, actor, target, purpose=Purpose.RUJUKAN)
                allowed = {target.referral} & mine
                assert not _leaks(outcome, target.ids - allowed), (agency, name)
        if target.agency == agency:
            person = store.get_referral(actor, target.referral, purpose=Purpose.RUJUKAN).person
            assert person is not None


def test_with_rls_counts_and_writes_still_work(rls_matrix: tuple[Matrix, str]) -> None:
    from datetime import date

    from spm_core.access import Purpose

    matrix, _ = rls_matrix
    store = matrix.store
    researcher = ROW_LESS["researcher"]
    own = matrix.posyandu[3]
    made, _ = store.add_resident(
        kader(own.posyandu),
        {"name": "Baru RLS", "sex": "L", "birth_date": "2001-01-01", "posyandu_id": own.posyandu},
        Purpose.PENDATAAN,
    )
    assert store.get_resident(kader(own.posyandu), made.id).name == "Baru RLS"
    counts = store.count_referrals(researcher, on=date(2025, 1, 1))
    assert sum(c.count for c in counts) == 16


def test_with_rls_an_unscoped_query_returns_only_the_scope(rls_matrix: tuple[Matrix, str]) -> None:
    """The second layer on its own: a query with no WHERE still sees only the scope."""
    from sqlalchemy import select

    from spm_core.store.rls import acting
    from spm_core.store.tables import RecordRow, ResidentRow

    matrix, _ = rls_matrix
    own = matrix.posyandu[5]
    with acting(kader(own.posyandu)), matrix.store._db.read() as session:
        residents = set(session.scalars(select(ResidentRow.id)))
        records = set(session.scalars(select(RecordRow.id)))
    assert residents == set(own.residents)
    assert records == set(own.records)


def test_with_rls_a_researcher_gets_the_same_withheld_counts_and_extract(
    rls_matrix: tuple[Matrix, str],
) -> None:
    """Suppressed counts and the pseudonymised extract agree with and without RLS."""
    from spm_core.privacy import research_extract

    matrix, _ = rls_matrix
    researcher = ROW_LESS["researcher"]
    url = matrix.store._engine.url.render_as_string(hide_password=False)
    plain = open_store(url)
    try:
        for level in ("kelurahan", "kecamatan", "kabupaten_kota"):
            with_rls = matrix.store.aggregate(researcher, _residents_by_area, level=level)
            without = plain.aggregate(researcher, _residents_by_area, level=level)
            assert with_rls == without, level
            assert with_rls.suppressed_below == 5
        key = "kunci-proyek-rls-matrix-2026"
        extracted = research_extract(matrix.store, researcher, key=key, on=ON)
        expected = research_extract(plain, researcher, key=key, on=ON)
        assert extracted.rows == expected.rows
        assert len(extracted.rows) >= 32
    finally:
        plain.close()
