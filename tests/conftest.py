"""Shared fixtures: hypothesis profiles and a store on each database.

Every store test runs on SQLite (a temporary file) and on PostgreSQL. PostgreSQL runs
only when ``SPM_TEST_POSTGRES_URL`` is set; each test then gets a fresh schema of its
own (dropped afterwards), so tests never see each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from hypothesis import settings

from spm_core.store import Store, open_store
from spm_core.testing.database import temporary_database

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("thorough", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

POSTGRES_ENV = "SPM_TEST_POSTGRES_URL"
POSTGRES_SKIP = (
    "PostgreSQL tests need SPM_TEST_POSTGRES_URL, "
    "e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def database_url(kind: str, directory: Path) -> Iterator[str]:
    """Yield the URL of an empty database of ``kind`` (``sqlite`` or ``postgres``)."""
    base = os.environ.get(POSTGRES_ENV) if kind == "postgres" else None
    if kind == "postgres" and not base:
        pytest.skip(POSTGRES_SKIP)
    with temporary_database(base, directory) as url:
        yield url


@pytest.fixture(scope="session")
def make_database() -> Callable[[str, Path], AbstractContextManager[str]]:
    """Return :func:`database_url`, for fixtures of a wider scope than one test."""
    return database_url


@pytest.fixture(params=DATABASES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database, once per kind of database."""
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store at the current schema revision, on each database."""
    opened = open_store(db_url)
    try:
        yield opened
    finally:
        opened.close()
