"""Research extracts: pseudonymised rows and small-cell-safe tables, as CSV or Parquet.

A researcher (or an operator for one) gets one row per resident of their area on a day:
a keyed pseudonym instead of the NIK (HMAC-SHA-256 under the project's own key), sex,
birth (and death) month or year, the region at the level asked, and optionally how many
records of some types each resident has — never a name, an address, an RT/RW or a full
date. The key is the caller's: it is used, never stored, and the log names only its
fingerprint. Published tables (:meth:`ResearchExtract.table`) hide small cells with
complementary suppression (:func:`spm_core.domain.suppression.suppress`).

Example:
    >>> from spm_core.access import Actor, AreaScope, Role
    >>> from spm_core.domain import KodeWilayah
    >>> from spm_core.store import open_store
    >>> store = open_store("sqlite://")
    >>> peneliti = Actor("r-1", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    >>> extract = research_extract(store, peneliti, key="kunci-proyek-stunting-2026")
    >>> extract.columns[:4], len(extract.rows)
    (('pseudonym', 'sex', 'birth', 'died'), 0)
    >>> store.close()
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from spm_core.access import Actor, Purpose
from spm_core.domain.pseudonym import DatePrecision, ResearchKey
from spm_core.domain.suppression import DEFAULT_THRESHOLD, SuppressedTable, suppress
from spm_core.errors import InvalidValue
from spm_core.store import ResearchRow, Store
from spm_core.store.aggregate import ReportLevel
from spm_core.store.declare import reads

__all__ = [
    "KEY_ENVIRONMENT",
    "PublishedTable",
    "ResearchExtract",
    "load_key",
    "research_extract",
]

KEY_ENVIRONMENT = "SPM_RESEARCH_KEY"
"""The environment variable a research project's key may be read from."""


def load_key(
    value: str | bytes | ResearchKey | None = None, *, file: str | Path | None = None
) -> ResearchKey:
    """Return the project key: given, else read from ``file``, else from the environment.

    Raises:
        InvalidValue: no key anywhere, or one shorter than 16 bytes.
    """
    if isinstance(value, ResearchKey):
        return value
    if value is not None:
        return ResearchKey.parse(value)
    if file is not None:
        return ResearchKey.parse(Path(file).read_bytes())
    found = os.environ.get(KEY_ENVIRONMENT)
    if found:
        return ResearchKey.parse(found)
    raise InvalidValue(
        value=KEY_ENVIRONMENT,
        reason_id="kunci proyek penelitian tidak diberikan (argumen, berkas atau variabel "
        f"lingkungan {KEY_ENVIRONMENT})",
        reason_en="no research project key was given (argument, file or environment "
        f"variable {KEY_ENVIRONMENT})",
    )


@attrs.frozen
class PublishedTable:
    """Counts of residents by area (rows) and one column key, safe to publish."""

    row_key: str
    column_key: str
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    table: SuppressedTable

    def to_rows(self) -> list[dict[str, Any]]:
        """Return one dict per row (``None`` for a hidden cell), then the total row."""
        out: list[dict[str, Any]] = []
        for label, cells, total in zip(
            self.row_labels, self.table.cells, self.table.row_totals, strict=True
        ):
            out.append(
                {
                    self.row_key: label,
                    **dict(zip(self.column_labels, cells, strict=True)),
                    "total": total,
                }
            )
        out.append(
            {
                self.row_key: "total",
                **dict(zip(self.column_labels, self.table.column_totals, strict=True)),
                "total": self.table.total,
            }
        )
        return out


