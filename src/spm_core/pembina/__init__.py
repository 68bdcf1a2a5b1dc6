"""The Tim Pembina Posyandu: action plans, monitoring and evaluation, roll-out, mentoring.

* :mod:`~spm_core.pembina.rule` — how a commitment is judged (met, on track, at risk,
  missed, no data);
* :mod:`~spm_core.pembina.monitoring` — each commitment of a plan measured by the engines
  and judged, with scorecards per agency (OPD) and per kecamatan;
* :mod:`~spm_core.pembina.rollout` — the phased roll-out of the six-field posyandu;
* :mod:`~spm_core.pembina.mentoring` — kader mentoring signals per posyandu, ranked.

Plans themselves are stored by the store (:meth:`~spm_core.store.Store.save_action_plan`).
This package sits beside the indicator and referral engines and imports neither: it
reads referral counts from the store, and takes indicator values from an
:data:`~spm_core.pembina.monitoring.IndicatorSource` that :class:`spm_core.api.Registry`
builds on the indicator reports.
"""

from spm_core.pembina.mentoring import Mentoring, PosyanduSignals, mentoring
from spm_core.pembina.monitoring import (
    CommitmentStatus,
    IndicatorSource,
    Measured,
    PlanStatus,
    ScoreRow,
    TrendPoint,
    evaluate,
)
from spm_core.pembina.rollout import Phase, Rollout, rollout
from spm_core.pembina.rule import RULE, Judgement, Status

__all__ = [
    "RULE",
    "CommitmentStatus",
    "IndicatorSource",
    "Judgement",
    "Measured",
    "Mentoring",
    "Phase",
    "PlanStatus",
    "PosyanduSignals",
    "Rollout",
    "ScoreRow",
    "Status",
    "TrendPoint",
    "evaluate",
    "mentoring",
    "rollout",
]
