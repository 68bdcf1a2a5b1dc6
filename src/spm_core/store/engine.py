"""Open a store: build the engine, bring the schema to the current revision.

``open_store("sqlite:///spm.db")`` gives an embedded database in one file;
``open_store("postgresql+psycopg://user@host/db")`` the production one. The same code
runs on both.
"""

from __future__ import annotations

from spm_core.catalog import Catalog
from spm_core.errors import MigrationError
from spm_core.store import migrations
from spm_core.store.repositories import Store
from spm_core.store.rls import use_rls
from spm_core.store.transactions import check_connection, make_engine

__all__ = ["DEFAULT_URL", "open_store"]

DEFAULT_URL = "sqlite:///spm.db"
"""The database used when none is named: a SQLite file in the working directory."""


def open_store(
    url: str = DEFAULT_URL,
    *,
    upgrade: bool = True,
    rls: bool | str = False,
    catalog: Catalog | None = None,
) -> Store:
    """Return a :class:`Store` on ``url``, its schema upgraded to the current revision.

    Args:
        url: a SQLAlchemy URL: ``sqlite:///path.db`` (``sqlite://`` in memory) or
            ``postgresql+psycopg://user@host:port/db``.
        upgrade: run the migrations to the newest revision first. With ``False`` an
            out-of-date database is an error instead.
        rls: on PostgreSQL, set the actor's scope for row-level security in every
            transaction (:func:`~spm_core.store.rls.use_rls`); a role name also switches
            each transaction to that role. Install the policies with
            :func:`~spm_core.store.rls.install_rls` (``spm rls``).
        catalog: names which record types hold specific data (health, welfare,
            children), so a kader's reads of general records are not logged; without
            one every read of records is (:mod:`spm_core.store.declare`).

    Raises:
        MigrationError: with ``upgrade=False``, the database is not at the current
            revision; or the database is at a revision this library does not know.
        StoreError: the URL does not parse or names an unsupported database, or the
            database cannot be opened (no directory for the SQLite file, no server
            answering, login refused). The message names the URL with its password
            masked; the original exception is chained.
    """
    engine = make_engine(url)
    try:
        check_connection(engine)
        head = migrations.head_revision()
        if upgrade:
            migrations.upgrade(engine)
        else:
            migrations.check_revision(engine)
        current = migrations.current_revision(engine)
        if current != head:
            raise MigrationError(
                value=current or "-",
                reason_id=f"revisi yang dibutuhkan {head}; jalankan `spm init` atau "
                "open_store(upgrade=True)",
                reason_en=f"revision {head} is required; run `spm init` or "
                "open_store(upgrade=True)",
            )
    except BaseException:
        engine.dispose()
        raise
    if rls:
        use_rls(engine, app_role=rls if isinstance(rls, str) else None)
    return Store(engine, catalog)
