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
from spm_core.domain import KodeWilayah, Period, PeriodKind, SpmField, Text
from spm_core.domain.pseudonym import DatePrecision, ResearchKey
from spm_core.errors import InputError, Issue, Notice, UnknownCode
from spm_core.indicators.explain import (
    NeedExplanation,
    SubjectExplanation,
    explain_need,
    explain_subject,
)
from spm_core.indicators.report import Report, compute_report
from spm_core.indicators.suggest import Suggestion, count_suggestions, suggest_needs
from spm_core.pembina import (
    IndicatorSource,
    Measured,
    Mentoring,
    PlanStatus,
    Rollout,
    evaluate,
    mentoring,
    rollout,
)
from spm_core.pembina.html import status_body
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
from spm_core.referrals.router import submit
from spm_core.reporting import Section
from spm_core.schemas import ActionPlanIn, RecordIn, validate
from spm_core.store import (
    DEFAULT_URL,
    ActionPlan,
    Erasure,
    ExportTable,
    Record,
    Resident,
    RetentionRule,
    Store,
    SubjectRef,
    SubjectRequest,
    Submission,
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
        store._classify_with(catalog)

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
        return cls(pm, catalog, open_store(db_url, upgrade=upgrade, rls=rls, catalog=catalog))

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
        engine: str = "sql",
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
            engine=engine,
        )

    @aggregates("record")
    def export_report(
        self,
        actor: Actor,
        period: Period | str,
        level: ReportLevel | str,
        purpose: Purpose | str = Purpose.PELAPORAN,
    ) -> ExportTable:
        """Return the report of ``period`` as an export: one row per indicator and area.

        The rows are those of [`compute_report`][spm_core.api.Registry.compute_report]
        (``Report.rows`` as plain data); like every export, handing them out appends one
        ``export`` row to the audit log with the purpose and the row count.
        """
        report = self.compute_report(actor, period, level)
        data = [row.to_dict() for row in report.rows]
        columns = tuple(data[0]) if data else ("indicator",)
        rows = tuple(tuple(item.values()) for item in data)
        audit_id = self.store._log_export(actor, "report", len(rows), purpose)
        return ExportTable("report", columns, rows, audit_id)

    @reads("record")
    def explain(
        self,
        actor: Actor,
        indicator: str,
        subject_id: str,
        period: Period | str,
        *,
        purpose: Purpose | str | None = None,
    ) -> SubjectExplanation:
        """Explain why a resident or household is, or is not, counted by ``indicator``.

        Same as :func:`spm_core.indicators.explain.explain_subject`.
        """
        return explain_subject(
            self.store, self.catalog, actor, indicator, subject_id, period, purpose=purpose
        )

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

    @reads("resident", logs_itself=True)
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
        purpose: Purpose | str | None = None,
    ) -> list[SubjectRequest]:
        """Return data subjects' requests in scope; ``overdue_at`` keeps the late ones.

        Same as [`Store.list_subject_requests`][spm_core.store.Store.list_subject_requests].
        """
        return self.store.list_subject_requests(
            actor,
            resident_id=resident_id,
            open_only=open_only,
            overdue_at=overdue_at,
            purpose=purpose,
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

    @reads("resident", logs_itself=True)
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
        purpose: Purpose | str = Purpose.PENELITIAN,
    ) -> ResearchExtract:
        """Return a pseudonymised research extract of the actor's area.

        Same as :func:`spm_core.privacy.research_extract`; record types are looked up
        in this registry's catalog, so each record of a resident type comes with the
        value fields that cannot carry a name (:func:`spm_core.privacy.field_plan`).
        """
        definitions = [self.catalog.record_type(code) for code in record_types]
        return research_extract(
            self.store,
            actor,
            key=key,
            key_file=key_file,
            level=level,
            date_precision=date_precision,
            on=on,
            record_types=definitions,
            project=project,
            purpose=purpose,
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

    @reads("record")
    def suggest_needs(
        self,
        actor: Actor,
        area: KodeWilayah | str,
        period: Period | str,
        *,
        need_types: Iterable[str] | None = None,
        purpose: Purpose | str | None = None,
    ) -> tuple[Suggestion, ...]:
        """List the needs the records show in ``area`` over ``period``, not referred yet.

        Every resident or household in ``actor``'s scope living in ``area`` on the
        period's last day for whom a need type's trigger holds, minus those with a
        referral of that need that is not closed. Nothing is submitted: confirm with
        [`raise_suggested`][spm_core.api.Registry.raise_suggested]. Same as
        :func:`spm_core.indicators.suggest.suggest_needs`.
        """
        return suggest_needs(
            self.store,
            self.catalog,
            actor,
            area,
            period,
            need_types=need_types,
            purpose=purpose,
        )

    @reads("record")
    def explain_need(
        self,
        actor: Actor,
        need_type: str,
        subject_id: str,
        period: Period | str,
        *,
        purpose: Purpose | str | None = None,
    ) -> NeedExplanation:
        """Explain whether the records show ``need_type`` for a resident or household.

        Same as :func:`spm_core.indicators.explain.explain_need`.
        """
        return explain_need(
            self.store, self.catalog, actor, need_type, subject_id, period, purpose=purpose
        )

    @reads("record")
    def explain_suggestion(
        self, actor: Actor, suggestion: Suggestion, *, purpose: Purpose | str | None = None
    ) -> NeedExplanation:
        """Explain why ``suggestion`` was made: its need type's trigger, node by node."""
        return explain_need(
            self.store,
            self.catalog,
            actor,
            suggestion.need_type,
            suggestion.subject_id,
            suggestion.period,
            purpose=purpose,
        )

    @writes("referral")
    def raise_suggested(
        self,
        actor: Actor,
        suggestions: Iterable[Suggestion],
        purpose: Purpose = Purpose.RUJUKAN,
        *,
        on: date | None = None,
    ) -> tuple[Submission, ...]:
        """Submit and route the suggestions a kader confirmed; one submission each.

        Each goes through the referral submission path
        (:func:`spm_core.referrals.router.submit`) with the suggestion's
        [`idempotency_key`][spm_core.indicators.suggest.Suggestion.idempotency_key]:
        confirming a suggestion again returns what the first confirmation created
        (``replayed``) and writes nothing. Each submission is all-or-nothing on its own;
        if one fails the error is raised and the ones before it stay submitted, so
        confirming the same list again completes it without duplicates.

        Args:
            actor: the kader (or desa/kelurahan officer, operator) confirming.
            suggestions: the confirmed suggestions.
            purpose: the purpose of the write (referral by default).
            on: the day the needs were confirmed (today by default).

        Raises:
            InputError: a subject absent or out of the actor's scope.
            Unroutable: no rule routes a need there (nothing is written for it).
            AccessDenied: the actor may not raise needs (agency officers).
        """
        out = []
        for suggestion in suggestions:
            data = suggestion.referral_data()
            if on is not None:
                data["on"] = on
            out.append(submit(self.store, actor, data, self.catalog, purpose=purpose))
        return tuple(out)

    # ------------------------------------------------------------------ Tim Pembina

    def _check_plan(self, plan: ActionPlanIn) -> None:
        """Refuse commitments naming an indicator or need type the catalog lacks."""
        view = self.catalog.for_region(KodeWilayah(plan.wilayah_code), on=plan.end)
        issues = []
        for i, c in enumerate(plan.commitments):
            for name, code, lookup in (
                ("indicator", c.indicator, view.indicator),
                ("need_type", c.need_type, view.need_type),
            ):
                if code is None:
                    continue
                try:
                    lookup(code)
                except UnknownCode as error:
                    issues.append(
                        Issue(
                            error.code,
                            f"commitments.{i}.{name}",
                            code,
                            error.message_id,
                            error.message_en,
                        )
                    )
        if issues:
            raise InputError(issues)

    @writes("action_plan")
    def save_action_plan(
        self,
        actor: Actor,
        data: ActionPlanIn | Mapping[str, Any],
        purpose: Purpose,
        *,
        expected_version: int | None = None,
    ) -> ActionPlan:
        """Store a joint action plan, or a revision of it, checked against the catalog.

        Same as [`Store.save_action_plan`][spm_core.store.Store.save_action_plan], after
        checking that every indicator and need type named exists in the plan's region.

        Raises:
            InputError: invalid input or an unknown indicator or need type (every issue
                named, nothing stored).
        """
        plan = validate(ActionPlanIn, data)
        self._check_plan(plan)
        return self.store.save_action_plan(actor, plan, purpose, expected_version=expected_version)

    @reads("action_plan")
    def action_plan(self, actor: Actor, code: str, *, version: int | None = None) -> ActionPlan:
        """Return plan ``code`` (its latest version, or ``version``)."""
        return self.store.get_action_plan(actor, code, version=version)

    @reads("action_plan")
    def action_plan_history(self, actor: Actor, code: str) -> list[ActionPlan]:
        """Return every version of plan ``code``, oldest first."""
        return self.store.action_plan_history(actor, code)

    def _indicator_source(
        self, actor: Actor, fields: Collection[SpmField] | None = None
    ) -> IndicatorSource:
        """Indicator values from the reports of the indicator engine, for ``actor``.

        With ``fields``, each report counts the indicators of those fields only.
        """

        def source(period: Period, level: str) -> dict[tuple[str, str], Measured]:
            report = compute_report(self.store, self.catalog, actor, period, level, fields=fields)
            return {
                (row.indicator, row.area): Measured(
                    None if row.numerator is None else float(row.numerator),
                    row.denominator,
                    row.value,
                )
                for row in report.rows
            }

        return source

    @aggregates("referral")
    def pembina_status(
        self,
        actor: Actor,
        *,
        plan: str | None = None,
        as_of: date | None = None,
        agency_code: str | None = None,
    ) -> PlanStatus:
        """Measure and judge the commitments of the plans in force on ``as_of``.

        With ``plan``, that plan only (its latest version). Indicator values come from
        :meth:`compute_report`, referral shares from the store's referral counts (see
        :mod:`spm_core.pembina.monitoring`).
        """
        on = as_of or date.today()
        plans = (
            [self.store.get_action_plan(actor, plan)]
            if plan is not None
            else self.store.list_action_plans(actor, on=on)
        )
        fields: set[SpmField] = set()
        for each in plans:
            view = self.catalog.for_region(each.wilayah_code, on=each.end)
            for c in each.commitments:
                if c.indicator is not None:
                    try:
                        fields.add(view.indicator(c.indicator).field)
                    except UnknownCode:
                        continue
        return evaluate(
            self.store,
            actor,
            self.catalog,
            plans,
            self._indicator_source(actor, fields),
            as_of=on,
            agency_code=agency_code,
        )

    @aggregates("referral")
    def pembina_section(
        self,
        actor: Actor,
        *,
        plan: str | None = None,
        as_of: date | None = None,
        agency_code: str | None = None,
    ) -> Section:
        """Return the Tim Pembina section of the HTML report, in both languages.

        The commitments judged by :meth:`pembina_status` (same arguments) with the rule
        and the scorecards; pass it to :func:`spm_core.reporting.html_report` as one of
        its ``extra_sections``.
        """
        status = self.pembina_status(actor, plan=plan, as_of=as_of, agency_code=agency_code)
        return Section(
            "tim-pembina",
            Text("Tim Pembina Posyandu: rencana aksi", "Tim Pembina Posyandu: action plan"),
            Text(status_body(status, "id"), status_body(status, "en")),
        )

    @aggregates("record")
    def pembina_rollout(self, actor: Actor, *, as_of: date | None = None) -> Rollout:
        """Return the phased roll-out of the posyandu in ``actor``'s area.

        See :func:`spm_core.pembina.rollout.rollout`.
        """
        return rollout(self.store, actor, self.catalog, self._indicator_source(actor), as_of=as_of)

    @aggregates("record")
    def pembina_mentoring(self, actor: Actor, *, as_of: date | None = None) -> Mentoring:
        """Return the kader mentoring signals per posyandu, most in need first.

        See :func:`spm_core.pembina.mentoring.mentoring`; the needs suggested and not
        referred are counted for the month of ``as_of``
        (:func:`spm_core.indicators.suggest.count_suggestions`).
        """
        on = as_of or date.today()
        month = Period.containing(on, PeriodKind.MONTH)
        suggested = count_suggestions(self.store, self.catalog, actor, month)
        return mentoring(self.store, actor, self.catalog, as_of=on, suggested=suggested)

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
