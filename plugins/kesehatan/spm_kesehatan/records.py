"""What a kader or a health worker records at the posyandu, and the checks on it.

Every health record is specific personal data (UU PDP 27/2022 Ps. 4), so every record
type here is marked ``specific``. Bounds in the value schemas reject what cannot be true
(a weight of 0 kg); the validators warn about what is merely unlikely, so a kader can
correct or confirm.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from spm_core.plugin_api import (
    Field,
    LegalBasis,
    Notice,
    RecordType,
    RecordValue,
    SpmField,
    Subject,
    Text,
    Validator,
)
from spm_kesehatan.services import PERMENKES_4_2019, pp_6

__all__ = [
    "ATTENDANTS_TRAINED",
    "HEALTH_FACILITIES",
    "RECORD_TYPES",
    "TRIMESTER_WEEKS",
    "TRIMESTER_WEEKS_BASIS",
    "VALIDATORS",
    "Imunisasi",
    "KunjunganNeonatal",
    "PelayananPenyakit",
    "PemeriksaanKehamilan",
    "PemeriksaanTbc",
    "Penimbangan",
    "Persalinan",
    "Skrining",
    "TesHiv",
    "Vaccine",
]

TRIMESTER_WEEKS: dict[int, tuple[int, int]] = {1: (1, 13), 2: (14, 27), 3: (28, 45)}
"""Gestational weeks of each trimester (inclusive): the first up to week 13, the second
weeks 14–27, the third from week 28. Data, not code: the ANC schedule of the health
indicators reads these bounds, and a region may correct them."""

TRIMESTER_WEEKS_BASIS = LegalBasis(
    "Permenkes 4/2019",
    confirmed=False,
    note=(
        "Trimester bounds in gestational weeks (1–13, 14–27, 28 and later) as commonly used "
        "in KIA records; the lampiran's own bounds were not checked against a primary copy."
    ),
)
"""Why the trimester bounds are marked unconfirmed."""

HEALTH_FACILITIES: tuple[str, ...] = (
    "rumah-sakit",
    "puskesmas",
    "klinik",
    "praktik-mandiri-bidan",
)
"""Places of delivery that are health facilities (fasilitas pelayanan kesehatan)."""

ATTENDANTS_TRAINED: tuple[str, ...] = ("dokter", "bidan")
"""Trained health workers who may attend a delivery to standard."""

Vaccine = Literal[
    "hb0",
    "bcg",
    "opv-1",
    "opv-2",
    "opv-3",
    "opv-4",
    "ipv-1",
    "ipv-2",
    "dpt-hb-hib-1",
    "dpt-hb-hib-2",
    "dpt-hb-hib-3",
    "dpt-hb-hib-4",
    "pcv-1",
    "pcv-2",
    "pcv-3",
    "rv-1",
    "rv-2",
    "rv-3",
    "mr-1",
    "mr-2",
    "je",
    "dt",
    "td",
    "hpv",
]
"""Antigen and dose of the national immunisation programme (``opv-2`` = polio drops, dose 2)."""


class Penimbangan(RecordValue):
    """Weight and, when measured, length or height and other anthropometry."""

    weight_kg: float = Field(gt=0, le=250, description="Berat badan (kg) / Weight (kg)")
    height_cm: float | None = Field(
        default=None,
        ge=20,
        le=250,
        description="Panjang atau tinggi badan (cm) / Length or height (cm)",
    )
    position: Literal["berbaring", "berdiri"] | None = Field(
        default=None,
        description=(
            "Cara ukur: berbaring (panjang badan) atau berdiri (tinggi badan) / "
            "How measured: lying (length) or standing (height)"
        ),
    )
    head_circumference_cm: float | None = Field(
        default=None, ge=20, le=70, description="Lingkar kepala (cm) / Head circumference (cm)"
    )
    muac_cm: float | None = Field(
        default=None,
        ge=5,
        le=60,
        description="Lingkar lengan atas, LiLA (cm) / Mid-upper arm circumference (cm)",
    )


class Imunisasi(RecordValue):
    """One dose of one vaccine."""

    vaccine: Vaccine = Field(
        description="Jenis dan dosis imunisasi / Vaccine and dose (e.g. 'dpt-hb-hib-2')"
    )
    place: Literal["posyandu", "puskesmas", "pustu", "sekolah", "fasyankes-lain"] | None = Field(
        default=None, description="Tempat imunisasi / Where the dose was given"
    )


class PemeriksaanKehamilan(RecordValue):
    """One antenatal care (ANC) visit."""

    gestational_age_weeks: int = Field(
        ge=1, le=45, description="Usia kehamilan (minggu) / Gestational age (weeks)"
    )
    examiner: Literal["bidan", "dokter", "perawat"] = Field(
        description="Pemeriksa / Who examined (midwife, doctor, nurse)"
    )
    ultrasound: bool = Field(
        default=False, description="Pemeriksaan USG dilakukan / Ultrasound performed"
    )
    systolic_mmhg: int | None = Field(
        default=None, ge=50, le=300, description="Tekanan darah sistolik / Systolic pressure"
    )
    diastolic_mmhg: int | None = Field(
        default=None, ge=20, le=200, description="Tekanan darah diastolik / Diastolic pressure"
    )
    danger_signs: bool = Field(
        default=False,
        description="Ada tanda bahaya kehamilan / Pregnancy danger signs present",
    )

    @property
    def trimester(self) -> int:
        """Return the trimester by :data:`TRIMESTER_WEEKS` (1: up to week 13, 2: 14–27, 3: 28+)."""
        for trimester, (low, high) in TRIMESTER_WEEKS.items():
            if low <= self.gestational_age_weeks <= high:
                return trimester
        return 3


class Persalinan(RecordValue):
    """A delivery, recorded about the mother on the day she gave birth."""

    place: Literal[
        "rumah-sakit", "puskesmas", "klinik", "praktik-mandiri-bidan", "rumah", "lainnya"
    ] = Field(description="Tempat persalinan / Place of delivery")
    attendant: Literal["dokter", "bidan", "perawat", "dukun", "keluarga", "lainnya"] = Field(
        description="Penolong persalinan / Who attended the delivery"
    )
    live_births: int = Field(
        default=1, ge=0, le=8, description="Jumlah bayi lahir hidup / Number of live births"
    )


class KunjunganNeonatal(RecordValue):
    """A neonatal visit (KN) to a newborn by a health worker."""

    visit: Literal["kn1", "kn2", "kn3"] = Field(
        description="Kunjungan neonatal ke- / Which neonatal visit (KN1, KN2, KN3)"
    )
    hours_after_birth: int = Field(
        ge=0, le=24 * 60, description="Umur bayi saat kunjungan (jam) / Age at the visit (hours)"
    )
    examiner: Literal["bidan", "dokter", "perawat"] = Field(
        description="Pemeriksa / Who examined (midwife, doctor, nurse)"
    )


Condition = Literal["hipertensi", "diabetes-melitus", "odgj-berat"]
"""Conditions whose care the SPM counts (PP 2/2018 Ps. 6 ayat (3) huruf h–j)."""


class PelayananPenyakit(RecordValue):
    """Care given to a person with hypertension, diabetes or a severe mental disorder."""

    condition: Condition = Field(description="Penyakit yang dilayani / Condition cared for")
    to_standard: bool = Field(
        description=(
            "Pelayanan sesuai standar (pemeriksaan, edukasi, terapi atau rujukan) / Care to "
            "standard (examination, education, treatment or referral)"
        )
    )
    place: Literal["posyandu", "puskesmas", "pustu", "rumah-sakit", "kunjungan-rumah"] = Field(
        description="Tempat pelayanan / Where the care was given"
    )


class PemeriksaanTbc(RecordValue):
    """The examination of a person with presumptive tuberculosis."""

    method: Literal["tcm", "mikroskopis", "rontgen", "klinis"] = Field(
        description=(
            "Cara pemeriksaan: tes cepat molekuler, mikroskopis, rontgen atau klinis / "
            "Examination: molecular rapid test, microscopy, X-ray or clinical"
        )
    )
    to_standard: bool = Field(
        description="Pemeriksaan sesuai standar / Examination to standard",
    )


class TesHiv(RecordValue):
    """An HIV test offered to a person at risk; the result is not recorded here."""

    risk_group: Literal[
        "ibu-hamil", "pasien-tbc", "pasien-ims", "populasi-kunci", "warga-binaan", "lainnya"
    ] = Field(description="Kelompok berisiko / Risk group")


class Skrining(RecordValue):
    """A yearly screening by life stage: school age, working age or older people."""

    package: Literal["usia-pendidikan-dasar", "usia-produktif", "usia-lanjut"] = Field(
        description="Paket skrining menurut kelompok usia / Screening package by age group"
    )
    examiner: Literal["nakes", "kader"] = Field(
        description="Dilakukan oleh tenaga kesehatan atau kader / Done by a health worker or kader"
    )
    systolic_mmhg: int | None = Field(
        default=None, ge=50, le=300, description="Tekanan darah sistolik / Systolic pressure"
    )
    diastolic_mmhg: int | None = Field(
        default=None, ge=20, le=200, description="Tekanan darah diastolik / Diastolic pressure"
    )
    blood_glucose_mg_dl: int | None = Field(
        default=None,
        ge=10,
        le=1000,
        description="Gula darah sewaktu (mg/dL) / Random blood glucose (mg/dL)",
    )
    waist_cm: float | None = Field(
        default=None, ge=20, le=250, description="Lingkar perut (cm) / Waist circumference (cm)"
    )
    tb_symptoms: bool | None = Field(
        default=None,
        description=(
            "Ada gejala TBC (batuk 2 minggu atau lebih, dll.) / TB symptoms present (cough of "
            "2 weeks or more, etc.)"
        ),
    )


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        code="kesehatan.penimbangan",
        title=Text("Penimbangan dan pengukuran", "Weighing and measuring"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=Penimbangan,
        specific=True,
        legal_basis=(PERMENKES_4_2019,),
        description=Text(
            "Antropometri di meja penimbangan posyandu: berat badan, panjang/tinggi badan, "
            "lingkar kepala, LiLA.",
            "Anthropometry at the posyandu weighing table: weight, length/height, head and "
            "arm circumference.",
        ),
    ),
    RecordType(
        code="kesehatan.imunisasi",
        title=Text("Imunisasi", "Immunisation"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=Imunisasi,
        specific=True,
    ),
    RecordType(
        code="kesehatan.pemeriksaan-kehamilan",
        title=Text("Pemeriksaan kehamilan (ANC)", "Antenatal care visit (ANC)"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=PemeriksaanKehamilan,
        specific=True,
        legal_basis=(PERMENKES_4_2019, TRIMESTER_WEEKS_BASIS),
    ),
    RecordType(
        code="kesehatan.persalinan",
        title=Text("Persalinan", "Delivery"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=Persalinan,
        specific=True,
        legal_basis=(pp_6(3, "b"), PERMENKES_4_2019),
        description=Text(
            "Dicatat tentang ibu pada hari persalinan: tempat dan penolong persalinan.",
            "Recorded about the mother on the day of delivery: place and birth attendant.",
        ),
    ),
    RecordType(
        code="kesehatan.kunjungan-neonatal",
        title=Text("Kunjungan neonatal", "Neonatal visit"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=KunjunganNeonatal,
        specific=True,
        legal_basis=(pp_6(3, "c"), PERMENKES_4_2019),
    ),
    RecordType(
        code="kesehatan.pelayanan-penyakit",
        title=Text(
            "Pelayanan hipertensi, diabetes melitus atau ODGJ berat",
            "Care for hypertension, diabetes or a severe mental disorder",
        ),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=PelayananPenyakit,
        specific=True,
        legal_basis=(pp_6(3, "h"), pp_6(3, "i"), pp_6(3, "j"), PERMENKES_4_2019),
    ),
    RecordType(
        code="kesehatan.pemeriksaan-tbc",
        title=Text("Pemeriksaan terduga TBC", "Examination for presumptive TB"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=PemeriksaanTbc,
        specific=True,
        legal_basis=(pp_6(3, "k"), PERMENKES_4_2019),
    ),
    RecordType(
        code="kesehatan.tes-hiv",
        title=Text("Tes HIV", "HIV test"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=TesHiv,
        specific=True,
        legal_basis=(pp_6(3, "l"), PERMENKES_4_2019),
    ),
    RecordType(
        code="kesehatan.skrining",
        title=Text("Skrining kesehatan", "Health screening"),
        field=SpmField.KESEHATAN,
        subject=Subject.RESIDENT,
        value_schema=Skrining,
        specific=True,
        legal_basis=(PERMENKES_4_2019,),
        description=Text(
            "Skrining tahunan usia pendidikan dasar, usia produktif (faktor risiko PTM) "
            "atau usia lanjut.",
            "Yearly screening of school-age children, people of working age (NCD risk "
            "factors) or older people.",
        ),
    ),
)
"""Every health record type."""


def _check_weight_for_height(value: Mapping[str, Any]) -> Iterator[Notice]:
    """Warn when weight and height give a body-mass index no person has (below 8 or above 70)."""
    weight, height = value.get("weight_kg"), value.get("height_cm")
    if weight is None or height is None:
        return
    bmi = float(weight) / (float(height) / 100) ** 2
    if not 8 <= bmi <= 70:
        yield Notice(
            code="weight-height-implausible",
            message_id=(
                f"Berat {weight} kg dengan tinggi {height} cm tidak wajar (IMT {bmi:.1f}); "
                "periksa kembali penimbangan atau pengukuran."
            ),
            message_en=(
                f"A weight of {weight} kg at a height of {height} cm is implausible "
                f"(BMI {bmi:.1f}); check the weighing or the measurement."
            ),
            field="weight_kg",
            value=str(weight),
        )


def _check_gestational_age(value: Mapping[str, Any]) -> Iterator[Notice]:
    """Warn when a pregnancy is recorded past 42 weeks (post-term: check the date or refer)."""
    weeks = value.get("gestational_age_weeks")
    if weeks is not None and int(weeks) > 42:
        yield Notice(
            code="gestational-age-post-term",
            message_id=(
                f"Usia kehamilan {weeks} minggu melewati 42 minggu; periksa HPHT atau rujuk."
            ),
            message_en=(
                f"A gestational age of {weeks} weeks is past 42 weeks; check the last "
                "menstrual period or refer."
            ),
            field="gestational_age_weeks",
            value=str(weeks),
        )


def _check_blood_pressure(value: Mapping[str, Any]) -> Iterator[Notice]:
    """Warn when the systolic pressure is not above the diastolic (values swapped?)."""
    systolic, diastolic = value.get("systolic_mmhg"), value.get("diastolic_mmhg")
    if systolic is not None and diastolic is not None and int(systolic) <= int(diastolic):
        yield Notice(
            code="blood-pressure-swapped",
            message_id=(
                f"Tekanan sistolik {systolic} tidak lebih tinggi dari diastolik {diastolic}; "
                "mungkin tertukar."
            ),
            message_en=(
                f"Systolic pressure {systolic} is not above diastolic {diastolic}; the two "
                "may be swapped."
            ),
            field="systolic_mmhg",
            value=f"{systolic}/{diastolic}",
        )


VALIDATORS: tuple[Validator, ...] = (
    Validator(
        code="kesehatan.penimbangan.berat-tinggi",
        title=Text("Berat menurut tinggi yang tidak wajar", "Implausible weight for height"),
        record_type="kesehatan.penimbangan",
        check=_check_weight_for_height,
    ),
    Validator(
        code="kesehatan.pemeriksaan-kehamilan.usia-kehamilan",
        title=Text("Usia kehamilan lewat waktu", "Post-term gestational age"),
        record_type="kesehatan.pemeriksaan-kehamilan",
        check=_check_gestational_age,
    ),
    Validator(
        code="kesehatan.pemeriksaan-kehamilan.tekanan-darah",
        title=Text("Tekanan darah tertukar", "Blood pressure values swapped"),
        record_type="kesehatan.pemeriksaan-kehamilan",
        check=_check_blood_pressure,
    ),
    Validator(
        code="kesehatan.skrining.tekanan-darah",
        title=Text("Tekanan darah tertukar", "Blood pressure values swapped"),
        record_type="kesehatan.skrining",
        check=_check_blood_pressure,
    ),
)
"""Data-quality checks on health records; each yields notices, never rejects."""
