"""The incident report: the raw material of a breach notice (UU PDP 27/2022 Ps. 46).

Within 3 × 24 hours of a breach the controller tells the data subjects and the
authority which personal data was exposed, when and how. :func:`incident_report`
answers "which residents and which categories of data did this actor, this research
key or this export touch between ``since`` and ``until``?" from the processing log.

Example:
    >>> from spm_core.access import Actor, AreaScope, Role
    >>> from spm_core.domain import KodeWilayah
    >>> from spm_core.store import open_store
    >>> store = open_store("sqlite://")
    >>> op = Actor("op-1", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
    >>> incident_report(store, op, who="kader-9").residents
    ()
    >>> store.close()
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import attrs

from spm_core.access import Actor
from spm_core.catalog import Catalog
from spm_core.privacy.categories import SPECIFIC_CATEGORIES, column_category, record_type_category
from spm_core.store import Store
from spm_core.store.declare import reads

__all__ = ["IncidentReport", "incident_report"]


@attrs.frozen
class IncidentReport:
    """Who and what one actor, key or export touched in a time window.

    ``residents`` are the ids of every resident whose data was touched (the list a
    notice goes to); ``categories`` the data categories touched, ``specific`` those of
    them that are specific personal data; ``touches`` is
    ``(entity, action, field names, log lines, rows read or exported)`` per kind of
    processing; ``extracts`` the research extracts ``(log line, project#key fingerprint,
    area, rows)`` — every resident of that area on that day was in them.
    """

    who: str | None
    key_fingerprint: str | None
    export_id: int | None
    since: datetime | None
    until: datetime | None
    residents: tuple[str, ...]
    categories: tuple[str, ...]
    specific: tuple[str, ...]
    record_types: tuple[str, ...]
    touches: tuple[tuple[str, str, tuple[str, ...], int, int], ...]
    extracts: tuple[tuple[int, str, str | None, int], ...]
    lines: int

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "who": self.who,
            "key_fingerprint": self.key_fingerprint,
            "export_id": self.export_id,
            "since": None if self.since is None else self.since.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
            "residents": list(self.residents),
            "resident_count": len(self.residents),
            "categories": list(self.categories),
            "specific": list(self.specific),
            "record_types": list(self.record_types),
            "touches": [
                {"entity": e, "action": a, "fields": list(f), "lines": n, "rows": r}
                for e, a, f, n, r in self.touches
            ],
            "extracts": [
                {"line": i, "extract": x, "area": area, "rows": r}
                for i, x, area, r in self.extracts
            ],
            "lines": self.lines,
        }


@reads("audit")
def incident_report(
    store: Store,
    actor: Actor,
    *,
    who: str | None = None,
    key_fingerprint: str | None = None,
    export_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    catalog: Catalog | None = None,
) -> IncidentReport:
    """Return which residents and data categories ``who``, a key or an export touched.

    Give exactly one of ``who`` (an actor id), ``key_fingerprint`` (a research key's,
    as ``spm extract`` prints it) and ``export_id`` (the log line of an export or
    extract). ``catalog`` names the category of each record type touched (without it
    every record type counts as specific).

    Raises:
        AccessDenied: the actor is not an operator.
        InvalidValue: not exactly one of ``who``, ``key_fingerprint``, ``export_id``.
    """
    found = store.incident_rows(
        actor,
        who=who,
        key_fingerprint=key_fingerprint,
        export_id=export_id,
        since=since,
        until=until,
    )
    categories: set[str] = set()
    for entity, action, fields, _lines, _rows in found.touches:
        for name in fields:
            if ":" not in name:
                categories.add(column_category(entity, name))
            elif entity == "record" and action == "read":  # "record_type:category"
                categories.add(name.split(":", 1)[1])
    for code in found.record_types:
        categories.add("specific" if catalog is None else record_type_category(catalog, code))
    if found.extracts:
        categories.add("identity")
    return IncidentReport(
        who=who,
        key_fingerprint=key_fingerprint,
        export_id=export_id,
        since=since,
        until=until,
        residents=found.residents,
        categories=tuple(sorted(categories)),
        specific=tuple(sorted(categories & SPECIFIC_CATEGORIES)),
        record_types=found.record_types,
        touches=found.touches,
        extracts=found.extracts,
        lines=found.lines,
    )
