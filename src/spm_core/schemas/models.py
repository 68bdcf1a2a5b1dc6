"""Input models: what an application hands the store, checked at the boundary.

Every model forbids unknown fields and describes each field in Bahasa Indonesia and
English (the descriptions become the published JSON Schema). Identifiers arrive as
text: a NIK typed as a number, in scientific notation or damaged by a spreadsheet is
rejected with the domain's reason. Names are taken as written — single-word names and
old spellings are common among people registered long ago.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from spm_core.definitions import CODE_PATTERN
from spm_core.domain.enums import Relationship, Sex, SpmField
from spm_core.domain.wilayah import KodeWilayah
from spm_core.errors import Notice
from spm_core.schemas._normalise import (
    fail,
    normalise_date,
    normalise_kk,
    normalise_nik,
    normalise_rt_rw,
    normalise_text,
    normalise_village,
    normalise_wilayah,
    not_before_1900,
    not_in_future,
    reject_control_characters,
    split_rt_rw,
)

__all__ = [
    "REGISTRATION_NUMBER_SOURCE",
    "FieldServedIn",
    "HouseholdIn",
    "MembershipIn",
    "PosyanduIn",
    "QualityInputIn",
    "RecordIn",
    "ReferralIn",
    "ResidentIn",
    "ResidentUpdate",
    "TargetIn",
    "registration_number_notices",
]

_CONFIG = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class _Boundary(BaseModel):
    """Base of the input models: no text field may hold control characters."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        return reject_control_characters(value)


def _sex(value: object) -> object:
    if isinstance(value, str):
        key = normalise_text(value)
        assert isinstance(key, str)
        return _SEX_WORDS.get(key.lower(), key.upper())
    return value


_SEX_WORDS = {"laki-laki": "L", "laki laki": "L", "lk": "L", "perempuan": "P", "pr": "P"}


def _relationship(value: object) -> object:
    if isinstance(value, str) and normalise_text(value) and not value.strip().isdigit():
        key = str(normalise_text(value)).upper().replace(" ", "_")
        return Relationship[key].value if key in Relationship.__members__ else value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return value


def _birth_date(value: date) -> date:
    not_before_1900(value, "Tanggal lahir", "Birth date")
    return not_in_future(value, "Tanggal lahir", "Birth date")


def _optional_birth_date(value: date | None) -> date | None:
    return None if value is None else _birth_date(value)


def _observed_on(value: date) -> date:
    return not_in_future(value, "Tanggal pengamatan", "Observation date")


def _code(value: object) -> object:
    if isinstance(value, str) and not CODE_PATTERN.match(value):
        fail(
            "invalid-code",
            value,
            "Kode hanya boleh huruf kecil, angka, '.', '_' dan '-' (maks. 80).",
            "A code may hold only lower-case letters, digits, '.', '_' and '-' (max 80).",
        )
    return value


Name = Annotated[
    str,
    BeforeValidator(normalise_text),
    Field(
        min_length=1,
        max_length=200,
        description="Nama lengkap seperti tertulis / Full name as written",
    ),
]
Id = Annotated[str, BeforeValidator(normalise_text), Field(min_length=1, max_length=64)]
NikText = Annotated[
    str | None,
    BeforeValidator(normalise_nik),
    Field(description="Nomor Induk Kependudukan (16 digit) / National identity number (16 digits)"),
]
KkText = Annotated[
    str | None,
    BeforeValidator(normalise_kk),
    Field(description="Nomor Kartu Keluarga (16 digit) / Family card number (16 digits)"),
]
Rt = Annotated[
    str | None,
    BeforeValidator(lambda v: normalise_rt_rw(v, "RT")),
    Field(description="Rukun Tetangga, 3 digit (001) / Neighbourhood unit (RT), 3 digits"),
]
Rw = Annotated[
    str | None,
    BeforeValidator(lambda v: normalise_rt_rw(v, "RW")),
    Field(description="Rukun Warga, 3 digit (001) / Community unit (RW), 3 digits"),
]
Address = Annotated[
    Annotated[str, Field(max_length=500)] | None,
    BeforeValidator(normalise_text),
    Field(description="Alamat / Address"),
]
DateIn = Annotated[date, BeforeValidator(normalise_date)]
Village = Annotated[
    str,
    BeforeValidator(normalise_village),
    Field(
        description="Kode desa/kelurahan Kemendagri PP.KK.CC.DDDD / "
        "Village (desa/kelurahan) code PP.KK.CC.DDDD"
    ),
]
Region = Annotated[
    str,
    BeforeValidator(normalise_wilayah),
    Field(description="Kode wilayah Kemendagri / Kemendagri region code"),
]
Code = Annotated[str, BeforeValidator(_code), Field(min_length=1, max_length=80)]


