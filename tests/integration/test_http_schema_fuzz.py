"""Schemathesis fuzzes every operation of the HTTP adapter from its own OpenAPI document.

The app runs over a seeded registry, on each database; requests carry a kader's token.
Whatever the generated parameters and bodies, no answer is a server error, and every
answer — success or problem — has a documented status, content type, headers and a body
valid against the schema of that status. Examples are bounded per operation so that the
whole run stays under two minutes.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from http_helpers import TOKENS, bearer, seed
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from spm_core.http import create_app

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 8
"""Examples per operation and way of generating: enough to reach each branch of a schema."""


def _known(seeded: Any) -> dict[str, str]:
    """Path parameters naming rows that exist and that the kader of Mawar may touch."""
    rows = seeded.rows["mawar"]
    return {
        "resident_id": rows.resident,
        "household_id": rows.household,
        "membership_id": rows.membership,
        "record_id": rows.records[0],
        "referral_id": rows.referral,
        "posyandu_id": rows.posyandu,
        "kind": "record_type",
        "code": "uji.timbang",
        "name": "record:uji.timbang",
    }


def test_every_answer_is_documented_and_none_is_a_server_error(db_url: str) -> None:
    seeded = seed(db_url)
    try:
        app = create_app(seeded.registry, TOKENS)
        headers = bearer(seeded.world.kader("mawar"))
        schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers=headers)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) >= 30
        known = _known(seeded)

        for operation in operations:
            names = [p.name for p in operation.path_parameters]
            strategies = [
                operation.as_strategy(GenerationMode.POSITIVE),
                operation.as_strategy(GenerationMode.NEGATIVE),
            ]
            if names:
                fixed = {name: known[name] for name in names}
                strategies.append(operation.as_strategy(path_parameters=fixed))
            for strategy in strategies:

                @given(case=strategy)
                @settings(
                    max_examples=EXAMPLES,
                    deadline=None,
                    derandomize=True,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                def fuzz(case: Any) -> None:
                    case.call_and_validate(headers=headers, checks=CHECKS)

                fuzz()
    finally:
        seeded.registry.close()
