"""Bulk loading: residents, households, memberships and records from files and frames.

A load reads rows from an iterable of mappings, a CSV file, a pandas or polars
DataFrame or an Arrow table (optional extras ``dataframes``, ``polars``, ``arrow``),
validates them **by column** in bounded chunks, writes every good row and reports every
bad one — its row, column, a stable code and a message in Bahasa Indonesia and English.
Four kinds of file are read:

``residents``
    One row per resident: ``nik``, ``name``, ``sex``, ``birth_date``, ``posyandu_id``,
    ``rt``, ``rw``, ``address``; optionally ``id``, ``since`` (first day of the domicile;
    the birth date when blank), ``moved_in_from`` (the posyandu of the region they lived
    at before ``since``), ``died_on`` and ``moved_away_on``; and, to register the
    household at the same time, ``household`` (a key unique in the deployment, e.g. the
    KK number), ``nomor_kk``, ``relationship`` (SHDK 1–11) and ``member_since``. The rows
    of one household must follow each other. Each good row writes a resident, their
    domicile and (with ``household``) their membership.
``households``
    ``household`` (or ``id``), ``nomor_kk``, ``posyandu_id``, ``rt``, ``rw``, ``address``.
``memberships``
    ``household`` (or ``household_id``), ``resident_id`` (or ``nik``), ``relationship``,
    ``start``, ``end``.
``records``
    ``record_type``, one subject — ``resident_id`` (or ``nik``), ``household_id`` (or
    ``household``), or ``place`` with ``posyandu_id`` — ``observed_on``, ``value`` (a
    mapping or JSON text; or one ``value.<field>`` column per field),
    ``idempotency_key`` (derived when blank) and ``void_reason`` (loads the record
    already voided).

What is all-or-nothing: **a household** — when any row of a household is bad, none of
its rows is written (each gets an issue naming the bad row) — and **a chunk**: each
chunk of rows (``chunk_rows``, cut only between households) is written in one
transaction of its own, so a long load never holds SQLite's write lock for more than
one chunk, and a load that is interrupted keeps every chunk it committed.

Re-running a load creates nothing new: the ids of the rows it writes are derived from
the load id and the row (or, for records, from the idempotency key), and a row whose id
is already stored is skipped. The load id is the SHA-256 of a file's bytes unless one
is given; give one when loading from an iterable or a DataFrame. Each load appends one
audit row (entity ``load``) with its counts.

Records from the bulk path are checked against their record type's value schema; the
plugins' plausibility warnings (notices) are given by the single-record path only.

How a chunk of records is checked: each check runs over a whole column first — the
record type against the catalog, the observation date (each distinct date parsed once
per load), exactly one subject of the type's kind, the key's length — and only a row a
column check flags is checked again on its own, to name each of its problems with the
same codes and messages as before. Values are validated by pydantic-core once per
distinct JSON text and record type, a thousand at a time; derived keys are computed
by column (``record_keys``) with one format and one SHA-256 per row, byte for byte the
keys ``record_key`` gives one at a time.

How a chunk is written (:class:`~spm_core.store._loading.BulkWriter`): its rows reach
the database sorted by id (a B-tree takes sorted keys faster), every table of the chunk
in one transaction. A table that is empty when the load starts loses its secondary
indexes until the load ends (one sort then instead of a random insert per row) and, on
PostgreSQL, its foreign keys, added back ``NOT VALID`` and then validated in one pass.
On SQLite the load's own connection skips the row-by-row foreign-key checks and checks
each parent a chunk names once, inside the chunk's transaction; a chunk naming a
missing parent is written again with the checks on and refused as before. A chunk's
commit does not wait for the disk (SQLite ``synchronous=NORMAL``, PostgreSQL
``synchronous_commit=off``): a crash of the machine during a load may lose the last
chunks committed — the database stays whole, and running the load again completes it —
and the load's audit row, committed the usual way after the last chunk, makes every
chunk durable. Each setting is put back when the load ends.

Measured at 260,000 residents (1,866,932 rows, validation on, the shared 2-core
development machine at load average 6–10): SQLite 10,625 rows/s, 62 CPU seconds
(before these changes 5,206 rows/s, 90.5 CPU seconds). Where the CPU goes on SQLite:
inserting 40 %, rebuilding the secondary indexes at the end 15 %, checking records 25 %
(their look-ups 5 %), checking residents 10 %, reading the CSV 7 %. The README's
*Benchmarks* has the commands and both databases.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import itertools
import json
import time
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import attrs
import pydantic
from pydantic_core import PydanticCustomError

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.definitions import RecordType
from spm_core.domain._digits import candidate_dates, looks_numeric
from spm_core.domain.cells import FORMULA_TRIGGERS
from spm_core.domain.enums import Subject
from spm_core.errors import IdentifierAsNumber, InputError, Issue, NotFound, UnknownCode
from spm_core.schemas import HouseholdIn, MembershipIn, ResidentIn, issues_from
from spm_core.schemas._normalise import EARLIEST_BIRTH, normalise_date, normalise_kk
from spm_core.store import Store
from spm_core.store._keys import canonical_json, record_keys, stable_id
from spm_core.store._loading import BulkWriter
from spm_core.store._records import idempotency_conflict

__all__ = [
    "COLUMNS",
    "FORMULA_TRIGGERS",
    "IDENTIFIER_COLUMNS",
    "KINDS",
    "LoadReport",
    "load",
    "read_rows",
]

Kind = Literal["residents", "households", "memberships", "records"]
KINDS: tuple[str, ...] = ("residents", "households", "memberships", "records")
"""The kinds of file :func:`load` reads."""

DEFAULT_CHUNK = 20_000
"""Rows per chunk (and per transaction) unless told otherwise."""

Row = Sequence[Any]
Progress = Callable[[int], None]


@attrs.frozen
class LoadReport:
    """What a load did.

    Attributes:
        load_id: the load's id (re-running with it creates nothing new).
        kind: ``residents``, ``households``, ``memberships`` or ``records``.
        rows: data rows read.
        accepted: rows that passed every check (written now or by an earlier run).
        issues: one per problem, with its 1-based data row and column.
        inserted: new rows per table (``resident``, ``domicile``, ``membership``,
            ``household``, ``record``).
        seconds: wall time of the load.
    """

    load_id: str
    kind: str
    rows: int
    accepted: int
    issues: tuple[Issue, ...]
    inserted: Mapping[str, int]
    seconds: float

    @property
    def rejected(self) -> int:
        """Rows with at least one issue."""
        return len({issue.row for issue in self.issues})

    @property
    def inserted_rows(self) -> int:
        """New rows written, over every table."""
        return sum(self.inserted.values())


# ============================================================================ sources


def _file_id(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:32]


def read_rows(
    source: Any, *, batch: int = DEFAULT_CHUNK, columns: Iterable[str] = ()
) -> tuple[list[str], Iterator[Row]]:
    """Return the column names of ``source`` and an iterator over its rows.

    ``source`` may be a path to a CSV file (UTF-8, a BOM is ignored; every cell is
    read as text) or to an Excel workbook (``.xlsx``, extra ``excel``; the first sheet,
    see :func:`_xlsx_rows`), an iterable of mappings, a pandas or polars DataFrame, or a
    pyarrow Table. Nothing is read into memory beyond ``batch`` rows at a time. The
    columns of an iterable of mappings are ``columns`` and the keys of its first
    mapping (later mappings may leave any of them out).

    Raises:
        InputError: the source is of no kind listed, or a CSV file has no header.
    """
    if isinstance(source, str | Path):
        path = Path(source)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _xlsx_rows(path)
        return _csv_rows(path)
    module = type(source).__module__.split(".")[0]
    if module == "pandas":
        columns = [str(c) for c in source.columns]
        return columns, (
            tuple(None if _nan(v) else v for v in row)
            for row in source.itertuples(index=False, name=None)
        )
    if module == "polars":
        return [str(c) for c in source.columns], source.iter_rows()
    if module == "pyarrow":
        columns = [str(c) for c in source.column_names]

        def arrow() -> Iterator[Row]:
            for part in source.to_batches(max_chunksize=batch):
                yield from zip(
                    *(part.column(i).to_pylist() for i in range(len(columns))), strict=False
                )

        return columns, arrow()
    if isinstance(source, Iterable) and not isinstance(source, bytes | Mapping):
        return _mapping_rows(iter(source), columns)
    raise InputError(
        [
            Issue(
                "unknown-source",
                "source",
                type(source).__name__,
                "Sumber tidak dikenali: berikan berkas CSV, daftar mapping, DataFrame "
                "pandas/polars atau tabel Arrow.",
                "Unknown source: give a CSV file, an iterable of mappings, a pandas/polars "
                "DataFrame or an Arrow table.",
            )
        ]
    )


def _given(**values: Any) -> dict[str, Any]:
    """Return the values that are present (a model's default stands for a blank cell)."""
    return {name: value for name, value in values.items() if value is not None}


def _nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _csv_rows(path: Path) -> tuple[list[str], Iterator[Row]]:
    handle = path.open(newline="", encoding="utf-8-sig")
    reader = csv.reader(handle)
    header = next(reader, None)
    if not header:
        handle.close()
        raise InputError(
            [
                Issue(
                    "empty-file",
                    "header",
                    str(path),
                    f"Berkas {path} kosong atau tanpa baris judul kolom.",
                    f"File {path} is empty or has no header row.",
                )
            ]
        )

    def rows() -> Iterator[Row]:
        try:
            if not quoted:
                yield from reader
                return
            for row in reader:
                # A cell an export neutralised ('=…, '-…) gets its value back.
                if ("\x00" + "\x00".join(row)).find("\x00'") != -1:
                    yield [_restore(cell) for cell in row]
                else:
                    yield row
        finally:
            handle.close()

    # A file without an apostrophe has no neutralised cell: its rows need no look.
    quoted = _holds(path, b"'")
    return [name.strip() for name in header], rows()


def _holds(path: Path, needle: bytes) -> bool:
    """Whether the bytes of ``path`` contain ``needle`` (one byte), read a block at a time."""
    with path.open("rb") as handle:
        return any(needle in block for block in iter(lambda: handle.read(1 << 20), b""))


def _restore(value: str) -> str:
    """Drop the ``'`` an export put in front of a formula character (``'=1`` → ``=1``)."""
    if value[:1] == "'" and value[1:2] in FORMULA_TRIGGERS and len(value) > 1:
        return value[1:]
    return value


IDENTIFIER_COLUMNS = frozenset({"nik", "nomor_kk"})
"""Columns holding a NIK or a Nomor KK: read as text, and refused when a cell is a number."""


def _xlsx_cell(value: Any, identifier: bool) -> Any:
    """Return a workbook cell as the loader reads it (text, a date, or blank).

    A number in a NIK or KK column is kept a number, so the load refuses it with
    ``identifier-as-number``; elsewhere a whole number becomes its digits (``3`` for
    an RT, ``1`` for a relationship) and a date cell a date.
    """
    if value is None:
        return value
    if isinstance(value, str):
        return _restore(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date()
        return value.isoformat()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        if identifier:
            return value
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return str(value)


MAX_WORKBOOK_BYTES = 1 << 30
"""The most a workbook may hold once unzipped (1 GiB): a million rows fit in far less."""

MAX_PART_RATIO = 200
"""How many times larger than its compressed size a part over 64 MiB may unzip to. Real
sheets compress 5 to 30 times; a zip bomb (a short file that unzips to gigabytes of one
repeated character, which the Excel reader would hold in memory) a thousand times."""

_BIG_PART = 64 << 20


def _workbook_issue(path: Path, code: str, message_id: str, message_en: str) -> InputError:
    return InputError([Issue(code, "source", str(path), message_id, message_en)])


def _not_a_workbook(path: Path) -> InputError:
    return _workbook_issue(
        path,
        "not-a-workbook",
        f"Berkas {path.name} bukan buku kerja Excel (.xlsx) yang utuh.",
        f"File {path.name} is not a complete Excel workbook (.xlsx).",
    )


def check_workbook(path: Path) -> None:
    """Refuse a workbook that is not a zip archive or would unzip to too much.

    The sizes are read from the archive's directory before anything is unzipped; the
    zip reader never unpacks a part past its declared size, so a lie there ends in a
    checksum error rather than in memory.

    Raises:
        InputError: code ``not-a-workbook`` (not a zip archive: a renamed CSV, a
            damaged download) or ``workbook-too-large`` (over :data:`MAX_WORKBOOK_BYTES`
            unzipped, or a big part that unzips more than :data:`MAX_PART_RATIO` times).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_a_workbook(path) from None
    total = sum(part.file_size for part in parts)
    bombs = [
        part
        for part in parts
        if part.file_size > _BIG_PART and part.file_size > MAX_PART_RATIO * part.compress_size
    ]
    if total > MAX_WORKBOOK_BYTES or bombs:
        mib = total >> 20
        raise _workbook_issue(
            path,
            "workbook-too-large",
            f"Berkas {path.name} terbuka menjadi {mib} MiB (paling banyak "
            f"{MAX_WORKBOOK_BYTES >> 20} MiB, tanpa bagian yang membesar lebih dari "
            f"{MAX_PART_RATIO} kali); bagi menjadi beberapa berkas atau simpan sebagai CSV.",
            f"File {path.name} unzips to {mib} MiB (at most {MAX_WORKBOOK_BYTES >> 20} MiB, "
            f"no part growing more than {MAX_PART_RATIO} times); split it or save it as CSV.",
        )


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[Row]]:
    """Read the first sheet of a workbook: a header row, then one row per line.

    Blank lines are skipped, formulas are read as their last computed value, and no
    cell is evaluated. Needs the optional extra ``excel`` (openpyxl). The workbook is
    checked first (:func:`check_workbook`): a zip bomb is refused before it is opened.
    """
    check_workbook(path)
    try:
        import openpyxl
    except ImportError as error:  # pragma: no cover - the extra is part of dev
        raise InputError(
            [
                Issue(
                    "missing-extra",
                    "source",
                    str(path),
                    "Membaca berkas Excel membutuhkan paket tambahan: "
                    "pip install 'spm-core[excel]'.",
                    "Reading Excel files needs the extra: pip install 'spm-core[excel]'.",
                )
            ]
        ) from error
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except (KeyError, IndexError, ValueError, zipfile.BadZipFile, InvalidFileException):
        raise _not_a_workbook(path) from None
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    names = [("" if c is None else str(c)).strip() for c in header or ()]
    while names and not names[-1]:
        names.pop()
    if not names:
        book.close()
        raise InputError(
            [
                Issue(
                    "empty-file",
                    "header",
                    str(path),
                    f"Berkas {path} kosong atau tanpa baris judul kolom.",
                    f"File {path} is empty or has no header row.",
                )
            ]
        )
    kinds = [name in IDENTIFIER_COLUMNS for name in names]
    width = len(names)

    def rows() -> Iterator[Row]:
        try:
            for line in lines:
                cells = tuple(_xlsx_cell(v, k) for v, k in zip(line[:width], kinds, strict=False))
                if any(c is not None and c != "" for c in cells):
                    yield cells
        finally:
            book.close()

    return names, rows()


def _mapping_rows(items: Iterator[Any], known: Iterable[str]) -> tuple[list[str], Iterator[Row]]:
    first = next(items, None)
    if first is None:
        return [], iter(())
    columns = list(dict.fromkeys([*known, *(first if isinstance(first, Mapping) else ())]))

    def rows() -> Iterator[Row]:
        for mapping in itertools.chain([first], items):
            if not isinstance(mapping, Mapping):
                yield (_NOT_A_MAPPING, mapping)
                continue
            yield tuple(mapping.get(c) for c in columns)

    return columns, rows()


_NOT_A_MAPPING = object()


def _chunks(rows: Iterator[Row], size: int, group: int | None) -> Iterator[tuple[int, list[Row]]]:
    """Yield (first row number, rows) in chunks of about ``size``, never splitting a group.

    A chunk takes ``size`` rows at once, then the rows that continue its last group.
    """
    rows = iter(rows)
    start = 1
    carry: list[Row] = []
    while True:
        chunk = carry
        chunk.extend(itertools.islice(rows, size - len(chunk)))
        carry = []
        if not chunk:
            return
        last = _cell(chunk[-1], group) if group is not None and len(chunk) >= size else None
        if last is not None:
            for row in rows:
                if _cell(row, group) != last:
                    carry = [row]
                    break
                chunk.append(row)
        yield start, chunk
        start += len(chunk)


def _cell(row: Row, index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    value = row[index]
    if value is None or value == "" or _nan(value):
        return None
    return value


# ============================================================================ issues


def _issue(code: str, row: int, field: str, value: Any, message_id: str, message_en: str) -> Issue:
    shown = None if value is None else (value if isinstance(value, str) else repr(value))
    return Issue(code, field, shown, message_id, message_en, row)


def _required(row: int, field: str) -> Issue:
    return _issue(
        "required",
        row,
        field,
        None,
        f"Kolom {field} wajib diisi.",
        f"The column {field} is required.",
    )


def _not_found(row: int, entity: str, field: str, value: Any) -> Issue:
    error = NotFound(entity=entity, value=value)
    return _issue(error.code, row, field, value, error.message_id, error.message_en)


def _number_id(row: int, field: str, value: Any) -> Issue | None:
    """Return the ``identifier-as-number`` issue when a NIK or KK cell is a number."""
    if value is None or (type(value) is str and value.isdigit()) or not looks_numeric(value):
        return None
    nik = field == "nik"
    error = IdentifierAsNumber(
        value=value,
        field=field,
        label_id="NIK" if nik else "Nomor KK",
        label_en="NIK" if nik else "Family card number (KK)",
    )
    return _issue(error.code, row, field, value, error.message_id, error.message_en)


def _with_row(issues: Iterable[Issue], row: int) -> list[Issue]:
    return [attrs.evolve(i, row=row) for i in issues]


# ============================================================================ cheap checks


def _text_ok(value: Any, limit: int) -> bool:
    """Canonical text: a str already stripped, single-spaced, printable, within ``limit``."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= limit
        and value.isprintable()
        and value[0] != " "
        and value[-1] != " "
        and "  " not in value
    )


def _nik_ok(value: str) -> bool:
    """The structure of a NIK in its canonical form (16 ASCII digits), without a parse."""
    if len(value) != 16 or not value.isascii() or not value.isdigit():
        return False
    if value[:2] < "11" or value[2:4] == "00" or value[4:6] == "00" or value[12:] == "0000":
        return False
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    return day <= 28 or bool(candidate_dates(day, month, int(value[10:12])))


def _iso_day(value: Any, today: date) -> date | None:
    """A date in ``YYYY-MM-DD`` (or a date) not after ``today``, else ``None``."""
    if isinstance(value, date) and not isinstance(value, datetime):
        found = value
    elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            found = date.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return found if found <= today else None


def _rt_ok(value: Any) -> bool:
    return value is None or (
        isinstance(value, str) and len(value) == 3 and value.isdigit() and value != "000"
    )


def _custom(
    check: Callable[[Any], Any], value: Any, row: int, field: str, issues: list[Issue]
) -> Any:
    """Return ``check(value)``, or ``None`` after adding the bilingual issue it raised."""
    try:
        return check(value)
    except PydanticCustomError as error:
        context = error.context or {}
        issues.append(
            _issue(
                str(context.get("code", error.type)),
                row,
                field,
                value,
                str(context.get("message_id", error.message())),
                str(context.get("message_en", error.message())),
            )
        )
        return None


def _date_issue(row: int, field: str, value: Any, today: date) -> tuple[date | None, Issue | None]:
    """Return the date in ``value`` (any accepted spelling) or the issue it raises."""
    found: list[Issue] = []
    parsed = _custom(normalise_date, value, row, field, found)
    if found:
        return None, found[0]
    try:
        if isinstance(parsed, str):
            parsed = date.fromisoformat(parsed)
        if not isinstance(parsed, date):
            raise ValueError(parsed)
    except (ValueError, TypeError):
        return None, _issue(
            "invalid-date",
            row,
            field,
            value,
            f"Tanggal {value!r} tidak dikenali; tulis YYYY-MM-DD atau DD-MM-YYYY.",
            f"The date {value!r} is not recognised; write YYYY-MM-DD or DD-MM-YYYY.",
        )
    if parsed > today:
        return None, _issue(
            "date-in-future",
            row,
            field,
            parsed.isoformat(),
            f"Tanggal {parsed.isoformat()} ada di masa depan.",
            f"The date {parsed.isoformat()} is in the future.",
        )
    return parsed, None


def _optional_date(
    row: int, field: str, value: Any, today: date, issues: list[Issue]
) -> date | None:
    if value is None:
        return None
    fast = _iso_day(value, today)
    if fast is not None:
        return fast
    parsed, issue = _date_issue(row, field, value, today)
    if issue is not None:
        issues.append(issue)
    return parsed


def _relationship(row: int, value: Any, issues: list[Issue]) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 11:
        return value
    if isinstance(value, str) and value.isdigit() and 1 <= int(value) <= 11:
        return int(value)
    try:
        checked = MembershipIn.model_validate(
            {"household_id": "h", "resident_id": "r", "relationship": value, "start": "2000-01-01"}
        )
        return int(checked.relationship)
    except pydantic.ValidationError as error:
        issues.extend(issues_from(error, row=row))
        return None


# ============================================================================ the load


@attrs.define
class _Run:
    """The state of one load across its chunks (bounded: nothing grows with the file)."""

    writer: BulkWriter
    actor: Actor
    load_id: str
    catalog: Catalog | None
    today: date
    now: Any
    issues: list[Issue] = attrs.Factory(list)
    accepted: int = 0
    inserted: dict[str, int] = attrs.Factory(dict)
    area: str | None = None
    record_types: dict[str, RecordType] = attrs.Factory(dict)
    canonical: dict[tuple[str, str], str] = attrs.Factory(dict)
    days: dict[Any, date | None] = attrs.Factory(dict)

    def __attrs_post_init__(self) -> None:
        if self.catalog is not None:
            self.record_types = {t.code: t for t in self.catalog.record_types}

    def add(self, counts: Mapping[str, int]) -> None:
        for table, count in counts.items():
            self.inserted[table] = self.inserted.get(table, 0) + count

    def day_of(self, value: Any) -> date | None:
        """Return :func:`_iso_day` of ``value``, remembered (a file has few distinct dates)."""
        try:
            return self.days[value]
        except KeyError:
            pass
        except TypeError:  # unhashable: a list or a mapping is no date
            return None
        if len(self.days) > _MEMO_LIMIT:
            self.days.clear()
        found = self.days[value] = _iso_day(value, self.today)
        return found


def load(
    store: Store,
    actor: Actor,
    kind: str,
    source: Any,
    purpose: Purpose = Purpose.PENDATAAN,
    *,
    catalog: Catalog | None = None,
    load_id: str | None = None,
    chunk_rows: int = DEFAULT_CHUNK,
    now: datetime | None = None,
    progress: Progress | None = None,
    on_issue: Callable[[Issue], None] | None = None,
) -> LoadReport:
    """Load ``source`` as ``kind`` on behalf of ``actor``; report every bad row.

    Args:
        store: the store to write into.
        actor: who loads; every posyandu, resident and household a row names must lie in
            the actor's scope (rows naming others are reported as not found).
        kind: ``"residents"``, ``"households"``, ``"memberships"`` or ``"records"``.
        source: a CSV path, an iterable of mappings, a pandas/polars DataFrame or a
            pyarrow Table (see :func:`read_rows`).
        purpose: why the rows are processed (UU PDP); ``pendataan`` by default.
        catalog: the catalog whose record types check a ``records`` load (required for
            records).
        load_id: the load's id; by default the SHA-256 of a file, a new random id for
            any other source. Running a load again with the same id creates nothing new.
        chunk_rows: rows per chunk and per transaction.
        now: the time stamped on created rows (for reproducible loads, e.g. synthetic
            data); the current time by default.
        progress: called with the number of rows read so far after each chunk.
        on_issue: called with each issue as it is found (the report keeps them too).

    Returns:
        The :class:`LoadReport`.

    Raises:
        InputError: an unknown kind, an unreadable source, a records load without a
            catalog, or a source missing a required column. Row problems are never
            raised: they are in the report.
    """
    if kind not in KINDS:
        raise InputError(
            [
                Issue(
                    "unknown-kind",
                    "kind",
                    kind,
                    f"Jenis muatan {kind!r} tidak dikenal; pilih {', '.join(KINDS)}.",
                    f"Unknown load kind {kind!r}; choose {', '.join(KINDS)}.",
                )
            ]
        )
    if kind == "records" and catalog is None:
        raise InputError(
            [
                Issue(
                    "required",
                    "catalog",
                    None,
                    "Memuat catatan membutuhkan katalog jenis catatan.",
                    "Loading records needs the catalog of record types.",
                )
            ]
        )
    started = time.perf_counter()
    if load_id is None:
        if isinstance(source, str | Path):
            load_id = f"{kind}-{_file_id(Path(source))}"
        else:
            load_id = f"{kind}-{uuid.uuid4().hex}"
    columns, rows = read_rows(source, batch=chunk_rows, columns=COLUMNS[kind])
    index = {name: i for i, name in enumerate(columns)}
    _check_columns(kind, index)
    moment = now or datetime.now(UTC)
    read = 0
    with store.bulk_writer(actor, purpose, load_id=load_id) as writer:
        writer.prepare(_TABLES[kind])
        run = _Run(writer, actor, load_id, catalog, date.today(), writer.timestamp(moment))
        group = index.get("household") if kind == "residents" else None
        step = {
            "residents": _residents_chunk,
            "households": _households_chunk,
            "memberships": _memberships_chunk,
            "records": _records_chunk,
        }[kind]
        for start, chunk in _chunks(rows, chunk_rows, group):
            before = len(run.issues)
            tables = step(run, index, start, chunk)
            run.add(writer.write(tables))
            if on_issue is not None:
                for issue in run.issues[before:]:
                    on_issue(issue)
            read += len(chunk)
            if progress is not None:
                progress(read)
        counts = {"rows": read, "accepted": run.accepted, "rejected": 0, **run.inserted}
        counts["rejected"] = len({i.row for i in run.issues})
        area = actor.area
        writer.audit("load", counts, area.value if area is not None else run.area)
    return LoadReport(
        load_id=load_id,
        kind=kind,
        rows=read,
        accepted=run.accepted,
        issues=tuple(sorted(run.issues, key=lambda i: (i.row or 0, i.field))),
        inserted=dict(run.inserted),
        seconds=time.perf_counter() - started,
    )


_TABLES: dict[str, tuple[str, ...]] = {
    "residents": ("household", "resident", "domicile", "membership"),
    "households": ("household",),
    "memberships": ("membership",),
    "records": ("record",),
}

COLUMNS: dict[str, tuple[str, ...]] = {
    "residents": (
        "id", "nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw", "address",
        "since", "died_on", "moved_away_on", "moved_in_from", "household", "nomor_kk",
        "relationship", "member_since",
    ),
    "households": ("household", "id", "nomor_kk", "posyandu_id", "rt", "rw", "address"),
    "memberships": (
        "household", "household_id", "resident_id", "nik", "relationship", "start", "end",
    ),
    "records": (
        "record_type", "resident_id", "nik", "household_id", "household", "place",
        "posyandu_id", "observed_on", "value", "idempotency_key", "void_reason",
    ),
}  # fmt: skip
"""Every column each kind of load reads (``records`` also reads ``value.<field>``)."""

_REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "residents": (("name",), ("sex",), ("birth_date",), ("posyandu_id",)),
    "households": (("household", "id"), ("posyandu_id",)),
    "memberships": (
        ("household", "household_id"),
        ("resident_id", "nik"),
        ("relationship",),
        ("start",),
    ),
    "records": (("record_type",), ("observed_on",)),
}


