"""The application factory: one FastAPI app over one :class:`~spm_core.api.Registry`.

Every operation names the library call it makes and nothing else: the body is handed to
the library as the client sent it (the library validates it), the actor comes from the
authenticator, and the library's errors come back as problem details. Library calls
run in the server's thread pool: the store is synchronous and thread-safe.
"""

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

import pydantic
from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from spm_core.access import Actor, Purpose
from spm_core.api import Registry
from spm_core.definitions.serialize import definition_to_dict
from spm_core.domain import Period, SpmField, Subject
from spm_core.errors import InputError, Issue, Notice, RequestTooLarge, SpmError
from spm_core.http._auth import Authenticator
from spm_core.http._models import (
    ActorOut,
    ExplanationOut,
    NeedExplanationOut,
    NoticeOut,
    ProblemOut,
    ReportOut,
    SuggestionOut,
    response_model,
)
from spm_core.http._problems import (
    PROBLEM_JSON,
    on_http_error,
    on_request_invalid,
    on_spm_error,
    on_unexpected,
)
from spm_core.referrals import ReferralAction, ReferralStatus
from spm_core.referrals.router import NeedRouter
from spm_core.schemas import (
    BOUNDARY_MODELS,
    RECORD_PREFIX,
    json_schema,
    schema_names,
    validate,
)
from spm_core.store import (
    MAX_PAGE,
    Domicile,
    Household,
    Membership,
    Posyandu,
    Record,
    Referral,
    ReferralCount,
    ReferralEvent,
    Resident,
    Router,
    SubjectRef,
)
from spm_core.store.aggregate import ReportLevel

__all__ = ["create_app"]

T = TypeVar("T")

IDEMPOTENCY_HEADER = "Idempotency-Key"
"""The header an offline phone sends its submission key in."""

MAX_BODY = 1_048_576
"""The largest request body the app reads by default, in bytes (1 MiB): a record, a
resident or a referral is a few hundred bytes; a larger body is answered 413."""

MAX_DEPTH = 32
"""The deepest nesting of lists and objects a request body may have."""

PAGE = 1000
"""How many rows a list answers when the request gives no ``limit``: a whole city's
residents in one answer would hold the server's memory (page with ``offset``)."""

MAX_LIMIT = 10_000
"""The largest ``limit`` a list takes."""

_BEARER = HTTPBearer(auto_error=False, description="A token your authenticator accepts")

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {
        "description": text,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, text in (
        (401, "No valid identity: problem details"),
        (403, "The actor's role may not do this: problem details"),
        (404, "No such row in the actor's scope, or no such code: problem details"),
        (409, "A stale version, an illegal step or a reused idempotency key"),
        (422, "Invalid input: problem details listing every issue (row, field, value)"),
        (503, "The database is busy or unreachable; retry after Retry-After seconds"),
        (507, "The database storage is full"),
    )
}


def _current_actor(request: Request, _token: Annotated[Any, Depends(_BEARER)] = None) -> Actor:
    """Return the request's actor, as the app's authenticator finds it."""
    authenticator: Authenticator = request.app.state.authenticator
    return authenticator(request)


Who = Annotated[Actor, Depends(_current_actor)]
"""The actor of the request (every operation asks for it: none is reachable without)."""
Key = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        description="Kunci pengiriman dari klien / The client's submission key",
    ),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most this many (default {PAGE})")]
Offset = Annotated[int, Query(ge=0, le=MAX_PAGE, description="Skip this many")]
Area = Annotated[str | None, Query(description="Region code, e.g. 32.75.01.1001")]
Why = Annotated[Purpose, Query(description="Tujuan pemrosesan / Purpose of processing (UU PDP)")]

_READ_WHY = (
    "Tujuan membaca data pribadi; wajib kecuali untuk kader posyandu warga itu sendiri / "
    "The purpose: why personal data is read; required except of the resident's own kader "
    "(UU PDP Ps. 16(2)). The read is logged with its row count."
)


def _read_purpose(
    purpose: Annotated[Purpose | None, Query(description=_READ_WHY)] = None,
    x_purpose: Annotated[
        Purpose | None, Header(alias="X-Purpose", description=f"{_READ_WHY} Same as ?purpose=.")
    ] = None,
) -> Purpose | None:
    """Return the purpose of a read: ``?purpose=``, else the ``X-Purpose`` header."""
    return purpose if purpose is not None else x_purpose


ReadWhy = Annotated[Purpose | None, Depends(_read_purpose)]


# --------------------------------------------------------------------------- bodies


