"""The rule of the SPM achievement index, as a definition a region plugin may replace.

The engine that applies it is :mod:`spm_core.indicators.capaian`; its national default is
``spm_core.indicators.capaian.DEFAULT_RULE``.
"""

from __future__ import annotations

import enum
from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["BANDS", "AchievementRule", "Aggregation", "Band"]


class Aggregation(enum.StrEnum):
    """How the indexes of several service types make the index of a field or a region."""

    MEAN = "mean"
    """The simple mean over the service types that have an index."""
    WEIGHTED = "weighted"
    """The mean weighted by each service type's number of recipients (denominator)."""


@attrs.frozen
class Band:
    """A completion band: the lowest index in it, and its name."""

    lowest: float
    label: Text


def _weights(_instance: object, _attribute: object, value: float) -> None:
    if not 0 <= value <= 1:
        raise InvalidValue(
            value=value,
            reason_id="bobot harus antara 0 dan 1",
            reason_en="a weight must be between 0 and 1",
        )


BANDS: tuple[Band, ...] = (
    Band(100, Text("Tuntas Paripurna", "Fully complete (paripurna)")),
    Band(90, Text("Tuntas Utama", "Complete, main (utama)")),
    Band(80, Text("Tuntas Madya", "Complete, middle (madya)")),
    Band(70, Text("Tuntas Pratama", "Complete, first (pratama)")),
    Band(60, Text("Tuntas Muda", "Complete, young (muda)")),
    Band(0, Text("Belum Tuntas", "Not complete")),
)
"""The completion bands of the Pendidikan index, highest first."""


@attrs.frozen(kw_only=True)
class AchievementRule(Definition):
    """How the achievement index is computed, graded and rolled up.

    The national default is ``spm_core.indicators.capaian.DEFAULT_RULE``; a region
    plugin contributes its own (code ``capaian``) to change the weights, the bands or
    the roll-up for its region.
    """

    kind: ClassVar[str] = "achievement_rule"
    kind_label: ClassVar[Text] = Text("aturan capaian", "achievement rule")
    served_weight: float = attrs.field(default=0.8, validator=_weights)
    quality_weight: float = attrs.field(default=0.2, validator=_weights)
    bands: tuple[Band, ...] = BANDS
    aggregation: Aggregation = Aggregation.MEAN

    def __attrs_post_init__(self) -> None:
        if abs(self.served_weight + self.quality_weight - 1) > 1e-9:
            raise InvalidValue(
                value=(self.served_weight, self.quality_weight),
                reason_id="bobot layanan dan mutu harus berjumlah 1",
                reason_en="the served and quality weights must add up to 1",
            )