def _check_columns(kind: str, index: Mapping[str, int]) -> None:
    missing = [" / ".join(names) for names in _REQUIRED[kind] if not any(n in index for n in names)]
    if missing:
        raise InputError(
            [
                Issue(
                    "missing-column",
                    name,
                    None,
                    f"Kolom {name} tidak ada dalam berkas.",
                    f"The file has no column {name}.",
                )
                for name in missing
            ]
        )


def _column(index: Mapping[str, int], chunk: list[Row], name: str) -> list[Any]:
    position = index.get(name)
    if position is None:
        return [None] * len(chunk)
    try:
        values = [row[position] for row in chunk]
    except IndexError:  # a short CSV line: its missing cells are blank
        values = [row[position] if position < len(row) else None for row in chunk]
    # Blank cells and NaN (which is not equal to itself) are missing values.
    return [v if v != "" and v == v else None for v in values]


def _not_mappings(chunk: list[Row], start: int, issues: list[Issue]) -> set[int]:
    bad = set()
    for offset, row in enumerate(chunk):
        if row and row[0] is _NOT_A_MAPPING:
            bad.add(offset)
            issues.append(
                _issue(
                    "not-a-mapping",
                    start + offset,
                    "row",
                    row[1],
                    "Baris bukan mapping kolom → nilai.",
                    "The row is not a mapping of column → value.",
                )
            )
    return bad


