"""Spreadsheets in and out: templates, error files and exports a kader can open safely.

Three jobs, each on top of the bulk path of :mod:`spm_core.load`:

* **Templates** (:func:`write_template`) — one workbook per kind of file, with its
  columns, a note on each header cell and a second sheet giving every column's meaning
  in Bahasa Indonesia and English, whether it is required and its allowed values. The
  NIK and KK columns are formatted as text (number format ``@``), so Excel keeps every
  digit a kader types.
* **Error files** (:func:`write_rejects`) — after an import, every rejected row with
  its original cells and five more columns (``row``, ``column``, ``code``,
  ``message_id``, ``message_en``), in the format of the input, ready to be fixed and
  imported again (the extra columns are ignored by the loader).
* **Exports** (:func:`write_table`) — CSV, Excel, JSON or Parquet. In CSV and Excel
  every text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is written with a leading apostrophe (:func:`neutralise`), so a spreadsheet
  shows it as text instead of running it as a formula. Numbers stay numbers: a
  negative count in a numeric column is not touched. Reading a CSV or Excel file takes
  the apostrophe off again (:func:`restore`), so a value survives export and import
  unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import attrs

from spm_core._files import write_file
from spm_core.domain.cells import neutralise, neutralise_row, restore
from spm_core.domain.text import Text
from spm_core.errors import InputError, Issue
from spm_core.load import (
    COLUMNS,
    FORMULA_TRIGGERS,
    IDENTIFIER_COLUMNS,
    KINDS,
    LoadReport,
    read_rows,
)

__all__ = [
    "ERROR_COLUMNS",
    "FORMATS",
    "TEMPLATE_COLUMNS",
    "TRIGGERS",
    "ColumnHelp",
    "legend",
    "neutralise",
    "restore",
    "write_rejects",
    "write_table",
    "write_template",
]

TRIGGERS = FORMULA_TRIGGERS
"""First characters that make a spreadsheet read a cell as a formula (or DDE command)."""

FORMATS = ("csv", "xlsx", "json", "parquet")
"""The formats :func:`write_table` writes."""

ERROR_COLUMNS = ("row", "column", "code", "message_id", "message_en")
"""The columns an error file adds after the input's own columns."""

TEXT_FORMAT = "@"
"""Excel's number format "Text"."""


# ============================================================================ templates


@attrs.frozen
class ColumnHelp:
    """What one column of an import file means, for templates and docs."""

    name: str
    meaning: Text
    allowed: Text | None
    required: bool = False
    example: str = ""


def _c(name: str, id_: str, en: str, allowed: tuple[str, str] = ("", ""), *,
       required: bool = False, example: str = "") -> ColumnHelp:  # fmt: skip
    return ColumnHelp(name, Text(id_, en), Text(*allowed) if allowed[0] else None, required,
                      example)  # fmt: skip


