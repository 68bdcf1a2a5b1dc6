"""The :class:`Store`: every scoped read and audited write of spm-core's data.

Every public method takes the :class:`~spm_core.access.Actor` first and is marked with
the rows it reads or writes (:mod:`spm_core.store.declare`); writes also take a
:class:`~spm_core.access.Purpose`, append their audit rows in the same transaction and
are all-or-nothing. A row outside the actor's scope is reported exactly like a row that
does not exist.
"""

from __future__ import annotations

from spm_core.store._domicile import DomicileMixin
from spm_core.store._export import ExportMixin
from spm_core.store._incident import IncidentMixin
from spm_core.store._loading import LoadingMixin
from spm_core.store._membership import MembershipMixin
from spm_core.store._people import PeopleMixin
from spm_core.store._places import PlacesMixin
from spm_core.store._planning import PlanningMixin
from spm_core.store._plans import PlansMixin
from spm_core.store._privacy import PrivacyMixin
from spm_core.store._records import RecordsMixin
from spm_core.store._referrals import ReferralsMixin
from spm_core.store._research import ResearchMixin
from spm_core.store.aggregate import AggregateMixin
from spm_core.store.bulk import BulkMixin
from spm_core.store.columns import ColumnsMixin
from spm_core.store.subjects import SubjectsMixin

__all__ = ["Store"]


class Store(
    PlacesMixin,
    PeopleMixin,
    DomicileMixin,
    MembershipMixin,
    RecordsMixin,
    PlanningMixin,
    PlansMixin,
    ReferralsMixin,
    PrivacyMixin,
    ResearchMixin,
    IncidentMixin,
    BulkMixin,
    AggregateMixin,
    ColumnsMixin,
    SubjectsMixin,
    LoadingMixin,
    ExportMixin,
):
    """The database of one deployment, read and written on behalf of actors.

    Open one with :func:`~spm_core.store.open_store`; close it with :meth:`close` or use
    it as a context manager.

    Example:
        >>> from spm_core.access import Actor, AreaScope, Purpose, Role
        >>> from spm_core.domain import KodeWilayah
        >>> from spm_core.store import open_store
        >>> store = open_store("sqlite://")
        >>> operator = Actor("op-1", Role.OPERATOR, AreaScope(KodeWilayah("32.75")))
        >>> p = store.add_posyandu(operator, {"name": "Mawar", "wilayah_code": "3275011001"},
        ...                        Purpose.ADMINISTRASI)
        >>> store.get_posyandu(operator, p.id).name
        'Mawar'
        >>> store.close()
    """

    def __enter__(self) -> Store:
        return self
