"""Purpose-bound, logged reads of personal data (UU PDP 27/2022 Ps. 16(2), 31).

Every personal read of the store is purpose-bound and logged
(:mod:`spm_core.store.declare`); these two are the reads an application makes most:

* a personal read by anyone but the resident's own kader names a :class:`Purpose`
  (a kader reads only the residents of their own posyandu, so a kader's read is always
  the resident's own kader's); without one it is refused
  (:class:`~spm_core.errors.PurposeRequired`) before anything is read;
* every read of **specific** data — a child's record (under 18 on the day read), a
  record of a specific type (health, disability, welfare status; see
  :mod:`spm_core.privacy.categories`), or any read with a purpose — appends one
  ``read`` line to the processing log with the purpose, the categories or field names
  and the number of rows returned.
"""

from __future__ import annotations

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.store import Record, Resident, Store, SubjectRef
from spm_core.store._readlog import ADULT_AGE, needs_purpose
from spm_core.store.declare import no_rows, reads

__all__ = ["ADULT_AGE", "needs_purpose", "read_records", "read_resident"]

no_rows(needs_purpose)


@reads("resident")
def read_resident(
    store: Store, actor: Actor, resident_id: str, purpose: Purpose | str | None = None
) -> Resident:
    """Return a resident; name a purpose unless you are their kader; logged when specific.

    Same as [`Store.get_resident`][spm_core.store.Store.get_resident].

    Raises:
        PurposeRequired: no purpose given by someone other than a kader (nothing is read).
        NotFound: no such resident in the actor's scope.
    """
    return store.get_resident(actor, resident_id, purpose=purpose)


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

    ``catalog`` says which record types are specific. The log line names the record
    types and their categories and counts the rows returned; a kader's read of general
    records (a household's water source) is not logged, a read of a weighing (health)
    is.

    Raises:
        PurposeRequired: no purpose given by someone other than a kader (nothing is read).
    """
    return store.list_records(
        actor,
        subject=subject,
        record_type=record_type,
        include_voided=include_voided,
        purpose=purpose,
    )
