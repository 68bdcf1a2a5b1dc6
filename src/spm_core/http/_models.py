"""Response models of the HTTP adapter, derived from the library's frozen values.

Each value class of the store (``Resident``, ``Record``, ``Referral`` …) is an attrs
class; :func:`response_model` builds the pydantic model of its JSON form (the form its
``to_dict`` gives) from its type hints, so the OpenAPI document cannot fall behind the
values. Only the few shapes the adapter adds itself (a created resident with its
notices, an explanation tree, a report) are written out here.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pydantic

from spm_core.domain.wilayah import KodeWilayah
from spm_core.indicators.explain import NeedExplanation, SubjectExplanation
from spm_core.indicators.reference import Explanation
from spm_core.indicators.report import IndexRow, Report, ReportRow
from spm_core.indicators.suggest import Suggestion
from spm_core.store import (
    Domicile,
    FieldPeriod,
    Household,
    Membership,
    Posyandu,
    Record,
    Referral,
    ReferralCount,
    ReferralEvent,
    Resident,
    SubjectRef,
)

__all__ = [
    "ActorOut",
    "ExplanationNode",
    "ExplanationOut",
    "NeedExplanationOut",
    "NoticeOut",
    "ProblemIssue",
    "ProblemOut",
    "ReportOut",
    "SuggestionOut",
    "response_model",
]

_MODELS: dict[type, type[pydantic.BaseModel]] = {}


def _field_type(hint: Any) -> Any:
    """Return the pydantic type of the JSON form of an attrs field typed ``hint``."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = tuple(_field_type(a) for a in typing.get_args(hint))
        return typing.Union[args]  # noqa: UP007 - built from a runtime tuple
    if origin is tuple:
        args = typing.get_args(hint)
        return list[_field_type(args[0])]  # type: ignore[misc]
    if origin in (Mapping, dict) or hint in (Mapping, dict):
        return dict[str, Any]
    if isinstance(hint, type):
        if issubclass(hint, KodeWilayah | Decimal):
            return str
        if attrs.has(hint):
            return response_model(hint)
        if issubclass(hint, enum.Enum):
            return hint
        if issubclass(hint, bool | int | float | str | date | datetime):
            return hint
    if hint is Any or hint is type(None):
        return hint
    raise TypeError(f"no JSON form for {hint!r}")  # pragma: no cover - a new value type


def response_model(cls: type) -> type[pydantic.BaseModel]:
    """Return (and cache) the pydantic model of the JSON form of attrs class ``cls``.

    Example:
        >>> from spm_core.store import Membership
        >>> sorted(response_model(Membership).model_fields)[:3]
        ['end', 'household_id', 'id']
    """
    found = _MODELS.get(cls)
    if found is not None:
        return found
    hints = typing.get_type_hints(cls)
    fields: dict[str, Any] = {}
    for field in attrs.fields(cls):
        fields[field.name] = (_field_type(hints[field.name]), ...)
    doc = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
    model: type[pydantic.BaseModel] = pydantic.create_model(
        cls.__name__,
        __doc__=doc,
        __config__=pydantic.ConfigDict(extra="forbid"),
        **fields,
    )
    _MODELS[cls] = model
    return model


# The value classes the adapter returns, built once at import so that their names are
# stable in the OpenAPI components.
for _cls in (
    SubjectRef,
    FieldPeriod,
    Posyandu,
    Household,
    Resident,
    Domicile,
    Membership,
    Record,
    Referral,
    ReferralEvent,
    ReferralCount,
    ReportRow,
    IndexRow,
):
    response_model(_cls)


class NoticeOut(pydantic.BaseModel):
    """A warning that did not stop the write, in both languages."""

    code: str
    message_id: str
    message_en: str
    field: str | None
    value: str | None


class ActorOut(pydantic.BaseModel):
    """Who the request acts as: id, role and scope as the audit log records them."""

    id: str
    role: str
    scope: str
    name: str | None


