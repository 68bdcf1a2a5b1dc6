"""``open_store`` reports a database it cannot use as a bilingual ``StoreError``.

A URL that does not parse, a database or driver the store does not support, a SQLite
file in a directory that does not exist and a PostgreSQL server that does not answer
each raise :class:`StoreError` itself (never a SQLAlchemy or driver exception), name the
URL with its password masked in both languages, and chain the original exception. None
of these tests needs a PostgreSQL server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from spm_core.errors import StoreError
from spm_core.store import open_store

SECRET = "rahasia-sekali"


def _open_fails(url: str) -> StoreError:
    """Return the error ``open_store(url)`` raises, after checking what every one shares."""
    with pytest.raises(StoreError) as caught:
        open_store(url)
    error = caught.value
    assert type(error) is StoreError
    assert error.code == "store-error"
    assert error.message_id.startswith("Kesalahan penyimpanan: ")
    assert error.message_en.startswith("Storage error: ")
    shown = [str(error), error.message_id, error.message_en, str(error.value), error.to_dict()]
    for text in shown:
        assert SECRET not in str(text)
    return error


def test_a_url_that_does_not_parse() -> None:
    error = _open_fails("not a url")
    assert isinstance(error.__cause__, ArgumentError)
    assert error.value == "not a url"
    assert "URL basis data 'not a url' tidak dapat dibaca" in error.message_id
    assert "the database URL 'not a url' cannot be parsed" in error.message_en


def test_a_url_that_does_not_parse_keeps_its_password_hidden() -> None:
    error = _open_fails(f"postgresql+psycopg://spm:{SECRET}@db.example:port/spm")
    assert isinstance(error.__cause__, ValueError)
    assert error.value == "postgresql+psycopg://spm:***@db.example:port/spm"
    assert str(error.value) in error.message_id
    assert str(error.value) in error.message_en


def test_an_unsupported_database() -> None:
    error = _open_fails(f"mysql://spm:{SECRET}@localhost/spm")
    assert error.value == "mysql://spm:***@localhost/spm"
    assert "memakai 'mysql' yang tidak didukung" in error.message_id
    assert "uses 'mysql', which is not supported" in error.message_en
    assert "mysql://spm:***@localhost/spm" in error.message_en


def test_an_unsupported_driver(tmp_path: Path) -> None:
    path = tmp_path / "spm.db"
    error = _open_fails(f"sqlite+tidakada:///{path}")
    assert isinstance(error.__cause__, NoSuchModuleError)
    assert "'sqlite+tidakada' yang tidak didukung" in error.message_id
    assert "'sqlite+tidakada', which is not supported" in error.message_en
    assert not path.exists()


def test_postgresql_without_its_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    # The getting-started page's `spm init --db postgresql+psycopg://…` on an install
    # without the postgres extra: the message said "use sqlite or postgresql+psycopg",
    # the very driver given. It names the extra to install instead.
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` now fails
    error = _open_fails(f"postgresql+psycopg://spm:{SECRET}@localhost/spm")
    assert isinstance(error.__cause__, ImportError)
    assert "pip install 'spm-core[postgres]'" in error.message_id
    assert "pip install 'spm-core[postgres]'" in error.message_en
    assert "psycopg, the PostgreSQL driver, which is not installed" in error.message_en
    assert "not supported" not in error.message_en
    assert "postgresql+psycopg://spm:***@localhost/spm" in error.message_en


def test_a_sqlite_file_in_a_missing_directory(tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada" / "spm.db"
    url = f"sqlite:///{missing}"
    error = _open_fails(url)
    assert isinstance(error.__cause__, DBAPIError)
    assert error.value == url
    assert f"basis data {url} tidak dapat dibuka" in error.message_id
    assert f"direktori {missing.parent} tidak ada" in error.message_id
    assert f"the database {url} cannot be opened" in error.message_en
    assert f"the directory {missing.parent} does not exist" in error.message_en
    assert not missing.parent.exists()


def test_an_unreachable_postgresql_server() -> None:
    # Nothing listens on port 1 of the loopback address: the connection is refused.
    url = f"postgresql+psycopg://nobody:{SECRET}@127.0.0.1:1/x?connect_timeout=2"
    error = _open_fails(url)
    assert isinstance(error.__cause__, DBAPIError)
    shown = "postgresql+psycopg://nobody:***@127.0.0.1:1/x?connect_timeout=2"
    assert error.value == shown
    assert f"basis data {shown} tidak dapat dibuka (" in error.message_id
    assert f"the database {shown} cannot be opened (" in error.message_en


def test_a_sqlite_file_in_an_existing_directory_is_created(tmp_path: Path) -> None:
    path = tmp_path / "baru.db"
    store = open_store(f"sqlite:///{path}")
    try:
        assert path.is_file()
        assert store.schema_revision() is not None
    finally:
        store.close()