def _pair_rt_rw(data: Any) -> Any:
    """Split ``rt = "RT 01/RW 02"`` into ``rt`` and ``rw`` when ``rw`` is not given."""
    if isinstance(data, dict) and data.get("rw") in (None, ""):
        pair = split_rt_rw(data.get("rt"))
        if pair is not None:
            return {**data, "rt": pair[0], "rw": pair[1]}
    return data


class ResidentIn(_Boundary):
    """A resident to register: identity, domicile and the posyandu that serves them.

    ``rt`` may hold both numbers (``"RT 01/RW 02"``, ``"001/002"``) when ``rw`` is empty.
    """

    model_config = _CONFIG

    nik: NikText = None
    name: Name
    sex: Annotated[
        Sex,
        BeforeValidator(_sex),
        Field(description="Jenis kelamin: L (laki-laki) atau P (perempuan) / Sex: L or P"),
    ]
    birth_date: Annotated[
        DateIn,
        AfterValidator(_birth_date),
        Field(description="Tanggal lahir / Birth date"),
    ]
    posyandu_id: Annotated[Id, Field(description="Posyandu yang melayani / Serving posyandu")]
    rt: Rt = None
    rw: Rw = None
    address: Address = None

    @model_validator(mode="before")
    @classmethod
    def _pair(cls, data: Any) -> Any:
        return _pair_rt_rw(data)


class ResidentUpdate(_Boundary):
    """Changes to a resident: only the fields given are changed.

    ``nik``, ``rt``, ``rw`` and ``address`` may be set to ``None`` to clear them; the
    other fields may not.
    """

    model_config = _CONFIG

    nik: NikText = None
    name: Annotated[
        Name | None, Field(description="Nama lengkap seperti tertulis / Full name as written")
    ] = None
    sex: Annotated[
        Sex | None,
        BeforeValidator(_sex),
        Field(description="Jenis kelamin: L atau P / Sex: L or P"),
    ] = None
    birth_date: Annotated[
        DateIn | None,
        AfterValidator(_optional_birth_date),
        Field(description="Tanggal lahir / Birth date"),
    ] = None
    posyandu_id: Annotated[
        Id | None, Field(description="Posyandu yang melayani / Serving posyandu")
    ] = None
    rt: Rt = None
    rw: Rw = None
    address: Address = None
    restricted: Annotated[
        bool | None,
        Field(
            description="Pemrosesan dibatasi atas permintaan subjek (UU PDP Ps. 11); hanya "
            "operator yang masih melihat warga ini / Processing restricted at the subject's "
            "request (UU PDP Art. 11); only operators still see this resident"
        ),
    ] = None

    @model_validator(mode="before")
    @classmethod
    def _pair(cls, data: Any) -> Any:
        return _pair_rt_rw(data)

    @model_validator(mode="after")
    def _required_stay_set(self) -> ResidentUpdate:
        for name in ("name", "sex", "birth_date", "posyandu_id", "restricted"):
            if name in self.model_fields_set and getattr(self, name) is None:
                fail(
                    "required",
                    None,
                    field=name,
                    message_id=f"Kolom {name} tidak boleh dikosongkan.",
                    message_en=f"The field {name} cannot be cleared.",
                )
        return self

    def changes(self) -> dict[str, Any]:
        """Return the fields that were given, by name, with their new values."""
        return {name: getattr(self, name) for name in sorted(self.model_fields_set)}