_DATE = ("tanggal YYYY-MM-DD atau DD-MM-YYYY", "a date, YYYY-MM-DD or DD-MM-YYYY")
_NIK = ("16 digit sebagai teks", "16 digits as text")
_RT = ("1–3 digit, bukan 000", "1–3 digits, not 000")
_SHDK = (
    "SHDK 1–11 (1 kepala keluarga, 2 suami, 3 istri, 4 anak, …)",
    "SHDK 1–11 (1 head, 2 husband, 3 wife, 4 child, …)",
)
_HELP: dict[str, ColumnHelp] = {
    h.name: h
    for h in (
        _c("id", "id tetap baris ini (kosongkan untuk baris baru)",
           "the row's stable id (leave blank for a new row)"),
        _c("nik", "NIK warga", "the resident's NIK", _NIK, example="3275014101900001"),
        _c("name", "nama lengkap", "full name", ("teks, paling banyak 200 karakter",
           "text, at most 200 characters"), required=True, example="Siti Aminah"),
        _c("sex", "jenis kelamin", "sex", ("L atau P", "L or P"), required=True, example="P"),
        _c("birth_date", "tanggal lahir", "date of birth", _DATE, required=True,
           example="1990-01-01"),
        _c("posyandu_id", "id posyandu tempat terdaftar", "id of the posyandu registered at",
           required=True),
        _c("rt", "RT", "RT", _RT, example="001"),
        _c("rw", "RW", "RW", _RT, example="002"),
        _c("address", "alamat", "address"),
        _c("since", "awal domisili (bawaan: tanggal lahir)",
           "start of the domicile (default: the birth date)", _DATE),
        _c("died_on", "tanggal meninggal", "date of death", _DATE),
        _c("moved_away_on", "tanggal pindah keluar", "date of moving away", _DATE),
        _c("moved_in_from", "posyandu sebelum pindah datang",
           "the posyandu lived at before moving in"),
        _c("household", "kunci rumah tangga (mis. nomor KK); baris satu rumah tangga berurutan",
           "household key (e.g. the KK number); rows of one household follow each other"),
        _c("nomor_kk", "nomor Kartu Keluarga", "family card (KK) number", _NIK,
           example="3275011203180007"),
        _c("relationship", "hubungan dalam keluarga", "relationship in the household", _SHDK,
           example="1"),
        _c("member_since", "awal keanggotaan rumah tangga", "start of the membership", _DATE),
        _c("household_id", "id rumah tangga", "household id"),
        _c("resident_id", "id warga (atau isi nik)", "resident id (or give nik)"),
        _c("start", "awal keanggotaan", "start of the membership", _DATE, required=True),
        _c("end", "akhir keanggotaan", "end of the membership", _DATE),
        _c("record_type", "kode jenis catatan (spm catalog --kind record_type)",
           "record type code (spm catalog --kind record_type)", required=True,
           example="kesehatan.penimbangan"),
        _c("place", "kode desa/kelurahan untuk catatan tentang tempat",
           "village code for a record about a place"),
        _c("observed_on", "tanggal pengamatan", "date observed", _DATE, required=True),
        _c("value", "isi catatan sebagai JSON (atau kolom value.<isian>)",
           "the record's value as JSON (or value.<field> columns)",
           ("spm schema record:KODE", "spm schema record:CODE"), example='{"berat_kg": 9.5}'),
        _c("idempotency_key", "kunci pengiriman (bawaan: diturunkan dari isi)",
           "idempotency key (default: derived from the content)"),
        _c("void_reason", "alasan pembatalan (memuat catatan yang sudah dibatalkan)",
           "reason for voiding (loads the record already voided)"),
    )
}  # fmt: skip

TEMPLATE_COLUMNS: dict[str, tuple[ColumnHelp, ...]] = {
    kind: tuple(_HELP[name] for name in COLUMNS[kind]) for kind in KINDS
}
"""Every column of each kind of import file, with its meaning, in the loader's order."""

_REQUIRED_ONE_OF = {
    "households": ("household", "posyandu_id"),
    "memberships": ("relationship",),
}


def _required(kind: str, column: ColumnHelp) -> bool:
    return column.required or column.name in _REQUIRED_ONE_OF.get(kind, ())


_LEGEND_HEADER = (
    Text("kolom", "column"),
    Text("wajib", "required"),
    Text("arti", "meaning"),
    Text("arti (English)", "meaning (Bahasa Indonesia)"),
    Text("nilai yang boleh", "allowed values"),
    Text("contoh", "example"),
)


