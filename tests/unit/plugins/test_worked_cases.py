"""The worked cases shipped in each field plugin's ``cases/`` folder are well-formed.

Each case file names one indicator and a period, and lists subjects with their records
and whether the subject is counted in the denominator and as served. Until the evaluator
runs them, this test keeps them honest: every code they name is defined, every record
value passes its record type's value schema, every subject has the indicator's kind,
and every indicator has cases on both sides of its numerator.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Literal

import pydantic
import pytest
import yaml

from spm_core.catalog import Catalog
from spm_core.definitions import ExternalTarget
from spm_core.domain import Period, Relationship, Sex, Subject, Text

FIELDS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")


class _Model(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid", frozen=True)


class CaseText(_Model):
    id: str = pydantic.Field(min_length=1)
    en: str = pydantic.Field(min_length=1)


class CaseRecord(_Model):
    type: str
    date: date
    value: dict[str, object]


class CaseMember(_Model):
    birth_date: date
    sex: Sex
    relationship: int
    records: tuple[CaseRecord, ...] = ()


class ResidentSubject(_Model):
    kind: Literal["resident"]
    birth_date: date
    sex: Sex


class HouseholdSubject(_Model):
    kind: Literal["household"]
    members: tuple[CaseMember, ...] = pydantic.Field(min_length=1)


class Expect(_Model):
    denominator: bool
    numerator: bool
    persons: int | None = pydantic.Field(default=None, ge=1)


class Case(_Model):
    name: str = pydantic.Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: CaseText
    period: str | None = None
    subject: ResidentSubject | HouseholdSubject = pydantic.Field(discriminator="kind")
    records: tuple[CaseRecord, ...] = ()
    expect: Expect


class CaseFile(_Model):
    indicator: str
    period: str
    cases: tuple[Case, ...] = pydantic.Field(min_length=2)


def _case_files() -> list[tuple[str, Path]]:
    out = []
    for ep in sorted(md.entry_points(group="spm"), key=lambda e: e.name):
        if ep.name not in FIELDS:
            continue
        package = importlib.import_module(ep.value)
        assert package.__file__ is not None
        folder = Path(package.__file__).parent / "cases"
        out.extend((ep.name, path) for path in sorted(folder.glob("*.yaml")))
    return out


CASE_FILES = _case_files()


def _load(path: Path) -> CaseFile:
    return CaseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_every_field_plugin_ships_cases() -> None:
    assert {plugin for plugin, _ in CASE_FILES} == set(FIELDS)


@pytest.mark.parametrize(
    ("plugin", "path"), CASE_FILES, ids=[f"{p}/{f.name}" for p, f in CASE_FILES]
)
def test_case_file_is_well_formed(spm_catalog: Catalog, plugin: str, path: Path) -> None:
    case_file = _load(path)
    assert path.stem == case_file.indicator.split(".", 1)[1]
    names = [case.name for case in case_file.cases]
    assert len(names) == len(set(names)), names
    for case in case_file.cases:
        # A case may name its own period (another dated version, a quarter); the version
        # in force on that period's last day is the one the case is about.
        period = Period.parse(case.period or case_file.period)
        indicator = spm_catalog.for_period(None, period).indicator(case_file.indicator)
        assert indicator.provenance is not None
        assert indicator.provenance.plugin == plugin
        assert indicator.validity.contains(period.end)
        if case.period is None:
            assert period.kind is indicator.period_kind
        Text(case.title.id, case.title.en)
        assert case.subject.kind == indicator.subject.value, case.name
        if case.expect.numerator and not isinstance(indicator.denominator, ExternalTarget):
            assert case.expect.denominator, case.name
        if case.expect.persons is not None:
            assert isinstance(case.subject, HouseholdSubject), case.name
        records = [(case.subject.kind, r) for r in case.records]
        if isinstance(case.subject, HouseholdSubject):
            heads = [m for m in case.subject.members if m.relationship == 1]
            assert len(heads) == 1, case.name
            for member in case.subject.members:
                Relationship.parse(member.relationship)
                assert member.birth_date <= period.end, case.name
                records += [("resident", r) for r in member.records]
        else:
            assert case.subject.birth_date <= period.end, case.name
        for subject_kind, record in records:
            record_type = spm_catalog.record_type(record.type)
            assert record_type.subject is Subject(subject_kind), (case.name, record.type)
            # A record after the period shows what a window leaves out (or, with
            # PeriodAndAfter, takes in); it is never later than a year after the period.
            assert record.date.year <= period.end.year + 1, (case.name, record.type)
            record_type.value_schema.model_validate(record.value)


def test_every_indicator_has_cases_on_both_sides(spm_catalog: Catalog) -> None:
    outcomes: dict[str, set[tuple[bool, bool]]] = defaultdict(set)
    for _plugin, path in CASE_FILES:
        case_file = _load(path)
        for case in case_file.cases:
            outcomes[case_file.indicator].add((case.expect.denominator, case.expect.numerator))
    for indicator in spm_catalog.indicators:
        seen = outcomes.get(indicator.code, set())
        assert (True, True) in seen, indicator.code
        assert (True, False) in seen, indicator.code
