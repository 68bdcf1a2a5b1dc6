"""One error tree for the whole library.

Every error carries

* a stable ``code`` (kebab-case, also the anchor of its section in the errors page of
  the docs) that applications may match on,
* a message in Bahasa Indonesia (``message_id``) and in English (``message_en``),
  built from a template and the error's context, and
* the offending ``value`` where there is one.

Templates use :py:meth:`str.format` fields filled from the keyword arguments the error
was raised with, so ``InvalidNik(value="123", reason_id=..., reason_en=...)`` names the
value in both languages. One message never mixes the two: a context value that is itself
bilingual (any object with ``id`` and ``en`` text attributes, such as a definition kind's
label) is shown in the language of the message, and so are the names of the entities in
:data:`ENTITY_LABELS` (``entity="resident"`` reads *warga* in Bahasa Indonesia).

Warnings that must never stop a write (a NIK whose date part disagrees with the recorded
birth date, for example) are not exceptions: they are :class:`Notice` values that the
caller receives alongside the result.

This module is the bottom layer: it imports nothing from the library.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, ClassVar

import attrs

__all__ = [
    "ENTITY_LABELS",
    "AccessDenied",
    "AuditChainBroken",
    "BatchInterrupted",
    "CatalogError",
    "ConcurrentUpdate",
    "ConflictingAdjustment",
    "ConnectionLost",
    "DatabaseError",
    "DuplicateDefinition",
    "ErasureRefused",
    "IdempotencyConflict",
    "IdentifierAsNumber",
    "IllegalTransition",
    "InputError",
    "InvalidDefinition",
    "InvalidKk",
    "InvalidNik",
    "InvalidPeriod",
    "InvalidRecordValue",
    "InvalidRegionCode",
    "InvalidValue",
    "Issue",
    "MigrationError",
    "NotAuthenticated",
    "NotFound",
    "Notice",
    "OutOfRegion",
    "PluginError",
    "PluginLoadError",
    "PluginSpecError",
    "PurposeRequired",
    "ReferralError",
    "RequestTooLarge",
    "SpmError",
    "StorageFull",
    "StoreBusy",
    "StoreError",
    "UnknownCode",
    "UnknownRegion",
    "UnresolvedReference",
    "Unroutable",
    "all_error_classes",
    "shorten",
]

MAX_SHOWN = 120
"""How many characters of an offending value a message shows; the rest is cut."""

MAX_MESSAGE = 1000
"""How many characters of any other text put into a message are kept."""


def shorten(value: object, limit: int = MAX_SHOWN, lang: str | None = None) -> object:
    """Return ``value`` cut to ``limit`` characters when it is long text, else unchanged.

    A message never echoes a whole 10 MB value: long text keeps its start and says how
    long it was, in ``lang`` (``"id"`` or ``"en"``; both when ``None``).

    Example:
        >>> shorten("x" * 200, 10)
        'xxxxxxxxxx… (200 karakter/characters)'
        >>> shorten(42)
        42
    """
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "backslashreplace")
    if isinstance(value, str) and len(value) > limit:
        unit = {"id": "karakter", "en": "characters"}.get(lang or "", "karakter/characters")
        return f"{value[:limit]}… ({len(value)} {unit})"
    return value


class _SafeDict(dict[str, Any]):
    """Mapping for ``format_map`` that leaves unknown fields visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


ENTITY_LABELS: dict[str, tuple[str, str]] = {
    "resident": ("warga", "resident"),
    "household": ("rumah tangga", "household"),
    "membership": ("keanggotaan rumah tangga", "household membership"),
    "domicile": ("domisili", "domicile"),
    "posyandu": ("posyandu", "posyandu"),
    "wilayah": ("wilayah", "region"),
    "record": ("catatan", "record"),
    "target": ("sasaran", "target"),
    "quality_input": ("masukan mutu", "quality input"),
    "referral": ("rujukan", "referral"),
    "audit": ("catatan audit", "audit entry"),
}
"""Names of stored entities, (Bahasa Indonesia, English), for ``entity=`` in messages."""


def _in_language(value: Any, key: str, lang: str) -> Any:
    """Return ``value`` as it reads in ``lang`` (``"id"`` or ``"en"``)."""
    text_id, text_en = getattr(value, "id", None), getattr(value, "en", None)
    if isinstance(text_id, str) and isinstance(text_en, str):
        return text_id if lang == "id" else text_en
    if key == "entity" and isinstance(value, str) and value in ENTITY_LABELS:
        return ENTITY_LABELS[value][0 if lang == "id" else 1]
    return value


