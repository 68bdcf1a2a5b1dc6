"""Indicators: numerator and denominator as expressions, with their legal basis; targets."""

from __future__ import annotations

import enum
from typing import ClassVar

import attrs

from spm_core.definitions._base import Definition
from spm_core.definitions.expr import Everyone, ExternalTarget, Node
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.period import PeriodKind
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue

__all__ = ["Counting", "Indicator", "TargetDefinition"]


def _no_nested_target(expr: Node) -> bool:
    return not isinstance(expr, ExternalTarget) and all(
        _no_nested_target(child) for child in expr.children()
    )


_PERSONS = Text("orang", "persons")


class Counting(enum.StrEnum):
    """What one counted subject adds to the numerator and denominator."""

    SUBJECTS = "subjects"
    """Each subject counts once (a resident, a household)."""
    MEMBERS = "members"
    """A household counts as many persons as it has members alive and domiciled on the
    period's last day: water and sanitation count *penduduk*, not households."""


@attrs.frozen(kw_only=True)
class TargetDefinition(Definition):
    """A target (sasaran) an agency supplies per area and year, usable as a denominator.

    The regulation counts some recipients by estimate: hypertension and diabetes
    sufferers (prevalence × population), presumptive TB cases. The definition names the
    target and says what it counts; the values per area and year are kept in the
    store's ``target`` table under this code.
    """

    kind: ClassVar[str] = "target"
    kind_label: ClassVar[Text] = Text("sasaran", "target")
    field: SpmField
    unit: Text = _PERSONS

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field to be declared."""
        return (("field", self.field.value),)


@attrs.frozen(kw_only=True)
class Indicator(Definition):
    """An SPM indicator as data.

    Counted subjects are those satisfying ``denominator``; served subjects are those that
    satisfy ``denominator`` **and** ``numerator``. When the denominator is an
    :class:`ExternalTarget` (an estimate the agency supplies), served subjects are those
    satisfying ``numerator`` alone. ``period_kind`` is the period the indicator is defined
    over (most SPM indicators are yearly). ``counts`` says whether a household subject
    counts once or as its members. ``service_type`` is the service (JPD) whose recipients
    the indicator counts; ``None`` marks a **monitoring indicator** outside any service's
    achievement (households without a toilet, houses unfit to live in, out-of-school
    children): it finds people to refer, and no achievement index reads it.
    """

    kind: ClassVar[str] = "indicator"
    kind_label: ClassVar[Text] = Text("indikator", "indicator")
    field: SpmField
    service_type: str | None
    subject: Subject
    denominator: Node = attrs.field(factory=Everyone)
    numerator: Node
    period_kind: PeriodKind = PeriodKind.YEAR
    counts: Counting = Counting.SUBJECTS

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
        if self.counts is Counting.MEMBERS and self.subject is not Subject.HOUSEHOLD:
            raise InvalidValue(
                value=self.code,
                reason_id="hanya indikator rumah tangga yang dapat menghitung anggotanya",
                reason_en="only a household indicator can count its members",
            )

    @property
    def target(self) -> str | None:
        """The target code when the denominator is an external target, else ``None``."""
        return self.denominator.target if isinstance(self.denominator, ExternalTarget) else None

    def references(self) -> tuple[tuple[str, str], ...]:
        """Need the field, the service type (when set) and every record type named.

        Target codes are checked by the expression checker, which says which expression
        names them.
        """
        refs = [("field", self.field.value)]
        if self.service_type is not None:
            refs.append(("service_type", self.service_type))
        for expr in (self.denominator, self.numerator):
            refs.extend((r.kind, r.code) for r in expr.references() if r.kind != "target")
        return tuple(refs)
