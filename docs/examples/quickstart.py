"""Getting started: open a registry, record a posyandu visit, and read it back.

Run it with ``python quickstart.py [DATABASE_URL]`` (default: ``sqlite:///spm.db``, the
database ``spm init`` made). Run it again and it finds what the first run recorded and
reads it back, instead of registering the same people twice.
"""

from __future__ import annotations

import sys
from datetime import date

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.store import Household, Resident, Store, SubjectRef

POSYANDU_NAME = "Posyandu Mawar"
KELURAHAN = "32.75.01.1001"
OPERATOR = Actor("operator-1", Role.OPERATOR, AreaScope(KodeWilayah.parse("32.75")))


def record_visit(registry: Registry) -> tuple[Actor, Household, Resident]:
    """Register a posyandu, a household with two members and a weighing."""
    store = registry.store
    # --8<-- [start:posyandu]
    # A regional operator sets up a posyandu in Kelurahan Bekasijaya, serving the
    # health field since January 2025.
    operator = Actor("operator-1", Role.OPERATOR, AreaScope(KodeWilayah.parse("32.75")))
    posyandu = store.add_posyandu(
        operator,
        {
            "name": "Posyandu Mawar",
            "wilayah_code": "32.75.01.1001",
            "fields": [{"field": "kesehatan", "since": "2025-01-01"}],
        },
        Purpose.ADMINISTRASI,
    )
    # --8<-- [end:posyandu]

    # --8<-- [start:household]
    # A kader of that posyandu records a household and its members.
    kader = Actor("kader-1", Role.KADER, PosyanduScope(posyandu.id), name="Bu Sari")
    household = store.add_household(
        kader, {"posyandu_id": posyandu.id, "rt": "3", "rw": "7"}, Purpose.PENDATAAN
    )
    mother, _ = store.add_resident(
        kader,
        {
            "nik": "3275014507900001",  # women: day of birth + 40
            "name": "Siti Aminah",
            "sex": "P",
            "birth_date": "1990-07-05",
            "posyandu_id": posyandu.id,
        },
        Purpose.PENDATAAN,
    )
    child, _ = store.add_resident(
        kader,
        {
            "name": "Rina",  # a toddler without a NIK yet
            "sex": "P",
            "birth_date": "2023-11-02",
            "posyandu_id": posyandu.id,
        },
        Purpose.PENDATAAN,
    )
    for resident, relationship in ((mother, 1), (child, 4)):  # SHDK: 1 head, 4 child
        store.add_membership(
            kader,
            {
                "household_id": household.id,
                "resident_id": resident.id,
                "relationship": relationship,
                "start": "2025-01-01",
            },
            Purpose.PENDATAAN,
        )
    # --8<-- [end:household]

    # --8<-- [start:record]
    # The monthly weighing at the posyandu.
    record, notices = registry.add_record(
        kader,
        {
            "record_type": "kesehatan.penimbangan",
            "resident_id": child.id,
            "observed_on": "2025-03-10",
            "value": {"weight_kg": 11.2, "height_cm": 84.5, "position": "berdiri"},
        },
        Purpose.PELAYANAN,
    )
    print("saved", record.record_type, "for", child.name, "on", record.observed_on)
    for notice in notices:  # warnings never stop a write
        print("!", notice.message("en"))
    # --8<-- [end:record]
    return kader, household, child


def recorded_before(store: Store) -> tuple[Actor, Household, Resident] | None:
    """Return what an earlier run of this script recorded, or ``None`` on a first run."""
    for posyandu in store.list_posyandu(OPERATOR, area=KELURAHAN):
        if posyandu.name != POSYANDU_NAME:
            continue
        kader = Actor("kader-1", Role.KADER, PosyanduScope(posyandu.id), name="Bu Sari")
        households = store.list_households(kader, posyandu_id=posyandu.id)
        children = [
            r for r in store.list_residents(kader, posyandu_id=posyandu.id) if r.name == "Rina"
        ]
        if households and children:
            print("found", posyandu.name, "from an earlier run; reading it back")
            return kader, households[0], children[0]
    return None


def read_back(store: Store, kader: Actor, household: Household, child: Resident) -> None:
    """Print who was in the household on 1 March 2025 and the child's records."""
    # --8<-- [start:read]
    # Read it back: who was in the household on 1 March 2025, and the child's records.
    for member in store.household_members(kader, household.id, on=date(2025, 3, 1)):
        resident = store.get_resident(kader, member.resident_id)
        print(member.relationship.label.en, "-", resident.name, resident.birth_date)
    for found in store.list_records(kader, subject=SubjectRef.resident(child.id)):
        print(found.observed_on, found.record_type, dict(found.value))
    # --8<-- [end:read]


def main(db_url: str = "sqlite:///spm.db") -> None:
    """Record the visit (or find it, on a second run) and print it back."""
    # --8<-- [start:open]
    with Registry.open(db_url) as registry:  # creates or upgrades the database
        store = registry.store
        # --8<-- [end:open]
        recorded = recorded_before(store) or record_visit(registry)
        read_back(store, *recorded)


if __name__ == "__main__":
    main(*sys.argv[1:2])
