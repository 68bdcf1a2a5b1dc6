"""The referral engine: routing needs to agencies, the lifecycle, deadlines, monitoring.

A kader finds a need; :func:`~spm_core.referrals.router.submit` routes it through the
catalog's routing module to the agency (or agencies) serving the place, with a deadline
in working days (:mod:`~spm_core.referrals.deadlines`); the agency accepts or rejects
it, works on it and reports the outcome (:mod:`~spm_core.referrals.lifecycle`); the
posyandu that raised it always sees where it stands; the Tim Pembina follows every
agency's record (:mod:`~spm_core.referrals.monitoring`).

This package sits beside the indicator engine, above the audit and the store; it never
imports another engine.
"""

from spm_core.domain.referral import (
    CLOSED,
    OPEN,
    TRANSITIONS,
    ReferralAction,
    ReferralStatus,
    allowed_actions,
    next_status,
)

__all__ = [
    "CLOSED",
    "OPEN",
    "TRANSITIONS",
    "ReferralAction",
    "ReferralStatus",
    "allowed_actions",
    "next_status",
]
