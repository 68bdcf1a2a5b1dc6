"""The read log: one audit row per personal read, with its purpose, categories and count.

:func:`~spm_core.store.declare.reads` runs every read of personal rows (residents,
households, memberships, records, data subjects' requests) and of referrals through
:func:`run_read`:

* anyone but a kader names a purpose, or :class:`~spm_core.errors.PurposeRequired` is
  raised before anything is read. A kader's scope is one posyandu, so every row a
  kader can read is a row of their own residents: their reads need no purpose;
* what the read returned is classified — per column (:data:`COLUMN_CATEGORIES`: a
  death date is health data) and per record type (:func:`record_type_category`), and a
  resident under 18 is children's data;
* a read with a purpose, and any read that returned specific data, appends **one**
  ``read`` row to the audit log: who, why, which fields and categories, how many rows.
  One row per call, not per row returned, so a list stays one write.
* a look-up with a purpose that finds nothing (:class:`~spm_core.errors.NotFound`:
  no such row, or one outside the actor's scope) appends one ``read`` row too, with
  no fields and a count of 0, naming the call and its ids (never a NIK searched for),
  so a run of misses shows in an incident review.

A read made inside another (``Registry.read_records`` calling ``Store.list_records``,
an explanation reading several subjects) is noted in the outer call's ledger and the
outer call writes the one row. Reads that log themselves (exports, the subject export,
research extracts) note nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from datetime import date
from typing import Any

import attrs

from spm_core.access import Actor, PosyanduScope, Purpose
from spm_core.catalog import Catalog
from spm_core.domain.enums import SpmField
from spm_core.domain.timezone import local_today
from spm_core.errors import NotFound, PurposeRequired
from spm_core.store.categories import (
    SPECIFIC_CATEGORIES,
    column_category,
    field_category,
    record_type_category,
)
from spm_core.store.values import (
    Domicile,
    Household,
    Membership,
    Record,
    Referral,
    ReferralEvent,
    Resident,
    SubjectRef,
    SubjectRequest,
)

__all__ = ["ADULT_AGE", "Ledger", "needs_purpose", "required_purpose", "run_read"]

ADULT_AGE = 18
"""Below this age a resident's data is children's data (UU PDP Ps. 4, 25)."""

_ID_ARGUMENTS = frozenset(
    {
        "resident_id",
        "household_id",
        "membership_id",
        "record_id",
        "referral_id",
        "posyandu_id",
        "subject",
        "subject_id",
        "area",
        "record_type",
        "agency_code",
        "need_type",
        "indicator",
        "period",
    }
)
"""Arguments safe to name in the log (ids, codes, areas); never a NIK, name or value."""

_PERSON_COLUMNS: Mapping[type, tuple[str, str, tuple[str, ...]]] = {
    Resident: ("resident", "id", ("nik", "name", "sex", "birth_date", "address", "rt", "rw")),
    Household: ("household", "id", ("nomor_kk", "address", "rt", "rw")),
    Membership: ("membership", "id", ("household_id", "resident_id", "relationship")),
    Domicile: ("domicile", "resident_id", ("rt", "rw")),
    SubjectRequest: ("subject_request", "id", ("resident_id", "kind", "status")),
}


def needs_purpose(actor: Actor) -> bool:
    """Return whether ``actor`` must name a purpose to read personal data (all but kader)."""
    return not isinstance(actor.scope, PosyanduScope)


def required_purpose(actor: Actor, given: object, action: str) -> Purpose | None:
    """Return ``given`` as a :class:`Purpose`; ``None`` only for a kader who named none.

    Raises:
        PurposeRequired: no purpose and the actor is not a kader (nothing is read).
        InvalidValue: ``given`` names no known purpose.
    """
    if given is None:
        if needs_purpose(actor):
            raise PurposeRequired(value=action, known=", ".join(p.value for p in Purpose))
        return None
    return Purpose.parse(given)


def _is_child(birth: date, on: date) -> bool:
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return years < ADULT_AGE


@attrs.define
class Ledger:
    """What the reads of one outermost call returned: rows, fields, categories, place."""

    purpose: Purpose | None
    catalog: Catalog | None
    store: Any = None
    notes: int = 0
    rows: int = 0
    single: str | None = None
    fields: set[str] = attrs.field(factory=set)
    categories: set[str] = attrs.field(factory=set)
    wilayah_code: str | None = None
    posyandu_id: str | None = None

    def note(self, store: Any, result: object) -> None:
        """Add what ``result`` (a value or a list of values) holds to the ledger."""
        items = list(result) if isinstance(result, list | tuple) else [result]
        self.store = self.store if self.store is not None else store
        self.notes += 1
        self.rows += len(items)
        catalog = self.catalog if self.catalog is not None else getattr(store, "_catalog", None)
        today: dict[str, date] = {}  # one clock reading per region, not per row
        for item in items:
            self._classify(item, catalog, today)
        if len(items) == 1 and self.notes == 1:
            self.single = _row_id(items[0])
        else:
            self.single = None
        if items and self.wilayah_code is None:
            first = items[0]
            code = getattr(first, "wilayah_code", None)
            self.wilayah_code = None if code is None else str(code)
            self.posyandu_id = getattr(first, "posyandu_id", None)

    def _classify(self, item: object, catalog: Catalog | None, today: dict[str, date]) -> None:
        if isinstance(item, Record):
            category = (
                "specific" if catalog is None else record_type_category(catalog, item.record_type)
            )
            self.fields.add(f"{item.record_type}:{category}")
            self.categories.add(category)
            return
        if isinstance(item, Referral):
            self._referral(item)
            return
        if isinstance(item, ReferralEvent):
            self.fields.add("referral_event")
            if item.detail:
                self.fields.add("detail")
                self.categories.add("specific")
            return
        described = _PERSON_COLUMNS.get(type(item))
        if described is None:
            subject = getattr(item, "subject", None)
            self.fields.add(f"{getattr(subject, 'kind', 'subject')}:id")
            return
        entity, _, columns = described
        for column in columns:
            if column not in self.fields and getattr(item, column, None) is not None:
                self.fields.add(column)
                self.categories.add(column_category(entity, column))
        if isinstance(item, Resident):
            if item.died_on is not None:
                self.fields.add("died_on")
                self.categories.add(column_category("resident", "died_on"))
            code = item.wilayah_code.value
            if code not in today:
                today[code] = local_today(code)
            if _is_child(item.birth_date, today[code]):
                self.categories.add("children")

    def _referral(self, item: Referral) -> None:
        category = field_category(SpmField(item.field))
        self.fields.add(f"{item.need_type}:{category}")
        self.categories.add(category)
        for column in ("note", "outcome"):
            if getattr(item, column):
                self.fields.add(column)
                self.categories.add(column_category("referral", column))
        self.fields.update(f"person.{name}" for name in sorted(item.person or {}))

    @property
    def specific(self) -> bool:
        """Whether anything read is specific personal data (UU PDP Ps. 4)."""
        return bool(self.categories & SPECIFIC_CATEGORIES)


def _row_id(item: object) -> str | None:
    described = _PERSON_COLUMNS.get(type(item))
    name = described[1] if described is not None else "id"
    value = getattr(item, name, None)
    if value is None:
        subject = getattr(item, "subject", None)
        return None if subject is None else f"{subject.kind.value}:{subject.id}"
    return str(value)


def _shown(value: object) -> str:
    kind, key = getattr(value, "kind", None), getattr(value, "id", None)
    return f"{getattr(kind, 'value', kind)}:{key}" if kind is not None else str(value)


def _description(name: str, arguments: Mapping[str, Any]) -> str:
    """Name what a read of several rows was about: its subject, else the call."""
    subject = arguments.get("subject")
    if isinstance(subject, SubjectRef):
        return f"{subject.kind.value}:{subject.id}"
    for key in ("resident_id", "household_id"):
        if isinstance(arguments.get(key), str):
            return f"{key.removesuffix('_id')}:{arguments[key]}"
    shown = [
        f"{key}={_shown(value)}"
        for key, value in arguments.items()
        if key in _ID_ARGUMENTS and value is not None
    ]
    return " ".join([name, *shown])[:160]


_CURRENT: ContextVar[Ledger | None] = ContextVar("spm_read_ledger", default=None)


def _catalog_of(owner: object, arguments: Mapping[str, Any]) -> Catalog | None:
    given = arguments.get("catalog")
    if isinstance(given, Catalog):
        return given
    for name in ("catalog", "_catalog"):
        found = getattr(owner, name, None)
        if isinstance(found, Catalog):
            return found
    return None


def run_read(
    owner: object,
    actor: Actor,
    entity: str,
    name: str,
    call: Callable[[], Any],
    arguments: Mapping[str, Any],
    *,
    logs_itself: bool,
) -> Any:
    """Run one personal read ``call`` and log it; see the module description.

    ``arguments`` are the call's bound arguments, ``purpose`` already checked (``None``
    for a kader who named none). Nested in another read, the result is noted in the
    outer ledger; outermost, one audit row is appended when a purpose was named or
    specific data was read.
    """
    outer = _CURRENT.get()
    leaf = hasattr(owner, "_log_read") and not logs_itself
    if outer is not None:
        noted = outer.notes
        result = call()
        if leaf and outer.notes == noted:  # not already noted by the reads it made
            outer.note(owner, result)
        return result
    why: Purpose | None = arguments.get("purpose")
    ledger = Ledger(why, _catalog_of(owner, arguments))
    token = _CURRENT.set(ledger)
    scope = actor.scope
    posyandu = scope.posyandu_id if isinstance(scope, PosyanduScope) else None
    area = actor.area
    try:
        result = call()
    except NotFound:
        # A look-up that found nothing (or nothing the actor may see) is logged too when
        # a purpose was named: a run of misses — NIKs tried one after another — is what an
        # incident review looks for. The line names the call and its ids, never a NIK.
        if why is not None and hasattr(owner, "_log_read"):
            owner._log_read(
                actor,
                entity,
                _description(name, arguments),
                why,
                (),
                0,
                wilayah_code=None if area is None else area.value,
                posyandu_id=posyandu,
            )
        raise
    finally:
        _CURRENT.reset(token)
    if leaf and ledger.notes == 0:
        ledger.note(owner, result)
    if ledger.notes == 0 or ledger.store is None:
        return result
    if why is None and not ledger.specific:
        return result
    default = Purpose.RUJUKAN if entity == "referral" else Purpose.PELAYANAN
    ledger.store._log_read(
        actor,
        entity,
        ledger.single or _description(name, arguments),
        why or default,
        sorted(ledger.fields | (ledger.categories & {"children"})),
        ledger.rows,
        wilayah_code=ledger.wilayah_code or (None if area is None else area.value),
        posyandu_id=ledger.posyandu_id or posyandu,
    )
    return result


def current_purpose() -> Purpose | None:
    """Return the purpose of the outermost read in progress, if any."""
    ledger = _CURRENT.get()
    return None if ledger is None else ledger.purpose