# ---------------------------------------------------------------------------- residents


def _residents_chunk(
    run: _Run, index: Mapping[str, int], start: int, chunk: list[Row]
) -> dict[str, list[tuple[Any, ...]]]:
    today, w = run.today, run.writer
    bad: dict[int, list[Issue]] = {}
    skip = _not_mappings(chunk, start, run.issues)
    col = {name: _column(index, chunk, name) for name in _RESIDENT_COLUMNS}
    people: list[dict[str, Any] | None] = []
    for i in range(len(chunk)):
        number = start + i
        if i in skip:
            people.append(None)
            continue
        found: list[Issue] = []
        nik, name, sex = col["nik"][i], col["name"][i], col["sex"][i]
        as_number = _number_id(number, "nik", nik)
        if as_number is not None:
            found.append(as_number)
            nik = None
        birth = _iso_day(col["birth_date"][i], today)
        posyandu, rt, rw, address = (
            col["posyandu_id"][i],
            col["rt"][i],
            col["rw"][i],
            col["address"][i],
        )
        if (
            (nik is None or (isinstance(nik, str) and _nik_ok(nik)))
            and _text_ok(name, 200)
            and sex in ("L", "P")
            and birth is not None
            and birth >= EARLIEST_BIRTH
            and _text_ok(posyandu, 64)
            and _rt_ok(rt)
            and _rt_ok(rw)
            and (address is None or _text_ok(address, 500))
        ):
            person = {
                "nik": nik,
                "name": name,
                "sex": sex,
                "birth_date": birth,
                "posyandu_id": posyandu,
                "rt": rt,
                "rw": rw,
                "address": address,
            }
        else:
            try:
                model = ResidentIn.model_validate(
                    _given(
                        nik=nik,
                        name=name,
                        sex=sex,
                        birth_date=col["birth_date"][i],
                        posyandu_id=posyandu,
                        rt=rt,
                        rw=rw,
                        address=address,
                    )
                )
                person = model.model_dump()
                person["sex"] = model.sex.value
            except pydantic.ValidationError as error:
                found.extend(issues_from(error, row=number))
                person = {}
        person["id"] = col["id"][i] or stable_id(run.load_id, "resident", str(number))
        birth_date = person.get("birth_date")
        since = _optional_date(number, "since", col["since"][i], today, found) or birth_date
        died = _optional_date(number, "died_on", col["died_on"][i], today, found)
        away = _optional_date(number, "moved_away_on", col["moved_away_on"][i], today, found)
        member = _optional_date(number, "member_since", col["member_since"][i], today, found)
        if birth_date is not None and since is not None and since < birth_date:
            found.append(
                _issue(
                    "date-too-early",
                    number,
                    "since",
                    since.isoformat(),
                    "Domisili tidak dapat dimulai sebelum tanggal lahir.",
                    "A domicile cannot start before the birth date.",
                )
            )
        if since is not None and died is not None and died < since:
            found.append(
                _issue(
                    "date-too-early",
                    number,
                    "died_on",
                    died.isoformat(),
                    "Tanggal meninggal sebelum awal domisili atau kelahiran.",
                    "The date of death is before the domicile's start or the birth.",
                )
            )
        if since is not None and away is not None and away <= since:
            found.append(
                _issue(
                    "date-too-early",
                    number,
                    "moved_away_on",
                    away.isoformat(),
                    "Tanggal pindah keluar harus sesudah awal domisili.",
                    "The moving-away date must be after the domicile's start.",
                )
            )
        came_from = col["moved_in_from"][i]
        if came_from is not None and (birth_date is None or since is None or since <= birth_date):
            found.append(
                _issue(
                    "required",
                    number,
                    "since",
                    None if since is None else since.isoformat(),
                    "Warga yang pindah datang (moved_in_from) perlu tanggal mulai domisili "
                    "(since) sesudah tanggal lahir.",
                    "A resident who moved in (moved_in_from) needs a domicile start (since) "
                    "after the birth date.",
                )
            )
        person.update(
            since=since,
            died_on=died,
            moved_away_on=away,
            member_since=member,
            moved_in_from=came_from,
        )
        if col["household"][i] is not None:
            relation = _relationship(number, col["relationship"][i], found)
            if col["relationship"][i] is None and relation is None:
                found.append(_required(number, "relationship"))
            person["relationship"] = relation
            kk = col["nomor_kk"][i]
            as_number = _number_id(number, "nomor_kk", kk)
            if as_number is not None:
                found.append(as_number)
            elif kk is not None:
                if isinstance(kk, str) and len(kk) == 16 and kk.isdigit():
                    person["nomor_kk"] = kk
                else:
                    person["nomor_kk"] = _custom(normalise_kk, kk, number, "nomor_kk", found)
        if found:
            bad[i] = found
        people.append(person)

    # NIKs: twice in the chunk, or already registered to someone else.
    first: dict[str, int] = {}
    for i, entry in enumerate(people):
        nik = entry and entry.get("nik")
        if not nik or i in bad:
            continue
        if nik in first:
            bad.setdefault(i, []).append(
                _issue(
                    "duplicate-nik-in-batch",
                    start + i,
                    "nik",
                    nik,
                    f"NIK {nik} juga ada di baris {start + first[nik]}.",
                    f"NIK {nik} also appears in row {start + first[nik]}.",
                )
            )
        else:
            first[nik] = i
    owners = w.nik_owners(first)
    for nik, i in first.items():
        entry = people[i]
        assert entry is not None
        if nik in owners and owners[nik] != entry["id"]:
            bad.setdefault(i, []).append(
                _issue(
                    "duplicate-nik",
                    start + i,
                    "nik",
                    nik,
                    f"NIK {nik} sudah terdaftar untuk warga lain; baris tidak disimpan.",
                    f"NIK {nik} is already registered to another resident; the row was not saved.",
                )
            )
    villages = w.posyandu_villages(
        value
        for p in people
        if p
        for value in (p.get("posyandu_id"), p.get("moved_in_from"))
        if value
    )
    for i, entry in enumerate(people):
        for field in ("posyandu_id", "moved_in_from"):
            if entry and entry.get(field) and entry[field] not in villages:
                bad.setdefault(i, []).append(_not_found(start + i, "posyandu", field, entry[field]))

    # Households: contiguous groups, all or nothing.
    households = col["household"]
    groups: list[list[int]] = []
    for i in range(len(chunk)):
        if households[i] is None or people[i] is None:
            continue
        if groups and households[groups[-1][0]] == households[i]:
            groups[-1].append(i)
        else:
            groups.append([i])
    household_rows: list[tuple[Any, ...]] = []
    membership_rows: list[tuple[Any, ...]] = []
    home: dict[int, str] = {}
    kk_wanted: dict[str, tuple[str, list[int]]] = {}
    for members in groups:
        key = str(households[members[0]])
        household_id = stable_id("household", key)
        heads = [i for i in members if people[i] and people[i].get("relationship") == 1]  # type: ignore[union-attr]
        for extra in heads[1:]:
            bad.setdefault(extra, []).append(
                _issue(
                    "second-kepala-keluarga",
                    start + extra,
                    "relationship",
                    "1",
                    f"Rumah tangga {key} sudah memiliki kepala keluarga di baris "
                    f"{start + heads[0]}.",
                    f"Household {key} already has a head of household in row {start + heads[0]}.",
                )
            )
        lead = people[heads[0] if heads else members[0]]
        assert lead is not None
        if (heads[0] if heads else members[0]) not in bad and (
            lead.get("rt") is None or lead.get("rw") is None
        ):
            bad.setdefault(heads[0] if heads else members[0], []).append(
                _issue(
                    "required",
                    start + (heads[0] if heads else members[0]),
                    "rt" if lead.get("rt") is None else "rw",
                    None,
                    "RT dan RW rumah tangga wajib diisi.",
                    "The household's RT and RW are required.",
                )
            )
        kk = next(
            (
                p.get("nomor_kk")
                for p in map(people.__getitem__, members)
                if p and p.get("nomor_kk")
            ),
            None,
        )
        if kk:
            kk_wanted[kk] = (household_id, members)
        for i in members:
            home[i] = household_id
    owners_kk = w.kk_owners(kk_wanted)
    for kk, (household_id, members) in kk_wanted.items():
        if kk in owners_kk and owners_kk[kk] != household_id:
            bad.setdefault(members[0], []).append(
                _issue(
                    "duplicate-kk",
                    start + members[0],
                    "nomor_kk",
                    kk,
                    f"Nomor KK {kk} sudah terdaftar untuk rumah tangga lain.",
                    f"Family card number {kk} is already registered to another household.",
                )
            )
    for members in groups:
        broken = [i for i in members if i in bad]
        if broken:
            rows_text = ", ".join(str(start + i) for i in broken)
            for i in members:
                if i not in bad:
                    bad[i] = [
                        _issue(
                            "household-incomplete",
                            start + i,
                            "household",
                            str(households[i]),
                            f"Rumah tangga ini tidak disimpan karena baris {rows_text} "
                            "bermasalah; rumah tangga tidak pernah disimpan sebagian.",
                            f"This household was not saved because row(s) {rows_text} "
                            "have problems; a household is never saved in part.",
                        )
                    ]
            continue
        lead = people[next((i for i in members if people[i].get("relationship") == 1), members[0])]  # type: ignore[union-attr]
        assert lead is not None
        kk = next((people[i].get("nomor_kk") for i in members if people[i].get("nomor_kk")), None)  # type: ignore[union-attr]
        household_rows.append(
            (
                home[members[0]],
                kk,
                lead["posyandu_id"],
                villages[lead["posyandu_id"]],
                lead["rt"],
                lead["rw"],
                lead.get("address"),
                1,
                run.now,
                run.now,
            )
        )
    for issues in bad.values():
        run.issues.extend(issues)

    resident_rows, domicile_rows = [], []
    for i, entry in enumerate(people):
        if entry is None or i in bad:
            continue
        run.accepted += 1
        village = villages[entry["posyandu_id"]]
        if run.area is None:
            run.area = village[:5]
        died, away, since = entry["died_on"], entry["moved_away_on"], entry["since"]
        resident_rows.append(
            (
                entry["id"],
                entry["nik"],
                entry["name"],
                entry["sex"],
                entry["birth_date"].isoformat(),
                entry["posyandu_id"],
                village,
                entry["rt"],
                entry["rw"],
                entry["address"],
                w.flag(False),
                w.day(died),
                w.day(away),
                1,
                run.now,
                run.now,
            )
        )
        until = died
        if away is not None:
            until = (
                away - timedelta(days=1) if until is None else min(until, away - timedelta(days=1))
            )
        came_from = entry["moved_in_from"]
        if came_from is not None:
            born = entry["birth_date"]
            domicile_rows.append(
                (
                    stable_id(entry["id"], "domicile", born.isoformat()),
                    entry["id"],
                    came_from,
                    villages[came_from],
                    None,
                    None,
                    born.isoformat(),
                    (since - timedelta(days=1)).isoformat(),
                )
            )
        domicile_rows.append(
            (
                stable_id(entry["id"], "domicile", since.isoformat()),
                entry["id"],
                entry["posyandu_id"],
                village,
                entry["rt"],
                entry["rw"],
                since.isoformat(),
                w.day(until),
            )
        )
        if i in home:
            begin = entry["member_since"] or since
            membership_rows.append(
                (
                    stable_id(home[i], entry["id"], begin.isoformat()),
                    home[i],
                    entry["id"],
                    entry["relationship"],
                    begin.isoformat(),
                    None,
                )
            )
    return {
        "household": household_rows,
        "resident": resident_rows,
        "domicile": domicile_rows,
        "membership": membership_rows,
    }