class ExplanationNode(pydantic.BaseModel):
    """One node of an indicator's expression for one subject: whether it held, and why."""

    holds: bool
    text_id: str
    text_en: str
    note_id: str | None
    note_en: str | None
    records: list[str]
    children: list[ExplanationNode]

    @classmethod
    def of(cls, explanation: Explanation) -> ExplanationNode:
        """Return the node (and its children) of a library explanation."""
        text = explanation.node.describe()
        note = explanation.note
        return cls(
            holds=explanation.holds,
            text_id=text.id,
            text_en=text.en,
            note_id=None if note is None else note.id,
            note_en=None if note is None else note.en,
            records=list(explanation.records),
            children=[cls.of(child) for child in explanation.children],
        )


class ExplanationOut(pydantic.BaseModel):
    """An indicator's verdict on one subject, with the explanation of each part."""

    indicator: str
    subject: str
    period: str
    present: bool
    in_denominator: bool
    served: bool
    denominator: ExplanationNode
    numerator: ExplanationNode
    lines_id: list[str]
    lines_en: list[str]

    @classmethod
    def of(cls, found: SubjectExplanation) -> ExplanationOut:
        """Return the JSON form of a library explanation."""
        return cls(
            indicator=found.indicator,
            subject=found.subject,
            period=found.period,
            present=found.present,
            in_denominator=found.in_denominator,
            served=found.served,
            denominator=ExplanationNode.of(found.denominator),
            numerator=ExplanationNode.of(found.numerator),
            lines_id=found.lines("id"),
            lines_en=found.lines("en"),
        )


class NeedExplanationOut(pydantic.BaseModel):
    """Whether the records show a need for one subject in a period, and why."""

    need_type: str
    subject: str
    period: str
    present: bool
    shows: bool
    trigger: ExplanationNode
    lines_id: list[str]
    lines_en: list[str]

    @classmethod
    def of(cls, found: NeedExplanation) -> NeedExplanationOut:
        """Return the JSON form of a library need explanation."""
        return cls(
            need_type=found.need_type,
            subject=found.subject,
            period=found.period,
            present=found.present,
            shows=found.shows,
            trigger=ExplanationNode.of(found.trigger),
            lines_id=found.lines("id"),
            lines_en=found.lines("en"),
        )


class SuggestionOut(pydantic.BaseModel):
    """A need the records show for one subject, not referred yet.

    Confirm it by submitting ``POST /referrals`` with its ``idempotency_key``,
    ``need_type`` and subject: confirming twice creates nothing new.
    """

    need_type: str
    subject: str
    subject_id: str
    posyandu_id: str
    wilayah_code: str
    period: str
    earlier: int
    idempotency_key: str

    @classmethod
    def of(cls, found: Suggestion) -> SuggestionOut:
        """Return the JSON form of a library suggestion."""
        return cls.model_validate(found.to_dict())


class ReportOut(pydantic.BaseModel):
    """Every indicator and the achievement index of a period, as the library computes them."""

    period: str
    level: str
    rule: str
    suppressed_below: int | None
    plugins: dict[str, str | None]
    rows: list[response_model(ReportRow)]  # type: ignore[valid-type]
    index: list[response_model(IndexRow)]  # type: ignore[valid-type]

    @classmethod
    def of(cls, report: Report) -> ReportOut:
        """Return the JSON form of a library report."""
        return cls.model_validate(report.to_dict())


class ProblemIssue(pydantic.BaseModel):
    """One problem found in input: row, field, value and message in both languages."""

    code: str
    field: str
    value: str | None
    message_id: str
    message_en: str
    row: int | None


class ProblemOut(pydantic.BaseModel):
    """An error as RFC 9457 problem details, with the library's code and both messages."""

    model_config = pydantic.ConfigDict(title="Problem")

    type: str
    title: str
    status: int
    detail: str
    code: str
    message_id: str
    message_en: str
    retryable: bool
    issues: list[ProblemIssue] | None = None


ExplanationNode.model_rebuild()
