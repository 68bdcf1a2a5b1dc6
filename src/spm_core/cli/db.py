"""``spm init``: create or upgrade the database to the current schema."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from spm_core.cli._common import Commands, allow_list, db_url, t
from spm_core.cli._output import Output
from spm_core.domain.text import Text
from spm_core.errors import StoreError

__all__ = ["register"]

TEXTS = {
    "cmd_init": Text(
        "buat atau tingkatkan basis data ke skema terkini",
        "create or upgrade the database to the current schema",
    ),
    "init_done": Text("Basis data siap: {where}", "Database ready: {where}"),
    "init_revision": Text("Revisi skema: {revision}", "Schema revision: {revision}"),
}


def register(commands: Commands) -> None:
    """Add ``spm init``."""
    commands.add("init", TEXTS["cmd_init"], _cmd_init, database=True)


def _where(location: str) -> str:
    """Return the database location, with the absolute path of a SQLite file first."""
    try:
        url = make_url(location)
    except ArgumentError:
        return location
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return f"{Path(str(url.database)).resolve()} ({location})"
    return location


def _unreachable(url: str, exc: Exception) -> StoreError:
    """Describe a database that cannot be opened (bad URL, server down, no such file)."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        shown = url
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    return StoreError(
        value=shown,
        reason_id=f"basis data {shown} tidak dapat dibuka ({detail})",
        reason_en=f"the database {shown} cannot be opened ({detail})",
    )


def _cmd_init(args: argparse.Namespace) -> int:
    from spm_core.api import Registry

    url = db_url(args)
    try:
        registry = Registry.open(url, allow=allow_list(args), deny=tuple(args.deny or ()))
    except (ArgumentError, DBAPIError) as exc:
        raise _unreachable(url, exc) from exc
    try:
        where = _where(registry.location)
        revision = registry.schema_revision
    finally:
        registry.close()
    out = Output()
    out.line(t("init_done", args.lang, TEXTS, where=where))
    out.line(t("init_revision", args.lang, TEXTS, revision=revision))
    return 0
