"""Why one resident or household is, or is not, counted by an indicator.

:func:`explain_subject` reads the subject from the store through the actor's scoped reads
— the resident (or household), their domiciles, households and fellow members, and the
records of each — into a :class:`~spm_core.indicators.population.Population`, and runs
the reference evaluator on it. Only roles that may read rows (kader, desa/kelurahan
officer, operator) can ask; for anyone else the subject reads as not found.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.domain.enums import Subject
from spm_core.domain.period import Period
from spm_core.errors import InvalidValue
from spm_core.indicators.population import Household, Membership, Population, Record, Resident, Stay
from spm_core.indicators.reference import Evaluator, Explanation, count_subject
from spm_core.indicators.report import region_of
from spm_core.store import Store, SubjectRef

__all__ = [
    "NeedExplanation",
    "SubjectExplanation",
    "explain_need",
    "explain_subject",
    "load_subject",
]


@attrs.frozen
class SubjectExplanation:
    """An indicator's verdict on one subject, with the explanation of each part."""

    indicator: str
    subject: str
    period: str
    present: bool
    """Whether the subject is alive and domiciled in the region on the period's last day."""
    in_denominator: bool
    served: bool
    denominator: Explanation
    numerator: Explanation

    def lines(self, lang: str = "en") -> list[str]:
        """Return the verdict and both explanations as lines in ``lang`` (``id``/``en``)."""
        yes_no = {True: ("ya", "yes"), False: ("tidak", "no")}
        pick = 0 if lang == "id" else 1
        absent = (
            "tidak hidup dan berdomisili di wilayah pada akhir periode",
            "not alive and domiciled in the region on the period's last day",
        )
        head = (
            f"{self.indicator} {self.period} — {self.subject}: "
            + ("" if self.present else absent[pick] + "; ")
            + ("penyebut" if lang == "id" else "denominator")
            + f" {yes_no[self.in_denominator][pick]}, "
            + ("terlayani" if lang == "id" else "served")
            + f" {yes_no[self.served][pick]}"
        )
        return [
            head,
            "penyebut:" if lang == "id" else "denominator:",
            *self.denominator.lines(lang, 1),
            "pembilang:" if lang == "id" else "numerator:",
            *self.numerator.lines(lang, 1),
        ]


@attrs.frozen
class NeedExplanation:
    """Whether the records show a need for one subject in a period, and why.

    The verdict of the need type's trigger, node by node (the reference evaluator's
    explanation), as the need suggestions judge it. Whether a referral of the need is
    already open is not part of it: that is the referral's own status.
    """

    need_type: str
    subject: str
    period: str
    present: bool
    """Whether the subject is alive and domiciled in the region on the period's last day."""
    shows: bool
    """Whether the trigger holds (and the subject is present)."""
    trigger: Explanation

    def lines(self, lang: str = "en") -> list[str]:
        """Return the verdict and the trigger's explanation as lines in ``lang``."""
        pick = 0 if lang == "id" else 1
        verdict = (
            ("catatan menunjukkan kebutuhan ini", "the records show this need")
            if self.shows
            else ("catatan tidak menunjukkan kebutuhan ini", "the records do not show this need")
        )
        absent = (
            "tidak hidup dan berdomisili di wilayah pada akhir periode; ",
            "not alive and domiciled in the region on the period's last day; ",
        )
        head = (
            f"{self.need_type} {self.period} — {self.subject}: "
            + ("" if self.present else absent[pick])
            + verdict[pick]
        )
        return [head, "pemicu:" if lang == "id" else "trigger:", *self.trigger.lines(lang, 1)]


def _records(
    store: Store, actor: Actor, subject: SubjectRef, purpose: Purpose | str | None
) -> list[Record]:
    out = []
    for r in store.list_records(actor, subject=subject, purpose=purpose):
        out.append(
            Record(
                r.id,
                r.record_type,
                r.observed_on,
                r.created_at,
                r.value,
                resident_id=subject.id if subject.kind is Subject.RESIDENT else None,
                household_id=subject.id if subject.kind is Subject.HOUSEHOLD else None,
            )
        )
    return out


def _resident(
    store: Store, actor: Actor, resident_id: str, purpose: Purpose | str | None
) -> Resident:
    found = store.get_resident(actor, resident_id, purpose=purpose)
    stays = tuple(
        Stay(d.since, d.until, d.posyandu_id, str(d.wilayah_code))
        for d in store.resident_domiciles(actor, resident_id, purpose=purpose)
    )
    return Resident(found.id, found.birth_date, found.sex, stays, found.died_on, found.restricted)


