"""Purpose-bound, logged reads of personal data (UU PDP 27/2022 Ps. 16(2), 31).

The store's reads are scoped by actor; these add what the law asks of *why* and *what*:

* a personal read by anyone but the resident's own kader names a :class:`Purpose`
  (a kader reads only the residents of their own posyandu, so a kader's read is always
  the resident's own kader's); without one it is refused before anything is read;
* every read of **specific** data — a child's record (under 18 on the day read), a
  record of a specific type (health, disability, welfare status; see
  :mod:`spm_core.privacy.categories`), or any read with a purpose by someone other
  than the kader — appends a ``read`` line to the processing log with the purpose,
  the categories or field names and the number of rows returned.

Applications read residents and records through these (or the same methods of
:class:`~spm_core.api.Registry`); the store's own reads stay the library's internal
path, scoped but not logged.
"""

from __future__ import annotations

from datetime import date

from spm_core.access import Actor, PosyanduScope, Purpose
from spm_core.catalog import Catalog
from spm_core.domain.timezone import local_today
from spm_core.errors import InvalidValue
from spm_core.privacy.categories import SPECIFIC_CATEGORIES, record_type_category
from spm_core.store import Record, Resident, Store, SubjectRef
from spm_core.store.declare import no_rows, reads

__all__ = ["ADULT_AGE", "needs_purpose", "read_records", "read_resident"]

ADULT_AGE = 18
"""Below this age a resident's data is children's data (UU PDP Ps. 4, 25)."""

_RESIDENT_FIELDS = ("nik", "name", "sex", "birth_date", "address", "rt", "rw", "died_on")


@no_rows
def needs_purpose(actor: Actor) -> bool:
    """Return whether ``actor`` must name a purpose to read personal data (all but kader)."""
    return not isinstance(actor.scope, PosyanduScope)


def _purpose(actor: Actor, purpose: Purpose | str | None, action: str) -> Purpose | None:
    if purpose is None:
        if needs_purpose(actor):
            raise InvalidValue(
                value=action,
                reason_id="membaca data pribadi warga membutuhkan tujuan pemrosesan "
                "(UU PDP Ps. 16 ayat (2))",
                reason_en="reading a resident's personal data needs a purpose of processing "
                "(UU PDP Ps. 16(2))",
            )
        return None
    return Purpose.parse(purpose)


def _is_child(resident: Resident, on: date) -> bool:
    years = on.year - resident.birth_date.year
    if (on.month, on.day) < (resident.birth_date.month, resident.birth_date.day):
        years -= 1
    return years < ADULT_AGE


@reads("resident")
def read_resident(
    store: Store, actor: Actor, resident_id: str, purpose: Purpose | str | None = None
) -> Resident:
    """Return a resident; name a purpose unless you are their kader; logged when specific.

    Raises:
        InvalidValue: no purpose given by someone other than a kader (nothing is read).
        NotFound: no such resident in the actor's scope.
    """
    why = _purpose(actor, purpose, "read_resident")
    resident = store.get_resident(actor, resident_id)
    child = _is_child(resident, local_today(resident.wilayah_code.value))
    if why is not None or child:
        categories = ["children"] if child else []
        store.log_read(
            actor,
            "resident",
            resident.id,
            why or Purpose.PELAYANAN,
            [*_RESIDENT_FIELDS, *categories],
            1,
            wilayah_code=resident.wilayah_code.value,
            posyandu_id=resident.posyandu_id,
        )
    return resident


@reads("record")
def read_records(
    store: Store,
    actor: Actor,
    subject: SubjectRef,
    purpose: Purpose | str | None = None,
    *,
    catalog: Catalog,
    record_type: str | None = None,
    include_voided: bool = False,
) -> list[Record]:
    """Return the records about one subject; logged when they hold specific data.

    ``catalog`` says which record types are specific.

    The log line names the record types and their categories and counts the rows
    returned; a kader's read of general records (a household's water source) is not
    logged, a read of a weighing (health) is.

    Raises:
        InvalidValue: no purpose given by someone other than a kader (nothing is read).
    """
    why = _purpose(actor, purpose, "read_records")
    found = store.list_records(
        actor, subject=subject, record_type=record_type, include_voided=include_voided
    )
    categories = {r.record_type: record_type_category(catalog, r.record_type) for r in found}
    specific = any(c in SPECIFIC_CATEGORIES for c in categories.values())
    if found and (why is not None or specific):
        first = found[0]
        store.log_read(
            actor,
            "record",
            f"{subject.kind.value}:{subject.id}",
            why or Purpose.PELAYANAN,
            [f"{code}:{category}" for code, category in sorted(categories.items())],
            len(found),
            wilayah_code=first.wilayah_code.value,
            posyandu_id=first.posyandu_id,
        )
    return found