def _render(template: str, context: Mapping[str, Any], lang: str) -> str:
    shown = {
        key: shorten(
            _in_language(value, key, lang), MAX_SHOWN if key == "value" else MAX_MESSAGE, lang
        )
        for key, value in context.items()
    }
    return template.format_map(_SafeDict(shown))


def _with_hint(context: dict[str, Any], suggestions: Iterable[str]) -> dict[str, Any]:
    """Return ``context`` with the ``hint_id``/``hint_en`` of a "did you mean", if not set."""
    hint_id, hint_en = _hint(suggestions)
    return {"hint_id": hint_id, "hint_en": hint_en, **context}


def _hint(suggestions: Iterable[str]) -> tuple[str, str]:
    """Return the "did you mean" sentences, (Bahasa Indonesia, English), or two blanks."""
    names = ", ".join(repr(s) for s in suggestions)
    if not names:
        return "", ""
    return f" Mungkin maksudnya {names}?", f" Did you mean {names}?"


class SpmError(Exception):
    """Base of every error the library raises on purpose.

    Subclasses set ``code``, ``template_id`` and ``template_en``. Raise with keyword
    arguments; ``value`` is the offending value (kept as given) and every other keyword
    is available to the templates.

    Example:
        >>> err = InvalidNik(value="12", reason_id="harus 16 digit", reason_en="must be 16 digits")
        >>> err.code
        'invalid-nik'
        >>> err.message_en
        "NIK '12' is not valid: must be 16 digits."
    """

    code: ClassVar[str] = "spm-error"
    retryable: ClassVar[bool] = False
    """True when the same call may simply be made again later (nothing was written)."""
    template_id: ClassVar[str] = "Terjadi kesalahan pada spm-core."
    template_en: ClassVar[str] = "An spm-core error occurred."

    def __init__(self, *, value: object = None, **context: Any) -> None:
        self.value = value
        self.context: dict[str, Any] = dict(context)
        self.context.setdefault("value", value)
        super().__init__(self.message_en)

    @property
    def message_id(self) -> str:
        """The message in Bahasa Indonesia."""
        return _render(self.template_id, self.context, "id")

    @property
    def message_en(self) -> str:
        """The message in English."""
        return _render(self.template_en, self.context, "en")

    def message(self, locale: str = "id") -> str:
        """Return the message in ``locale`` (``"id"`` or ``"en"``; anything else is English)."""
        return self.message_id if locale.split("_")[0].lower() == "id" else self.message_en

    def __str__(self) -> str:
        return f"[{self.code}] {self.message_id} / {self.message_en}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready description: code, both messages and the value as text."""
        return {
            "code": self.code,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "value": None if self.value is None else str(shorten(str(self.value))),
            "retryable": self.retryable,
        }


# --------------------------------------------------------------------------- values


class InvalidValue(SpmError):
    """A value does not have the structure its type requires."""

    code = "invalid-value"
    template_id = "Nilai {value!r} tidak valid: {reason_id}."
    template_en = "Value {value!r} is not valid: {reason_en}."


class PurposeRequired(InvalidValue):
    """A read of personal data names no purpose and the reader is not the subject's kader.

    Raised before anything is read (UU PDP 27/2022 Ps. 16(2)): only a kader, whose scope
    is the resident's own posyandu, reads without naming why.
    """

    code = "purpose-required"
    template_id = (
        "{value!r} membaca data pribadi dan membutuhkan tujuan pemrosesan (purpose): "
        "hanya kader posyandu warga itu sendiri yang boleh membaca tanpa tujuan "
        "(UU PDP Ps. 16 ayat (2)). Tujuan yang dikenal: {known}."
    )
    template_en = (
        "{value!r} reads personal data and needs a purpose of processing: only the "
        "resident's own posyandu kader may read without one (UU PDP Ps. 16(2)). "
        "Known purposes: {known}."
    )


class InvalidNik(InvalidValue):
    """A NIK (Nomor Induk Kependudukan) fails its structure check."""

    code = "invalid-nik"
    template_id = "NIK {value!r} tidak valid: {reason_id}."
    template_en = "NIK {value!r} is not valid: {reason_en}."


class InvalidKk(InvalidValue):
    """A Nomor Kartu Keluarga fails its structure check."""

    code = "invalid-kk"
    template_id = "Nomor KK {value!r} tidak valid: {reason_id}."
    template_en = "Family card number (KK) {value!r} is not valid: {reason_en}."


