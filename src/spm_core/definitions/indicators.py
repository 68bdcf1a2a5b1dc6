"""Indicators: numerator and denominator as expressions, with their legal basis."""

from __future__ import annotations

from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import Everyone, Expr, ExternalTarget
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.period import PeriodKind
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["Indicator"]


def _no_nested_target(expr: Expr) -> bool:
    return not isinstance(expr, ExternalTarget) and all(
        _no_nested_target(child) for child in expr.children()
    )


@attrs.frozen(kw_only=True)
class Indicator(Definition):
    """An SPM indicator as data.

    Counted subjects are those satisfying ``denominator``; served subjects are those that
    satisfy ``denominator`` **and** ``numerator``. When the denominator is an
    :class:`ExternalTarget` (an estimate the agency supplies), served subjects are those
    satisfying ``numerator`` alone. ``period_kind`` is the period the indicator is defined
    over (most SPM indicators are yearly).
    """

    kind: ClassVar[str] = "indicator"
    kind_label: ClassVar[Text] = Text("indikator", "indicator")
    field: SpmField
    service_type: str
    subject: Subject
    denominator: Expr = attrs.field(factory=Everyone)
    numerator: Expr
    period_kind: PeriodKind = PeriodKind.YEAR

    def __attrs_post_init__(self) -> None:
        denominator_ok = isinstance(self.denominator, ExternalTarget) or _no_nested_target(
            self.denominator
        )
        if not denominator_ok or not _no_nested_target(self.numerator):
            raise InvalidValue(
                value=self.code,
                reason_id="sasaran eksternal hanya boleh menjadi penyebut utuh",
                reason_en="an external target may only be the whole denominator",
            )

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field, the service type and every record type or target named."""
        refs = [("field", self.field.value), ("service_type", self.service_type)]
        for expr in (self.denominator, self.numerator):
            refs.extend((r.kind, r.code) for r in expr.references() if r.kind != "target")
        return tuple(refs)