def write_template(kind: str, fmt: str, out: Path | IO[bytes], *, lang: str = "id") -> None:
    """Write the import template for ``kind`` as ``xlsx`` or ``csv`` to ``out``.

    The workbook's first sheet holds the header (a note on each cell gives the column's
    meaning in both languages) with the NIK and KK columns formatted as text; the
    second sheet (``keterangan``) lists each column, whether it is required, its
    meaning in both languages, the allowed values and an example. A CSV template is the
    header line alone.

    Raises:
        InputError: an unknown kind or format.
    """
    _check(kind, KINDS, "kind")
    _check(fmt, ("xlsx", "csv"), "format")
    columns = TEMPLATE_COLUMNS[kind]
    if fmt == "csv":
        text = ",".join(c.name for c in columns) + "\n"
        _emit(out, text.encode("utf-8"), private=False)  # a blank template
        return
    _require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = kind
    bold = Font(bold=True)
    for position, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=column.name)
        cell.font = bold
        note = f"{column.meaning.id}\n{column.meaning.en}"
        if column.allowed is not None:
            note += f"\n\n{column.allowed.id}\n{column.allowed.en}"
        cell.comment = Comment(note, "spm-core", width=320, height=140)
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        if column.name in IDENTIFIER_COLUMNS:
            sheet.column_dimensions[letter].width = 20
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
            for line in range(2, 1002):  # cells a kader types into stay text
                sheet.cell(row=line, column=position).number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    legend = book.create_sheet("keterangan")
    legend.append([t.id if lang == "id" else t.en for t in _LEGEND_HEADER])
    for cell in legend[1]:
        cell.font = bold
    yes, no = ("ya", "tidak") if lang == "id" else ("yes", "no")
    for column in columns:
        first, second = (
            (column.meaning.id, column.meaning.en)
            if lang == "id"
            else (column.meaning.en, column.meaning.id)
        )
        allowed = "" if column.allowed is None else column.allowed.get(lang)
        legend.append(
            [column.name, yes if _required(kind, column) else no, first, second, allowed,
             column.example]
        )  # fmt: skip
        legend.cell(row=legend.max_row, column=6).number_format = TEXT_FORMAT
    for letter, width in zip("ABCDEF", (16, 8, 48, 48, 40, 24), strict=True):
        legend.column_dimensions[letter].width = width
    _save(book, out, private=False)


# ============================================================================ tables


def write_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    out: Path | IO[bytes],
    *,
    sheet: str = "data",
    text_columns: Iterable[str] = (),
) -> int:
    """Write ``rows`` under ``columns`` as ``csv``, ``xlsx``, ``json`` or ``parquet``.

    CSV (UTF-8) and Excel cells are neutralised (:func:`neutralise`); numbers are
    written as numbers. In Excel, every text cell and every cell of ``text_columns``
    (and of the NIK and KK columns) is formatted as text, so Excel never turns a NIK
    into ``3.27501E+15``. JSON is a list of objects; Parquet (extra ``arrow``) has one
    column per name, identifiers as strings.

    Returns:
        The number of rows written.

    Raises:
        InputError: an unknown format.
    """
    _check(fmt, FORMATS, "format")
    names = list(columns)
    data = [list(row) for row in rows]
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(neutralise_row(names))  # an error file's header is the user's
        writer.writerows([[_csv_cell(neutralise(v)) for v in row] for row in data])
        _emit(out, text.getvalue().encode("utf-8"))
    elif fmt == "json":
        body = json.dumps(
            [dict(zip(names, row, strict=True)) for row in data],
            ensure_ascii=False,
            indent=2,
            default=str,
        )
        _emit(out, (body + "\n").encode("utf-8"))
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({name: [row[i] for row in data] for i, name in enumerate(names)})
        buffer = io.BytesIO()
        pq.write_table(table, buffer)
        _emit(out, buffer.getvalue())
    else:
        _write_xlsx(names, data, out, sheet, {*IDENTIFIER_COLUMNS, *text_columns})
    return len(data)


def _escape(found: Any) -> str:
    """Write a character a workbook cannot hold (NUL, ESC, …) as its Python escape."""
    return str(found.group().encode("unicode_escape").decode("ascii"))


def _csv_cell(value: Any) -> Any:
    return "" if value is None else value


def _require_openpyxl() -> None:
    """Refuse, before anything is written, an Excel output without the ``excel`` extra."""
    try:
        import openpyxl  # noqa: F401
    except ImportError as error:
        raise InputError(
            [
                Issue(
                    "missing-extra",
                    "format",
                    "xlsx",
                    "Menulis berkas Excel membutuhkan paket tambahan: "
                    "pip install 'spm-core[excel]'.",
                    "Writing Excel files needs the extra: pip install 'spm-core[excel]'.",
                )
            ]
        ) from error


