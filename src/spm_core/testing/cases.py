"""Worked cases in YAML: the format a domain expert reads, and the runner that checks them.

A plugin keeps its worked cases in a ``cases/`` folder beside its code, one YAML file
per indicator or per group of routes. Two kinds of file share the format:

**Indicator cases** name an indicator and a period, and list subjects (a resident or a
household with its members) with their records and whether the subject counts in the
denominator and as served::

    indicator: kesehatan.balita
    period: "2025"
    cases:
      - name: ditimbang-delapan-kali
        title: {id: Balita ditimbang 8 kali, en: Child weighed 8 times}
        subject: {kind: resident, birth_date: 2023-03-15, sex: P}
        records:
          - {type: kesehatan.penimbangan, date: 2025-01-14, value: {weight_kg: 10.1}}
        expect: {denominator: true, numerator: false}

**Routing cases** name a need, the kelurahan/desa of the subject and what routing may
know of it, and the agencies the need must reach (``generic:<role>`` for a role no
agency of the region fills)::

    day: 2025-06-30
    cases:
      - name: alat-bantu-dengar-bekasijaya
        title: {id: Alat bantu dengar di Bekasijaya, en: Hearing aid in Bekasijaya}
        need_type: sosial.alat-bantu-dengar
        village: "32.75.01.1001"
        expect: {agencies: [kota-bekasi.dinsos]}

:func:`run_case_file` checks a file against a catalog: every code it names exists,
every record value passes its record type's schema, and each routing case routes as
expected through :func:`spm_core.routing.route`. Indicator cases are evaluated by the
``evaluate`` function passed in (the indicator engine's); without one they are checked
for form only, and the result says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import attrs
import pydantic
import yaml

from spm_core.catalog import Catalog
from spm_core.definitions import ExternalTarget, Indicator
from spm_core.domain.enums import Relationship, Sex, Subject
from spm_core.domain.period import Period
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel, lookup
from spm_core.errors import SpmError
from spm_core.indicators.population import (
    Household,
    Membership,
    Population,
    Record,
    Resident,
    Stay,
)
from spm_core.indicators.reference import Evaluator, count_subject
from spm_core.routing import RouteContext, route

__all__ = [
    "CaseFile",
    "CaseOutcome",
    "IndicatorCase",
    "IndicatorCaseFile",
    "IndicatorEvaluator",
    "RoutingCase",
    "RoutingCaseFile",
    "case_files",
    "load_case_file",
    "reference_evaluator",
    "run_case_file",
]


class _Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)


class CaseText(_Model):
    """A title in both languages."""

    id: str = pydantic.Field(min_length=1)
    en: str = pydantic.Field(min_length=1)


class CaseRecord(_Model):
    """One record of a subject: its type, date and value."""

    type: str
    date: date
    value: dict[str, Any]


class CaseMember(_Model):
    """A household member, with its relationship code (SHDK) and own records."""

    birth_date: date
    sex: Sex
    relationship: int
    records: tuple[CaseRecord, ...] = ()


class ResidentSubject(_Model):
    """A resident subject."""

    kind: Literal["resident"]
    birth_date: date
    sex: Sex


class HouseholdSubject(_Model):
    """A household subject and its members."""

    kind: Literal["household"]
    members: tuple[CaseMember, ...] = pydantic.Field(min_length=1)


class IndicatorExpect(_Model):
    """Whether the subject counts in the denominator and as served."""

    denominator: bool
    numerator: bool
    persons: int | None = pydantic.Field(default=None, ge=1)
    """For a household indicator counting its members: how many persons it counts as."""


_NAME = r"^[a-z0-9][a-z0-9-]*$"


class IndicatorCase(_Model):
    """One subject of an indicator's worked cases."""

    name: str = pydantic.Field(pattern=_NAME)
    title: CaseText
    period: str | None = None
    """The case's own period (another dated version, a quarter); the file's if absent."""
    subject: Annotated[ResidentSubject | HouseholdSubject, pydantic.Field(discriminator="kind")]
    records: tuple[CaseRecord, ...] = ()
    expect: IndicatorExpect


class IndicatorCaseFile(_Model):
    """Worked cases of one indicator over one period."""

    indicator: str
    period: str
    cases: tuple[IndicatorCase, ...] = pydantic.Field(min_length=2)


class RoutingSubject(_Model):
    """What routing may know of a resident: birth date and sex (both optional)."""

    birth_date: date | None = None
    sex: Sex | None = None


class RoutingExpect(_Model):
    """The agencies a need must reach, in the order of the deciding rule's roles.

    ``agencies`` holds agency codes, or ``generic:<role>`` where no agency of the region
    fills the role; ``rule`` optionally names the rule that must decide.
    """

    agencies: tuple[str, ...] = pydantic.Field(min_length=1)
    rule: str | None = None


class RoutingCase(_Model):
    """One need raised in one kelurahan/desa, and where it must go."""

    name: str = pydantic.Field(pattern=_NAME)
    title: CaseText
    need_type: str
    village: str
    subject: RoutingSubject = RoutingSubject()
    latest: dict[str, dict[str, Any]] = {}
    expect: RoutingExpect


