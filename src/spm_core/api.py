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
from types import TracebackType
from typing import Any

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.domain import Period, SpmField
from spm_core.errors import Notice
from spm_core.indicators.explain import SubjectExplanation, explain_subject
from spm_core.indicators.report import Report, compute_report
from spm_core.plugins import SpmPluginManager, make_plugin_manager
from spm_core.schemas import RecordIn
from spm_core.store import DEFAULT_URL, Record, Store, open_store
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
    ) -> Registry:
        """Load the plugins, build the catalog and open the store at ``db_url``.

        Args:
            db_url: SQLAlchemy URL of the database (SQLite file by default).
            allow: load only these entry-point plugins (all when ``None``).
            deny: never load these entry-point plugins.
            extra_plugins: more plugin objects to register (an app's own).
            upgrade: bring the database schema to the current revision.

        Raises:
            PluginLoadError: a plugin fails to load.
            CatalogError: the plugins' definitions are inconsistent.
            MigrationError: with ``upgrade=False``, the database is out of date.
        """
        pm = make_plugin_manager(allow=allow, deny=deny, extra=extra_plugins)
        catalog = Catalog.build(pm)
        return cls(pm, catalog, open_store(db_url, upgrade=upgrade))

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

    @reads("record")
    def explain(
        self, actor: Actor, indicator: str, subject_id: str, period: Period | str
    ) -> SubjectExplanation:
        """Explain why a resident or household is, or is not, counted by ``indicator``.

        Same as :func:`spm_core.indicators.explain.explain_subject`.
        """
        return explain_subject(self.store, self.catalog, actor, indicator, subject_id, period)

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