class HouseholdIn(_Boundary):
    """A household (rumah tangga / keluarga) served by a posyandu."""

    model_config = _CONFIG

    nomor_kk: KkText = None
    posyandu_id: Annotated[Id, Field(description="Posyandu yang melayani / Serving posyandu")]
    rt: Annotated[Rt, Field(description="Rukun Tetangga / Neighbourhood unit (RT)")]
    rw: Annotated[Rw, Field(description="Rukun Warga / Community unit (RW)")]
    address: Address = None

    @model_validator(mode="before")
    @classmethod
    def _pair(cls, data: Any) -> Any:
        return _pair_rt_rw(data)

    @model_validator(mode="after")
    def _rt_rw_given(self) -> HouseholdIn:
        if self.rt is None or self.rw is None:
            fail(
                "required",
                None,
                field="rt" if self.rt is None else "rw",
                message_id="RT dan RW rumah tangga wajib diisi.",
                message_en="The household's RT and RW are required.",
            )
        return self


class MembershipIn(_Boundary):
    """A resident's membership of a household, from ``start`` to ``end`` (inclusive)."""

    model_config = _CONFIG

    household_id: Annotated[Id, Field(description="Rumah tangga / Household")]
    resident_id: Annotated[Id, Field(description="Warga / Resident")]
    relationship: Annotated[
        Relationship,
        BeforeValidator(_relationship),
        Field(
            description="Status hubungan dalam keluarga (SHDK) 1–11, 1 = kepala keluarga / "
            "Relationship to the head of household (SHDK) 1–11, 1 = head"
        ),
    ]
    start: Annotated[DateIn, Field(description="Mulai menjadi anggota / Member from")]
    end: Annotated[
        DateIn | None,
        Field(description="Hari terakhir sebagai anggota / Last day as a member"),
    ] = None

    @model_validator(mode="after")
    def _end_not_before_start(self) -> MembershipIn:
        if self.end is not None and self.end < self.start:
            fail(
                "end-before-start",
                self.end.isoformat(),
                f"Tanggal akhir {self.end} sebelum tanggal mulai {self.start}.",
                f"The end date {self.end} is before the start date {self.start}.",
                field="end",
            )
        return self


def _exactly_one_subject(model: BaseModel) -> None:
    """Fail unless exactly one of ``resident_id``, ``household_id`` and ``place`` is set."""
    given = [n for n in ("resident_id", "household_id", "place") if getattr(model, n)]
    if len(given) != 1:
        fail(
            "one-subject",
            ", ".join(given) or None,
            f"Isi tepat satu dari resident_id, household_id atau place (terisi: {len(given)}).",
            f"Give exactly one of resident_id, household_id or place ({len(given)} given).",
            field="resident_id" if not given else given[-1],
        )


class RecordIn(_Boundary):
    """One dated observation about exactly one resident, household or place.

    ``value`` is checked later against the record type's value schema from the catalog.
    ``posyandu_id`` names the posyandu of a place record made by someone who is not a
    kader of it; records about residents and households take their posyandu.
    """

    model_config = _CONFIG

    record_type: Annotated[Code, Field(description="Kode jenis catatan / Record type code")]
    resident_id: Annotated[Id | None, Field(description="Warga / Resident")] = None
    household_id: Annotated[Id | None, Field(description="Rumah tangga / Household")] = None
    place: Annotated[
        Region | None,
        Field(description="Kode wilayah tempat / Region code of the place"),
    ] = None
    posyandu_id: Annotated[
        Id | None, Field(description="Posyandu (catatan tempat) / Posyandu (place records)")
    ] = None
    observed_on: Annotated[
        DateIn,
        AfterValidator(_observed_on),
        Field(description="Tanggal pengamatan / Observation date"),
    ]
    value: Annotated[
        dict[str, Any],
        Field(description="Isi catatan menurut skema jenisnya / Content per its type's schema"),
    ]
    idempotency_key: Annotated[
        # The bounds apply to text only: a blank key is normalised to None first.
        Annotated[str, Field(min_length=1, max_length=64)] | None,
        BeforeValidator(normalise_text),
        Field(
            description="Kunci pengiriman dari klien; tanpa kunci, diturunkan dari subjek, "
            "jenis, tanggal dan isi / The client's submission key; without one it is derived "
            "from subject, type, date and value",
        ),
    ] = None

    @model_validator(mode="after")
    def _one_subject(self) -> RecordIn:
        _exactly_one_subject(self)
        return self