_RESIDENT_COLUMNS = (
    "id", "nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw", "address", "since",
    "died_on", "moved_away_on", "moved_in_from", "household", "nomor_kk", "relationship",
    "member_since",
)  # fmt: skip


# ---------------------------------------------------------------------------- households


def _households_chunk(
    run: _Run, index: Mapping[str, int], start: int, chunk: list[Row]
) -> dict[str, list[tuple[Any, ...]]]:
    w = run.writer
    skip = _not_mappings(chunk, start, run.issues)
    col = {
        n: _column(index, chunk, n)
        for n in ("household", "id", "nomor_kk", "posyandu_id", "rt", "rw", "address")
    }
    good: list[tuple[int, str, dict[str, Any]]] = []
    issues: list[Issue] = []
    for i in range(len(chunk)):
        if i in skip:
            continue
        number = start + i
        data = {k: col[k][i] for k in ("nomor_kk", "posyandu_id", "rt", "rw", "address")}
        as_number = _number_id(number, "nomor_kk", data["nomor_kk"])
        if as_number is not None:
            issues.append(as_number)
            continue
        key = col["household"][i]
        household_id = col["id"][i] or (
            stable_id("household", str(key)) if key is not None else None
        )
        if household_id is None:
            issues.append(_required(number, "household"))
            continue
        try:
            model = HouseholdIn.model_validate(_given(**data))
        except pydantic.ValidationError as error:
            issues.extend(issues_from(error, row=number))
            continue
        good.append((number, household_id, model.model_dump()))
    villages = w.posyandu_villages(h["posyandu_id"] for _, _, h in good)
    owners = w.kk_owners(h["nomor_kk"] for _, _, h in good if h["nomor_kk"])
    rows: list[tuple[Any, ...]] = []
    seen_kk: dict[str, int] = {}
    for number, household_id, h in good:
        if h["posyandu_id"] not in villages:
            issues.append(_not_found(number, "posyandu", "posyandu_id", h["posyandu_id"]))
            continue
        kk = h["nomor_kk"]
        if kk and ((kk in owners and owners[kk] != household_id) or kk in seen_kk):
            issues.append(
                _issue(
                    "duplicate-kk",
                    number,
                    "nomor_kk",
                    kk,
                    f"Nomor KK {kk} sudah terdaftar untuk rumah tangga lain.",
                    f"Family card number {kk} is already registered to another household.",
                )
            )
            continue
        if kk:
            seen_kk[kk] = number
        run.accepted += 1
        village = villages[h["posyandu_id"]]
        run.area = run.area or village[:5]
        rows.append(
            (
                household_id,
                kk,
                h["posyandu_id"],
                village,
                h["rt"],
                h["rw"],
                h["address"],
                1,
                run.now,
                run.now,
            )
        )
    run.issues.extend(issues)
    return {"household": rows}


