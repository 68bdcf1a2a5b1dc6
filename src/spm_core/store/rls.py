"""PostgreSQL row-level security: a second layer behind the store's own scoping.

The store narrows every query to the actor's scope in SQL (:mod:`spm_core.store._scoping`).
Row-level security makes the database refuse the same rows on its own, so a bug in a
query — or someone querying with the application's database role directly — still sees
nothing outside the scope.

* :func:`install_rls` (``spm db rls --app-role NAME``) enables RLS on every personal
  table (:data:`RLS_TABLES`) with one policy each, keyed on two transaction-local
  settings, ``spm.scope_kind`` (``posyandu``, ``area`` or ``agency``) and
  ``spm.scope_id``, and grants the application role what it needs. Without the
  settings a policy admits no row.
* :func:`use_rls` makes a store set those settings at the start of every transaction
  from the actor of the call (the access decorators of :mod:`spm_core.store.declare`
  record it), and optionally ``SET LOCAL ROLE`` to the application role — for a
  deployment that connects as the owner, and for the tests.

The table owner and superusers bypass RLS: connect as (or switch to) a role that owns
nothing. The tables left out are :data:`NOT_UNDER_RLS`, each with its reason: the audit
log (the store scopes its reads; verifying the chain needs every row; it is append-only
by trigger) and the tables that hold no personal data. SQLite has no RLS; there the
functions do nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Engine, event, text

from spm_core.access import Actor, AgencyScope, PosyanduScope
from spm_core.errors import InvalidValue
from spm_core.store._personal import NOT_PERSONAL

__all__ = [
    "NOT_UNDER_RLS",
    "RLS_TABLES",
    "acting",
    "install_rls",
    "scope_settings",
    "uninstall_rls",
    "use_rls",
]

_ACTOR: ContextVar[Actor | None] = ContextVar("spm_actor", default=None)

_AREA = (
    "({col} = current_setting('spm.scope_id', true) OR ({col} >= "
    "current_setting('spm.scope_id', true) || '.' AND {col} < "
    "current_setting('spm.scope_id', true) || '/'))"
)


def _placed(posyandu: str, wilayah: str) -> str:
    """The condition for a row placed by its posyandu and village columns."""
    return (
        "CASE current_setting('spm.scope_kind', true) "
        f"WHEN 'posyandu' THEN {posyandu} = current_setting('spm.scope_id', true) "
        f"WHEN 'area' THEN {_AREA.format(col=wilayah)} "
        "ELSE false END"
    )


_REFERRAL = (
    "CASE current_setting('spm.scope_kind', true) "
    "WHEN 'posyandu' THEN posyandu_id = current_setting('spm.scope_id', true) "
    f"WHEN 'area' THEN {_AREA.format(col='wilayah_code')} "
    "WHEN 'agency' THEN agency_code = current_setting('spm.agency', true) "
    "AND (wilayah_code = current_setting('spm.scope_id', true) OR (wilayah_code >= "
    "current_setting('spm.scope_id', true) || '.' AND wilayah_code < "
    "current_setting('spm.scope_id', true) || '/')) "
    "ELSE false END"
)

RLS_TABLES: dict[str, str] = {
    "resident": f"({_placed('posyandu_id', 'wilayah_code')}) OR "
    "(current_setting('spm.scope_kind', true) = 'agency' AND EXISTS "
    "(SELECT 1 FROM referral r WHERE r.resident_id = resident.id))",
    "household": f"({_placed('posyandu_id', 'wilayah_code')}) OR "
    "(current_setting('spm.scope_kind', true) = 'agency' AND EXISTS "
    "(SELECT 1 FROM referral r WHERE r.household_id = household.id))",
    "domicile": "resident_id IN (SELECT id FROM resident)",
    "membership": "resident_id IN (SELECT id FROM resident)",
    "record": _placed("posyandu_id", "wilayah_code"),
    "referral": _REFERRAL,
    "referral_event": "referral_id IN (SELECT id FROM referral)",
    "subject_request": _placed("posyandu_id", "wilayah_code"),
}
"""Every table under row-level security, with the condition its policy checks."""

NOT_UNDER_RLS: dict[str, str] = {
    "audit_log": "personal (ids and field names) but append-only by trigger; the store "
    "scopes its reads, and verifying the hash chain and answering an incident query "
    "need every row",
    **NOT_PERSONAL,
}
"""Every table left out of row-level security, with the reason (a test checks that each
table of the schema is in exactly one of :data:`RLS_TABLES` and this)."""

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _role(name: str) -> str:
    if not _ROLE.match(name):
        raise InvalidValue(
            value=name,
            reason_id="nama peran basis data: huruf kecil, angka dan _ saja",
            reason_en="a database role name: lower-case letters, digits and _ only",
        )
    return name


def scope_settings(caller: Actor) -> dict[str, str]:
    """Return the ``spm.*`` settings that place ``caller`` for the policies.

    Example:
        >>> from spm_core.access import Role
        >>> scope_settings(Actor("k", Role.KADER, PosyanduScope("p-1")))
        {'spm.scope_kind': 'posyandu', 'spm.scope_id': 'p-1', 'spm.agency': ''}
    """
    scope = caller.scope
    if isinstance(scope, PosyanduScope):
        return {"spm.scope_kind": "posyandu", "spm.scope_id": scope.posyandu_id, "spm.agency": ""}
    if isinstance(scope, AgencyScope):
        return {
            "spm.scope_kind": "agency",
            "spm.scope_id": scope.area.value,
            "spm.agency": scope.agency_code,
        }
    return {"spm.scope_kind": "area", "spm.scope_id": scope.area.value, "spm.agency": ""}


@contextmanager
def acting(caller: Actor) -> Iterator[None]:
    """Record ``caller`` as the actor every transaction opened inside acts for."""
    token = _ACTOR.set(caller)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def install_rls(engine: Engine, app_role: str) -> None:
    """Enable row-level security on :data:`RLS_TABLES` and grant ``app_role`` access.

    Run as the owner of the tables; ``app_role`` must exist and own nothing. Running it
    again replaces the policies. Does nothing on SQLite.

    Raises:
        InvalidValue: ``app_role`` is not a plain role name.
    """
    role = _role(app_role)
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        connection.execute(text(f"GRANT USAGE ON SCHEMA {_schema(connection)} TO {role}"))
        connection.execute(
            text(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                f"{_schema(connection)} TO {role}"
            )
        )
        connection.execute(
            text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_schema(connection)} TO {role}")
        )
        for table, condition in RLS_TABLES.items():
            connection.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
            connection.execute(text(f"DROP POLICY IF EXISTS spm_scope ON {table}"))
            connection.execute(
                text(
                    f"CREATE POLICY spm_scope ON {table} FOR ALL TO {role} "
                    f"USING ({condition}) WITH CHECK ({condition})"
                )
            )


def uninstall_rls(engine: Engine) -> None:
    """Drop the policies and disable row-level security again (PostgreSQL only)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for table in RLS_TABLES:
            connection.execute(text(f"DROP POLICY IF EXISTS spm_scope ON {table}"))
            connection.execute(text(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"))


def _schema(connection: Any) -> str:
    name = str(connection.scalar(text("SELECT current_schema()")))
    return '"' + name.replace('"', '""') + '"'


def use_rls(engine: Engine, *, app_role: str | None = None) -> None:
    """Set the actor's ``spm.*`` settings at the start of every transaction on ``engine``.

    With ``app_role``, also ``SET LOCAL ROLE`` to it, so the policies apply even when
    the engine connects as the owner. A transaction opened outside any declared call
    (migrations, the audit chain check) runs as the connecting role with no settings.
    Does nothing on SQLite.
    """
    if engine.dialect.name != "postgresql":
        return
    role = None if app_role is None else _role(app_role)

    def on_begin(connection: Any) -> None:
        actor = _ACTOR.get()
        if actor is None:
            return
        settings = scope_settings(actor)
        statement = "SELECT " + ", ".join(
            f"set_config('{name}', %({name.replace('.', '_')})s, true)" for name in settings
        )
        connection.exec_driver_sql(
            statement, {name.replace(".", "_"): value for name, value in settings.items()}
        )
        if role is not None:
            connection.exec_driver_sql(f"SET LOCAL ROLE {role}")

    event.listen(engine, "begin", on_begin)