def _write_xlsx(
    names: list[str], data: list[list[Any]], out: Path | IO[bytes], title: str, text: set[str]
) -> None:
    _require_openpyxl()
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title)
    for position, name in enumerate(names, start=1):
        if name in text:
            letter = get_column_letter(position)
            sheet.column_dimensions[letter].width = 20
            sheet.column_dimensions[letter].number_format = TEXT_FORMAT
    bold = Font(bold=True)
    header = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub(_escape, neutralise(name)))
        cell.data_type = "s"  # an error file's header is the user's: never a formula
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    as_text = [name in text for name in names]
    for row in data:
        cells = []
        for value, forced in zip(row, as_text, strict=True):
            shown = neutralise(value)
            if isinstance(shown, str):
                shown = ILLEGAL_CHARACTERS_RE.sub(_escape, shown)
            cell = WriteOnlyCell(sheet, value=shown)
            if isinstance(shown, str):
                cell.data_type = "s"  # never a formula, whatever the text
                cell.number_format = TEXT_FORMAT
            elif forced:
                cell.number_format = TEXT_FORMAT
            cells.append(cell)
        sheet.append(cells)
    _save(book, out)


# ============================================================================ error files


def write_rejects(source: Path, report: LoadReport, out: Path) -> int:
    """Write every rejected row of ``source`` to ``out``, with why, for fixing.

    ``out`` has the columns of ``source`` (without any error columns it already had)
    and then :data:`ERROR_COLUMNS`: the data row number, the column(s), code(s) and
    messages, several problems of one row joined with ``"; "``. The format follows the
    suffix of ``out`` (``.xlsx`` or CSV). Fix the cells and import ``out`` again: the
    error columns are ignored, and the rows already stored are not written twice.

    Returns:
        The number of rows written.
    """
    by_row: dict[int, list[Issue]] = {}
    for issue in report.issues:
        if issue.row is not None:
            by_row.setdefault(issue.row, []).append(issue)
    names, rows = read_rows(source)
    keep = [i for i, name in enumerate(names) if name not in ERROR_COLUMNS]
    header = [names[i] for i in keep] + list(ERROR_COLUMNS)
    found: list[list[Any]] = []
    for number, row in enumerate(rows, start=1):
        issues = by_row.get(number)
        if not issues:
            continue
        cells = [restore(row[i]) if i < len(row) else None for i in keep]
        found.append(
            [
                *(_plain(c) for c in cells),
                number,
                "; ".join(dict.fromkeys(i.field for i in issues)),
                "; ".join(dict.fromkeys(i.code for i in issues)),
                "; ".join(i.message_id for i in issues),
                "; ".join(i.message_en for i in issues),
            ]
        )
    fmt = "xlsx" if out.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    text_columns = [names[i] for i in keep]
    return write_table(header, found, fmt, out, sheet="perbaiki", text_columns=text_columns)


def _plain(value: Any) -> Any:
    """A cell as it goes back into an error file: numbers and dates as they were read."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


# ============================================================================ helpers


def _check(value: str, allowed: Sequence[str], what: str) -> None:
    if value not in allowed:
        raise InputError(
            [
                Issue(
                    f"unknown-{what}",
                    what,
                    value,
                    f"{what} {value!r} tidak dikenal; pilih {', '.join(allowed)}.",
                    f"Unknown {what} {value!r}; choose {', '.join(allowed)}.",
                )
            ]
        )


def _emit(out: Path | IO[bytes], data: bytes, *, private: bool = True) -> None:
    """Write to a stream, or to a file readable by its owner only (rows about people)."""
    if isinstance(out, Path):
        write_file(out, data, private=private)
    else:
        out.write(data)


def _save(book: Any, out: Path | IO[bytes], *, private: bool = True) -> None:
    buffer = io.BytesIO()
    book.save(buffer)
    _emit(out, buffer.getvalue(), private=private)


def legend(kind: str) -> Mapping[str, ColumnHelp]:
    """Return the columns of ``kind`` by name (for docs and tests)."""
    return {c.name: c for c in TEMPLATE_COLUMNS[kind]}
