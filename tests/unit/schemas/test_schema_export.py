"""JSON Schemas of the boundary models and of record types."""

from __future__ import annotations

import pytest

from spm_core.catalog import Catalog
from spm_core.errors import InvalidValue
from spm_core.plugins import make_plugin_manager
from spm_core.schemas import BOUNDARY_MODELS, json_schema, schema_names


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.build(
        make_plugin_manager(
            allow=["kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial"]
        )
    )


def test_names() -> None:
    names = schema_names()
    assert {"resident", "household", "membership", "record", "posyandu"} <= set(names)
    assert names == list(BOUNDARY_MODELS)


def test_boundary_schemas_are_bilingual_and_closed() -> None:
    for name in schema_names():
        schema = json_schema(name)
        assert schema["type"] == "object"
        assert schema.get("additionalProperties") is False
        for prop in schema["properties"].values():
            description = prop.get("description", "")
            assert " / " in description, (name, prop)


def test_identifiers_are_text_in_the_schema() -> None:
    nik = json_schema("resident")["properties"]["nik"]
    assert {"type": "string"} in nik["anyOf"]
    assert "Nomor Induk Kependudukan" in nik["description"]


def test_record_type_schemas(catalog: Catalog) -> None:
    names = schema_names(catalog)
    for record_type in catalog.record_types:
        name = f"record:{record_type.code}"
        assert name in names
        schema = json_schema(name, catalog)
        assert schema["x-spm"]["record_type"] == record_type.code
        assert record_type.title.id in schema["title"]
        assert record_type.title.en in schema["title"]


def test_unknown_name_lists_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(InvalidValue) as raised:
        json_schema("tidak-ada", catalog)
    assert "tidak-ada" in raised.value.message_id
    assert "resident" in raised.value.message_en
    with pytest.raises(InvalidValue):
        json_schema(f"record:{catalog.record_types[0].code}")