# ---------------------------------------------------------------------------- memberships


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return (a_end is None or a_end >= b_start) and (b_end is None or b_end >= a_start)


def _memberships_chunk(
    run: _Run, index: Mapping[str, int], start: int, chunk: list[Row]
) -> dict[str, list[tuple[Any, ...]]]:
    w = run.writer
    skip = _not_mappings(chunk, start, run.issues)
    names = ("household", "household_id", "resident_id", "nik", "relationship", "start", "end")
    col = {n: _column(index, chunk, n) for n in names}
    issues: list[Issue] = []
    parsed: list[tuple[int, str, Any, Any, MembershipIn]] = []
    for i in range(len(chunk)):
        if i in skip:
            continue
        number = start + i
        as_number = _number_id(number, "nik", col["nik"][i])
        if as_number is not None:
            issues.append(as_number)
            continue
        household = col["household_id"][i] or (
            stable_id("household", str(col["household"][i]))
            if col["household"][i] is not None
            else None
        )
        try:
            model = MembershipIn.model_validate(
                _given(
                    household_id=household or "",
                    resident_id=col["resident_id"][i] or col["nik"][i] or "",
                    relationship=col["relationship"][i],
                    start=col["start"][i],
                    end=col["end"][i],
                )
            )
        except pydantic.ValidationError as error:
            found = issues_from(error, row=number)
            if col["resident_id"][i] is None and col["nik"][i] is not None:
                found = [
                    attrs.evolve(x, field="nik") if x.field == "resident_id" else x for x in found
                ]
            issues.extend(found)
            continue
        parsed.append((number, model.household_id, col["resident_id"][i], col["nik"][i], model))
    people = w.residents(
        ids=[r for _, _, r, _, _ in parsed if r],
        niks=[n for _, _, r, n, _ in parsed if not r and n],
    )
    homes = w.households(h for _, h, _, _, _ in parsed)
    candidates: list[tuple[int, str, str, MembershipIn]] = []
    for number, household_id, resident_id, nik, model in parsed:
        person = people.get(resident_id or nik)
        if person is None:
            issues.append(
                _not_found(
                    number, "resident", "resident_id" if resident_id else "nik", resident_id or nik
                )
            )
            continue
        if household_id not in homes:
            issues.append(
                _not_found(
                    number,
                    "household",
                    "household_id" if col["household_id"][number - start] else "household",
                    household_id,
                )
            )
            continue
        candidates.append((number, household_id, person[0], model))
    stored = w.memberships(
        residents=[c[2] for c in candidates], households=[c[1] for c in candidates]
    )
    taken: list[tuple[str, str, str, int, date, date | None]] = list(stored)
    stored_ids = {m[0] for m in stored}
    rows: list[tuple[Any, ...]] = []
    for number, household_id, resident_id, model in candidates:
        membership_id = stable_id(household_id, resident_id, model.start.isoformat())
        if membership_id in stored_ids:
            run.accepted += 1  # loaded before
            continue
        relation = int(model.relationship)
        period = f"{model.start.isoformat()}..{'' if model.end is None else model.end.isoformat()}"
        clash = next(
            (
                m
                for m in taken
                if m[2] == resident_id and _overlaps(m[4], m[5], model.start, model.end)
            ),
            None,
        )
        if clash is not None:
            issues.append(
                _issue(
                    "overlapping-membership",
                    number,
                    "start",
                    period,
                    f"Warga {resident_id} sudah menjadi anggota rumah tangga lain pada periode "
                    f"{period}; seorang warga hanya boleh di satu rumah tangga pada satu hari.",
                    f"Resident {resident_id} already belongs to a household during {period}; a "
                    "resident belongs to at most one household on any day.",
                )
            )
            continue
        if relation == 1 and any(
            m[1] == household_id and m[3] == 1 and _overlaps(m[4], m[5], model.start, model.end)
            for m in taken
        ):
            issues.append(
                _issue(
                    "second-kepala-keluarga",
                    number,
                    "relationship",
                    "1",
                    f"Rumah tangga {household_id} sudah memiliki kepala keluarga pada "
                    f"periode {period}.",
                    f"Household {household_id} already has a head of household during {period}.",
                )
            )
            continue
        taken.append((membership_id, household_id, resident_id, relation, model.start, model.end))
        run.accepted += 1
        rows.append(
            (
                membership_id,
                household_id,
                resident_id,
                relation,
                model.start.isoformat(),
                w.day(model.end),
            )
        )
    run.issues.extend(issues)
    return {"membership": rows}