def load_subject(
    store: Store,
    actor: Actor,
    kind: Subject,
    subject_id: str,
    period: Period,
    *,
    purpose: Purpose | str | None = None,
) -> Population:
    """Read one subject, its households, their members and all their records.

    ``purpose`` is passed to every read (required of everyone but a kader); each read
    with one is logged. Through :class:`~spm_core.api.Registry` the whole explanation
    is one log line.

    Raises:
        NotFound: the subject is absent or outside the actor's scope.
    """
    day = period.end
    residents: dict[str, Resident] = {}
    memberships: list[Membership] = []
    households: dict[str, Household] = {}
    if kind is Subject.RESIDENT:
        residents[subject_id] = _resident(store, actor, subject_id, purpose)
        household_ids: Iterable[str] = {
            m.household_id for m in store.resident_memberships(actor, subject_id, purpose=purpose)
        }
    else:
        household_ids = [subject_id]
    for household_id in sorted(household_ids):
        home = store.get_household(actor, household_id, purpose=purpose)
        households[home.id] = Household(home.id, home.posyandu_id, str(home.wilayah_code))
        for m in store.household_members(actor, household_id, day, purpose=purpose):
            memberships.append(
                Membership(m.household_id, m.resident_id, m.start, m.end, int(m.relationship))
            )
            if m.resident_id not in residents:
                residents[m.resident_id] = _resident(store, actor, m.resident_id, purpose)
    records: list[Record] = []
    for rid in sorted(residents):
        records += _records(store, actor, SubjectRef.resident(rid), purpose)
    for hid in sorted(households):
        records += _records(store, actor, SubjectRef.household(hid), purpose)
    return Population.of(residents.values(), households.values(), memberships, records)


def explain_subject(
    store: Store,
    catalog: Catalog,
    actor: Actor,
    indicator_code: str,
    subject_id: str,
    period: Period | str,
    *,
    purpose: Purpose | str | None = None,
) -> SubjectExplanation:
    """Explain whether ``subject_id`` is in ``indicator_code``'s denominator and served.

    The indicator's subject says whether ``subject_id`` names a resident or a household.

    Raises:
        UnknownCode: no such indicator.
        NotFound: the subject is absent or outside the actor's scope.
    """
    the_period = period if isinstance(period, Period) else Period.parse(period)
    view = catalog.for_period(region_of(store, actor), the_period)
    indicator = view.indicator(indicator_code)
    population = load_subject(
        store, actor, indicator.subject, subject_id, the_period, purpose=purpose
    )
    record_types = {r.code: r for r in view.record_types}
    ev = Evaluator(population, the_period, record_types)
    kind = indicator.subject.value
    counted = count_subject(ev, indicator, subject_id)
    if indicator.subject is Subject.RESIDENT:
        present = subject_id in population.residents_on(the_period.end)
    else:
        present = subject_id in population.households_on(the_period.end)
    return SubjectExplanation(
        indicator.code,
        subject_id,
        str(the_period),
        present,
        present and (counted.in_denominator or indicator.target is not None),
        present and counted.served,
        ev.explain(indicator.denominator, kind, subject_id),
        ev.explain(indicator.numerator, kind, subject_id),
    )


def explain_need(
    store: Store,
    catalog: Catalog,
    actor: Actor,
    need_code: str,
    subject_id: str,
    period: Period | str,
    *,
    purpose: Purpose | str | None = None,
) -> NeedExplanation:
    """Explain whether the records show need ``need_code`` for ``subject_id`` in ``period``.

    The need type's subject says whether ``subject_id`` names a resident or a household.
    This is the reasoning behind a
    :class:`~spm_core.indicators.suggest.Suggestion`.

    Raises:
        UnknownCode: no such need type.
        InvalidValue: the need type has no trigger, or is about a place.
        NotFound: the subject is absent or outside the actor's scope.
    """
    the_period = period if isinstance(period, Period) else Period.parse(period)
    view = catalog.for_period(region_of(store, actor), the_period)
    need = view.need_type(need_code)
    if need.trigger is None or need.subject not in (Subject.RESIDENT, Subject.HOUSEHOLD):
        raise InvalidValue(
            value=need_code,
            reason_id="jenis kebutuhan ini tidak punya pemicu dari catatan warga atau rumah tangga",
            reason_en="this need type has no trigger on a resident's or household's records",
        )
    population = load_subject(store, actor, need.subject, subject_id, the_period, purpose=purpose)
    ev = Evaluator(population, the_period, {r.code: r for r in view.record_types})
    explanation = ev.explain(need.trigger, need.subject.value, subject_id)
    if need.subject is Subject.RESIDENT:
        present = subject_id in population.residents_on(the_period.end)
    else:
        present = subject_id in population.households_on(the_period.end)
    return NeedExplanation(
        need.code, subject_id, str(the_period), present, present and explanation.holds, explanation
    )