class IdentifierAsNumber(InvalidValue):
    """A NIK or Nomor KK cell holds a number, not text.

    A spreadsheet that stores a 16-digit number keeps only 15 significant digits and may
    show it as ``3.27501E+15``; a number cell, scientific notation and float text such as
    ``3275010101900001.0`` are all refused with this code, so the kader knows to format
    the column as Text and type the number again rather than hunt for a wrong digit.
    """

    code = "identifier-as-number"
    template_id = (
        "{label_id} {value!r} di kolom {field} tersimpan sebagai angka, bukan teks; "
        "spreadsheet menyimpan paling banyak 15 digit sehingga digit terakhirnya bisa hilang. "
        "Format kolom {field} sebagai Teks lalu ketik ulang nomornya."
    )
    template_en = (
        "{label_en} {value!r} in column {field} is stored as a number, not as text; a "
        "spreadsheet keeps at most 15 digits, so its last digits may be lost. Format the "
        "column {field} as Text and type the number again."
    )


class InvalidRegionCode(InvalidValue):
    """A Kemendagri region code is not of the form ``PP.KK.CC.DDDD`` (or a prefix of it)."""

    code = "invalid-region-code"
    template_id = "Kode wilayah {value!r} tidak valid: {reason_id}."
    template_en = "Region code {value!r} is not valid: {reason_en}."


class UnknownRegion(InvalidValue):
    """A well-formed region code is absent from the Kemendagri list in use."""

    code = "unknown-region"
    template_id = "Kode wilayah {value!r} tidak ada dalam daftar {source}."
    template_en = "Region code {value!r} is not in the list {source}."


class InvalidRecordValue(InvalidValue, ValueError):
    """A record's value breaks a rule of its record type's value schema.

    Plugins raise it from their pydantic validators (it is a :class:`ValueError`, so
    pydantic collects it with the other problems) to give the reason in both languages.
    """

    code = "invalid-record-value"
    template_id = "Nilai catatan tidak valid: {reason_id}."
    template_en = "The record value is not valid: {reason_en}."


class InvalidPeriod(InvalidValue):
    """A reporting period is malformed (unknown kind, month 13, quarter 5, …)."""

    code = "invalid-period"
    template_id = "Periode {value!r} tidak valid: {reason_id}."
    template_en = "Period {value!r} is not valid: {reason_en}."


# --------------------------------------------------------------------------- input


@attrs.frozen
class Issue:
    """One problem found in input: where it is, what it is, in both languages.

    ``row`` is the 1-based row of a batch (``None`` for a single object); ``field`` is
    the dotted path of the field; ``value`` the offending value as text.
    """

    code: str
    field: str
    value: str | None
    message_id: str
    message_en: str
    row: int | None = None

    def describe(self, locale: str = "id") -> str:
        """Return one readable line: row, field, value and the message."""
        where = f"baris {self.row}, " if locale == "id" and self.row is not None else ""
        if locale != "id" and self.row is not None:
            where = f"row {self.row}, "
        label = "kolom" if locale == "id" else "field"
        msg = self.message_id if locale == "id" else self.message_en
        return f"{where}{label} {self.field!r} = {self.value!r}: {msg}"


