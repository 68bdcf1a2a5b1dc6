"""Research extracts: pseudonymised rows and small-cell-safe tables, as CSV or Parquet.

A researcher (or an operator for one) gets one row per resident of their area on a day:
a keyed pseudonym instead of the NIK (HMAC-SHA-256 under the project's own key), sex,
birth (and death) month or year, the region at the level asked, and optionally how many
records of some types each resident has — never a name, an address, an RT/RW or a full
date. Given record type definitions, the extract also holds one row per record of those
types (:attr:`ResearchExtract.record_rows`): the resident's pseudonym, the month or year
observed, the age then, and the value fields that cannot carry a name — numbers,
yes/no, codes from a fixed list, dates cut like the others. Free text and nested values
are left out and listed in :attr:`ResearchExtract.dropped` with the reason
(:data:`DROP_REASONS`). The key is the caller's: it is used, never stored, and the log
names only its fingerprint. Published tables (:meth:`ResearchExtract.table`) hide small
cells with complementary suppression (:func:`spm_core.domain.suppression.suppress`).

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

from spm_core._files import write_file
from spm_core.access import Actor, Purpose
from spm_core.definitions import RecordType
from spm_core.domain.cells import neutralise_mapping
from spm_core.domain.enums import Subject
from spm_core.domain.pseudonym import DatePrecision, ResearchKey
from spm_core.domain.suppression import DEFAULT_THRESHOLD, SuppressedTable, suppress
from spm_core.domain.text import Text
from spm_core.errors import InvalidValue
from spm_core.store import FieldPlan, ResearchRecord, ResearchRow, Store
from spm_core.store.aggregate import ReportLevel
from spm_core.store.declare import reads

__all__ = [
    "DROP_REASONS",
    "KEY_ENVIRONMENT",
    "PublishedTable",
    "ResearchExtract",
    "field_plan",
    "load_key",
    "research_extract",
]

KEY_ENVIRONMENT = "SPM_RESEARCH_KEY"
"""The environment variable a research project's key may be read from."""

DROP_REASONS: dict[str, Text] = {
    "free_text": Text(
        "teks bebas: dapat memuat nama atau alamat", "free text: may carry a name or an address"
    ),
    "nested": Text(
        "nilai bertingkat (daftar selain kode, atau objek): dapat memuat teks bebas",
        "a nested value (a list of other than codes, or an object): may carry free text",
    ),
    "household": Text(
        "catatan rumah tangga: ekstrak ini per warga",
        "a household record: this extract is per resident",
    ),
    "place": Text(
        "catatan tempat: ekstrak ini per warga", "a place record: this extract is per resident"
    ),
}
"""Why a record value field (or a whole record type) is left out of an extract."""

_KINDS = {"integer": "integer", "number": "number", "boolean": "boolean"}


def _kind(schema: dict[str, Any], defs: dict[str, Any]) -> str:
    """Return how a JSON Schema property is extracted: a column kind or a drop reason."""
    if "$ref" in schema:
        return _kind(defs.get(str(schema["$ref"]).rsplit("/", 1)[-1], {}), defs)
    options = [o for o in schema.get("anyOf", schema.get("oneOf", [])) if o.get("type") != "null"]
    if options:
        kinds = {_kind(o, defs) for o in options}
        return kinds.pop() if len(kinds) == 1 else "free_text"
    if "enum" in schema or "const" in schema:
        return "code"
    kind = schema.get("type")
    if kind in _KINDS:
        return _KINDS[str(kind)]
    if kind == "string":
        return "date" if schema.get("format") in ("date", "date-time") else "free_text"
    if kind == "array" and _kind(dict(schema.get("items", {})), defs) == "code":
        return "codes"
    return "nested" if kind in ("array", "object") else "free_text"


def field_plan(record_type: RecordType) -> tuple[dict[str, str], dict[str, str]]:
    """Return the value fields of ``record_type`` an extract carries, and those it leaves out.

    The first map is field → column kind (``integer``, ``number``, ``boolean``,
    ``code`` — a value from a fixed list —, ``codes`` — a list of such values, written
    sorted and joined by ``;`` — or ``date``, cut to the extract's precision);
    the second is field → reason left out (a key of :data:`DROP_REASONS`): free text
    and nested values, which may carry a name. Decided from the value schema's JSON
    Schema, so a plugin's new field is left out unless it is plainly not text.

    Example:
        >>> from spm_core.definitions import RecordValue
        >>> from spm_core.domain.enums import SpmField, Subject
        >>> from spm_core.domain.text import Text
        >>> class Timbang(RecordValue):
        ...     weight_kg: float
        ...     lying_down: bool
        ...     note: str | None = None
        >>> kind = RecordType(code="uji.timbang", title=Text("Timbang", "Weighing"),
        ...     field=SpmField.KESEHATAN, subject=Subject.RESIDENT, value_schema=Timbang)
        >>> field_plan(kind)
        ({'lying_down': 'boolean', 'weight_kg': 'number'}, {'note': 'free_text'})
    """
    schema = record_type.value_schema.model_json_schema()
    defs = dict(schema.get("$defs", {}))
    kept: dict[str, str] = {}
    dropped: dict[str, str] = {}
    for name, item in sorted(dict(schema.get("properties", {})).items()):
        kind = _kind(item, defs)
        (dropped if kind in DROP_REASONS else kept)[name] = kind
    return kept, dropped


