"""The tables that hold no personal data, each with the reason.

Erasure (:mod:`spm_core.store._erasure`) leaves them alone and row-level security
(:mod:`spm_core.store.rls`) puts no policy on them; tests check that every table of the
schema is accounted for in both.
"""

from __future__ import annotations

__all__ = ["NOT_PERSONAL"]

NOT_PERSONAL: dict[str, str] = {
    "posyandu": "names a posyandu, not a person",
    "posyandu_field": "the SPM fields a posyandu serves",
    "wilayah": "names a region, not a person",
    "target": "planning numbers per area",
    "quality_input": "planning numbers per area",
    "retention_rule": "a region's retention rules",
    "action_plan": "the Tim Pembina's plans: agencies' commitments per area, no resident",
}
"""Tables that hold no personal data, with the reason (checked by the metadata test)."""