# ---------------------------------------------------------------------------- records


_SUBJECT_COLUMNS = ("resident_id", "nik", "household_id", "household", "place")


def _record_id(key: str) -> str:
    """Return the id of a record whose key was derived (40 hex digits) in UUID form."""
    return f"{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:32]}"


@functools.cache
def _adapter(schema: type[pydantic.BaseModel]) -> pydantic.TypeAdapter[list[Any]]:
    """Return the (cached) validator of a list of values of ``schema``."""
    return pydantic.TypeAdapter(list[schema])  # type: ignore[valid-type]


def _value_of(raw: Any, fields: Mapping[str, list[Any]], i: int) -> Any:
    if raw is not None:
        return raw
    return {name: values[i] for name, values in fields.items() if values[i] is not None}


_KIND_OF = (Subject.RESIDENT, Subject.RESIDENT, Subject.HOUSEHOLD, Subject.HOUSEHOLD, Subject.PLACE)
"""The subject each of :data:`_SUBJECT_COLUMNS` names."""

_NIK_COLUMN = _SUBJECT_COLUMNS.index("nik")

_VALUE_BATCH = 1_000
"""Values validated per pydantic-core call (larger lists cost more per value)."""


def _which_subject(a: Any, b: Any, c: Any, d: Any, e: Any) -> int:
    """Return the index of the one subject column given, or -1 (none or several)."""
    given = (a is not None) + (b is not None) + (c is not None) + (d is not None) + (e is not None)
    if given != 1:
        return -1
    return (
        0
        if a is not None
        else 1
        if b is not None
        else 2
        if c is not None
        else 3
        if d is not None
        else 4
    )


