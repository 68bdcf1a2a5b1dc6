"""A report reads the records of one type once, however many of its atoms use that type.

The balita indicators ask of the weighings both "weighed in the period" and "weighed
in at least N distinct months"; the screening indicators ask three things of one
screening. Each record atom used to be its own set, each reading the type's records
again. Now the atoms of one type are columns of one grouped pass (a CTE), which each
set reads: the type's name is bound once in the query. The differential test
(``test_differential.py``) holds the counts equal to the reference evaluator's.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy.dialects import postgresql, sqlite

from spm_core.access import Actor, AreaScope, Role
from spm_core.catalog import Catalog
from spm_core.definitions import DaysAfter, HasRecord, LatestValue, RecordCount
from spm_core.domain import KodeWilayah, Period, Subject
from spm_core.indicators.sql import _atoms, compile_counts
from spm_core.plugins import make_plugin_manager
from spm_core.store.aggregate import Universe

CATALOG = Catalog.build(make_plugin_manager())
TYPES = {r.code: r for r in CATALOG.record_types}
PERIOD = Period.whole_year(2025)
UNIVERSE = Universe(Actor("op", Role.OPERATOR, AreaScope(KodeWilayah("32.75"))))


def _record_atoms(subject: Subject) -> Counter[str]:
    """How many distinct record atoms (a record, a count of records) each type has.

    Types read elsewhere too — as the anchor of a ``DaysAfter`` window (the delivery the
    antenatal visits lead up to) or by a latest-value ranking — are left out: those
    reads are of other sets.
    """
    every = {
        atom
        for indicator in CATALOG.indicators
        if indicator.subject is subject
        for expr in (indicator.denominator, indicator.numerator)
        for atom in _atoms(expr)
    }
    elsewhere = {a.record_type for a in every if isinstance(a, LatestValue)}
    elsewhere |= {
        a.window.record_type for a in every if isinstance(getattr(a, "window", None), DaysAfter)
    }
    return Counter(
        atom.record_type
        for atom in every
        if (isinstance(atom, HasRecord) or (isinstance(atom, RecordCount) and atom.at_least > 0))
        and atom.record_type not in elsewhere
    )


@pytest.mark.parametrize("subject", [Subject.RESIDENT, Subject.HOUSEHOLD])
@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()], ids=["sqlite", "pg"])
def test_each_record_type_is_read_in_one_pass(subject: Subject, dialect: object) -> None:
    atoms = _record_atoms(subject)
    shared = {code for code, n in atoms.items() if n > 1}
    if subject is Subject.RESIDENT:
        # the case the pass exists for: several questions asked of one type
        assert {"kesehatan.penimbangan", "kesehatan.skrining"} <= shared
    indicators = [i for i in CATALOG.indicators if i.subject is subject]
    query = compile_counts(UNIVERSE, indicators, PERIOD, TYPES)
    compiled = query.compile(dialect=dialect)  # type: ignore[arg-type]
    bound = Counter(v for v in compiled.params.values() if isinstance(v, str))
    for code in shared:
        assert bound[code] == 1, (code, bound[code])
