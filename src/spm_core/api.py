"""The :class:`Registry`: the one object an application holds.

It builds the plugin manager, the catalog and the store from configuration passed in
(never read from the environment), and closes them together.

Example:
    >>> from spm_core.api import Registry
    >>> with Registry.open("sqlite://") as registry:
    ...     registry.schema_revision == registry.store.schema_revision()
    True
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.domain import Period, SpmField
from spm_core.domain.pseudonym import DatePrecision, ResearchKey
from spm_core.errors import Notice
from spm_core.indicators.explain import SubjectExplanation, explain_subject
from spm_core.indicators.report import Report, compute_report
from spm_core.plugins import SpmPluginManager, make_plugin_manager
from spm_core.privacy import (
    IncidentReport,
    ResearchExtract,
    SubjectExport,
    erase_subject,
    export_subject,
    incident_report,
    read_records,
    read_resident,
    research_extract,
)
from spm_core.schemas import RecordIn
from spm_core.store import (
    DEFAULT_URL,
    Erasure,
    Record,
    Resident,
    RetentionRule,
    Store,
    SubjectRef,
    SubjectRequest,
    open_store,
)
from spm_core.store.aggregate import ReportLevel
from spm_core.store.declare import aggregates, no_rows, reads, writes

__all__ = ["Registry"]


class Registry:
    """Plugins, catalog and store of one deployment.

    Attributes:
        plugin_manager: the pluggy manager with every loaded plugin.
        catalog: the validated, frozen catalog built from those plugins.
        store: the database, read and written on behalf of actors.
    """

    def __init__(self, plugin_manager: SpmPluginManager, catalog: Catalog, store: Store) -> None:
        self.plugin_manager = plugin_manager
        self.catalog = catalog
        self.store = store

    @classmethod
    @no_rows
    def open(
        cls,
        db_url: str = DEFAULT_URL,
        *,
        allow: Collection[str] | None = None,
        deny: Collection[str] = (),
        extra_plugins: Iterable[object] | Mapping[str, object] = (),
        upgrade: bool = True,
        rls: bool | str = False,
    ) -> Registry:
        """Load the plugins, build the catalog and open the store at ``db_url``.

        Args:
            db_url: SQLAlchemy URL of the database (SQLite file by default).
            allow: load only these entry-point plugins (all when ``None``).
            deny: never load these entry-point plugins.
            extra_plugins: more plugin objects to register (an app's own).
            upgrade: bring the database schema to the current revision.
            rls: PostgreSQL row-level security as a second layer: ``True`` sets the
                actor's scope in every transaction, a role name also switches to that
                role (see [`open_store`][spm_core.store.open_store]).

        Raises:
            PluginLoadError: a plugin fails to load.
            CatalogError: the plugins' definitions are inconsistent.
            MigrationError: with ``upgrade=False``, the database is out of date.
        """
        pm = make_plugin_manager(allow=allow, deny=deny, extra=extra_plugins)
        catalog = Catalog.build(pm)
        return cls(pm, catalog, open_store(db_url, upgrade=upgrade, rls=rls))

    @property
    @no_rows
    def location(self) -> str:
        """Where the data lives: the database URL with any password hidden."""
        return self.store.url

    @property
    @no_rows
    def schema_revision(self) -> str | None:
        """The migration revision of the database."""
        return self.store.schema_revision()

    @writes("record")
    def add_record(
        self, actor: Actor, data: RecordIn | Mapping[str, Any], purpose: Purpose
    ) -> tuple[Record, tuple[Notice, ...]]:
        """Store one observation checked against this registry's catalog.

        Same as [`Store.add_record`][spm_core.store.Store.add_record] with this
        registry's [`catalog`][spm_core.api.Registry.catalog].
        """
        return self.store.add_record(actor, data, purpose, self.catalog)

    @aggregates("record")
    def compute_report(
        self,
        actor: Actor,
        period: Period | str,
        level: ReportLevel | str,
        *,
        fields: Iterable[SpmField | str] | None = None,
        disaggregate: Sequence[str] = (),
        suppress_below: int | None = None,
    ) -> Report:
        """Compute every indicator and the achievement index for ``actor``'s scope.

        Same as :func:`spm_core.indicators.report.compute_report` with this registry's
        store and catalog.
        """
        return compute_report(
            self.store,
            self.catalog,
            actor,
            period,
            level,
            fields=fields,
            disaggregate=disaggregate,
            suppress_below=suppress_below,
        )

    @reads("record")
    def explain(
        self, actor: Actor, indicator: str, subject_id: str, period: Period | str
    ) -> SubjectExplanation:
        """Explain why a resident or household is, or is not, counted by ``indicator``.

        Same as :func:`spm_core.indicators.explain.explain_subject`.
        """
        return explain_subject(self.store, self.catalog, actor, indicator, subject_id, period)

    # ------------------------------------------------------------------ privacy

    @reads("resident")
    def read_resident(
        self, actor: Actor, resident_id: str, purpose: Purpose | str | None = None
    ) -> Resident:
        """Return a resident for a purpose (required unless you are their kader); logged.

        Same as :func:`spm_core.privacy.read_resident`.
        """
        return read_resident(self.store, actor, resident_id, purpose)

    @reads("record")
    def read_records(
        self,
        actor: Actor,
        subject: SubjectRef,
        purpose: Purpose | str | None = None,
        *,
        record_type: str | None = None,
        include_voided: bool = False,
    ) -> list[Record]:
        """Return the records about one subject for a purpose; specific data is logged.

        Same as :func:`spm_core.privacy.read_records` with this registry's catalog.
        """
        return read_records(
            self.store,
            actor,
            subject,
            purpose,
            catalog=self.catalog,
            record_type=record_type,
            include_voided=include_voided,
        )

    @reads("resident")
    def export_subject(
        self, actor: Actor, resident_id: str, purpose: Purpose = Purpose.HAK_SUBJEK
    ) -> SubjectExport:
        """Return all data and the processing log of one resident (UU PDP Ps. 32–33).

        Same as :func:`spm_core.privacy.export_subject`.
        """
        return export_subject(self.store, actor, resident_id, purpose)

    @writes("resident")
    def erase_subject(
        self,
        actor: Actor,
        resident_id: str,
        reason: str,
        purpose: Purpose = Purpose.HAK_SUBJEK,
        *,
        received_at: datetime | None = None,
    ) -> Erasure:
        """Erase a resident in every table, or refuse with the legal basis (recorded).

        Same as :func:`spm_core.privacy.erase_subject`.
        """
        return erase_subject(
            self.store, actor, resident_id, reason, purpose, received_at=received_at
        )

    @writes("resident")
    def restrict_subject(
        self,
        actor: Actor,
        resident_id: str,
        purpose: Purpose = Purpose.HAK_SUBJEK,
        *,
        lift: bool = False,
        received_at: datetime | None = None,
    ) -> SubjectRequest:
        """Restrict (or lift the restriction of) processing of a resident (UU PDP Ps. 11).

        Same as [`Store.restrict_subject`][spm_core.store.Store.restrict_subject].
        """
        return self.store.restrict_subject(
            actor, resident_id, purpose, lift=lift, received_at=received_at
        )

    @writes("subject_request")
    def record_subject_request(
        self,
        actor: Actor,
        resident_id: str,
        kind: str,
        purpose: Purpose = Purpose.HAK_SUBJEK,
        *,
        fields: Collection[str] = (),
        received_at: datetime | None = None,
    ) -> SubjectRequest:
        """Record a data subject's request, due within 3 × 24 hours.

        Same as [`Store.record_subject_request`][spm_core.store.Store.record_subject_request].
        """
        return self.store.record_subject_request(
            actor, resident_id, kind, purpose, fields=fields, received_at=received_at
        )

    @reads("subject_request")
    def subject_requests(
        self,
        actor: Actor,
        *,
        resident_id: str | None = None,
        open_only: bool = False,
        overdue_at: datetime | None = None,
    ) -> list[SubjectRequest]:
        """Return data subjects' requests in scope; ``overdue_at`` keeps the late ones.

        Same as [`Store.list_subject_requests`][spm_core.store.Store.list_subject_requests].
        """
        return self.store.list_subject_requests(
            actor, resident_id=resident_id, open_only=open_only, overdue_at=overdue_at
        )

    @writes("retention_rule")
    def set_retention_rule(
        self,
        actor: Actor,
        wilayah_code: str,
        record_type: str,
        years: int,
        legal_basis: str,
        purpose: Purpose = Purpose.ADMINISTRASI,
    ) -> RetentionRule:
        """Keep records of ``record_type`` in a region for ``years`` years (blocks erasure).

        Same as [`Store.set_retention_rule`][spm_core.store.Store.set_retention_rule],
        after checking that this registry's catalog knows the record type.
        """
        self.catalog.record_type(record_type)
        return self.store.set_retention_rule(
            actor, wilayah_code, record_type, years, legal_basis, purpose
        )

    @reads("resident")
    def research_extract(
        self,
        actor: Actor,
        *,
        key: str | bytes | ResearchKey | None = None,
        key_file: str | Path | None = None,
        level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
        date_precision: DatePrecision = "month",
        on: date | None = None,
        record_types: Collection[str] = (),
        project: str = "-",
    ) -> ResearchExtract:
        """Return a pseudonymised research extract of the actor's area.

        Same as :func:`spm_core.privacy.research_extract`; record types are checked
        against this registry's catalog.
        """
        for code in record_types:
            self.catalog.record_type(code)
        return research_extract(
            self.store,
            actor,
            key=key,
            key_file=key_file,
            level=level,
            date_precision=date_precision,
            on=on,
            record_types=record_types,
            project=project,
        )

    @reads("audit")
    def incident_report(
        self,
        actor: Actor,
        *,
        who: str | None = None,
        key_fingerprint: str | None = None,
        export_id: int | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> IncidentReport:
        """Return which residents and data categories an actor, key or export touched.

        Same as :func:`spm_core.privacy.incident_report` with this registry's catalog.
        """
        return incident_report(
            self.store,
            actor,
            who=who,
            key_fingerprint=key_fingerprint,
            export_id=export_id,
            since=since,
            until=until,
            catalog=self.catalog,
        )

    @no_rows
    def close(self) -> None:
        """Close the store."""
        self.store.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
