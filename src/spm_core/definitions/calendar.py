"""Joint leave days (cuti bersama): working days off that a plugin declares per year.

National public holidays come from the maintained ``holidays`` package; the joint leave
days the government sets each year by joint decree (SKB Menteri Agama, Menteri
Ketenagakerjaan dan Menteri PANRB) — and any day off a region adds for its own offices —
are declared by plugins as :class:`JointLeaveDay` definitions. Referral deadlines skip
both.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah

__all__ = ["JointLeaveDay"]


@attrs.frozen(kw_only=True)
class JointLeaveDay(Definition):
    """A day agencies are closed although it is neither a weekend nor a public holiday.

    ``area`` limits the day to a region and everything inside it (``None``: the whole
    country, as for the cuti bersama of an SKB). A region plugin's days must lie in its
    region, like its agencies and routes.

    Example:
        >>> d = JointLeaveDay(code="cuti-2025-04-02", title=Text("Cuti bersama Idulfitri",
        ...     "Eid al-Fitr joint leave"), day=dt.date(2025, 4, 2))
        >>> d.applies_to(KodeWilayah("32.75.01.1001"))
        True
    """

    kind: ClassVar[str] = "joint_leave_day"
    kind_label: ClassVar[Text] = Text("cuti bersama", "joint leave day")
    day: dt.date
    area: KodeWilayah | None = None

    def applies_to(self, place: KodeWilayah) -> bool:
        """Return whether agencies serving ``place`` are closed on this day."""
        return self.area is None or self.area.contains(place)