class InputError(SpmError):
    """Input at the boundary failed validation; ``issues`` lists every problem found.

    Nothing of the input was written when this is raised.
    """

    code = "input-error"
    template_id = "Masukan tidak valid ({count} masalah): {summary_id}"
    template_en = "Invalid input ({problems}): {summary_en}"

    def __init__(self, issues: list[Issue] | tuple[Issue, ...], **context: Any) -> None:
        self.issues: tuple[Issue, ...] = tuple(issues)
        first = self.issues[0] if self.issues else None
        super().__init__(
            value=None if first is None else first.value,
            count=len(self.issues),
            problems="1 problem" if len(self.issues) == 1 else f"{len(self.issues)} problems",
            summary_id="; ".join(i.describe("id") for i in self.issues[:5]),
            summary_en="; ".join(i.describe("en") for i in self.issues[:5]),
            **context,
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the error with every issue, JSON-ready."""
        out = super().to_dict()
        out["issues"] = [attrs.asdict(i) for i in self.issues]
        return out


# --------------------------------------------------------------------------- plugins


class PluginError(SpmError):
    """A plugin could not be loaded or contradicts another plugin."""

    code = "plugin-error"
    template_id = "Kesalahan plugin {plugin!r}: {reason_id}."
    template_en = "Plugin {plugin!r} error: {reason_en}."


class PluginLoadError(PluginError):
    """A plugin's entry point failed to import, or an allow/deny list names no plugin."""

    code = "plugin-load-error"
    template_id = "Plugin {plugin!r} tidak dapat dimuat: {reason_id}."
    template_en = "Plugin {plugin!r} could not be loaded: {reason_en}."


class PluginSpecError(PluginError):
    """A plugin implements a hook the contract does not define, or with other arguments.

    A misspelt hook name is the usual cause.

    ``value`` is the hook name; ``reason_id``/``reason_en`` say what is wrong and, for a
    name no hook has, suggest the closest ones.
    """

    code = "plugin-spec-error"
    template_id = (
        "Plugin {plugin!r} mengimplementasikan hook {value!r} yang menyalahi kontrak: {reason_id}."
    )
    template_en = "Plugin {plugin!r} implements hook {value!r} against the contract: {reason_en}."

    @classmethod
    def unknown_hook(cls, *, plugin: str, hook: str, suggestions: Iterable[str]) -> PluginSpecError:
        """Return the error for a hook name that no specification has."""
        names = " atau ".join(repr(s) for s in suggestions)
        reason_id = "tidak ada hook dengan nama itu"
        reason_en = "no hook has that name"
        if names:
            reason_id += f"; mungkin maksudnya {names}"
            reason_en += f"; did you mean {names.replace(' atau ', ' or ')}"
        return cls(plugin=plugin, value=hook, reason_id=reason_id, reason_en=reason_en)


class DuplicateDefinition(PluginError):
    """Two versions of one code in one scope are in force on the same day.

    Usually two plugins of the same scope (two national plugins, or two plugins of one
    kab/kota) define the same code; it is also raised when one plugin gives two versions
    whose validity dates overlap. Both plugins are named, whatever the registration order.
    """

    code = "duplicate-definition"
    template_id = (
        "{kind} {value!r} didefinisikan dua kali dalam lingkup {scope_id} dengan masa "
        "berlaku yang tumpang tindih: {first!r} ({first_validity}) dan {second!r} "
        "({second_validity})."
    )
    template_en = (
        "{kind} {value!r} is defined twice in scope {scope_en} with overlapping validity: "
        "{first!r} ({first_validity}) and {second!r} ({second_validity})."
    )


class ConflictingAdjustment(PluginError):
    """Two plugins of the same scope adjust the same definition."""

    code = "conflicting-adjustment"
    template_id = (
        "{kind} {value!r} disesuaikan oleh dua plugin dalam lingkup yang sama ({scope_id}): "
        "{first!r} ({first_action}) dan {second!r} ({second_action})."
    )
    template_en = (
        "{kind} {value!r} is adjusted by two plugins of the same scope ({scope_en}): "
        "{first!r} ({first_action}) and {second!r} ({second_action})."
    )


class OutOfRegion(PluginError):
    """A region plugin adjusts a definition that belongs to, or serves, another region."""

    code = "out-of-region"
    template_id = (
        "Plugin {plugin!r} (wilayah {region}) tidak boleh mengubah {kind} {value!r}: {reason_id}."
    )
    template_en = (
        "Plugin {plugin!r} (region {region}) may not change {kind} {value!r}: {reason_en}."
    )


# --------------------------------------------------------------------------- catalog


class CatalogError(SpmError):
    """The assembled catalog is inconsistent."""

    code = "catalog-error"
    template_id = "Katalog tidak konsisten: {reason_id}."
    template_en = "The catalog is inconsistent: {reason_en}."


class InvalidDefinition(CatalogError):
    """A definition contributed by a plugin is malformed."""

    code = "invalid-definition"
    template_id = "Definisi {kind} {value!r} dari plugin {plugin!r} tidak valid: {reason_id}."
    template_en = "{kind} {value!r} from plugin {plugin!r} is not valid: {reason_en}."


class UnresolvedReference(CatalogError):
    """A definition refers to a code that no plugin defines (with a "did you mean")."""

    code = "unresolved-reference"
    template_id = (
        "{kind} {owner!r} (plugin {plugin!r}) merujuk {target_kind} {value!r} yang tidak "
        "ada.{hint_id}"
    )
    template_en = (
        "{kind} {owner!r} (plugin {plugin!r}) refers to {target_kind} {value!r}, "
        "which is not defined.{hint_en}"
    )

    def __init__(
        self, *, value: object = None, suggestions: Iterable[str] = (), **context: Any
    ) -> None:
        super().__init__(value=value, **_with_hint(context, suggestions))


class Unroutable(CatalogError):
    """A need type has no routing rule, or no agency fills the role, in a configured region."""

    code = "unroutable"
    template_id = "Kebutuhan {value!r} tidak dapat dirujuk di wilayah {region}: {reason_id}."
    template_en = "Need type {value!r} cannot be routed in region {region}: {reason_en}."


class UnknownCode(CatalogError, LookupError):
    """No definition of that kind has that code in the catalog (with a "did you mean")."""

    code = "unknown-code"
    template_id = "Tidak ada {kind} dengan kode {value!r} dalam katalog.{hint_id}"
    template_en = "There is no {kind} with code {value!r} in the catalog.{hint_en}"

    def __init__(
        self, *, value: object = None, suggestions: Iterable[str] = (), **context: Any
    ) -> None:
        super().__init__(value=value, **_with_hint(context, suggestions))


# --------------------------------------------------------------------------- store


class StoreError(SpmError):
    """Storage failed in a way the caller can act on."""

    code = "store-error"
    template_id = "Kesalahan penyimpanan: {reason_id}."
    template_en = "Storage error: {reason_en}."


class NotFound(StoreError):
    """No such row — or a row the actor may not see; the two are indistinguishable."""

    code = "not-found"
    template_id = "{entity} {value!r} tidak ditemukan."
    template_en = "{entity} {value!r} was not found."


class AccessDenied(StoreError):
    """The actor's role may not perform this kind of action at all.

    Raised only where it reveals nothing about any row (a researcher asking to write,
    say); a row outside the actor's scope is reported as :class:`NotFound`.
    """

    code = "access-denied"
    template_id = "Peran {role!r} tidak boleh melakukan {action!r}."
    template_en = "Role {role!r} may not perform {action!r}."


class NotAuthenticated(SpmError):
    """A request reached an application without an identity it could check.

    Raised by the authenticator of an HTTP adapter: no token, a token whose signature
    does not verify, an expired one, or one whose role and scope do not fit together.
    Nothing is read or written for such a request.
    """

    code = "not-authenticated"
    template_id = "Permintaan tanpa identitas yang sah: {reason_id}."
    template_en = "The request carries no valid identity: {reason_en}."


class RequestTooLarge(SpmError):
    """A request's body is larger than the application accepts; nothing was read further.

    Raised by the HTTP adapter before the body is parsed, so a client cannot make the
    server hold or parse an unbounded body. ``limit`` is the accepted size in bytes.
    """

    code = "request-too-large"
    template_id = "Isi permintaan lebih dari {limit} bita; kirim data yang lebih kecil."
    template_en = "The request body is larger than {limit} bytes; send less data."


class ConcurrentUpdate(StoreError):
    """The row changed since it was read (its version moved on); nothing was written."""

    code = "concurrent-update"
    template_id = "{entity} {value!r} telah diubah oleh pihak lain; muat ulang lalu ulangi."
    template_en = "{entity} {value!r} was changed by someone else; reload and try again."


class StoreBusy(StoreError):
    """Other writers held the database for too long; nothing was written; try again.

    SQLite reports this when its write lock stays taken past the busy timeout;
    PostgreSQL when a write kept conflicting with concurrent ones.
    """

    code = "store-busy"
    retryable = True
    template_id = (
        "Basis data sedang sibuk dengan penulisan lain ({entity}); tidak ada yang "
        "disimpan. Coba lagi sebentar lagi."
    )
    template_en = (
        "The database is busy with other writes ({entity}); nothing was saved. "
        "Try again in a moment."
    )


class ConnectionLost(StoreError):
    """The connection to the database broke; nothing of the unfinished call was written."""

    code = "connection-lost"
    retryable = True
    template_id = (
        "Koneksi ke basis data terputus ({detail}); tidak ada yang disimpan. "
        "Periksa server basis data lalu coba lagi."
    )
    template_en = (
        "The connection to the database was lost ({detail}); nothing was saved. "
        "Check the database server and try again."
    )


class StorageFull(StoreError):
    """The disk (or the database's size limit) is full; nothing was written."""

    code = "storage-full"
    template_id = (
        "Penyimpanan basis data penuh ({detail}); tidak ada yang disimpan. "
        "Kosongkan ruang disk lalu coba lagi."
    )
    template_en = (
        "The database storage is full ({detail}); nothing was saved. Free disk space and try again."
    )


class DatabaseError(StoreError):
    """The database refused an operation; only its SQLSTATE and constraint are named.

    The driver's own text is never shown: it may carry the values of the row (a NIK,
    a name). The original exception is chained for a debugger, not for a log.
    """

    code = "database-error"
    template_id = "Basis data menolak operasi pada {entity} ({detail}); tidak ada yang disimpan."
    template_en = "The database refused the operation on {entity} ({detail}); nothing was saved."


class BatchInterrupted(StoreError):
    """A batch written in chunks stopped part-way: the earlier chunks are stored.

    ``stored`` holds what was written (the store's batch result); ``cause`` the error
    that stopped the batch. Re-run the batch from row ``value`` on.
    """

    code = "batch-interrupted"
    template_id = (
        "Pemuatan berhenti pada baris {value}: {stored_rows} baris sebelumnya sudah "
        "tersimpan, baris {value} dan seterusnya tidak. Sebab: {reason_id}"
    )
    template_en = (
        "The batch stopped at row {value}: the {stored_rows} rows before it are stored, "
        "row {value} and after are not. Cause: {reason_en}"
    )

    def __init__(self, *, stored: Any = None, cause: Any = None, **context: Any) -> None:
        super().__init__(**context)
        self.stored = stored
        self.cause = cause


class AuditChainBroken(StoreError):
    """The audit log's hash chain does not verify: a row was changed, removed or added."""

    code = "audit-chain-broken"
    template_id = "Rantai hash log audit terputus pada baris {value}: {reason_id}."
    template_en = "The audit log's hash chain breaks at row {value}: {reason_en}."


class MigrationError(StoreError):
    """The database schema is not at the revision this version of the library needs."""

    code = "migration-error"
    template_id = "Skema basis data {value!r} tidak sesuai: {reason_id}."
    template_en = "Database schema {value!r} does not match: {reason_en}."


class ErasureRefused(StoreError):
    """A resident's data may not be erased yet: a retention duty applies (recorded)."""

    code = "erasure-refused"
    template_id = (
        "Data warga {value!r} tidak dapat dihapus sekarang; dasar hukum: {legal_basis}. "
        "Penolakan ini dicatat."
    )
    template_en = (
        "The data of resident {value!r} cannot be erased now; legal basis: {legal_basis}. "
        "The refusal is recorded."
    )


# --------------------------------------------------------------------------- referrals


class ReferralError(SpmError):
    """A referral cannot change as asked."""

    code = "referral-error"
    template_id = "Rujukan {value!r} tidak dapat diproses: {reason_id}."
    template_en = "Referral {value!r} cannot be processed: {reason_en}."


class IllegalTransition(ReferralError):
    """The lifecycle has no such step from the referral's current state."""

    code = "illegal-transition"
    template_id = (
        "Rujukan berstatus {status_id!r} ({status}) tidak dapat menjalani langkah "
        "{action_id!r} ({value}); yang boleh: {allowed}."
    )
    template_en = (
        "A referral in state {status_en!r} ({status}) cannot take the step {action_en!r} "
        "({value}); allowed: {allowed}."
    )


class IdempotencyConflict(ReferralError):
    """An idempotency key is replayed with a request body that differs from the first."""

    code = "idempotency-conflict"
    template_id = (
        "Kunci idempotensi {value!r} sudah dipakai untuk pengajuan lain (rujukan "
        "{referral!r}); isi berbeda pada: {fields}. Pakai kunci baru untuk pengajuan baru."
    )
    template_en = (
        "Idempotency key {value!r} was already used for another submission (referral "
        "{referral!r}); the body differs in: {fields}. Use a new key for a new submission."
    )


# --------------------------------------------------------------------------- notices


@attrs.frozen
class Notice:
    """A warning that never stops a write, in both languages.

    Example: a NIK whose date part disagrees with the recorded birth date (Dukcapil does
    not reissue NIKs when a birth date is corrected).
    """

    code: str
    message_id: str
    message_en: str
    field: str | None = None
    value: str | None = None

    def message(self, locale: str = "id") -> str:
        """Return the message in ``locale`` (``"id"`` or ``"en"``)."""
        return self.message_id if locale.split("_")[0].lower() == "id" else self.message_en


def all_error_classes() -> Iterator[type[SpmError]]:
    """Yield :class:`SpmError` and every subclass defined anywhere, depth first."""
    stack: list[type[SpmError]] = [SpmError]
    seen: set[type[SpmError]] = set()
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        stack.extend(reversed(cls.__subclasses__()))