def _record_problems(
    run: _Run, col: Mapping[str, list[Any]], i: int, number: int
) -> tuple[list[Issue], date | None]:
    """Check one row's type, date, subject and key the slow way; return its issues and day."""
    catalog, today = run.catalog, run.today
    assert catalog is not None
    code = col["record_type"][i]
    problems: list[Issue] = []
    record_type: RecordType | None = None
    if code is None:
        problems.append(_required(number, "record_type"))
    else:
        try:
            record_type = catalog.record_type(str(code))
        except UnknownCode as error:
            problems.append(
                _issue(error.code, number, "record_type", code, error.message_id, error.message_en)
            )
    day = _iso_day(col["observed_on"][i], today)
    if day is None:
        if col["observed_on"][i] is None:
            problems.append(_required(number, "observed_on"))
        else:
            day, issue = _date_issue(number, "observed_on", col["observed_on"][i], today)
            if issue is not None:
                problems.append(issue)
    as_number = _number_id(number, "nik", col["nik"][i])
    if as_number is not None:
        problems.append(as_number)
    given = [n for n in _SUBJECT_COLUMNS if col[n][i] is not None]
    if len(given) != 1:
        problems.append(
            _issue(
                "one-subject",
                number,
                given[-1] if given else "resident_id",
                ", ".join(given) or None,
                f"Isi tepat satu dari resident_id, nik, household_id, household atau place "
                f"(terisi: {len(given)}).",
                f"Give exactly one of resident_id, nik, household_id, household or place "
                f"({len(given)} given).",
            )
        )
    elif record_type is not None:
        kind = _KIND_OF[_SUBJECT_COLUMNS.index(given[0])]
        if kind is not record_type.subject:
            problems.append(
                _issue(
                    "wrong-subject",
                    number,
                    given[0],
                    col[given[0]][i],
                    f"Jenis catatan {record_type.code} tentang "
                    f"{record_type.subject.label.id.lower()}, bukan {kind.label.id.lower()}.",
                    f"Record type {record_type.code} is about a "
                    f"{record_type.subject.label.en.lower()}, not a {kind.label.en.lower()}.",
                )
            )
    key = col["idempotency_key"][i]
    if key is not None and not _key_ok(key):
        problems.append(
            _issue(
                "invalid-key",
                number,
                "idempotency_key",
                key,
                "Kunci pengiriman harus teks 1–64 karakter.",
                "The idempotency key must be text of 1–64 characters.",
            )
        )
    return problems, day


def _key_ok(key: Any) -> bool:
    return isinstance(key, str) and 0 < len(key.strip()) <= 64