class FieldServedIn(_Boundary):
    """An SPM field a posyandu serves, from a date (regions roll the fields out in phases)."""

    model_config = _CONFIG

    field: Annotated[SpmField, Field(description="Bidang SPM / SPM field")]
    since: Annotated[DateIn, Field(description="Dilayani sejak / Served since")]


class PosyanduIn(_Boundary):
    """A posyandu in a desa/kelurahan, with the SPM fields it serves."""

    model_config = _CONFIG

    name: Annotated[
        str,
        BeforeValidator(normalise_text),
        Field(min_length=1, max_length=200, description="Nama posyandu / Posyandu name"),
    ]
    wilayah_code: Village
    registration_number: Annotated[
        Annotated[str, Field(max_length=40)] | None,
        BeforeValidator(normalise_text),
        Field(
            description="Nomor registrasi posyandu, biasanya diawali kode desa/kelurahan "
            "(format belum terkonfirmasi) / Posyandu registration number, usually starting "
            "with the village code (format unconfirmed)",
        ),
    ] = None
    fields: Annotated[
        tuple[FieldServedIn, ...],
        Field(description="Bidang SPM yang dilayani / SPM fields served"),
    ] = ()

    @model_validator(mode="after")
    def _consistent(self) -> PosyanduIn:
        seen = [f.field for f in self.fields]
        doubled = sorted({f.value for f in seen if seen.count(f) > 1})
        if doubled:
            fail(
                "duplicate-field",
                ", ".join(doubled),
                f"Bidang disebut lebih dari sekali: {', '.join(doubled)}.",
                f"Fields named more than once: {', '.join(doubled)}.",
                field="fields",
            )
        return self


class TargetIn(_Boundary):
    """A target (sasaran) an agency supplies for an area and year."""

    model_config = _CONFIG

    code: Annotated[Code, Field(description="Kode sasaran / Target code")]
    wilayah_code: Region
    year: Annotated[int, Field(ge=2000, le=2100, description="Tahun / Year")]
    value: Annotated[
        Decimal,
        Field(ge=0, max_digits=18, decimal_places=4, description="Nilai sasaran / Target value"),
    ]
    source: Annotated[
        str,
        BeforeValidator(normalise_text),
        Field(min_length=1, max_length=300, description="Sumber angka / Source of the number"),
    ]


class QualityInputIn(_Boundary):
    """One quality item (mutu) of a service type for an area and year: required and met."""

    model_config = _CONFIG

    service_type: Annotated[Code, Field(description="Kode jenis pelayanan dasar / Service type")]
    wilayah_code: Region
    year: Annotated[int, Field(ge=2000, le=2100, description="Tahun / Year")]
    item: Annotated[Code, Field(description="Kode butir mutu / Quality item code")]
    category: Annotated[
        Literal["barang_jasa", "sdm"],
        Field(description="Barang/jasa atau SDM / Goods and services or personnel"),
    ]
    required: Annotated[int, Field(ge=0, description="Jumlah yang dibutuhkan / Required")]
    met: Annotated[int, Field(ge=0, description="Jumlah yang terpenuhi / Met")]

    @model_validator(mode="after")
    def _met_within_required(self) -> QualityInputIn:
        if self.met > self.required:
            fail(
                "met-above-required",
                str(self.met),
                f"Terpenuhi ({self.met}) melebihi yang dibutuhkan ({self.required}).",
                f"Met ({self.met}) exceeds required ({self.required}).",
                field="met",
            )
        return self


