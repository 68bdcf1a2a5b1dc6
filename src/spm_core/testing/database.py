"""Throw-away databases for tests: a SQLite file, or a fresh schema on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

__all__ = ["temporary_database"]


@contextmanager
def temporary_database(base_url: str | None, directory: Path) -> Iterator[str]:
    """Yield the URL of an empty database, removed afterwards.

    Args:
        base_url: ``None`` or a ``sqlite`` URL for a new SQLite file in ``directory``;
            a PostgreSQL URL for a fresh schema on that server (dropped afterwards), so
            that tests never see each other's rows.
        directory: where the SQLite file goes (a test's ``tmp_path``).

    Example:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     with temporary_database(None, Path(tmp)) as url:
        ...         url.endswith("spm.db")
        True
    """
    if base_url is None or make_url(base_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{directory / 'spm.db'}"
        return
    schema = f"spm_test_{uuid.uuid4().hex[:12]}"
    url = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
