"""The rule that judges a commitment: met, on track, at risk, missed, or no data.

A target commitment (an indicator or the referrals of an agency) is judged on the day
``as_of`` from its **baseline** (the value in the measuring period before the plan
starts), its **latest** value (that of the last complete measuring period with a value)
and the **path**: a straight line from the baseline at the plan's start to the target on
the due date.

1. no latest value → **no data**;
2. the latest value reaches the target (at or above it; at or below it for a
   commitment to decrease) → **met**;
3. the due date has passed on ``as_of`` → **missed**;
4. the latest value lies more than the plan's margin (percentage points) short of the
   path at the end of the latest value's period → **at risk**;
5. otherwise → **on track** (also when there is no baseline to draw the path from).

An activity is **met** when it was done by its due date, **missed** when it was done
late or its due date passed without it, **at risk** when it is due within
:data:`ACTIVITY_WARNING_DAYS` days and not done, and **on track** otherwise.

Example:
    >>> from datetime import date
    >>> judge_target(60.0, 70.0, 95.0, "increase", date(2026, 1, 1), date(2026, 12, 31),
    ...              date(2026, 7, 2), 5.0).status
    <Status.AT_RISK: 'at_risk'>
"""

from __future__ import annotations

import enum
from datetime import date

import attrs

from spm_core.domain.text import Text

__all__ = [
    "ACTIVITY_WARNING_DAYS",
    "RULE",
    "Judgement",
    "Status",
    "judge_activity",
    "judge_target",
    "path_value",
]

ACTIVITY_WARNING_DAYS = 30
"""An activity not done this many days (or fewer) before it is due is at risk."""


class Status(enum.StrEnum):
    """Where a commitment stands."""

    MET = "met"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"
    NO_DATA = "no_data"

    @property
    def label(self) -> Text:
        """The status in both languages."""
        return _LABELS[self]


_LABELS = {
    Status.MET: Text("tercapai", "met"),
    Status.ON_TRACK: Text("sesuai jalur", "on track"),
    Status.AT_RISK: Text("berisiko", "at risk"),
    Status.MISSED: Text("tidak tercapai", "missed"),
    Status.NO_DATA: Text("belum ada data", "no data"),
}

RULE = Text(
    "Lintasan lurus dari nilai awal (periode sebelum rencana dimulai) pada awal rencana ke "
    "target pada batas waktu; nilai terakhir ialah nilai periode lengkap terakhir. "
    "Tercapai: nilai terakhir mencapai target. Tidak tercapai: "
    "batas waktu lewat tanpa mencapai target. Berisiko: nilai terakhir tertinggal dari "
    "lintasan lebih dari margin rencana (poin persen). Selain itu sesuai jalur. Kegiatan: "
    f"tercapai bila terlaksana sebelum batas waktu; berisiko bila belum terlaksana "
    f"{ACTIVITY_WARNING_DAYS} hari atau kurang sebelum batas waktu.",
    "A straight path from the baseline (the period before the plan starts) at the plan's "
    "start to the target on the due date; the latest value is that of the last complete "
    "period. Met: the latest value reaches the target. "
    "Missed: the due date passed without reaching it. At risk: the latest value is short "
    "of the path by more than the plan's margin (percentage points). Otherwise on track. "
    "Activities: met when done by the due date; at risk when not done "
    f"{ACTIVITY_WARNING_DAYS} days or fewer before it.",
)
"""The rule, in both languages, as reports state it."""


@attrs.frozen
class Judgement:
    """A status, the value of the path on the day judged, and why, in both languages."""

    status: Status
    expected: float | None
    reason: Text


def path_value(baseline: float, target: float, start: date, due: date, on: date) -> float:
    """Return the value the straight path from ``baseline`` to ``target`` has on ``on``.

    Example:
        >>> path_value(50.0, 90.0, date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 6))
        70.0
    """
    span = (due - start).days
    done = 1.0 if span <= 0 else min(1.0, max(0.0, (on - start).days / span))
    return round(baseline + (target - baseline) * done, 6)


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def judge_target(
    baseline: float | None,
    latest: float | None,
    target: float,
    direction: str,
    start: date,
    due: date,
    on: date,
    margin: float,
    *,
    passed: bool | None = None,
) -> Judgement:
    """Judge a target commitment whose latest value is that of the period ending ``on``.

    ``passed`` says whether the due date has passed on the day judged (by default,
    whether ``on`` is after it); the path is read on ``on``.
    """
    sign = -1.0 if direction == "decrease" else 1.0
    if latest is None:
        return Judgement(
            Status.NO_DATA,
            None,
            Text("belum ada nilai terhitung", "no value could be computed yet"),
        )
    expected = None if baseline is None else path_value(baseline, target, start, due, on)
    if sign * latest >= sign * target:
        return Judgement(
            Status.MET,
            expected,
            Text(
                f"nilai {_pct(latest)} mencapai target {_pct(target)}",
                f"value {_pct(latest)} reaches the target {_pct(target)}",
            ),
        )
    if (on > due) if passed is None else passed:
        return Judgement(
            Status.MISSED,
            expected,
            Text(
                f"batas waktu {due} lewat; nilai {_pct(latest)}, target {_pct(target)}",
                f"due date {due} passed; value {_pct(latest)}, target {_pct(target)}",
            ),
        )
    if expected is None:
        return Judgement(
            Status.ON_TRACK,
            None,
            Text(
                "tanpa nilai awal, dinilai pada batas waktu saja",
                "no baseline: judged on the due date only",
            ),
        )
    short = sign * (expected - latest)
    if short > margin:
        return Judgement(
            Status.AT_RISK,
            expected,
            Text(
                f"nilai {_pct(latest)} tertinggal {short:.1f} poin dari lintasan "
                f"{_pct(expected)} (margin {margin:.1f})",
                f"value {_pct(latest)} is {short:.1f} points short of the path "
                f"{_pct(expected)} (margin {margin:.1f})",
            ),
        )
    return Judgement(
        Status.ON_TRACK,
        expected,
        Text(
            f"nilai {_pct(latest)}, lintasan {_pct(expected)} (margin {margin:.1f})",
            f"value {_pct(latest)}, path {_pct(expected)} (margin {margin:.1f})",
        ),
    )


def judge_activity(due: date, done: date | None, on: date) -> Judgement:
    """Judge an activity on ``on`` (see the module's rule).

    Example:
        >>> judge_activity(date(2026, 6, 30), None, date(2026, 6, 10)).status
        <Status.AT_RISK: 'at_risk'>
    """
    if done is not None and done <= on:
        if done <= due:
            return Judgement(Status.MET, None, Text(f"terlaksana {done}", f"done on {done}"))
        return Judgement(
            Status.MISSED,
            None,
            Text(
                f"terlaksana {done}, setelah batas waktu {due}",
                f"done on {done}, after the due date {due}",
            ),
        )
    if on > due:
        return Judgement(
            Status.MISSED,
            None,
            Text(f"belum terlaksana; batas waktu {due}", f"not done; due on {due}"),
        )
    left = (due - on).days
    if left <= ACTIVITY_WARNING_DAYS:
        return Judgement(
            Status.AT_RISK,
            None,
            Text(
                f"belum terlaksana, {left} hari sebelum batas waktu",
                f"not done, {left} days before the due date",
            ),
        )
    return Judgement(
        Status.ON_TRACK,
        None,
        Text(f"batas waktu {due}, {left} hari lagi", f"due on {due}, {left} days left"),
    )