def _checked_values(
    run: _Run, code: str, raw: list[Any], members: list[int], start: int, issues: list[Issue]
) -> dict[int, str]:
    """Return row → canonical JSON of the valid values of one record type.

    JSON text is validated once per distinct text (a run remembers what it saw), in
    batches, by pydantic-core; when a batch holds a bad value, or the values are not
    text, every value is checked on its own so each bad row gets its own issues.
    """
    assert run.catalog is not None
    schema = run.catalog.record_type(code).value_schema
    adapter = _adapter(schema)
    memo = run.canonical
    if all(type(item) is str for item in raw):
        fresh = [t for t in dict.fromkeys(raw) if (code, t) not in memo]
        ok = True
        for at in range(0, len(fresh), _VALUE_BATCH):
            part = fresh[at : at + _VALUE_BATCH]
            try:
                dumped = adapter.dump_python(
                    adapter.validate_json("[" + ",".join(part) + "]"), mode="json"
                )
            except (pydantic.ValidationError, ValueError):
                ok = False  # some row is bad: find which, row by row, below
                break
            if len(dumped) != len(part):
                ok = False
                break
            for text, value in zip(part, dumped, strict=True):
                memo[code, text] = canonical_json(value)
        if len(memo) > _MEMO_LIMIT:
            memo.clear()
        if ok:
            found = {}
            for i, text in zip(members, raw, strict=True):
                canon = memo.get((code, text))
                if canon is None:  # forgotten when the memo was cleared
                    value = adapter.dump_python(adapter.validate_json(f"[{text}]"), mode="json")
                    canon = canonical_json(value[0])
                found[i] = canon
            return found
    parsed_raw: list[Any] = []
    for i, item in zip(members, raw, strict=True):
        if isinstance(item, str):
            try:
                item = json.loads(item)
            except ValueError:
                issues.append(
                    _issue(
                        "invalid-json",
                        start + i,
                        "value",
                        item,
                        "Isi catatan bukan JSON yang sah.",
                        "The record value is not valid JSON.",
                    )
                )
                item = None
        parsed_raw.append(item)
    keep = [(i, v) for i, v in zip(members, parsed_raw, strict=True) if v is not None]
    values: dict[int, str] = {}
    try:
        models = adapter.validate_python([v for _, v in keep])
        dumped = adapter.dump_python(models, mode="json")
        values.update({i: canonical_json(d) for (i, _), d in zip(keep, dumped, strict=True)})
    except pydantic.ValidationError:
        for i, item in keep:
            try:
                model = schema.model_validate(item)
                values[i] = canonical_json(model.model_dump(mode="json"))
            except pydantic.ValidationError as error:
                issues.extend(issues_from(error, prefix="value", row=start + i))
    return values


_MEMO_LIMIT = 50_000
"""Distinct (record type, value text) pairs a run remembers before it starts afresh."""


def _records_chunk(
    run: _Run, index: Mapping[str, int], start: int, chunk: list[Row]
) -> dict[str, list[tuple[Any, ...]]]:
    w, catalog = run.writer, run.catalog
    assert catalog is not None
    skip = _not_mappings(chunk, start, run.issues)
    names = (
        "record_type",
        *_SUBJECT_COLUMNS,
        "posyandu_id",
        "observed_on",
        "value",
        "idempotency_key",
        "void_reason",
    )
    col = {n: _column(index, chunk, n) for n in names}
    value_fields = {
        name.removeprefix("value."): _column(index, chunk, name)
        for name in index
        if name.startswith("value.")
    }
    issues: list[Issue] = []

    # Type, date, subject and key: checked by column; a row any check flags is checked
    # again on its own, which names each problem.
    types = run.record_types
    codes = col["record_type"]
    found_types = [types.get(c) if type(c) is str else None for c in codes]
    day_of = run.day_of
    observed = col["observed_on"]
    days_col = [day_of(v) for v in observed]
    which = list(map(_which_subject, *(col[n] for n in _SUBJECT_COLUMNS)))
    given_keys = col["idempotency_key"]
    by_type: dict[str, list[int]] = {}
    days: dict[int, date] = {}
    for i, (record_type, day, subject, key) in enumerate(
        zip(found_types, days_col, which, given_keys, strict=True)
    ):
        if (
            record_type is not None
            and day is not None
            and subject >= 0
            and _KIND_OF[subject] is record_type.subject
            and (key is None or _key_ok(key))
            and (subject != _NIK_COLUMN or not looks_numeric(col["nik"][i]))
            and i not in skip
        ):
            days[i] = day
            by_type.setdefault(record_type.code, []).append(i)
            continue
        if i in skip:
            continue
        problems, slow_day = _record_problems(run, col, i, start + i)
        if problems:
            issues.extend(problems)
            continue
        assert slow_day is not None
        days[i] = slow_day
        by_type.setdefault(str(codes[i]), []).append(i)

    # Values: one validation per distinct value, in pydantic-core.
    values: dict[int, str] = {}
    value_col = col["value"]
    for code, members in by_type.items():
        if value_fields:
            raw = [_value_of(value_col[i], value_fields, i) for i in members]
        else:
            raw = [value_col[i] for i in members]
        values.update(_checked_values(run, code, raw, members, start, issues))

    # Subjects: resolved in the actor's scope.
    wanted = list(values)
    resident_col, nik_col = col["resident_id"], col["nik"]
    home_col, home_key_col = col["household_id"], col["household"]
    place_col, posyandu_col = col["place"], col["posyandu_id"]
    people = w.residents(
        ids=[resident_col[i] for i in wanted if resident_col[i] is not None],
        niks=[nik_col[i] for i in wanted if nik_col[i] is not None],
    )
    home_ids = {
        i: home_col[i] or stable_id("household", str(home_key_col[i]))
        for i in wanted
        if home_col[i] is not None or home_key_col[i] is not None
    }
    homes = w.households(home_ids.values())
    villages = w.posyandu_villages(
        posyandu_col[i] for i in wanted if place_col[i] is not None and posyandu_col[i] is not None
    )
    good: list[int] = []
    bodies: list[tuple[Any, ...]] = []
    kinds: list[str] = []
    subject_ids: list[str] = []
    isodays: list[str] = []
    texts: list[str] = []
    for i in wanted:
        resident = resident_col[i] or nik_col[i]
        columns: tuple[Any, ...]
        if resident is not None:
            person = people.get(resident)
            if person is None:
                issues.append(
                    _not_found(
                        start + i,
                        "resident",
                        "resident_id" if resident_col[i] else "nik",
                        resident,
                    )
                )
                continue
            columns = (person[0], None, None, person[1], person[2])
            kinds.append("resident")
            subject_ids.append(person[0])
        elif i in home_ids:
            home = homes.get(home_ids[i])
            if home is None:
                field = "household_id" if home_col[i] else "household"
                issues.append(_not_found(start + i, "household", field, col[field][i]))
                continue
            columns = (None, home_ids[i], None, home[0], home[1])
            kinds.append("household")
            subject_ids.append(home_ids[i])
        else:
            place = str(place_col[i])
            posyandu = posyandu_col[i]
            village = villages.get(posyandu) if posyandu is not None else None
            if village is None or place != village:  # a posyandu reports on its own village
                issues.append(_not_found(start + i, "wilayah", "place", place))
                continue
            columns = (None, None, place, posyandu, village)
            kinds.append("place")
            subject_ids.append(f"{place}@{posyandu}")
        iso = days[i].isoformat()
        text = values[i]
        good.append(i)
        isodays.append(iso)
        texts.append(text)
        bodies.append((str(codes[i]), *columns, iso, text))
    derived = record_keys(kinds, subject_ids, [b[0] for b in bodies], isodays, texts)

    # Keys given by the client: the same key must mean the same record.
    stored = w.records_by_key(given_keys[i].strip() for i in good if given_keys[i] is not None)
    seen: dict[str, tuple[Any, ...]] = {}
    rows: list[tuple[Any, ...]] = []
    actor_id, now = run.actor.id, run.now
    reasons = col["void_reason"]
    accepted = 0
    for i, body, key in zip(good, bodies, derived, strict=True):
        given = given_keys[i]
        if given is None:
            record_id = _record_id(key)
        else:
            key = given.strip()
            old = stored.get(key)
            if old is not None and not (
                old[0] == body[0]
                and old[1] == body[1]
                and old[2] == body[2]
                and old[3] == body[3]
                and str(old[4]) == body[6]
                and canonical_json(old[5]) == body[7]
            ):
                issues.append(idempotency_conflict(key, start + i))
                continue
            record_id = stable_id("record", key)
        if seen.setdefault(key, body) != body:
            issues.append(idempotency_conflict(key, start + i))
            continue
        accepted += 1
        reason = reasons[i]
        rows.append(
            (
                record_id,
                *body,
                actor_id,
                now,
                key,
                now if reason else None,
                str(reason)[:500] if reason else None,
                None,
            )
        )
        if run.area is None:
            run.area = body[5][:5]
    run.accepted += accepted
    run.issues.extend(issues)
    return {"record": rows}
