"""The Registry: plugins, catalog and store opened and closed together."""

from __future__ import annotations

import pytest
from store_helpers import StoreTestPlugin, kader, operator

from spm_core.access import Purpose
from spm_core.api import Registry
from spm_core.errors import MigrationError
from spm_core.store.migrations import head_revision


def test_registry_opens_everything_and_records_against_its_catalog(db_url: str) -> None:
    with Registry.open(db_url, allow=[], extra_plugins=[StoreTestPlugin()]) as registry:
        assert registry.schema_revision == head_revision()
        assert "postgresql" in registry.location or "sqlite" in registry.location
        assert [p.name for p in registry.catalog.plugins] == ["uji-store"]
        assert registry.plugin_manager.has_plugin("StoreTestPlugin")
        store = registry.store
        posyandu = store.add_posyandu(
            operator(),
            {
                "name": "Posyandu Registry",
                "wilayah_code": "32.75.01.1001",
                "fields": [{"field": "kesehatan", "since": "2024-01-01"}],
            },
            Purpose.ADMINISTRASI,
        )
        actor = kader(posyandu.id)
        resident, _ = store.add_resident(
            actor,
            {"name": "Ani", "sex": "P", "birth_date": "2024-01-01", "posyandu_id": posyandu.id},
            Purpose.PENDATAAN,
        )
        record, notices = registry.add_record(
            actor,
            {
                "record_type": "uji.timbang",
                "resident_id": resident.id,
                "observed_on": "2025-01-01",
                "value": {"weight_kg": 9.5},
            },
            Purpose.PELAYANAN,
        )
        assert notices == ()
        assert store.get_record(actor, record.id, purpose=Purpose.PELAYANAN) == record


def test_registry_with_the_installed_plugins() -> None:
    with Registry.open("sqlite://") as registry:
        names = {p.name for p in registry.catalog.plugins}
        assert {"kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial"} <= names
        assert registry.location == "sqlite://"


def test_registry_without_upgrade_refuses_an_empty_database(db_url: str) -> None:
    with pytest.raises(MigrationError):
        Registry.open(db_url, allow=[], upgrade=False)