class RoutingCaseFile(_Model):
    """Worked routing cases, decided on ``day`` (YAML reads a key ``on`` as true)."""

    day: date
    cases: tuple[RoutingCase, ...] = pydantic.Field(min_length=1)


CaseFile = IndicatorCaseFile | RoutingCaseFile
"""Either kind of case file."""

_ADAPTER: pydantic.TypeAdapter[CaseFile] = pydantic.TypeAdapter(CaseFile)


def load_case_file(path: Path) -> CaseFile:
    """Read and validate one YAML case file.

    Raises:
        pydantic.ValidationError: the file does not follow the format (the message
            names the case and field).
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if isinstance(data, Mapping) and "indicator" in data:
        return IndicatorCaseFile.model_validate(data)
    return RoutingCaseFile.model_validate(data)


def case_files(folder: Path) -> tuple[Path, ...]:
    """Return the ``*.yaml`` case files of ``folder`` (none if it does not exist), sorted."""
    return tuple(sorted(folder.glob("*.yaml"))) if folder.is_dir() else ()


@attrs.frozen
class CaseOutcome:
    """The result of one worked case.

    ``passed`` is ``None`` when the case was checked for form but not evaluated (an
    indicator case without an evaluator); ``problems`` says what failed.
    """

    file: str
    name: str
    passed: bool | None
    problems: tuple[str, ...] = ()


IndicatorEvaluator = Callable[[Indicator, Period, IndicatorCase], tuple[bool, bool]]
"""Evaluates one indicator case: returns (in the denominator, counted as served)."""


def run_case_file(
    path: Path,
    catalog: Catalog,
    *,
    evaluate: IndicatorEvaluator | None = None,
) -> tuple[CaseOutcome, ...]:
    """Check and run every case of the file at ``path`` against ``catalog``.

    Routing cases run through :func:`spm_core.routing.route` on the view of the case's
    village on the file's day. Indicator cases are checked for form (codes defined,
    record values valid, subjects of the indicator's kind, dates inside the period) and,
    when ``evaluate`` is given, evaluated.
    """
    case_file = load_case_file(path)
    if isinstance(case_file, RoutingCaseFile):
        return tuple(_run_routing(path.name, case_file.day, c, catalog) for c in case_file.cases)
    return _run_indicator_file(path.name, case_file, catalog, evaluate)


def _run_routing(file: str, on: date, case: RoutingCase, catalog: Catalog) -> CaseOutcome:
    try:
        village = KodeWilayah.parse(case.village)
        view = catalog.for_region(village, on=on)
        context = RouteContext(on, case.subject.birth_date, case.subject.sex, case.latest)
        decision = route(view, case.need_type, village, context)
    except SpmError as exc:
        return CaseOutcome(file, case.name, False, (str(exc),))
    problems: list[str] = []
    if village.level != WilayahLevel.DESA_KELURAHAN or lookup(village) is None:
        problems.append(f"{case.village} is no kelurahan/desa of the Kepmendagri list")
    got = tuple(t.code if t.code is not None else f"generic:{t.role}" for t in decision.targets)
    if got != case.expect.agencies:
        problems.append(f"routed to {list(got)}, expected {list(case.expect.agencies)}")
    if case.expect.rule is not None and decision.rule.code != case.expect.rule:
        problems.append(f"rule {decision.rule.code!r} decided, expected {case.expect.rule!r}")
    return CaseOutcome(file, case.name, not problems, tuple(problems))


def _run_indicator_file(
    file: str,
    case_file: IndicatorCaseFile,
    catalog: Catalog,
    evaluate: IndicatorEvaluator | None,
) -> tuple[CaseOutcome, ...]:
    """Run every case against the indicator version in force on its period's last day."""
    try:
        indicator = catalog.indicator(case_file.indicator)
        period = Period.parse(case_file.period)
    except SpmError as exc:
        return (CaseOutcome(file, "*", False, (str(exc),)),)
    problems: list[str] = []
    if period.kind is not indicator.period_kind:
        problems.append(f"period {case_file.period} is not a {indicator.period_kind.value}")
    names = [c.name for c in case_file.cases]
    if len(names) != len(set(names)):
        problems.append("case names repeat")
    if problems:
        return (CaseOutcome(file, "*", False, tuple(problems)),)
    outcomes = []
    for case in case_file.cases:
        try:
            own = Period.parse(case.period or case_file.period)
            version = catalog.for_period(None, own).indicator(case_file.indicator)
        except SpmError as exc:
            outcomes.append(CaseOutcome(file, case.name, False, (str(exc),)))
            continue
        outcomes.append(_run_indicator(file, version, own, case, catalog, evaluate))
    return tuple(outcomes)


def _records(case: IndicatorCase) -> Iterable[tuple[str, CaseRecord]]:
    yield from ((case.subject.kind, r) for r in case.records)
    if isinstance(case.subject, HouseholdSubject):
        for member in case.subject.members:
            yield from (("resident", r) for r in member.records)