class SearchIn(pydantic.BaseModel):
    """Find a resident by NIK (sent in the body: a NIK never goes into a URL or a log)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    nik: str = pydantic.Field(description="NIK / National identity number")


class MoveIn(pydantic.BaseModel):
    """A resident moves to another posyandu's area (and RT/RW) from a day on."""

    model_config = pydantic.ConfigDict(extra="forbid")

    posyandu_id: str = pydantic.Field(description="Posyandu baru / New posyandu")
    on: date = pydantic.Field(description="Sejak / From")
    rt: str | None = pydantic.Field(default=None, description="RT")
    rw: str | None = pydantic.Field(default=None, description="RW")


class DayIn(pydantic.BaseModel):
    """The day an event happened (a death, a move away)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    on: date = pydantic.Field(description="Tanggal / Day")


class EndIn(pydantic.BaseModel):
    """The last day of a household membership (today when left out)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    end: date | None = pydantic.Field(default=None, description="Berakhir / Ends")


class VoidIn(pydantic.BaseModel):
    """Why a record is voided."""

    model_config = pydantic.ConfigDict(extra="forbid")

    reason: str = pydantic.Field(description="Alasan / Reason")


class SupersedeIn(pydantic.BaseModel):
    """A corrected record replacing an old one, and why."""

    model_config = pydantic.ConfigDict(extra="forbid")

    record: dict[str, Any] = pydantic.Field(description="Catatan pengganti / The new record")
    reason: str = pydantic.Field(description="Alasan / Reason")


class TransitionIn(pydantic.BaseModel):
    """One lifecycle step of a referral."""

    model_config = pydantic.ConfigDict(extra="forbid")

    action: ReferralAction = pydantic.Field(description="Langkah / Step")
    expected_version: int | None = pydantic.Field(
        default=None, description="Versi yang dibaca / The version the client read"
    )
    reason: str | None = pydantic.Field(default=None, description="Alasan / Reason")
    outcome: str | None = pydantic.Field(default=None, description="Hasil / Outcome")
    on: date | None = pydantic.Field(default=None, description="Tanggal / Day")


_ADAPTER_BODIES: tuple[type[pydantic.BaseModel], ...] = (
    SearchIn,
    MoveIn,
    DayIn,
    EndIn,
    VoidIn,
    SupersedeIn,
    TransitionIn,
)


def _body_doc(name: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    }


