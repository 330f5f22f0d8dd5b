"""The sync API of docs/sync-api.md as a FastAPI application.

No ``from __future__ import annotations`` here: FastAPI reads the annotations of the
route functions at run time, and the dependencies are local to :func:`create_app`.
"""

import base64
import json
import logging
import secrets
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema
from sqlalchemy import and_, func, not_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from fpcert_desktop.domain.clock import china_date, utc_now
from fpcert_desktop.domain.issuance import CertificateNumber
from fpcert_desktop.ekey.certificates import check_validity, fingerprint_sha256, verify_signature
from fpcert_desktop.ekey.errors import (
    CertificateExpired,
    CertificateNotYetValid,
    SignatureInvalid,
)
from fpcert_server import reports, security
from fpcert_server.db import make_engine
from fpcert_server.models import (
    ChallengeRow,
    ChangeRow,
    EnrolmentCodeRow,
    OfficeRow,
    PushedIssuanceRow,
    PushedVoidRow,
    SessionRow,
    SigningCertificateRow,
    UserRow,
    WorkstationRow,
    create_schema,
)
from fpcert_server.push import PUSHED_TABLES, STORE_FUNCTIONS, PushContext
from fpcert_server.schemas import (
    MAX_PULL_LIMIT,
    MAX_PUSH_ITEMS,
    OFFICE_CODE_PATTERN,
    PUSH_ITEM_MODELS,
    ChallengeResponse,
    DailyReportResponse,
    EnrolRequest,
    EnrolResponse,
    ErrorResponse,
    PushKind,
    PushRequest,
    PushResponse,
    RejectedItem,
    SessionRequest,
    SessionResponse,
    SigningKeyItem,
    SigningKeysResponse,
    Stream,
    StreamItem,
    StreamPage,
    VerifyResponse,
    VerifyStatus,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

CHALLENGE_LIFETIME = timedelta(minutes=2)
SESSION_LIFETIME = timedelta(hours=8)
DEFAULT_PULL_LIMIT = 1000
JURISDICTION_STREAMS = (Stream.PEOPLE, Stream.PROBLEM_LIST)

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 403, 404, 409)
}


