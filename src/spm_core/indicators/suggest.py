"""Needs suggested from the data: the subjects whose records show a need not yet referred.

A need type may declare a ``trigger`` — an expression of the indicator language about its
subject (a child aged 7–15 whose latest school status is "not in school"; a household
whose latest sanitation record has no toilet). :func:`suggest_needs` lists, for one
area and one period, every resident or household in the actor's scope for which a
trigger holds over the period, **minus** those with a referral of that need that is
not closed yet (submitted, routed, accepted, rejected and awaiting rerouting, in
progress) — whoever raised it. Once that referral is resolved or cancelled, a subject
that still qualifies is suggested again.

The computation is the SQL interpreter's (:func:`~spm_core.indicators.sql.compile_conditions`):
one query per subject type for the whole area — every trigger a flag over the population
of the period's last day, the open referrals an anti-join — run through the store's
declared read :meth:`~spm_core.store.Store.match_subjects`, which builds the population
in the actor's scope itself. Nothing is evaluated per subject in Python. The semantics
are those of the reference evaluator; a differential test holds the two together.

Nothing is submitted here: a kader reviews the suggestions and confirms those to raise
(:meth:`spm_core.api.Registry.raise_suggested`). Each suggestion carries its
:attr:`~Suggestion.idempotency_key`, so confirming one twice creates one referral.

Example:
    >>> from spm_core.domain import Period, Subject
    >>> s = Suggestion("pendidikan.anak-tidak-sekolah", Subject.RESIDENT, "r-1", "p-1",
    ...                "32.75.01.1001", Period.parse("2025-06"))
    >>> s.idempotency_key
    'saran:pendidikan.anak-tidak-sekolah:resident:r-1:2025-06:0'
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from typing import Any

import attrs
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, not_, select
from sqlalchemy.sql.selectable import Subquery

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog, CatalogView
from spm_core.definitions import NeedType, RecordType
from spm_core.domain.enums import Subject
from spm_core.domain.period import Period
from spm_core.domain.referral import CLOSED
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import InvalidValue
from spm_core.indicators.report import region_of
from spm_core.indicators.sql import compile_conditions
from spm_core.store import Store
from spm_core.store.aggregate import Universe
from spm_core.store.subjects import Criterion

__all__ = [
    "SUGGESTED_SUBJECTS",
    "Suggestion",
    "count_suggestions",
    "suggest_needs",
    "suggestable",
]

SUGGESTED_SUBJECTS = (Subject.RESIDENT, Subject.HOUSEHOLD)
"""The subjects a need can be suggested for (no population of places is kept)."""

_KEY_PREFIX = "saran"
_KEY_LIMIT = 120


@attrs.frozen
class Suggestion:
    """A need the records show for one resident or household in one period.

    ``earlier`` is how many referrals of this need the subject had before (all closed by
    now — a subject with an open one is not suggested); it keeps the key of a need that
    returns after a resolved referral apart from the key of that referral.
    """

    need_type: str
    subject: Subject
    subject_id: str
    posyandu_id: str
    wilayah_code: str
    period: Period
    earlier: int = 0

    @property
    def idempotency_key(self) -> str:
        """The submission key of this suggestion: need, subject, period (and ``earlier``).

        Confirming the same suggestion again replays the referral it created. The key
        is readable when it fits the 120 characters a key may have, else a digest.
        """
        parts = (
            self.need_type,
            self.subject.value,
            self.subject_id,
            str(self.period),
            str(self.earlier),
        )
        key = ":".join((_KEY_PREFIX, *parts))
        if len(key) <= _KEY_LIMIT:
            return key
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        return f"{_KEY_PREFIX}:{digest}"

    def referral_data(self) -> dict[str, Any]:
        """Return the referral submission this suggestion becomes once confirmed."""
        field = "resident_id" if self.subject is Subject.RESIDENT else "household_id"
        return {
            "idempotency_key": self.idempotency_key,
            "need_type": self.need_type,
            field: self.subject_id,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the suggestion as JSON-ready data (with its idempotency key)."""
        return {
            "need_type": self.need_type,
            "subject": self.subject.value,
            "subject_id": self.subject_id,
            "posyandu_id": self.posyandu_id,
            "wilayah_code": self.wilayah_code,
            "period": str(self.period),
            "earlier": self.earlier,
            "idempotency_key": self.idempotency_key,
        }


