"""Erasure, restriction and requests of a data subject (UU PDP 27/2022 Ps. 6–11, 30–33).

Thin over the store, which does each in one transaction: these functions add what
the law asks of the caller — an erasure that a retention duty stops raises
:class:`~spm_core.errors.ErasureRefused` naming the legal basis, *after* the refusal
has been recorded.
"""

from __future__ import annotations

from datetime import datetime

from spm_core.access import Actor, Purpose
from spm_core.errors import ErasureRefused
from spm_core.store import Erasure, Store, SubjectRequest
from spm_core.store.declare import reads, writes

__all__ = ["Erasure", "erase_subject", "overdue_requests", "restrict_subject"]


@writes("resident")
def erase_subject(
    store: Store,
    actor: Actor,
    resident_id: str,
    reason: str,
    purpose: Purpose = Purpose.HAK_SUBJEK,
    *,
    received_at: datetime | None = None,
) -> Erasure:
    """Erase a resident in every table, or refuse with the legal basis (recorded).

    Raises:
        ErasureRefused: a retention duty applies (an open referral, a record a region
            keeps longer); the refusal is recorded as a refused erasure request.
        AccessDenied: the actor is not an operator.
        NotFound: no such resident in the operator's area.
    """
    outcome = store.erase_subject(actor, resident_id, reason, purpose, received_at=received_at)
    if not outcome.erased:
        raise ErasureRefused(value=resident_id, legal_basis=outcome.legal_basis)
    return outcome


@writes("resident")
def restrict_subject(
    store: Store,
    actor: Actor,
    resident_id: str,
    purpose: Purpose = Purpose.HAK_SUBJEK,
    *,
    lift: bool = False,
    received_at: datetime | None = None,
) -> SubjectRequest:
    """Restrict (or lift the restriction of) processing of a resident at their request.

    A restricted resident is left out of every count of the indicator engine (as a
    subject, as a household member, and their records) and out of research extracts,
    and is seen row by row by operators only.
    """
    return store.restrict_subject(actor, resident_id, purpose, lift=lift, received_at=received_at)


@reads("subject_request")
def overdue_requests(
    store: Store, actor: Actor, at: datetime, *, purpose: Purpose | str | None = None
) -> list[SubjectRequest]:
    """Return the requests still open after their 3 × 24 hour deadline at instant ``at``."""
    return store.list_subject_requests(actor, overdue_at=at, purpose=purpose)