_ARROW = {"integer": "int64", "number": "float64", "boolean": "bool_"}


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
    record_rows: tuple[ResearchRecord, ...] = ()
    value_columns: tuple[tuple[str, str], ...] = ()
    """Each value column of :attr:`record_rows` (``record_type.field``) and its kind."""
    dropped: tuple[tuple[str, str], ...] = ()
    """Each record value field (``record_type.field``) or record type left out, and why
    (a key of :data:`DROP_REASONS`)."""

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
        """Return the extract as CSV text with a header row.

        Text a spreadsheet would run as a formula (a record value typed as ``=…``) is
        written with a leading ``'`` (:func:`~spm_core.domain.cells.neutralise`).
        """
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(self.columns))
        writer.writeheader()
        writer.writerows(neutralise_mapping(row) for row in self.records())
        return buffer.getvalue()

    def write_csv(self, path: str | Path) -> Path:
        """Write the extract as UTF-8 CSV with a header row; return the path.

        The file is readable by its owner only: pseudonymised rows are still personal
        data (:func:`spm_core._files.write_file`).
        """
        return write_file(path, self.to_csv().encode("utf-8"), private=True)

    def write_parquet(self, path: str | Path) -> Path:
        """Write the extract as Parquet (needs the ``arrow`` extra: pyarrow); return the path.

        Readable by its owner only, as :meth:`write_csv`.

        Raises:
            InvalidValue: pyarrow is not installed.
        """
        pa, pq = _arrow()
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
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pydict(columns, schema=schema), buffer)
        return write_file(path, buffer.getvalue(), private=True)

    @property
    def record_columns(self) -> tuple[str, ...]:
        """The column names of the written records: one per record, values by field."""
        return ("pseudonym", "record_type", "observed", "age", *(n for n, _ in self.value_columns))

    def value_records(self) -> list[dict[str, Any]]:
        """Return the records as plain dicts in :attr:`record_columns` order."""
        out = []
        for r in self.record_rows:
            row: dict[str, Any] = dict.fromkeys(self.record_columns)
            row.update(
                pseudonym=r.pseudonym, record_type=r.record_type, observed=r.observed, age=r.age
            )
            row.update({f"{r.record_type}.{name}": value for name, value in r.values})
            out.append(row)
        return out

    def records_csv(self) -> str:
        """Return the records as CSV text with a header row (an empty value for none)."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(self.record_columns))
        writer.writeheader()
        writer.writerows(neutralise_mapping(row) for row in self.value_records())
        return buffer.getvalue()

    def write_records_csv(self, path: str | Path) -> Path:
        """Write the records as UTF-8 CSV with a header row; return the path.

        Readable by its owner only, as :meth:`write_csv`.
        """
        return write_file(path, self.records_csv().encode("utf-8"), private=True)

    def write_records_parquet(self, path: str | Path) -> Path:
        """Write the records as Parquet, typed by field kind (needs pyarrow); return the path.

        Raises:
            InvalidValue: pyarrow is not installed.
        """
        pa, pq = _arrow()
        fields = [
            ("pseudonym", pa.string()),
            ("record_type", pa.string()),
            ("observed", pa.string()),
            ("age", pa.int64()),
            *((n, getattr(pa, _ARROW.get(kind, "string"))()) for n, kind in self.value_columns),
        ]
        data = self.value_records()
        columns = {name: [row[name] for row in data] for name in self.record_columns}
        buffer = io.BytesIO()
        pq.write_table(pa.Table.from_pydict(columns, schema=pa.schema(fields)), buffer)
        return write_file(path, buffer.getvalue(), private=True)

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


def _arrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - the dev extra installs pyarrow
        raise InvalidValue(
            value="parquet",
            reason_id="format Parquet membutuhkan pyarrow (pip install 'spm-core[arrow]')",
            reason_en="the Parquet format needs pyarrow (pip install 'spm-core[arrow]')",
        ) from None
    return pa, pq


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
    record_types: Collection[str | RecordType] | Sequence[str | RecordType] = (),
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

    ``record_types`` given as codes add a count per type to each resident's row; given
    as definitions (:class:`~spm_core.definitions.RecordType`), each record of a
    resident type also comes as a row of :attr:`ResearchExtract.record_rows` with the
    value fields :func:`field_plan` lets through.

    Raises:
        InvalidValue: no key, a short key, a level finer than a village, a bad precision.
    """
    secret = load_key(key, file=key_file)
    wanted = ReportLevel.parse(level)
    types = tuple(sorted({t if isinstance(t, str) else t.code for t in record_types}))
    plans: dict[str, dict[str, FieldPlan]] = {}
    columns: list[tuple[str, str]] = []
    dropped: list[tuple[str, str]] = []
    for definition in sorted(
        (t for t in record_types if isinstance(t, RecordType)), key=lambda t: t.code
    ):
        if definition.subject is not Subject.RESIDENT:
            dropped.append((definition.code, definition.subject.value))
            continue
        kept, left = field_plan(definition)
        plans[definition.code] = {
            name: "date" if kind == "date" else "codes" if kind == "codes" else "value"
            for name, kind in kept.items()
        }
        columns += [(f"{definition.code}.{name}", kind) for name, kind in kept.items()]
        dropped += [(f"{definition.code}.{name}", why) for name, why in left.items()]
    rows, records = store.research_extract_rows(
        actor,
        secret,
        level=wanted,
        date_precision=date_precision,
        on=on,
        record_types=types,
        values=plans,
        project=project,
        purpose=purpose,
    )
    return ResearchExtract(
        tuple(rows),
        wanted,
        date_precision,
        on,
        types,
        tuple(records),
        tuple(columns),
        tuple(dropped),
    )