def suggestable(view: CatalogView) -> tuple[NeedType, ...]:
    """Return the need types of ``view`` that can be suggested: a trigger, not a place."""
    return tuple(
        n for n in view.need_types if n.trigger is not None and n.subject in SUGGESTED_SUBJECTS
    )


def _chosen(view: CatalogView, codes: Iterable[str] | None) -> tuple[NeedType, ...]:
    if codes is None:
        return suggestable(view)
    out = []
    for code in dict.fromkeys(codes):
        need = view.need_type(code)
        if need.trigger is None or need.subject not in SUGGESTED_SUBJECTS:
            raise InvalidValue(
                value=code,
                reason_id="jenis kebutuhan ini tidak punya pemicu dari catatan warga atau "
                "rumah tangga; kader mengajukannya sendiri",
                reason_en="this need type has no trigger on a resident's or household's "
                "records; a kader raises it by hand",
            )
        out.append(need)
    return tuple(out)


def _criteria(
    universe: Universe,
    population: Subquery,
    needs: Collection[NeedType],
    subject: Subject,
    period: Period,
    record_types: dict[str, RecordType],
) -> list[Criterion]:
    referrals = universe.referrals()
    about = referrals.c.resident_id if subject is Subject.RESIDENT else referrals.c.household_id
    ident = population.c.resident_id if subject is Subject.RESIDENT else population.c.household_id
    not_closed = referrals.c.status.not_in(sorted(s.value for s in CLOSED))
    triggers = []
    for need in needs:
        assert need.trigger is not None
        triggers.append(need.trigger)
    conditions = compile_conditions(universe, triggers, period, record_types, population, subject)
    out = []
    for need, shows in zip(needs, conditions, strict=True):
        referred = select(about).where(
            referrals.c.need_type == need.code, about.is_not(None), not_closed
        )
        earlier = (
            select(func.count(referrals.c.group_id.distinct()))
            .where(referrals.c.need_type == need.code, about == ident)
            .scalar_subquery()
        )
        out.append(Criterion(need.code, and_(shows, not_(ident.in_(referred))), earlier))
    return out


def _view_region(store: Store, actor: Actor, area: KodeWilayah) -> KodeWilayah:
    """Return the region whose catalog view judges ``area``.

    The area itself when it lies in one kab/kota; above that, the actor's own region when
    it lies inside the area (a kader asking about the whole province still gets its
    kab/kota's needs), else the area.
    """
    if area.level >= WilayahLevel.KABUPATEN_KOTA:
        return area
    own = region_of(store, actor)
    if own is not None and own.level >= WilayahLevel.KABUPATEN_KOTA and area.contains(own):
        return own
    return area