def _form_problems(
    indicator: Indicator, period: Period, case: IndicatorCase, catalog: Catalog
) -> list[str]:
    problems: list[str] = []
    if case.subject.kind != indicator.subject.value:
        problems.append(
            f"subject is a {case.subject.kind}, the indicator counts {indicator.subject.value}s"
        )
    served_without_denominator = case.expect.numerator and not case.expect.denominator
    if served_without_denominator and not isinstance(indicator.denominator, ExternalTarget):
        problems.append("served but not in the denominator")
    births = [m.birth_date for m in getattr(case.subject, "members", ())]
    if isinstance(case.subject, ResidentSubject):
        births.append(case.subject.birth_date)
    else:
        heads = [m for m in case.subject.members if m.relationship == 1]
        if len(heads) != 1:
            problems.append("a household has exactly one head (relationship 1)")
        for member in case.subject.members:
            try:
                Relationship.parse(member.relationship)
            except SpmError as exc:
                problems.append(str(exc))
    if case.expect.persons is not None and isinstance(case.subject, ResidentSubject):
        problems.append("only a household counts as several persons")
    if any(born > period.end for born in births):
        problems.append("someone is born after the period")
    for subject_kind, record in _records(case):
        try:
            record_type = catalog.record_type(record.type)
        except SpmError as exc:
            problems.append(str(exc))
            continue
        if record_type.subject is not Subject(subject_kind):
            problems.append(f"{record.type} records a {record_type.subject.value}")
        # A record after the period shows what a window leaves out (or, with
        # PeriodAndAfter, takes in); never later than the year after the period.
        if record.date.year > period.end.year + 1:
            problems.append(f"{record.type} on {record.date} is too long after the period")
        try:
            record_type.value_schema.model_validate(record.value)
        except pydantic.ValidationError as exc:
            problems.append(f"{record.type} value: {exc.errors()[0]['msg']}")
    return problems


def _run_indicator(
    file: str,
    indicator: Indicator,
    period: Period,
    case: IndicatorCase,
    catalog: Catalog,
    evaluate: IndicatorEvaluator | None,
) -> CaseOutcome:
    problems = _form_problems(indicator, period, case, catalog)
    if problems:
        return CaseOutcome(file, case.name, False, tuple(problems))
    if evaluate is None:
        return CaseOutcome(file, case.name, None)
    got = evaluate(indicator, period, case)
    expected = (case.expect.denominator, case.expect.numerator)
    if got != expected:
        return CaseOutcome(
            file,
            case.name,
            False,
            (f"(denominator, numerator) = {got}, expected {expected}",),
        )
    return CaseOutcome(file, case.name, True)


def _stamp(
    records: Iterable[CaseRecord],
    prefix: str,
    *,
    resident_id: str | None = None,
    household_id: str | None = None,
) -> list[Record]:
    return [
        Record(
            f"{prefix}-{i:03d}",
            r.type,
            r.date,
            datetime(r.date.year, r.date.month, r.date.day, 8, tzinfo=UTC),
            r.value,
            resident_id=resident_id,
            household_id=household_id,
        )
        for i, r in enumerate(records)
    ]


def case_population(case: IndicatorCase, village: str = "32.75.01.1001") -> Population:
    """Return one indicator case as an in-memory population (its subject's id is ``s``).

    Every person lives in ``village`` from birth; household members belong from birth.
    """
    posyandu = "p"
    if isinstance(case.subject, ResidentSubject):
        born = case.subject.birth_date
        person = Resident("s", born, case.subject.sex, (Stay(born, None, posyandu, village),))
        return Population.of([person], records=_stamp(case.records, "x", resident_id="s"))
    people, members = [], []
    records = _stamp(case.records, "x", household_id="s")
    for j, member in enumerate(case.subject.members):
        rid = f"m{j}"
        stay = Stay(member.birth_date, None, posyandu, village)
        people.append(Resident(rid, member.birth_date, member.sex, (stay,)))
        members.append(Membership("s", rid, member.birth_date, None, member.relationship))
        records += _stamp(member.records, f"m{j}x", resident_id=rid)
    return Population.of(people, [Household("s", posyandu, village)], members, records)


def reference_evaluator(catalog: Catalog) -> IndicatorEvaluator:
    """Return an evaluator running indicator cases through the reference interpreter.

    Each case becomes a one-subject population (:func:`case_population`); the subject is
    in the denominator when the reference evaluator counts it there (or the denominator
    is an external target), and served when it counts it in the numerator. Pass it to
    :func:`run_case_file` as ``evaluate``; the compliance suite does.
    """
    record_types = {r.code: r for r in catalog.record_types}

    def evaluate(indicator: Indicator, period: Period, case: IndicatorCase) -> tuple[bool, bool]:
        evaluator = Evaluator(case_population(case), period, record_types)
        counted = count_subject(evaluator, indicator, "s")
        target = isinstance(indicator.denominator, ExternalTarget)
        return (counted.in_denominator or target, counted.served)

    return evaluate
