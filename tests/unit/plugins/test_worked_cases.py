"""The worked cases shipped in each field plugin's ``cases/`` folder.

Each case file follows the shared format of :mod:`spm_core.testing.cases` and is run by
its runner: every code a case names is defined, every record value passes its record
type's value schema, every subject has the indicator's kind, and every indicator has
cases on both sides of its numerator; and the runner evaluates each case through the
reference interpreter (both interpreters, on both databases, in
``tests/indicators/test_worked_cases_engines.py``).
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
from collections import defaultdict
from pathlib import Path

import pytest

from spm_core.catalog import Catalog
from spm_core.testing.cases import (
    IndicatorCaseFile,
    case_files,
    load_case_file,
    reference_evaluator,
    run_case_file,
)

FIELDS = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")


def _case_files() -> list[tuple[str, Path]]:
    out = []
    for ep in sorted(md.entry_points(group="spm"), key=lambda e: e.name):
        if ep.name not in FIELDS:
            continue
        package = importlib.import_module(ep.value)
        assert package.__file__ is not None
        out.extend((ep.name, path) for path in case_files(Path(package.__file__).parent / "cases"))
    return out


CASE_FILES = _case_files()


def test_every_field_plugin_ships_cases() -> None:
    assert {plugin for plugin, _ in CASE_FILES} == set(FIELDS)


@pytest.mark.parametrize(
    ("plugin", "path"), CASE_FILES, ids=[f"{p}/{f.name}" for p, f in CASE_FILES]
)
def test_case_file_is_well_formed(spm_catalog: Catalog, plugin: str, path: Path) -> None:
    case_file = load_case_file(path)
    assert isinstance(case_file, IndicatorCaseFile)
    indicator = spm_catalog.indicator(case_file.indicator)
    assert indicator.provenance is not None
    assert indicator.provenance.plugin == plugin
    assert path.stem == case_file.indicator.split(".", 1)[1]
    outcomes = run_case_file(path, spm_catalog, evaluate=reference_evaluator(spm_catalog))
    assert [o for o in outcomes if o.passed is not True] == []
    assert len(outcomes) == len(case_file.cases)


def test_every_indicator_has_cases_on_both_sides(spm_catalog: Catalog) -> None:
    outcomes: dict[str, set[tuple[bool, bool]]] = defaultdict(set)
    for _plugin, path in CASE_FILES:
        case_file = load_case_file(path)
        assert isinstance(case_file, IndicatorCaseFile)
        for case in case_file.cases:
            outcomes[case_file.indicator].add((case.expect.denominator, case.expect.numerator))
    for indicator in spm_catalog.indicators:
        seen = outcomes.get(indicator.code, set())
        assert (True, True) in seen, indicator.code
        assert (True, False) in seen, indicator.code