def suggest_needs(
    store: Store,
    catalog: Catalog,
    actor: Actor,
    area: KodeWilayah | str,
    period: Period | str,
    *,
    need_types: Iterable[str] | None = None,
    purpose: Purpose | str | None = None,
) -> tuple[Suggestion, ...]:
    """List the needs the records show in ``area`` over ``period``, not referred yet.

    Args:
        store: where the people, records and referrals are.
        catalog: the definitions in force on the period's last day, in the view of
            ``area``'s kab/kota (for an area above a kab/kota: the actor's own kab/kota
            when it lies inside, else the area's view).
        actor: who asks. Only subjects in its scope are listed: a kader's own posyandu;
            the area of a desa/kelurahan officer or operator; nothing for roles that do
            not read residents' rows (agency officers, Tim Pembina, researchers).
        area: the region to look in (any level); subjects living there on the
            period's last day.
        period: a :class:`~spm_core.domain.Period` or its text (``"2025-06"``).
        need_types: only these need types (each must have a trigger about a resident or
            a household); by default every such need type of the view.
        purpose: why the subjects are read; required of everyone but a kader (see
            :meth:`~spm_core.store.Store.match_subjects`).

    Returns:
        One :class:`Suggestion` per need and subject, ordered by posyandu, village,
        need type and subject id.

    Raises:
        InvalidValue: a malformed area or period, or a need type that cannot be
            suggested (no trigger, or about a place).
        PurposeRequired: no purpose and the actor is not a kader.
        UnknownCode: an unknown need type.
    """
    the_period = period if isinstance(period, Period) else Period.parse(period)
    code = area if isinstance(area, KodeWilayah) else KodeWilayah.parse(area)
    view = catalog.for_period(_view_region(store, actor, code), the_period)
    needs = _chosen(view, need_types)
    record_types = {r.code: r for r in view.record_types}
    found: list[Suggestion] = []
    for subject in SUGGESTED_SUBJECTS:
        group = [n for n in needs if n.subject is subject]
        if not group:
            continue
        matches = store.match_subjects(
            actor,
            subject,
            the_period.end,
            lambda universe, population, group=group, subject=subject: _criteria(  # type: ignore[misc]
                universe, population, group, subject, the_period, record_types
            ),
            area=code,
            purpose=purpose,
        )
        for match in matches:
            for need_code, earlier in match.matched.items():
                found.append(
                    Suggestion(
                        need_code,
                        subject,
                        match.subject.id,
                        match.posyandu_id,
                        match.wilayah_code,
                        the_period,
                        earlier,
                    )
                )
    found.sort(key=lambda s: (s.posyandu_id, s.wilayah_code, s.need_type, s.subject_id))
    return tuple(found)


def count_suggestions(
    store: Store,
    catalog: Catalog,
    actor: Actor,
    period: Period | str,
) -> dict[str, int | None]:
    """Count, per posyandu in ``actor``'s scope, the needs :func:`suggest_needs` would list.

    The same rule — a need type's trigger holds over the period for a resident or
    household living at the posyandu on its last day, and no referral of that need is
    open for them — counted through the store's aggregate path, so every role that may
    count (a Tim Pembina, a researcher) gets numbers and never a subject. A withheld
    small count is ``None``.
    """
    the_period = period if isinstance(period, Period) else Period.parse(period)
    region = actor.area
    if region is None:
        posyandu = store.list_posyandu(actor)
        region = posyandu[0].wilayah_code if posyandu else None
    view = catalog.for_period(region, the_period)
    needs = suggestable(view)
    record_types = {r.code: r for r in view.record_types}
    out: dict[str, int | None] = {}
    for subject in SUGGESTED_SUBJECTS:
        group = [n for n in needs if n.subject is subject]
        if not group:
            continue

        def build(
            universe: Universe, group: list[NeedType] = group, subject: Subject = subject
        ) -> Select[Any]:
            population = (
                universe.residents_on(the_period.end)
                if subject is Subject.RESIDENT
                else universe.households_on(the_period.end)
            )
            criteria = _criteria(universe, population, group, subject, the_period, record_types)
            total: ColumnElement[Any] = literal(0)
            for criterion in criteria:
                total = total + case((criterion.holds, 1), else_=0)
            return select(
                population.c.posyandu_id,
                population.c.wilayah_code,
                func.coalesce(func.sum(total), 0).label("suggested"),
            ).group_by(population.c.posyandu_id, population.c.wilayah_code)

        counts = store.aggregate(actor, build, level="posyandu")
        for key, values in counts.rows.items():
            posyandu_id, value = str(key[0]), values[0]
            before = out.get(posyandu_id, 0)
            out[posyandu_id] = None if value is None or before is None else before + value
    return out
