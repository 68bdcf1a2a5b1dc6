"""The web app of docs/embed.md answers as the page says: schemas, records, a report."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any
from wsgiref.util import setup_testing_defaults

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah

APP = Path(__file__).resolve().parents[2] / "docs" / "examples" / "embed_app.py"
SIX = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("embed_app", APP)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def call(app: Any, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    environ: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path.split("?")[0]}
    if "?" in path:
        environ["QUERY_STRING"] = path.split("?", 1)[1]
    data = b"" if body is None else json.dumps(body).encode()
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))
    setup_testing_defaults(environ)
    seen: list[str] = []
    chunks = app(environ, lambda status, headers: seen.append(status))
    return int(seen[0].split()[0]), json.loads(b"".join(chunks))


def test_the_embedded_app_serves_schemas_records_and_a_report(tmp_path: Path) -> None:
    with Registry.open(f"sqlite:///{tmp_path / 'spm.db'}", allow=SIX) as registry:
        operator = Actor("op", Role.OPERATOR, AreaScope(KodeWilayah.parse("32.75")))
        posyandu = registry.store.add_posyandu(
            operator,
            {"name": "Posyandu Mawar", "wilayah_code": "32.75.01.1001",
             "fields": [{"field": "kesehatan", "since": "2025-01-01"}]},
            Purpose.ADMINISTRASI,
        )  # fmt: skip
        kader = Actor("k", Role.KADER, PosyanduScope(posyandu.id))
        child, _ = registry.store.add_resident(
            kader,
            {"name": "Rina", "sex": "P", "birth_date": "2023-11-02", "posyandu_id": posyandu.id},
            Purpose.PENDATAAN,
        )
        app = _module().make_app(registry)

        status, schema = call(app, "GET", "/schemas/record:kesehatan.penimbangan")
        assert status == 200
        assert "weight_kg" in schema["properties"]

        good = {"record_type": "kesehatan.penimbangan", "resident_id": child.id,
                "observed_on": "2025-03-10",
                "value": {"weight_kg": 11.2, "height_cm": 84.5, "position": "berdiri"}}  # fmt: skip
        status, stored = call(app, "POST", f"/posyandu/{posyandu.id}/records", good)
        assert (status, stored["record_type"]) == (201, "kesehatan.penimbangan")

        bad = {**good, "value": {"weight_kg": 900, "height_cm": 84.5, "position": "berdiri"}}
        status, problem = call(app, "POST", f"/posyandu/{posyandu.id}/records", bad)
        assert status == 422
        assert problem["issues"][0]["field"].startswith("value")
        assert problem["issues"][0]["id"]
        assert problem["issues"][0]["en"]

        status, report = call(app, "GET", "/report?period=2025&area=32.75&level=kelurahan")
        assert status == 200
        assert any(r["indicator"] == "kesehatan.balita" for r in report["rows"])
        assert call(app, "GET", "/nowhere")[0] == 404
