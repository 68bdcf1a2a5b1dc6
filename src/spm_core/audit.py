"""Audit queries: who touched which entity, when, and for which purpose.

The processing log (UU PDP 27/2022 Ps. 31) is written by the store with every write:
actor, role, scope, action, entity, field names and purpose — never the values. These
functions read it for an operator, within the operator's area, to answer the questions
a data subject (Ps. 32–33) or a breach notice (Ps. 46) asks.

Example:
    >>> from spm_core.access import Actor, AreaScope, Purpose, Role
    >>> from spm_core.domain import KodeWilayah
    >>> from spm_core.store import open_store
    >>> store = open_store("sqlite://")
    >>> op = Actor("op-1", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    >>> p = store.add_posyandu(op, {"name": "Mawar", "wilayah_code": "32.75.01.1001"},
    ...                        Purpose.ADMINISTRASI)
    >>> [(e.action, e.purpose) for e in entity_history(store, op, "posyandu", p.id)]
    [('create', 'administrasi')]
    >>> store.close()
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import attrs

from spm_core.access import Actor, Purpose
from spm_core.store import AuditEntry, Store, SubjectRef
from spm_core.store.declare import reads

__all__ = [
    "ProcessingSummary",
    "actor_activity",
    "entity_history",
    "processing_summary",
    "subject_log",
]


@reads("audit")
def entity_history(store: Store, actor: Actor, entity: str, entity_id: str) -> list[AuditEntry]:
    """Return every write to one entity (``"resident"``, ``"record"``, …), oldest first.

    Raises:
        AccessDenied: the actor is not an operator.
    """
    return store.list_audit(actor, entity=entity, entity_id=entity_id)


@reads("audit")
def actor_activity(
    store: Store,
    actor: Actor,
    actor_id: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditEntry]:
    """Return what one actor wrote in the operator's area between ``since`` and ``until``.

    Raises:
        AccessDenied: the actor is not an operator.
    """
    return store.list_audit(actor, actor_id=actor_id, since=since, until=until)


@reads("resident")
def subject_log(
    store: Store, actor: Actor, resident_id: str, *, purpose: Purpose | str = Purpose.HAK_SUBJEK
) -> list[AuditEntry]:
    """Return the processing log of one resident: the resident, their records, memberships.

    This is the "processing record" a data subject may ask for (UU PDP Ps. 32–33). Finding
    the resident's records and memberships is itself a read of their data: one line in
    the log, with ``purpose``, after the lines returned.

    Raises:
        AccessDenied: the actor is not an operator.
        NotFound: no such resident in the operator's area.
    """
    store.get_resident(actor, resident_id, purpose=purpose)
    records = store.list_records(actor, subject=SubjectRef.resident(resident_id), purpose=purpose)
    memberships = store.resident_memberships(actor, resident_id, purpose=purpose)
    entries = store.list_audit(actor, entity="resident", entity_id=resident_id)
    if records:
        entries += store.list_audit(actor, entity="record", entity_ids={r.id for r in records})
    if memberships:
        entries += store.list_audit(
            actor, entity="membership", entity_ids={m.id for m in memberships}
        )
    return sorted(entries, key=lambda entry: entry.id)


@attrs.frozen
class ProcessingSummary:
    """How often one actor wrote one kind of entity for one purpose, and which fields."""

    actor_id: str
    actor_role: str
    entity: str
    purpose: str
    count: int
    fields: tuple[str, ...]
    first: datetime
    last: datetime


@reads("audit")
def processing_summary(
    store: Store,
    actor: Actor,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[ProcessingSummary]:
    """Summarise the log by actor, entity and purpose: counts and the field names touched.

    The raw material of a breach notice (UU PDP Ps. 46): which data categories an actor
    touched in a time window.

    Raises:
        AccessDenied: the actor is not an operator.
    """
    groups: dict[tuple[str, str, str, str], list[AuditEntry]] = defaultdict(list)
    for entry in store.list_audit(actor, since=since, until=until):
        groups[(entry.actor_id, entry.actor_role, entry.entity, entry.purpose)].append(entry)
    return [
        ProcessingSummary(
            actor_id=key[0],
            actor_role=key[1],
            entity=key[2],
            purpose=key[3],
            count=len(entries),
            fields=tuple(sorted({f for e in entries for f in e.fields})),
            first=entries[0].at,
            last=entries[-1].at,
        )
        for key, entries in sorted(groups.items())
    ]
