"""A small web app embedding spm-core: forms from JSON Schemas, records in, a report out.

Standard library only (``wsgiref``): no web framework is needed to embed the library.
Run it with ``python embed_app.py [DATABASE_URL]`` and open http://localhost:8000/.

Routes:

``GET /schemas/NAME``
    The JSON Schema of an input model (``resident``, ``record:kesehatan.penimbangan``
    …), to build a form from.
``POST /posyandu/ID/records``
    A kader of posyandu ``ID`` records one observation (JSON body); the answer is the
    stored record and the notices, or status 422 with every problem in both languages.
``GET /report?period=2025&area=32.75&level=kecamatan``
    The SPM report for an operator of ``area``, as JSON.

Who is acting comes from the request; in a real app it comes from the login session,
never from a parameter the user can change.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from spm_core.access import Actor, AreaScope, PosyanduScope, Purpose, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.errors import InputError, NotFound, SpmError
from spm_core.schemas.export import json_schema

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


# --8<-- [start:app]
def make_app(registry: Registry) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """Return the WSGI application serving ``registry``."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        parts = [p for p in path.split("/") if p]
        try:
            if method == "GET" and len(parts) == 2 and parts[0] == "schemas":
                return reply(start_response, 200, json_schema(parts[1], registry.catalog))
            if method == "POST" and len(parts) == 3 and parts[::2] == ["posyandu", "records"]:
                kader = Actor("kader-web", Role.KADER, PosyanduScope(parts[1]))
                size = int(environ.get("CONTENT_LENGTH") or 0)
                body = json.loads(environ["wsgi.input"].read(size) or b"{}")
                record, notices = registry.add_record(kader, body, Purpose.PELAYANAN)
                return reply(start_response, 201, {
                    "id": record.id,
                    "record_type": record.record_type,
                    "observed_on": record.observed_on.isoformat(),
                    "notices": [n.code for n in notices],
                })  # fmt: skip
            if method == "GET" and parts == ["report"]:
                query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
                area = KodeWilayah.parse(query.get("area", "32.75"))
                operator = Actor("operator-web", Role.OPERATOR, AreaScope(area))
                report = registry.compute_report(
                    operator, query.get("period", "2025"), query.get("level", "kecamatan")
                )
                return reply(start_response, 200, report.to_dict())
            return reply(start_response, 404, {"error": "not-found", "path": path})
        except InputError as error:  # every bad field, in both languages
            return reply(start_response, 422, {
                "code": error.code,
                "issues": [
                    {"field": i.field, "code": i.code, "id": i.message_id, "en": i.message_en}
                    for i in error.issues
                ],
            })  # fmt: skip
        except NotFound as error:
            return reply(start_response, 404, error.to_dict())
        except SpmError as error:
            return reply(start_response, 400, error.to_dict())

    return app


def reply(start_response: StartResponse, status: int, body: Any) -> list[bytes]:
    """Send ``body`` as JSON with ``status``."""
    reasons = {200: "OK", 201: "Created", 400: "Bad Request", 404: "Not Found",
               422: "Unprocessable Entity"}  # fmt: skip
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    start_response(
        f"{status} {reasons[status]}",
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(data)))],
    )
    return [data]


# --8<-- [end:app]


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    url = sys.argv[1] if len(sys.argv) > 1 else "sqlite:///spm.db"
    with Registry.open(url) as registry, make_server("", 8000, make_app(registry)) as server:
        print("Serving on http://localhost:8000/ — Ctrl+C to stop")
        server.serve_forever()