class ApiError(Exception):
    """An error returned as ``{"error", "detail"}`` with an HTTP status."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.error = error
        self.detail = detail


def _error_response(status: int, error: str, detail: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": error, "detail": detail})


def _validation_summary(errors: Any) -> str:
    parts = []
    for error in list(errors)[:5]:
        location = ".".join(str(part) for part in error.get("loc", ()))
        parts.append(f"{location}: {error.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def create_app(database_url: str, *, clock: Clock | None = None) -> FastAPI:
    """Build the API over ``database_url``, creating missing tables first.

    ``clock`` returns the current aware UTC time; tests pass a fixed one.
    """
    now: Clock = clock or utc_now
    engine = make_engine(database_url)
    create_schema(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)

    app = FastAPI(
        title="fpcert central server (reference)",
        version="1",
        description="Sync API between the fpcert-desktop client and the central server.",
    )
    app.state.engine = engine

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        # The path contains at most a stream name or a certificate number, never a secret.
        logger.info(
            "%s %s failed with %d %s", request.method, request.url.path, error.status, error.error
        )
        return _error_response(error.status, error.error, error.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error_response(400, "invalid_request", _validation_summary(error.errors()))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = "not_found" if error.status_code == 404 else f"http_{error.status_code}"
        return _error_response(error.status_code, code, str(error.detail))

    # --- authentication dependencies ------------------------------------------------

    def workstation(
        authorization: Annotated[
            str | None, Header(description="Bearer <workstation_id>.<secret>")
        ] = None,
    ) -> WorkstationRow:
        if not authorization or not authorization.startswith("Bearer "):
            raise ApiError(401, "missing_credentials", "Authorization: Bearer header missing")
        workstation_id, _, secret = authorization[len("Bearer ") :].strip().partition(".")
        with sessions() as db:
            row = db.get(WorkstationRow, workstation_id)
        if (
            row is None
            or not row.active
            or not security.check_salted_hash(row.secret_salt, secret, row.secret_hash)
        ):
            raise ApiError(401, "invalid_credentials", "unknown workstation or wrong secret")
        return row

    def clerk(
        enrolled: Annotated[WorkstationRow, Depends(workstation)],
        x_clerk_session: Annotated[str | None, Header()] = None,
    ) -> tuple[WorkstationRow, UserRow]:
        if not x_clerk_session:
            raise ApiError(401, "missing_session", "X-Clerk-Session header missing")
        with sessions() as db:
            row = db.get(SessionRow, security.sha256_hex(x_clerk_session))
            user = None if row is None else db.get(UserRow, row.user_id)
        if row is None or row.workstation_id != enrolled.workstation_id:
            raise ApiError(401, "invalid_session", "unknown clerk session for this workstation")
        if row.expires_at <= now():
            raise ApiError(401, "session_expired", "clerk session expired; log in again")
        if user is None or not user.active:
            raise ApiError(401, "user_inactive", "the session's user is no longer active")
        return enrolled, user

    def jurisdiction_prefix(db: Session, office_code: str) -> str:
        office = db.get(OfficeRow, office_code)
        if office is not None and office.level == "city":
            return office_code[:4]
        return office_code

    # --- enrolment and sessions -----------------------------------------------------

    @app.post(
        "/v1/workstations/enrol",
        response_model=EnrolResponse,
        responses=_ERRORS,
        summary="Enrol a workstation with a one-time enrolment code",
    )
    def enrol(body: EnrolRequest) -> EnrolResponse:
        moment = now()
        with sessions() as db, db.begin():
            code = db.get(
                EnrolmentCodeRow,
                security.sha256_hex(security.normalise_enrolment_code(body.enrolment_code)),
                with_for_update=True,
            )
            if (
                code is None
                or code.used_at is not None
                or code.expires_at <= moment
                or code.office_code != body.office_code
            ):
                raise ApiError(
                    401,
                    "invalid_enrolment_code",
                    "enrolment code unknown, used, expired or for another office",
                )
            taken = db.scalar(
                select(WorkstationRow.workstation_id).where(
                    WorkstationRow.office_code == body.office_code,
                    WorkstationRow.workstation_code == body.workstation_code,
                )
            )
            if taken is not None:
                raise ApiError(
                    409,
                    "workstation_exists",
                    f"workstation {body.workstation_code} of office {body.office_code} "
                    "is already enrolled",
                )
            secret = security.new_secret()
            salt = secrets.token_hex(16)
            row = WorkstationRow(
                workstation_id=str(uuid.uuid4()),
                office_code=body.office_code,
                workstation_code=body.workstation_code,
                secret_salt=salt,
                secret_hash=security.salted_hash(salt, secret),
                enrolled_at=moment,
                active=True,
            )
            db.add(row)
            code.used_at = moment
            code.used_by_workstation_id = row.workstation_id
        logger.info(
            "Enrolled workstation %s (%s-%s)",
            row.workstation_id,
            body.office_code,
            body.workstation_code,
        )
        return EnrolResponse(workstation_id=row.workstation_id, secret=secret)

    @app.post(
        "/v1/sessions/challenge",
        response_model=ChallengeResponse,
        responses=_ERRORS,
        summary="Get a fresh challenge for the clerk's e-key to sign",
    )
    def challenge(
        enrolled: Annotated[WorkstationRow, Depends(workstation)],
    ) -> ChallengeResponse:
        value = base64.b64encode(secrets.token_bytes(32)).decode("ascii")
        expires_at = now() + CHALLENGE_LIFETIME
        with sessions() as db, db.begin():
            db.add(
                ChallengeRow(
                    challenge=value,
                    workstation_id=enrolled.workstation_id,
                    expires_at=expires_at,
                )
            )
        return ChallengeResponse(challenge=value, expires_at=expires_at)

    @app.post(
        "/v1/sessions",
        response_model=SessionResponse,
        responses=_ERRORS,
        summary="Open a clerk session with a signed challenge",
    )
    def open_session(
        body: SessionRequest,
        enrolled: Annotated[WorkstationRow, Depends(workstation)],
    ) -> SessionResponse:
        moment = now()
        # The challenge is used up by any attempt, so a failed one cannot be retried.
        with sessions() as db, db.begin():
            row = db.get(ChallengeRow, body.challenge, with_for_update=True)
            usable = (
                row is not None
                and row.workstation_id == enrolled.workstation_id
                and row.used_at is None
                and row.expires_at > moment
            )
            if row is not None and row.used_at is None:
                row.used_at = moment
        if not usable:
            raise ApiError(401, "invalid_challenge", "challenge unknown, used or expired")

        try:
            challenge_bytes = security.decode_base64(body.challenge)
            certificate = security.decode_base64(body.certificate)
            signature = security.decode_base64(body.signature)
        except ValueError as error:
            raise ApiError(
                400, "invalid_request", f"challenge, certificate or signature: {error}"
            ) from None
        try:
            check_validity(certificate, moment)
            verify_signature(certificate, challenge_bytes, signature)
        except (CertificateExpired, CertificateNotYetValid):
            raise ApiError(
                401, "certificate_not_valid", "certificate is outside its validity"
            ) from None
        except SignatureInvalid:
            raise ApiError(401, "invalid_signature", "signature does not verify") from None
        except ValueError:
            raise ApiError(400, "invalid_request", "certificate is not a DER X.509") from None

        fingerprint = fingerprint_sha256(certificate)
        with sessions() as db, db.begin():
            user = db.scalars(
                select(UserRow).where(UserRow.cert_fingerprint == fingerprint)
            ).one_or_none()
            if user is None or not user.active:
                raise ApiError(401, "unknown_certificate", "no active user has this certificate")
            prefix = jurisdiction_prefix(db, enrolled.office_code)
            if not user.office_code.startswith(prefix):
                raise ApiError(
                    403,
                    "outside_jurisdiction",
                    f"user {user.user_id} belongs to office {user.office_code}, "
                    f"outside workstation office {enrolled.office_code}",
                )
            if db.get(SigningCertificateRow, fingerprint) is None:
                db.add(
                    SigningCertificateRow(
                        fingerprint=fingerprint,
                        user_id=user.user_id,
                        certificate_der=certificate,
                        first_seen_at=moment,
                    )
                )
            token = security.new_secret()
            expires_at = moment + SESSION_LIFETIME
            db.add(
                SessionRow(
                    token_hash=security.sha256_hex(token),
                    user_id=user.user_id,
                    workstation_id=enrolled.workstation_id,
                    created_at=moment,
                    expires_at=expires_at,
                )
            )
        logger.info(
            "Opened session for user %s on workstation %s", user.user_id, enrolled.workstation_id
        )
        return SessionResponse(session_token=token, user_id=user.user_id, expires_at=expires_at)

    # --- signing keys -----------------------------------------------------------------

    @app.get(
        "/v1/signing-keys",
        response_model=SigningKeysResponse,
        responses=_ERRORS,
        summary="List the e-key certificates that sign certificates' QR codes",
    )
    def signing_keys(
        _enrolled: Annotated[WorkstationRow, Depends(workstation)],
    ) -> SigningKeysResponse:
        with sessions() as db:
            rows = db.execute(
                select(SigningCertificateRow, UserRow)
                .join(UserRow, UserRow.user_id == SigningCertificateRow.user_id)
                .order_by(SigningCertificateRow.fingerprint)
            ).all()
        return SigningKeysResponse(
            keys=[
                SigningKeyItem(
                    certificate=base64.b64encode(row.certificate_der).decode("ascii"),
                    holder_name=user.name,
                    office_code=user.office_code,
                    revoked=not user.active,
                )
                for row, user in rows
            ]
        )

    # --- pull -------------------------------------------------------------------------

    @app.get(
        "/v1/streams/{stream}",
        response_model=StreamPage,
        responses=_ERRORS,
        summary="Read one page of a stream after a cursor",
    )
    def pull(
        stream: Stream,
        enrolled: Annotated[WorkstationRow, Depends(workstation)],
        cursor: Annotated[str | None, Query(max_length=200)] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
    ) -> StreamPage:
        after = 0
        if cursor:
            try:
                after = security.decode_cursor(cursor, stream.value)
            except ValueError as error:
                raise ApiError(400, "invalid_cursor", f"invalid cursor: {error}") from None
        as_of = now()
        with sessions() as db:
            query = select(ChangeRow).where(ChangeRow.stream == stream.value, ChangeRow.seq > after)
            if stream in JURISDICTION_STREAMS:
                prefix = jurisdiction_prefix(db, enrolled.office_code)
                query = query.where(_visible_to(prefix))
            rows = list(db.scalars(query.order_by(ChangeRow.seq).limit(limit + 1)))
        has_more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1].seq if rows else after
        return StreamPage(
            stream=stream,
            items=[_stream_item(row) for row in rows],
            next_cursor=security.encode_cursor(stream.value, last),
            has_more=has_more,
            as_of=as_of,
        )

    # --- push -------------------------------------------------------------------------

    @app.post(
        "/v1/push/{kind}",
        response_model=PushResponse,
        responses=_ERRORS,
        summary="Push client-made records; idempotent by uuid",
    )
    def push(
        kind: PushKind,
        body: PushRequest,
        identity: Annotated[tuple[WorkstationRow, UserRow], Depends(clerk)],
    ) -> PushResponse:
        enrolled, user = identity
        try:
            return _push_items(kind, body.items, enrolled, user)
        except IntegrityError:
            # Another request stored one of these uuids meanwhile: a second pass
            # reports it as a duplicate.
            logger.warning("Retrying a %s push after a concurrent insert", kind.value)
            return _push_items(kind, body.items, enrolled, user)

    def _push_items(
        kind: PushKind, items: list[Any], enrolled: WorkstationRow, user: UserRow
    ) -> PushResponse:
        table = PUSHED_TABLES[kind]
        model = PUSH_ITEM_MODELS[kind]
        store = STORE_FUNCTIONS[kind]
        answer = PushResponse(accepted=[], duplicates=[], rejected=[])
        seen: set[str] = set()
        with sessions() as db, db.begin():
            context = PushContext(
                user_id=user.user_id,
                workstation_id=enrolled.workstation_id,
                workstation_code=enrolled.workstation_code,
                jurisdiction_prefix=jurisdiction_prefix(db, enrolled.office_code),
                now=now(),
            )
            for raw in items:
                raw_uuid = raw.get("uuid") if isinstance(raw, dict) else None
                label = str(raw_uuid) if raw_uuid is not None else ""
                try:
                    item = model.model_validate(raw)
                except ValidationError as error:
                    reason = _validation_summary(error.errors())
                    answer.rejected.append(RejectedItem(uuid=label, reason=reason))
                    continue
                item_uuid = str(item.uuid)
                stored = db.scalar(select(table.id).where(table.uuid == item_uuid))
                if item_uuid in seen or stored is not None:
                    answer.duplicates.append(item_uuid)
                    continue
                reason = store(db, item, context)
                if reason is None:
                    db.flush()
                    seen.add(item_uuid)
                    answer.accepted.append(item_uuid)
                else:
                    answer.rejected.append(RejectedItem(uuid=item_uuid, reason=reason))
        logger.info(
            "Push %s from workstation %s by user %s: %d accepted, %d duplicates, %d rejected",
            kind.value,
            enrolled.workstation_id,
            user.user_id,
            len(answer.accepted),
            len(answer.duplicates),
            len(answer.rejected),
        )
        return answer

    # --- verify -----------------------------------------------------------------------

    @app.get(
        "/v1/verify/{number}",
        response_model=VerifyResponse,
        responses=_ERRORS,
        summary="Tell a partner unit whether a certificate number is valid",
    )
    def verify(number: Annotated[str, Path(max_length=40)]) -> VerifyResponse:
        try:
            parsed = str(CertificateNumber.parse(number))
        except ValueError:
            raise ApiError(400, "invalid_number", "not a certificate number") from None
        with sessions() as db:
            issuance = db.scalars(
                select(PushedIssuanceRow)
                .where(PushedIssuanceRow.number == parsed)
                .order_by(PushedIssuanceRow.id.desc())
                .limit(1)
            ).first()
            voided = db.scalar(
                select(func.count())
                .select_from(PushedVoidRow)
                .where(PushedVoidRow.number == parsed)
            )
        if issuance is None or issuance.status == "not_printed":
            return VerifyResponse(
                number=parsed,
                status=VerifyStatus.UNKNOWN,
                purpose_code=None,
                issued_on=None,
                valid_until=None,
                office_code=None,
            )
        if voided or issuance.status == "voided":
            status = VerifyStatus.VOIDED
        elif issuance.valid_until is not None and issuance.valid_until < china_date(now()):
            status = VerifyStatus.EXPIRED
        else:
            status = VerifyStatus.VALID
        return VerifyResponse(
            number=parsed,
            status=status,
            purpose_code=issuance.purpose_code,
            issued_on=china_date(issuance.issued_at),
            valid_until=issuance.valid_until,
            office_code=issuance.office_code,
        )

    # --- reports ----------------------------------------------------------------------

    @app.get(
        "/v1/reports/daily",
        response_model=DailyReportResponse,
        responses=_ERRORS,
        summary="Count one China day's prints, voids, reprints and refusals of an office",
    )
    def daily_report(
        identity: Annotated[tuple[WorkstationRow, UserRow], Depends(clerk)],
        day: Annotated[date, Query(alias="date", description="China Standard Time date")],
        office: Annotated[str, Query(pattern=OFFICE_CODE_PATTERN)],
    ) -> dict[str, Any]:
        _enrolled, user = identity
        with sessions() as db:
            target = db.get(OfficeRow, office)
            if target is None:
                raise ApiError(404, "unknown_office", f"office {office} not found")
            problem = reports.report_access_problem(
                user, db.get(OfficeRow, user.office_code), office
            )
            if problem:
                raise ApiError(403, "outside_jurisdiction", problem)
            report = reports.daily_report(db, target, day, now())
        logger.info("Daily report of %s for %s read by user %s", office, day, user.user_id)
        return report.to_json_dict()

    app.openapi = lambda: _openapi_schema(app)  # type: ignore[method-assign]
    return app


def _visible_to(prefix: str) -> Any:
    """Rows whose hukou or residence lies under ``prefix``, minus deletes it still covers."""
    in_scope = or_(
        ChangeRow.scope_code_1.startswith(prefix, autoescape=True),
        ChangeRow.scope_code_2.startswith(prefix, autoescape=True),
    )
    still_covered = or_(
        func.coalesce(ChangeRow.kept_code_1, "").startswith(prefix, autoescape=True),
        func.coalesce(ChangeRow.kept_code_2, "").startswith(prefix, autoescape=True),
    )
    return and_(in_scope, not_(still_covered))


def _stream_item(row: ChangeRow) -> StreamItem:
    data = None if row.payload_json is None else json.loads(row.payload_json)
    return StreamItem.model_construct(op=row.op, id=row.entity_id, version=row.version, data=data)


def _openapi_schema(app: FastAPI) -> dict[str, Any]:
    """Build the schema once, with the per-kind push item models the body can hold.

    The push body is validated item by item in the handler, so FastAPI validates only a
    list of objects. The item models are added here so clients can read them.
    """
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    models: list[tuple[type[BaseModel], Literal["validation"]]] = [
        (model, "validation") for model in PUSH_ITEM_MODELS.values()
    ]
    _, definitions = models_json_schema(models, ref_template="#/components/schemas/{model}")
    schema["components"]["schemas"].update(definitions.get("$defs", {}))
    item_refs = [
        {"$ref": f"#/components/schemas/{model.__name__}"} for model in PUSH_ITEM_MODELS.values()
    ]
    push_body = schema["paths"]["/v1/push/{kind}"]["post"]["requestBody"]
    push_body["content"]["application/json"]["schema"] = {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "maxItems": MAX_PUSH_ITEMS,
                "items": {"anyOf": item_refs},
                "description": "Items of the kind in the path: issuances take "
                "IssuancePushItem, voids VoidPushItem, and so on.",
            }
        },
    }
    app.openapi_schema = schema
    return schema