@attrs.frozen
class ResearchExtract:
    """Pseudonymised residents of an area on a day, ready to write or tabulate."""

    rows: tuple[ResearchRow, ...]
    level: ReportLevel
    date_precision: DatePrecision
    on: date | None
    record_types: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names of the written extract."""
        return ("pseudonym", "sex", "birth", "died", "area", *self.record_types)

    def records(self) -> list[dict[str, Any]]:
        """Return the rows as plain dicts in :attr:`columns` order."""
        return [
            {
                "pseudonym": r.pseudonym,
                "sex": r.sex,
                "birth": r.birth,
                "died": r.died,
                "area": r.area,
                **dict(r.records),
            }
            for r in self.rows
        ]

    def to_csv(self) -> str:
        """Return the extract as CSV text with a header row."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(self.columns))
        writer.writeheader()
        writer.writerows(self.records())
        return buffer.getvalue()

    def write_csv(self, path: str | Path) -> Path:
        """Write the extract as UTF-8 CSV with a header row; return the path."""
        target = Path(path)
        target.write_text(self.to_csv(), encoding="utf-8", newline="")
        return target

    def write_parquet(self, path: str | Path) -> Path:
        """Write the extract as Parquet (needs the ``arrow`` extra: pyarrow); return the path.

        Raises:
            InvalidValue: pyarrow is not installed.
        """
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - the dev extra installs pyarrow
            raise InvalidValue(
                value="parquet",
                reason_id="format Parquet membutuhkan pyarrow (pip install 'spm-core[arrow]')",
                reason_en="the Parquet format needs pyarrow (pip install 'spm-core[arrow]')",
            ) from None
        data = self.records()
        schema = pa.schema(
            [
                ("pseudonym", pa.string()),
                ("sex", pa.string()),
                ("birth", pa.string()),
                ("died", pa.string()),
                ("area", pa.string()),
                *((name, pa.int64()) for name in self.record_types),
            ]
        )
        columns = {name: [row.get(name) for row in data] for name in self.columns}
        pq.write_table(pa.Table.from_pydict(columns, schema=schema), str(path))
        return Path(path)

    def table(self, column: str = "sex", *, threshold: int = DEFAULT_THRESHOLD) -> PublishedTable:
        """Count residents by area and ``column`` (``sex``, ``birth`` or ``died``).

        Cells from 1 to ``threshold - 1`` are hidden, and enough others that none can
        be recovered from the row and column totals.

        Raises:
            InvalidValue: an unknown column.
        """
        if column not in ("sex", "birth", "died"):
            raise InvalidValue(
                value=column,
                reason_id="kolom tabel harus sex, birth atau died",
                reason_en="the table column must be sex, birth or died",
            )
        counts = Counter((r.area, str(getattr(r, column) or "-")) for r in self.rows)
        areas = sorted({a for a, _ in counts})
        values = sorted({v for _, v in counts})
        grid = [[counts.get((a, v), 0) for v in values] for a in areas]
        return PublishedTable(
            "area", column, tuple(areas), tuple(values), suppress(grid, threshold)
        )


@reads("resident", logs_itself=True)
def research_extract(
    store: Store,
    actor: Actor,
    *,
    key: str | bytes | ResearchKey | None = None,
    key_file: str | Path | None = None,
    level: ReportLevel | str = ReportLevel.DESA_KELURAHAN,
    date_precision: DatePrecision = "month",
    on: date | None = None,
    record_types: Collection[str] | Sequence[str] = (),
    project: str = "-",
    purpose: Purpose | str = Purpose.PENELITIAN,
) -> ResearchExtract:
    """Return a pseudonymised extract of the residents of the actor's area on ``on``.

    ``key`` (else ``key_file``, else ``$SPM_RESEARCH_KEY``) is the project's secret:
    the same person gets the same pseudonym within a project and an unrelated one in
    another. ``level`` is the finest region shown (``desa_kelurahan`` down to
    ``provinsi``); ``date_precision`` cuts dates to ``"month"`` or ``"year"``. The
    extract is logged with its row count, ``project`` and the key's fingerprint.
    Researchers and operators get rows; other roles an empty extract.

    Raises:
        InvalidValue: no key, a short key, a level finer than a village, a bad precision.
    """
    secret = load_key(key, file=key_file)
    wanted = ReportLevel.parse(level)
    types = tuple(sorted(set(record_types)))
    rows = store.research_rows(
        actor,
        secret,
        level=wanted,
        date_precision=date_precision,
        on=on,
        record_types=types,
        project=project,
        purpose=purpose,
    )
    return ResearchExtract(tuple(rows), wanted, date_precision, on, types)
