"""Lifecycle steps by name: accept, reject, start, resolve, cancel, escalate.

Thin, readable wrappers over :meth:`~spm_core.store.Store.transition_referral`, which
enforces the transition table (:data:`~spm_core.domain.referral.TRANSITIONS`), the
version and the actor's side in one transaction. :func:`actions_for` tells an app which
buttons to show; :func:`escalate_overdue` is the daily job that escalates referrals
whose deadline has passed.

Example:
    >>> from spm_core.access import Actor, AgencyScope, PosyanduScope, Role
    >>> from spm_core.domain import KodeWilayah
    >>> officer = Actor("o-1", Role.AGENCY_OFFICER, AgencyScope("dinsos", KodeWilayah("32.75")))
    >>> sorted(a.value for a in actions_for(ReferralStatus.ROUTED, officer))
    ['accept', 'reject']
    >>> kader = Actor("k-1", Role.KADER, PosyanduScope("p-1"))
    >>> sorted(a.value for a in actions_for(ReferralStatus.ROUTED, kader))
    ['cancel', 'escalate']
"""

from __future__ import annotations

from datetime import date

from spm_core.access import Actor, AgencyScope, Purpose
from spm_core.domain.referral import (
    AGENCY_ACTIONS,
    ReferralAction,
    ReferralStatus,
    allowed_actions,
)
from spm_core.store import Referral, Router, Store
from spm_core.store.declare import writes

__all__ = [
    "accept",
    "actions_for",
    "cancel",
    "escalate_overdue",
    "reject",
    "reroute",
    "resolve",
    "start",
]


def actions_for(status: ReferralStatus, actor: Actor) -> frozenset[ReferralAction]:
    """Return the steps ``actor``'s side may take on a referral in ``status``."""
    agency = isinstance(actor.scope, AgencyScope)
    return frozenset(a for a in allowed_actions(status) if (a in AGENCY_ACTIONS) is agency)


def _one(
    store: Store,
    actor: Actor,
    referral_id: str,
    action: ReferralAction,
    expected_version: int | None,
    purpose: Purpose,
    **more: object,
) -> Referral:
    return store.transition_referral(
        actor,
        referral_id,
        action,
        expected_version,
        purpose,
        **more,  # type: ignore[arg-type]
    )[0]


@writes("referral")
def accept(
    store: Store,
    actor: Actor,
    referral_id: str,
    *,
    expected_version: int | None = None,
    on: date | None = None,
    purpose: Purpose = Purpose.RUJUKAN,
) -> Referral:
    """The agency takes the referral on.

    Raises:
        IllegalTransition: the referral is not waiting for the agency (``routed``).
        ConcurrentUpdate: it changed since ``expected_version``.
    """
    return _one(store, actor, referral_id, ReferralAction.ACCEPT, expected_version, purpose, on=on)


@writes("referral")
def reject(
    store: Store,
    actor: Actor,
    referral_id: str,
    reason: str,
    *,
    expected_version: int | None = None,
    on: date | None = None,
    purpose: Purpose = Purpose.RUJUKAN,
) -> Referral:
    """The agency declines the referral, saying why (the posyandu may route it again).

    Raises:
        InputError: the reason is empty.
        IllegalTransition: the referral is not waiting for the agency (``routed``).
    """
    return _one(
        store,
        actor,
        referral_id,
        ReferralAction.REJECT,
        expected_version,
        purpose,
        reason=reason,
        on=on,
    )


@writes("referral")
def start(
    store: Store,
    actor: Actor,
    referral_id: str,
    *,
    expected_version: int | None = None,
    on: date | None = None,
    purpose: Purpose = Purpose.PELAYANAN,
) -> Referral:
    """The agency starts work on an accepted referral."""
    return _one(store, actor, referral_id, ReferralAction.START, expected_version, purpose, on=on)


@writes("referral")
def resolve(
    store: Store,
    actor: Actor,
    referral_id: str,
    outcome: str,
    *,
    expected_version: int | None = None,
    on: date | None = None,
    purpose: Purpose = Purpose.PELAYANAN,
) -> Referral:
    """The agency reports what it did; the referral closes and the posyandu sees it.

    Raises:
        InputError: the outcome is empty.
        IllegalTransition: the referral is not in progress.
    """
    return _one(
        store,
        actor,
        referral_id,
        ReferralAction.RESOLVE,
        expected_version,
        purpose,
        outcome=outcome,
        on=on,
    )


@writes("referral")
def cancel(
    store: Store,
    actor: Actor,
    referral_id: str,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
    on: date | None = None,
    purpose: Purpose = Purpose.RUJUKAN,
) -> Referral:
    """The side that raised the need withdraws it (the need went away, a duplicate …)."""
    return _one(
        store,
        actor,
        referral_id,
        ReferralAction.CANCEL,
        expected_version,
        purpose,
        reason=reason,
        on=on,
    )


@writes("referral")
def reroute(
    store: Store,
    actor: Actor,
    referral_id: str,
    route: Router,
    *,
    expected_version: int | None = None,
    on: date | None = None,
    purpose: Purpose = Purpose.RUJUKAN,
) -> tuple[Referral, ...]:
    """Send a rejected referral to the next agency ``route`` picks (never one that rejected).

    Raises:
        IllegalTransition: the referral was not rejected.
        Unroutable: no other agency serves the need there (nothing is written).
    """
    return store.transition_referral(
        actor,
        referral_id,
        ReferralAction.REROUTE,
        expected_version,
        purpose,
        on=on,
        route=route,
    )


@writes("referral")
def escalate_overdue(
    store: Store, actor: Actor, on: date, *, purpose: Purpose = Purpose.RUJUKAN
) -> list[Referral]:
    """Escalate every referral in ``actor``'s scope that is overdue on ``on`` (once each).

    A referral already escalated is left alone: a second escalation is a deliberate
    step (:meth:`~spm_core.store.Store.transition_referral` with ``escalate``). Run it
    daily; running it twice on one day changes nothing the second time.

    Returns:
        The referrals escalated now.
    """
    escalated = []
    for referral in store.list_referrals(actor, overdue_on=on, purpose=purpose):
        if referral.escalations == 0:
            escalated.append(
                _one(
                    store,
                    actor,
                    referral.id,
                    ReferralAction.ESCALATE,
                    referral.version,
                    purpose,
                    on=on,
                )
            )
    return escalated