async def _body(request: Request) -> bytes:
    """Return the request's body, refusing one over the app's ``max_body`` bytes.

    The declared ``Content-Length`` is checked first and the stream is counted as it
    arrives, so an oversized body is never held whole (a chunked one neither).
    """
    limit: int = request.app.state.max_body
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise RequestTooLarge(value=int(declared), limit=limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(value=size, limit=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _depth(data: Any) -> int:
    """Return how deeply ``data`` nests lists and objects (a scalar is 0), without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in children)
    return deepest


def _bad_body(code: str, raw: bytes, message_id: str, message_en: str) -> InputError:
    text = raw[:120].decode("utf-8", "backslashreplace")
    return InputError([Issue(code, "body", text, message_id, message_en)])


async def _json(request: Request) -> Any:
    """Return the request's JSON body, or raise an input error naming ``body``.

    A body nested more than :data:`MAX_DEPTH` levels is refused before the library sees
    it (the parser and the validators would otherwise run out of stack).
    """
    raw = await _body(request)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise _bad_body(
            "invalid-json",
            raw,
            "Isi permintaan bukan JSON yang sah.",
            "The request body is not valid JSON.",
        ) from None
    except RecursionError:
        data = None
    else:
        if _depth(data) <= MAX_DEPTH:
            return data
    raise _bad_body(
        "too-deep",
        raw,
        f"Isi permintaan bersarang lebih dari {MAX_DEPTH} tingkat.",
        f"The request body nests more than {MAX_DEPTH} levels.",
    )


async def _object(request: Request) -> dict[str, Any]:
    data = await _json(request)
    if not isinstance(data, dict):
        raise InputError(
            [
                Issue(
                    "not-object",
                    "body",
                    str(data)[:120],
                    "Harus berupa objek (kolom: nilai).",
                    "Must be an object.",
                )
            ]
        )
    return data


def _with_key(data: dict[str, Any], key: str | None) -> dict[str, Any]:
    """Return the body with the ``Idempotency-Key`` header as its ``idempotency_key``."""
    if key is None:
        return data
    given = data.get("idempotency_key")
    if given is not None and given != key:
        raise InputError(
            [
                Issue(
                    "idempotency-key-mismatch",
                    IDEMPOTENCY_HEADER,
                    key,
                    "Header Idempotency-Key berbeda dari idempotency_key di isi permintaan.",
                    "The Idempotency-Key header differs from the body's idempotency_key.",
                )
            ]
        )
    return {**data, "idempotency_key": key}


def _notices(notices: tuple[Notice, ...]) -> list[dict[str, Any]]:
    return [
        {
            "code": n.code,
            "message_id": n.message_id,
            "message_en": n.message_en,
            "field": n.field,
            "value": n.value,
        }
        for n in notices
    ]


def _with_notices(name: str, item: Any) -> type[pydantic.BaseModel]:
    model: type[pydantic.BaseModel] = pydantic.create_model(
        name,
        __doc__=f"A stored {item.__name__.lower()} and the notices about it.",
        item=(response_model(item), ...),
        notices=(list[NoticeOut], ...),
    )
    return model


async def _call(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a synchronous library call in the thread pool."""
    return await run_in_threadpool(function, *args, **kwargs)


def _openapi(app: FastAPI, registry: Registry) -> Callable[[], dict[str, Any]]:
    """Return the function building the OpenAPI document, with the library's schemas."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        doc = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = doc.setdefault("components", {}).setdefault("schemas", {})
        ref = "#/components/schemas/{model}"
        models: list[type[pydantic.BaseModel]] = [
            *BOUNDARY_MODELS.values(),
            *_ADAPTER_BODIES,
            ProblemOut,
        ]
        for model in models:
            schema = model.model_json_schema(ref_template=ref)
            components.update(schema.pop("$defs", {}))
            components[schema.get("title", model.__name__)] = schema
        for name in schema_names(registry.catalog):
            if name.startswith(RECORD_PREFIX):
                own = "RecordValue." + name.removeprefix(RECORD_PREFIX)
                text = json.dumps(json_schema(name, registry.catalog))
                local = json.loads(text.replace("#/$defs/", f"#/components/schemas/{own}."))
                for sub, sub_schema in local.pop("$defs", {}).items():
                    components[f"{own}.{sub}"] = sub_schema
                components[own] = local
        doc["externalDocs"] = {
            "description": "JSON Schemas of the inputs and of every record type's value",
            "url": "/schemas",
        }
        app.openapi_schema = doc
        return doc

    return build


def create_app(
    registry: Registry,
    authenticator: Authenticator,
    *,
    route: Router | None = None,
    title: str = "spm-core",
    errors_page: str | None = None,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """Return an ASGI app serving ``registry`` to the actors ``authenticator`` finds.

    Args:
        registry: the deployment's plugins, catalog and store; the app never closes it.
        authenticator: request → :class:`~spm_core.access.Actor`; it raises
            :class:`~spm_core.errors.NotAuthenticated` when a request has no identity.
            Every operation, the OpenAPI document included, asks it first.
        route: how submitted needs are routed to agencies; by default the catalog's
            routing (:class:`~spm_core.referrals.router.NeedRouter`).
        title: the API's title in the OpenAPI document.
        errors_page: the address of the deployment's copy of the error-codes page of
            the documentation; a problem's ``type`` is then ``<page>#<code>``, else
            ``urn:spm-core:error:<code>``.
        max_body: the largest request body read, in bytes; a larger one is answered
            413 ``request-too-large`` before any of it is parsed.

    Example:
        >>> from spm_core.http import DevTokens
        >>> with Registry.open("sqlite://") as registry:
        ...     app = create_app(registry, DevTokens(b"0123456789abcdef"))
        ...     "/residents" in {r.path for r in app.routes}
        True
    """
    router: Router = route or NeedRouter(registry.catalog)
    store = registry.store
    app = FastAPI(
        title=title,
        version=_version(),
        description=(
            "Posyandu 6 SPM over HTTP: residents, households, records, referrals, reports. "
            "Every request needs a bearer token; errors are RFC 9457 problem details with "
            "the library's stable code and messages in Bahasa Indonesia and English."
        ),
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        responses=_PROBLEMS,
    )
    app.state.registry = registry
    app.state.authenticator = authenticator
    app.state.errors_page = errors_page
    app.state.max_body = max_body
    app.add_exception_handler(SpmError, on_spm_error)
    app.add_exception_handler(RequestValidationError, on_request_invalid)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)

    # ------------------------------------------------------------------ meta

    @app.get("/openapi.json", include_in_schema=False)
    def openapi(actor: Who) -> JSONResponse:
        return JSONResponse(app.openapi())

    @app.get("/me", response_model=ActorOut, tags=["meta"])
    def me(actor: Who) -> dict[str, Any]:
        """Who the request acts as."""
        return {
            "id": actor.id,
            "role": actor.role.value,
            "scope": actor.scope.describe(),
            "name": actor.name,
        }

    @app.get("/schemas", response_model=dict[str, str], tags=["schemas"])
    def schemas(actor: Who, request: Request) -> dict[str, str]:
        """Every JSON Schema: input models, then ``record:<code>`` per record type."""
        base = str(request.base_url).rstrip("/")
        return {name: f"{base}/schemas/{name}" for name in schema_names(registry.catalog)}

    @app.get("/schemas/{name}", response_model=dict[str, Any], tags=["schemas"])
    def schema(actor: Who, name: Annotated[str, Path()]) -> dict[str, Any]:
        """The JSON Schema called ``name`` (as ``spm schema NAME`` prints it)."""
        return json_schema(name, registry.catalog)

    @app.get("/catalog", response_model=dict[str, Any], tags=["catalog"])
    def catalog(actor: Who) -> dict[str, Any]:
        """Every definition, override and adjustment, with provenance and legal basis."""
        return registry.catalog.to_dict()

    @app.get("/catalog/{kind}/{code}", response_model=list[dict[str, Any]], tags=["catalog"])
    def definition(actor: Who, kind: str, code: str) -> list[dict[str, Any]]:
        """Every version of one definition, in every scope."""
        registry.catalog.get(kind, code)
        return [definition_to_dict(d) for d in registry.catalog.versions(kind, code)]

    # ------------------------------------------------------------------ posyandu

    @app.get("/posyandu", response_model=list[response_model(Posyandu)], tags=["posyandu"])  # type: ignore[misc]
    async def list_posyandu(
        actor: Who, area: Area = None, field: SpmField | None = None, on: date | None = None
    ) -> list[dict[str, Any]]:
        """The posyandu in the actor's area (a kader: its own)."""
        found = await _call(store.list_posyandu, actor, area=area, field=field, on=on)
        return [p.to_dict() for p in found]

    @app.get("/posyandu/{posyandu_id}", response_model=response_model(Posyandu), tags=["posyandu"])
    async def get_posyandu(actor: Who, posyandu_id: str) -> dict[str, Any]:
        """One posyandu and the fields it serves."""
        return (await _call(store.get_posyandu, actor, posyandu_id)).to_dict()

    # ------------------------------------------------------------------ residents

    resident_out = _with_notices("ResidentWithNotices", Resident)

    @app.post(
        "/residents",
        status_code=201,
        response_model=resident_out,
        tags=["residents"],
        openapi_extra=_body_doc("ResidentIn"),
    )
    async def add_resident(
        actor: Who, request: Request, purpose: Why = Purpose.PENDATAAN
    ) -> dict[str, Any]:
        """Register a resident (body: ``ResidentIn``); notices never stop the write."""
        data = await _object(request)
        resident, notices = await _call(store.add_resident, actor, data, purpose)
        return {"item": resident.to_dict(), "notices": _notices(notices)}

    @app.get("/residents", response_model=list[response_model(Resident)], tags=["residents"])  # type: ignore[misc]
    async def list_residents(
        actor: Who,
        purpose: ReadWhy,
        posyandu_id: str | None = None,
        area: Area = None,
        limit: Limit = PAGE,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        """The residents in the actor's scope."""
        found = await _call(
            store.list_residents,
            actor,
            purpose=purpose,
            posyandu_id=posyandu_id,
            area=area,
            limit=limit,
            offset=offset,
        )
        return [r.to_dict() for r in found]

    @app.post(
        "/residents/search",
        response_model=response_model(Resident),
        tags=["residents"],
        openapi_extra=_body_doc("SearchIn"),
    )
    async def find_resident(actor: Who, request: Request, purpose: ReadWhy) -> dict[str, Any]:
        """The resident with a NIK, in the actor's scope."""
        query = validate(SearchIn, await _json(request))
        found = await _call(store.find_resident_by_nik, actor, query.nik, purpose=purpose)
        return found.to_dict()

    @app.get(
        "/residents/{resident_id}", response_model=response_model(Resident), tags=["residents"]
    )
    async def get_resident(actor: Who, resident_id: str, purpose: ReadWhy) -> dict[str, Any]:
        """One resident."""
        return (await _call(store.get_resident, actor, resident_id, purpose=purpose)).to_dict()

    @app.patch(
        "/residents/{resident_id}",
        response_model=resident_out,
        tags=["residents"],
        openapi_extra=_body_doc("ResidentUpdate"),
    )
    async def update_resident(
        actor: Who,
        request: Request,
        resident_id: str,
        expected_version: Annotated[int, Query(description="The version the client read")],
        purpose: Why = Purpose.KOREKSI,
    ) -> dict[str, Any]:
        """Correct a resident (body: ``ResidentUpdate``); a stale version is a 409."""
        data = await _object(request)
        resident, notices = await _call(
            store.update_resident, actor, resident_id, data, expected_version, purpose
        )
        return {"item": resident.to_dict(), "notices": _notices(notices)}

    @app.post(
        "/residents/{resident_id}/move",
        response_model=response_model(Resident),
        tags=["residents"],
        openapi_extra=_body_doc("MoveIn"),
    )
    async def move_resident(
        actor: Who,
        request: Request,
        resident_id: str,
        purpose: Why = Purpose.PENDATAAN,
    ) -> dict[str, Any]:
        """The resident moves to another posyandu's area from a day on."""
        move = validate(MoveIn, await _json(request))
        moved = await _call(
            store.move_resident,
            actor,
            resident_id,
            move.posyandu_id,
            move.on,
            purpose,
            rt=move.rt,
            rw=move.rw,
        )
        return moved.to_dict()

    @app.post(
        "/residents/{resident_id}/death",
        response_model=response_model(Resident),
        tags=["residents"],
        openapi_extra=_body_doc("DayIn"),
    )
    async def record_death(
        actor: Who,
        request: Request,
        resident_id: str,
        purpose: Why = Purpose.PENDATAAN,
    ) -> dict[str, Any]:
        """Record the resident's death."""
        day = validate(DayIn, await _json(request))
        return (await _call(store.record_death, actor, resident_id, day.on, purpose)).to_dict()

    @app.post(
        "/residents/{resident_id}/moved-away",
        response_model=response_model(Resident),
        tags=["residents"],
        openapi_extra=_body_doc("DayIn"),
    )
    async def record_moved_away(
        actor: Who,
        request: Request,
        resident_id: str,
        purpose: Why = Purpose.PENDATAAN,
    ) -> dict[str, Any]:
        """Record that the resident left the region."""
        day = validate(DayIn, await _json(request))
        moved = await _call(store.record_moved_away, actor, resident_id, day.on, purpose)
        return moved.to_dict()

    @app.get(
        "/residents/{resident_id}/domiciles",
        response_model=list[response_model(Domicile)],  # type: ignore[misc]
        tags=["residents"],
    )
    async def resident_domiciles(
        actor: Who, resident_id: str, purpose: ReadWhy
    ) -> list[dict[str, Any]]:
        """Where the resident lived, first to last."""
        found = await _call(store.resident_domiciles, actor, resident_id, purpose=purpose)
        return [d.to_dict() for d in found]

    @app.get(
        "/residents/{resident_id}/memberships",
        response_model=list[response_model(Membership)],  # type: ignore[misc]
        tags=["memberships"],
    )
    async def resident_memberships(
        actor: Who, resident_id: str, purpose: ReadWhy
    ) -> list[dict[str, Any]]:
        """The resident's household memberships."""
        found = await _call(store.resident_memberships, actor, resident_id, purpose=purpose)
        return [m.to_dict() for m in found]

    # ------------------------------------------------------------------ households

    @app.post(
        "/households",
        status_code=201,
        response_model=response_model(Household),
        tags=["households"],
        openapi_extra=_body_doc("HouseholdIn"),
    )
    async def add_household(
        actor: Who, request: Request, purpose: Why = Purpose.PENDATAAN
    ) -> dict[str, Any]:
        """Register a household (body: ``HouseholdIn``)."""
        data = await _object(request)
        return (await _call(store.add_household, actor, data, purpose)).to_dict()

    @app.get("/households", response_model=list[response_model(Household)], tags=["households"])  # type: ignore[misc]
    async def list_households(
        actor: Who,
        purpose: ReadWhy,
        posyandu_id: str | None = None,
        area: Area = None,
        limit: Limit = PAGE,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        """The households in the actor's scope."""
        found = await _call(
            store.list_households,
            actor,
            purpose=purpose,
            posyandu_id=posyandu_id,
            area=area,
            limit=limit,
            offset=offset,
        )
        return [h.to_dict() for h in found]

    @app.get(
        "/households/{household_id}", response_model=response_model(Household), tags=["households"]
    )
    async def get_household(actor: Who, household_id: str, purpose: ReadWhy) -> dict[str, Any]:
        """One household."""
        return (await _call(store.get_household, actor, household_id, purpose=purpose)).to_dict()

    @app.get(
        "/households/{household_id}/members",
        response_model=list[response_model(Membership)],  # type: ignore[misc]
        tags=["memberships"],
    )
    async def household_members(
        actor: Who,
        household_id: str,
        on: Annotated[date, Query(description="On this day")],
        purpose: ReadWhy,
    ) -> list[dict[str, Any]]:
        """The household's members on a day."""
        found = await _call(store.household_members, actor, household_id, on, purpose=purpose)
        return [m.to_dict() for m in found]

    # ------------------------------------------------------------------ memberships

    @app.post(
        "/memberships",
        status_code=201,
        response_model=response_model(Membership),
        tags=["memberships"],
        openapi_extra=_body_doc("MembershipIn"),
    )
    async def add_membership(
        actor: Who, request: Request, purpose: Why = Purpose.PENDATAAN
    ) -> dict[str, Any]:
        """Add a resident to a household (body: ``MembershipIn``)."""
        data = await _object(request)
        return (await _call(store.add_membership, actor, data, purpose)).to_dict()

    @app.get(
        "/memberships/{membership_id}",
        response_model=response_model(Membership),
        tags=["memberships"],
    )
    async def get_membership(actor: Who, membership_id: str, purpose: ReadWhy) -> dict[str, Any]:
        """One membership."""
        found = await _call(store.get_membership, actor, membership_id, purpose=purpose)
        return found.to_dict()

    @app.post(
        "/memberships/{membership_id}/end",
        response_model=response_model(Membership),
        tags=["memberships"],
        openapi_extra=_body_doc("EndIn"),
    )
    async def end_membership(
        actor: Who,
        request: Request,
        membership_id: str,
        purpose: Why = Purpose.PENDATAAN,
    ) -> dict[str, Any]:
        """End a membership on a day."""
        end = validate(EndIn, await _json(request))
        ended = await _call(store.end_membership, actor, membership_id, end.end, purpose)
        return ended.to_dict()

    # ------------------------------------------------------------------ records

    record_out = _with_notices("RecordWithNotices", Record)

    @app.post(
        "/records",
        status_code=201,
        response_model=record_out,
        tags=["records"],
        responses={200: {"model": record_out, "description": "A replay: the stored record"}},
        openapi_extra=_body_doc("RecordIn"),
    )
    async def add_record(
        actor: Who,
        request: Request,
        response: Response,
        key: Key = None,
        purpose: Why = Purpose.PELAYANAN,
    ) -> dict[str, Any]:
        """Store one observation (body: ``RecordIn``; its value per ``/schemas/record:<code>``).

        Sent again with the same ``Idempotency-Key`` (or, without one, the same content),
        the stored record comes back with 200 and nothing is written; the same key with
        another body is a 409.
        """
        data = _with_key(await _object(request), key)
        started = datetime.now(UTC)
        record, notices = await _call(registry.add_record, actor, data, purpose)
        if record.created_at < started:
            response.status_code = 200
        return {"item": record.to_dict(), "notices": _notices(notices)}

    @app.get("/records", response_model=list[response_model(Record)], tags=["records"])  # type: ignore[misc]
    async def list_records(
        actor: Who,
        purpose: ReadWhy,
        subject_kind: Subject | None = None,
        subject_id: str | None = None,
        record_type: str | None = None,
        period: Annotated[str | None, Query(description="e.g. 2025-03, 2025-Q1, 2025")] = None,
        posyandu_id: str | None = None,
        area: Area = None,
        include_voided: bool = False,
        limit: Limit = PAGE,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        """The records in the actor's scope, oldest observation first."""
        subject = _subject(subject_kind, subject_id)
        found = await _call(
            store.list_records,
            actor,
            purpose=purpose,
            subject=subject,
            record_type=record_type,
            period=None if period is None else Period.parse(period),
            posyandu_id=posyandu_id,
            area=area,
            include_voided=include_voided,
            limit=limit,
            offset=offset,
        )
        return [r.to_dict() for r in found]

    @app.get("/records/{record_id}", response_model=response_model(Record), tags=["records"])
    async def get_record(actor: Who, record_id: str, purpose: ReadWhy) -> dict[str, Any]:
        """One record."""
        return (await _call(store.get_record, actor, record_id, purpose=purpose)).to_dict()

    @app.post(
        "/records/{record_id}/void",
        response_model=response_model(Record),
        tags=["records"],
        openapi_extra=_body_doc("VoidIn"),
    )
    async def void_record(
        actor: Who,
        request: Request,
        record_id: str,
        purpose: Why = Purpose.KOREKSI,
    ) -> dict[str, Any]:
        """Void a record with a reason: it stays stored and audited but counts nowhere."""
        void = validate(VoidIn, await _json(request))
        return (await _call(store.void_record, actor, record_id, void.reason, purpose)).to_dict()

    @app.post(
        "/records/{record_id}/supersede",
        status_code=201,
        response_model=record_out,
        tags=["records"],
        openapi_extra=_body_doc("SupersedeIn"),
    )
    async def supersede_record(
        actor: Who,
        request: Request,
        record_id: str,
        purpose: Why = Purpose.KOREKSI,
    ) -> dict[str, Any]:
        """Replace a record with a corrected one, in one transaction."""
        body = validate(SupersedeIn, await _json(request))
        record, notices = await _call(
            store.supersede_record,
            actor,
            record_id,
            body.record,
            body.reason,
            registry.catalog,
            purpose,
        )
        return {"item": record.to_dict(), "notices": _notices(notices)}

    # ------------------------------------------------------------------ referrals

    referral_list: Any = list[response_model(Referral)]  # type: ignore[misc]

    @app.post(
        "/referrals",
        status_code=201,
        response_model=referral_list,
        tags=["referrals"],
        responses={200: {"model": referral_list, "description": "A replay: nothing new"}},
        openapi_extra=_body_doc("ReferralIn"),
    )
    async def submit_referral(
        actor: Who,
        request: Request,
        response: Response,
        key: Key = None,
        purpose: Why = Purpose.RUJUKAN,
    ) -> list[dict[str, Any]]:
        """Raise a need and route it: one referral per agency it goes to (body: ``ReferralIn``).

        The ``Idempotency-Key`` header (or the body's ``idempotency_key``) makes a retry
        from an offline phone safe: a replay answers 200 with what the first created; the
        same key with another body is a 409.
        """
        data = _with_key(await _object(request), key)
        done = await _call(
            store.submit_referral, actor, data, purpose, registry.catalog, route=router
        )
        if done.replayed:
            response.status_code = 200
        return [r.to_dict() for r in done.referrals]

    @app.get("/referrals", response_model=referral_list, tags=["referrals"])
    async def list_referrals(
        actor: Who,
        purpose: ReadWhy,
        status: Annotated[list[ReferralStatus] | None, Query()] = None,
        agency_code: str | None = None,
        need_type: str | None = None,
        posyandu_id: str | None = None,
        area: Area = None,
        overdue_on: date | None = None,
        group_id: str | None = None,
        limit: Limit = PAGE,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        """The referrals the actor may see, oldest first (an agency officer: its own)."""
        found = await _call(
            store.list_referrals,
            actor,
            purpose=purpose,
            status=status or None,
            agency_code=agency_code,
            need_type=need_type,
            posyandu_id=posyandu_id,
            area=area,
            overdue_on=overdue_on,
            group_id=group_id,
            limit=limit,
            offset=offset,
        )
        return [r.to_dict() for r in found]

    @app.get(
        "/referrals/counts",
        response_model=list[response_model(ReferralCount)],  # type: ignore[misc]
        tags=["referrals"],
    )
    async def count_referrals(
        actor: Who,
        on: Annotated[date, Query(description="Overdue is judged on this day")],
        agency_code: str | None = None,
        area: Area = None,
        routed_from: date | None = None,
        routed_until: date | None = None,
    ) -> list[dict[str, Any]]:
        """Referral counts by agency, field, need, village and state (no rows)."""
        found = await _call(
            store.count_referrals,
            actor,
            on=on,
            agency_code=agency_code,
            area=area,
            routed_from=routed_from,
            routed_until=routed_until,
        )
        return [c.to_dict() for c in found]

    @app.get(
        "/referrals/{referral_id}", response_model=response_model(Referral), tags=["referrals"]
    )
    async def get_referral(actor: Who, referral_id: str, purpose: ReadWhy) -> dict[str, Any]:
        """One referral, with only the subject's fields its need type shares."""
        return (await _call(store.get_referral, actor, referral_id, purpose=purpose)).to_dict()

    @app.get(
        "/referrals/{referral_id}/history",
        response_model=list[response_model(ReferralEvent)],  # type: ignore[misc]
        tags=["referrals"],
    )
    async def referral_history(
        actor: Who, referral_id: str, purpose: ReadWhy
    ) -> list[dict[str, Any]]:
        """Every lifecycle step of a referral, first to last."""
        found = await _call(store.referral_history, actor, referral_id, purpose=purpose)
        return [e.to_dict() for e in found]

    @app.post(
        "/referrals/{referral_id}/transitions",
        response_model=referral_list,
        tags=["referrals"],
        openapi_extra=_body_doc("TransitionIn"),
    )
    async def transition_referral(
        actor: Who,
        request: Request,
        referral_id: str,
        purpose: Why = Purpose.RUJUKAN,
    ) -> list[dict[str, Any]]:
        """Take one lifecycle step (accept, reject, start, resolve, cancel, reroute, …)."""
        step = validate(TransitionIn, await _json(request))
        changed = await _call(
            store.transition_referral,
            actor,
            referral_id,
            step.action,
            step.expected_version,
            purpose,
            reason=step.reason,
            outcome=step.outcome,
            on=step.on,
            route=router,
        )
        return [r.to_dict() for r in changed]

    # ------------------------------------------------------------------ indicators

    @app.get("/reports", response_model=ReportOut, tags=["indicators"])
    async def report(
        actor: Who,
        period: Annotated[str, Query(description="e.g. 2025, 2025-S1, 2025-Q1, 2025-03")],
        level: ReportLevel,
        field: Annotated[list[SpmField] | None, Query()] = None,
        disaggregate: Annotated[list[str] | None, Query()] = None,
        suppress_below: Annotated[int | None, Query(ge=1)] = None,
    ) -> ReportOut:
        """Every indicator and the achievement index for the actor's scope."""
        found = await _call(
            registry.compute_report,
            actor,
            period,
            level,
            fields=field or None,
            disaggregate=tuple(disaggregate or ()),
            suppress_below=suppress_below,
        )
        return ReportOut.of(found)

    @app.get("/explain", response_model=ExplanationOut, tags=["indicators"])
    async def explain(
        actor: Who,
        indicator: Annotated[str, Query(description="Indicator code")],
        subject: Annotated[str, Query(description="Resident or household id")],
        period: Annotated[str, Query(description="e.g. 2025")],
        purpose: ReadWhy,
    ) -> ExplanationOut:
        """Why a resident or household is, or is not, counted by an indicator."""
        found = await _call(registry.explain, actor, indicator, subject, period, purpose=purpose)
        return ExplanationOut.of(found)

    # ------------------------------------------------------------------ needs

    @app.get("/needs/suggestions", response_model=list[SuggestionOut], tags=["needs"])
    async def suggest_needs(
        actor: Who,
        area: Annotated[str, Query(description="Region code, e.g. 32.75.01.1001")],
        period: Annotated[str, Query(description="e.g. 2025, 2025-Q1, 2025-03")],
        purpose: ReadWhy,
        need_type: Annotated[list[str] | None, Query()] = None,
    ) -> list[SuggestionOut]:
        """The needs the records show in an area over a period, not referred yet.

        Nothing is submitted: confirm a suggestion with ``POST /referrals`` and its
        ``idempotency_key``.
        """
        found = await _call(
            registry.suggest_needs,
            actor,
            area,
            period,
            need_types=need_type or None,
            purpose=purpose,
        )
        return [SuggestionOut.of(s) for s in found]

    @app.get("/needs/explain", response_model=NeedExplanationOut, tags=["needs"])
    async def explain_need(
        actor: Who,
        need_type: Annotated[str, Query(description="Need type code")],
        subject: Annotated[str, Query(description="Resident or household id")],
        period: Annotated[str, Query(description="e.g. 2025")],
        purpose: ReadWhy,
    ) -> NeedExplanationOut:
        """Whether the records show a need for a resident or household, and why."""
        found = await _call(
            registry.explain_need, actor, need_type, subject, period, purpose=purpose
        )
        return NeedExplanationOut.of(found)

    app.openapi = _openapi(app, registry)  # type: ignore[method-assign]
    return app


def _subject(kind: Subject | None, subject_id: str | None) -> SubjectRef | None:
    """Return the subject named by the ``subject_kind`` and ``subject_id`` parameters."""
    if kind is None and subject_id is None:
        return None
    if kind is None or subject_id is None:
        missing = "subject_kind" if kind is None else "subject_id"
        raise InputError(
            [
                Issue(
                    "required",
                    missing,
                    None,
                    "subject_kind dan subject_id diisi bersama.",
                    "subject_kind and subject_id go together.",
                )
            ]
        )
    if kind is Subject.PLACE:
        return SubjectRef.place(subject_id)
    return SubjectRef(kind, subject_id)


def _version() -> str:
    from spm_core import __version__

    return __version__
