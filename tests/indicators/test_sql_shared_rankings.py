"""Conditions compiled apart meet in one query: their shared rankings never share a name.

Need suggestions compile each need type's trigger on its own and test them all in one
query. Two triggers reading the latest record of a type (the household's water source,
its sanitation) each bring a ranking CTE; the query must compile with both.
"""

from __future__ import annotations

import re

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite

from spm_core.access import Actor, AreaScope, Role
from spm_core.catalog import Catalog
from spm_core.domain import KodeWilayah, Period, Subject
from spm_core.indicators.sql import compile_holds
from spm_core.plugins import make_plugin_manager
from spm_core.store.aggregate import Universe


def test_two_latest_value_triggers_compile_in_one_query() -> None:
    catalog = Catalog.build(make_plugin_manager())
    period = Period.parse("2025-Q1")
    universe = Universe(Actor("op", Role.OPERATOR, AreaScope(KodeWilayah("32.75"))))
    homes = universe.households_on(period.end)
    types = {r.code: r for r in catalog.record_types}
    conditions = []
    for need in ("pupr.air-minum-tidak-layak", "pupr.penyedotan-tinja"):
        trigger = catalog.need_type(need).trigger
        assert trigger is not None
        conditions.append(compile_holds(universe, trigger, period, types, homes, Subject.HOUSEHOLD))
    query = select(homes.c.household_id).where(or_(*conditions))
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        text = str(query.compile(dialect=dialect))
        ctes = re.findall(r"(\w+) AS \s*\(", text)
        assert len(ctes) >= 2, text
        assert len(ctes) == len(set(ctes)), ctes
