"""The referral lifecycle: states, actions and the one transition table.

A referral follows a subset of FHIR ``Task`` statuses (HL7 FHIR R5, Task § status):
a kader raises a need (``submitted``), the library routes it to an agency (``routed``,
FHIR ``requested``), the agency ``accepted`` or ``rejected`` it (a reason is required),
works on it (``in_progress``) and ``resolved`` it (an outcome is required, FHIR
``completed``); the posyandu may ``cancelled`` it while it is open. A rejected referral
may be routed again to another agency; an open referral past its deadline may be
escalated (an event that keeps the state).

The table here is the single source of truth: the store enforces it inside the write
transaction, the engine and the documentation read it, and the state-machine test walks
it. Pure values, no I/O.

Example:
    >>> ReferralStatus.ROUTED.label.en
    'Routed to the agency'
    >>> next_status(ReferralStatus.ROUTED, ReferralAction.ACCEPT)
    <ReferralStatus.ACCEPTED: 'accepted'>
    >>> sorted(a.value for a in allowed_actions(ReferralStatus.RESOLVED))
    []
"""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping

from spm_core.domain.text import Text
from spm_core.errors import IllegalTransition

__all__ = [
    "AGENCY_ACTIONS",
    "CLOSED",
    "OPEN",
    "ORIGIN_ACTIONS",
    "TRANSITIONS",
    "ReferralAction",
    "ReferralStatus",
    "allowed_actions",
    "next_status",
]


class ReferralStatus(enum.StrEnum):
    """Where a referral is in its lifecycle (stored as the member's value)."""

    SUBMITTED = "submitted"
    ROUTED = "routed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CANCELLED = "cancelled"

    @property
    def label(self) -> Text:
        """The state in both languages."""
        return _STATUS_LABELS[self]

    @property
    def fhir(self) -> str:
        """The FHIR ``Task.status`` this state maps to (for export)."""
        return _FHIR[self]


_STATUS_LABELS = {
    ReferralStatus.SUBMITTED: Text("Diajukan", "Submitted"),
    ReferralStatus.ROUTED: Text("Diteruskan ke perangkat daerah", "Routed to the agency"),
    ReferralStatus.ACCEPTED: Text("Diterima", "Accepted"),
    ReferralStatus.REJECTED: Text("Ditolak", "Rejected"),
    ReferralStatus.IN_PROGRESS: Text("Sedang ditangani", "In progress"),
    ReferralStatus.RESOLVED: Text("Selesai ditangani", "Resolved"),
    ReferralStatus.CANCELLED: Text("Dibatalkan", "Cancelled"),
}
_FHIR = {
    ReferralStatus.SUBMITTED: "draft",
    ReferralStatus.ROUTED: "requested",
    ReferralStatus.ACCEPTED: "accepted",
    ReferralStatus.REJECTED: "rejected",
    ReferralStatus.IN_PROGRESS: "in-progress",
    ReferralStatus.RESOLVED: "completed",
    ReferralStatus.CANCELLED: "cancelled",
}


class ReferralAction(enum.StrEnum):
    """What an actor does to a referral; each action is one event in its history."""

    SUBMIT = "submit"
    ROUTE = "route"
    ACCEPT = "accept"
    REJECT = "reject"
    START = "start"
    RESOLVE = "resolve"
    CANCEL = "cancel"
    REROUTE = "reroute"
    ESCALATE = "escalate"

    @property
    def label(self) -> Text:
        """The action in both languages."""
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    ReferralAction.SUBMIT: Text("ajukan", "submit"),
    ReferralAction.ROUTE: Text("teruskan", "route"),
    ReferralAction.ACCEPT: Text("terima", "accept"),
    ReferralAction.REJECT: Text("tolak", "reject"),
    ReferralAction.START: Text("mulai tangani", "start work"),
    ReferralAction.RESOLVE: Text("selesaikan", "resolve"),
    ReferralAction.CANCEL: Text("batalkan", "cancel"),
    ReferralAction.REROUTE: Text("teruskan ulang", "reroute"),
    ReferralAction.ESCALATE: Text("eskalasi", "escalate"),
}

_S = ReferralStatus
_A = ReferralAction

OPEN: frozenset[ReferralStatus] = frozenset({_S.ROUTED, _S.ACCEPTED, _S.IN_PROGRESS})
"""States in which an agency holds the referral and its deadline runs."""

CLOSED: frozenset[ReferralStatus] = frozenset({_S.RESOLVED, _S.CANCELLED})
"""Final states: a closed referral never changes again."""

TRANSITIONS: Mapping[tuple[ReferralStatus, ReferralAction], ReferralStatus] = (
    types.MappingProxyType(
        {
            (_S.SUBMITTED, _A.ROUTE): _S.ROUTED,
            (_S.SUBMITTED, _A.CANCEL): _S.CANCELLED,
            (_S.ROUTED, _A.ACCEPT): _S.ACCEPTED,
            (_S.ROUTED, _A.REJECT): _S.REJECTED,
            (_S.ROUTED, _A.CANCEL): _S.CANCELLED,
            (_S.ROUTED, _A.ESCALATE): _S.ROUTED,
            (_S.ACCEPTED, _A.START): _S.IN_PROGRESS,
            (_S.ACCEPTED, _A.CANCEL): _S.CANCELLED,
            (_S.ACCEPTED, _A.ESCALATE): _S.ACCEPTED,
            (_S.IN_PROGRESS, _A.RESOLVE): _S.RESOLVED,
            (_S.IN_PROGRESS, _A.CANCEL): _S.CANCELLED,
            (_S.IN_PROGRESS, _A.ESCALATE): _S.IN_PROGRESS,
            (_S.REJECTED, _A.REROUTE): _S.ROUTED,
            (_S.REJECTED, _A.CANCEL): _S.CANCELLED,
        }
    )
)
"""(state, action) → next state. Anything absent is an illegal transition.

``submit`` is absent on purpose: it creates a referral (no state before it)."""

AGENCY_ACTIONS: frozenset[ReferralAction] = frozenset({_A.ACCEPT, _A.REJECT, _A.START, _A.RESOLVE})
"""Actions only the officer of the agency holding the referral may take."""

ORIGIN_ACTIONS: frozenset[ReferralAction] = frozenset(
    {_A.SUBMIT, _A.ROUTE, _A.CANCEL, _A.REROUTE, _A.ESCALATE}
)
"""Actions taken on the side that raised the need (kader, village officer, operator)."""


def allowed_actions(status: ReferralStatus) -> frozenset[ReferralAction]:
    """Return the actions the table allows from ``status`` (none once closed)."""
    return frozenset(action for (state, action) in TRANSITIONS if state is status)


def next_status(status: ReferralStatus, action: ReferralAction) -> ReferralStatus:
    """Return the state ``action`` leads to from ``status``.

    Raises:
        IllegalTransition: the table has no such transition (naming the state, the
            action and what is allowed instead).
    """
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        allowed = ", ".join(sorted(a.value for a in allowed_actions(status))) or "-"
        raise IllegalTransition(
            value=action.value,
            status=status.value,
            action_id=action.label.id,
            status_id=status.label.id,
            action_en=action.label.en,
            status_en=status.label.en,
            allowed=allowed,
        ) from None