REGISTRATION_NUMBER_SOURCE = "Kepmendagri 100.3-2834/2025"
"""Where the posyandu registration number format ``PP.KK.KC.DDDD.NNN`` is reported to come
from; the number and the format are UNCONFIRMED against the text (domain.md §3.1)."""


def registration_number_notices(
    number: str | None, village: KodeWilayah | str
) -> tuple[Notice, ...]:
    """Return a notice when a posyandu registration number does not start with its village.

    The reported format (the village code and a 3-digit serial, e.g.
    ``11.01.10.2001.001``) is unconfirmed, so a number that differs is kept and flagged,
    never rejected.

    Example:
        >>> registration_number_notices("32.75.01.1001.001", "32.75.01.1001")
        ()
        >>> [n.code for n in registration_number_notices("P-17", "32.75.01.1001")]
        ['registration-number-format']
    """
    if not number:
        return ()
    code = KodeWilayah(str(village))
    if number.startswith(code.value + ".") or number.startswith(code.digits):
        return ()
    return (
        Notice(
            code="registration-number-format",
            message_id=f"Nomor registrasi {number!r} tidak diawali kode desa/kelurahan {code} "
            f"(format menurut {REGISTRATION_NUMBER_SOURCE}, belum terkonfirmasi); "
            "nomor tetap disimpan.",
            message_en=f"Registration number {number!r} does not start with the village code "
            f"{code} (format reported from {REGISTRATION_NUMBER_SOURCE}, unconfirmed); the "
            "number is kept.",
            field="registration_number",
            value=number,
        ),
    )


_KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,119}$"


def _on_date(value: date | None) -> date | None:
    return None if value is None else not_in_future(value, "Tanggal", "Date")


class ReferralIn(BaseModel):
    """A need a kader raises for one resident, household or place.

    ``idempotency_key`` is chosen by the client (the app on the kader's phone) once per
    submission and sent again on every retry: a replay creates nothing new, and the same
    key with a different body is refused. ``posyandu_id`` is the posyandu raising the
    need; a kader's own is used when it is left out. ``on`` is the day the need was
    found (today when left out).
    """

    model_config = _CONFIG

    idempotency_key: Annotated[
        str,
        Field(
            pattern=_KEY_PATTERN,
            description="Kunci idempotensi dari klien (huruf, angka, . _ : / -; maks. 120) / "
            "Client idempotency key (letters, digits, . _ : / -; max 120)",
        ),
    ]
    need_type: Annotated[Code, Field(description="Kode jenis kebutuhan / Need type code")]
    resident_id: Annotated[Id | None, Field(description="Warga / Resident")] = None
    household_id: Annotated[Id | None, Field(description="Rumah tangga / Household")] = None
    place: Annotated[
        Region | None, Field(description="Kode wilayah tempat / Region code of the place")
    ] = None
    posyandu_id: Annotated[
        Id | None, Field(description="Posyandu yang mengajukan / Posyandu raising the need")
    ] = None
    note: Annotated[
        str | None,
        BeforeValidator(normalise_text),
        Field(max_length=1000, description="Catatan kader / Kader's note"),
    ] = None
    on: Annotated[
        DateIn | None,
        AfterValidator(_on_date),
        Field(description="Tanggal kebutuhan ditemukan / Day the need was found"),
    ] = None

    @model_validator(mode="after")
    def _one_subject(self) -> ReferralIn:
        _exactly_one_subject(self)
        return self

    def body(self) -> dict[str, Any]:
        """Return what identifies the submission besides its key (for replay checks)."""
        data = self.model_dump(mode="json", exclude={"idempotency_key", "on"})
        return {name: value for name, value in data.items() if value is not None}
