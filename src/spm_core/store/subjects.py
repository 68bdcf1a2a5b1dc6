"""Subjects that meet conditions: the scoped path from the indicator engine to people.

Counting (:mod:`spm_core.store.aggregate`) returns numbers per area; some questions need
the people themselves — which children in this kelurahan show a need the records
reveal. :meth:`SubjectsMixin.match_subjects` answers them in one query for a whole area:
the store builds the driving population (residents or households alive and domiciled on
a day, in the actor's scope, optionally narrowed to an area), the caller adds named
conditions over it (SQL built on the same :class:`~spm_core.store.aggregate.Universe`
the counts use), and back come the subjects for which at least one condition holds.

Because the store builds the population and picks the returned columns itself, a
condition can only select among subjects the actor may see; conditions may read any
record or referral (a need already referred from another posyandu still counts).
Residents whose processing is restricted (UU PDP 27/2022 Ps. 11) are never matched.
Only roles that read personal rows get matches (kader, desa/kelurahan officer,
operator); every other role gets an empty list, exactly as for an area with nobody in
it.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs
from sqlalchemy import ColumnElement, Select, Subquery, case, false, literal, or_, select, text

from spm_core.access import Actor, Purpose, may_read
from spm_core.domain.enums import Subject
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import InvalidValue
from spm_core.store._core import StoreCore
from spm_core.store._places import as_area
from spm_core.store._scoping import in_area
from spm_core.store.aggregate import Universe
from spm_core.store.declare import reads
from spm_core.store.values import SubjectRef

__all__ = ["Criterion", "MatchBuilder", "SubjectMatch", "SubjectsMixin"]


@attrs.frozen
class Criterion:
    """One named condition over the driving population.

    ``holds`` is a boolean SQL expression over the population's columns (for residents
    ``resident_id``, ``posyandu_id``, ``wilayah_code``, ``birth_date``, ``sex``; for
    households ``household_id``, ``posyandu_id``, ``wilayah_code``). ``number``, when
    given, is an integer expression reported with each match (for example how many
    referrals of a need the subject had before).
    """

    name: str
    holds: ColumnElement[bool]
    number: ColumnElement[Any] | None = None


MatchBuilder = Callable[[Universe, Subquery], Sequence[Criterion]]
"""Given the actor's universe and the driving population, return the conditions."""


def _frozen(value: Mapping[str, int]) -> Mapping[str, int]:
    return types.MappingProxyType(dict(value))


@attrs.frozen
class SubjectMatch:
    """A subject for which at least one condition holds, where it lives, and which ones.

    ``matched`` maps the name of each condition that holds to its number (0 when the
    condition has none).
    """

    subject: SubjectRef
    posyandu_id: str
    wilayah_code: str
    matched: Mapping[str, int] = attrs.field(converter=_frozen)


def _duplicate(name: str) -> InvalidValue:
    return InvalidValue(
        value=name,
        reason_id="nama kondisi harus unik dalam satu kueri",
        reason_en="condition names must be unique within one query",
    )


class SubjectsMixin(StoreCore):
    """The subjects of an area that meet conditions: the declared path to people."""

    @reads("record")
    def match_subjects(
        self,
        actor: Actor,
        subject: Subject | str,
        day: date,
        build: MatchBuilder,
        *,
        purpose: Purpose | str | None = None,
        area: KodeWilayah | str | None = None,
    ) -> list[SubjectMatch]:
        """Return the residents or households of ``actor``'s scope meeting a condition.

        Args:
            actor: who asks; only subjects in its scope are considered.
            subject: ``resident`` or ``household``.
            day: the population of this day (alive and domiciled; households placed
                where their head lives).
            build: returns the named conditions (:class:`Criterion`) over the
                population it is given.
            area: only subjects living in this region (any level) on ``day``.
            purpose: why the subjects are read; required of everyone but a kader, and
                a read with one is logged with its count.

        Returns:
            One :class:`SubjectMatch` per subject meeting at least one condition, by
            posyandu, village and subject id.

        Raises:
            InvalidValue: a subject kind other than resident or household, or two
                conditions with one name.
        """
        kind = Subject(subject)
        if kind not in (Subject.RESIDENT, Subject.HOUSEHOLD):
            raise InvalidValue(
                value=kind.value,
                reason_id="hanya warga atau rumah tangga yang dapat dicocokkan",
                reason_en="only residents or households can be matched",
            )
        narrowed = None if area is None else as_area(area)
        if not may_read(actor, "record"):
            return []
        universe = Universe(actor)
        if kind is Subject.RESIDENT:
            population = universe.residents_on(day)
            ident = population.c.resident_id
        else:
            population = universe.households_on(day)
            ident = population.c.household_id
        criteria = list(build(universe, population))
        names = [c.name for c in criteria]
        for name in names:
            if names.count(name) > 1:
                raise _duplicate(name)
        if not criteria:
            return []
        query = self._match_query(population, ident, criteria, narrowed)
        out = []
        with self._db.read() as session:
            if not self._db.is_sqlite:
                session.execute(text("SET LOCAL work_mem = '64MB'"))
            for row in session.execute(query):
                values = tuple(row)
                matched: dict[str, int] = {}
                for i, criterion in enumerate(criteria):
                    if values[3 + 2 * i]:
                        number = values[4 + 2 * i]
                        matched[criterion.name] = int(number or 0)
                out.append(
                    SubjectMatch(
                        SubjectRef(kind, str(values[0])), str(values[1]), str(values[2]), matched
                    )
                )
        return out

    @staticmethod
    def _match_query(
        population: Subquery,
        ident: Any,
        criteria: Sequence[Criterion],
        area: KodeWilayah | None,
    ) -> Select[Any]:
        columns: list[Any] = [ident, population.c.posyandu_id, population.c.wilayah_code]
        for i, criterion in enumerate(criteria):
            columns.append(case((criterion.holds, 1), else_=0).label(f"m{i}"))
            number = literal(0) if criterion.number is None else criterion.number
            columns.append(number.label(f"n{i}"))
        query = select(*columns).where(or_(false(), *(c.holds for c in criteria)))
        if area is not None:
            query = query.where(in_area(population.c.wilayah_code, area))
        return query.order_by(population.c.posyandu_id, population.c.wilayah_code, ident)
